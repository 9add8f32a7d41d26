"""qnlandconsol:controllinecheck with real QGIS: areas equal native:calculatevectoroverlaps
on hand-made edge cases, the sample township and real Swellendam data; levels, pieces,
report, bad input."""
import re

import pytest
from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

from ..conftest import realdata
from .conftest import Recorder, township_layer

ARROW = "GDAL's Arrow stream"   # the log line of the fast read

AREA_FIELDS = ("HX_MJ", "JBNT_MJ", "KFBJ_MJ")

# hand-made cases (EPSG:4545 metres): name, parcel WKT, hand-computed m² in the red line
CASES = [
    ("fully inside", "POLYGON((10 10,20 10,20 20,10 20,10 10))", 100.0),
    ("fully outside", "POLYGON((200 200,210 200,210 210,200 210,200 200))", 0.0),
    ("touching along an edge", "POLYGON((150 0,160 0,160 10,150 10,150 0))", 0.0),
    ("crossing the boundary", "POLYGON((90 90,110 90,110 110,90 110,90 90))", 200.0),
    ("where zone polygons overlap", "POLYGON((60 10,70 10,70 20,60 20,60 10))", 100.0),
    ("multipart", "MULTIPOLYGON(((10 30,20 30,20 40,10 40,10 30)),((140 30,160 30,160 40,140 40,140 30)))",
     200.0),
    ("parcel with a hole", "POLYGON((-20 -20,40 -20,40 40,-20 40,-20 -20),(10 10,10 20,20 20,20 10,10 10))",
     1500.0),
    ("zone with a hole", "POLYGON((320 20,380 20,380 80,320 80,320 20))", 2000.0),
    ("inside the zone's hole", "POLYGON((340 40,360 40,360 60,340 60,340 40))", 0.0),
]
RED_LINE = ["POLYGON((0 0,100 0,100 100,0 100,0 0))", "POLYGON((50 0,150 0,150 100,50 100,50 0))",
            "POLYGON((300 0,400 0,400 100,300 100,300 0),(330 30,330 70,370 70,370 30,330 30))"]
X0, Y0 = 440000.0, 2926000.0   # move the cases into zone 36 so that reprojection is meaningful


def memory_layer(wkts, name, fields="", crs="EPSG:4545", attrs=None, shift=True):
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs}{fields}", name, "memory")
    features = []
    for i, wkt in enumerate(wkts):
        feature = QgsFeature(layer.fields())
        geom = QgsGeometry.fromWkt(wkt)
        if shift:
            geom.translate(X0, Y0)
        feature.setGeometry(geom)
        if attrs:
            feature.setAttributes(list(attrs[i]))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


def native_overlaps(parcels, layers):
    import processing

    out = processing.run("native:calculatevectoroverlaps",
                         {"INPUT": parcels, "LAYERS": layers, "OUTPUT": "memory:"})["OUTPUT"]
    return [f for f in out.getFeatures()]


def run_check(**params):
    import processing

    params.setdefault("OUTPUT", "memory:")
    params.setdefault("OUTPUT_OVERLAPS", "memory:")
    params.setdefault("OUTPUT_REPORT", None)
    feedback = params.pop("feedback", QgsProcessingFeedback())
    return processing.run("qnlandconsol:controllinecheck", params, feedback=feedback)


def assert_close(ours, native, what=""):
    tol = max(0.01, 1e-6 * abs(native))
    assert abs(ours - native) <= tol, f"{what}: ours {ours!r} native {native!r}"


def test_hand_made_cases_equal_hand_values_and_native_overlaps(provider):
    parcels = memory_layer([c[1] for c in CASES], "parcels")
    red = memory_layer(RED_LINE, "hx")
    result = run_check(INPUT=parcels, RED_LINE=red)
    ours = [f["HX_MJ"] for f in result["OUTPUT"].getFeatures()]
    native = [f["hx_area"] for f in native_overlaps(parcels, [red])]
    for (name, _, expected), o, n in zip(CASES, ours, native):
        assert o == pytest.approx(expected, abs=1e-6), name
        assert_close(o, n, name)
    shares = [f["HX_BL"] for f in result["OUTPUT"].getFeatures()]
    assert shares[3] == pytest.approx(50.0) and shares[0] == pytest.approx(100.0)
    # lines that were not given were not checked: NULL, not 0
    first = next(result["OUTPUT"].getFeatures())
    assert first["JBNT_MJ"] is None and first["KFBJ_BL"] is None and first["CT_SL"] == 0


