"""qnlandconsol:slopefarmland in real QGIS: PD_MEAN against native:slope +
native:zonalstatisticsfb on the sample township and on real DEMs, a tilted plane,
bad input, geographic parcels, invalid polygons, the village table, qgis_process."""

import numpy as np
import pytest
from osgeo import gdal, osr
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from ..conftest import realdata
from .conftest import Recorder, qgis_process

TOL = 1e-4


def _run(params):
    import processing

    return processing.run("qnlandconsol:slopefarmland", params)


def _native_mean(parcels, dem):
    import processing

    slope = processing.run("native:slope", {"INPUT": dem, "Z_FACTOR": 1,
                                            "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    zs = processing.run("native:zonalstatisticsfb", {
        "INPUT": parcels, "INPUT_RASTER": slope, "RASTER_BAND": 1, "COLUMN_PREFIX": "n_",
        "STATISTICS": [2], "OUTPUT": "memory:"})["OUTPUT"]
    return np.array([np.nan if f["n_mean"] is None else f["n_mean"] for f in zs.getFeatures()],
                    dtype=float)


def _values(layer, name):
    return np.array([np.nan if f[name] is None else f[name] for f in layer.getFeatures()],
                    dtype=float)


def _assert_same(ours, native):
    assert len(ours) == len(native)
    assert (np.isnan(ours) == np.isnan(native)).all()
    ok = ~np.isnan(native)
    assert np.abs(ours[ok] - native[ok]).max() <= TOL


def _write_dem(path, values, x0, y0, cell, epsg=None, wkt=None, nodata=None):
    ds = gdal.GetDriverByName("GTiff").Create(str(path), values.shape[1], values.shape[0], 1,
                                              gdal.GDT_Float32)
    ds.SetGeoTransform((x0, cell, 0, y0, 0, -cell))
    srs = osr.SpatialReference()
    if epsg:
        srs.ImportFromEPSG(epsg)
    else:
        srs.ImportFromWkt(wkt)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    band.WriteArray(values)
    ds = None
    return str(path)


def _memory_parcels(crs, wkts, dlbm=None, gdpdjb=None, extra=None):
    layer = QgsVectorLayer(f"Polygon?crs={crs}", "parcels", "memory")
    fields = [QgsField("DLBM", QVariant.String), QgsField("TBDLMJ", QVariant.Double),
              QgsField("ZLDWDM", QVariant.String)]
    if gdpdjb is not None:
        fields.append(QgsField("GDPDJB", QVariant.String))
    if extra:
        fields += [QgsField(name, QVariant.String) for name in extra]
    layer.dataProvider().addAttributes(fields)
    layer.updateFields()
    feats = []
    for i, wkt in enumerate(wkts):
        f = QgsFeature(layer.fields())
        geom = QgsGeometry.fromWkt(wkt)
        attrs = [(dlbm or ["0103"] * len(wkts))[i], 1000.0, "5227021012010000000"]
        if gdpdjb is not None:
            attrs.append(gdpdjb[i])
        if extra:
            attrs += [extra[name][i] for name in extra]
        f.setAttributes(attrs)
        f.setGeometry(geom)
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_pd_mean_matches_native_chain_on_sample_township(provider, township):
    parcels = f"{township['gpkg']}|layername=dltb"
    out = _run({"INPUT": parcels, "DEM": township["dem"], "OUTPUT": "memory:",
                "OUTPUT_VILLAGES": "memory:"})
    _assert_same(_values(out["OUTPUT"], "PD_MEAN"), _native_mean(parcels, township["dem"]))


