"""Idle homesteads and hollow villages: hand-made geometry and hand-worked numbers."""
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from qn_landconsol_plugin.core import idle_homesteads as ih
from qn_landconsol_plugin.core.rules import Rules
from qn_landconsol_plugin.core.units import M2_PER_MU

A = box(0, 0, 10, 10)       # 100 m²
B = box(10, 0, 20, 10)      # 100 m², shares the edge x=10 with A


def test_overlapping_footprints_count_once():
    b1, b2 = box(1, 1, 5, 5), box(3, 3, 7, 7)  # 16 + 16 - 4 (the [3,5]² overlap)
    assert ih.building_area_in_parcels([A], [b1, b2])[0] == pytest.approx(28.0)


def test_identical_duplicate_footprint_counts_once():
    b = box(2, 2, 6, 5)  # 12 m²
    assert ih.building_area_in_parcels([A], [b, b, shapely.Polygon(b.exterior.coords)])[0] \
        == pytest.approx(12.0)


def test_straddling_footprint_counts_only_its_part_inside_each_parcel():
    b = box(8, 2, 12, 4)  # 8 m², 2x2 in A and 2x2 in B
    np.testing.assert_allclose(ih.building_area_in_parcels([A, B], [b]), [4.0, 4.0])


def test_overlap_cluster_straddling_two_parcels():
    # chain b1-b2-b3 overlapping pairwise, across x=10
    b1, b2, b3 = box(6, 1, 9, 3), box(8, 1, 11, 3), box(10, 2, 13, 4)
    # union = [6,11]x[1,3] (10) + [10,13]x[2,4] (6) - [10,11]x[2,3] (1) = 15
    # in A: x<=10 part of [6,11]x[1,3] = 8; in B: [10,11]x[1,3]=2 + [10,13]x[2,4]=6 - 1 = 7
    np.testing.assert_allclose(ih.building_area_in_parcels([A, B], [b1, b2, b3]), [8.0, 7.0])


def test_touching_row_houses_add_up_and_edge_footprint_is_inside():
    row = [box(0, 0, 2, 3), box(2, 0, 4, 3), box(4, 0, 6, 3)]  # 6 m² each, the first on A's edge
    assert ih.building_area_in_parcels([A], row)[0] == pytest.approx(18.0)
    footprints, clusters = ih.merge_overlapping(row)
    assert len(footprints) == 3 and len(set(clusters)) == 3   # touching is not overlapping


def test_footprint_in_a_parcel_hole_is_not_inside():
    holed = Polygon(A.exterior.coords, [box(4, 4, 6, 6).exterior.coords])
    b_hole, b_ring = box(4.5, 4.5, 5.5, 5.5), box(1, 1, 2, 2)
    assert ih.building_area_in_parcels([holed], [b_hole, b_ring])[0] == pytest.approx(1.0)


def test_invalid_bowtie_footprint_is_repaired():
    bowtie = Polygon([(1, 1), (5, 5), (5, 1), (1, 5)])  # two triangles of 4 m² each
    assert not bowtie.is_valid
    assert ih.building_area_in_parcels([A], [bowtie, None])[0] == pytest.approx(8.0)


def test_no_buildings_and_missing_parcel():
    np.testing.assert_allclose(ih.building_area_in_parcels([A, None], []), [0.0, 0.0])
    np.testing.assert_allclose(ih.building_area_in_parcels([A, None], [box(1, 1, 2, 2)]), [1.0, 0.0])


def test_matches_brute_force_union_on_random_footprints():
    rng = np.random.default_rng(3)
    parcels = [box(x, y, x + 25, y + 25) for x in range(0, 100, 25) for y in range(0, 100, 25)]
    xy = rng.uniform(0, 95, size=(300, 2))
    wh = rng.uniform(2, 12, size=(300, 2))
    blds = [box(x, y, x + w, y + h) for (x, y), (w, h) in zip(xy, wh)]
    union = shapely.union_all(blds)
    expected = [p.intersection(union).area for p in parcels]
    np.testing.assert_allclose(ih.building_area_in_parcels(parcels, blds), expected, atol=1e-6)


def test_status_reasons_need_every_building_of_the_parcel_idle():
    blds = [box(1, 1, 3, 3), box(5, 5, 7, 7),      # A: 危房 + 倒塌
            box(12, 1, 14, 3), box(15, 5, 17, 7),  # B: 空置 + 正常 -> in use
            box(9, 8, 10.5, 9)]                    # straddles A/B, point-on-surface in A: 危房
    C = box(20, 0, 30, 10)
    D = box(30, 0, 40, 10)
    blds += [box(31, 1, 33, 3)]                    # D: no state -> unknown, not idle
    status = ["危房", "倒塌", "空置", "正常", "危房", None]
    out = ih.building_status_reasons([A, B, C, D], blds, status, rules=Rules())
    assert out == [("危房", "倒塌"), (), (), ()]


