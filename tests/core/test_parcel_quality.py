"""core.parcel_quality (the parcel quality check as data) and its report, without QGIS:
hand-made parcels with one problem each and the outcome worked out by hand."""
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from qn_landconsol_plugin.core import parcel_quality as pq
from qn_landconsol_plugin.core.areas import ellipsoidal_area
from qn_landconsol_plugin.core.layer_checks import CrsFacts, crs_findings
from qn_landconsol_plugin.core.crs import GKZone
from qn_landconsol_plugin.core.reports import parcel_quality as report

X0, Y0 = 430_000.0, 2_910_000.0


def _table(n, **columns):
    base = dict(BSM=[f"B{i}" for i in range(n)], TBBH=[str(i) for i in range(n)],
                DLBM=["0301"] * n, ZLDWDM=["5227"] * n, TBMJ=[100.0] * n, KCXS=[None] * n,
                KCMJ=[0.0] * n, TBDLMJ=[100.0] * n, GDPDJB=[None] * n)
    base.update(columns)
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in base.items()})


def _squares(n):
    return np.array([shapely.affinity.translate(box(10 * i, 0, 10 * (i + 1), 10), X0, Y0)
                     for i in range(n)], dtype=object)


def _check(table, geoms, **kwargs):
    kwargs.setdefault("ellipsoidal", lambda g: ellipsoidal_area(g, "EPSG:4545"))
    return pq.check_quality(table, geoms, "L", **kwargs)


def test_every_check_has_a_short_flag_field_a_chinese_alias_and_a_fix():
    fields = [c.field for c in pq.QUALITY_CHECKS]
    assert len(set(fields)) == len(fields) == len(pq.QUALITY_CHECKS)
    assert all(len(f) <= 10 for f in fields + [pq.PROBLEM_COUNT, pq.DESCRIPTION])
    assert all(c.fix.endswith("。") and c.title.zh and c.title.en for c in pq.QUALITY_CHECKS)
    # every attribute check of core.parcel_checks the layer can fail is here
    from qn_landconsol_plugin.core import parcel_checks as pc

    codes = {c.code for c in pq.QUALITY_CHECKS}
    assert {f"NULL_{r.field}" for r in pc.NULL_RULES} <= codes
    assert {"UNKNOWN_DLBM", "DUPLICATE_BSM", "TBMJ_MISMATCH", "KCMJ_MISMATCH",
            "TBDLMJ_MISMATCH", "GEOMETRY_INVALID", "GAP", "OVERLAP"} <= codes


def test_clean_parcels_have_no_problem():
    r = _check(_table(3), _squares(3))
    assert r.clean and set(r.counts.values()) == {0}
    assert r.problems.tolist() == [0, 0, 0]
    assert r.description().tolist() == [None, None, None]
    assert all(r.checked[c.code] for c in pq.QUALITY_CHECKS)


def test_geos_reason_in_chinese_with_its_location():
    assert pq.geos_reason_zh("Self-intersection[430005 2910005]") == \
        "自相交，位于 (430005.000, 2910005.000)"
    assert pq.geos_reason_zh("Ring Self-intersection[1.5 2.25]") == "环自相交，位于 (1.500, 2.250)"
    assert pq.geos_reason_zh("Something new") == "Something new"


def test_a_bow_tie_and_a_missing_geometry():
    geoms = _squares(3)
    geoms[1] = shapely.affinity.translate(
        Polygon([(10, 0), (20, 10), (20, 0), (10, 10), (10, 0)]), X0, Y0)
    geoms[2] = None
    r = _check(_table(3, TBMJ=[100.0, 50.0, 100.0], TBDLMJ=[100.0, 50.0, 100.0]), geoms)
    assert r.flags["GEOMETRY_INVALID"].tolist() == [False, True, True]
    assert r.description()[1] == "几何无效：自相交，位于 (430015.000, 2910005.000)。"
    assert r.description()[2] == "无几何。"
    assert r.counts["TBMJ_MISMATCH"] == 0          # the bow-tie's two triangles: 50 m²


