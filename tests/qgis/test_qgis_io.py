"""The QGIS boundary's promises: one switch turns every fast path off (and the log says
which way was taken), the outputs are the same either way; GDAL's exception mode is the
caller's after the plugin ran; every source given is checked; every algorithm runs with
its main output alone, the secondary outputs being optional."""
import subprocess
import sys

import pytest
from osgeo import gdal
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSettings
from qn_landconsol_plugin.qgis_io import compat

from ..conftest import ROOT
from .conftest import Recorder, register_provider

ARROW = "GDAL's Arrow stream"
COPY = "straight from the input GeoPackage"
BACKGROUND = "worker thread while the parcels are read"
OFF = "Fast paths are switched off"


def _slope_run(township, tmp_path, name):
    import processing

    feedback = Recorder()
    out = processing.run("qnlandconsol:slopefarmland", {
        "INPUT": f"{township['gpkg']}|layername=dltb", "DEM": township["dem"],
        "OUTPUT": str(tmp_path / name), "OUTPUT_VILLAGES": "memory:"}, feedback=feedback)
    layer = QgsVectorLayer(out["OUTPUT"], "out", "ogr")
    rows = {f["BSM"]: (f.attributes(), f.geometry().asWkb().data()) for f in layer.getFeatures()}
    return rows, feedback.text()


@pytest.mark.parametrize("switch", ["environment", "setting"])
def test_one_switch_turns_every_fast_path_off_and_the_output_stays_the_same(
        provider, township, tmp_path, monkeypatch, switch):
    monkeypatch.delenv("QN_LANDCONSOL_FAST_PATHS", raising=False)
    fast, log = _slope_run(township, tmp_path, "fast.gpkg")
    assert ARROW in log and COPY in log and BACKGROUND in log and OFF not in log
    settings = QSettings()
    try:
        if switch == "environment":
            monkeypatch.setenv("QN_LANDCONSOL_FAST_PATHS", "0")
        else:
            settings.setValue("qn_landconsol/fast_paths", False)
        slow, log = _slope_run(township, tmp_path, "slow.gpkg")
    finally:
        settings.remove("qn_landconsol/fast_paths")
    assert ARROW not in log and COPY not in log and BACKGROUND not in log
    assert log.count(OFF) == 3      # the read, the DEM and the write each say so
    assert fast == slow and len(fast) == QgsVectorLayer(
        f"{township['gpkg']}|layername=dltb", "d", "ogr").featureCount()


def test_the_environment_variable_wins_over_the_setting(monkeypatch):
    from qn_landconsol_plugin.qgis_io import fast_paths

    settings = QSettings()
    try:
        settings.setValue("qn_landconsol/fast_paths", False)
        monkeypatch.setenv("QN_LANDCONSOL_FAST_PATHS", "1")
        assert fast_paths.enabled()
        monkeypatch.delenv("QN_LANDCONSOL_FAST_PATHS")
        assert not fast_paths.enabled()
    finally:
        settings.remove("qn_landconsol/fast_paths")
    assert fast_paths.enabled()


def test_importing_the_plugin_leaves_gdal_exceptions_alone():
    code = ("from osgeo import gdal\n"
            "before = gdal.GetUseExceptions()\n"
            "import qn_landconsol_plugin.qgis_io.rasters, qn_landconsol_plugin.qgis_io.parcels\n"
            "import qn_landconsol_plugin.algorithms.provider\n"
            "print(before, gdal.GetUseExceptions())\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "0"]


@pytest.mark.parametrize("mode", [False, True])
def test_reading_a_dem_leaves_gdal_exceptions_as_they_were(township, mode):
    from qn_landconsol_plugin.qgis_io import rasters

    dem = QgsRasterLayer(township["dem"], "dem")
    before = gdal.GetUseExceptions()
    (gdal.UseExceptions if mode else gdal.DontUseExceptions)()
    try:
        extent = dem.extent().buffered(-dem.extent().width() / 4)
        grid = rasters.read_dem(dem, dem.crs(), QgsRectangle(extent), QgsProcessingContext())
        assert grid.values.size > 0 and bool(gdal.GetUseExceptions()) == mode
        # inside the plugin's calls GDAL raises: a DEM that cannot be opened is an error
        broken = QgsRasterLayer(township["dem"], "dem")
        broken.setDataSource("/nonexistent/dem.tif", "dem", "gdal")
        with pytest.raises(Exception):
            rasters.read_dem(broken, dem.crs(), QgsRectangle(extent), QgsProcessingContext())
        assert bool(gdal.GetUseExceptions()) == mode
    finally:
        (gdal.UseExceptions if before else gdal.DontUseExceptions)()


def test_a_red_line_that_cannot_be_loaded_is_an_error_not_ignored(provider, township):
    import processing

    with pytest.raises(QgsProcessingException, match="RED_LINE"):
        processing.run("qnlandconsol:forestfarmlandswap", {
            "INPUT": f"{township['gpkg']}|layername=dltb", "DEM": township["dem"],
            "RED_LINE": "/nonexistent/red_line.gpkg", "OUTPUT": "memory:"})


def test_every_algorithm_has_one_required_output_and_optional_secondary_ones(provider):
    for alg in register_provider().algorithms():
        outputs = alg.destinationParameterDefinitions()
        required = [p.name() for p in outputs
                    if not p.flags() & compat.ProcessingParameterFlag.Optional]
        assert len(required) == 1, (alg.id(), required)
        for p in outputs:
            if p.flags() & compat.ProcessingParameterFlag.Optional:
                assert p.createByDefault(), (alg.id(), p.name())


def _main_only(township, tmp_path):
    town = township["gpkg"]
    parcels = f"{town}|layername=dltb"
    return {
        "slopefarmland": ({"INPUT": parcels, "DEM": township["dem"]}, "OUTPUT"),
        "forestfarmlandswap": ({"INPUT": parcels, "DEM": township["dem"]}, "OUTPUT"),
        "idlehomesteads": ({"INPUT": parcels}, "OUTPUT"),
        "controllinecheck": ({"INPUT": parcels, "RED_LINE": f"{town}|layername=stbhhx"},
                             "OUTPUT"),
        "farmlandcontiguity": ({"INPUT": parcels}, "OUTPUT_BLOCKS"),
        "potentialsurvey": ({"INPUT": parcels}, "OUTPUT"),
    }


@pytest.mark.parametrize("alg", ["slopefarmland", "forestfarmlandswap", "idlehomesteads",
                                 "controllinecheck", "farmlandcontiguity", "potentialsurvey"])
def test_an_algorithm_runs_with_its_main_output_alone(provider, township, tmp_path, alg):
    import processing

    params, main = _main_only(township, tmp_path)[alg]
    out = processing.run(f"qnlandconsol:{alg}", {**params, main: "memory:"})
    assert set(out) == {main}      # the optional outputs not asked for are not made
    dltb = QgsVectorLayer(f"{township['gpkg']}|layername=dltb", "d", "ogr")
    expected = {"slopefarmland": dltb.featureCount(), "controllinecheck": dltb.featureCount(),
                "potentialsurvey": dltb.featureCount(),
                "idlehomesteads": sum(f["DLBM"] == "0702" for f in dltb.getFeatures())}
    count = out[main].featureCount()
    assert count == expected[alg] if alg in expected else count > 0
