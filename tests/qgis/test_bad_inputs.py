"""Real county data in (issue 14): layers without or with a contradicting CRS, NULLs in the
三调 fields, implausible values, odd DEMs, empty layers and missing fields, each built
from the sample township with GDAL/OGR. Every case ends in the correct figure or a clear
error or warning naming the layer, field or feature — never a traceback."""
import os

import numpy as np
import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer

from qn_landconsol_plugin.core.units import M2_PER_MU

from .conftest import Recorder
from .input_cases import (
    PARCEL_ALGORITHMS,
    assign_srs,
    copy_township,
    dem_all_nodata,
    dem_coarse,
    dem_in_band_2,
    dem_without_crs,
    gpkg_layer,
    prefixed_eastings,
    runs,
    shapefile,
    sql,
    tag_projects,
    values,
)

FARMLAND = "DLBM IN ('0101', '0102', '0103')"


@pytest.fixture(scope="module")
def town(township, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_inputs")
    t = copy_township(township, folder)
    t["folder"] = folder
    return t


def _run(alg, params, feedback=None):
    import processing

    feedback = feedback or Recorder()
    return processing.run(f"qnlandconsol:{alg}", params, feedback=feedback), feedback


def _fails(alg, params, *names):
    """The run stops with a QgsProcessingException naming `names`, never a traceback."""
    feedback = Recorder()
    with pytest.raises(QgsProcessingException) as err:
        _run(alg, params, feedback)
    text = str(err.value) + "\n" + feedback.text()
    assert "Traceback" not in text
    for name in names:
        assert name in text, (name, text)
    return text


def _copy(town, tmp_path, name="parcels.gpkg", where=None) -> str:
    return gpkg_layer(town["gpkg"], tmp_path / name, where=where)


def _values(layer_or_path, field):
    layer = layer_or_path if isinstance(layer_or_path, QgsVectorLayer) else \
        QgsVectorLayer(layer_or_path, "out", "ogr")
    return [f[field] for f in layer.getFeatures()]


# --------------------------------------------------------------------------- CRS
@pytest.mark.parametrize("alg", PARCEL_ALGORITHMS)
def test_shapefile_without_prj_is_a_clear_error_in_every_algorithm(provider, town, tmp_path,
                                                                   alg):
    shp = shapefile(town["gpkg"], tmp_path / "noprj.shp", prj=False)
    params = runs(town, shp, tmp_path)[alg]
    _fails(alg, params, "noprj", "has no coordinate reference system", "EPSG:4545")
    assert not any(p.suffix in (".gpkg", ".html", ".xlsx") for p in tmp_path.iterdir())


def test_declaration_export_of_a_shapefile_without_prj_is_a_clear_error(provider, town,
                                                                         tmp_path):
    tagged = tag_projects(town["gpkg"], tmp_path / "tagged.gpkg")
    shp = shapefile(tagged, tmp_path / "tagged_noprj.shp", prj=False)
    params = {"INPUT": shp, "OUTPUT_FOLDER": str(tmp_path / "out"), "MAP": False}
    _fails("exportdeclaration", params, "tagged_noprj", "has no coordinate reference system")
    assert not os.listdir(tmp_path / "out") if os.path.exists(tmp_path / "out") else True


@pytest.mark.parametrize("srs_id", (0, -1))
@pytest.mark.parametrize("alg", PARCEL_ALGORITHMS)
def test_geopackage_with_undefined_srs_is_a_clear_error(provider, town, tmp_path, alg, srs_id):
    path = gpkg_layer(town["gpkg"], tmp_path / "nosrs.gpkg", srs=False, srs_id=srs_id)
    params = runs(town, f"{path}|layername=dltb", tmp_path)[alg]
    _fails(alg, params, "nosrs", "undefined coordinate reference system")


def test_control_line_check_never_says_no_conflict_for_a_red_line_without_crs(provider, town,
                                                                             tmp_path):
    """Issue 14: with an undefined CRS the control lines were transformed to nothing and
    every parcel was 'without conflict'. Now: the layer is named in an error."""
    red = gpkg_layer(town["gpkg"], tmp_path / "red.gpkg", layer="stbhhx", srs=False)
    params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path)["controllinecheck"]
    params["RED_LINE"] = f"{red}|layername=stbhhx"
    _fails("controllinecheck", params, "Ecological red line", "red",
           "undefined coordinate reference system")


