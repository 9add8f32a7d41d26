"""core.potential: each potential type's rule and area on hand-built parcels whose
answers are worked out by hand, the summaries, rule checks, workbook and report."""
import numpy as np
import pandas as pd
import pytest
import shapely

from qn_landconsol_plugin.core import potential as pot
from qn_landconsol_plugin.core.reports import survey as survey_report
from qn_landconsol_plugin.core.rules import Rules, Targets
from qn_landconsol_plugin.core.units import M2_PER_MU

MU = 10000.0 / 15.0
VILLAGE_A = "5227021012010010000"
VILLAGE_B = "5227021012020010000"


def square(x, y, side=30.0):
    return shapely.box(x, y, x + side, y + side)


def parcels(rows):
    """(geoms, table, slope frame) from dicts with x, y, side, slope and 三调 fields."""
    geoms = np.array([square(r.get("x", 0.0), r.get("y", 0.0), r.get("side", 30.0))
                      for r in rows], dtype=object)
    fields = ("BSM", "DLBM", "ZLDWDM", "ZLDWMC", "TBMJ", "KCXS", "TBDLMJ", "GDLX", "GDPDJB",
              "TBXHDM", "CZCSXM", "BZ")
    table = pd.DataFrame({f: [r.get(f) for r in rows] for f in fields}, dtype=object)
    table["BSM"] = [r.get("BSM", f"P{i}") for i, r in enumerate(rows)]
    table["ZLDWDM"] = [r.get("ZLDWDM", VILLAGE_A) for r in rows]
    table["ZLDWMC"] = [r.get("ZLDWMC", "沙关村" if r.get("ZLDWDM", VILLAGE_A) == VILLAGE_A
                             else "双庄村") for r in rows]
    table["TBMJ"] = [r.get("TBMJ", 1000.0) for r in rows]
    table["KCXS"] = [r.get("KCXS", 0.0) for r in rows]
    table["TBDLMJ"] = [r.get("TBDLMJ", r.get("TBMJ", 1000.0) * (1 - r.get("KCXS", 0.0)))
                       for r in rows]
    slope = pd.DataFrame({"PD_MEAN": [float(r.get("slope", 5.0)) for r in rows],
                          "PD_GT": 0.0})
    return geoms, table, slope


def types_of(result, i):
    text = result.parcels["QL_LX"].iloc[i]
    return set(text.split(";")) if text else set()


# --------------------------------------------------------------------------- each type

def test_terrace_merging_new_farmland_is_tbmj_times_kcxs_above_the_merged_coefficient():
    # issue 15 item 4: no per-parcel target KCXS; the province table's coefficient of the
    # parcel's grade and GDLX after merging (梯田 grade 3: 0.05 by default; was 0.08)
    rules = Rules()
    target3 = rules.terrace_kcxs_merged["TT"]["3"]      # 0.05
    geoms, table, slope = parcels([
        dict(DLBM="0103", GDLX="TT", GDPDJB="3", KCXS=0.15, TBMJ=1000.0, slope=10),
        dict(x=100, DLBM="0103", GDLX="TT", GDPDJB="3", KCXS=0.05, TBMJ=1000.0, slope=10),
        dict(x=200, DLBM="0103", GDLX="PD", GDPDJB="3", KCXS=0.15, TBMJ=1000.0, slope=10),
        dict(x=300, DLBM="0101", GDLX="TT", GDPDJB="5", KCXS=0.30, TBMJ=1000.0, slope=30),
    ])
    result = pot.survey(geoms, table, slope, rules=rules)
    assert types_of(result, 0) == {"田坎归并"}
    assert result.parcels["XZGD_MJ"].iloc[0] == pytest.approx(1000.0 * (0.15 - target3))
    assert result.parcels["QL_MJ"].iloc[0] == pytest.approx(1000.0)
    assert "田坎归并" not in types_of(result, 1)        # KCXS already below the target
    assert "田坎归并" not in types_of(result, 2)        # slope farmland, not terraced
    # terraced farmland steeper than 25° leaves farmland instead of being merged
    assert types_of(result, 3) == {"坡耕地退出", "水土流失治理"}