def test_an_overlap_and_a_gap_between_parcels():
    frame = Polygon(box(-10, -10, 30, 20).exterior.coords, [box(0, 0, 20, 10).exterior.coords])
    a, b = box(0, 0, 10, 10), box(9.5, 0, 20, 10)          # B over A by 5 m²
    geoms = np.array([shapely.affinity.translate(g, X0, Y0) for g in (frame, a, b)],
                     dtype=object)
    r = _check(_table(3, TBMJ=[1000.0, 100.0, 105.0], TBDLMJ=[1000.0, 100.0, 105.0]), geoms,
               ellipsoidal=None)
    assert r.flags["OVERLAP"].tolist() == [False, True, True]
    assert r.description()[1] == "与 BSM B2 重叠 5.00 平方米。"
    frame_rows, shapes = pq.topology_table(r)
    assert frame_rows[["LX", "TB_SL", "TB"]].values.tolist() == [["重叠", 2, "BSM B1、BSM B2"]]
    assert frame_rows["MJ"].iloc[0] == pytest.approx(5.0) and shapes[0].area == pytest.approx(5)
    html = report.build_html(r, _table(3), None, {"layer": "L"})
    assert "面不重叠：1 处重叠，合计 5.00 平方米，涉及 2 个图斑。" in html
    assert "<td>BSM B1、BSM B2</td>" in html
    # the same with a 0.01 m² gap instead
    geoms[2] = shapely.affinity.translate(box(10.001, 0, 20, 10), X0, Y0)
    r = _check(_table(3, TBMJ=[1000.0, 100.0, 99.99], TBDLMJ=[1000.0, 100.0, 99.99]), geoms)
    assert r.flags["GAP"].tolist() == [True, True, True] and r.problems.tolist() == [1, 1, 1]
    (gap,) = r.topology.gaps
    assert gap.area == pytest.approx(0.01, abs=1e-6)
    assert r.description()[0] == "与相邻图斑之间有缝隙 0.0100 平方米（位于 (430010.000, 2910005.000)）。"
    # under a sliver tolerance: counted, not flagged
    r = _check(_table(3, TBMJ=[1000.0, 100.0, 99.99], TBDLMJ=[1000.0, 100.0, 99.99]), geoms,
               sliver_m2=0.02)
    assert not r.flags["GAP"].any() and r.topology.slivers_below_tolerance == 1


def test_attribute_problems_are_worded_per_parcel():
    r = _check(_table(4, BSM=["X", "X", None, "Y"], DLBM=["0305K", "0103", "0301", None],
                      TBMJ=[100.0, 100.0, 10000.0, 100.0], KCXS=[None, 0.1, None, None],
                      KCMJ=[0.0, 9.0, 0.0, 0.0], TBDLMJ=[100.0, 91.0, 10000.0, 100.0],
                      GDPDJB=[None, "2", None, None]), _squares(4))
    notes = r.description()
    assert notes[0] == "标识码 X 重复（2 个图斑）；地类编码 0305K 不是三调地类。"
    assert notes[1] == "标识码 X 重复（2 个图斑）；扣除地类面积 KCMJ 9.00 ≠ round(TBMJ × KCXS, 2) " \
                       "= 10.00。"
    area = ellipsoidal_area(_squares(4)[2:3], "EPSG:4545")[0]
    assert notes[2] == f"标识码 BSM 为空；图斑面积 TBMJ 10000.00 与椭球面积 {area:.2f} 平方米相差 " \
                       f"{(10000 - area) / area * 100:.1f}%。"
    assert notes[3] == "地类编码 DLBM 为空。"
    # the summary's area: TBMJ, or the measured area where TBMJ is implausible
    assert r.area_mu("TBMJ_MISMATCH") == pytest.approx(area / (10000 / 15))
    assert r.area_mu("DUPLICATE_BSM") == pytest.approx(200 / (10000 / 15))


def test_a_check_of_a_missing_field_is_not_run_and_written_as_null():
    table = _table(2).drop(columns=["ZLDWDM"])
    r = _check(table, _squares(2))
    assert not r.checked.get("NULL_ZLDWDM")
    assert r.output_columns()["K_ZLDWDM"].tolist() == [None, None]
    assert r.output_columns()["K_DLBM"].tolist() == [0, 0]
    (missing,) = r.layer_findings
    assert missing.code == "FIELD_MISSING" and missing.level == "warning"
    assert missing.message == "L：图层没有字段 ZLDWDM（坐落单位代码），未检查与之有关的项目。"


