"""qnlandconsol:checkparcels (三调图斑质检): small hand-made layers, one problem each, with
the outcome worked out by hand (a 0.01 m² gap, an overlap of 5 m², a bow-tie, NULL DLBM,
duplicate BSM, TBMJ 100× the area, a KCMJ off by 1 m², the code 0305K, a GeoPackage
without CRS, zone-prefixed eastings in EPSG:4545), the sample township passing clean,
and the summary (log, HTML, xlsx)."""
import os
import re

import pytest
import shapely
from osgeo import ogr, osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsDistanceArea,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)
from shapely import affinity
from shapely.geometry import Polygon, box

from qn_landconsol_plugin.core import parcel_quality as pq

from .conftest import Recorder
from .input_cases import assign_srs, hashes

X0, Y0 = 430_000.0, 2_910_000.0        # zone 36 without prefix (EPSG:4545), in Qiannan
FIELDS = (("BSM", ogr.OFTString), ("TBBH", ogr.OFTString), ("DLBM", ogr.OFTString),
          ("ZLDWDM", ogr.OFTString), ("ZLDWMC", ogr.OFTString), ("TBMJ", ogr.OFTReal),
          ("KCXS", ogr.OFTReal), ("KCMJ", ogr.OFTReal), ("TBDLMJ", ogr.OFTReal),
          ("GDPDJB", ogr.OFTString))
FLAG_FIELDS = [c.field for c in pq.QUALITY_CHECKS]


def at(geom, dx=X0, dy=Y0):
    """A shape drawn around (0, 0) moved to the township (metres)."""
    return affinity.translate(geom, dx, dy)


def parcel(tbbh, geom, **values):
    """A consistent 三调 forest parcel (0301: no 田坎, no slope grade) unless `values` say
    otherwise; TBMJ is the planar area (within 0.02 % of the ellipsoidal one here)."""
    area = round(geom.area, 2) if geom is not None and geom.is_valid else None
    row = dict(BSM=f"5227{tbbh}", TBBH=tbbh, DLBM="0301", ZLDWDM="5227010010010000000",
               ZLDWMC="示例村", TBMJ=area, KCXS=None, KCMJ=0.0, TBDLMJ=area, GDPDJB=None)
    row.update(values)
    return geom, row


