"""Totals of tagged parcels: 亩 per family/subtype, new-farmland estimate, targets."""
import numpy as np
import pandas as pd
import pytest

from qn_landconsol_plugin.core import task_types
from qn_landconsol_plugin.core.rules import Rules, Targets
from qn_landconsol_plugin.core.task_totals import (
    FAMILY_TARGET,
    NEW_FARMLAND_METHOD,
    new_farmland_m2,
    resolve_tags,
    task_totals,
)

MU = 10000.0 / 15.0


def frame(rows):
    """Rows of ZZLX, ZZZLX, XMBH, TBMJ, DLBM, KCXS, GDPDJB and optionally PD_MEAN (the mean
    slope that gives land without GDPDJB its grade)."""
    cols = ["ZZLX", "ZZZLX", "XMBH", "TBMJ", "DLBM", "KCXS", "GDPDJB", "PD_MEAN"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_every_new_farmland_subtype_has_an_estimate_method_and_no_other():
    flagged = {s.code for f in task_types.FAMILIES for s in f.subtypes if s.new_farmland}
    assert set(NEW_FARMLAND_METHOD) == flagged


def test_areas_are_summed_in_mu_per_family_and_subtype():
    df = frame([
        ("NYD", "NYD01", "P1", 2 * MU, "0103", 0.1, "3"),
        ("NYD", "NYD01", "P1", 1000.0, "0101", 0.0, "1"),
        ("STXF", "STXF02", "P1", 3 * MU, "0404", None, None),
        (None, None, None, 5000.0, "0103", 0.1, "3"),      # untagged
        ("", "", "P1", 7000.0, "0103", 0.1, "3"),           # untagged
    ])
    t = task_totals(df)
    assert t.parcels == 3
    assert t.family("NYD").parcels == 2
    assert t.family("NYD").area_mu == pytest.approx(2 + 1000 / MU)
    assert t.subtype("NYD01").area_mu == pytest.approx(2 + 1000 / MU)
    assert t.family("STXF").area_mu == pytest.approx(3.0)
    assert t.family("JSYD").parcels == 0 and t.family("JSYD").area_mu == 0.0
    assert t.area_mu == pytest.approx(5 + 1000 / MU)
    # all farmland of the project area, tagged or not, net of 田坎 (issue 15 items 5-6;
    # was the gross TBMJ of the tagged 01xx parcels): 2 亩 × 0.9 + 1000 m² + the two
    # untagged parcels 5000 m² × 0.9 and 7000 m² × 0.9
    assert t.farmland_mu == pytest.approx(2 * 0.9 + (1000 + 4500 + 6300) / MU)


def test_project_filter_keeps_only_that_project():
    df = frame([
        ("NYD", "NYD01", "P1", 3 * MU, "0103", 0, "2"),
        ("NYD", "NYD01", "P2", 4 * MU, "0103", 0, "2"),
        ("JSYD", "JSYD01", " P2 ", 1 * MU, "0702", 0, None),
    ])
    assert task_totals(df, project="P1").area_mu == pytest.approx(3.0)
    assert task_totals(df, project="P2").area_mu == pytest.approx(5.0)
    assert task_totals(df).area_mu == pytest.approx(8.0)


def test_subtype_decides_the_family_and_chinese_labels_are_accepted():
    df = frame([
        ("NYD", "JSYD01", "P", MU, "0702", 0, None),       # subtype wins
        ("建设用地整理", "农村宅基地复垦", "P", MU, "0702", 0, None),
        ("STXF", None, "P", MU, "0404", 0, None),          # family only
        ("XXX", "YYY", "P", MU, "0404", 0, None),          # unknown: not counted
    ])
    tags = resolve_tags(df)
    assert list(tags["family"]) == ["JSYD", "JSYD", "STXF", ""]
    assert list(tags["subtype"]) == ["JSYD01", "JSYD01", "", ""]
    t = task_totals(df)
    assert t.family("JSYD").parcels == 2 and t.subtype("JSYD01").area_mu == pytest.approx(2.0)
    assert t.family("STXF").parcels == 1
    assert t.unknown_codes == ("XXX", "YYY")


def test_new_farmland_estimate_by_subtype_rule():
    # issue 15 item 4: land that becomes farmland gets the 田坎 deduction of its grade,
    # TBMJ × (1 − KCXS[grade]) (梯田 TT by default); 田坎归并 lowers KCXS to the merged
    # coefficient of its grade; farmland leaving counts net (TBDLMJ)
    rules = Rules()
    tt, merged = rules.terrace_kcxs["TT"], rules.terrace_kcxs_merged["TT"]
    df = frame([
        ("NYD", "NYD03", "P", 1000.0, "0404", None, None, 10.0),  # reserve, grade 3
        ("NYD", "NYD03", "P", 1000.0, "0103", None, "2"),         # already farmland: 0
        ("JSYD", "JSYD01", "P", 2000.0, "0702", None, None, 4.0),  # reclaim, grade 2
        ("NYD", "NYD04", "P", 500.0, "0301", None, None, 10.0),   # swap in, grade 3
        ("NYD", "NYD04", "P", 300.0, "0103", 0.2, "5"),           # swap out: −TBDLMJ
        ("NYD", "NYD06", "P", 1000.0, "0103", 0.15, "3"),         # terrace, grade 3
        ("NYD", "NYD06", "P", 1000.0, "0103", 0.01, "1"),         # grade 1: no coefficient
        ("NYD", "NYD01", "P", 9999.0, "0404", None, None),        # not a new-farmland subtype
    ])
    expected = [1000 * (1 - tt["3"]), 0.0, 2000 * (1 - tt["2"]), 500 * (1 - tt["3"]),
                -300 * 0.8, 1000 * (0.15 - merged["3"]), 0.0, 0.0]
    # 梯田 KCXS: grade 2 0.035, grade 3 0.077; merged grade 3 0.05
    assert expected == pytest.approx([923.0, 0.0, 1930.0, 461.5, -240.0, 100.0, 0.0, 0.0])
    got = new_farmland_m2(df, resolve_tags(df)["subtype"], rules)
    assert list(got) == pytest.approx(expected)
    t = task_totals(df, rules)
    assert t.new_farmland_mu == pytest.approx((923 + 1930 + 461.5 - 240 + 100) / MU)
    assert t.subtype("NYD06").new_farmland_mu == pytest.approx(100 / MU)
    assert t.new_farmland_by_source["reserve"] == pytest.approx(923 / MU)
    assert t.new_farmland_by_source["swap_in"] == pytest.approx(461.5 / MU)
    assert t.new_farmland_by_source["terrace"] == pytest.approx(100 / MU)


def test_coefficients_come_from_the_rules():
    rules = Rules(terrace_kcxs={"TT": {"2": 0.1, "3": 0.5, "4": 0.6, "5": 0.7}, "PD": {}})
    df = frame([("NYD", "NYD03", "P", 1000.0, "1206", None, None, 10.0)])
    assert task_totals(df, rules).new_farmland_mu == pytest.approx(500 / MU)
    # land of unknown slope: the largest coefficient of grades 2-4 (cautious)
    df = frame([("NYD", "NYD03", "P", 1000.0, "1206", None, None)])
    assert task_totals(df, rules).new_farmland_mu == pytest.approx(400 / MU)
    # grade 1 land has no 田坎 deduction
    df = frame([("NYD", "NYD03", "P", 1000.0, "1206", None, None, 1.0)])
    assert task_totals(df, rules).new_farmland_mu == pytest.approx(1000 / MU)


def test_progress_against_targets():
    df = frame([
        ("NYD", "NYD01", "P", 7350 * MU, "0103", 0, "2"),
        ("STXF", "STXF01", "P", 350 * MU, "0301", 0, None),
    ])
    t = task_totals(df)
    progress = {p.family: p for p in t.progress}
    assert set(progress) == set(FAMILY_TARGET)
    assert progress["NYD"].target_mu == Targets().farmland_mu
    assert progress["NYD"].share == pytest.approx(0.1)
    assert progress["STXF"].share == pytest.approx(0.1)
    assert progress["JSYD"].share == 0.0
    custom = task_totals(df, targets=Targets(farmland_mu=14700))
    assert {p.family: p for p in custom.progress}["NYD"].share == pytest.approx(0.5)


def test_new_farmland_share_of_existing_farmland():
    df = frame([
        ("NYD", "NYD01", "P", 100 * MU, "0103", 0, "2"),
        ("NYD", "NYD03", "P", 10 * MU, "0404", None, None, 10.0),
    ])
    t = task_totals(df)
    assert t.farmland_mu == pytest.approx(100.0)
    # 10 亩 of reserve land at 10° (grade 3): 10 × (1 − 0.077) (was 10 × 0.85)
    assert t.new_farmland_share == pytest.approx(9.23 / 100)


def test_five_percent_rule_divides_by_all_farmland_of_the_project_area():
    df = frame([
        ("NYD", "NYD03", "P", 10 * MU, "0404", None, None, 10.0),   # +9.23 亩
        ("NYD", "NYD01", "P", 50 * MU, "0103", 0.1, "3"),           # tagged: 45 亩 net
        (None, None, None, 100 * MU, "0101", 0.0, "1"),             # untagged: 100 亩
        ("NYD", "NYD01", "Q", 70 * MU, "0103", 0.0, "2"),           # another project
    ])
    t = task_totals(df, project="P")
    assert t.farmland_mu == pytest.approx(45 + 100)
    assert t.new_farmland_share == pytest.approx(9.23 / 145)
    # an explicit project area: the first three rows
    t = task_totals(df, project="P", area=[True, True, True, False])
    assert t.farmland_mu == pytest.approx(145)


def test_construction_land_grows_when_a_project_builds_more_than_it_reclaims():
    df = frame([
        ("JSYD", "JSYD01", "P", 300.0, "0702", None, None, 4.0),   # reclaimed: −300
        ("CYRH", "CYRH01", "P", 800.0, "0103", 0.0, "2"),          # new building on farmland
        ("CYRH", "CYRH02", "P", 200.0, "05H1", None, None),        # already construction
    ])
    t = task_totals(df)
    assert t.construction_before_mu == pytest.approx((300 + 200) / MU)
    assert t.new_construction_mu == pytest.approx(800 / MU)
    assert t.construction_after_mu == pytest.approx((200 + 800) / MU)
    assert t.construction_change_mu == pytest.approx(500 / MU)   # > 0: R2 fails


def test_empty_frame_and_missing_optional_columns():
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ("ZZLX", "ZZZLX", "XMBH", "TBMJ")})
    t = task_totals(empty)
    assert t.parcels == 0 and t.area_mu == 0.0 and len(t.families) == len(task_types.FAMILIES)
    df = pd.DataFrame({"ZZLX": ["NYD"], "ZZZLX": ["NYD03"], "XMBH": ["P"], "TBMJ": [MU]})
    # no DLBM: not farmland; no slope: the largest coefficient of grades 2-4 (TT 4: 0.129)
    assert task_totals(df).new_farmland_mu == pytest.approx(1 - 0.129)


