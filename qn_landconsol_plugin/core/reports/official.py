"""Layouts, as data, of the official tables (core.official_tables) a reviewer reads: one
sheet each, Chinese headings, 公顷 to 4 decimals and 亩 to 2, column widths, a title
row, the heading frozen, the totals row bold, printed landscape on one page width.
Used by the survey workbook and the declaration package's 地类统计表."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import official_tables as ot
from ..rules import Rules
from ..units import M2_PER_MU
from .xlsx import Sheet

M2_PER_HA = 10000.0
# how each kind of column is shown: number format and width
KINDS = {
    "text": ("", 12), "name": ("", 30), "ha": ("0.0000", 14), "mu": ("0.00", 14),
    "pct": ("0.00", 10), "count": ("0", 9), "deg": ("0.0", 10), "grade": ("0.0", 10),
}


@dataclass(frozen=True)
class Column:
    """One column of a table: the value `key` of the computed table shown as `kind`
    (ha and mu convert the m² value of `key`)."""
    key: str
    heading: str
    kind: str = "text"


@dataclass(frozen=True)
class Layout:
    sheet: str
    title: str
    columns: tuple
    total_row: bool = True


STRUCTURE = Layout("地类结构调整表", "整治前后地类结构调整表", (
    Column("CODE", "地类编码"), Column("NAME", "地类名称", "name"),
    Column("BEFORE", "整治前面积（公顷）", "ha"), Column("BEFORE", "整治前面积（亩）", "mu"),
    Column("SHARE_BEFORE", "整治前占比（%）", "pct"),
    Column("AFTER", "整治后面积（公顷）", "ha"), Column("AFTER", "整治后面积（亩）", "mu"),
    Column("SHARE_AFTER", "整治后占比（%）", "pct"),
    Column("CHANGE", "增减面积（公顷）", "ha"), Column("CHANGE", "增减面积（亩）", "mu"),
))
SOURCES = Layout("新增耕地来源表", "新增耕地来源表", (
    Column("NAME", "来源", "name"), Column("PARCELS", "图斑数", "count"),
    Column("NEW", "新增耕地（公顷）", "ha"), Column("NEW", "新增耕地（亩）", "mu"),
    Column("PADDY", "其中水田（公顷）", "ha"), Column("PADDY", "其中水田（亩）", "mu"),
    Column("GDDB", "来源图斑耕地等别（面积加权）", "grade"),
), total_row=False)
CONSTRUCTION = Layout("建设用地增减表", "建设用地增减表", (
    Column("ITEM", "项目", "name"), Column("PARCELS", "图斑数", "count"),
    Column("AREA", "面积（公顷）", "ha"), Column("AREA", "面积（亩）", "mu"),
    Column("NOTE", "说明", "name"),
), total_row=False)
PBF = Layout("永久基本农田调整表", "永久基本农田调整表", (
    Column("ITEM", "类别"), Column("BSM", "图斑标识码"), Column("CODE", "现状地类", "name"),
    Column("AREA", "面积（公顷）", "ha"), Column("AREA", "面积（亩）", "mu"),
    Column("SLOPE", "平均坡度（度）", "deg"), Column("GDDB", "耕地等别", "grade"),
    Column("NOTE", "说明", "name"),
), total_row=False)


def _value(v, kind):
    if kind == "ha":
        return v / M2_PER_HA if v is not None and not pd.isna(v) else np.nan
    if kind == "mu":
        return v / M2_PER_MU if v is not None and not pd.isna(v) else np.nan
    return v


def laid_out(table: pd.DataFrame, layout: Layout, ratio_rows=None) -> pd.DataFrame:
    """The table's columns converted and renamed for people (headings may repeat a key:
    the frame's columns are the headings). `ratio_rows` (a mask) keeps the AREA value of
    those rows as is in the 公顷 column and leaves their 亩 empty (percentages)."""
    data = {}
    for col in layout.columns:
        values = [_value(v, col.kind) for v in table[col.key]]
        if ratio_rows is not None and col.kind in ("ha", "mu"):
            raw = table[col.key].to_numpy()
            values = [(raw[i] if col.kind == "ha" else np.nan) if ratio_rows[i] else v
                      for i, v in enumerate(values)]
        data[col.heading] = values
    return pd.DataFrame(data)


def sheet(layout: Layout, frame: pd.DataFrame, prefix: str = "", bold_rows=()) -> Sheet:
    """A printable Sheet of a laid-out frame."""
    formats = {c.heading: KINDS[c.kind][0] for c in layout.columns if KINDS[c.kind][0]}
    widths = {c.heading: KINDS[c.kind][1] for c in layout.columns}
    title = f"{prefix} {layout.title}".strip()
    return Sheet(layout.sheet, frame, title=title, header_style="centred", formats=formats,
                 widths=widths, freeze="A3", total_row=layout.total_row, landscape=True,
                 bold_rows=tuple(bold_rows))


def matrix_sheet(matrix: pd.DataFrame, prefix: str = "", unit: str = "ha") -> Sheet:
    """The 地类转换矩阵 (m² → 公顷 or 亩) as a sheet: rows before, columns after."""
    shown = matrix.copy()
    numbers = [c for c in shown.columns if c != shown.columns[0]]
    factor = M2_PER_HA if unit == "ha" else M2_PER_MU
    shown[numbers] = shown[numbers] / factor
    label = "公顷" if unit == "ha" else "亩"
    fmt = KINDS[unit][0]
    title = f"{prefix} 地类转换矩阵（{label}，行：整治前，列：整治后）".strip()
    return Sheet(f"地类转换矩阵（{label}）", shown, title=title, header_style="centred",
                 formats={c: fmt for c in numbers}, widths={shown.columns[0]: 26},
                 default_width=12, freeze="B3", total_row=True, landscape=True)


def official_sheets(out: pd.DataFrame, rules: Rules | None = None, prefix: str = "") -> list:
    """The four official tables of an outcome frame as Sheets: structure, the transition
    matrix (公顷 and 亩), new-farmland sources, construction land, PBF adjustment."""
    rules = rules or Rules()
    structure = ot.structure_table(out)
    first = np.flatnonzero(structure["ROW"].to_numpy() == "first")
    pbf = ot.pbf_adjustment(out, rules)
    matrix = ot.transition_matrix(out)
    subtotal = np.flatnonzero(pbf["KIND"].isin(["out_total", "in_total", "before", "after"]))
    return [
        sheet(STRUCTURE, laid_out(structure, STRUCTURE), prefix, bold_rows=first),
        matrix_sheet(matrix, prefix, "ha"),
        matrix_sheet(matrix, prefix, "mu"),
        sheet(SOURCES, laid_out(ot.new_farmland_sources(out), SOURCES), prefix),
        sheet(CONSTRUCTION, laid_out(ot.construction_change(out, rules), CONSTRUCTION), prefix),
        sheet(PBF, laid_out(pbf, PBF, ratio_rows=(pbf["KIND"] == "check").to_numpy()), prefix,
              bold_rows=subtotal),
    ]
