"""Farmland contiguity (耕地集中连片度): blocks, bridges, the after-consolidation set and
the indicators, on hand-made geometries whose answers are worked out by hand or by a
GEOS union (what a dissolve does)."""
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from qn_landconsol_plugin.core import contiguity as C
from qn_landconsol_plugin.core.rules import Rules
from qn_landconsol_plugin.core.units import M2_PER_MU


def blocks_of(labels):
    """Blocks as a set of frozensets of parcel indices."""
    out = {}
    for i, lab in enumerate(labels):
        if lab >= 0:
            out.setdefault(lab, set()).add(i)
    return {frozenset(s) for s in out.values()}


def union_parts(geoms):
    """Areas of the parts of the union (dissolve + multipart to singleparts), sorted."""
    return np.sort(shapely.area(shapely.get_parts(shapely.union_all(geoms))))


def test_parcels_sharing_an_edge_form_one_block_and_a_corner_does_not():
    geoms = np.array([box(0, 0, 10, 10), box(10, 0, 20, 10),   # edge
                      box(20, 10, 30, 20),                     # corner of parcel 1 only
                      box(40, 0, 50, 10)])                     # apart
    labels = C.farmland_blocks(geoms, np.ones(4, bool))
    assert blocks_of(labels) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}


def test_partial_edge_without_shared_vertices_still_joins():
    # parcel 1's left edge lies on parcel 0's right edge, T-junctions, no common segment
    geoms = np.array([box(0, 0, 10, 30), box(10, 5, 20, 12), box(10, 12.5, 20, 20)])
    labels = C.farmland_blocks(geoms, np.ones(3, bool))
    assert blocks_of(labels) == {frozenset({0, 1, 2})}


def test_overlapping_parcels_join_and_non_farmland_gets_minus_one():
    geoms = np.array([box(0, 0, 10, 10), box(5, 5, 15, 15), box(15, 0, 25, 10)])
    labels = C.farmland_blocks(geoms, np.array([True, True, False]))
    assert labels[2] == -1
    assert blocks_of(labels) == {frozenset({0, 1})}


def test_non_farmland_between_fields_breaks_the_block():
    geoms = np.array([box(0, 0, 10, 10), box(10, 0, 12, 10), box(12, 0, 22, 10)])
    labels = C.farmland_blocks(geoms, np.array([True, False, True]))
    assert blocks_of(labels) == {frozenset({0}), frozenset({2})}


@pytest.mark.parametrize("road_width, expected_blocks", [(5.0, 1), (12.0, 2)])
def test_fields_across_a_narrow_road_are_one_block_a_wide_road_splits(road_width, expected_blocks):
    geoms = np.array([box(0, 0, 100, 100), box(100, 0, 100 + road_width, 100),
                      box(100 + road_width, 0, 200 + road_width, 100)])
    farm = np.array([True, False, True])
    road = np.array([False, True, False])
    labels = C.farmland_blocks(geoms, farm, road, max_bridge_width=8.0)
    assert len(blocks_of(labels)) == expected_blocks
    # without bridge codes the road always splits
    assert len(blocks_of(C.farmland_blocks(geoms, farm))) == 2


def test_road_width_estimate_is_exact_for_a_strip_and_xzdwkd_wins():
    strip = box(0, 0, 5, 100)
    assert C.linear_width([strip])[0] == pytest.approx(5.0)
    # a 200 m x 3 m ditch: width 3
    assert C.linear_width([box(0, 0, 200, 3)])[0] == pytest.approx(3.0)
    assert C.linear_width([strip], [7.5])[0] == 7.5
    assert C.linear_width([strip], [None])[0] == pytest.approx(5.0)


def test_xzdwkd_wider_than_the_limit_keeps_fields_apart():
    geoms = np.array([box(0, 0, 100, 100), box(100, 0, 105, 100), box(105, 0, 205, 100)])
    farm = np.array([True, False, True])
    road = np.array([False, True, False])
    widths = C.linear_width(geoms, [None, 9.0, None])
    assert len(blocks_of(C.farmland_blocks(geoms, farm, road, widths, 8.0))) == 2


def test_fields_far_apart_along_one_road_stay_apart():
    # a long 4 m road with fields on the same side, 50 m apart, with woodland between
    geoms = np.array([box(0, 4, 100, 100), box(100, 4, 150, 100), box(150, 4, 250, 100),
                      box(0, 0, 250, 4)])
    farm = np.array([True, False, True, False])
    road = np.array([False, False, False, True])
    labels = C.farmland_blocks(geoms, farm, road, max_bridge_width=8.0)
    assert blocks_of(labels) == {frozenset({0}), frozenset({2})}


def test_fields_beside_a_road_separated_by_a_house_stay_apart():
    # same side of the road, a 6 m house plot between them: not separated "only by the road"
    geoms = np.array([box(0, 4, 100, 100), box(100, 4, 106, 100), box(106, 4, 206, 100),
                      box(0, 0, 206, 4)])
    farm = np.array([True, False, True, False])
    road = np.array([False, False, False, True])
    labels = C.farmland_blocks(geoms, farm, road, max_bridge_width=8.0)
    assert len(blocks_of(labels)) == 2