def test_household_summary_sums_and_reports_unmatched_keys():
    frame, unmatched = ih.household_summary(
        ["001", "002", "003"],
        ["001", " 001 ", "002", "999", None, 3.0],
        residents=[2, 1, 0, 5, 1, "x"], kwh=["50", 30, 800, 1, 1, 1])
    assert frame["CZRK"].tolist()[:2] == [3.0, 0.0]
    assert frame["NYDL"].tolist()[:2] == [80.0, 800.0]
    assert frame["HH_N"].tolist() == [2, 1, 0]
    assert np.isnan(frame["CZRK"][2])
    assert unmatched == ["999", None, "3"]


def test_normalize_key():
    assert ih.normalize_key(" 00012 ") == "00012"
    assert ih.normalize_key(12.0) == "12"
    assert ih.normalize_key(float("nan")) is None
    assert ih.normalize_key("") is None


def test_flag_idle_lists_every_reason_in_order():
    area = [200.0, 200.0, 200.0, 200.0, 200.0]
    built = [0.0, 10.0, 100.0, 100.0, 100.0]             # 0 %, 5 %, 50 %
    status = [(), ("倒塌",), (), (), ()]
    residents = [np.nan, 0, 3, 2, np.nan]
    kwh = [np.nan, 20.0, 99.9, 100.0, np.nan]
    out = ih.flag_idle(area, built, status, residents, kwh, Rules())
    assert out["XZ"].tolist() == [1, 1, 1, 0, 0]
    assert out["XZ_YY"].tolist() == ["无建筑", "建筑占比低、倒塌、无常住人口、用电量低", "用电量低", "", ""]
    np.testing.assert_allclose(out["JZ_FGL"], [0, 5, 50, 50, 50])


def test_flag_idle_coverage_threshold_is_configurable_and_strict():
    out = ih.flag_idle([100.0, 100.0], [10.0, 9.99], coverage_min_pct=10.0)
    assert out["XZ"].tolist() == [0, 1]
    out = ih.flag_idle([100.0], [10.0], coverage_min_pct=20.0)
    assert out["XZ_YY"].tolist() == ["建筑占比低"]


def test_flag_idle_without_building_layer_uses_household_evidence_only():
    out = ih.flag_idle([100.0, 100.0], None, None, [0, 1], None)
    assert out["XZ"].tolist() == [1, 0]
    assert out["JZ_MJ"].isna().all()


def test_reclaim_target_red_line_then_slope():
    idle = [1, 1, 1, 1, 0, 1]
    slope = [10.0, 25.0, 25.01, 40.0, 5.0, np.nan]
    red = [0.0, 0.5, 0.0, 3.0, 0.0, 0.0]
    out = ih.reclaim_target(idle, slope, red, Rules())
    # inside the red line back to forest/grass: restoration, allowed (issue 15 item 10,
    # REFERENCE §3; was 不宜复垦), unless the county switches it off
    assert out.tolist() == ["耕地", "耕地", "林地/园地", "林地/草地", "", "耕地"]
    out = ih.reclaim_target(idle, slope, red, Rules(red_line_restoration=False))
    assert out.tolist() == ["耕地", "耕地", "林地/园地", "不宜复垦", "", "耕地"]


def test_households_keyed_by_zddm_reach_the_parcel_holding_their_zongdi():
    zddm = ["522702101001JC00001", "522702101001JC00002", "522702101002JC00003"]
    # 宗地 1 and 2 in parcel 0 (BSM H1), 宗地 3 in no homestead parcel
    keys = ih.households_by_zongdi([zddm[0], zddm[1], zddm[1], zddm[2], "X", None],
                                   zddm, [0, 0, -1], ["H1", "H2"])
    assert keys == ["H1", "H1", "H1", None, None, None]
    survey, unmatched = ih.household_summary(["H1", "H2"], keys, residents=[0, 1, 0, 5, 5, 5])
    assert survey["CZRK"].tolist()[0] == 1.0 and np.isnan(survey["CZRK"].tolist()[1])
    assert unmatched == [None, None, None]


def test_red_line_overlap_counts_overlapping_zones_once():
    zones = [box(5, 0, 15, 10), box(8, 0, 12, 10)]
    np.testing.assert_allclose(ih.red_line_overlap([A, B], zones), [50.0, 50.0])


def test_zone_of_representative_point():
    zones = [box(0, 0, 10, 10), box(10, 0, 20, 10)]
    idx = ih.zone_of([box(1, 1, 2, 2), box(11, 1, 12, 2), box(30, 1, 31, 2), None], zones)
    assert idx.tolist() == [0, 1, -1, -1]


