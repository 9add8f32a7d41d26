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