def test_red_line_conflicts_follow_the_red_line_rules():
    import shapely

    from qn_landconsol_plugin.core.task_totals import red_line_conflicts

    red = [shapely.box(0, 0, 100, 100)]
    parcels = [
        shapely.box(10, 10, 20, 20),     # inside, reserve development: conflict
        shapely.box(30, 30, 40, 40),     # inside, ecological restoration: allowed
        shapely.box(200, 0, 210, 10),    # outside: no conflict
        shapely.box(95, 0, 105, 10),     # half inside (50 m²), homestead reclamation: conflict
        shapely.box(99.95, 50, 120, 60), # 0.5 m² sliver inside: not judged
    ]
    dlbm = ["0404", "0404", "0404", "0702", "0702"]
    zzlx = ["NYD", "STXF", "NYD", "JSYD", "JSYD"]
    zzzlx = ["NYD03", "STXF02", "NYD03", "JSYD01", "JSYD01"]
    got = red_line_conflicts(parcels, dlbm, zzlx, zzzlx, red)
    assert list(got) == [True, False, False, True, False]


def test_project_area_is_the_townships_of_the_project_parcels_tagged_or_not():
    # township 522702101 holds the project's two parcels, an untagged field and a parcel
    # of project Q; township 522702102 an untagged field: not in P's area
    a, b = "5227021010010010000", "5227021020010010000"
    df = frame([
        ("NYD", "NYD03", "P", 10 * MU, "0404", None, None, 10.0),   # +10 × (1 − 0.077) 亩
        ("NYD", "NYD01", "P", 50 * MU, "0103", 0.1, "3"),           # 45 亩 net
        (None, None, None, 100 * MU, "0101", 0.0, "1"),             # 100 亩, same township
        ("NYD", "NYD01", "Q", 70 * MU, "0103", 0.0, "2"),           # Q's: Q's area
        (None, None, None, 300 * MU, "0103", 0.0, "2"),             # other township
        (None, None, None, 6 * MU, "0702", None, None),             # construction, township a
    ])
    df["ZLDWDM"] = [a, a, a, a, b, a]
    t = task_totals(df, project="P")
    assert t.area_units == ("522702101",)
    assert t.farmland_mu == pytest.approx(45 + 100)
    assert t.new_farmland_share == pytest.approx(9.23 / 145)
    assert t.construction_before_mu == pytest.approx(6.0)
    # all projects: the tagged parcels of both and everything untagged of township a
    t = task_totals(df)
    assert t.farmland_mu == pytest.approx(45 + 100 + 70)
    # the same from per-township sums of the whole layer (what the dock reads once) and
    # the tagged rows only
    from qn_landconsol_plugin.core import consolidation, project_area

    gd, js = consolidation.land_now(df)
    by_unit = project_area.land_by_unit(project_area.frame_units(df), gd, js)
    assert by_unit.loc["522702101", "GD"] == pytest.approx((45 + 100 + 70) * MU)
    assert by_unit.loc["522702102", "GD"] == pytest.approx(300 * MU)
    tagged = df.iloc[[0, 1, 3]]
    t2 = task_totals(tagged, project="P", land=by_unit)
    assert t2.farmland_mu == pytest.approx(145)
    assert t2.construction_before_mu == pytest.approx(6.0)
    assert t2.new_farmland_share == pytest.approx(9.23 / 145)


