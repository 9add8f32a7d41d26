"""qnlandconsol:idlehomesteads in real QGIS: hand-made layers with hand-worked areas, the
sample township and real Swellendam footprints against QGIS's native overlay chain."""
import numpy as np
import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

from ..conftest import realdata
from .conftest import Recorder, township_layer

X0, Y0 = 500000.0, 2900000.0   # EPSG:4545 (CGCS2000 GK CM 108°E), Qiannan


def rect(x1, y1, x2, y2):
    return QgsGeometry.fromWkt(
        f"POLYGON(({X0 + x1} {Y0 + y1},{X0 + x2} {Y0 + y1},{X0 + x2} {Y0 + y2},"
        f"{X0 + x1} {Y0 + y2},{X0 + x1} {Y0 + y1}))")


def memory_layer(uri, rows, name="layer"):
    layer = QgsVectorLayer(uri, name, "memory")
    assert layer.isValid(), uri
    features = []
    for geometry, attrs in rows:
        f = QgsFeature(layer.fields())
        if geometry is not None:
            f.setGeometry(geometry)
        f.setAttributes(list(attrs))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    return layer


def hand_parcels():
    # A, B homesteads of village 522701001001, C farmland, D homestead of village ...002
    uri = ("Polygon?crs=EPSG:4545&field=BSM:string&field=DLBM:string&field=ZLDWDM:string"
           "&field=ZLDWMC:string&field=TBMJ:double")
    return memory_layer(uri, [
        (rect(0, 0, 20, 20), ("1", "0702", "5227010010010000000", "一村", 400.0)),
        (rect(20, 0, 40, 20), ("2", "0702", "5227010010010000000", "一村", 400.0)),
        (rect(40, 0, 60, 20), ("3", "0103", "5227010010010000000", "一村", 400.0)),
        (rect(0, 40, 20, 60), ("4", "0702", "5227010010020000000", "二村", 400.0)),
    ], "dltb")


def hand_buildings():
    uri = "Polygon?crs=EPSG:4545&field=FWZT:string"
    return memory_layer(uri, [
        (rect(2, 2, 10, 10), ("正常",)),      # A: 64 m²
        (rect(6, 6, 12, 12), ("正常",)),      # A: overlaps the first by 4x4 -> union 64+36-16 = 84
        (rect(18, 2, 24, 8), ("危房",)),      # straddles A/B: 2x6=12 in A, 4x6=24 in B (owner B)
        (rect(45, 5, 55, 15), ("正常",)),     # C (not a homestead)
        (rect(5, 45, 6, 46), ("倒塌",)),      # D: 1 m² = 0.25 % cover
    ], "buildings")


def run(params, feedback=None):
    import processing

    base = {"OUTPUT": "memory:", "OUTPUT_VILLAGES": "memory:"}
    base.update(params)
    return processing.run("qnlandconsol:idlehomesteads", base, feedback=feedback)


def by_key(layer, key="BSM"):
    return {f[key]: f for f in layer.getFeatures()}


