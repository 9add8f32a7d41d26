"""qnlandconsol:potentialsurvey in real QGIS: on the sample township it flags the same
parcels with the same areas as the slope-farmland, idle-homestead, control-line, swap
and contiguity algorithms; PBF areas against QGIS's native overlay; bad input; real data."""
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsDistanceArea,
    QgsVectorLayer,
)

from qn_landconsol_plugin.core import consolidation
from qn_landconsol_plugin.core import potential as pot
from qn_landconsol_plugin.core.rules import Rules
from qn_landconsol_plugin.core.slope import slope_grade
from qn_landconsol_plugin.core.units import M2_PER_MU

from ..conftest import realdata
from .conftest import Recorder


def _layer(township, name):
    return f"{township['gpkg']}|layername={name}"


def _full_params(township, tmp_path):
    return {
        "INPUT": _layer(township, "dltb"), "DEM": township["dem"],
        "RED_LINE": _layer(township, "stbhhx"), "PBF": _layer(township, "yjjbnt"),
        "UDB": _layer(township, "czkfbj"), "BUILDINGS": _layer(township, "buildings"),
        "BUILDING_STATUS_FIELD": "FWZT", "HOUSEHOLDS": township["households"],
        "HOUSEHOLD_KEY": "HH_BSM",
        "OUTPUT": str(tmp_path / "parcels.gpkg"), "OUTPUT_SUMMARY": str(tmp_path / "summary.csv"),
        "OUTPUT_CHECKS": str(tmp_path / "checks.csv"), "OUTPUT_XLSX": str(tmp_path / "p.xlsx"),
        "OUTPUT_REPORT": str(tmp_path / "report.html")}


@pytest.fixture(scope="module")
def survey(provider, township, tmp_path_factory):
    import processing

    folder = tmp_path_factory.mktemp("potential")
    params = _full_params(township, folder)
    feedback = Recorder()
    out = processing.run("qnlandconsol:potentialsurvey", params, feedback=feedback)
    layer = QgsVectorLayer(out["OUTPUT"], "p", "ogr")
    assert layer.isValid()
    rows = {f["BSM"]: f for f in layer.getFeatures()}
    return out, rows, feedback, folder


def _table(path):
    layer = QgsVectorLayer(path, "t", "ogr")
    assert layer.isValid(), path
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


def _num(value):
    """A number from an attribute (NULL -> 0)."""
    try:
        return float(value) if value is not None and value == value else 0.0
    except TypeError:
        return 0.0


def _with_type(rows, type_zh):
    return {b for b, f in rows.items() if f["QL_LX"] and type_zh in str(f["QL_LX"]).split(";")}


def test_slope_exit_matches_the_slope_farmland_algorithm(survey, township):
    import processing

    _, rows, _, _ = survey
    sf = processing.run("qnlandconsol:slopefarmland", {
        "INPUT": _layer(township, "dltb"), "DEM": township["dem"], "OUTPUT": "memory:",
        "OUTPUT_VILLAGES": "memory:"})["OUTPUT"]
    pgd = {f["BSM"]: f["GD_MU"] for f in sf.getFeatures() if f["PGD"] == 1}
    assert pgd, "the sample township has slope farmland"
    assert _with_type(rows, "坡耕地退出") == set(pgd)
    assert _with_type(rows, "水土流失治理") == set(pgd)
    for bsm, gd_mu in pgd.items():       # farmland lost = the slope tool's farmland 亩
        assert -rows[bsm]["XZGD_MJ"] / M2_PER_MU == pytest.approx(gd_mu, abs=1e-4)


