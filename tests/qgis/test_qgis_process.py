"""The README's headless recipe: tools/qgis_process.sh (qgis_process.bin with the plugin path,
the venv's packages and offscreen Qt) enables the plugin, lists and runs its algorithms."""
import json

from osgeo import gdal, ogr

from .conftest import qgis_process


def test_plugin_enables_and_lists_its_provider():
    listing = qgis_process("list").stdout
    assert "qnlandconsol:sampledata" in listing
    assert "Qiannan Land Consolidation" in listing or "黔南全域土地综合整治" in listing


def test_sampledata_runs_headless_and_writes_a_valid_township(tmp_path):
    out = tmp_path / "town"
    result = qgis_process("run", "qnlandconsol:sampledata", "--json", "--",
                          f"OUTPUT_FOLDER={out}", "PARCELS=300", "SEED=3")
    results = json.loads(result.stdout[result.stdout.index("{"):])["results"]
    gpkg = ogr.Open(results["GPKG"])
    names = {gpkg.GetLayer(i).GetName() for i in range(gpkg.GetLayerCount())}
    assert {"dltb", "stbhhx", "yjjbnt", "czkfbj", "cun", "buildings"} <= names
    dltb = gpkg.GetLayerByName("dltb")
    assert 250 <= dltb.GetFeatureCount() <= 400
    assert dltb.GetSpatialRef().GetAuthorityCode(None) == "4545"
    dem = gdal.Open(results["DEM"])
    assert dem.RasterCount == 1 and abs(dem.GetGeoTransform()[1] - 10) < 1e-9


def test_idlehomesteads_runs_headless_with_input_and_output_alone(township, tmp_path):
    """The village ranking is optional: qgis_process needs no OUTPUT_VILLAGES."""
    result = qgis_process("run", "qnlandconsol:idlehomesteads", "--json", "--",
                          f"INPUT={township['gpkg']}|layername=dltb",
                          f"OUTPUT={tmp_path / 'homesteads.gpkg'}")
    results = json.loads(result.stdout[result.stdout.index("{"):])["results"]
    out_ds, town_ds = ogr.Open(results["OUTPUT"]), ogr.Open(township["gpkg"])
    dltb = town_ds.GetLayerByName("dltb")
    dltb.SetAttributeFilter("DLBM = '0702'")
    assert out_ds.GetLayer(0).GetFeatureCount() == dltb.GetFeatureCount() > 0