def test_village_hollowing_rates_threshold_and_rank():
    mu = M2_PER_MU
    codes = ["V1", "V1", "V1", "V1", "V2", "V2", "V3"]
    area = np.array([1, 1, 1, 3, 2, 2, 1]) * mu
    idle = [1, 1, 0, 0, 1, 0, 0]
    reclaim = ["耕地", "不宜复垦", "", "", "林地/园地", "", ""]
    table = ih.village_hollowing(codes, idle, area, reclaim, {"V1": "一村", "V2": "二村"},
                                 Rules(), hollow_min_pct=30.0)
    assert table["CUN_DM"].tolist() == ["V2", "V1", "V3"]      # 50 %, 33.3 %, 0 %
    assert table["PM"].tolist() == [1, 2, 3]
    v1 = table.set_index("CUN_DM").loc["V1"]
    assert v1["ZJD_GS"] == 4 and v1["XZ_GS"] == 2
    assert v1["KXL_SL"] == pytest.approx(50.0)
    assert v1["KXL_MJ"] == pytest.approx(100 * 2 / 6)
    assert v1["KXC"] == 1 and v1["CUN_MC"] == "一村"
    assert (v1["FK_GD_MU"], v1["FK_LY_MU"], v1["BYFK_MU"]) == pytest.approx((1.0, 0.0, 1.0))
    assert v1["FK_LC_MU"] == 0.0
    v2 = table.set_index("CUN_DM").loc["V2"]
    assert v2["KXL_MJ"] == pytest.approx(50.0) and v2["FK_LY_MU"] == pytest.approx(2.0)
    assert table.set_index("CUN_DM").loc["V3", "KXC"] == 0
    assert list(table.columns) == [f.name for f in ih.VILLAGE_FIELDS]


def test_village_hollowing_empty_has_schema():
    table = ih.village_hollowing([], [], [], [])
    assert len(table) == 0 and list(table.columns) == [f.name for f in ih.VILLAGE_FIELDS]


def test_field_names_fit_shapefiles():
    for spec in ih.HOMESTEAD_FIELDS + ih.VILLAGE_FIELDS:
        assert len(spec.name) <= 10


def test_homesteads_keyed_by_zongdi_count_per_zongdi_and_label_it():
    # four 宅基地宗地 of two villages (地籍子区 001 and 002), the household survey keyed by
    # ZDDM: two households on 宗地 1, nobody on 宗地 2 and 4
    zddm = ["522702101001JC00001", "522702101001JC00002", "522702101002JC00003",
            "522702101002JC00004"]
    assert ih.counting_unit(zddm) == ih.UNIT_ZONGDI
    assert ih.counting_unit(zddm[:3] + [None]) == ih.UNIT_TUBAN
    assert ih.counting_unit(None) == ih.UNIT_TUBAN
    villages = ih.village_of_zddm(zddm)
    assert villages == ["522702101001", "522702101001", "522702101002", "522702101002"]
    survey, unmatched = ih.household_summary(zddm, [zddm[0], zddm[0], zddm[2], "X"],
                                             residents=[2, 1, 3, 0])
    assert unmatched == ["X"]
    idle = ih.flag_idle([200.0] * 4, residents=survey["CZRK"].to_numpy())["XZ"].to_numpy()
    # 宗地 2 and 4 have no survey row: unknown, not idle; none has zero residents
    assert idle.tolist() == [0, 0, 0, 0]
    idle = np.array([0, 1, 0, 1])
    table = ih.village_hollowing(villages, idle, [200.0, 300.0, 250.0, 250.0],
                                 unit=ih.UNIT_ZONGDI).set_index("CUN_DM")
    assert table.loc["522702101001", "ZJD_GS"] == 2 and table.loc["522702101001", "XZ_GS"] == 1
    assert table.loc["522702101001", "KXL_SL"] == pytest.approx(50.0)
    assert table.loc["522702101001", "KXL_MJ"] == pytest.approx(60.0)
    assert (table["TJDW"] == "宗地").all()
    aliases = {f.name: f.alias for f in ih.village_fields(ih.UNIT_ZONGDI)}
    assert aliases["ZJD_GS"] == "宅基地宗数" and "宗数" in aliases["KXL_SL"]


def test_without_zongdi_counts_and_rates_are_labelled_per_tuban():
    table = ih.village_hollowing(["V1", "V1"], [1, 0], [100.0, 100.0])
    assert (table["TJDW"] == "图斑").all()
    aliases = {f.name: f.alias for f in ih.VILLAGE_FIELDS}
    assert aliases["ZJD_GS"] == "宅基地图斑数" and aliases["XZ_GS"] == "闲置图斑数"
    assert aliases["KXL_SL"] == "空心化率(按图斑数,%)"
    assert all("宗" not in a for a in aliases.values())