def test_homestead_reclamation_matches_the_idle_homestead_algorithm(survey, township):
    import processing

    _, rows, _, _ = survey
    ih = processing.run("qnlandconsol:idlehomesteads", {
        "INPUT": _layer(township, "dltb"), "BUILDINGS": _layer(township, "buildings"),
        "BUILDING_STATUS_FIELD": "FWZT", "HOUSEHOLDS": township["households"],
        "HOUSEHOLD_KEY": "HH_BSM", "DEM": township["dem"], "RED_LINE": _layer(township, "stbhhx"),
        "OUTPUT": "memory:", "OUTPUT_VILLAGES": "memory:"})["OUTPUT"]
    reclaimable = {f["BSM"]: f["XZ_MU"] for f in ih.getFeatures()
                   if f["XZ"] == 1 and f["FK_LX"] in ("耕地", "林地/园地", "林地/草地")}
    to_farmland = {f["BSM"]: f["PD_MEAN"] for f in ih.getFeatures()
                   if f["XZ"] == 1 and f["FK_LX"] == "耕地"}
    assert reclaimable and to_farmland
    assert _with_type(rows, "宅基地复垦") == set(reclaimable)
    for bsm, mu in reclaimable.items():
        assert rows[bsm]["QL_MU"] == pytest.approx(mu, abs=1e-4)
        # reclaimed to farmland: TBMJ × (1 − KCXS of the grade of its mean slope) (issue 15
        # item 4; was × 0.9), the slope as the idle-homestead algorithm measured it
        expected = 0.0
        if bsm in to_farmland:
            grade = slope_grade(to_farmland[bsm])
            expected = rows[bsm]["QL_MJ"] * (1 - consolidation.kcxs([grade], ["TT"])[0])
        assert rows[bsm]["XZGD_MJ"] == pytest.approx(expected, abs=0.01)


def test_swap_in_matches_the_swap_algorithm(survey, township):
    import processing

    _, rows, _, _ = survey
    sw = processing.run("qnlandconsol:forestfarmlandswap", {
        "INPUT": _layer(township, "dltb"), "DEM": township["dem"],
        "RED_LINE": _layer(township, "stbhhx"), "OUTPUT": "memory:",
        "OUTPUT_BALANCE": "memory:"})["OUTPUT"]
    chosen = {f["BSM"]: f["ZH_MU"] for f in sw.getFeatures() if f["ZH_LX"] == "入" and f["ZH_XZ"] == 1}
    out = {f["BSM"] for f in sw.getFeatures() if f["ZH_LX"] == "出"}
    assert chosen
    assert _with_type(rows, "林耕置换（入）") == set(chosen)
    assert _with_type(rows, "林耕置换（出）") | _with_type(rows, "坡耕地退出") == out
    for bsm, mu in chosen.items():
        assert rows[bsm]["XZGD_MJ"] / M2_PER_MU == pytest.approx(mu, abs=1e-4)


def test_control_line_areas_match_the_control_line_algorithm(survey, township):
    import processing

    out, rows, _, folder = survey
    cl = processing.run("qnlandconsol:controllinecheck", {
        "INPUT": _layer(township, "dltb"), "RED_LINE": _layer(township, "stbhhx"),
        "PBF": _layer(township, "yjjbnt"), "UDB": _layer(township, "czkfbj"),
        "OUTPUT": "memory:", "OUTPUT_OVERLAPS": "memory:",
        "OUTPUT_REPORT": str(folder / "cl.html")})["OUTPUT"]
    overlaps = {f["BSM"]: (f["HX_MJ"], f["JBNT_MJ"], f["KFBJ_MJ"]) for f in cl.getFeatures()}
    summary = _table(out["OUTPUT_SUMMARY"])
    total = next(r for r in summary if r["DW_DM"] == pot.TOTAL_CODE)
    pbf = sum(v[1] for v in overlaps.values())
    assert float(total["JBNT_MU"]) == pytest.approx(pbf / M2_PER_MU, abs=0.01)
    reserve = _with_type(rows, "宜耕后备资源开发")
    assert reserve
    assert all(overlaps[b][0] < 1.0 and overlaps[b][2] < 1.0 for b in reserve)
    # no new farmland inside the red line (R4), checked with the control-line tool's areas
    new = [b for b, f in rows.items() if _num(f["XZGD_MJ"]) > 0]
    assert all(overlaps[b][0] < 1.0 for b in new)


