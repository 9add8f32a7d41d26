"""core.geometry: the rectangle-clip overlap areas agree with GEOS intersection areas
(shells, holes, multipolygons, concave rings, edges on the box lines, boxes outside),
the threaded WKB parse and repair give GEOS's own results."""
import numpy as np
import pytest
import shapely

from qn_landconsol_plugin.core import geometry as G


def _geos(geoms, owner, boxes):
    return shapely.area(shapely.intersection(np.asarray(geoms, dtype=object)[owner],
                                             shapely.box(*boxes.T)))


def _check(geoms, owner, boxes):
    """Within 1e-9 of a 10 m cell: GEOS computes in absolute county coordinates, whose
    rounding (~1e-9 m²) is the larger error."""
    ours = G.box_overlap_areas(geoms, owner, *boxes.T)
    assert ours == pytest.approx(_geos(geoms, owner, boxes), abs=1e-7)


CASES = [
    "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))",                          # a cell exactly
    "POLYGON((2 2, 8 3, 5 9, 2 2))",                                   # inside
    "POLYGON((-5 -5, 25 -5, 25 25, -5 25, -5 -5), (3 3, 7 3, 7 7, 3 7, 3 3))",  # holed
    "POLYGON((0 0, 30 0, 30 30, 20 30, 20 5, 5 5, 5 30, 0 30, 0 0))",  # concave U
    "MULTIPOLYGON(((-3 -3, 4 -3, 4 4, -3 4, -3 -3)), ((6 6, 14 6, 14 14, 6 14, 6 6)))",
    "POLYGON((10 0, 20 0, 20 10, 10 10, 10 0))",                       # touches along x=10
    "POLYGON((-7 5, 5 -7, 17 5, 5 17, -7 5))",                         # diamond over corners
    "POLYGON((0 0, 10 10, 0 10, 10 0, 0 0))",                          # bow-tie (invalid)
]


@pytest.mark.parametrize("wkt", CASES)
def test_overlap_with_a_grid_of_boxes_equals_geos(wkt):
    geom = shapely.from_wkt(wkt)
    if not shapely.is_valid(geom):
        geom = G.repair([geom])[0][0]
    xs, ys = np.meshgrid(np.arange(-10.0, 30.0, 10.0), np.arange(-10.0, 30.0, 10.0))
    boxes = np.column_stack([xs.ravel(), ys.ravel(), xs.ravel() + 10, ys.ravel() + 10])
    _check([geom], np.zeros(len(boxes), dtype=int), boxes)


def test_random_polygons_at_county_coordinates():
    rng = np.random.default_rng(3)
    geoms, owners, boxes = [], [], []
    for k in range(300):
        cx, cy = 450000 + rng.uniform(0, 1000), 2900000 + rng.uniform(0, 1000)
        angles = np.sort(rng.uniform(0, 2 * np.pi, rng.integers(3, 12)))
        radii = rng.uniform(2, 15, len(angles))
        ring = np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)])
        geoms.append(shapely.make_valid(shapely.Polygon(ring)))
        x0, y0 = np.floor(cx / 10) * 10 - 20, np.floor(cy / 10) * 10 - 20
        for i in range(5):
            for j in range(5):
                owners.append(k)
                boxes.append((x0 + 10 * i, y0 + 10 * j, x0 + 10 * i + 10, y0 + 10 * j + 10))
    geoms = G.repair(geoms)[0]
    _check(geoms, np.array(owners), np.array(boxes))


def test_no_geometry_gives_zero():
    out = G.box_overlap_areas(np.array([None, shapely.Polygon()], dtype=object), [0, 1],
                              [0, 0], [0, 0], [1, 1], [1, 1])
    assert list(out) == [0.0, 0.0]


def test_threaded_wkb_parse_and_repair_equal_single_calls(monkeypatch):
    from qn_landconsol_plugin.core import parallel

    monkeypatch.setattr(parallel, "workers", lambda: 3)   # threads even on a 1-core runner
    rng = np.random.default_rng(5)
    angles = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    hexagon = np.column_stack([np.cos(angles), np.sin(angles)])
    coords = hexagon[None] + rng.uniform(0, 1000, (50000, 1, 2))
    coords[::1000, [1, 2]] = coords[::1000, [2, 1]]           # every 1000th a bow-tie
    geoms = shapely.polygons(coords)
    wkbs = shapely.to_wkb(geoms)
    parsed = G.from_wkb(list(wkbs) + [None])
    assert shapely.equals_exact(parsed[:-1], geoms, 0).all()
    assert parsed[-1] is None
    repaired, n = G.repair(parsed)
    assert n == 50 == int((~shapely.is_valid(parsed[:-1])).sum())
    assert shapely.is_valid(repaired[:-1]).all() and repaired[-1] is None
