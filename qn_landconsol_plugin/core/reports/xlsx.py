"""The one .xlsx writer (openpyxl): every workbook a user reads (the survey workbook,
the declaration package's 地类统计表) is a list of `Sheet` layouts, data, written by
`write_workbook`."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

FAIL_COLOR = "B30000"
# heading row looks: 'band' (shaded, the survey workbook), 'centred' (the declaration tables)
HEADER_STYLES = {
    "band": {"fill": "EEF3F8", "horizontal": None, "vertical": "center"},
    "centred": {"fill": None, "horizontal": "center", "vertical": None},
}
AUTO_WIDTH_ROWS = 200           # rows looked at to fit a column's width
AUTO_WIDTH_RANGE = (8, 60)


@dataclass(frozen=True)
class Sheet:
    """One sheet: a frame and how it is laid out."""
    name: str                         # tab name (cut to 31 characters)
    frame: pd.DataFrame
    headers: dict | None = None       # frame column -> heading, in sheet order; None: as is
    title: str = ""                   # bold title row above the headings, merged across
    header_style: str = "band"        # a HEADER_STYLES key
    float_format: str = ""            # number format of float cells without their own
    formats: dict = field(default_factory=dict)   # column -> number format of its float cells
    widths: dict | None = None        # column -> width (others default_width); None: fitted
    default_width: float = 14.0
    freeze: str = ""                  # top-left cell of the scrolling pane ('A2'); '' none
    highlight: tuple = ()             # (column, value): those cells bold red
    total_row: bool = False           # the last row is a totals row (bold)
    bold_rows: tuple = ()             # frame row positions shown bold (e.g. subtotals)
    landscape: bool = False           # printed landscape, fitted to the page width

    @property
    def columns(self) -> list:
        return list(self.headers) if self.headers is not None else list(self.frame.columns)

    @property
    def header_row(self) -> int:
        """Row number (1-based) of the headings."""
        return 2 if self.title else 1


def cell_value(v):
    """A value openpyxl writes: NaN/None -> empty, numpy scalars -> Python."""
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def fitted_width(heading: str, values) -> float:
    """Width that shows the heading and the first values, within AUTO_WIDTH_RANGE."""
    width = max([len(str(heading))] + [len(str(v)) for v in list(values)[:AUTO_WIDTH_ROWS]]) + 2
    return min(max(width, AUTO_WIDTH_RANGE[0]), AUTO_WIDTH_RANGE[1])


def write_workbook(path, sheets) -> None:
    """Write the `Sheet`s, in order, to an .xlsx at `path`."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        _write_sheet(wb, sheet)
    wb.save(path)


def _write_sheet(wb, sheet: Sheet):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(sheet.name[:31])
    bold = Font(bold=True)   # one style object per sheet: openpyxl shares it between cells
    columns = sheet.columns
    headings = [sheet.headers[c] for c in columns] if sheet.headers is not None else columns
    if sheet.title:
        ws.append([sheet.title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(columns)))
    ws.append(list(headings))
    style = HEADER_STYLES[sheet.header_style]
    for cell in ws[sheet.header_row]:
        cell.font = bold
        if style["fill"]:
            cell.fill = PatternFill("solid", fgColor=style["fill"])
        cell.alignment = Alignment(horizontal=style["horizontal"], vertical=style["vertical"],
                                   wrap_text=True)
    first = sheet.header_row + 1
    for rec in sheet.frame[columns].itertuples(index=False):
        ws.append([cell_value(v) for v in rec])
    last = ws.max_row
    for j, (col, heading) in enumerate(zip(columns, headings), start=1):
        letter = get_column_letter(j)
        if sheet.widths is None:
            ws.column_dimensions[letter].width = fitted_width(heading, sheet.frame[col])
        else:
            ws.column_dimensions[letter].width = sheet.widths.get(col, sheet.default_width)
        fmt = sheet.formats.get(col, sheet.float_format)
        if fmt:
            for r in range(first, last + 1):
                cell = ws.cell(row=r, column=j)
                if isinstance(cell.value, float):
                    cell.number_format = fmt
    if sheet.highlight:
        col, value = sheet.highlight
        j = columns.index(col) + 1
        fail = Font(color=FAIL_COLOR, bold=True)
        for r in range(first, last + 1):
            if ws.cell(row=r, column=j).value == value:
                ws.cell(row=r, column=j).font = fail
    if sheet.total_row and last >= first:
        for cell in ws[last]:
            cell.font = bold
    for i in sheet.bold_rows:
        for cell in ws[first + int(i)]:
            cell.font = bold
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    if sheet.landscape:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{sheet.header_row}:{sheet.header_row}" if not sheet.title \
            else f"1:{sheet.header_row}"
    return ws