def test_pbf_area_matches_native_intersection(survey, township):
    import processing

    out, _, _, _ = survey
    dissolved = processing.run("native:dissolve", {"INPUT": _layer(township, "yjjbnt"),
                                                   "OUTPUT": "memory:"})["OUTPUT"]
    inter = processing.run("native:intersection", {
        "INPUT": _layer(township, "dltb"), "OVERLAY": dissolved, "INPUT_FIELDS": ["BSM"],
        "OVERLAY_FIELDS_PREFIX": "o_", "OUTPUT": "memory:"})["OUTPUT"]
    native = sum(f.geometry().area() for f in inter.getFeatures())
    total = next(r for r in _table(out["OUTPUT_SUMMARY"]) if r["DW_DM"] == pot.TOTAL_CODE)
    assert float(total["JBNT_MU"]) == pytest.approx(native / M2_PER_MU, abs=0.01)


def test_summary_totals_are_sums_of_the_parcel_output(survey):
    out, rows, _, _ = survey
    summary = _table(out["OUTPUT_SUMMARY"])
    villages = [r for r in summary if r["DW_DM"] != pot.TOTAL_CODE]
    total = next(r for r in summary if r["DW_DM"] == pot.TOTAL_CODE)

    def counts_for(f, family):
        """The parcel counts for the family's target: one of its types of that family is
        not outranked by another type of the parcel (Rules.target_precedence)."""
        types = set((f["QL_LX"] or "").split(";")) - {""}
        keys = {pot.TYPE_BY_ZH[t].key for t in types}
        precedence = Rules().target_precedence
        return any(pot.TYPE_BY_KEY[k].family == family.code and
                   not (set(precedence.get(k, ())) & keys) for k in keys)

    for fam in pot.FAMILIES:
        by_parcels = sum(f["QL_MJ"] for f in rows.values() if counts_for(f, fam)) / M2_PER_MU
        assert float(total[fam.column]) == pytest.approx(by_parcels, abs=0.02)
        assert sum(float(v[fam.column]) for v in villages) == pytest.approx(float(total[fam.column]),
                                                                           abs=0.05)
        for v in villages:
            mine = sum(f["QL_MJ"] for f in rows.values() if counts_for(f, fam) and
                       str(f["ZLDWDM"]).startswith(v["DW_DM"])) / M2_PER_MU
            assert float(v[fam.column]) == pytest.approx(mine, abs=0.01)
    net = sum(_num(f["XZGD_MJ"]) for f in rows.values()) / M2_PER_MU
    assert float(total["JZGD_MU"]) == pytest.approx(net, abs=0.02)


def test_rule_checks_cover_the_township_and_the_total(survey):
    out, _, feedback, _ = survey
    checks = _table(out["OUTPUT_CHECKS"])
    units = {r["DW_DM"] for r in checks}
    assert units == {"522702101", pot.TOTAL_CODE}
    assert {r["GZ_DM"] for r in checks} == {"R1", "R2", "R3", "R4", "R5", "R6"}
    r2 = next(r for r in checks if r["GZ_DM"] == "R2" and r["DW_DM"] == pot.TOTAL_CODE)
    assert r2["JG"] == pot.PASS and float(r2["SZ"]) <= 0
    assert "R1 " in feedback.text()


def test_workbook_and_report(survey):
    openpyxl = pytest.importorskip("openpyxl")
    out, _, _, _ = survey
    wb = openpyxl.load_workbook(out["OUTPUT_XLSX"])
    assert wb.sheetnames[:6] == ["潜力汇总", "潜力类型", "规则检查", "目标进度", "连片度", "说明"]
    assert "地类结构调整表" in wb.sheetnames and "永久基本农田调整表" in wb.sheetnames
    ws = wb["潜力汇总"]
    header = [c.value for c in ws[1]]
    last = [c.value for c in ws[ws.max_row]]
    total = next(r for r in _table(out["OUTPUT_SUMMARY"]) if r["DW_DM"] == pot.TOTAL_CODE)
    assert last[header.index("农用地整理潜力(亩)")] == pytest.approx(float(total["NYD_MU"]), abs=0.01)
    with open(out["OUTPUT_REPORT"], encoding="utf-8") as f:
        html = f.read()
    assert html.count("data:image/png;base64,") >= 3
    assert "src=\"http" not in html and "<script" not in html
    assert "无：全部潜力类型均已评估" in html