def test_blocks_match_a_union_on_a_random_tessellation():
    rng = np.random.default_rng(3)
    pts = shapely.multipoints(rng.uniform(0, 2000, (3000, 2)))
    frame = box(0, 0, 2000, 2000)
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(pts, extend_to=frame)), frame)
    farm = rng.random(len(cells)) < 0.45
    labels = C.farmland_blocks(cells, farm)
    dissolved = C.dissolve_blocks(cells, labels)
    ours = np.sort(shapely.area(np.array(list(dissolved.values()))))
    native = union_parts(cells[farm])
    assert len(ours) == len(native)
    np.testing.assert_allclose(ours, native, rtol=1e-9, atol=0.01)


def test_blocks_match_a_union_when_vertices_are_not_shared():
    # rows of plots whose vertical edges are offset row to row (T-junctions everywhere)
    geoms, rng = [], np.random.default_rng(5)
    for r in range(20):
        xs = np.r_[0, np.sort(rng.uniform(0, 500, 15)), 500]
        geoms += [box(a, r * 20, b, r * 20 + 20) for a, b in zip(xs[:-1], xs[1:])]
    geoms = np.array(geoms)
    farm = rng.random(len(geoms)) < 0.5
    labels = C.farmland_blocks(geoms, farm)
    ours = np.sort(shapely.area(np.array(list(C.dissolve_blocks(geoms, labels).values()))))
    native = union_parts(geoms[farm])
    assert len(ours) == len(native)
    np.testing.assert_allclose(ours, native, rtol=1e-9, atol=0.01)


def test_indicators_by_hand():
    ind = C.contiguity_indicators([10.0, 30.0, 60.0], large_block_mu=30.0)
    assert ind["GD_MU"] == 100.0
    assert ind["LP_N"] == 3
    assert ind["LP_PJ"] == pytest.approx(100 / 3)
    assert ind["LP_JQ"] == pytest.approx((100 + 900 + 3600) / 100)   # Σa²/Σa
    assert ind["LP_MAX"] == 60.0
    assert ind["DLP_ZB"] == pytest.approx(90.0)                       # 30 + 60 of 100
    assert ind["LP_BM"] == pytest.approx(3.0)                         # 3 per 100 亩
    empty = C.contiguity_indicators([], 30.0)
    assert empty["LP_N"] == 0 and empty["GD_MU"] == 0 and empty["DLP_ZB"] == 0


def test_large_block_default_comes_from_rules():
    assert Rules().large_block_mu == 30.0 and Rules().bridge_width_m == 8.0


def test_block_table_numbers_largest_first_in_mu():
    labels = np.array([0, 0, 1, -1, 2])
    areas = np.array([1000.0, 1000.0, 5000.0, 9999.0, 100.0])
    table = C.block_table(labels, areas, villages=["A", "B", "B", "B", "A"])
    assert table.loc[1, "LP_ID"] == 1 and table.loc[0, "LP_ID"] == 2 and table.loc[2, "LP_ID"] == 3
    assert table.loc[0, "LP_MU"] == pytest.approx(2000 / M2_PER_MU)
    assert table.loc[0, "LP_TBS"] == 2
    lp_id, lp_mu = C.parcel_blocks(labels, table)
    assert np.isnan(lp_id[3]) and lp_id[2] == 1 and lp_mu[1] == pytest.approx(3.0)


def test_farmland_area_uses_tbdlmj_then_tbmj_minus_kcmj_then_planar():
    table = pd.DataFrame({"TBDLMJ": [90.0, None, None], "TBMJ": [100.0, 100.0, None],
                          "KCMJ": [10.0, 20.0, None], "KCXS": [0.1, 0.2, 0.1]})
    np.testing.assert_allclose(C.farmland_area_m2(table, [1, 1, 50.0]), [90.0, 80.0, 45.0])


def test_after_consolidation_adds_and_removes_by_tag_and_potential_type():
    now = np.array([True, True, False, False, False, True, False, True])
    table = pd.DataFrame({
        "ZZZLX": ["NYD04", None, "NYD04", "宜耕后备资源开发", "JSYD01", "NYD03", None, None],
        "ZZLX": ["NYD", "CYRH", "NYD", "NYD", "JSYD", "NYD", None, None],
        "QL_LX": [None, None, None, None, None, None, "宜耕后备资源开发;林耕置换(入)",
                  "坡耕地退出；田坎归并"],
    })
    change = C.farmland_change(now, table)
    # swap out, CYRH on farmland out, swap in, reserve in (label), homestead in,
    # reserve tag on farmland: no change, QL_LX in (ASCII brackets), QL_LX slope out
    assert list(change) == ["out", "out", "in", "in", "in", "", "in", "out"]
    after = C.farmland_after(now, change)
    assert list(after) == [False, False, True, True, True, True, True, False]


