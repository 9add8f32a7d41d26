"""Statistics tables of a declaration package (申报成果统计表): areas inside the
project boundary by 三调 land class before consolidation, by task family and
subtype, and the new farmland (新增耕地); core.reports.declaration writes them to the
地类统计表.xlsx.

Areas follow the 三调 habit: a parcel's class gets TBDLMJ (TBMJ − KCMJ), its
田坎 deduction KCMJ goes to 1203; a parcel cut by the boundary counts with the
share of its planar area inside.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import consolidation
from . import land_classes as lc
from . import task_totals
from .fields import FieldSpec
from .rules import Rules
from .units import m2_to_ha, m2_to_mu

TERRACE_CODE = "1203"

# the three tables' columns: GeoPackage fields, and (name -> alias) the xlsx headers
LAND_CLASS_FIELDS = (
    FieldSpec("DLBM", "str", 5, "地类编码"), FieldSpec("DLMC", "str", 60, "地类名称"),
    FieldSpec("YJL", "str", 20, "一级类"), FieldSpec("SDL", "str", 10, "三大类"),
    FieldSpec("MJ", "float", 19, "面积（平方米）", 2), FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4),
    FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4), FieldSpec("BL", "float", 8, "占比（%）", 2),
)
TASK_FIELDS = (
    FieldSpec("ZZLX", "str", 8, "整治类型"), FieldSpec("ZZZLX", "str", 10, "整治子类型"),
    FieldSpec("MC", "str", 60, "名称"), FieldSpec("TBS", "int", 10, "图斑数"),
    FieldSpec("MJ", "float", 19, "面积（平方米）", 2), FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4),
    FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4),
    FieldSpec("XZGD_MU", "float", 19, "新增耕地（亩）", 4),
)
NEW_FARMLAND_FIELDS = (
    FieldSpec("XM", "str", 60, "项目"), FieldSpec("MJ", "float", 19, "面积（平方米）", 2),
    FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4), FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4),
    FieldSpec("SM", "str", 120, "说明"),
)
LAND_CLASS_COLUMNS = {s.name: s.alias for s in LAND_CLASS_FIELDS}
TASK_COLUMNS = {s.name: s.alias for s in TASK_FIELDS}
NEW_FARMLAND_COLUMNS = {s.name: s.alias for s in NEW_FARMLAND_FIELDS}
TOTAL_LABEL = "合计"
MIN_REPORTED_M2 = 0.005   # classes below this (boundary slivers) are left out of the tables


def _num(values, n):
    if values is None:
        return np.zeros(n)
    return pd.to_numeric(pd.Series(list(values)), errors="coerce").fillna(0.0).to_numpy(float)


def _with_units(frame: pd.DataFrame) -> pd.DataFrame:
    frame["MJ_MU"] = m2_to_mu(frame["MJ"])
    frame["MJ_GQ"] = m2_to_ha(frame["MJ"])
    return frame


def land_class_areas(dlbm, tbmj, kcmj=None, share=None) -> pd.DataFrame:
    """Area by 三调 land class (m², 亩, 公顷, %) of parcels weighted by `share` (the
    fraction of each parcel inside the boundary), 田坎 from KCMJ; a 合计 row last."""
    codes = [lc.normalize_code(c) for c in dlbm]
    n = len(codes)
    tbmj = _num(tbmj, n)
    kcmj = np.clip(_num(kcmj, n), 0.0, None)
    share = np.ones(n) if share is None else np.clip(np.asarray(share, dtype=float), 0.0, 1.0)
    own = (tbmj - kcmj) * share
    terrace = kcmj * share
    rows = pd.DataFrame({"DLBM": codes + [TERRACE_CODE] * n,
                         "MJ": np.concatenate([own, terrace])})
    table = rows.groupby("DLBM", as_index=False)["MJ"].sum()
    table = table[table["MJ"] >= MIN_REPORTED_M2]
    order = {c: (lc.LAND_CLASSES[c].first_level, i) for i, c in enumerate(lc.LAND_CLASSES)}
    table["_o"] = table["DLBM"].map(lambda c: order.get(c, ("99", 0)))
    table = table.sort_values(["_o", "DLBM"]).drop(columns="_o").reset_index(drop=True)
    table["DLMC"] = table["DLBM"].map(lambda c: lc.name_of(c, "未知地类"))
    table["YJL"] = table["DLBM"].map(lambda c: lc.FIRST_LEVEL_NAME.get(lc.first_level_of(c), ""))
    table["SDL"] = table["DLBM"].map(lambda c: lc.category_of(c, ""))
    total = float(table["MJ"].sum())
    table = pd.concat([table, pd.DataFrame([{"DLBM": "", "DLMC": TOTAL_LABEL, "YJL": "", "SDL": "",
                                            "MJ": total}])], ignore_index=True)
    table = _with_units(table)
    table["BL"] = 100.0 * table["MJ"] / total if total > 0 else 0.0
    return table[list(LAND_CLASS_COLUMNS)]


def map_table_rows(land_table: pd.DataFrame) -> list:
    """The rows of the declaration map's small table: 一级类, 公顷, 亩, share, then 合计;
    a class with less than 0.0001 公顷 inside (a neighbour touching the boundary) is left
    out, it would read 0.0000 (the workbook keeps it)."""
    rows = [[g.YJL, f"{g.MJ_GQ:.4f}", f"{g.MJ_MU:.2f}", f"{g.BL:.1f}%"]
            for g in group_areas(land_table).itertuples() if round(g.MJ_GQ, 4) > 0]
    total = land_table.iloc[-1]
    rows.append(["合计", f"{total.MJ_GQ:.4f}", f"{total.MJ_MU:.2f}", "100%"])
    return rows


def group_areas(land_table: pd.DataFrame) -> pd.DataFrame:
    """The land-class table summed by the 13 一级类 of the 三调 工作分类 (the map's small
    table), in their order; unknown codes last."""
    body = land_table[land_table["DLMC"] != TOTAL_LABEL]
    table = body.groupby("YJL", as_index=False)["MJ"].sum()
    order = {name: i for i, (_, name) in enumerate(lc.FIRST_LEVEL)}
    table["_o"] = table["YJL"].map(lambda g: order.get(g, len(order)))
    table = table.sort_values("_o").drop(columns="_o").reset_index(drop=True)
    total = float(table["MJ"].sum())
    table = _with_units(table)
    table["BL"] = 100.0 * table["MJ"] / total if total > 0 else 0.0
    return table


def task_type_areas(frame: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """Tagged parcels by task family and subtype (count, m², 亩, 公顷, new farmland 亩),
    from core.task_totals; `frame` has ZZLX, ZZZLX, TBMJ (and DLBM, KCXS, GDPDJB)."""
    totals = task_totals.task_totals(frame, rules)
    rows = []
    for fam in totals.families:
        rows.append({"ZZLX": fam.code, "ZZZLX": "", "MC": fam.zh, "TBS": fam.parcels,
                     "MJ": fam.area_mu * 10000.0 / 15.0, "XZGD_MU": fam.new_farmland_mu})
        for sub in totals.subtypes:
            if sub.family == fam.code and sub.parcels:
                rows.append({"ZZLX": fam.code, "ZZZLX": sub.code, "MC": sub.zh, "TBS": sub.parcels,
                             "MJ": sub.area_mu * 10000.0 / 15.0, "XZGD_MU": sub.new_farmland_mu})
    rows.append({"ZZLX": "", "ZZZLX": "", "MC": TOTAL_LABEL, "TBS": totals.parcels,
                 "MJ": totals.area_mu * 10000.0 / 15.0, "XZGD_MU": totals.new_farmland_mu})
    table = _with_units(pd.DataFrame(rows))
    return table[list(TASK_COLUMNS)]


def new_farmland_summary(frame: pd.DataFrame, farmland_m2: float,
                         rules: Rules | None = None, area_label: str = "整治前耕地（范围内）",
                         boundary_farmland_m2: float | None = None) -> pd.DataFrame:
    """新增耕地 of the project (estimated by core.task_totals), the farmland of the project
    area before consolidation (`farmland_m2`, said by `area_label`: the declaration
    export gives core.project_area's, as the dock and the survey divide by), their ratio
    against the ≥ 5 % rule, and the farmland inside the boundary for information."""
    rules = rules or Rules()
    tags = task_totals.resolve_tags(frame)
    new = task_totals.new_farmland_m2(frame, tags["subtype"], rules) if len(frame) else np.zeros(0)
    rows = []
    for code in task_totals.NEW_FARMLAND_METHOD:
        m = (tags["subtype"] == code).to_numpy()
        if m.any():
            rows.append({"XM": f"{code} {task_totals.task_types.SUBTYPE_BY_CODE[code].zh}",
                         "MJ": float(new[m].sum()), "SM": "按整治子类型估算"})
    total_new = float(new.sum())
    share = total_new / farmland_m2 if farmland_m2 > 0 else 0.0
    ok = share >= rules.new_farmland_min_share
    rows.append({"XM": "新增耕地合计", "MJ": total_new, "SM": ""})
    rows.append({"XM": area_label, "MJ": float(farmland_m2), "SM": "水田、水浇地、旱地"})
    if boundary_farmland_m2 is not None:
        rows.append({"XM": "范围线内耕地（参考）", "MJ": float(boundary_farmland_m2),
                     "SM": "范围线内，按图斑在范围内的面积比例"})
    rows.append({"XM": "新增耕地占比", "MJ": np.nan,
                 "SM": f"{100.0 * share:.2f}%（要求不低于 {100.0 * rules.new_farmland_min_share:.0f}%，"
                       f"{'满足' if ok else '不满足'}）"})
    table = _with_units(pd.DataFrame(rows))
    return table[list(NEW_FARMLAND_COLUMNS)]


def project_outcome(frame: pd.DataFrame, share=None, rules: Rules | None = None) -> pd.DataFrame:
    """core.consolidation.outcome of a project's parcels (their tags, DLBM, TBMJ, KCXS,
    GDPDJB…), with SHARE the fraction of each parcel inside the boundary (default 1)
    and BSM/GDDB/JBNT when the frame has them: what core.official_tables reads."""
    rules = rules or Rules()
    frame = frame.reset_index(drop=True)
    tags = task_totals.resolve_tags(frame)
    out = consolidation.task_outcome(frame, task_totals.task_codes(tags), rules)
    out["SHARE"] = 1.0 if share is None else np.clip(np.asarray(share, dtype=float), 0.0, 1.0)
    for column in ("BSM", "GDDB", "JBNT"):
        if column in frame.columns:
            out[column] = frame[column].to_numpy()
    out["PD"] = pd.to_numeric(frame["PD_MEAN"], errors="coerce").to_numpy(float) \
        if "PD_MEAN" in frame.columns else np.nan
    return out