def write_layer(path, parcels, epsg=4545, srs_id=None) -> str:
    """A GeoPackage layer 'dltb' of `parcels` (shapely geometry, attributes); `epsg` None:
    no CRS (with `srs_id`: 0 'Undefined geographic SRS', -1 'Undefined Cartesian SRS')."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = None
    if epsg is not None:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(epsg)
    layer = ds.CreateLayer("dltb", srs, ogr.wkbMultiPolygon)
    for name, kind in FIELDS:
        layer.CreateField(ogr.FieldDefn(name, kind))
    for geom, row in parcels:
        f = ogr.Feature(layer.GetLayerDefn())
        for name, value in row.items():
            if value is not None:
                f.SetField(name, value)
        if geom is not None:
            f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(
                shapely.to_wkb(shapely.multipolygons([geom]) if geom.geom_type == "Polygon"
                               else geom)))
        layer.CreateFeature(f)
    ds = None
    if epsg is None and srs_id is not None:
        assign_srs(path, "dltb", srs_id)
    return f"{path}|layername=dltb"


def grid(n=2, size=10.0):
    """n × n parcels of size × size metres, edge to edge: A1, A2… row by row."""
    return [parcel(f"{chr(65 + r)}{c + 1}", at(box(c * size, r * size, (c + 1) * size,
                                                    (r + 1) * size)))
            for r in range(n) for c in range(n)]


def framed(*inner):
    """`inner` parcels inside a frame parcel F whose hole is box(0, 0, 20, 10): what the
    inner ones leave of the hole is a gap between parcels, not a bay of the outline."""
    frame = at(Polygon(box(-10, -10, 30, 20).exterior.coords,
                       [box(0, 0, 20, 10).exterior.coords]))
    return [parcel("F", frame)] + list(inner)


def check(tmp_path, parcels, epsg=4545, srs_id=None, **params):
    """Run the check on a layer of `parcels`: (results, feedback, {TBBH: output attributes},
    topology rows, the HTML report's text)."""
    import processing

    source = write_layer(tmp_path / "parcels.gpkg", parcels, epsg, srs_id)
    before = hashes(tmp_path)
    out = {"INPUT": source, "OUTPUT": str(tmp_path / "checked.gpkg"),
           "OUTPUT_TOPOLOGY": str(tmp_path / "topology.gpkg"),
           "OUTPUT_REPORT": str(tmp_path / "report.html"), **params}
    feedback = Recorder()
    result = processing.run("qnlandconsol:checkparcels", out, feedback=feedback)
    after = hashes(tmp_path)
    assert after["parcels.gpkg"] == before["parcels.gpkg"]        # the input is untouched
    checked = QgsVectorLayer(result["OUTPUT"], "checked", "ogr")
    rows = {f["TBBH"]: {k: _plain(f[k]) for k in checked.fields().names()}
            for f in checked.getFeatures()}
    topology = [{k: _plain(f[k]) for k in ("LX", "MJ", "X", "Y", "TB_SL", "TB")}
                for f in QgsVectorLayer(result["OUTPUT_TOPOLOGY"], "t", "ogr").getFeatures()]
    with open(result["OUTPUT_REPORT"], encoding="utf-8") as f:
        report = f.read()
    return result, feedback, rows, topology, report


def _plain(value):
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def flagged(row) -> list:
    return [name for name in FLAG_FIELDS if row[name]]


def ellipsoidal_m2(geom, epsg="EPSG:4545") -> float:
    """QGIS's own ellipsoidal area (QgsDistanceArea on the CGCS2000 ellipsoid)."""
    measure = QgsDistanceArea()
    measure.setSourceCrs(QgsCoordinateReferenceSystem(epsg),
                         QgsProject.instance().transformContext())
    measure.setEllipsoid("EPSG:7019")
    return measure.measureArea(QgsGeometry.fromWkt(geom.wkt))


# --------------------------------------------------------------------------- clean
def test_a_clean_layer_has_no_problem_and_every_check_ran(provider, tmp_path):
    result, feedback, rows, topology, report = check(tmp_path, grid())
    assert result["PROBLEM_PARCELS"] == 0 and result["GAPS"] == 0 and result["OVERLAPS"] == 0
    for row in rows.values():
        assert [row[f] for f in FLAG_FIELDS] == [0] * len(FLAG_FIELDS)
        assert row["ZJ_SL"] == 0 and row["ZJ_SM"] is None
    assert topology == []
    assert "0 of 4 parcels have problems." in feedback.text()
    for check_ in pq.QUALITY_CHECKS:       # the log names every check's count
        assert f"{check_.title.en}: 0 parcels." in feedback.text()
    assert "通过：未发现问题。" in report


def test_the_sample_township_passes_clean(provider, township, tmp_path):
    import processing

    params = {"INPUT": f"{township['gpkg']}|layername=dltb",
              "OUTPUT": str(tmp_path / "checked.gpkg"),
              "OUTPUT_TOPOLOGY": str(tmp_path / "topology.gpkg"),
              "OUTPUT_REPORT": str(tmp_path / "report.html")}
    feedback = Recorder()
    result = processing.run("qnlandconsol:checkparcels", params, feedback=feedback)
    assert (result["PROBLEM_PARCELS"], result["GAPS"], result["OVERLAPS"]) == (0, 0, 0)
    checked = QgsVectorLayer(result["OUTPUT"], "checked", "ogr")
    assert checked.featureCount() == QgsVectorLayer(params["INPUT"], "in", "ogr").featureCount()
    assert {f["ZJ_SL"] for f in checked.getFeatures()} == {0}
    assert {tuple(f[n] for n in FLAG_FIELDS) for f in checked.getFeatures()} == \
        {(0,) * len(FLAG_FIELDS)}
    assert QgsVectorLayer(result["OUTPUT_TOPOLOGY"], "t", "ogr").featureCount() == 0
    assert "0 sliver(s) under" in feedback.text()
    assert "通过：未发现问题。" in open(result["OUTPUT_REPORT"], encoding="utf-8").read()


# --------------------------------------------------------------------------- topology
def test_a_gap_of_a_hundredth_square_metre_between_two_parcels(provider, tmp_path):
    a = parcel("A", at(box(0, 0, 10, 10)))
    b = parcel("B", at(box(10.001, 0, 20, 10)))          # 0.001 m × 10 m = 0.01 m²
    result, feedback, rows, topology, report = check(tmp_path, framed(a, b))
    assert result["GAPS"] == 1 and result["OVERLAPS"] == 0
    assert {k: flagged(r) for k, r in rows.items()} == {"F": ["TP_FX"], "A": ["TP_FX"],
                                                        "B": ["TP_FX"]}
    (gap,) = topology
    assert gap["LX"] == "缝隙" and gap["MJ"] == pytest.approx(0.01, abs=1e-6)
    assert X0 + 10.0 <= gap["X"] <= X0 + 10.001 and Y0 <= gap["Y"] <= Y0 + 10.0
    assert gap["TB_SL"] == 3 and set(gap["TB"].split("、")) == {"BSM 5227F", "BSM 5227A",
                                                               "BSM 5227B"}
    assert "与相邻图斑之间有缝隙 0.0100 平方米" in rows["A"]["ZJ_SM"]
    assert "面无缝隙：1 处缝隙，合计 0.0100 平方米，涉及 3 个图斑。" in report


def test_a_gap_under_the_sliver_tolerance_is_counted_not_listed(provider, tmp_path):
    a = parcel("A", at(box(0, 0, 10, 10)))
    b = parcel("B", at(box(10.001, 0, 20, 10)))
    result, feedback, rows, topology, report = check(tmp_path, framed(a, b), SLIVER=0.02)
    assert result["GAPS"] == 0 and topology == []
    assert all(r["TP_FX"] == 0 for r in rows.values())
    assert re.search(r"1 sliver\(s\) under 0.02 m² \(0.0100\d* m²\) only counted",
                     feedback.text())
    assert "另有 1 处小于容差 0.02 平方米的缝隙或重叠" in report


def test_an_overlap_of_known_area(provider, tmp_path):
    a = parcel("A", at(box(0, 0, 10, 10)))
    b = parcel("B", at(box(9.5, 0, 20, 10)))              # 0.5 m × 10 m over A
    result, feedback, rows, topology, report = check(tmp_path, framed(a, b))
    assert result["OVERLAPS"] == 1 and result["GAPS"] == 0
    assert {k: flagged(r) for k, r in rows.items()} == {"F": [], "A": ["TP_CD"],
                                                        "B": ["TP_CD"]}
    (overlap,) = topology
    assert overlap["LX"] == "重叠" and overlap["MJ"] == pytest.approx(5.0, abs=1e-6)
    assert overlap["TB"] == "BSM 5227A、BSM 5227B" and overlap["TB_SL"] == 2
    assert rows["A"]["ZJ_SM"] == "与 BSM 5227B 重叠 5.00 平方米。"
    assert rows["A"]["ZJ_SL"] == 1 and rows["F"]["ZJ_SL"] == 0


# --------------------------------------------------------------------------- geometry
def test_a_bow_tie_is_reported_with_where_it_crosses_itself(provider, tmp_path):
    bow = at(Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)]))
    parcels = [parcel("A", at(box(-10, 0, 0, 10))),
               parcel("W", bow, TBMJ=50.0, TBDLMJ=50.0)]         # two triangles of 25 m²
    result, feedback, rows, topology, report = check(tmp_path, parcels)
    assert flagged(rows["W"]) == ["JH_WX"] and flagged(rows["A"]) == []
    assert rows["W"]["ZJ_SM"] == "几何无效：自相交，位于 (430005.000, 2910005.000)。"
    checked = QgsVectorLayer(result["OUTPUT"], "checked", "ogr")
    (out,) = [f for f in checked.getFeatures() if f["TBBH"] == "W"]
    assert shapely.equals_exact(shapely.from_wkb(bytes(out.geometry().asWkb())).geoms[0],
                                bow, 0.0)                          # written as it was


