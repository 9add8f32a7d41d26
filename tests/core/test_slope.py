"""core.slope: Horn slope as QGIS 3.22 native:slope, cell-centre zonal means as
native:zonalstatisticsfb, GDPDJB grades. Values worked out by hand or from QGIS 3.22.16
runs (recorded below)."""
import numpy as np
import pytest
import shapely

from qn_landconsol_plugin.core import slope as S

from ..conftest import plane_dem


def grid(values, x0=1000.0, y0=5000.0, cell=10.0, nodata=None):
    return S.Grid(np.asarray(values, dtype=np.float32), x0, y0, cell, cell, nodata)


def test_slope_grade_bounds_follow_gdpdjb_classes():
    deg = [0, 2, 2.0001, 6, 6.5, 15, 15.1, 25, 25.0001, 60, np.nan]
    assert S.slope_grade(deg).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 0]


@pytest.mark.parametrize("deg,aspect", [(30.0, 0.0), (30.0, 90.0), (12.5, 37.0), (45.0, 200.0)])
def test_tilted_plane_gives_its_slope_everywhere_including_borders(deg, aspect):
    dem = plane_dem(20, 25, 10.0, deg, aspect)
    slope = S.horn_slope(dem, 10.0, 10.0)
    # one-sided differences at the border are exact on a plane, except the QGIS quirk:
    # the bottom row's y-derivative loses its left column (see the module docstring)
    assert np.allclose(slope[:-1], deg, atol=1e-3)
    assert np.allclose(slope[-1, 0], deg, atol=1e-3)


def test_flat_dem_has_zero_slope():
    assert np.all(S.horn_slope(np.full((5, 5), 700.0), 10, 10) == 0)


def test_horn_kernel_by_hand():
    z = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 10]], dtype=float)
    # centre: dz/dx = ((3-1) + 2(6-4) + (10-7)) / (8*10) = 9/80, dz/dy = ((1-7)+2(2-8)+(3-10))/80
    dx, dy = 9 / 80, -25 / 80
    expected = np.degrees(np.arctan(np.hypot(dx, dy)))
    assert S.horn_slope(z, 10, 10)[1, 1] == pytest.approx(expected, abs=1e-5)


# A 12 x 15 DEM with nodata holes and native:slope's output for it (QGIS 3.22.16),
# rows 3–5, columns 6–9: includes the cell right of a hole (quirk of calcFirstDerY) and a
# nodata cell that QGIS still gives a slope from its neighbours.
_Z_SEED = 1


def _holey_dem():
    rng = np.random.default_rng(_Z_SEED)
    z = (rng.random((12, 15)) * 50).astype(np.float32)
    for r, c in ((5, 7), (0, 3), (8, 0), (3, 3), (4, 2)):
        z[r, c] = -9999
    return z


_QGIS_ROWS_3_5 = np.array([
    [32.75, 38.62, 46.89, 57.71],
    [26.09, 36.94, 45.34, 54.94],
    [12.59, 31.12, 57.00, 26.19]])


def test_nodata_rules_match_qgis_native_slope():
    slope = S.horn_slope(_holey_dem(), 10, 10, nodata=-9999)
    assert np.allclose(slope[3:6, 6:10], _QGIS_ROWS_3_5, atol=0.006)
    assert not np.isnan(slope).any()        # QGIS gives every cell a value here
    assert slope[5, 7] == pytest.approx(31.12, abs=0.006)   # a nodata cell


def test_nodata_only_surroundings_give_nodata():
    z = np.full((5, 5), -9999.0)
    z[2, 2] = 100
    slope = S.horn_slope(z, 10, 10, nodata=-9999)
    assert np.isnan(slope).all()


def test_nodata_not_representable_in_float32_never_matches():
    z = np.full((3, 3), 5.0)
    z[1, 1] = 5.1
    # 5.1 as a double is not a float32 value: QGIS compares in double, nothing is nodata
    slope = S.horn_slope(z, 1, 1, nodata=5.1)
    assert not np.isnan(slope).any()


def _cells(frame, values):
    """Decode the cells summed when the raster holds 2**k in cell k."""
    total = int(round(frame.PD_MEAN * frame.PD_N))
    return sorted((k // values.shape[1], k % values.shape[1]) for k in range(values.size)
                  if total >> k & 1)


POW = (2.0 ** np.arange(36)).reshape(6, 6)


@pytest.mark.parametrize("wkt,cells", [
    # square whose corners and edges run through cell centres: boundary centres excluded
    ("POLYGON((1005 4995, 1035 4995, 1035 4965, 1005 4965, 1005 4995))",
     [(1, 1), (1, 2), (2, 1), (2, 2)]),
    # diagonal through centres
    ("POLYGON((1000 5000, 1060 4940, 1000 4940, 1000 5000))",
     [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2), (4, 0), (4, 1), (4, 2), (4, 3),
      (5, 0), (5, 1), (5, 2), (5, 3), (5, 4)]),
    # hole whose boundary runs through centres
    ("POLYGON((1002 4998, 1038 4998, 1038 4962, 1002 4962, 1002 4998),"
     "(1015 4985, 1025 4985, 1025 4975, 1015 4975, 1015 4985))",
     [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 3), (2, 0), (2, 3), (3, 0), (3, 1), (3, 2),
      (3, 3)]),
    # notch vertex exactly on a centre
    ("POLYGON((1005 4995, 1025 4985, 1045 4995, 1045 4955, 1005 4955, 1005 4995))",
     [(1, 1), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3)]),
    # multipart: two separate squares
    ("MULTIPOLYGON(((1000 5000, 1020 5000, 1020 4980, 1000 4980, 1000 5000)),"
     "((1040 4960, 1060 4960, 1060 4940, 1040 4940, 1040 4960)))",
     [(0, 0), (0, 1), (1, 0), (1, 1), (4, 4), (4, 5), (5, 4), (5, 5)]),
])
def test_cell_centre_rule_matches_qgis_zonal_statistics(wkt, cells):
    frame = S.zonal_slope(POW, grid(np.zeros((6, 6))), [shapely.from_wkt(wkt)], 25).iloc[0]
    assert not frame.PD_EXACT
    assert _cells(frame, POW) == cells