def test_reserve_land_gentle_outside_red_line_and_udb_gives_its_area_net_of_terraces():
    red = [shapely.box(290, -10, 340, 40)]
    udb = [shapely.box(390, -10, 440, 40)]
    geoms, table, slope = parcels([
        dict(DLBM="0404", TBMJ=2000.0, slope=10),                    # reserve
        dict(x=100, DLBM="0404", TBMJ=2000.0, slope=30),             # too steep -> 石漠化
        dict(x=200, DLBM="1201", CZCSXM="203", TBMJ=600.0, slope=5),  # village idle land
        dict(x=300, DLBM="1207", TBMJ=900.0, slope=5),               # in the red line
        dict(x=400, DLBM="1206", TBMJ=900.0, slope=5),               # in the urban boundary
        dict(x=500, DLBM="1201", CZCSXM="202", TBMJ=600.0, slope=5),  # town idle land: no
    ])
    result = pot.survey(geoms, table, slope, red_line=red, udb=udb)
    # new farmland = TBMJ × (1 − KCXS of its grade) (issue 15 item 4; was × 0.85):
    # slope 10° is grade 3, 5° grade 2, built as 梯田
    tt = Rules().terrace_kcxs["TT"]
    assert types_of(result, 0) == {"宜耕后备资源开发"}
    assert result.parcels["XZGD_MJ"].iloc[0] == pytest.approx(2000.0 * (1 - tt["3"]))
    assert types_of(result, 1) == {"石漠化治理"}
    # 1201 空闲地 is construction land: its reclamation is 建设用地整理 (宅基地/空闲地复垦),
    # not 宜耕后备资源开发 (issue 15 item 9)
    assert types_of(result, 2) == {"空闲地复垦"}
    assert result.parcels["QL_FAMILY"].iloc[2] == "建设用地整理"
    assert result.parcels["XZGD_MJ"].iloc[2] == pytest.approx(600.0 * (1 - tt["2"]))
    assert types_of(result, 3) == {"石漠化治理"}      # restoration is allowed in the red line
    assert types_of(result, 4) == set()
    assert types_of(result, 5) == set()
    # 1201 is construction land (三大类): developing it removes construction land
    assert result.leaves_construction.tolist() == [False, False, True, False, False, False]


def test_dry_land_of_grade_two_or_less_is_dry_to_paddy_without_new_farmland():
    geoms, table, slope = parcels([
        dict(DLBM="0103", GDPDJB="2", slope=4),
        dict(x=100, DLBM="0103", GDPDJB="1", slope=1),
        dict(x=200, DLBM="0103", GDPDJB="3", slope=4),   # recorded grade wins over the DEM
        dict(x=300, DLBM="0101", GDPDJB="1", slope=1),
    ])
    result = pot.survey(geoms, table, slope)
    assert [types_of(result, i) == {"旱改水"} for i in range(4)] == [True, True, False, False]
    assert result.parcels["XZGD_MJ"].iloc[0] == 0.0


def test_slope_farmland_exits_and_is_soil_erosion_control_with_its_farmland_area_lost():
    geoms, table, slope = parcels([
        dict(DLBM="0103", GDPDJB="4", KCXS=0.1, TBMJ=1000.0, slope=27.0),
        dict(x=100, DLBM="0103", GDPDJB="4", TBMJ=1000.0, slope=24.0),
    ])
    result = pot.survey(geoms, table, slope)
    assert types_of(result, 0) == {"坡耕地退出", "水土流失治理"}
    assert result.parcels["XZGD_MJ"].iloc[0] == pytest.approx(-900.0)     # −TBDLMJ
    assert result.parcels["QL_FAMILY"].iloc[0] == "农用地整理;生态保护修复"
    assert types_of(result, 1) == set()


def test_without_dem_the_recorded_grade_5_decides_slope_farmland():
    geoms, table, _ = parcels([dict(DLBM="0103", GDPDJB="5", TBMJ=800.0)])
    result = pot.survey(geoms, table, None)
    assert types_of(result, 0) == {"坡耕地退出", "水土流失治理"}


def test_forest_farmland_swap_brings_in_a_flat_garden_next_to_farmland_to_match_the_exit():
    geoms, table, slope = parcels([
        dict(DLBM="0101", GDPDJB="1", TBMJ=900.0, slope=1),         # stays
        dict(x=30, DLBM="0201", TBMJ=1500.0, slope=5),              # adjacent garden: in
        dict(x=2000, DLBM="0201", TBMJ=1500.0, slope=5),            # too far from farmland
        dict(x=100, DLBM="0103", GDPDJB="4", TBMJ=900.0, slope=30),  # slope farmland: out
        dict(x=200, DLBM="0103", GDPDJB="3", TBXHDM="SMGD", TBMJ=600.0, slope=10),  # unstable
    ])
    result = pot.survey(geoms, table, slope)
    # the garden comes down as farmland net of 田坎 (issue 15 item 5; was the gross 1500):
    # 5° is grade 2
    tt2 = Rules().terrace_kcxs["TT"]["2"]
    assert types_of(result, 1) == {"林耕置换（入）"}
    assert result.parcels["XZGD_MJ"].iloc[1] == pytest.approx(1500.0 * (1 - tt2))
    assert types_of(result, 2) == set()
    assert types_of(result, 3) == {"坡耕地退出", "水土流失治理"}
    assert types_of(result, 4) == {"林耕置换（出）", "石漠化治理"}
    assert result.parcels["XZGD_MJ"].iloc[4] == pytest.approx(-600.0)
    # net new farmland of the swap: in 1500 × (1 − 0.035) − out (900 + 600) = −52.5: the only
    # candidate in reach does not make up the 田坎 of the land coming down
    assert result.parcels["XZGD_MJ"].sum() == pytest.approx(1500.0 * (1 - tt2) - 1500.0)