# --------------------------------------------------------------------------- attributes
def test_null_dlbm_duplicate_bsm_and_an_unknown_code(provider, tmp_path):
    parcels = grid()
    parcels[0][1]["DLBM"] = None
    parcels[1][1]["BSM"] = parcels[2][1]["BSM"] = "5227DUP"
    parcels[3][1]["DLBM"] = "0305K"                      # no such K code (REFERENCE §2)
    result, feedback, rows, topology, report = check(tmp_path, parcels)
    assert flagged(rows["A1"]) == ["K_DLBM"]
    assert rows["A1"]["ZJ_SM"] == "地类编码 DLBM 为空。"
    assert flagged(rows["A2"]) == flagged(rows["B1"]) == ["BSM_CF"]
    assert rows["A2"]["ZJ_SM"] == "标识码 5227DUP 重复（2 个图斑）。"
    assert flagged(rows["B2"]) == ["DLBM_WZ"]
    assert rows["B2"]["ZJ_SM"] == "地类编码 0305K 不是三调地类。"
    assert result["PROBLEM_PARCELS"] == 4
    text = feedback.text()
    assert "Land-use code DLBM is NULL: 1 parcel(s), 0.15 亩 (field K_DLBM)." in text
    assert "Identifier BSM is not unique: 2 parcel(s), 0.30 亩 (field BSM_CF)." in text
    assert "DLBM is no 三调 land-use code: 1 parcel(s), 0.15 亩 (field DLBM_WZ)." in text
    assert "地类编码 DLBM 为空（1 个图斑，0.15 亩）" in report
    assert "5227A1" in report and "A1" in report           # the example's BSM and TBBH