def test_wrong_recorded_extent_does_not_cut_the_dem(provider, township, tmp_path):
    """The DEM is read while the parcels are, over the layer's recorded extent; a
    recorded extent smaller than the parcels' (a stale gpkg_contents) must not change
    a single value: the window is read again over the real extent."""
    import shutil
    import sqlite3

    copy = tmp_path / "stale.gpkg"
    shutil.copy(township["gpkg"], copy)
    con = sqlite3.connect(copy)
    con.execute("UPDATE gpkg_contents SET max_x = min_x + 500, max_y = min_y + 500 "
                "WHERE table_name = 'dltb'")
    con.commit()
    con.close()
    stale = QgsVectorLayer(f"{copy}|layername=dltb", "stale", "ogr")
    assert stale.extent().width() < 600        # QGIS believes the recorded extent
    import processing

    runs, said = [], []
    for parcels in (f"{township['gpkg']}|layername=dltb", stale):
        feedback = Recorder()
        runs.append(processing.run("qnlandconsol:slopefarmland", {
            "INPUT": parcels, "DEM": township["dem"], "OUTPUT": "memory:",
            "OUTPUT_VILLAGES": "memory:"}, feedback=feedback)["OUTPUT"])
        said.append("read again" in feedback.text())
    assert said == [False, True]     # the background window served the normal run
    reference, stale_run = (_values(out, "PD_MEAN") for out in runs)
    assert np.array_equal(stale_run, reference, equal_nan=True)
    assert (~np.isnan(reference)).sum() > 0.9 * len(reference)


def test_flags_and_village_table_are_consistent(provider, township):
    parcels = f"{township['gpkg']}|layername=dltb"
    out = _run({"INPUT": parcels, "DEM": township["dem"], "OUTPUT": "memory:",
                "OUTPUT_VILLAGES": "memory:"})
    layer = out["OUTPUT"]
    rows = [(f["DLBM"], f["PD_MEAN"], f["PGD"], f["BWD"], f["GD_MU"], f["TBDLMJ"], f["PDJB_JS"])
            for f in layer.getFeatures()]
    farm = [r for r in rows if r[0] in ("0101", "0102", "0103")]
    assert farm
    for code, mean, pgd, bwd, mu, tbdlmj, grade in farm:
        assert pgd == (1 if mean > 25 else 0)
        assert bwd >= pgd
        assert mu == pytest.approx(tbdlmj / (10000 / 15))
        assert grade == int(np.searchsorted([2, 6, 15, 25], mean, side="left") + 1)
    assert all(r[2] == 0 and r[3] == 0 and r[4] == 0 for r in rows if r not in farm)
    table = {f["CUNDM"]: f for f in out["OUTPUT_VILLAGES"].getFeatures()}
    total = table.pop("合计")
    assert total["GD_MU"] == pytest.approx(sum(r[4] for r in farm), rel=1e-9)
    assert total["PGD_MU"] == pytest.approx(sum(r[4] for r in farm if r[2] == 1), rel=1e-9)
    assert total["BWD_MU"] == pytest.approx(sum(r[4] for r in farm if r[3] == 1), rel=1e-9)
    assert sum(f["GD_MU"] for f in table.values()) == pytest.approx(total["GD_MU"])


def test_tilted_plane_of_30_degrees_gives_30(provider, tmp_path):
    from ..conftest import plane_dem

    dem = _write_dem(tmp_path / "plane.tif", plane_dem(60, 60, 10.0, 30.0, 120.0).astype(np.float32),
                     500000, 2900000, 10.0, epsg=4545)
    wkts = ["POLYGON((500100 2899900, 500300 2899900, 500300 2899700, 500100 2899900))",
            "POLYGON((500402 2899602, 500406 2899602, 500406 2899606, 500402 2899606, 500402 2899602))"]
    out = _run({"INPUT": _memory_parcels("EPSG:4545", wkts), "DEM": dem, "OUTPUT": "memory:"})
    means = _values(out["OUTPUT"], "PD_MEAN")
    assert np.allclose(means, 30.0, atol=1e-3)
    assert _values(out["OUTPUT"], "PGD").tolist() == [1, 1]


def test_swellendam_real_dem_and_farms(provider, tmp_path):
    import processing

    farms = str(realdata("swellendam", "farms_33S.shp"))
    dem = str(realdata("swellendam", "srtm_41_19.tif"))
    # the real farms have no 三调 fields: give every farm DLBM 0103 and a planar TBDLMJ;
    # fix the ~16 invalid ones first so both sides see the same polygons
    fixed = processing.run("native:fixgeometries", {"INPUT": farms, "OUTPUT": "memory:"})["OUTPUT"]
    mapped = processing.run("native:fieldcalculator", {
        "INPUT": fixed, "FIELD_NAME": "DLBM", "FIELD_TYPE": 2, "FIELD_LENGTH": 5,
        "FORMULA": "'0103'", "OUTPUT": "memory:"})["OUTPUT"]
    out = _run({"INPUT": mapped, "DEM": dem, "OUTPUT": "memory:"})
    _assert_same(_values(out["OUTPUT"], "PD_MEAN"), _native_mean(mapped, dem))
    assert out["OUTPUT"].featureCount() == fixed.featureCount()