def test_zone_prefixed_eastings_in_a_crs_without_prefix_are_reported(provider, town, tmp_path):
    path = prefixed_eastings(town["gpkg"], tmp_path / "prefixed.gpkg")
    for alg in PARCEL_ALGORITHMS:
        params = runs(town, f"{path}|layername=dltb", tmp_path)[alg]
        _fails(alg, params, "carry the zone prefix 36", "EPSG:4545", "EPSG:4524")


def test_assumed_crs_is_an_explicit_opt_in(provider, town, tmp_path, monkeypatch):
    """With QN_LANDCONSOL_ASSUME_CRS set, a shapefile without .prj is read in that CRS (said
    in the log): the same verdicts as the GeoPackage, and the output carries the CRS."""
    shp = shapefile(town["gpkg"], tmp_path / "noprj.shp", prj=False)
    monkeypatch.setenv("QN_LANDCONSOL_ASSUME_CRS", "EPSG:4545")
    params = runs(town, shp, tmp_path)["slopefarmland"]
    out, feedback = _run("slopefarmland", params)
    assert "EPSG:4545 is assumed" in feedback.text()
    reference, _ = _run("slopefarmland", dict(params, INPUT=f"{town['gpkg']}|layername=dltb",
                                              OUTPUT="memory:", OUTPUT_VILLAGES="memory:"))
    layer = QgsVectorLayer(out["OUTPUT"], "out", "ogr")
    assert layer.crs().authid() == "EPSG:4545"
    assert _values(layer, "PGD") == _values(reference["OUTPUT"], "PGD")
    # the shapefile keeps PD_MEAN with 4 decimals
    assert _values(layer, "PD_MEAN") == pytest.approx(_values(reference["OUTPUT"], "PD_MEAN"),
                                                      abs=5.1e-5)


def test_assumed_crs_that_contradicts_the_coordinates_is_still_an_error(provider, town,
                                                                        tmp_path, monkeypatch):
    shp = shapefile(town["gpkg"], tmp_path / "noprj.shp", prj=False)
    monkeypatch.setenv("QN_LANDCONSOL_ASSUME_CRS", "EPSG:4524")
    params = runs(town, shp, tmp_path)["farmlandcontiguity"]
    _fails("farmlandcontiguity", params, "EPSG:4524", "zone prefix 36", "EPSG:4545")


def test_dem_without_crs_is_a_clear_error(provider, town, tmp_path):
    dem = dem_without_crs(town["dem"], tmp_path / "dem_nocrs.tif")
    for alg in ("slopefarmland", "forestfarmlandswap", "idlehomesteads", "potentialsurvey"):
        params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path)[alg]
        params["DEM"] = dem
        _fails(alg, params, "dem_nocrs", "has no coordinate reference system")


# --------------------------------------------------------------------------- NULLs
def test_null_tbdlmj_does_not_drop_farmland(provider, town, tmp_path):
    """Issue 14: NULL TBDLMJ counted as 0 亩 (farmland fell by half). Now TBMJ − KCMJ stands
    in: the farmland total is unchanged, and the log says how many parcels."""
    path = _copy(town, tmp_path)
    farm = values(path, "dltb", "BSM", FARMLAND)
    half = farm[::2]
    sql(path, "UPDATE dltb SET TBDLMJ = NULL WHERE BSM IN ({})".format(
        ",".join(f"'{b}'" for b in half)))
    expected = sum(values(town["gpkg"], "dltb", "TBDLMJ", FARMLAND)) / M2_PER_MU
    for alg, field in (("slopefarmland", "GD_MU"),):
        params = runs(town, f"{path}|layername=dltb", tmp_path)[alg]
        out, feedback = _run(alg, params)
        # GD_MU is stored with 4 decimals: 823 roundings
        assert sum(_values(out["OUTPUT"], field)) == pytest.approx(expected, abs=0.05)
        assert f"{len(half)} parcel(s)" in feedback.text()
        assert "no net area TBDLMJ (NULL): TBMJ − KCMJ is used" in feedback.text()
    out, feedback = _run("farmlandcontiguity", runs(town, f"{path}|layername=dltb",
                                                    tmp_path)["farmlandcontiguity"])
    summary = [f for f in QgsVectorLayer(out["OUTPUT_SUMMARY"]).getFeatures()
               if f["QJ"] == "现状" and f["CJ_MC"] in ("合计", "全部")]
    assert summary and summary[0]["GD_MU"] == pytest.approx(expected, abs=1e-4)