def test_reserve_grassland_chosen_for_the_swap_is_not_counted_twice():
    geoms, table, slope = parcels([
        dict(DLBM="0101", GDPDJB="1", TBMJ=900.0, slope=1),
        dict(x=30, DLBM="0404", TBMJ=1200.0, slope=5),               # swap-in and reserve kind
        dict(x=100, DLBM="0103", GDPDJB="4", TBMJ=900.0, slope=30),
    ])
    result = pot.survey(geoms, table, slope, red_line=[shapely.box(5000, 5000, 5100, 5100)])
    assert types_of(result, 1) == {"林耕置换（入）"}
    assert result.parcels["XZGD_MJ"].iloc[1] == pytest.approx(
        1200.0 * (1 - Rules().terrace_kcxs["TT"]["2"]))


def test_idle_homesteads_are_reclaimed_to_farmland_forest_or_restored_in_the_red_line():
    red = [shapely.box(290, -10, 340, 40)]
    geoms, table, slope = parcels([
        dict(DLBM="0702", CZCSXM="203", TBMJ=400.0, slope=5, side=20),              # no building
        dict(x=100, DLBM="0702", CZCSXM="203", TBMJ=400.0, slope=5, side=20),       # lived in
        dict(x=200, DLBM="0702", CZCSXM="203", TBMJ=400.0, slope=30, side=20),      # steep
        dict(x=300, DLBM="0702", CZCSXM="203", TBMJ=400.0, slope=5, side=20),       # red line
    ])
    buildings = [shapely.box(102, 2, 112, 12)]          # 100 m² on 400 m²: 25 % > 10 %
    result = pot.survey(geoms, table, slope, red_line=red, buildings=buildings)
    assert types_of(result, 0) == {"宅基地复垦"}
    # reclaimed to farmland: TBMJ × (1 − KCXS of its grade) (5°: grade 2; was × 0.9)
    assert result.parcels["XZGD_MJ"].iloc[0] == pytest.approx(
        400.0 * (1 - Rules().terrace_kcxs["TT"]["2"]))
    assert types_of(result, 1) == set()
    assert types_of(result, 2) == {"宅基地复垦"}         # to forest/garden: no new farmland
    assert result.parcels["XZGD_MJ"].iloc[2] == 0.0
    # inside the red line: back to forest/grass, restoration (issue 15 item 10 / REFERENCE
    # §3: allowed; was 不宜复垦, not counted): construction land reclaimed, no new farmland
    assert types_of(result, 3) == {"宅基地复垦"}
    assert result.parcels["XZGD_MJ"].iloc[3] == 0.0
    assert result.outcome["JS_Q"].iloc[3] == 400.0 and result.outcome["JS_H"].iloc[3] == 0.0
    assert result.homesteads["FK_LX"].tolist() == ["耕地", "", "林地/园地", "林地/草地"]
    # a county that does not allow it: 不宜复垦, not counted, as before
    result = pot.survey(geoms, table, slope, red_line=red, buildings=buildings,
                        rules=Rules(red_line_restoration=False))
    assert types_of(result, 3) == set()
    assert result.homesteads["FK_LX"].tolist() == ["耕地", "", "林地/园地", "不宜复垦"]


def test_household_survey_alone_decides_idle_homesteads():
    geoms, table, slope = parcels([
        dict(BSM="H1", DLBM="0702", TBMJ=400.0, side=20),
        dict(x=100, BSM="H2", DLBM="0702", TBMJ=400.0, side=20),
    ])
    households = pot.Households(["H1", "H2"], residents=[0, 3], kwh=[20.0, 1500.0])
    result = pot.survey(geoms, table, slope, households=households)
    assert types_of(result, 0) == {"宅基地复垦"}
    assert types_of(result, 1) == set()


