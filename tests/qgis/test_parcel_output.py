"""The parcel output of slopefarmland, controllinecheck, farmlandcontiguity and
potentialsurvey into a .gpkg file, from a GeoPackage input, is made inside SQLite
(parcel_io.write_parcels → gpkg_output); it must equal the QGIS sink's output (same
features, attributes, geometries), keep the input's fids, carry a working spatial
index, and step aside whenever the file on disk is not what the algorithm reads
(a selection, a subset, unsaved edits)."""
import sqlite3

import pytest
from osgeo import ogr
from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsField,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsVectorLayer,
)
from qn_landconsol_plugin.qgis_io import compat

from .conftest import Recorder, township_layer

FAST = "straight from the input GeoPackage"


def _params(alg, township, tmp_path, output):
    params = {"INPUT": f"{township['gpkg']}|layername=dltb", "OUTPUT": output}
    if alg == "slopefarmland":
        params.update(DEM=township["dem"], OUTPUT_VILLAGES="memory:")
    elif alg == "controllinecheck":
        params.update(RED_LINE=f"{township['gpkg']}|layername=stbhhx",
                      PBF=f"{township['gpkg']}|layername=yjjbnt", OUTPUT_OVERLAPS="memory:",
                      OUTPUT_REPORT=str(tmp_path / "r.html"))
    elif alg == "farmlandcontiguity":
        params.update(OUTPUT_BLOCKS="memory:", OUTPUT_SUMMARY="memory:")
    elif alg == "potentialsurvey":
        params.update(DEM=township["dem"], OUTPUT_SUMMARY="memory:", OUTPUT_CHECKS="memory:",
                      OUTPUT_XLSX=str(tmp_path / "p.xlsx"),
                      OUTPUT_REPORT=str(tmp_path / "p.html"))
    return params