def test_after_without_tags_equals_current():
    now = np.array([True, False])
    change = C.farmland_change(now, pd.DataFrame({"DLBM": ["0101", "0301"]}))
    assert list(C.farmland_after(now, change)) == [True, False]


def test_summary_counts_village_parts_and_whole_blocks_with_change():
    # one block across villages A and B (3 亩 + 1 亩), one in B (2 亩); after: B's block grows
    mu = M2_PER_MU
    areas = np.array([3 * mu, 1 * mu, 2 * mu, 1 * mu])
    villages = np.array(["A", "B", "B", "B"], dtype=object)
    current = np.array([0, 0, 1, -1])
    after = np.array([0, 0, 1, 1])
    frame = C.summary({C.CURRENT: current, C.AFTER: after}, areas, villages,
                      {"A": "甲村", "B": "乙村"}, large_block_mu=2.5)
    total = frame[(frame.CJ_DM == "") & (frame.QJ == "现状")].iloc[0]
    assert total.LP_N == 2 and total.GD_MU == pytest.approx(6.0)
    assert total.LP_MAX == pytest.approx(4.0) and total.DLP_ZB == pytest.approx(400 / 6)
    b_now = frame[(frame.CJ_DM == "B") & (frame.QJ == "现状")].iloc[0]
    assert b_now.CJ_MC == "乙村" and b_now.LP_N == 2 and b_now.LP_MAX == pytest.approx(2.0)
    b_change = frame[(frame.CJ_DM == "B") & (frame.QJ == "变化")].iloc[0]
    assert b_change.GD_MU == pytest.approx(1.0) and b_change.LP_MAX == pytest.approx(1.0)
    assert b_change.DLP_ZB == pytest.approx(75.0)   # 3 of 4 亩 in a block >= 2.5, before 0
    assert list(frame.QJ[frame.CJ_DM == ""]) == ["现状", "整治后", "变化"]


def test_edges_digitised_twice_with_float_noise_are_shared():
    # the right field's left edge is 1e-9 m off the left field's right edge, with its own
    # vertices: exactly they only touch at a corner; within 1 µm they share 100 m
    left = shapely.Polygon([(0, 0), (100, 0), (100, 100), (0, 100)])
    right = shapely.Polygon([(100, 0), (200, 0), (200, 100), (100 + 1e-9, 100),
                             (100 + 1e-9, 50), (100, 0)])
    assert shapely.relate(left, right)[4] != "1"        # no exact shared line
    labels, shapes = C.farmland_blocks(np.array([left, right]), np.ones(2, bool),
                                       return_shapes=True)
    assert blocks_of(labels) == {frozenset({0, 1})}
    assert shapes[0].geom_type == "Polygon"
    assert shapes[0].area == pytest.approx(left.area + right.area, rel=1e-9)


def test_far_apart_near_parallel_edges_stay_apart():
    left = box(0, 0, 100, 100)
    right = box(100.001, 0, 200, 100)                    # a 1 mm gap: not noise
    labels = C.farmland_blocks(np.array([left, right]), np.ones(2, bool))
    assert len(blocks_of(labels)) == 2


def test_collapsed_sliver_part_forms_no_block_of_its_own_when_touching():
    field = box(0, 0, 100, 100)
    sliver = shapely.Polygon([(100, 100), (100 + 1e-7, 100), (100, 100 + 1e-7)])  # 5e-15 m²
    labels = C.farmland_blocks(np.array([field, sliver]), np.ones(2, bool))
    assert blocks_of(labels) == {frozenset({0, 1})}


@pytest.mark.parametrize("after_calls", [0, 1])
def test_cancel_while_building_blocks_raises_canceled(after_calls):
    """is_canceled() turning true at any point of the dissolve stops the work with
    contiguity.Canceled (never a half-built block table)."""
    geoms = np.array([box(x, y, x + 10, y + 10) for x in range(0, 100, 10)
                      for y in range(0, 30, 10)] + [box(200, 0, 210, 10)], dtype=object)
    calls = []

    def is_canceled():
        calls.append(1)
        return len(calls) > after_calls

    with pytest.raises(C.Canceled):
        C.farmland_blocks(geoms, np.ones(len(geoms), bool), is_canceled=is_canceled)
    # without a cancel the same call gives two blocks
    assert C.farmland_blocks(geoms, np.ones(len(geoms), bool)).max() == 1


def test_farmland_codes_with_nulls_are_not_farmland_without_a_pandas_warning():
    import warnings

    codes = np.array(["0101", None, "0103", "0301", float("nan"), "", "0201K"], dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # pandas' fillna downcasting FutureWarning
        got = C.is_farmland_code(codes)
    assert got.tolist() == [True, False, True, False, False, False, False]
    assert C.is_farmland_code(np.array([None, None], dtype=object)).tolist() == [False, False]