def test_swellendam_invalid_polygons_are_repaired_not_dropped(provider):
    farms = str(realdata("swellendam", "farms_33S.shp"))
    dem = str(realdata("swellendam", "srtm_41_19.tif"))
    import processing

    layer = processing.run("native:fieldcalculator", {
        "INPUT": farms, "FIELD_NAME": "DLBM", "FIELD_TYPE": 2, "FIELD_LENGTH": 5,
        "FORMULA": "'0103'", "OUTPUT": "memory:"})["OUTPUT"]
    invalid = sum(1 for f in layer.getFeatures() if not f.geometry().isGeosValid())
    assert invalid > 0
    feedback = Recorder()
    out = processing.run("qnlandconsol:slopefarmland", {"INPUT": layer, "DEM": dem,
                                                        "OUTPUT": "memory:"}, feedback=feedback)
    assert out["OUTPUT"].featureCount() == layer.featureCount()
    assert f"{invalid} invalid polygon(s) repaired" in feedback.text()


def test_youwuzhen_zoned_gauss_kruger_dem(provider, tmp_path):
    dem = str(realdata("youwuzhen", "ywzdem30m.tif"))
    ds = gdal.Open(dem)
    gt = ds.GetGeoTransform()
    wkt = ds.GetProjection()
    rng = np.random.default_rng(5)
    wkts = []
    for _ in range(150):
        cx = gt[0] + rng.uniform(60, ds.RasterXSize * 30 - 60)
        cy = gt[3] - rng.uniform(60, ds.RasterYSize * 30 - 60)
        r = rng.uniform(10, 120)
        ang = np.sort(rng.uniform(0, 2 * np.pi, 7))
        pts = [(cx + r * np.cos(a), cy + r * np.sin(a)) for a in ang]
        pts.append(pts[0])
        wkts.append("POLYGON((" + ",".join(f"{x} {y}" for x, y in pts) + "))")
    from qgis.core import QgsCoordinateReferenceSystem

    layer = _memory_parcels("EPSG:4326", wkts)
    layer.setCrs(QgsCoordinateReferenceSystem.fromWkt(wkt))  # Beijing 1954 GK zone 39
    out = _run({"INPUT": layer, "DEM": dem, "OUTPUT": "memory:"})
    ours = _values(out["OUTPUT"], "PD_MEAN")
    _assert_same(ours, _native_mean(layer, dem))
    assert (~np.isnan(ours)).all()


def test_no_dem_and_no_gdpdjb_is_a_clear_error(provider):
    layer = _memory_parcels("EPSG:4545", ["POLYGON((0 0, 10 0, 10 10, 0 0))"])
    with pytest.raises(QgsProcessingException, match="GDPDJB"):
        _run({"INPUT": layer, "OUTPUT": "memory:"})


def test_no_dem_uses_gdpdjb(provider):
    layer = _memory_parcels("EPSG:4545", ["POLYGON((0 0, 10 0, 10 10, 0 0))"] * 2,
                            gdpdjb=["5", "4"])
    out = _run({"INPUT": layer, "OUTPUT": "memory:"})["OUTPUT"]
    feats = list(out.getFeatures())
    assert [f["PGD"] for f in feats] == [1, 0]
    assert [f["PGD_LY"] for f in feats] == ["GDPDJB", "GDPDJB"]
    assert feats[0]["PD_MEAN"] is None or feats[0]["PD_MEAN"] != feats[0]["PD_MEAN"] or \
        str(feats[0]["PD_MEAN"]) == "NULL"


def test_dem_not_covering_the_parcels_is_a_clear_error(provider, tmp_path):
    dem = _write_dem(tmp_path / "far.tif", np.zeros((10, 10), np.float32), 400000, 2900000, 10,
                     epsg=4545)
    layer = _memory_parcels("EPSG:4545", ["POLYGON((500000 2800000, 500100 2800000, "
                                          "500100 2800100, 500000 2800000))"])
    with pytest.raises(QgsProcessingException, match="does not cover"):
        _run({"INPUT": layer, "DEM": dem, "OUTPUT": "memory:"})