def test_self_intersecting_red_line_is_repaired_not_fatal(provider):
    # a bow-tie (two triangles of 2,500 m²) with a duplicated vertex
    bowtie = "POLYGON((500 0,600 100,600 100,600 0,500 100,500 0))"
    parcels = memory_layer(["POLYGON((500 0,600 0,600 100,500 100,500 0))",
                            "POLYGON((540 40,560 40,560 60,540 60,540 40))"], "parcels")
    feedback = Recorder()
    result = run_check(INPUT=parcels, RED_LINE=memory_layer([bowtie], "hx"), feedback=feedback)
    areas = [f["HX_MJ"] for f in result["OUTPUT"].getFeatures()]
    assert areas == pytest.approx([5000.0, 200.0])
    assert any("repaired" in w for w in feedback.warnings)


def test_temporary_outputs_keep_every_alias_without_a_warning(provider):
    """Memory outputs drop field aliases (QGIS 3.40+ warns once per field): the parcel
    output keeps the input's aliases and both outputs the Chinese ones, as layer aliases."""
    parcels = memory_layer(["POLYGON((10 10,20 10,20 20,10 20,10 10))"], "parcels",
                           "&field=DLBM:string(5)", attrs=[("0103",)])
    parcels.setFieldAlias(0, "地类编码")
    feedback = Recorder()
    result = run_check(INPUT=parcels, RED_LINE=memory_layer(RED_LINE, "hx"), feedback=feedback)
    out, pieces = result["OUTPUT"], result["OUTPUT_OVERLAPS"]
    assert out.attributeAlias(out.fields().lookupField("DLBM")) == "地类编码"
    assert out.attributeAlias(out.fields().lookupField("HX_MJ")) == "生态保护红线内面积（平方米）"
    assert pieces.attributeAlias(pieces.fields().lookupField("CD_MJ")) == "重叠面积（平方米）"
    assert [w for w in feedback.warnings if "alias" in w.lower()] == []


def test_red_line_in_another_crs_is_reprojected(provider):
    parcels = memory_layer([c[1] for c in CASES], "parcels")
    red = memory_layer(RED_LINE, "hx")
    # the same red line in geographic CGCS2000
    geo = QgsVectorLayer("MultiPolygon?crs=EPSG:4490", "hx_geo", "memory")
    transform = QgsCoordinateTransform(red.crs(), geo.crs(), QgsProject.instance())
    features = []
    for f in red.getFeatures():
        g = QgsGeometry(f.geometry())
        g.densifyByCount(20)    # keep the reprojected edges close to the straight ones
        g.transform(transform)
        out = QgsFeature(geo.fields())
        out.setGeometry(g)
        features.append(out)
    geo.dataProvider().addFeatures(features)
    ours = [f["HX_MJ"] for f in run_check(INPUT=parcels, RED_LINE=geo)["OUTPUT"].getFeatures()]
    native = [f["hx_geo_area"] for f in native_overlaps(parcels, [geo])]
    for (name, _, expected), o, n in zip(CASES, ours, native):
        assert_close(o, n, name)
        assert o == pytest.approx(expected, abs=0.05), name


def test_empty_red_line_gives_zeros_and_a_warning(provider):
    parcels = memory_layer([c[1] for c in CASES], "parcels")
    feedback = Recorder()
    result = run_check(INPUT=parcels, RED_LINE=memory_layer([], "hx"), feedback=feedback)
    assert [f["HX_MJ"] for f in result["OUTPUT"].getFeatures()] == [0.0] * len(CASES)
    assert [f["CT_DJ"] for f in result["OUTPUT"].getFeatures()] == [0] * len(CASES)
    assert any("no polygons" in w for w in feedback.warnings)
    assert result["OUTPUT_OVERLAPS"].featureCount() == 0


def test_levels_from_task_fields_and_land_class(provider):
    wkts = ["POLYGON((10 10,20 10,20 20,10 20,10 10))"] * 5
    attrs = [("0702", "JSYD", "JSYD01"), ("0301", "STXF", "STXF02"), ("1206", "NYD", "NYD03"),
             ("0103", None, None), ("0301", None, None)]
    parcels = memory_layer(wkts, "parcels", "&field=DLBM:string&field=ZZLX:string&field=ZZZLX:string",
                           attrs=attrs)
    out = run_check(INPUT=parcels, RED_LINE=memory_layer(RED_LINE, "hx"))["OUTPUT"]
    rows = [(f["CT_DJ"], f["CT_SM"]) for f in out.getFeatures()]
    assert rows == [(2, "建设用地整理（复垦为耕地）位于生态保护红线内"),
                    (0, "生态保护修复位于生态保护红线内（允许）"),
                    (2, "宜耕后备资源开发位于生态保护红线内"),
                    (1, "现状耕地位于生态保护红线内（有序退出）"),
                    (0, None)]
    # TASK_FIELD picks another field; without any task field the land class alone decides
    parcels2 = memory_layer(wkts[:2], "p2", "&field=DLBM:string&field=RW:string",
                            attrs=[("0702", "JSYD01"), ("0103", "")])
    out = run_check(INPUT=parcels2, RED_LINE=memory_layer(RED_LINE, "hx"), TASK_FIELD="RW")["OUTPUT"]
    assert [f["CT_DJ"] for f in out.getFeatures()] == [2, 1]
    parcels3 = memory_layer(wkts[:2], "p3", "&field=DLBM:string", attrs=[("0702",), ("0103",)])
    out = run_check(INPUT=parcels3, RED_LINE=memory_layer(RED_LINE, "hx"))["OUTPUT"]
    assert [f["CT_DJ"] for f in out.getFeatures()] == [1, 1]


