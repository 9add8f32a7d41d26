"""core.slope_farmland and core.farmland_swap: flags, village totals, swap candidates,
score and balance, on hand-made tables whose answers are worked out by hand."""
import numpy as np
import pandas as pd
import pytest
import shapely

from qn_landconsol_plugin.core import farmland_swap as swap
from qn_landconsol_plugin.core import slope_farmland as sf
from qn_landconsol_plugin.core.rules import Rules
from qn_landconsol_plugin.core.units import M2_PER_MU


def _table():
    return pd.DataFrame({
        "DLBM": ["0103", "0101", "0103", "0102", "0301", "0103", "0103"],
        "GDPDJB": ["5", "2", "5", "1", None, "3", "4"],
        "TBXHDM": [None, "SMGD", None, "", None, None, ""],
        "TBDLMJ": [M2_PER_MU * 2, M2_PER_MU * 3, M2_PER_MU, M2_PER_MU * 4, M2_PER_MU * 9,
                   M2_PER_MU * 5, M2_PER_MU * 6],
        "ZLDWDM": ["5227021012010000000", "5227021012010000000", "5227021012020000000",
                   "5227021012020000000", "5227021012020000000", "5227021012020000000",
                   "5227021012020000000"],
        "ZLDWMC": ["甲村", "甲村", "乙村", "乙村", "乙村", "乙村", "乙村"],
    })


def _slope():
    # parcel 2 has no DEM value (falls back to GDPDJB 5); parcel 6 at exactly 25° is not steep
    return pd.DataFrame({"PD_MEAN": [30.0, 3.0, np.nan, 1.0, 40.0, 14.0, 25.0],
                         "PD_GT": [80.0, 0.0, np.nan, 0.0, 100.0, 0.0, 40.0]})


def test_flags_follow_dem_then_gdpdjb_then_tbxhdm():
    flags = sf.flag_slope_farmland(_table(), _slope(), 25.0, unstable_codes=Rules().unstable_tbxhdm)
    assert flags["PGD"].tolist() == [1, 0, 1, 0, 0, 0, 0]   # forest (4) is never 坡耕地
    assert flags["BWD"].tolist() == [1, 1, 1, 0, 0, 0, 0]
    assert flags["PGD_LY"].tolist() == ["DEM", "TBXHDM", "GDPDJB", "DEM", None, "DEM", "DEM"]
    assert flags["PDJB_JS"].tolist()[:2] == [5, 2]
    assert np.isnan(flags["PDJB_JS"][2])
    assert flags["GD_MU"].tolist() == pytest.approx([2, 3, 1, 4, 0, 5, 6])


def test_gdpdjb_fallback_can_be_switched_off():
    flags = sf.flag_slope_farmland(_table(), _slope(), 25.0, use_gdpdjb=False)
    assert flags["PGD"][2] == 0 and flags["PGD_LY"][2] is None


def test_without_dem_gdpdjb_decides():
    flags = sf.flag_slope_farmland(_table(), None, 25.0)
    assert flags["PGD"].tolist() == [1, 0, 1, 0, 0, 0, 0]
    assert set(flags["PGD_LY"].dropna()) == {"GDPDJB"}


def test_grade_mismatch_two_grades_or_more():
    flags = sf.flag_slope_farmland(_table(), _slope(), 25.0)
    bad = sf.grade_mismatches(_table(), flags)
    # parcel 0: 5 vs 5 ok; 1: 2 vs 2; 3: 1 vs 1; 5: 3 vs 3 (14°); 6: 4 vs 4 (25°)
    assert bad.empty
    t = _table()
    t.loc[3, "GDPDJB"] = "3"   # computed 1 -> two grades off
    t.loc[5, "GDPDJB"] = "4"   # computed 3 -> one grade: not listed
    bad = sf.grade_mismatches(t, sf.flag_slope_farmland(t, _slope(), 25.0))
    assert bad["index"].tolist() == [3]
    assert (bad["GDPDJB"].iloc[0], bad["PDJB_JS"].iloc[0]) == (3, 1)


def test_village_table_sums_and_shares():
    flags = sf.flag_slope_farmland(_table(), _slope(), 25.0, unstable_codes=("SMGD",))
    v = sf.village_table(_table(), flags).set_index("CUNDM")
    assert v.loc["522702101201", "CUNMC"] == "甲村"
    assert v.loc["522702101201", ["GD_MU", "PGD_MU", "BWD_MU"]].tolist() == pytest.approx([5, 2, 5])
    assert v.loc["522702101202", ["GD_MU", "PGD_MU", "BWD_MU"]].tolist() == pytest.approx([16, 1, 1])
    assert v.loc["合计", "GD_MU"] == pytest.approx(21)
    assert v.loc["合计", "PGD_ZB"] == pytest.approx(100 * 3 / 21)
    assert v.loc["522702101201", "BWD_ZB"] == pytest.approx(100.0)


def test_parse_codes_accepts_chinese_commas_and_spaces():
    assert sf.parse_codes("0101，0102; 103") == ("0101", "0102", "0103")