def test_hand_made_overlap_straddle_reasons_and_villages(provider):
    households = memory_layer(
        "None?field=HH_BSM:string&field=CZRK:integer&field=NYDL:double",
        [(None, ("1", 3, 900.0)), (None, ("2", 0, 40.0)), (None, ("77", 2, 10.0)),
         (None, ("88", 1, 10.0))], "households")
    feedback = Recorder()
    result = run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings(),
                  "BUILDING_STATUS_FIELD": "FWZT", "HOUSEHOLDS": households,
                  "HOUSEHOLD_KEY": "HH_BSM"}, feedback)
    out = by_key(result["OUTPUT"])
    assert sorted(out) == ["1", "2", "4"]                 # only the homesteads
    assert out["1"]["JZ_MJ"] == pytest.approx(84.0 + 12.0, abs=0.01)
    assert out["2"]["JZ_MJ"] == pytest.approx(24.0, abs=0.01)
    assert out["4"]["JZ_MJ"] == pytest.approx(1.0, abs=0.01)
    assert out["1"]["JZ_FGL"] == pytest.approx(24.0)      # 96 / 400
    assert out["1"]["XZ"] == 0 and out["1"]["XZ_YY"] in ("", None)
    # B: 24/400 = 6 % < 10 %, its only building is 危房, 0 residents, 40 kWh
    assert out["2"]["XZ"] == 1
    assert out["2"]["XZ_YY"] == "建筑占比低、危房、无常住人口、用电量低"
    assert out["4"]["XZ_YY"] == "建筑占比低、倒塌"
    assert out["2"]["XZ_MU"] == pytest.approx(400 / (10000 / 15), abs=1e-4)
    assert out["2"]["FK_LX"] == "耕地"
    assert out["2"]["CZRK"] == 0 and out["4"]["CZRK"] is None or str(out["4"]["CZRK"]) == "NULL"
    # unmatched survey keys are reported with examples
    assert "2 of 4 household rows match no homestead parcel" in feedback.text()
    assert "77" in feedback.text() and "88" in feedback.text()
    villages = {f["CUN_DM"]: f for f in result["OUTPUT_VILLAGES"].getFeatures()}
    assert set(villages) == {"522701001001", "522701001002"}
    v1, v2 = villages["522701001001"], villages["522701001002"]
    assert (v1["ZJD_GS"], v1["XZ_GS"], v1["KXL_SL"], v1["KXL_MJ"]) == (2, 1, 50.0, 50.0)
    assert v1["CUN_MC"] == "一村" and v1["KXC"] == 1
    assert (v2["PM"], v1["PM"]) == (1, 2)                  # 100 % before 50 %
    assert v2["FK_GD_MU"] == pytest.approx(0.6, abs=1e-4)


def test_red_line_sends_an_idle_homestead_back_to_forest_or_grass(provider):
    red = memory_layer("Polygon?crs=EPSG:4545", [(rect(-5, 35, 25, 65), ())], "red")
    result = run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings(), "RED_LINE": red})
    out = by_key(result["OUTPUT"])
    # inside the red line: back to forest/grass, restoration (issue 15 item 10, REFERENCE §3;
    # was 不宜复垦)
    assert out["4"]["FK_LX"] == "林地/草地" and out["4"]["HX_MJ"] == pytest.approx(400.0)
    assert out["2"]["FK_LX"] == "耕地" and out["2"]["HX_MJ"] == pytest.approx(0.0)


def plane_dem(path, slope_deg):
    """A 2 m GeoTIFF over the hand-made parcels rising eastwards at slope_deg."""
    from osgeo import gdal, osr

    cols, rows, cell = 60, 60, 2.0
    z = np.tile(np.arange(cols) * cell * np.tan(np.radians(slope_deg)), (rows, 1)) + 1000.0
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((X0 - 20, cell, 0, Y0 + 80, 0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4545)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(z.astype(np.float32))
    ds = None
    return str(path)


@pytest.mark.parametrize("slope_deg, target", [(30.0, "林地/园地"), (20.0, "耕地")])
def test_dem_slope_decides_farmland_or_forest_garden(provider, tmp_path, slope_deg, target):
    dem = plane_dem(tmp_path / "dem.tif", slope_deg)
    out = by_key(run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings(), "DEM": dem})["OUTPUT"])
    for key in ("1", "2", "4"):
        assert out[key]["PD_MEAN"] == pytest.approx(slope_deg, abs=0.01)
    assert out["2"]["FK_LX"] == target and out["4"]["FK_LX"] == target
    assert out["1"]["FK_LX"] in ("", None) or str(out["1"]["FK_LX"]) == "NULL"


def test_buildings_in_another_crs_are_reprojected(provider):
    import processing

    wgs = processing.run("native:reprojectlayer", {
        "INPUT": hand_buildings(), "TARGET_CRS": "EPSG:4490", "OUTPUT": "memory:"})["OUTPUT"]
    out = by_key(run({"INPUT": hand_parcels(), "BUILDINGS": wgs})["OUTPUT"])
    assert out["1"]["JZ_MJ"] == pytest.approx(96.0, abs=0.01)
    assert out["2"]["JZ_MJ"] == pytest.approx(24.0, abs=0.01)


