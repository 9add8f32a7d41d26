"""The README's headless recipe: tools/qgis_process.sh (qgis_process.bin with the plugin path,
the venv's packages and offscreen Qt) enables the plugin, lists and runs its algorithms."""
import json
import subprocess

from osgeo import gdal, ogr

from ..conftest import ROOT

QP = str(ROOT / "tools" / "qgis_process.sh")


def qgis_process(*args, check=True):
    return subprocess.run([QP, *args], capture_output=True, text=True, check=check, timeout=600)


def enable_plugin():
    """qgis_process.bin exits 1 when the plugin is already enabled: both are fine."""
    result = qgis_process("plugins", "enable", "qn_landconsol_plugin", check=False)
    assert result.returncode == 0 or "already enabled" in result.stdout + result.stderr, result


def test_plugin_enables_and_lists_its_provider():
    enable_plugin()
    listing = qgis_process("list").stdout
    assert "qnlandconsol:sampledata" in listing
    assert "Qiannan Land Consolidation" in listing or "黔南全域土地综合整治" in listing


def test_sampledata_runs_headless_and_writes_a_valid_township(tmp_path):
    enable_plugin()
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