def test_abandoned_mines_are_reclaimed_when_gentle_else_restored():
    geoms, table, slope = parcels([
        dict(BSM="M1", DLBM="0602", BZ="废弃矿山", TBMJ=3000.0, slope=10),
        dict(x=100, BSM="M2", DLBM="0602", TBMJ=3000.0, slope=40),     # listed, steep
        dict(x=200, BSM="M3", DLBM="0602", TBMJ=3000.0, slope=10),     # working mine
    ])
    result = pot.survey(geoms, table, slope, abandoned_ids=["M2"])
    assert types_of(result, 0) == {"工矿废弃地复垦"}
    # 10°: grade 3 (was 3000 × 0.9)
    assert result.parcels["XZGD_MJ"].iloc[0] == pytest.approx(
        3000.0 * (1 - Rules().terrace_kcxs["TT"]["3"]))
    assert types_of(result, 1) == {"矿山生态修复"}
    assert result.parcels["XZGD_MJ"].iloc[1] == 0.0
    assert types_of(result, 2) == set()
    assert result.leaves_construction.tolist() == [True, True, False]


def test_missing_layers_skip_the_types_that_need_them_and_say_why():
    geoms, table, _ = parcels([dict(DLBM="0404"), dict(x=100, DLBM="0702")])
    result = pot.survey(geoms, table.drop(columns=["GDPDJB", "KCXS"]), None)
    skipped = survey_report.skipped_reasons(result)
    assert set(skipped) == {"田坎归并", "宜耕后备资源开发", "旱改水", "林耕置换（入）", "林耕置换（出）",
                            "坡耕地退出", "宅基地复垦", "水土流失治理"}
    assert "DEM" in skipped["宜耕后备资源开发"] and "生态保护红线" in skipped["宜耕后备资源开发"]
    assert "建筑物" in skipped["宅基地复垦"]
    assert "KCXS" in skipped["田坎归并"]
    assert result.parcels["QL_LX"].isna().all()


# --------------------------------------------------------------------------- totals

def _mixed():
    red = [shapely.box(590, -10, 640, 40)]
    pbf = [shapely.box(-10, -10, 140, 40)]
    rows = [
        dict(DLBM="0101", GDPDJB="1", TBMJ=900.0, slope=1),
        dict(x=30, DLBM="0201", TBMJ=1500.0, slope=5),
        dict(x=100, DLBM="0103", GDPDJB="4", TBMJ=900.0, KCXS=0.1, slope=30),
        dict(x=200, DLBM="0103", GDLX="TT", GDPDJB="3", KCXS=0.15, TBMJ=1000.0, slope=10,
             ZLDWDM=VILLAGE_B),
        dict(x=300, DLBM="0404", TBMJ=2000.0, slope=10, ZLDWDM=VILLAGE_B),
        dict(x=400, DLBM="0702", TBMJ=400.0, slope=5, side=20, ZLDWDM=VILLAGE_B),
        dict(x=500, DLBM="0602", BZ="废弃", TBMJ=3000.0, slope=10, ZLDWDM=VILLAGE_B),
        dict(x=600, DLBM="1207", TBMJ=700.0, slope=5, ZLDWDM=VILLAGE_B),
    ]
    geoms, table, slope = parcels(rows)
    result = pot.survey(geoms, table, slope, red_line=red, pbf=pbf, buildings=[])
    return geoms, table, result