def test_null_dlbm_is_unknown_class_counted_and_said(provider, town, tmp_path):
    path = _copy(town, tmp_path)
    farm = values(path, "dltb", "BSM", FARMLAND)
    gone = farm[:7]
    lost = sum(values(path, "dltb", "TBDLMJ", "BSM IN ({})".format(
        ",".join(f"'{b}'" for b in gone))))
    sql(path, "UPDATE dltb SET DLBM = NULL WHERE BSM IN ({})".format(
        ",".join(f"'{b}'" for b in gone)))
    total = sum(values(town["gpkg"], "dltb", "TBDLMJ", FARMLAND))
    out, feedback = _run("slopefarmland", runs(town, f"{path}|layername=dltb",
                                               tmp_path)["slopefarmland"])
    # GD_MU is stored with 4 decimals: 823 roundings
    assert sum(_values(out["OUTPUT"], "GD_MU")) == pytest.approx((total - lost) / M2_PER_MU,
                                                                 abs=0.05)
    text = feedback.text()
    assert "7 parcel(s)" in text and "no land-use code DLBM (NULL)" in text
    tbmj = sum(values(path, "dltb", "TBMJ", "DLBM IS NULL"))
    assert f"{tbmj / M2_PER_MU:.2f} 亩" in text
    assert f"BSM {gone[0]}" in text