# --- swap ---------------------------------------------------------------------

def _swap_case():
    """A row of 100 m squares: farmland (steep) | farmland (flat, stays) | forest 0301K flat |
    garden 0201 flat far away | forest steep | grass 0404 flat in the red line."""
    geoms = np.array([shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100),
                      shapely.box(200, 0, 300, 100), shapely.box(1200, 0, 1300, 100),
                      shapely.box(300, 0, 400, 100), shapely.box(100, 100, 200, 200)],
                     dtype=object)
    table = pd.DataFrame({"DLBM": ["0103", "0101", "0301K", "0201", "0305", "0404"],
                          "TBDLMJ": [10000.0, 10000, 10000, 10000, 10000, 10000],
                          "ZLDWDM": ["522702101201"] * 6})
    slope = np.array([30.0, 3.0, 5.0, 2.0, 20.0, 1.0])
    farmland = np.array([True, True, False, False, False, False])
    out = np.array([True, False, False, False, False, False])
    red = [shapely.box(150, 150, 250, 250)]
    return geoms, table, farmland, out, slope, red


def test_swap_candidates_and_score():
    geoms, table, farmland, out, slope, red = _swap_case()
    c = swap.find_swap_candidates(geoms, table, farmland, out, slope, red, 15.0, 500.0)
    assert c.loc[c.ZH_LX == swap.OUT, "index"].tolist() == [0]
    assert c.loc[c.ZH_LX == swap.IN, "index"].tolist() == [2]
    r = c.attrs["reasons"]
    assert (r["too_steep"], r["red_line"], r["too_far"]) == (1, 1, 1)
    row = c[c.ZH_LX == swap.IN].iloc[0]
    mu = 10000 / M2_PER_MU
    # touches the staying farmland along one side: the boundary within 0.5 m of it is that
    # side plus 0.5 m of each neighbouring side, (100 + 1) / 400 of the perimeter
    share = (100 + 1) / 400
    expected = 35 * (1 - 5 / 15) + 25 * 1 + 15 * min(1, mu / 10) + 15 * 2 * share + 10
    assert row.ZH_PF == pytest.approx(expected, abs=0.01)
    # ZH_MU is the new farmland net of 田坎 (issue 15 item 5; was the gross area):
    # 10,000 m² at 5° (grade 2) × (1 − KCXS 梯田 grade 2)
    kcxs2 = Rules().terrace_kcxs["TT"]["2"]
    assert row.ZH_JL == 0 and row.ZH_MU == pytest.approx(mu * (1 - kcxs2))


def test_balance_takes_best_ranked_until_out_is_matched():
    cand = pd.DataFrame({
        "index": [0, 1, 2, 3, 4, 5], "ZH_LX": ["出", "入", "入", "入", "出", "入"],
        "ZH_PF": [np.nan, 50.0, 80.0, 70.0, np.nan, 90.0], "ZH_MU": [5.0, 4.0, 3.0, 3.0, 6.0, 1.0],
        "ZH_JL": np.nan, "PD_MEAN": np.nan, "CUNDM": ["A", "A", "A", "A", "B", "B"]})
    c, table = swap.balance(cand, {"A": "甲", "B": "乙"})
    # A needs 5: takes 80 (3) then 70 (3) = 6; B needs 6: has only 1 (score 90), then the
    # township-wide pass takes A's remaining 50 (4): total in 11 >= out 11
    assert c.set_index("index")["ZH_XZ"].to_dict() == {0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    t = table.set_index("CUNDM")
    assert t.loc["A", ["CK_MU", "RK_MU", "KY_MU"]].tolist() == [5, 10, 10]
    assert t.loc["B", "BJ"] == "否" and t.loc["A", "BJ"] == "是"
    assert t.loc["合计", ["CK_MU", "RK_MU"]].tolist() == [11, 11]
    assert t.loc["合计", "BJ"] == "是"
    assert c.set_index("index").loc[[2, 3, 1], "ZH_PX"].tolist() == [1, 2, 3]


def test_balance_stops_once_matched():
    cand = pd.DataFrame({
        "index": [0, 1, 2, 3], "ZH_LX": ["出", "入", "入", "入"], "ZH_PF": [np.nan, 50, 80, 70],
        "ZH_MU": [2.0, 4.0, 3.0, 3.0], "ZH_JL": np.nan, "PD_MEAN": np.nan, "CUNDM": "A"})
    c, table = swap.balance(cand)
    assert c.set_index("index")["ZH_XZ"].tolist() == [1, 0, 1, 0]
    assert table.iloc[-1]["RK_MU"] == 3 and table.iloc[-1]["BJ"] == "是"


def test_grade_mismatches_are_among_the_farmland_codes_given():
    t = _table()
    t.loc[3, "GDPDJB"] = "3"                 # two grades off, farmland by the default codes
    flags = sf.flag_slope_farmland(t, _slope(), 25.0, farmland_codes=("9999",))
    assert sf.grade_mismatches(t, flags, ("9999",)).empty
    assert sf.grade_mismatches(t, flags)["index"].tolist() == [3]