def test_a_parcels_description_is_cut_for_a_shapefile():
    frame = Polygon(box(-10, -10, 130, 20).exterior.coords, [box(0, 0, 120, 10).exterior.coords])
    parts = [frame] + [box(10 * i + (0.001 if i % 2 else 0), 0, 10 * (i + 1), 10)
                       for i in range(12)]
    geoms = np.array([shapely.affinity.translate(g, X0, Y0) for g in parts], dtype=object)
    r = _check(_table(13, TBMJ=[g.area for g in geoms], TBDLMJ=[g.area for g in geoms]), geoms)
    assert len(r.topology.gaps) == 6
    assert len(r.description()[0]) == pq.MAX_NOTE and r.description()[0].endswith("…")


# --------------------------------------------------------------------------- CRS plan
ZONE36 = GKZone(36, False)


def test_measure_plan_follows_the_crs_findings():
    bounds = (X0, Y0, X0 + 100, Y0 + 100)
    ok = CrsFacts(True, True, "EPSG:4545", zone=ZONE36)
    assert pq.measure_plan(crs_findings(ok, bounds, "L"), bounds) == pq.MeasurePlan("crs")
    prefixed = (X0 + 36e6, Y0, X0 + 36e6 + 100, Y0 + 100)
    found = crs_findings(ok, prefixed, "L")
    assert pq.measure_plan(found, prefixed) == pq.MeasurePlan("suggested", "EPSG:4524")
    missing = crs_findings(CrsFacts(False), bounds, "L")
    assert pq.measure_plan(missing, bounds) == pq.MeasurePlan("planar")
    degrees = (107.1, 26.1, 107.2, 26.2)
    assert pq.measure_plan(crs_findings(CrsFacts(False), degrees, "L"), degrees) == \
        pq.MeasurePlan("none")


def test_without_a_measure_the_topology_and_tbmj_are_not_checked():
    geoms = np.array([box(107.0, 26.0, 107.001, 26.001)], dtype=object)
    r = pq.check_quality(_table(1), geoms, "L", plan=pq.MeasurePlan("none"))
    assert r.topology is None
    assert not r.checked.get("GAP") and not r.checked.get("TBMJ_MISMATCH")
    assert r.output_columns()["TP_FX"].tolist() == [None]
    assert [f.code for f in r.layer_findings] == ["NOT_MEASURED"]


# --------------------------------------------------------------------------- report
def test_html_report_and_workbook_of_a_layer_with_problems():
    r = _check(_table(3, DLBM=[None, "0301", "0301"], BSM=["A", "A", "C"]), _squares(3))
    html = report.build_html(r, _table(3, DLBM=[None, "0301", "0301"], BSM=["A", "A", "C"]),
                             np.array([11, 12, 13]), {"layer": "乡镇图斑", "crs": "EPSG:4545"})
    assert "发现问题：2 个图斑有问题。" in html
    assert "地类编码 DLBM 为空（1 个图斑，0.15 亩）" in html
    assert "标识码 BSM 重复（2 个图斑，0.30 亩）" in html
    assert "<td class=\"num\">11</td>" in html                       # the feature id
    sheets = report.workbook_sheets(r, _table(3), np.array([11, 12, 13]), {"layer": "L"})
    assert [s.name for s in sheets] == ["汇总", "BSM_CF 标识码 BSM 重复", "K_DLBM 地类编码 DLBM 为空"]
    assert sheets[1].frame["要素编号"].tolist() == [11, 12] and sheets[1].landscape
    assert sheets[0].frame.loc[sheets[0].frame["检查项"] == "标识码 BSM 重复",
                               "问题图斑数"].tolist() == [2]


def test_parcels_sharing_a_bsm_are_told_apart_by_feature_id():
    geoms = np.array([shapely.affinity.translate(g, X0, Y0)
                      for g in (box(0, 0, 10, 10), box(9.5, 0, 20, 10))], dtype=object)
    r = _check(_table(2, BSM=["A", "A"], TBMJ=[100.0, 105.0], TBDLMJ=[100.0, 105.0]), geoms,
               fids=np.array([7, 9]))
    frame, _ = pq.topology_table(r)
    assert frame["TB"].tolist() == ["BSM A（fid 7）、BSM A（fid 9）"]
    assert r.description()[0] == "标识码 A 重复（2 个图斑）；与 BSM A（fid 9） 重叠 5.00 平方米。"
    assert pq.area_text(0.0) == "0 平方米" and pq.area_text(3.2e-6) == "3.2e-06 平方米"