def test_null_tbmj_gets_the_ellipsoidal_area(provider, town, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource

    from qn_landconsol_plugin.core.areas import ellipsoidal_area
    from qn_landconsol_plugin.qgis_io.parcels import read_parcels

    path = _copy(town, tmp_path)
    sql(path, "UPDATE dltb SET TBMJ = NULL, TBDLMJ = NULL WHERE fid IN (1, 2, 3)")
    layer = QgsVectorLayer(f"{path}|layername=dltb", "dltb", "ogr")
    feedback = Recorder()
    parcels = read_parcels(QgsProcessingFeatureSource(layer, QgsProcessingContext()),
                           QgsProcessingContext(), feedback, "Parcels",
                           attributes=("BSM", "DLBM", "TBMJ", "KCMJ", "TBDLMJ"), layer=layer)
    rows = np.flatnonzero(np.isin(parcels.fids, [1, 2, 3]))
    want = ellipsoidal_area(parcels.geoms[rows], "EPSG:4545")
    got = parcels.table["TBMJ"].to_numpy(float)[rows]
    assert got == pytest.approx(want, rel=1e-9)
    kcmj = parcels.table["KCMJ"].to_numpy(float)[rows]
    assert parcels.table["TBDLMJ"].to_numpy(float)[rows] == pytest.approx(want - kcmj)
    assert "3 parcel(s) have no area TBMJ (NULL): their ellipsoidal area" in feedback.text()
    assert {f.code for f in parcels.findings} >= {"NULL_TBMJ", "NULL_TBDLMJ"}


def test_fast_read_keeps_null_numbers_null(provider, town, tmp_path, monkeypatch):
    """GDAL's Arrow stream hands a NULL number over as 0 unless masked: the fast read gives
    None, as QGIS's own read does (a NULL TBDLMJ read as 0 m² dropped farmland)."""
    from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource

    from qn_landconsol_plugin.qgis_io.parcels import read_parcels

    path = _copy(town, tmp_path)
    sql(path, "UPDATE dltb SET TBMJ = NULL, TBDLMJ = NULL, GDDB = NULL, DLBM = NULL "
              "WHERE fid IN (1, 2, 3)")
    tables = []
    for fast in ("1", "0"):
        monkeypatch.setenv("QN_LANDCONSOL_FAST_PATHS", fast)
        layer = QgsVectorLayer(f"{path}|layername=dltb", "dltb", "ogr")
        feedback = Recorder()
        parcels = read_parcels(QgsProcessingFeatureSource(layer, QgsProcessingContext()),
                               QgsProcessingContext(), feedback, "Parcels",
                               attributes=("BSM", "DLBM", "TBMJ", "TBDLMJ", "GDDB"),
                               layer=layer, checks=False)
        assert ("Arrow stream" in feedback.text()) == (fast == "1")
        tables.append(parcels.table.to_dict("records"))
    assert tables[0] == tables[1]
    assert [r["TBDLMJ"] for r in tables[0][:3]] == [None, None, None]
    assert [r["GDDB"] for r in tables[0][:3]] == [None, None, None]


def test_null_gdpdjb_on_farmland_is_counted(provider, town, tmp_path):
    path = _copy(town, tmp_path)
    farm = values(path, "dltb", "BSM", FARMLAND)[:5]
    sql(path, "UPDATE dltb SET GDPDJB = NULL WHERE BSM IN ({})".format(
        ",".join(f"'{b}'" for b in farm)))
    params = runs(town, f"{path}|layername=dltb", tmp_path)["slopefarmland"]
    params.pop("DEM")
    out, feedback = _run("slopefarmland", params)
    assert "5 farmland parcel(s)" in feedback.text()
    assert "no slope grade GDPDJB (NULL)" in feedback.text()
    by_bsm = {f["BSM"]: f for f in QgsVectorLayer(out["OUTPUT"]).getFeatures()}
    assert all(by_bsm[b]["PGD_LY"] in (None, "") or str(by_bsm[b]["PGD_LY"]) == "NULL"
               for b in farm)


@pytest.mark.parametrize("alg", ("potentialsurvey", "controllinecheck"))
def test_null_findings_reach_the_html_report(provider, town, tmp_path, alg):
    path = _copy(town, tmp_path)
    sql(path, "UPDATE dltb SET DLBM = NULL WHERE fid IN (5, 6)")
    params = runs(town, f"{path}|layername=dltb", tmp_path)[alg]
    _run(alg, params)
    html = open(params["OUTPUT_REPORT"], encoding="utf-8").read()
    assert "2 个图斑" in html and "地类编码 DLBM 为空" in html


def test_null_findings_reach_the_declaration_check_table(provider, town, tmp_path):
    tagged = tag_projects(town["gpkg"], tmp_path / "tagged.gpkg")
    sql(tagged, "UPDATE dltb SET KCMJ = NULL WHERE XMBH = 'QN2025-001'")
    n = len(values(tagged, "dltb", "BSM", "XMBH = 'QN2025-001'"))
    out = tmp_path / "out"
    result, _ = _run("exportdeclaration", {"INPUT": f"{tagged}|layername=dltb", "MAP": False,
                                           "OUTPUT_FOLDER": str(out)})
    assert result["EXPORTED"] == 2
    rows = {f["LX"]: f for f in QgsVectorLayer(f"{out}/QN2025-001.gpkg|layername=jcjg")
            .getFeatures()}
    assert rows["NULL_KCMJ"]["JB"] == "警告" and rows["NULL_KCMJ"]["LXMC"] == "KCMJ 为空"
    assert f"{n} 个图斑" in rows["NULL_KCMJ"]["SM"]
    assert "round(TBMJ × KCXS, 2)" in rows["NULL_KCMJ"]["SM"]


# --------------------------------------------------------------------------- implausible
def test_duplicate_bsm_is_reported_with_the_household_join(provider, town, tmp_path):
    path = _copy(town, tmp_path)
    homes = values(path, "dltb", "BSM", "DLBM = '0702'")
    sql(path, f"UPDATE dltb SET BSM = '{homes[0]}' WHERE BSM = '{homes[1]}'")
    params = runs(town, f"{path}|layername=dltb", tmp_path)["idlehomesteads"]
    out, feedback = _run("idlehomesteads", params)
    text = feedback.text()
    assert "field BSM is not unique" in text and f"{homes[0]} ×2" in text
    assert "household row with such a key joins every one of them" in text


def test_tbmj_far_from_the_geometry_area_is_reported(provider, town, tmp_path):
    path = _copy(town, tmp_path)
    bsm = values(path, "dltb", "BSM")[10]
    sql(path, f"UPDATE dltb SET TBMJ = TBMJ * 100 WHERE BSM = '{bsm}'")
    params = runs(town, f"{path}|layername=dltb", tmp_path)["potentialsurvey"]
    _, feedback = _run("potentialsurvey", params)
    text = feedback.text()
    assert "1 parcel(s) have an area TBMJ more than 5 % away" in text
    assert f"BSM {bsm}" in text
    # the sample township itself passes the check
    params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path / "ok")["potentialsurvey"]
    os.makedirs(tmp_path / "ok")
    _, feedback = _run("potentialsurvey", params)
    assert "TBMJ more than" not in feedback.text()