def test_building_points_are_a_clear_error(provider):
    points = memory_layer("Point?crs=EPSG:4545", [(QgsGeometry.fromWkt(f"POINT({X0 + 5} {Y0 + 5})"), ())])
    with pytest.raises(QgsProcessingException, match="polygons"):
        run({"INPUT": hand_parcels(), "BUILDINGS": points})
    lines = memory_layer("LineString?crs=EPSG:4545",
                         [(QgsGeometry.fromWkt(f"LINESTRING({X0} {Y0},{X0 + 5} {Y0 + 5})"), ())])
    with pytest.raises(QgsProcessingException, match="polygons"):
        run({"INPUT": hand_parcels(), "BUILDINGS": lines})


def test_empty_selection_gives_empty_outputs_with_schema(provider):
    feedback = Recorder()
    result = run({"INPUT": hand_parcels(), "HOMESTEAD_EXPRESSION": "\"DLBM\" = '9999'",
                  "BUILDINGS": hand_buildings()}, feedback)
    assert result["OUTPUT"].featureCount() == 0
    assert result["OUTPUT_VILLAGES"].featureCount() == 0
    assert {"JZ_MJ", "XZ", "XZ_YY", "XZ_MU", "FK_LX"} <= set(result["OUTPUT"].fields().names())
    assert {"CUN_DM", "KXL_MJ", "KXC", "PM"} <= set(result["OUTPUT_VILLAGES"].fields().names())
    assert "No parcel matches the homestead expression" in feedback.text()


def test_expression_on_a_missing_field_is_a_clear_error(provider):
    with pytest.raises(QgsProcessingException, match="DLBM_X"):
        run({"INPUT": hand_parcels(), "HOMESTEAD_EXPRESSION": "\"DLBM_X\" = '0702'"})


def test_invalid_footprint_repaired_and_counted(provider):
    bowtie = QgsGeometry.fromWkt(f"POLYGON(({X0 + 22} {Y0 + 2},{X0 + 26} {Y0 + 6},"
                                 f"{X0 + 26} {Y0 + 2},{X0 + 22} {Y0 + 6},{X0 + 22} {Y0 + 2}))")
    blds = memory_layer("Polygon?crs=EPSG:4545", [(bowtie, ())])
    feedback = Recorder()
    out = by_key(run({"INPUT": hand_parcels(), "BUILDINGS": blds}, feedback)["OUTPUT"])
    assert out["2"]["JZ_MJ"] == pytest.approx(8.0, abs=0.01)  # two 4 m² triangles
    assert "1 invalid polygon(s) repaired" in feedback.text()


def test_village_polygons_instead_of_codes(provider):
    cun = memory_layer("Polygon?crs=EPSG:4545&field=CUNDM:string&field=CUNMC:string",
                       [(rect(-10, -10, 70, 30), ("V-S", "南村")), (rect(-10, 30, 70, 70), ("V-N", "北村"))])
    result = run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings(), "VILLAGES": cun})
    villages = {f["CUN_DM"]: f for f in result["OUTPUT_VILLAGES"].getFeatures()}
    assert set(villages) == {"V-S", "V-N"} and villages["V-N"]["CUN_MC"] == "北村"
    assert villages["V-S"]["ZJD_GS"] == 2


def test_loaded_output_gets_aliases_and_a_style_by_reclamation_target(provider):
    from qgis.core import QgsProcessingContext

    from qn_landconsol_plugin.core import idle_homesteads as ih
    from qn_landconsol_plugin.qgis_io.styles import OutputStyle, homestead_renderer

    result = run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings()})
    layer, table = result["OUTPUT"], result["OUTPUT_VILLAGES"]
    OutputStyle(ih.HOMESTEAD_FIELDS, homestead_renderer, in_use_label="Not idle").postProcessLayer(
        layer, QgsProcessingContext(), Recorder())
    OutputStyle(ih.VILLAGE_FIELDS).postProcessLayer(table, QgsProcessingContext(), Recorder())
    assert layer.fields().field("XZ_YY").alias() == "闲置原因"
    assert layer.fields().field("FK_LX").alias() == "复垦方向"
    assert table.fields().field("KXL_MJ").alias() == "空心化率(面积,%)"
    renderer = layer.renderer()
    assert renderer.classAttribute() == "FK_LX"
    assert [c.value() for c in renderer.categories()] == ["", "耕地", "林地/园地", "林地/草地",
                                                          "不宜复垦"]