def _run(alg, params):
    import processing

    feedback = Recorder()
    out = processing.run(f"qnlandconsol:{alg}", params, feedback=feedback)
    layer = out["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "out", "ogr")
    assert layer.isValid()
    return layer, feedback


def _rows(layer):
    names = [f.name() for f in layer.fields() if f.name().lower() != "fid"]
    return {f["BSM"]: ({n: f[n] for n in names}, f.geometry().asWkb().data())
            for f in layer.getFeatures()}


def _schema(path):
    """(layer name, [(field, OGR type, width)], FID column, geometry column, extent) of a
    one-layer GeoPackage, as GDAL sees it."""
    ds = ogr.Open(str(path))
    assert ds.GetLayerCount() == 1
    layer = ds.GetLayer(0)
    defn = layer.GetLayerDefn()
    fields = [(defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetTypeName(),
               defn.GetFieldDefn(i).GetWidth()) for i in range(defn.GetFieldCount())]
    return (layer.GetName(), fields, layer.GetFIDColumn(), layer.GetGeometryColumn(),
            layer.GetExtent())


@pytest.mark.parametrize("alg", ["slopefarmland", "controllinecheck", "farmlandcontiguity",
                                 "potentialsurvey"])
def test_gpkg_output_equals_the_sink_output(provider, township, tmp_path, alg):
    """The same .gpkg destination, written once by the SQLite copy and once by the QGIS
    sink (the input given with a no-op subset, which sends it through QGIS)."""
    src = township_layer(township, "dltb")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    name = "坡耕地.v2.gpkg"          # Chinese, and a dot: the layer is named up to it
    # as the Processing dialog passes it: an output definition with a file encoding
    dest = QgsProcessingOutputLayerDefinition(str(tmp_path / "a" / name))
    dest.createOptions = {"fileEncoding": "System"}
    fast, feedback = _run(alg, _params(alg, township, tmp_path, dest))
    assert FAST in feedback.text()
    params = _params(alg, township, tmp_path, str(tmp_path / "b" / name))
    params["INPUT"] = QgsVectorLayer(f"{township['gpkg']}|layername=dltb|subset=1 = 1", "all",
                                     "ogr")
    slow, feedback = _run(alg, params)
    assert FAST not in feedback.text()
    assert [f.name() for f in fast.fields()] == [f.name() for f in slow.fields()]
    assert _rows(fast) == _rows(slow)
    a, b = _schema(tmp_path / "a" / name), _schema(tmp_path / "b" / name)
    assert a[:4] == b[:4] and a[0] == "坡耕地"
    assert a[4] == pytest.approx(b[4], abs=0.5)     # the R-tree's float32 boxes
    # the input's feature ids, and a spatial index GDAL and SQLite agree with
    assert {f.id(): f["BSM"] for f in fast.getFeatures()} == \
        {f.id(): f["BSM"] for f in src.getFeatures()}
    assert fast.hasSpatialIndex() == compat.SpatialIndexPresence.Present
    box = src.extent().buffered(-src.extent().width() / 3)
    request = QgsFeatureRequest().setFilterRect(box)
    assert {f.id() for f in fast.getFeatures(request)} == {f.id() for f in src.getFeatures(request)}
    con = sqlite3.connect(str(tmp_path / "a" / name))
    assert con.execute("SELECT rtreecheck('rtree_坡耕地_geom')").fetchone()[0] == "ok"
    con.close()


def test_an_existing_file_is_replaced(provider, township, tmp_path):
    target = tmp_path / "out.gpkg"
    for _ in range(2):      # the second run replaces the first run's file
        layer, feedback = _run("slopefarmland",
                               _params("slopefarmland", township, tmp_path, str(target)))
        assert FAST in feedback.text()
    assert layer.featureCount() == township_layer(township, "dltb").featureCount()
    assert QgsVectorLayer(str(target)).dataProvider().subLayerCount() == 1


def _farmland_ids(layer, n):
    return [f.id() for f in layer.getFeatures() if f["DLBM"] in ("0101", "0102", "0103")][:n]


def test_selection_subset_edits_crs_and_virtual_fields_go_through_qgis(provider, township, tmp_path):
    # a selection: only the selected parcels
    layer = township_layer(township, "dltb")
    QgsProject.instance().addMapLayer(layer)
    try:
        chosen = _farmland_ids(layer, 5)
        layer.selectByIds(chosen)
        params = _params("slopefarmland", township, tmp_path, str(tmp_path / "sel.gpkg"))
        params["INPUT"] = QgsProcessingFeatureSourceDefinition(layer.id(), True)
        out, feedback = _run("slopefarmland", params)
        assert FAST not in feedback.text()
        assert out.featureCount() == 5

        # unsaved edits: the edit buffer, not the file, is the input
        layer.removeSelection()
        edited = chosen[0]
        layer.startEditing()
        layer.changeAttributeValue(edited, layer.fields().indexOf("DLBM"), "0301")
        params["INPUT"] = layer.id()
        params["OUTPUT"] = str(tmp_path / "edit.gpkg")
        out, feedback = _run("slopefarmland", params)
        assert FAST not in feedback.text()
        bsm = layer.getFeature(edited)["BSM"]
        row = next(f for f in out.getFeatures() if f["BSM"] == bsm)
        assert row["DLBM"] == "0301" and row["GD_MU"] == 0 and row["PGD_LY"] == NULL
        assert out.featureCount() == layer.featureCount()
        layer.rollBack()
    finally:
        QgsProject.instance().removeMapLayer(layer.id())

    # a CRS set in QGIS over the file's: the output carries the layer's CRS
    other = township_layer(township, "dltb")
    other.setCrs(QgsCoordinateReferenceSystem("EPSG:4546"))
    params = _params("slopefarmland", township, tmp_path, str(tmp_path / "crs.gpkg"))
    params.update(INPUT=other, DEM=None)
    out, feedback = _run("slopefarmland", params)
    assert FAST not in feedback.text()
    assert out.crs().authid() == "EPSG:4546"

    # a virtual field: written like every other field
    virtual = township_layer(township, "dltb")
    virtual.addExpressionField('"TBMJ" * 2', QgsField("TBMJ2", compat.FieldType.Double))
    params = _params("slopefarmland", township, tmp_path, str(tmp_path / "virtual.gpkg"))
    params["INPUT"] = virtual
    out, feedback = _run("slopefarmland", params)
    assert FAST not in feedback.text()
    assert all(f["TBMJ2"] == pytest.approx(2 * f["TBMJ"]) for f in out.getFeatures())

    # a subset string: only the parcels it keeps
    subset = QgsVectorLayer(f"{township['gpkg']}|layername=dltb|subset=\"DLBM\" = '0103'",
                            "subset", "ogr")
    assert subset.isValid()
    params = _params("slopefarmland", township, tmp_path, str(tmp_path / "sub.gpkg"))
    params["INPUT"] = subset
    out, feedback = _run("slopefarmland", params)
    assert FAST not in feedback.text()
    assert out.featureCount() == subset.featureCount() > 0
    assert {f["DLBM"] for f in out.getFeatures()} == {"0103"}


def test_loaded_on_completion_with_its_style(provider, township, tmp_path):
    """As the toolbox runs it: the fast-path file is loaded into the project afterwards,
    styled by the algorithm's post-processor, with the Chinese aliases."""
    import processing
    from qgis.core import QgsCategorizedSymbolRenderer

    target = tmp_path / "loaded.gpkg"
    feedback = Recorder()
    before = set(QgsProject.instance().mapLayers())
    processing.runAndLoadResults("qnlandconsol:slopefarmland", _params(
        "slopefarmland", township, tmp_path, str(target)), feedback=feedback)
    assert FAST in feedback.text()
    added = [layer for key, layer in QgsProject.instance().mapLayers().items()
             if key not in before and layer.source().startswith(str(target))]
    try:
        assert len(added) == 1
        layer = added[0]
        assert layer.featureCount() == township_layer(township, "dltb").featureCount()
        assert isinstance(layer.renderer(), QgsCategorizedSymbolRenderer)
        assert layer.attributeDisplayName(layer.fields().indexOf("PD_MEAN")) == "平均坡度(度)"
    finally:
        QgsProject.instance().removeMapLayers(
            [key for key in QgsProject.instance().mapLayers() if key not in before])