def test_coarse_dem_of_two_by_two_cells_is_a_clear_error(provider, town, tmp_path):
    dem = dem_coarse(town["dem"], tmp_path / "coarse.tif")
    for alg in ("slopefarmland", "forestfarmlandswap", "idlehomesteads", "potentialsurvey"):
        params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path)[alg]
        params["DEM"] = dem
        _fails(alg, params, "coarse", "3000 × 3000 m", "at least 3 × 3 cells")


def test_dem_with_elevations_in_band_2(provider, town, tmp_path):
    """Band 1 (zeros) is not taken silently; DEM_BAND = 2 gives the results of the
    single-band DEM."""
    dem = dem_in_band_2(town["dem"], tmp_path / "two_bands.tif")
    params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path)["slopefarmland"]
    reference, _ = _run("slopefarmland", dict(params, OUTPUT="memory:",
                                              OUTPUT_VILLAGES="memory:"))
    params["DEM"] = dem
    _fails("slopefarmland", dict(params, OUTPUT="memory:", OUTPUT_VILLAGES="memory:"),
           "two_bands", "band 1", "value 0", "2 bands", "DEM_BAND")
    out, _ = _run("slopefarmland", dict(params, DEM_BAND=2, OUTPUT="memory:",
                                        OUTPUT_VILLAGES="memory:"))
    assert _values(out["OUTPUT"], "PD_MEAN") == pytest.approx(
        _values(reference["OUTPUT"], "PD_MEAN"))
    _fails("slopefarmland", dict(params, DEM_BAND=3, OUTPUT="memory:",
                                 OUTPUT_VILLAGES="memory:"), "band 3 does not exist")


@pytest.mark.parametrize("alg", ("idlehomesteads", "slopefarmland", "potentialsurvey",
                                 "forestfarmlandswap"))
def test_all_nodata_dem_is_a_clear_error(provider, town, tmp_path, alg):
    dem = dem_all_nodata(town["dem"], tmp_path / "nodata.tif")
    params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path)[alg]
    params["DEM"] = dem
    _fails(alg, params, "nodata", "every cell under the parcels is nodata")


def test_every_dem_algorithm_has_a_band_parameter(provider):
    for alg in ("idlehomesteads", "slopefarmland", "potentialsurvey", "forestfarmlandswap"):
        band = provider.algorithm(alg).parameterDefinition("DEM_BAND")
        assert band is not None and band.defaultValue() == 1, alg
        assert band.parentLayerParameterName() == "DEM"


# --------------------------------------------------------------------------- crashes
def test_swap_on_an_empty_layer_gives_empty_outputs(provider, town, tmp_path):
    path = _copy(town, tmp_path, where="1 = 0")
    params = runs(town, f"{path}|layername=dltb", tmp_path)["forestfarmlandswap"]
    out, feedback = _run("forestfarmlandswap", params)
    assert _values(out["OUTPUT"], "ZH_LX") == []
    total = [f for f in QgsVectorLayer(out["OUTPUT_BALANCE"]).getFeatures()]
    assert [(f["CK_MU"], f["RK_MU"], f["BJ"]) for f in total] == [(0.0, 0.0, "是")]
    assert "has no features" in feedback.text()


@pytest.mark.parametrize("alg", PARCEL_ALGORITHMS)
def test_every_algorithm_on_an_empty_layer_ends_cleanly(provider, town, tmp_path, alg):
    path = _copy(town, tmp_path, where="1 = 0")
    params = runs(town, f"{path}|layername=dltb", tmp_path)[alg]
    feedback = Recorder()
    try:
        _run(alg, params, feedback)
    except QgsProcessingException as err:
        assert "Traceback" not in str(err) + feedback.text()
        assert "no features" in str(err) + feedback.text()


def test_control_line_task_field_not_in_the_layer_is_a_clear_error(provider, town, tmp_path):
    params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path)["controllinecheck"]
    params["TASK_FIELD"] = "RWLX"
    _fails("controllinecheck", params, "RWLX", "Task-type field", "township|dltb")
    assert not os.path.exists(params["OUTPUT"])


def test_a_chosen_household_field_not_in_the_table_is_a_clear_error(provider, town, tmp_path):
    params = runs(town, f"{town['gpkg']}|layername=dltb", tmp_path)["idlehomesteads"]
    params["RESIDENTS_FIELD"] = "RENKOU"
    _fails("idlehomesteads", params, "RENKOU", "households")