# ------------------------------------------------------------------ native reference

def native_building_area(parcels, buildings, key):
    """Σ area of (parcel ∩ buildings) dissolved per parcel, by QGIS native algorithms."""
    import processing

    fixed = processing.run("native:fixgeometries", {"INPUT": buildings, "OUTPUT": "memory:"})["OUTPUT"]
    pieces = processing.run("native:intersection", {
        "INPUT": parcels, "OVERLAY": fixed, "INPUT_FIELDS": [key], "OVERLAY_FIELDS": [],
        "OUTPUT": "memory:"})["OUTPUT"]
    merged = processing.run("native:dissolve", {"INPUT": pieces, "FIELD": [key],
                                                "OUTPUT": "memory:"})["OUTPUT"]
    area = {}
    for f in merged.getFeatures():
        area[f[key]] = area.get(f[key], 0.0) + f.geometry().area()
    return area


def assert_matches(ours, reference, key):
    checked = 0
    for f in ours.getFeatures():
        expected = reference.get(f[key], 0.0)
        assert f["JZ_MJ"] == pytest.approx(expected, abs=max(0.01, 1e-6 * expected)), f[key]
        checked += 1
    return checked


def test_sample_township_building_area_matches_native_chain(provider, township):
    import processing

    parcels = township_layer(township, "dltb")
    buildings = township_layer(township, "buildings")
    households = QgsVectorLayer(f"file://{township['households']}?delimiter=,", "hh", "delimitedtext")
    feedback = Recorder()
    result = run({"INPUT": parcels, "BUILDINGS": buildings, "BUILDING_STATUS_FIELD": "FWZT",
                  "HOUSEHOLDS": households, "HOUSEHOLD_KEY": "HH_BSM",
                  "RED_LINE": township_layer(township, "stbhhx")}, feedback)
    homesteads = processing.run("native:extractbyexpression", {
        "INPUT": parcels, "EXPRESSION": "\"DLBM\" = '0702'", "OUTPUT": "memory:"})["OUTPUT"]
    assert result["OUTPUT"].featureCount() == homesteads.featureCount() > 0
    reference = native_building_area(homesteads, buildings, "BSM")
    assert assert_matches(result["OUTPUT"], reference, "BSM") == homesteads.featureCount()
    # every idle parcel has a reason, every reason is one of the known ones
    from qn_landconsol_plugin.core.idle_homesteads import IDLE_REASONS
    for f in result["OUTPUT"].getFeatures():
        reasons = [r for r in str(f["XZ_YY"] or "").split("、") if r and r != "NULL"]
        assert bool(reasons) == (f["XZ"] == 1)
        assert set(reasons) <= set(IDLE_REASONS)
    # village table adds up to the parcels
    villages = list(result["OUTPUT_VILLAGES"].getFeatures())
    assert sum(v["ZJD_GS"] for v in villages) == homesteads.featureCount()
    assert sum(v["XZ_GS"] for v in villages) == sum(f["XZ"] for f in result["OUTPUT"].getFeatures())
    assert [v["PM"] for v in villages] == list(range(1, len(villages) + 1))


def test_real_swellendam_footprints_match_native_chain(provider):
    import processing

    farms = QgsVectorLayer(str(realdata("swellendam", "farms_33S.shp")), "farms", "ogr")
    buildings = QgsVectorLayer(str(realdata("swellendam", "buildings.gpkg")) + "|layername=buildings",
                               "buildings", "ogr")
    assert farms.isValid() and buildings.isValid()
    # a memory copy of the farms, every farm a homestead (DLBM 0702), key = feature id
    fixed = processing.run("native:fixgeometries", {"INPUT": farms, "OUTPUT": "memory:"})["OUTPUT"]
    copy = memory_layer("Polygon?crs=EPSG:32733&field=BSM:string&field=DLBM:string",
                        [(f.geometry(), (str(f.id()), "0702")) for f in fixed.getFeatures()], "farms")
    QgsProject.instance().addMapLayer(copy, False)
    result = run({"INPUT": copy, "BUILDINGS": buildings})
    assert result["OUTPUT"].featureCount() == copy.featureCount()
    reproj = processing.run("native:reprojectlayer", {"INPUT": buildings, "TARGET_CRS": "EPSG:32733",
                                                      "OUTPUT": "memory:"})["OUTPUT"]
    reference = native_building_area(copy, reproj, "BSM")
    assert sum(reference.values()) > 100_000   # the footprints really fall on the farms
    assert assert_matches(result["OUTPUT"], reference, "BSM") == copy.featureCount()
    QgsProject.instance().removeMapLayer(copy.id())


