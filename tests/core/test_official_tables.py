"""The official tables of issue 15 (core.official_tables and their layouts): hand-computed
figures on a few parcels, and the reconciliations a reviewer checks: before + change =
after per class, the transition matrix's rows and columns sum to before and after, new
farmland by source sums to the survey's new farmland."""
import numpy as np
import pandas as pd
import pytest

from qn_landconsol_plugin.core import consolidation as cons
from qn_landconsol_plugin.core import official_tables as ot
from qn_landconsol_plugin.core import potential as pot
from qn_landconsol_plugin.core.reports import official
from qn_landconsol_plugin.core.rules import Rules

from .test_potential import MU, _mixed


def _outcome():
    """Four parcels: terraced dry land merging its ridges, grassland becoming farmland,
    slope farmland going up to forest, a homestead reclaimed; with PBF on two."""
    frame = pd.DataFrame({
        "DLBM": ["0103", "0404", "0103", "0702"],
        "TBMJ": [1000.0, 2000.0, 500.0, 400.0],
        "KCXS": [0.15, 0.0, 0.1, 0.0],
        "GDLX": ["TT", None, "TT", None],
        "GDPDJB": ["3", None, "5", None],
        "PD_MEAN": [10.0, 10.0, 30.0, 4.0],
    })
    effect = [cons.TERRACE, cons.TO_FARMLAND, cons.FROM_FARMLAND, cons.TO_FARMLAND]
    source = ["terrace", "reserve", "", "homestead"]
    out = cons.outcome(frame, effect, source)
    out["JBNT"] = [0.0, 0.0, 500.0, 0.0]
    out["PD"] = frame["PD_MEAN"]
    out["GDDB"] = [9.0, np.nan, 12.0, np.nan]
    out["BSM"] = ["A", "B", "C", "D"]
    return out


def test_outcome_by_hand():
    out = _outcome()
    tt, merged = Rules().terrace_kcxs["TT"], Rules().terrace_kcxs_merged["TT"]
    # terrace: 850 now, 1000 × (1 − 0.05) after; grassland at 10°: 2000 × (1 − 0.077);
    # slope farmland 450 → 0; homestead at 4°: 400 × (1 − 0.035)
    assert out["GD_Q"].tolist() == pytest.approx([850.0, 0.0, 450.0, 0.0])
    assert out["GD_H"].tolist() == pytest.approx([1000 * (1 - merged["3"]), 2000 * (1 - tt["3"]),
                                                  0.0, 400 * (1 - tt["2"])])
    assert out["DLBM_H"].tolist() == ["0103", "0103", "0307", "0103"]
    assert out["TK_H"].tolist() == pytest.approx([50.0, 154.0, 0.0, 14.0])
    assert out["JS_Q"].tolist() == [0.0, 0.0, 0.0, 400.0] and out["JS_H"].sum() == 0.0


def test_structure_before_plus_change_is_after_and_by_hand():
    out = _outcome()
    table = ot.structure_table(out).set_index("CODE")
    # before: 0103 850 + 450, 1203 150 + 50, 0404 2000, 0702 400
    assert table.loc["0103", "BEFORE"] == pytest.approx(1300.0)
    assert table.loc["1203", "BEFORE"] == pytest.approx(200.0)
    # after: 0103 950 + 1846 + 386, 1203 50 + 154 + 14, 0307 500
    assert table.loc["0103", "AFTER"] == pytest.approx(950 + 1846 + 386)
    assert table.loc["1203", "AFTER"] == pytest.approx(218.0)
    assert table.loc["0307", "AFTER"] == pytest.approx(500.0)
    full = ot.structure_table(out)
    assert np.allclose(full["BEFORE"] + full["CHANGE"], full["AFTER"])
    # first-level rows are the sums of their second-level rows; the total of either
    for level, rows in full[full["ROW"] != "total"].groupby("LEVEL"):
        first = rows[rows["ROW"] == "first"].iloc[0]
        second = rows[rows["ROW"] == "second"]
        assert first["BEFORE"] == pytest.approx(second["BEFORE"].sum())
        assert first["AFTER"] == pytest.approx(second["AFTER"].sum())
    total = full[full["ROW"] == "total"].iloc[0]
    assert total["BEFORE"] == pytest.approx(3900.0) and total["AFTER"] == pytest.approx(3900.0)
    # the 13 一级类 of the work classification name the first-level rows
    assert set(full.loc[full["ROW"] == "first", "NAME"]) == {"耕地", "草地", "住宅用地", "林地",
                                                             "其他土地"}