def test_progress_is_measured_against_the_quota_of_the_projects_county():
    df = frame([("NYD", "NYD01", "P", 612.5 * MU, "0103", 0.0, "2")])
    df["ZLDWDM"] = ["5227021010010010000"]
    t = task_totals(df)
    # 福泉市 (522702): the even split of 73,500 亩 over 12 counties is 6,125 亩
    assert t.quota_label == "福泉市分解任务"
    nyd = {p.family: p for p in t.progress}["NYD"]
    assert nyd.target_mu == 6125.0 and nyd.share == pytest.approx(0.1)
    # a county's own split in the rules, and targets the user typed win
    rules = Rules()
    rules.county_quotas["522702"]["farmland_mu"] = 1225.0
    assert {p.family: p for p in task_totals(df, rules).progress}["NYD"].share == \
        pytest.approx(0.5)
    t = task_totals(df, rules, targets=Targets(farmland_mu=6125.0 * 2))
    assert t.quota_label == "用户输入的目标"
    assert {p.family: p for p in t.progress}["NYD"].target_mu == 12250.0


def test_grade_text_and_kcxs_of_every_form_of_a_value():
    """The slope grade and 田坎 coefficient per distinct value (vectorised) for the values
    a layer holds: NULL, NaN, padded text, '02', 2.0, '2.0', integer arrays, nonsense."""
    from qn_landconsol_plugin.core.consolidation import grade_text, kcxs

    grades = [None, float("nan"), "", " 3 ", "02", 2, 2.0, "2.0", "5", "6", "abc", 0, True, 1]
    assert grade_text(grades).tolist() == \
        ["", "", "", "3", "2", "2", "2", "2", "5", "", "", "", "", "1"]
    assert grade_text(np.array([0, 1, 4, 5, 6], dtype=np.int8)).tolist() == ["", "1", "4", "5", ""]
    assert grade_text([]).tolist() == []
    # TT/PD by GDLX (any case), else the new-farmland type (TT); grade 1: 0; unknown
    # grade: the largest of grades 2-4 (TT 0.129, PD 0.112); NaN GDLX is no TT/PD
    got = kcxs(["3", "3", "3", "1", "", "", "4", "2"],
               ["tt", "PD", None, "PD", "PD", "xx", float("nan"), " PD"])
    assert got.tolist() == [0.077, 0.066, 0.077, 0.0, 0.112, 0.129, 0.129, 0.035]
    assert kcxs(["3", "", "5"], ["PD", "TT", "PD"], merged=True).tolist() == [0.04, 0.09, 0.11]
    assert kcxs([], []).tolist() == []


def test_tags_and_codes_of_mixed_types_are_read_one_by_one():
    """Values that compare equal but read differently (1, 1.0, True) stay apart: each
    is an unknown tag of its own; a NULL or blank tag is untagged; the DLBM codes of the
    project area are checked as written (K codes of 三调 known, 0305K and 9999 not)."""
    df = frame([
        ("NYD", "NYD01", "P1", MU, "0201K", 0, None),
        ("NYD", 1, "P1", MU, "0305K", 0, None),
        ("NYD", 1.0, "P1", MU, "0103", 0.1, "3"),
        ("NYD", True, "P1", MU, " 9999 ", 0, None),
        (None, "  ", "P1", MU, None, 0, None),
        (float("nan"), None, "P1", MU, float("nan"), 0, None),
    ])
    t = task_totals(df)
    assert t.unknown_codes == ("1", "1.0", "True")
    assert t.parcels == 4 and t.family("NYD").parcels == 4 and t.subtype("NYD01").parcels == 1
    assert t.unknown_land_codes == ("0305K", "9999")
    # farmland of the area: the 0103 parcel net of its 10 % 田坎
    assert t.farmland_mu == pytest.approx(0.9)