def test_geographic_parcels_are_computed_in_the_gk_zone(provider, township):
    import processing

    parcels = f"{township['gpkg']}|layername=dltb"
    geo = processing.run("native:reprojectlayer", {"INPUT": parcels, "TARGET_CRS": "EPSG:4490",
                                                   "OUTPUT": "memory:"})["OUTPUT"]
    feedback = Recorder()
    out = processing.run("qnlandconsol:slopefarmland", {"INPUT": geo, "DEM": township["dem"],
                                                        "OUTPUT": "memory:"}, feedback=feedback)
    assert "geographic CRS" in feedback.text() and "EPSG:4545" in feedback.text()
    ours = _values(out["OUTPUT"], "PD_MEAN")
    direct = _values(_run({"INPUT": parcels, "DEM": township["dem"],
                           "OUTPUT": "memory:"})["OUTPUT"], "PD_MEAN")
    # the round trip 4545 -> 4490 -> 4545 moves vertices by far less than a millimetre
    assert np.nanmax(np.abs(ours - direct)) < 0.05
    assert out["OUTPUT"].crs().authid() == "EPSG:4490"


def test_geographic_dem_is_reprojected(provider, township, tmp_path):
    warped = str(tmp_path / "dem4490.tif")
    gdal.Warp(warped, township["dem"], dstSRS="EPSG:4490", resampleAlg="bilinear")
    feedback = Recorder()
    import processing

    parcels = f"{township['gpkg']}|layername=dltb"
    out = processing.run("qnlandconsol:slopefarmland", {"INPUT": parcels, "DEM": warped,
                                                        "OUTPUT": "memory:"}, feedback=feedback)
    assert "reprojected" in feedback.text()
    ours = _values(out["OUTPUT"], "PD_MEAN")
    direct = _values(_run({"INPUT": parcels, "DEM": township["dem"],
                           "OUTPUT": "memory:"})["OUTPUT"], "PD_MEAN")
    ok = ~np.isnan(ours)
    assert ok.mean() > 0.95
    # two bilinear resamplings smooth the terrain a little: the means stay close
    assert np.median(np.abs(ours[ok] - direct[ok])) < 1.5


def test_cancel_leaves_no_output(provider, township, tmp_path):
    import processing

    target = tmp_path / "cancelled.gpkg"
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    try:
        processing.run("qnlandconsol:slopefarmland", {
            "INPUT": f"{township['gpkg']}|layername=dltb", "DEM": township["dem"],
            "OUTPUT": str(target)}, feedback=feedback)
    except QgsProcessingException:
        pass
    assert not target.exists() or QgsVectorLayer(str(target), "c", "ogr").featureCount() == 0


def test_qgis_process_runs_slopefarmland(township, tmp_path):
    out = tmp_path / "pgd.gpkg"
    proc = qgis_process("run", "qnlandconsol:slopefarmland", "--",
                        f"INPUT={township['gpkg']}|layername=dltb", f"DEM={township['dem']}",
                        f"OUTPUT={out}", check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    layer = QgsVectorLayer(str(out), "pgd", "ogr")
    assert layer.featureCount() == QgsVectorLayer(f"{township['gpkg']}|layername=dltb", "d",
                                                  "ogr").featureCount()
    assert layer.fields().indexOf("PD_MEAN") >= 0


def test_the_log_lists_grade_mismatches_only_among_the_farmland_it_counted(provider, township):
    # with other farmland codes than the layer's, the log said 耕地 0.00 亩 and then listed
    # 耕地 parcels whose grade is off: the list follows the codes given, as the total does
    import processing

    said = {}
    for codes in ("0101,0102,0103", "9999"):
        feedback = Recorder()
        processing.run("qnlandconsol:slopefarmland", {
            "INPUT": f"{township['gpkg']}|layername=dltb", "DEM": township["dem"],
            "FARMLAND_CODES": codes, "OUTPUT": "memory:"}, feedback=feedback)
        said[codes] = feedback.text()
    mismatch = "have a computed slope grade two or more grades away"
    assert mismatch in said["0101,0102,0103"]              # the sample has such parcels
    assert "Farmland 0.00 亩" in said["9999"] and mismatch not in said["9999"]