def test_parcel_smaller_than_a_cell_gets_area_weighted_mean():
    values = np.array([[10.0, 20.0], [30.0, 40.0]])
    # 4 x 4 m square centred on the corner shared by all four cells: equal weights
    poly = shapely.box(1006, 4986, 1014, 4994)
    frame = S.zonal_slope(values, grid(np.zeros((2, 2))), [poly], 25).iloc[0]
    assert frame.PD_EXACT
    assert frame.PD_MEAN == pytest.approx(25.0)
    assert frame.PD_N == pytest.approx(4 * 16 / 100)
    assert frame.PD_GT == pytest.approx(50.0)


def test_parcel_with_one_centre_switches_to_area_weighted_mean():
    values = np.array([[10.0, 20.0], [30.0, 40.0]])
    # covers cell (0,0) with its centre and 2 m x 10 m of cell (0,1): weights 1.0 and 0.2
    poly = shapely.box(1000, 4990, 1012, 5000)
    frame = S.zonal_slope(values, grid(np.zeros((2, 2))), [poly], 25).iloc[0]
    assert frame.PD_EXACT
    assert frame.PD_MEAN == pytest.approx((10 * 1.0 + 20 * 0.2) / 1.2)


def test_parcel_outside_the_grid_has_no_value():
    frame = S.zonal_slope(POW, grid(np.zeros((6, 6))), [shapely.box(0, 0, 10, 10)], 25).iloc[0]
    assert np.isnan(frame.PD_MEAN) and frame.PD_N == 0


def test_nodata_cells_are_left_out_of_the_mean():
    values = np.array([[10.0, np.nan, 30.0]])
    poly = shapely.box(1000, 4990, 1030, 5000)
    frame = S.zonal_slope(values, grid(np.zeros((1, 3))), [poly], 25).iloc[0]
    assert frame.PD_MEAN == pytest.approx(20.0) and frame.PD_N == 2
    assert frame.PD_GT == pytest.approx(50.0)


def test_parcel_slope_on_plane_is_the_plane_slope():
    dem = plane_dem(40, 40, 10.0, 30.0, 45.0)
    g = grid(dem)
    polys = [shapely.box(1050, 4700, 1200, 4850), shapely.Point(1203, 4803).buffer(3)]
    out = S.parcel_slope(g, polys, 25.0)
    assert np.allclose(out.PD_MEAN, 30.0, atol=1e-3)
    assert (out.PD_GT == 100).all()


def test_runs_agree_with_shapely_contains_on_random_polygons():
    rng = np.random.default_rng(3)
    g = grid(np.zeros((60, 70)), x0=0.0, y0=600.0)
    polys = []
    for _ in range(200):
        cx, cy = rng.uniform(20, 680), rng.uniform(20, 580)
        pts = rng.uniform(-40, 40, size=(7, 2)) + [cx, cy]
        p = shapely.make_valid(shapely.Polygon(np.round(pts / 5) * 5))  # many exact hits
        parts = [q for q in shapely.get_parts(p) if q.geom_type != "LineString"]
        polys.append(shapely.union_all([q for q in parts if q.area > 0]))
    par, row, c0, c1 = S.centre_runs(np.array(polys, dtype=object), g)
    got = set()
    for p, r, a, b in zip(par, row, c0, c1):
        got.update((int(p), int(r), int(c)) for c in range(a, b))
    want = set()
    yy, xx = np.mgrid[0:60, 0:70]
    cx, cy = xx * 10 + 5.0, 600 - (yy * 10 + 5.0)
    for k, p in enumerate(polys):
        inside = shapely.contains_xy(p, cx, cy)
        want.update((k, int(r), int(c)) for r, c in zip(*np.nonzero(inside)))
    assert got == want


def test_dem_without_nodata_treats_zero_as_nodata_like_qgis():
    # QGIS 3.22 native:slope on the Swellendam SRTM (no nodata set): the sea (0 m) is
    # nodata; a cell next to it uses one-sided differences
    z = np.zeros((3, 4))
    z[:, 2:] = [[10, 20], [10, 20], [10, 20]]
    slope = S.horn_slope(z, 10, 10, None)
    assert np.isnan(slope[:, 0]).all()
    # column 2: west neighbour is 0 (nodata) -> (20 - 10) / 10 one-sided; rows agree
    assert slope[1, 2] == pytest.approx(np.degrees(np.arctan(1.0)), abs=1e-4)