def test_contiguity_in_report_matches_the_contiguity_algorithm(survey):
    import processing
    openpyxl = pytest.importorskip("openpyxl")

    out, _, _, _ = survey
    res = processing.run("qnlandconsol:farmlandcontiguity", {
        "INPUT": out["OUTPUT"], "SCENARIO": 2, "OUTPUT_BLOCKS": "memory:",
        "OUTPUT_SUMMARY": "memory:"})
    theirs = {f["QJ"]: f for f in res["OUTPUT_SUMMARY"].getFeatures() if f["CJ_MC"] == "合计"}
    ws = openpyxl.load_workbook(out["OUTPUT_XLSX"])["连片度"]
    header = [c.value for c in ws[1]]
    mine = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        rec = dict(zip(header, row))
        if rec["村名称"] == "合计":
            mine[rec["情景"]] = rec
    assert set(mine) == {"现状", "整治后", "变化"}
    for scenario in ("现状", "整治后"):
        assert mine[scenario]["连片数"] == theirs[scenario]["LP_N"]
        assert mine[scenario]["耕地面积（亩）"] == pytest.approx(theirs[scenario]["GD_MU"], abs=1e-3)
        assert mine[scenario]["最大连片面积（亩）"] == pytest.approx(theirs[scenario]["LP_MAX"], abs=1e-3)


def test_missing_optional_layers_skip_types_and_the_report_says_why(provider, township, tmp_path):
    import processing

    feedback = Recorder()
    out = processing.run("qnlandconsol:potentialsurvey", {
        "INPUT": _layer(township, "dltb"), "OUTPUT": "memory:", "OUTPUT_SUMMARY": "memory:",
        "OUTPUT_XLSX": str(tmp_path / "p.xlsx"), "OUTPUT_REPORT": str(tmp_path / "r.html")},
        feedback=feedback)
    types = {t for f in out["OUTPUT"].getFeatures() if f["QL_LX"] for t in f["QL_LX"].split(";")}
    for skipped in ("宜耕后备资源开发", "林耕置换（入）", "宅基地复垦"):
        assert skipped not in types
        assert f"Potential type {skipped} skipped" in feedback.text()
    # GDPDJB is enough for slope farmland, dry-to-paddy and terraces
    assert {"坡耕地退出", "旱改水", "田坎归并"} <= types
    with open(tmp_path / "r.html", encoding="utf-8") as f:
        html = f.read()
    assert "未提供 DEM" in html and "未提供建筑物轮廓和农户调查表" in html
    assert "未提供生态保护红线" in html and "未检查" in html


def test_layer_without_zldwdm_is_summarised_by_a_field_or_as_one_total(provider, township):
    import processing

    stripped = processing.run("native:deletecolumn", {
        "INPUT": _layer(township, "dltb"), "COLUMN": ["ZLDWDM"], "OUTPUT": "memory:"})["OUTPUT"]
    feedback = Recorder()
    out = processing.run("qnlandconsol:potentialsurvey", {
        "INPUT": stripped, "DEM": township["dem"], "OUTPUT": "memory:",
        "OUTPUT_SUMMARY": "memory:"}, feedback=feedback)
    rows = list(out["OUTPUT_SUMMARY"].getFeatures())
    assert [r["DW_DM"] for r in rows] == [pot.TOTAL_CODE]
    assert "no ZLDWDM" in feedback.text()
    out2 = processing.run("qnlandconsol:potentialsurvey", {
        "INPUT": stripped, "DEM": township["dem"], "SUMMARY_FIELD": "ZLDWMC",
        "OUTPUT": "memory:", "OUTPUT_SUMMARY": "memory:"})
    by_name = {r["DW_DM"]: r for r in out2["OUTPUT_SUMMARY"].getFeatures()}
    names = {f["ZLDWMC"] for f in stripped.getFeatures()}
    assert set(by_name) == names | {pot.TOTAL_CODE} and len(names) > 1
    assert sum(r["NYD_MU"] for k, r in by_name.items() if k != pot.TOTAL_CODE) == \
        pytest.approx(by_name[pot.TOTAL_CODE]["NYD_MU"], abs=1e-6)
    assert by_name[pot.TOTAL_CODE]["NYD_MU"] == pytest.approx(rows[0]["NYD_MU"], abs=1e-6)