def test_a_defined_k_code_is_no_problem(provider, tmp_path):
    parcels = grid()
    parcels[0][1]["DLBM"] = "0201K"
    result, feedback, rows, topology, report = check(tmp_path, parcels)
    assert result["PROBLEM_PARCELS"] == 0


def test_tbmj_a_hundred_times_the_area_names_the_ellipsoidal_area(provider, tmp_path):
    parcels = grid()
    parcels[0][1].update(TBMJ=10000.0, TBDLMJ=10000.0)
    result, feedback, rows, topology, report = check(tmp_path, parcels)
    assert flagged(rows["A1"]) == ["TBMJ_PC"] and result["PROBLEM_PARCELS"] == 1
    area = ellipsoidal_m2(at(box(0, 0, 10, 10)))
    assert 99.9 < area < 100.0
    note = rows["A1"]["ZJ_SM"]
    assert note.startswith(f"图斑面积 TBMJ 10000.00 与椭球面积 {area:.2f} 平方米相差 ")
    assert float(re.search(r"相差 ([\d.]+)%", note).group(1)) == \
        pytest.approx((10000.0 - area) / area * 100.0, abs=0.05)


def test_tbmj_tolerance_is_a_parameter(provider, tmp_path):
    parcels = grid()
    parcels[0][1].update(TBMJ=103.0, TBDLMJ=103.0)       # 3 % over the area
    _, _, rows, _, _ = check(tmp_path, parcels)
    assert rows["A1"]["TBMJ_PC"] == 0                     # default 5 %
    (tmp_path / "t2").mkdir()
    _, _, rows, _, _ = check(tmp_path / "t2", parcels, TOLERANCE=2.0)
    assert rows["A1"]["TBMJ_PC"] == 1