def test_runs_headless_through_qgis_process(provider, township, tmp_path):
    """The README recipe (tools/qgis_process.sh) gives the same homesteads as in-process."""
    import json

    from osgeo import ogr

    from .conftest import qgis_process

    out, table = tmp_path / "homesteads.gpkg", tmp_path / "villages.csv"
    proc = qgis_process(
        "run", "qnlandconsol:idlehomesteads", "--json", "--",
         f"INPUT={township['gpkg']}|layername=dltb", f"BUILDINGS={township['gpkg']}|layername=buildings",
         "BUILDING_STATUS_FIELD=FWZT", f"HOUSEHOLDS={township['households']}",
        f"DEM={township['dem']}", f"OUTPUT={out}", f"OUTPUT_VILLAGES={table}", check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["OUTPUT"] == str(out)
    dataset = ogr.Open(str(out))  # keep the dataset alive while its layer is read
    headless = {f.GetField("BSM"): (f.GetField("JZ_MJ"), f.GetField("XZ"))
                for f in dataset.GetLayer(0)}
    inproc = run({"INPUT": township_layer(township, "dltb"),
                  "BUILDINGS": township_layer(township, "buildings"),
                  "BUILDING_STATUS_FIELD": "FWZT",
                  "HOUSEHOLDS": QgsVectorLayer(township["households"], "hh", "ogr"),
                  "DEM": township["dem"]})
    expected = {f["BSM"]: (round(f["JZ_MJ"], 2), f["XZ"]) for f in inproc["OUTPUT"].getFeatures()}
    assert headless == expected and len(expected) > 0
    assert table.read_text(encoding="utf-8").startswith("PM,CUN_DM,CUN_MC")


def test_repeated_runs_are_independent(provider):
    """Batch mode runs one fresh instance per row: results must not leak between runs."""
    first = by_key(run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings(),
                        "HOMESTEAD_EXPRESSION": "\"BSM\" = '4'"})["OUTPUT"])
    second = by_key(run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings()})["OUTPUT"])
    assert sorted(first) == ["4"] and sorted(second) == ["1", "2", "4"]
    assert first["4"]["JZ_MJ"] == pytest.approx(second["4"]["JZ_MJ"])


def hand_zongdi():
    """Five 宅基地宗地: two in parcel A, one filling B, one filling D, one in no parcel."""
    uri = "Polygon?crs=EPSG:4545&field=ZDDM:string&field=QLR:string"
    return memory_layer(uri, [
        (rect(0, 0, 10, 20), ("522701001001JC00001", "甲")),
        (rect(10, 0, 20, 20), ("522701001001JC00002", "乙")),
        (rect(20, 0, 40, 20), ("522701001001JC00003", "丙")),
        (rect(0, 40, 20, 60), ("522701001002JC00004", "丁")),
        (rect(100, 100, 110, 110), ("522701001002JC00005", "戊")),
    ], "zongdi")


