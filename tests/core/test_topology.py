"""Gaps and overlaps of a parcel layer (core.topology) on hand-made cases whose areas are
worked out by hand, and on a perturbed sample township against GEOS overlays."""
import numpy as np
import pytest
import shapely
from shapely import Point, Polygon, box

from qn_landconsol_plugin.core.topology import gaps_and_overlaps


def frame(outer, hole):
    """A parcel with a rectangular hole: box(*outer) minus box(*hole)."""
    return Polygon(box(*outer).exterior.coords, [box(*hole).exterior.coords])


def test_two_squares_with_a_one_hundredth_square_metre_slit_in_a_frame():
    # the frame's 20 x 10 hole holds A (10 x 10) and B (9.999 x 10): a 0.001 x 10 slit
    parcels = [frame((0, 0, 40, 20), (10, 5, 30, 15)), box(10, 5, 20, 15), box(20.001, 5, 30, 15)]
    found = gaps_and_overlaps(parcels)
    assert found.overlaps == ()
    (gap,) = found.gaps
    assert gap.area == pytest.approx(0.01, rel=1e-6)
    assert gap.geometry.bounds == pytest.approx((20.0, 5.0, 20.001, 15.0))
    assert 20.0 < gap.location.x < 20.001 and 5 < gap.location.y < 15
    assert gap.neighbours == (0, 1, 2)
    assert not found.clean


def test_overlapping_squares_give_the_pair_and_its_area():
    found = gaps_and_overlaps([box(0, 0, 10, 10), box(9, 0, 19, 10)])
    assert found.gaps == ()
    (overlap,) = found.overlaps
    assert (overlap.first, overlap.second) == (0, 1)
    assert overlap.area == pytest.approx(10.0)          # 1 m x 10 m
    assert overlap.geometry.equals(box(9, 0, 10, 10))
    assert 9 < overlap.location.x < 10


def test_touching_edges_and_corners_are_clean():
    # C's bottom edge runs along A's top edge with a vertex A does not have (a T-junction)
    parcels = [box(0, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2), box(2, 2, 3, 3)]
    found = gaps_and_overlaps(parcels)
    assert found.clean and found.gaps == () and found.overlaps == ()
    assert found.slivers_below_tolerance == 0


def test_a_hole_filled_by_a_parcel_is_clean_and_an_empty_hole_is_a_gap():
    donut = frame((0, 0, 10, 10), (3, 3, 6, 6))
    assert gaps_and_overlaps([donut, box(3, 3, 6, 6)]).clean
    # filled by two parcels whose vertices the hole's ring does not have
    assert gaps_and_overlaps([donut, box(3, 3, 4.5, 6), box(4.5, 3, 6, 6)]).clean
    (gap,) = gaps_and_overlaps([donut, box(0, 20, 1, 21)]).gaps
    assert gap.area == pytest.approx(9.0) and gap.neighbours == (0,)


def test_a_bay_of_the_outline_is_not_a_gap():
    # a C shape: the notch opens to the outside
    parcels = [box(0, 0, 3, 1), box(0, 1, 1, 2), box(0, 2, 3, 3)]
    assert gaps_and_overlaps(parcels).clean


def test_sliver_below_the_tolerance_is_counted_not_reported():
    parcels = [frame((0, 0, 40, 20), (10, 5, 30, 15)), box(10, 5, 20, 15), box(20.001, 5, 30, 15),
               box(100, 0, 110, 10), box(109.998, 0, 120, 10)]     # overlap 0.002 x 10
    found = gaps_and_overlaps(parcels, sliver_tolerance_m2=0.05)
    assert found.clean
    assert found.slivers_below_tolerance == 2
    assert found.sliver_area_below_tolerance == pytest.approx(0.01 + 0.02, rel=1e-6)
    assert len(gaps_and_overlaps(parcels, sliver_tolerance_m2=0.015).overlaps) == 1


def test_a_parcel_inside_another_and_a_duplicate_overlap_by_their_whole_area():
    found = gaps_and_overlaps([box(0, 0, 10, 10), box(2, 2, 4, 5), box(20, 0, 25, 5),
                               box(20, 0, 25, 5)])
    assert [(o.first, o.second, o.area) for o in found.overlaps] == [
        (0, 1, pytest.approx(6.0)), (2, 3, pytest.approx(25.0))]