def test_targets_parameter_changes_the_progress(provider, township):
    import processing

    params = {"INPUT": _layer(township, "dltb"), "DEM": township["dem"], "OUTPUT": "memory:",
              "OUTPUT_SUMMARY": "memory:", "TARGETS": "1000,100,500,2", "LEVEL": 1}
    rows = list(processing.run("qnlandconsol:potentialsurvey", params)["OUTPUT_SUMMARY"].getFeatures())
    total = rows[-1]
    assert [r["DW_JB"] for r in rows] == ["乡镇", "合计"]
    assert total["NYD_JD"] == pytest.approx(100 * total["NYD_MU"] / 1000, abs=1e-6)
    assert total["STXF_JD"] == pytest.approx(100 * total["STXF_MU"] / 500, abs=1e-6)


def test_bad_targets_are_a_clear_error(provider, township):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="Invalid targets"):
        processing.run("qnlandconsol:potentialsurvey", {
            "INPUT": _layer(township, "dltb"), "TARGETS": "a,b", "OUTPUT": "memory:",
            "OUTPUT_SUMMARY": "memory:"})


def test_real_swellendam_farms_without_tbmj_use_ellipsoidal_areas(provider, tmp_path):
    import processing

    farms = str(realdata("swellendam", "farms_33S.shp"))
    dem = str(realdata("swellendam", "srtm_41_19.tif"))
    red = str(realdata("swellendam", "protected_areas.shp"))
    mapped = processing.run("native:fieldcalculator", {
        "INPUT": farms, "FIELD_NAME": "DLBM", "FIELD_TYPE": 2, "FIELD_LENGTH": 5,
        "FORMULA": "CASE WHEN $id % 3 = 0 THEN '0103' WHEN $id % 3 = 1 THEN '0404' ELSE '0301' END",
        "OUTPUT": "memory:"})["OUTPUT"]
    feedback = Recorder()
    out = processing.run("qnlandconsol:potentialsurvey", {
        "INPUT": mapped, "DEM": dem, "RED_LINE": red, "OUTPUT": "memory:",
        "OUTPUT_SUMMARY": "memory:", "OUTPUT_REPORT": str(tmp_path / "r.html")}, feedback=feedback)
    layer = out["OUTPUT"]
    assert layer.featureCount() == mapped.featureCount()     # invalid farms kept
    measure = QgsDistanceArea()
    measure.setSourceCrs(QgsCoordinateReferenceSystem("EPSG:32733"), QgsCoordinateTransformContext())
    measure.setEllipsoid("WGS84")
    checked = 0
    for f in layer.getFeatures():
        if f["QL_MJ"] and f.geometry().isGeosValid():
            assert f["QL_MJ"] == pytest.approx(measure.measureArea(f.geometry()), rel=1e-3)
            checked += 1
    assert checked > 100
    assert "ellipsoidal" in feedback.text()
    # reserve land (0404) only outside the protected areas (the red line stand-in)
    types = {t for f in layer.getFeatures() if f["QL_LX"] for t in f["QL_LX"].split(";")}
    assert "宜耕后备资源开发" in types and "坡耕地退出" in types