def test_kcmj_off_by_one_square_metre_on_farmland(provider, tmp_path):
    parcels = grid()
    parcels[0][1].update(DLBM="0103", KCXS=0.1, KCMJ=9.0, TBDLMJ=91.0, GDPDJB="2")
    parcels[1][1].update(DLBM="0103", KCXS=0.1, KCMJ=10.0, TBDLMJ=90.0, GDPDJB="2")
    parcels[2][1].update(DLBM="0103", KCXS=0.1, KCMJ=10.0, TBDLMJ=80.0, GDPDJB=None)
    result, feedback, rows, topology, report = check(tmp_path, parcels)
    assert flagged(rows["A1"]) == ["KCMJ_PC"]             # TBDLMJ 91 = 100 − 9 is right
    assert rows["A1"]["ZJ_SM"] == "扣除地类面积 KCMJ 9.00 ≠ round(TBMJ × KCXS, 2) = 10.00。"
    assert flagged(rows["A2"]) == []
    assert flagged(rows["B1"]) == ["TBDLMJ_PC", "K_GDPDJB"]
    assert rows["B1"]["ZJ_SM"] == ("图斑地类面积 TBDLMJ 80.00 ≠ TBMJ − KCMJ = 90.00；"
                                   "耕地缺耕地坡度级别 GDPDJB。")
    assert rows["B1"]["ZJ_SL"] == 2


def test_a_missing_field_is_said_and_its_checks_are_null(provider, tmp_path):
    import processing

    path = write_layer(tmp_path / "parcels.gpkg", grid())
    ds = ogr.Open(str(tmp_path / "parcels.gpkg"), 1)
    ds.ExecuteSQL("ALTER TABLE dltb DROP COLUMN ZLDWDM")
    ds = None
    feedback = Recorder()
    result = processing.run("qnlandconsol:checkparcels", {
        "INPUT": path, "OUTPUT": str(tmp_path / "out.gpkg"), "OUTPUT_TOPOLOGY": None,
        "OUTPUT_REPORT": None}, feedback=feedback)
    assert "the layer has no field ZLDWDM (坐落单位代码)" in feedback.text()
    assert "Location code ZLDWDM is NULL: not checked." in feedback.text()
    values = [f["K_ZLDWDM"] for f in QgsVectorLayer(result["OUTPUT"], "o", "ogr").getFeatures()]
    assert all(_plain(v) is None for v in values) and len(values) == 4


# --------------------------------------------------------------------------- CRS
@pytest.mark.parametrize("srs_id", (None, 0, -1))
def test_a_geopackage_without_crs_is_reported_and_still_checked(provider, tmp_path, srs_id):
    parcels = grid()
    parcels[0][1].update(TBMJ=10000.0, TBDLMJ=10000.0)
    result, feedback, rows, topology, report = check(tmp_path, parcels, epsg=None,
                                                     srs_id=srs_id)
    text = feedback.text()
    assert re.search(r"has (no|an undefined) coordinate reference system", text)
    assert "EPSG:4545" in text                           # what the coordinates look like
    assert "the parcels are measured in the layer's own units" in text
    assert re.search("没有坐标参考系|坐标参考系未定义", report) and "图层问题" in report
    assert "通过" not in report
    assert flagged(rows["A1"]) == ["TBMJ_PC"]            # measured as metres
    assert "与平面面积 100.00 平方米相差" in rows["A1"]["ZJ_SM"]
    assert result["GAPS"] == 0 and result["PROBLEM_PARCELS"] == 1