def test_slivers_below_min_area_are_flagged_not_conflicts(provider):
    parcels = memory_layer(["POLYGON((149.5 10,160 10,160 20,149.5 20,149.5 10))"], "p",
                           "&field=DLBM:string&field=ZZLX:string", attrs=[("0702", "JSYD")])
    red = memory_layer(RED_LINE, "hx")
    f = next(run_check(INPUT=parcels, RED_LINE=red)["OUTPUT"].getFeatures())
    assert f["HX_MJ"] == pytest.approx(5.0)
    assert (f["CT_DJ"], f["CT_SL"]) == (2, 0)
    f = next(run_check(INPUT=parcels, RED_LINE=red, MIN_AREA=10)["OUTPUT"].getFeatures())
    assert (f["CT_DJ"], f["CT_SL"]) == (0, 1)


def test_sample_township_equals_native_overlaps_on_every_parcel(provider, township, tmp_path):
    parcels = township_layer(township, "dltb")
    zones = [township_layer(township, n) for n in ("stbhhx", "yjjbnt", "czkfbj")]
    report = tmp_path / "report.html"
    result = run_check(INPUT=parcels, RED_LINE=zones[0], PBF=zones[1], UDB=zones[2],
                       OUTPUT_REPORT=str(report))
    ours = list(result["OUTPUT"].getFeatures())
    native = native_overlaps(parcels, zones)
    assert len(ours) == len(native) == parcels.featureCount()
    inside = 0
    for o, n in zip(ours, native):
        for field, zone in zip(AREA_FIELDS, zones):
            assert_close(o[field], n[f"{zone.name()}_area"], f"{field} of {o['BSM']}")
        inside += o["HX_MJ"] > 0
    assert inside > 20     # the red line does cross the township

    # the overlap pieces add up to the parcel areas, and their geometry is the overlap
    sums = {}
    for p in result["OUTPUT_OVERLAPS"].getFeatures():
        sums[(p["TB_XH"], p["KZX"])] = p["CD_MJ"]
        assert p.geometry().area() == pytest.approx(p["CD_MJ"], rel=1e-9, abs=1e-6)
    for i, o in enumerate(ours, start=1):
        for key in ("HX", "JBNT", "KFBJ"):
            assert sums.get((i, key), 0.0) == pytest.approx(o[f"{key}_MJ"], abs=1e-6)

    # the report counts what the layer says
    html = report.read_text(encoding="utf-8")
    levels = [o["CT_DJ"] for o in ours]
    row = re.search(r"<td>需关注</td><td class=\"num\">([\d,]+)</td>", html)
    assert int(row.group(1).replace(",", "")) == levels.count(1)
    assert "data:image/png;base64," in html and "三区三线冲突检查报告" in html


def test_swellendam_real_farms_equal_native_overlaps(provider, tmp_path):
    import processing

    farms = QgsVectorLayer(str(realdata("swellendam", "farms_33S.shp")), "farms", "ogr")
    protected = QgsVectorLayer(str(realdata("swellendam", "protected_areas.shp")), "pa", "ogr")
    assert farms.isValid() and protected.isValid()
    invalid = sum(not f.geometry().isGeosValid() for f in farms.getFeatures())
    assert invalid > 5          # the real data does hold self-intersecting rings
    feedback = Recorder()
    ours = list(run_check(INPUT=farms, RED_LINE=protected, feedback=feedback)["OUTPUT"].getFeatures())
    assert any("repaired" in w for w in feedback.warnings)
    # native cannot read invalid rings: it runs on the fixed farms (same features, same order)
    fixed = processing.run("native:fixgeometries", {"INPUT": farms, "OUTPUT": "memory:"})["OUTPUT"]
    fixed.setName("farms")
    native = native_overlaps(fixed, [protected])
    assert len(ours) == len(native) == farms.featureCount()
    touched = 0
    for o, n, f in zip(ours, native, farms.getFeatures()):
        if f.geometry().isGeosValid():
            assert_close(o["HX_MJ"], n["pa_area"], f"farm {f.id()}")
        else:  # repaired by two make-valid implementations: same area to 0.1 %
            assert o["HX_MJ"] == pytest.approx(n["pa_area"], rel=1e-3, abs=0.01)
        touched += o["HX_MJ"] > 0
    assert touched > 50