def test_family_totals_are_the_sums_of_parcel_areas_and_mu_are_exact():
    geoms, table, result = _mixed()
    keys, names, level, _ = pot.unit_keys(table, "village")
    summary = pot.summarize(result, keys, names, level, village_keys=keys)
    items = result.items[result.items["counted"]]
    total = summary[summary["DW_DM"] == pot.TOTAL_CODE].iloc[0]
    for f in pot.FAMILIES:
        parcels = items.loc[items["family"] == f.code, "parcel"].unique()
        expected = result.parcels["QL_MJ"].to_numpy()[parcels].sum() / M2_PER_MU
        assert total[f.column] == pytest.approx(expected)
    # by hand: 农用地整理 = garden in 1500 + slope exit 900 + terrace 1000 + reserve 2000
    assert total["NYD_MU"] == pytest.approx((1500 + 900 + 1000 + 2000) / MU)
    assert total["JSYD_MU"] == pytest.approx((400 + 3000) / MU)
    # the >25° parcel counts for 坡耕地退出 only, not also for 水土流失治理 (issue 15 item 8:
    # was 900 + 700): the rocky 1207 in the red line
    assert total["STXF_MU"] == pytest.approx(700 / MU)
    assert total["STLS_MU"] == pytest.approx(900 / MU)             # still listed by type
    # 亩 exact: QL_MU = QL_MJ / (10000/15)
    mu = result.parcels["QL_MU"].dropna().to_numpy()
    assert np.allclose(mu, result.parcels["QL_MJ"].dropna().to_numpy() * 15 / 10000, atol=5e-5)
    # village rows add up to the total
    rows = summary[summary["DW_DM"] != pot.TOTAL_CODE]
    for col in ("NYD_MU", "JSYD_MU", "STXF_MU", "XZGD_MU", "YGD_MU", "JSQ_MU", "JSH_MU"):
        assert rows[col].sum() == pytest.approx(total[col])
    # new farmland by hand, net of 田坎 (梯田: grade 2 0.035, grade 3 0.077, merged grade 3
    # 0.05): garden +1500×0.965 (5°), exit −810, terrace 1000×(0.15−0.05), reserve
    # 2000×0.923 (10°), homestead 400×0.965 (5°), mine 3000×0.923 (10°)
    gained = 1447.5 + 100 + 1846 + 386 + 2769
    assert total["XZGD_MU"] == pytest.approx(gained / MU)
    assert total["JSGD_MU"] == pytest.approx(810 / MU)
    assert total["JZGD_MU"] == pytest.approx((gained - 810) / MU)
    # original farmland = TBDLMJ of 0101/0103: 900 + 810 + 850
    assert total["YGD_MU"] == pytest.approx((900 + 810 + 850) / MU)
    # construction: homestead 400 + mine 3000 before, both reclaimed after
    assert total["JSQ_MU"] == pytest.approx(3400 / MU)
    assert total["JSH_MU"] == pytest.approx(0.0)
    # PBF: the first three parcels (30×30 = 900 m² each) are inside the PBF polygon
    assert total["JBNT_MU"] == pytest.approx(3 * 900 / MU)
    # progress against the quota of the parcels' county (ZLDWDM 522702 福泉市), never the
    # prefecture total (issue 15 item 12; was / 73,500): the default even split, 6,125 亩
    quota = Rules().county_quotas["522702"]
    assert quota["name"] == "福泉市" and quota["farmland_mu"] == 6125.0
    assert total["NYD_JD"] == pytest.approx(100 * total["NYD_MU"] / 6125.0)
    assert summary.attrs["quota"].label == "福泉市分解任务"
    # both villages have potential in ≥ 2 families: 2 candidate 和美乡村
    assert total["HMXC"] == 2


def test_rule_checks_by_hand():
    geoms, table, result = _mixed()
    checks = pot.rule_checks(result, np.full(len(table), pot.TOTAL_CODE, dtype=object))
    got = {r.GZ_DM: r for r in checks.itertuples(index=False)}
    net = 1447.5 + 100 + 1846 + 386 + 2769 - 810
    assert got["R1"].SZ == pytest.approx(100 * net / (900 + 810 + 850))
    assert got["R1"].JG == pot.PASS
    assert got["R2"].SZ == pytest.approx(-3400 / MU) and got["R2"].JG == pot.PASS
    assert got["R3"].JG == pot.PASS and got["R4"].JG == pot.PASS
    # PBF 2700 m², moved out: the slope farmland (900 m² in PBF) = 33.3 % > 5 %
    assert got["R5"].SZ == pytest.approx(100 * 900 / 2700) and got["R5"].JG == pot.FAIL
    # new farmland outside PBF: the garden is in PBF (1447.5−900), terrace, reserve, homestead,
    # mine
    supply = (1447.5 - 900) + 100 + 1846 + 386 + 2769
    assert got["R6"].SZ == pytest.approx(100 * supply / 900) and got["R6"].JG == pot.PASS


def test_rule_checks_fail_and_not_checked():
    geoms, table, slope = parcels([dict(DLBM="0103", GDPDJB="4", TBMJ=1000.0, slope=30)])
    result = pot.survey(geoms, table, slope)
    checks = pot.rule_checks(result, [VILLAGE_A[:9]], {VILLAGE_A[:9]: "摆桥乡"})
    # only farmland leaving: net −1000 → R1 fails, for the township and for the total
    r1 = checks[checks["GZ_DM"] == "R1"]
    assert list(r1["DW_DM"]) == [VILLAGE_A[:9], pot.TOTAL_CODE]
    assert (r1["JG"] == pot.FAIL).all()
    assert (checks.loc[checks["GZ_DM"].isin(["R4", "R5", "R6"]), "JG"] == pot.NOT_CHECKED).all()