def test_transition_matrix_rows_and_columns_are_before_and_after():
    for out in (_outcome(), _mixed()[2].outcome):
        matrix = ot.transition_matrix(out).set_index("整治前＼整治后")
        first = ot.structure_table(out)
        first = first[first["ROW"] == "first"].set_index("LEVEL")
        for label in matrix.index[:-1]:
            level = label.split(" ")[0]
            before = first["BEFORE"].get(level, 0.0)
            after = first["AFTER"].get(level, 0.0)
            assert matrix.loc[label, "合计"] == pytest.approx(before, abs=1e-6)
            assert matrix.loc["合计", label] == pytest.approx(after, abs=1e-6)
    matrix = ot.transition_matrix(_outcome()).set_index("整治前＼整治后")
    # 田坎 that merging frees becomes farmland: 150 − 50 = 100 m² from 12 to 01
    assert matrix.loc["12 其他土地", "01 耕地"] == pytest.approx(100.0)
    assert matrix.loc["01 耕地", "03 林地"] == pytest.approx(450.0)
    assert matrix.loc["04 草地", "01 耕地"] == pytest.approx(1846.0)


def test_new_farmland_by_source_sums_to_the_surveys_new_farmland():
    geoms, table, result = _mixed()
    keys, names, level, _ = pot.unit_keys(table, "village")
    summary = pot.summarize(result, keys, names, level)
    sources = ot.new_farmland_sources(result.outcome).set_index("NAME")
    total = summary[summary["DW_DM"] == pot.TOTAL_CODE].iloc[0]
    assert sources.loc["合计", "NEW"] / MU == pytest.approx(total["XZGD_MU"])
    parts = sources.drop(index=["合计", "旱改水（新增水田，不增加耕地面积）"])["NEW"]
    assert parts.sum() == pytest.approx(sources.loc["合计", "NEW"])
    # by hand (test_potential): 田坎归并 100, reserve 1846, homestead 386, mine 2769, swap 1447.5
    assert sources.loc["田坎归并", "NEW"] == pytest.approx(100.0)
    assert sources.loc["宜耕后备资源开发", "NEW"] == pytest.approx(1846.0)
    assert sources.loc["宅基地/空闲地复垦", "NEW"] == pytest.approx(386.0)
    assert sources.loc["工矿废弃地复垦", "NEW"] == pytest.approx(2769.0)
    assert sources.loc["林耕置换入", "NEW"] == pytest.approx(1447.5)


def test_construction_change_and_pbf_adjustment_by_hand():
    out = _outcome()
    table = ot.construction_change(out).set_index("KIND")
    assert table.loc["before", "AREA"] == pytest.approx(400.0)
    assert table.loc["reclaimed", "AREA"] == pytest.approx(-400.0)
    assert table.loc["after", "AREA"] == 0.0
    assert table.loc["change", "AREA"] == pytest.approx(-400.0) and "通过" in table.loc["change", "NOTE"]
    pbf = ot.pbf_adjustment(out)
    moved = pbf[pbf["KIND"] == "out"]
    assert moved["BSM"].tolist() == ["C"] and moved["AREA"].iloc[0] == pytest.approx(500.0)
    supply = pbf[pbf["KIND"] == "in"]
    assert set(supply["BSM"]) == {"A", "B", "D"}
    checks = pbf[pbf["KIND"] == "check"].set_index("ITEM")
    assert checks.loc["调出占永久基本农田比例（%）", "AREA"] == pytest.approx(100.0)
    assert "不通过" in checks.loc["调出占永久基本农田比例（%）", "NOTE"]
    assert checks.loc["补划占调出比例（%）", "AREA"] == pytest.approx(100 * (100 + 1846 + 386) / 500)
    before = pbf[pbf["KIND"] == "before"].iloc[0]
    assert before["SLOPE"] == pytest.approx(30.0) and before["GDDB"] == pytest.approx(12.0)


def test_official_sheets_show_hectares_and_mu_with_a_frozen_heading(tmp_path):
    from openpyxl import load_workbook

    from qn_landconsol_plugin.core.reports.xlsx import write_workbook

    path = tmp_path / "t.xlsx"
    write_workbook(path, official.official_sheets(_outcome(), prefix="示范项目"))
    wb = load_workbook(path)
    ws = wb["地类结构调整表"]
    assert ws["A1"].value == "示范项目 整治前后地类结构调整表"
    heads = [c.value for c in ws[2]]
    assert heads[:4] == ["地类编码", "地类名称", "整治前面积（公顷）", "整治前面积（亩）"]
    assert ws.freeze_panes == "A3"
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["0103"][2] == pytest.approx(0.13)             # 1300 m² = 0.13 公顷
    assert rows["0103"][3] == pytest.approx(1300 / MU)
    assert ws.cell(row=3, column=3).number_format == "0.0000"
    assert ws.cell(row=3, column=4).number_format == "0.00"
    last = ws.max_row
    assert ws.cell(row=last, column=2).value == "合计" and ws.cell(row=last, column=2).font.b
    assert wb["新增耕地来源表"].page_setup.orientation == "landscape"