def test_ogr_fast_reader_equals_the_qgis_reader(provider, township):
    import numpy as np
    import shapely
    from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource

    from qn_landconsol_plugin.qgis_io import parcels as parcel_io

    context = QgsProcessingContext()
    layers = [township_layer(township, "dltb"),
              QgsVectorLayer(str(realdata("swellendam", "farms_33S.shp")), "farms", "ogr")]
    names = ["DLBM", "ZLDWMC", "BSM", "FARM_NAME", "NOPE"]
    for layer in layers:
        source = QgsProcessingFeatureSource(layer, context)
        feedback = Recorder()
        fast = parcel_io.read_parcels(source, context, feedback, "x", layer.crs(),
                                      attributes=names, layer=layer)
        assert ARROW in feedback.text()
        slow = parcel_io.read_parcels(source, context, feedback, "x", layer.crs(), attributes=names)
        assert len(fast.geoms) == len(slow.geoms) == layer.featureCount()
        # same rings in the same order (QGIS promotes shapefile polygons to multipolygons)
        np.testing.assert_array_equal(shapely.get_coordinates(fast.geoms),
                                      shapely.get_coordinates(slow.geoms))
        np.testing.assert_array_equal(shapely.area(fast.geoms), shapely.area(slow.geoms))
        assert fast.table.fillna("").astype(str).equals(slow.table.fillna("").astype(str))
        assert fast.repaired == slow.repaired
        np.testing.assert_array_equal(fast.fids, slow.fids)
    # a filtered layer or a memory layer is not a plain file read: the fast path steps aside
    layers[0].setSubsetString("\"DLBM\" = '0103'")
    memory = memory_layer(RED_LINE, "m")
    for layer in (layers[0], memory):
        feedback = Recorder()
        parcel_io.read_parcels(QgsProcessingFeatureSource(layer, context), context, feedback,
                               "x", layer.crs(), layer=layer)
        assert ARROW not in feedback.text()


def test_selected_features_only(provider, township):
    from qgis.core import QgsProcessingFeatureSourceDefinition

    parcels = township_layer(township, "dltb")
    QgsProject.instance().addMapLayer(parcels)
    try:
        red = township_layer(township, "stbhhx")
        everything = run_check(INPUT=parcels, RED_LINE=red)["OUTPUT"]
        all_areas = {f["BSM"]: f["HX_MJ"] for f in everything.getFeatures()}
        parcels.selectByIds([f.id() for f in parcels.getFeatures()][:40])
        selection = QgsProcessingFeatureSourceDefinition(parcels.id(), True)
        out = run_check(INPUT=selection, RED_LINE=red)["OUTPUT"]
        got = {f["BSM"]: f["HX_MJ"] for f in out.getFeatures()}
        assert len(got) == 40
        assert all(got[k] == pytest.approx(all_areas[k], abs=1e-9) for k in got)
    finally:
        QgsProject.instance().removeMapLayer(parcels.id())


def test_ogr_fast_reader_reads_geometries_of_equal_size(provider, tmp_path):
    """GDAL hands equal-size geometries over as fixed-size binary (numpy void / bytes that
    lose their trailing NUL bytes, e.g. a last coordinate 0.0): still the same polygons."""
    import shapely
    from osgeo import ogr, osr
    from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource

    from qn_landconsol_plugin.qgis_io import parcels as parcel_io

    path = str(tmp_path / "boxes.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4545)
    lyr = ds.CreateLayer("boxes", srs, ogr.wkbPolygon)
    boxes = [shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)]
    for geom in boxes:
        feature = ogr.Feature(lyr.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(geom)))
        lyr.CreateFeature(feature)
    ds = None
    layer = QgsVectorLayer(f"{path}|layername=boxes", "boxes", "ogr")
    context = QgsProcessingContext()
    feedback = Recorder()
    fast = parcel_io.read_parcels(QgsProcessingFeatureSource(layer, context), context, feedback,
                                  "boxes", layer.crs(), layer=layer)
    assert ARROW in feedback.text()
    assert [g.equals(b) for g, b in zip(fast.geoms, boxes)] == [True, True]