def test_two_layers_of_the_same_square_divided_differently_overlap_pairwise():
    # left/right halves and bottom/top halves of one 10 x 10 square: every shared edge
    # cancels within its own layer, yet each half overlaps both halves of the other
    parcels = [box(0, 0, 5, 10), box(5, 0, 10, 10), box(0, 0, 10, 5), box(0, 5, 10, 10)]
    found = gaps_and_overlaps(parcels)
    pairs = {(o.first, o.second): o.area for o in found.overlaps}
    assert pairs == {(0, 2): pytest.approx(25), (0, 3): pytest.approx(25),
                     (1, 2): pytest.approx(25), (1, 3): pytest.approx(25)}
    assert found.gaps == ()


def test_three_parcels_over_one_spot_give_three_pairs():
    found = gaps_and_overlaps([box(0, 0, 4, 4), box(2, 0, 6, 4), box(1, 1, 5, 3)])
    pairs = {(o.first, o.second): o.area for o in found.overlaps}
    assert pairs == {(0, 1): pytest.approx(8.0), (0, 2): pytest.approx(6.0),
                     (1, 2): pytest.approx(6.0)}


def test_missing_non_polygon_and_invalid_geometries_are_listed():
    bowtie = Polygon([(10, 0), (12, 2), (12, 0), (10, 2)])       # two triangles of 1 m²
    found = gaps_and_overlaps([box(0, 0, 1, 1), None, Point(5, 5), Polygon(), bowtie,
                               box(11, 0, 13, 2)])
    assert found.not_polygons == (1, 2, 3)
    assert found.repaired == (4,)
    (overlap,) = found.overlaps                                   # right triangle in the box
    assert (overlap.first, overlap.second, overlap.area) == (4, 5, pytest.approx(1.0))


def test_multipolygon_parts_count_as_one_parcel():
    two_parts = shapely.MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)])
    found = gaps_and_overlaps([two_parts, box(1, 0, 2, 1), box(2.5, 0, 3.5, 1)])
    assert [(o.first, o.second, o.area) for o in found.overlaps] == [(0, 2, pytest.approx(0.5))]


def test_micrometre_wide_sliver_overlap_is_found():
    # B's vertex lies 1.4e-6 m across A's diagonal edge: a sliver triangle 1.4 km long
    a = Polygon([(0, 0), (1000, 0), (1000, 1000)])
    b = Polygon([(0, 0), (500.000001, 499.999999), (1000, 1000), (0, 1000)])
    found = gaps_and_overlaps([a, b])
    (overlap,) = found.overlaps
    # triangle (0,0), (500.000001, 499.999999), (1000,1000): ½·|cross| = ½·1000·0.000002
    assert overlap.area == pytest.approx(0.001, rel=1e-6)
    assert found.gaps == ()


def test_perturbed_tessellation_matches_geos_overlays():
    """Voronoi cells of 400 random points (edge-matched) with cells removed, shifted and
    grown: the holes of the GEOS union and the pairwise GEOS intersections are the
    expected findings."""
    rng = np.random.default_rng(0)
    points = shapely.multipoints(rng.uniform(0, 2000, (400, 2)) + [500000, 2900000])
    frame = box(500000, 2900000, 502000, 2902000)
    geoms = shapely.intersection(shapely.get_parts(shapely.voronoi_polygons(points)), frame)
    assert gaps_and_overlaps(geoms).clean
    inner = np.flatnonzero(shapely.contains_properly(shapely.buffer(frame, -300), geoms))
    picks = rng.choice(inner, 9, replace=False)
    geoms[picks[:3]] = None                                      # holes
    geoms[picks[3:6]] = shapely.transform(geoms[picks[3:6]], lambda xy: xy + [0.7, -0.4])
    geoms[picks[6:]] = shapely.buffer(geoms[picks[6:]], 0.5, join_style="mitre")
    found = gaps_and_overlaps(geoms)

    union = shapely.union_all(geoms)
    holes = [Polygon(r).area for p in shapely.get_parts(union) for r in p.interiors]
    holes = sorted(a for a in holes if a > 1e-6)        # GEOS leaves some zero-area rings
    assert len(holes) >= 3
    assert sorted(g.area for g in found.gaps) == pytest.approx(holes, rel=1e-7)
    present = np.flatnonzero(~shapely.is_missing(geoms))
    tree = shapely.STRtree(geoms[present])
    a, b = tree.query(geoms[present], predicate="intersects")
    a, b = a[a < b], b[a < b]
    area = shapely.area(shapely.intersection(geoms[present][a], geoms[present][b]))
    expected = {(int(present[i]), int(present[j])): s for i, j, s in zip(a, b, area) if s > 0}
    assert len(expected) >= 6
    assert {(o.first, o.second): o.area for o in found.overlaps} == pytest.approx(expected,
                                                                                  rel=1e-7)
