"""The synthetic sample township: determinism, 三调 schema and rules, tiling, terrain
consistency and the special cases the other modules rely on."""
import csv
import os
import subprocess
import sys

import numpy as np
import pytest
import shapely
from osgeo import gdal, ogr

from qn_landconsol_plugin import sampledata as st
from qn_landconsol_plugin.core.areas import ellipsoidal_area
from qn_landconsol_plugin.core.fields import DLTB_SCHEMA
from qn_landconsol_plugin.core.land_classes import FARMLAND_CODES, LAND_CLASSES
from qn_landconsol_plugin.core.slope import horn_slope, slope_grade
from qn_landconsol_plugin.core.topology import gaps_and_overlaps
from qn_landconsol_plugin.sampledata.cutting import round_shared_vertices

from ..conftest import ROOT

N_PARCELS = 600
LAYERS = ("dltb", "stbhhx", "yjjbnt", "czkfbj", "cun", "buildings")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two runs with seed 1 and one with seed 2."""
    out = {}
    for label, seed in (("a", 1), ("b", 1), ("c", 2)):
        out[label] = st.generate(str(tmp_path_factory.mktemp(label)), N_PARCELS, seed=seed)
    return out


@pytest.fixture(scope="module")
def paths(runs):
    return runs["a"]


def read_layer(path, name, fields=None):
    """Geometries (shapely) and attribute columns of a layer."""
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(name)
    defn = lyr.GetLayerDefn()
    names = fields or [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    geoms, cols = [], {n: [] for n in names}
    for feat in lyr:
        geoms.append(shapely.from_wkb(bytes(feat.GetGeometryRef().ExportToWkb())))
        for n in names:
            cols[n].append(feat.GetField(n))
    return np.array(geoms, dtype=object), {n: np.array(v, dtype=object) for n, v in cols.items()}


@pytest.fixture(scope="module")
def dltb(paths):
    return read_layer(paths["gpkg"], "dltb")


def read_bytes(path):
    with open(path, "rb") as fh:
        return fh.read()


def test_writes_three_files_and_no_leftovers(paths):
    out_dir = os.path.dirname(paths["gpkg"])
    assert sorted(os.listdir(out_dir)) == ["dem.tif", "households.csv", "township.gpkg"]


def test_same_seed_gives_identical_bytes(runs):
    for key in ("gpkg", "dem", "households"):
        assert read_bytes(runs["a"][key]) == read_bytes(runs["b"][key]), key


def test_other_seed_differs(runs):
    for key in ("gpkg", "dem", "households"):
        assert read_bytes(runs["a"][key]) != read_bytes(runs["c"][key]), key


def test_dltb_schema_in_order(paths):
    ds = ogr.Open(paths["gpkg"])
    defn = ds.GetLayerByName("dltb").GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    assert names == [f.name for f in DLTB_SCHEMA]


def test_all_layers_in_epsg_4545_with_features(paths):
    ds = ogr.Open(paths["gpkg"])
    for name in LAYERS:
        lyr = ds.GetLayerByName(name)
        assert lyr is not None, name
        assert lyr.GetSpatialRef().GetAuthorityCode(None) == "4545", name
        assert lyr.GetFeatureCount() > 0, name


def test_parcel_count_near_request(dltb):
    geoms, _ = dltb
    assert 0.85 * N_PARCELS <= len(geoms) <= 1.2 * N_PARCELS


def test_codes_known_and_named(dltb):
    _, rec = dltb
    assert set(rec["DLBM"]) <= set(LAND_CLASSES)
    for code, name in zip(rec["DLBM"], rec["DLMC"]):
        assert LAND_CLASSES[code].name == name
    assert {"0101", "0103", "0702", "1006", "1107", "1003", "0602"} <= set(rec["DLBM"])
    assert list(rec["DLBM"]).count("0602") == 1
    assert rec["BZ"][rec["DLBM"] == "0602"][0] == "废弃矿山"


def test_identifiers(dltb):
    _, rec = dltb
    assert len(set(rec["BSM"])) == len(rec["BSM"])
    assert all(len(b) == 18 for b in rec["BSM"])
    for code in rec["ZLDWDM"]:
        assert len(code) == 19 and code.isdigit() and code.startswith("5227")
    assert (rec["QSDWDM"] == rec["ZLDWDM"]).all()
    assert all(name.endswith("村") for name in rec["ZLDWMC"])
    assert set(rec["QSXZ"]) == {"30"}
    assert set(rec["SJNF"]) == {2023}
    # TBBH runs 1..n within each village
    for village in set(rec["ZLDWMC"]):
        numbers = sorted(int(x) for x in rec["TBBH"][rec["ZLDWMC"] == village])
        assert numbers == list(range(1, len(numbers) + 1))


def test_area_deductions(dltb):
    _, rec = dltb
    tbmj, kcxs = rec["TBMJ"].astype(float), rec["KCXS"].astype(float)
    kcmj, tbdlmj = rec["KCMJ"].astype(float), rec["TBDLMJ"].astype(float)
    assert np.allclose(kcmj, np.round(tbmj * kcxs, 2), atol=0.005)
    assert np.allclose(tbdlmj, tbmj - kcmj, atol=0.005)
    farm = np.isin(rec["DLBM"], FARMLAND_CODES)
    assert (kcxs[~farm] == 0).all()
    assert (kcxs[farm] > 0).any()
    assert set(rec["KCDLBM"][kcxs > 0]) == {"1203"}
    assert set(rec["GDLX"][farm & (kcxs > 0)]) <= {"TT", "PD"}


def test_tbmj_is_ellipsoidal(dltb):
    geoms, rec = dltb
    planar = shapely.area(geoms)
    tbmj = rec["TBMJ"].astype(float)
    ratio = tbmj.sum() / planar.sum()
    # ~60 km west of the central meridian the GK scale factor exceeds 1 by ~4.4e-5
    assert 0.9997 < ratio < 1.0
    assert np.allclose(tbmj, planar, rtol=5e-4, atol=0.02)


def test_tbmj_is_the_core_ellipsoidal_area_rounded_to_the_centiare(dltb):
    geoms, rec = dltb
    expected = np.round(ellipsoidal_area(geoms, 4545), 2)
    assert (rec["TBMJ"].astype(float) == expected).all()


def test_slope_grades_match_dem(paths, dltb):
    _, rec = dltb
    dem_ds = gdal.Open(paths["dem"])
    gt = dem_ds.GetGeoTransform()
    band = dem_ds.GetRasterBand(1)
    slope = horn_slope(band.ReadAsArray(), gt[1], gt[5], band.GetNoDataValue())
    ids = gdal.GetDriverByName("MEM").Create("", dem_ds.RasterXSize, dem_ds.RasterYSize, 1,
                                             gdal.GDT_Int32)
    ids.SetGeoTransform(gt)
    ids.SetProjection(dem_ds.GetProjection())
    vec = ogr.Open(paths["gpkg"])
    sql = vec.ExecuteSQL("SELECT fid + 0 AS pid, geom FROM dltb")
    gdal.RasterizeLayer(ids, [1], sql, options=["ATTRIBUTE=pid"])
    vec.ReleaseResultSet(sql)
    pid = ids.GetRasterBand(1).ReadAsArray().ravel()
    n = len(rec["DLBM"]) + 1
    count = np.bincount(pid, minlength=n)[1:]
    total = np.bincount(pid, weights=np.nan_to_num(slope.ravel()), minlength=n)[1:]
    farm = np.isin(rec["DLBM"], FARMLAND_CODES) & (count > 0)
    assert farm.sum() > 50
    grade = slope_grade(total[farm] / count[farm]).astype(str)
    share = (grade == rec["GDPDJB"][farm]).mean()
    assert 0.8 <= share < 1.0
    assert set(rec["GDPDJB"][np.isin(rec["DLBM"], FARMLAND_CODES)]) <= set("12345")
    assert all(g is None for g in rec["GDPDJB"][~np.isin(rec["DLBM"], FARMLAND_CODES)])
    steep_dry = (rec["DLBM"][farm] == "0103") & (total[farm] / count[farm] > 25)
    assert steep_dry.any()


def test_parcels_tile_the_township(paths, dltb):
    geoms, _ = dltb
    assert shapely.is_valid(geoms).all()
    union = shapely.union_all(geoms)
    assert abs(union.area - shapely.area(geoms).sum()) / union.area < 1e-6
    villages, rec = read_layer(paths["gpkg"], "cun")
    township = shapely.union_all(villages)
    assert shapely.symmetric_difference(union, township).area / union.area < 1e-6
    assert abs(shapely.area(villages).sum() - township.area) / township.area < 1e-6
    assert all(len(c) == 12 and c.startswith("5227") for c in rec["CUNDM"])
    assert len(set(rec["CUNMC"])) == len(rec["CUNMC"])


@pytest.mark.parametrize("run", ["a", "c"])
def test_parcels_tile_without_a_gap_or_an_overlap(runs, run):
    geoms, _ = read_layer(runs[run]["gpkg"], "dltb", fields=["BSM"])
    found = gaps_and_overlaps(geoms)
    assert found.gaps == () and found.overlaps == ()
    assert found.slivers_below_tolerance == 0 and found.sliver_area_below_tolerance == 0.0
    assert found.not_polygons == () and found.repaired == ()


def test_parcel_vertices_lie_on_the_millimetre_grid(dltb):
    geoms, _ = dltb
    mm = shapely.get_coordinates(geoms) * 1000
    assert np.abs(mm - np.round(mm)).max() < 1e-3


def test_rounding_keeps_shared_vertices_shared_and_a_collapsing_sliver_exact():
    # S: a 20 m x 0.4 mm sliver triangle (0.004 m²) under C; rounding its apex to the
    # millimetre grid would flatten it, so the apex stays exact in S and in C
    sliver = shapely.Polygon([(0, 0), (20, 0), (10, 0.0004)])
    above = shapely.Polygon([(0, 0), (10, 0.0004), (20, 0), (20.00049, 5.0002), (0, 5)])
    below = shapely.Polygon([(0, 0), (0, -5), (20.0004, -5.0004), (20, 0)])
    out = round_shared_vertices(np.array([sliver, above, below], dtype=object), 0.001)
    assert shapely.is_valid(out).all()
    assert out[0].area == pytest.approx(0.004)
    assert [10, 0.0004] in shapely.get_coordinates(out[1]).tolist()
    assert [20.0, 5.0] in shapely.get_coordinates(out[1]).tolist()
    assert [20.0, -5.0] in shapely.get_coordinates(out[2]).tolist()
    assert gaps_and_overlaps(out).clean


def test_linear_parcels_have_width(dltb):
    _, rec = dltb
    linear = np.isin(rec["DLBM"], ["1006", "1107", "1003"])
    widths = rec["XZDWKD"][linear].astype(float)
    assert (widths >= 3).all() and (widths <= 12).all()
    assert all(w is None for w in rec["XZDWKD"][~linear])


def test_homesteads(dltb):
    geoms, rec = dltb
    home = rec["DLBM"] == "0702"
    assert home.sum() >= 30
    assert set(rec["CZCSXM"][home]) == {"203"}
    area = rec["TBMJ"][home].astype(float)
    assert (area >= 150).all() and (area <= 600).all()


def test_buildings_cover_the_special_cases(paths, dltb):
    geoms, rec = dltb
    houses, attrs = read_layer(paths["gpkg"], "buildings")
    assert set(attrs["FWZT"]) <= {"正常", "危房", "倒塌", "空置"}
    assert (attrs["FWZT"] == "正常").mean() > 0.6
    assert (attrs["JZMJ"].astype(float) > 0).all()
    valid = shapely.is_valid(houses)
    assert 0.95 < valid.mean() < 1.0
    houses = houses[valid]
    homes = geoms[rec["DLBM"] == "0702"]
    tree = shapely.STRtree(houses)
    h_idx, b_idx = tree.query(homes, predicate="intersects")
    built = np.bincount(h_idx, weights=shapely.area(shapely.intersection(
        homes[h_idx], houses[b_idx])), minlength=len(homes))
    assert (built < 1.0).any()                       # a homestead without any building
    parcel_tree = shapely.STRtree(geoms)
    pairs = parcel_tree.query(houses, predicate="intersects")
    overlap = shapely.area(shapely.intersection(houses[pairs[0]], geoms[pairs[1]]))
    big = pairs[0][overlap > 5.0]
    assert (np.bincount(big) >= 2).any()             # a building straddling two parcels
    a, b = tree.query(houses, predicate="intersects")
    distinct = a < b
    shared = shapely.area(shapely.intersection(houses[a[distinct]], houses[b[distinct]]))
    assert (shared > 1.0).any()                      # two overlapping buildings


def test_control_lines(paths):
    township = shapely.union_all(read_layer(paths["gpkg"], "cun")[0])
    red, attrs = read_layer(paths["gpkg"], "stbhhx")
    share = shapely.union_all(red).area / township.area
    assert 0.08 < share < 0.25
    assert shapely.get_num_interior_rings(shapely.get_parts(red)).sum() >= 1
    assert shapely.get_num_coordinates(red).max() >= 200
    assert all(attrs["HXMC"]) and all(attrs["HXLX"])
    pbf, attrs = read_layer(paths["gpkg"], "yjjbnt")
    assert all(attrs["JBNTBH"])
    assert shapely.intersection(shapely.union_all(pbf), shapely.union_all(red)).area < 1.0
    urban, attrs = read_layer(paths["gpkg"], "czkfbj")
    assert 1 <= len(urban) <= 2 and all(attrs["KFBJMC"])


def test_basic_farmland_covers_flat_paddy(paths, dltb):
    geoms, rec = dltb
    pbf = shapely.union_all(read_layer(paths["gpkg"], "yjjbnt")[0])
    paddy = geoms[(rec["DLBM"] == "0101") & np.isin(rec["GDPDJB"], ["1", "2"])]
    covered = shapely.area(shapely.intersection(paddy, pbf)).sum() / shapely.area(paddy).sum()
    assert covered > 0.5


def test_dem_raster(paths):
    ds = gdal.Open(paths["dem"])
    band = ds.GetRasterBand(1)
    assert band.DataType == gdal.GDT_Float32
    assert band.GetNoDataValue() == -9999
    gt = ds.GetGeoTransform()
    assert gt[1] == 10 and gt[5] == -10
    assert "4545" in ds.GetSpatialRef().GetAuthorityCode(None)
    assert ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") == "DEFLATE"
    assert band.GetBlockSize() == [256, 256]
    assert "TIFFTAG_DATETIME" not in (ds.GetMetadata() or {})
    dem = band.ReadAsArray()
    valid = dem[dem != -9999]
    assert 550 <= valid.min() and valid.max() <= 1600
    slope = horn_slope(dem, 10, 10, -9999)
    assert np.nanpercentile(slope, 10) < 2 and np.nanpercentile(slope, 99) > 35


def test_households_csv(paths, dltb):
    _, rec = dltb
    assert read_bytes(paths["households"]).startswith(b"\xef\xbb\xbf")
    with open(paths["households"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["HH_BSM", "HZXM", "CZRK", "NYDL"]
    homes = set(rec["BSM"][rec["DLBM"] == "0702"])
    keys = [r["HH_BSM"] for r in rows]
    assert len(set(keys)) == len(keys)
    matched = homes & set(keys)
    assert 0.8 * len(homes) <= len(matched) < len(homes)
    assert 1 <= len(set(keys) - set(rec["BSM"])) <= 0.1 * len(keys)
    assert all(int(r["CZRK"]) >= 0 and int(r["NYDL"]) >= 0 and r["HZXM"] for r in rows)


def test_cancel_leaves_nothing(tmp_path):
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 6

    with pytest.raises(st.GenerationCanceled):
        st.generate(str(tmp_path), N_PARCELS, seed=3, is_canceled=cancel)
    assert os.listdir(tmp_path) == []


def test_progress_reports_percentages(tmp_path):
    seen = []
    st.generate(str(tmp_path), 200, seed=4, progress=lambda p, m: seen.append((p, m)))
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100.0
    assert all(isinstance(m, str) and m for _, m in seen)


def test_summary(paths):
    info = st.summarize(paths["gpkg"])
    assert info["parcels"] > 0
    assert info["area_km2"] == pytest.approx(N_PARCELS * 8000 / 1e6, rel=0.01)
    assert 0.1 < info["farmland_share"] < 0.6


def test_package_imports_only_the_core_and_never_qgis():
    code = ("import sys, qn_landconsol_plugin.sampledata; "
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('qgis', 'qn_landconsol_plugin')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True).stdout.split()
    assert not [m for m in loaded if m.split(".")[0] == "qgis"]
    plugin = [m for m in loaded if m.count(".") >= 1]
    assert plugin and all(m.split(".")[1] in ("core", "sampledata") for m in plugin), plugin