def test_zone_prefixed_eastings_in_epsg_4545_are_reported_and_measured_in_4524(provider,
                                                                                tmp_path):
    parcels = [(affinity.translate(g, 36_000_000.0), row) for g, row in grid()]
    parcels[0][1].update(TBMJ=10000.0, TBDLMJ=10000.0)
    result, feedback, rows, topology, report = check(tmp_path, parcels)
    text = feedback.text()
    assert "carry the zone prefix 36" in text and "EPSG:4524" in text
    assert "the parcels are measured in EPSG:4524" in text
    assert "带有带号 36" in report
    assert flagged(rows["A1"]) == ["TBMJ_PC"] and result["PROBLEM_PARCELS"] == 1
    area = ellipsoidal_m2(at(box(0, 0, 10, 10)))          # the same box, unprefixed
    assert f"与椭球面积 {area:.2f} 平方米" in rows["A1"]["ZJ_SM"]
    checked = QgsVectorLayer(result["OUTPUT"], "checked", "ogr")
    assert checked.crs().authid() == "EPSG:4545"           # the layer as it is, flagged


# --------------------------------------------------------------------------- summary
def test_the_workbook_has_a_printable_sheet_per_check_with_every_parcel(provider, tmp_path):
    from openpyxl import load_workbook

    parcels = grid(3)
    for k in range(4):
        parcels[k][1]["DLBM"] = None
    parcels[5][1]["BSM"] = parcels[6][1]["BSM"] = "5227DUP"
    result, feedback, rows, topology, report = check(tmp_path, parcels,
                                                     OUTPUT_XLSX=str(tmp_path / "q.xlsx"))
    wb = load_workbook(result["OUTPUT_XLSX"])
    assert wb.sheetnames == ["汇总", "BSM_CF 标识码 BSM 重复", "K_DLBM 地类编码 DLBM 为空"]
    summary = wb["汇总"]
    by_check = {r[0]: r for r in summary.iter_rows(min_row=3, values_only=True)}
    assert by_check["地类编码 DLBM 为空"][2] == 4
    assert by_check["地类编码 DLBM 为空"][3] == pytest.approx(0.6)    # 4 × 100 m² = 0.6 亩
    nulls = wb["K_DLBM 地类编码 DLBM 为空"]
    listed = [r for r in nulls.iter_rows(min_row=3, values_only=True)]
    assert [r[2] for r in listed] == ["A1", "A2", "A3", "B1"]          # TBBH of each
    assert nulls.page_setup.orientation == "landscape" and nulls.print_title_rows
    assert "只列出" not in report and "另有" not in report             # 4 ≤ 10 examples


def test_aliases_and_styles_on_load(provider, tmp_path):
    import processing

    path = write_layer(tmp_path / "parcels.gpkg", framed(
        parcel("A", at(box(0, 0, 10, 10))), parcel("B", at(box(9.5, 0, 20, 10)))))
    project = QgsProject.instance()
    project.clear()
    try:
        processing.runAndLoadResults("qnlandconsol:checkparcels", {
            "INPUT": path, "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_TOPOLOGY": "TEMPORARY_OUTPUT",
            "OUTPUT_REPORT": None})
        layers = list(project.mapLayers().values())
        (flags,) = [layer for layer in layers if "ZJ_SM" in layer.fields().names()]
        (problems,) = [layer for layer in layers if "LX" in layer.fields().names()]
        assert flags.fields().field("TP_CD").alias() == "面重叠（与其他图斑重叠）"
        assert flags.fields().field("ZJ_SM").alias() == "质检说明"
        assert problems.fields().field("TB").alias() == "涉及图斑"
        assert {c.label() for c in flags.renderer().categories()} == {"有问题", "无问题"}
        assert {c.value() for c in problems.renderer().categories()} == {"缝隙", "重叠"}
    finally:
        project.clear()


def test_an_empty_layer_ends_cleanly(provider, tmp_path):
    result, feedback, rows, topology, report = check(tmp_path, [])
    assert rows == {} and topology == [] and result["PROBLEM_PARCELS"] == 0
    assert "has no features" in feedback.text()
    assert os.path.exists(result["OUTPUT_REPORT"])