def test_homesteads_judged_and_counted_per_zongdi_with_households_keyed_by_zddm(provider):
    households = memory_layer(
        "None?field=ZDDM:string&field=CZRK:integer&field=NYDL:double",
        [(None, ("522701001001JC00001", 3, 900.0)), (None, ("522701001001JC00002", 0, 40.0)),
         (None, ("X", 2, 10.0))], "households")
    feedback = Recorder()
    result = run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings(),
                  "BUILDING_STATUS_FIELD": "FWZT", "ZONGDI": hand_zongdi(),
                  "HOUSEHOLDS": households, "HOUSEHOLD_KEY": "ZDDM"}, feedback)
    out = by_key(result["OUTPUT"], "ZDDM")
    # the 宗地 outside every homestead parcel is left out, and said so
    assert set(out) == {"522701001001JC0000" + k for k in "123"} | {"522701001002JC00004"}
    assert "1 of 5 宗地 lie in no homestead parcel" in feedback.text()
    z1, z2, z3, z4 = (out[k] for k in sorted(out))
    # building area by hand: Z1 holds 8×8 + 4×6 − 4×4 = 72 m² of the two overlapping
    # footprints, Z2 2×6 of the second and 2×6 of the straddling one = 24 m², Z3 4×6 = 24 m²
    assert (z1["JZ_MJ"], z2["JZ_MJ"], z3["JZ_MJ"], z4["JZ_MJ"]) == \
        pytest.approx((72.0, 24.0, 24.0, 1.0))
    # Z1: 36 % cover, 3 residents: in use; Z2: 12 % cover but nobody lives there and 40 kWh
    assert z1["XZ"] == 0
    assert z2["XZ"] == 1 and z2["XZ_YY"] == "无常住人口、用电量低"
    assert z3["XZ"] == 1 and z3["XZ_YY"] == "建筑占比低、危房"
    assert z4["XZ"] == 1 and z4["XZ_YY"] == "建筑占比低、倒塌"
    assert z2["CZRK"] == 0 and z1["CZRK"] == 3
    assert "1 of 3 household rows match no homestead 宗地" in feedback.text()
    # the village table counts 宗 and says so: 一村 3 宗, 2 idle; 二村 1 宗, idle
    villages = {f["CUN_DM"]: f for f in result["OUTPUT_VILLAGES"].getFeatures()}
    v1, v2 = villages["522701001001"], villages["522701001002"]
    assert (v1["ZJD_GS"], v1["XZ_GS"]) == (2 + 1, 2)
    assert v1["KXL_SL"] == pytest.approx(100 * 2 / 3)
    assert v1["KXL_MJ"] == pytest.approx(100 * 600 / 800, rel=1e-3)     # ellipsoidal m²
    assert (v2["ZJD_GS"], v2["XZ_GS"], v2["KXL_SL"]) == (1, 1, 100.0)
    assert v1["TJDW"] == "宗地"
    assert "homestead 宗地, 3 idle" in feedback.text()


def test_without_zongdi_the_log_and_the_village_table_say_per_tuban(provider):
    feedback = Recorder()
    result = run({"INPUT": hand_parcels(), "BUILDINGS": hand_buildings()}, feedback)
    assert {f["TJDW"] for f in result["OUTPUT_VILLAGES"].getFeatures()} == {"图斑"}
    assert "homestead parcels (图斑, not households" in feedback.text()


def test_the_potential_survey_keys_the_household_table_by_zddm_through_the_zongdi(provider):
    import processing

    # nobody lives on 宗地 3 (parcel B); 3 people on 宗地 1 and none on 宗地 2 (parcel A)
    households = memory_layer(
        "None?field=ZDDM:string&field=CZRK:integer",
        [(None, ("522701001001JC00001", 3)), (None, ("522701001001JC00002", 0)),
         (None, ("522701001001JC00003", 0))], "households")
    params = {"INPUT": hand_parcels(), "HOUSEHOLDS": households, "HOUSEHOLD_KEY": "ZDDM",
              "OUTPUT": "memory:", "CONTIGUITY": False, "OUTPUT_XLSX": "", "OUTPUT_REPORT": ""}
    feedback = Recorder()
    out = processing.run("qnlandconsol:potentialsurvey", {**params, "ZONGDI": hand_zongdi()},
                         feedback=feedback)
    types = {f["BSM"]: f["QL_LX"] for f in out["OUTPUT"].getFeatures()}
    # A: 3 + 0 residents over its two 宗地, lived in; B: nobody; D: no survey row, unknown
    assert types["2"] == "宅基地复垦"
    assert types["1"] in (None, "") or str(types["1"]) == "NULL"
    assert types["4"] in (None, "") or str(types["4"]) == "NULL"
    assert "3 of 3 household rows reach a parcel through their 宗地" in feedback.text()
    # keyed by ZDDM without the 宗地 layer, no row joins a parcel (BSM): nothing is idle
    out = processing.run("qnlandconsol:potentialsurvey", {**params, "PARCEL_KEY": "BSM"})
    assert not any(f["QL_LX"] == "宅基地复垦" for f in out["OUTPUT"].getFeatures())
