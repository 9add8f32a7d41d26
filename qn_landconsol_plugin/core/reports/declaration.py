"""The declaration package's 地类统计表.xlsx: one sheet per table of
core.declaration_stats (and the official before/after tables), each under a title
row, written by the one xlsx writer."""
from __future__ import annotations

from . import official
from .xlsx import Sheet, write_workbook

NAME_COLUMNS = ("MC", "XM", "SM", "DLMC")              # wide text columns
FOUR_DECIMAL_COLUMNS = ("MJ_MU", "MJ_GQ", "XZGD_MU")    # 亩 and 公顷 of these tables


def table_sheet(sheet_name: str, title: str, frame, headers: dict) -> Sheet:
    """One statistics table: a title row, centred Chinese headings, numbers with 2
    decimals (亩/公顷 4)."""
    return Sheet(sheet_name, frame, headers=dict(headers), title=title, header_style="centred",
                 float_format="0.00", formats={c: "0.0000" for c in FOUR_DECIMAL_COLUMNS},
                 widths={c: 22 for c in NAME_COLUMNS}, default_width=14)


def write_tables(path, title: str, tables, outcome=None, rules=None) -> None:
    """An .xlsx with one sheet per (sheet name, table title, frame, {column: heading}),
    each titled '<title> <table title>', then, given the project's `outcome`
    (declaration_stats.project_outcome), the official tables: 整治前后地类结构调整表,
    地类转换矩阵, 新增耕地来源表, 建设用地增减表, 永久基本农田调整表."""
    sheets = [table_sheet(name, f"{title} {table_title}".strip(), frame, headers)
              for name, table_title, frame, headers in tables]
    if outcome is not None:
        sheets += official.official_sheets(outcome, rules, prefix=title)
    write_workbook(path, sheets)