def test_new_farmland_on_steep_land_fails_r3():
    # a terraced parcel recorded as grade 4 whose DEM slope is unknown keeps its terrace
    # potential; give the check a DEM slope > 25° afterwards to see it fail
    geoms, table, slope = parcels([dict(DLBM="0103", GDLX="TT", GDPDJB="4", KCXS=0.2, slope=20)])
    result = pot.survey(geoms, table, slope)
    assert result.parcels["XZGD_MJ"].iloc[0] > 0
    result.slope_deg = np.array([26.0])
    checks = pot.rule_checks(result, [pot.TOTAL_CODE])
    assert checks.loc[checks["GZ_DM"] == "R3", "JG"].iloc[0] == pot.FAIL


def test_unit_keys_levels_field_and_no_zldwdm():
    _, table, _ = parcels([dict(DLBM="0101"), dict(DLBM="0101", ZLDWDM=VILLAGE_B)])
    keys, names, level, warning = pot.unit_keys(table, "township")
    assert keys.tolist() == ["522702101", "522702101"] and warning is None
    keys, names, level, _ = pot.unit_keys(table, "village")
    assert keys.tolist() == ["522702101201", "522702101202"]
    assert names == {"522702101201": "沙关村", "522702101202": "双庄村"}
    keys, _, level, _ = pot.unit_keys(table, "county")
    assert keys.tolist() == ["522702", "522702"]
    table["XM"] = ["甲", "乙"]
    keys, _, level, _ = pot.unit_keys(table.drop(columns=["ZLDWDM"]), "village", "XM")
    assert keys.tolist() == ["甲", "乙"] and level == "field"
    keys, _, level, warning = pot.unit_keys(table.drop(columns=["ZLDWDM"]), "village")
    assert set(keys) == {pot.TOTAL_CODE} and level == "total" and "ZLDWDM" in warning.zh()


def test_summary_without_zldwdm_is_one_total_row():
    geoms, table, slope = parcels([dict(DLBM="0103", GDPDJB="2"), dict(x=100, DLBM="0404")])
    table = table.drop(columns=["ZLDWDM"])
    result = pot.survey(geoms, table, slope, red_line=[])
    keys, names, level, _ = pot.unit_keys(table, "village")
    summary = pot.summarize(result, keys, names, level)
    assert summary["DW_DM"].tolist() == [pot.TOTAL_CODE]
    assert summary["NYD_MU"].iloc[0] == pytest.approx(2000 / MU)


def test_parse_targets():
    assert pot.parse_targets("73500,2300,3500,12") == Targets()
    assert pot.parse_targets("1000，200,,3") == Targets(1000.0, 200.0, 3500.0, 3)
    assert pot.parse_targets("") == Targets()
    with pytest.raises(ValueError):
        pot.parse_targets("1,2,3,4,5")
    with pytest.raises(ValueError):
        pot.parse_targets("abc")


def test_type_table_is_complete_data():
    table = pot.type_table()
    # 12 types: 空闲地复垦 joined (1201 is 建设用地整理, issue 15 item 9)
    assert len(table) == len(pot.POTENTIAL_TYPES) == 12
    assert set(table["潜力大类"]) == {"农用地整理", "建设用地整理", "生态保护修复"}
    assert "田坎系数" in table.loc[table["潜力类型"] == "宜耕后备资源开发", "新增耕地"].iloc[0]
    assert "梯田 2级 0.02、3级 0.05" in table.loc[table["潜力类型"] == "田坎归并", "认定规则"].iloc[0]
    assert len({t.column for t in pot.POTENTIAL_TYPES}) == 12
    assert all(len(f.name) <= 10 for f in pot.SUMMARY_FIELDS + pot.PARCEL_FIELDS + pot.CHECK_FIELDS)


def test_contiguity_after_adds_the_new_farmland_next_to_farmland():
    geoms, table, result = _mixed()
    frame = pot.contiguity_change(geoms, table, result)
    total = frame[frame["CJ_DM"] == ""].set_index("QJ")
    # now: 0101 (900) alone, slope farmland (810) and terrace (850) apart → 3 blocks;
    # after: the slope farmland leaves, garden joins the 0101 field, reserve 0404, homestead
    # and mine come in as separate fields
    assert total.loc["现状", "LP_N"] == 3
    assert total.loc["现状", "GD_MU"] == pytest.approx((900 + 810 + 850) / MU)
    assert total.loc["整治后", "LP_N"] == 5
    # net of 田坎 as core.consolidation counts it (issue 15 item 5; was the gross parcel
    # areas 900 + 1500 + 850 + 2000 + 400 + 3000): land coming in TBMJ × (1 − KCXS of its
    # grade), 梯田 grade 2 (≤ 6°) 0.035, grade 3 (≤ 15°) 0.077; 田坎归并 lowers KCXS 0.15 to
    # the merged 0.05: 0101 900 + garden 1500 × 0.965 + terrace 1000 × 0.95 + reserve
    # 2000 × 0.923 + homestead 400 × 0.965 + mine 3000 × 0.923
    assert total.loc["整治后", "GD_MU"] == pytest.approx(
        (900 + 1447.5 + 950 + 1846 + 386 + 2769) / MU)


def test_workbook_and_report(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    geoms, table, result = _mixed()
    keys, names, level, _ = pot.unit_keys(table, "village")
    summary = pot.summarize(result, keys, names, level, village_keys=keys)
    checks = pot.rule_checks(result, pot.unit_keys(table, "township")[0])
    progress = pot.target_progress(summary, Targets())
    ct = pot.contiguity_change(geoms, table, result)
    path = tmp_path / "p.xlsx"
    survey_report.write_workbook(str(path), summary, checks, progress, ct, result)
    wb = openpyxl.load_workbook(path)
    # the six survey sheets, then the official tables of issue 15
    assert wb.sheetnames == ["潜力汇总", "潜力类型", "规则检查", "目标进度", "连片度", "说明",
                             "地类结构调整表", "地类转换矩阵（公顷）", "地类转换矩阵（亩）", "新增耕地来源表",
                             "建设用地增减表", "永久基本农田调整表"]
    ws = wb["潜力汇总"]
    header = [c.value for c in ws[1]]
    col = header.index("农用地整理潜力(亩)")
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == pot.TOTAL_CODE
    assert last[col] == pytest.approx(summary["NYD_MU"].iloc[-1])
    html = survey_report.build_report(summary, checks, progress, result, geoms, ct, meta={"level": "行政村"})
    assert html.count("data:image/png;base64,") >= 3
    for text in ("全域土地综合整治潜力调查评估报告", "规则检查", "耕地集中连片度", "宜耕后备资源开发",
                 "未评估的潜力类型"):
        assert text in html
    assert "http://" not in html and "https://" not in html


# --------------------------------------------------------------------------- issue 15

def test_a_reservoir_parcel_counts_in_farm_use_land_not_in_construction_land():
    geoms, table, slope = parcels([
        dict(DLBM="1103", TBMJ=5000.0, slope=1),                 # 水库水面: 农用地
        dict(x=100, DLBM="1107A", TBMJ=300.0, slope=1),          # 干渠: 建设用地
        dict(x=200, DLBM="0702", TBMJ=400.0, slope=5, side=20),  # 宅基地: 建设用地
    ])
    result = pot.survey(geoms, table, slope)
    keys, names, level, _ = pot.unit_keys(table, "village")
    total = pot.summarize(result, keys, names, level).iloc[-1]
    assert result.construction.tolist() == [False, True, True]
    assert total["JSQ_MU"] == pytest.approx((300 + 400) / MU)


def test_a_steep_farmland_parcel_adds_to_one_target_family_only_by_the_precedence():
    geoms, table, slope = parcels([dict(DLBM="0103", GDPDJB="5", TBMJ=1000.0, slope=30)])
    result = pot.survey(geoms, table, slope)
    assert types_of(result, 0) == {"坡耕地退出", "水土流失治理"}
    keys, names, level, _ = pot.unit_keys(table, "village")
    total = pot.summarize(result, keys, names, level).iloc[-1]
    assert total["NYD_MU"] == pytest.approx(1000 / MU) and total["STXF_MU"] == 0.0
    # the county may count it for 生态保护修复 instead: then not for 农用地整理
    rules = Rules(target_precedence={"slope_exit": ("erosion",), "rocky": ("swap_out",)})
    result = pot.survey(geoms, table, slope, rules=rules)
    total = pot.summarize(result, keys, names, level, rules).iloc[-1]
    assert total["NYD_MU"] == 0.0 and total["STXF_MU"] == pytest.approx(1000 / MU)


def test_rocky_farmland_leaving_counts_for_the_swap_not_also_for_rocky_desertification():
    geoms, table, slope = parcels([
        dict(DLBM="0101", GDPDJB="1", TBMJ=900.0, slope=1),
        dict(x=200, DLBM="0103", GDPDJB="3", TBXHDM="SMGD", TBMJ=600.0, slope=10),
    ])
    result = pot.survey(geoms, table, slope)
    assert types_of(result, 1) == {"林耕置换（出）", "石漠化治理"}
    counted = result.items.set_index("type")["counted"]
    assert counted["林耕置换（出）"] and not counted["石漠化治理"]


def test_bare_rock_is_not_reserve_land_unless_the_county_switches_it_on():
    geoms, table, slope = parcels([dict(DLBM="1207", TBMJ=1000.0, slope=8)])
    result = pot.survey(geoms, table, slope, red_line=[])
    assert types_of(result, 0) == {"石漠化治理"}
    rules = Rules(reserve_includes_bare_rock=True)
    result = pot.survey(geoms, table, slope, red_line=[], rules=rules)
    assert types_of(result, 0) == {"宜耕后备资源开发"}
    assert result.parcels["XZGD_MJ"].iloc[0] == pytest.approx(
        1000 * (1 - rules.terrace_kcxs["TT"]["3"]))


def test_construction_land_check_fails_when_the_layer_tags_more_new_construction_than_reclaimed():
    geoms, table, slope = parcels([
        dict(DLBM="0702", TBMJ=400.0, slope=5, side=20),         # idle: reclaimed
        dict(x=100, DLBM="0103", GDPDJB="2", TBMJ=900.0, slope=4),  # tagged for a building
    ])
    table["ZZLX"] = ["", "CYRH"]
    table["ZZZLX"] = ["", "CYRH01"]
    result = pot.survey(geoms, table, slope, buildings=[])
    checks = pot.check_table(pot.rule_checks(result, [pot.TOTAL_CODE] * 2))
    r2 = checks[checks["GZ_DM"] == "R2"].iloc[0]
    # 400 m² reclaimed, 900 m² new construction: +500 m²
    assert r2["SZ"] == pytest.approx(500 / MU) and r2["JG"] == pot.FAIL
    assert "新增建设 1.35 亩" in r2["SM"]
    assert result.outcome["DLBM_H"].tolist() == ["0103", "0601"]


def test_the_dock_and_the_survey_give_the_same_five_percent_share_on_the_same_project():
    geoms, table, result = _mixed()
    checks = pot.rule_checks(result, [pot.TOTAL_CODE] * len(table))
    survey_share = checks.loc[checks["GZ_DM"] == "R1", "SZ"].iloc[0] / 100
    # the same project tagged in the dock: each parcel with the task of its potential
    from qn_landconsol_plugin.core import task_totals as tt

    task = {"田坎归并": "NYD06", "宜耕后备资源开发": "NYD03", "林耕置换（入）": "NYD04",
            "林耕置换（出）": "NYD04", "坡耕地退出": "NYD04", "宅基地复垦": "JSYD01",
            "工矿废弃地复垦": "JSYD03"}
    zzzlx = []
    for text in result.parcels["QL_LX"]:
        found = [task[t] for t in (text or "").split(";") if t in task]
        zzzlx.append(found[0] if found else "")
    frame = table.copy()
    frame["ZZZLX"] = zzzlx
    frame["ZZLX"] = ["" if not z else z[:-2] for z in zzzlx]
    frame["XMBH"] = ["P" if z else "" for z in zzzlx]
    frame["PD_MEAN"] = [5.0, 5.0, 30.0, 10.0, 10.0, 5.0, 10.0, 5.0]    # the DEM slope
    totals = tt.task_totals(frame)
    assert totals.new_farmland_share == pytest.approx(survey_share)
    assert totals.farmland_mu == pytest.approx((900 + 810 + 850) / MU)


def test_progress_of_a_township_is_measured_against_its_own_quota_when_the_county_splits():
    geoms, table, result = _mixed()
    quotas = dict(Rules().county_quotas)
    quotas["522702101"] = {"name": "示范镇", "farmland_mu": 1000.0, "construction_mu": 100.0,
                           "ecological_mu": 50.0, "villages": 1}
    rules = Rules(county_quotas=quotas)
    keys, names, level, _ = pot.unit_keys(table, "township")
    summary = pot.summarize(result, keys, names, level, rules)
    row = summary[summary["DW_DM"] == "522702101"].iloc[0]
    assert row["NYD_JD"] == pytest.approx(100 * row["NYD_MU"] / 1000.0)
    progress = pot.target_progress(summary, rules.targets)
    assert progress.attrs["quota_label"] == "示范镇分解任务"
    assert progress["目标"].iloc[0] == 1000.0
    # targets the user typed win over the quota table
    summary = pot.summarize(result, keys, names, level, rules, Targets(2000, 10, 10, 1))
    assert summary.attrs["quota"].label == "用户输入的目标"
