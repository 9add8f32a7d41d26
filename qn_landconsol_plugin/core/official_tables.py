"""The official tables a declaration carries, computed from an outcome frame
(core.consolidation.outcome, one row per parcel; an optional SHARE column weights a
parcel cut by the project boundary): 整治前后地类结构调整表 with the 地类转换矩阵,
新增耕地来源表, 建设用地增减表 and 永久基本农田调整表. Areas in m²; core.reports.official
lays them out (公顷 and 亩, headings, totals). They reconcile by construction: before +
change = after per class, the matrix's rows and columns sum to before and after, the
sources sum to the new farmland.

A class gets its parcels' own area net of 田坎 (TBDLMJ), 1203 田坎 gets the deductions
(as the 三调 statistics count them); the after side uses the class and 田坎 after the work.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import land_classes as lc
from .consolidation import SOURCES
from .rules import Rules

TERRACE_CODE = "1203"
UNKNOWN_LEVEL, UNKNOWN_NAME = "99", "未知地类"
TOTAL = "合计"


def _share(out: pd.DataFrame) -> np.ndarray:
    return out["SHARE"].to_numpy(float) if "SHARE" in out.columns else np.ones(len(out))


def _gddb(out: pd.DataFrame) -> np.ndarray:
    """耕地等别 1..15 of each parcel; NaN where absent (empty or 0, as non-farmland has)."""
    if "GDDB" not in out.columns:
        return np.full(len(out), np.nan)
    values = pd.to_numeric(out["GDDB"], errors="coerce").to_numpy(float)
    return np.where(values > 0, values, np.nan)


def _second(code) -> str:
    """The second-level row a code counts in: K codes under their base; unknown as is."""
    return lc.base_code(code)


def _level(code) -> str:
    return lc.first_level_of(code, UNKNOWN_LEVEL)


def _pieces(out: pd.DataFrame, after: bool) -> pd.DataFrame:
    """(code, m²) pieces of every parcel: its own class net of 田坎 and its 田坎 as 1203."""
    s = _share(out)
    cls = out["DLBM_H" if after else "DLBM_Q"].to_numpy(dtype=object)
    ter = out["TK_H" if after else "TK_Q"].to_numpy(float) * s
    own = out["MJ"].to_numpy(float) * s - ter
    return pd.DataFrame({"code": np.concatenate([[_second(c) for c in cls],
                                                 np.full(len(out), TERRACE_CODE, object)]),
                         "area": np.concatenate([own, ter])})


def structure_table(out: pd.DataFrame) -> pd.DataFrame:
    """整治前后地类结构调整表: one row per 一级类 (LEVEL) followed by its 二级类 rows
    (ROW = 'first'/'second'), then 合计: code, name, before, after, change (m²) and
    the shares of the total (%)."""
    before = _pieces(out, False).groupby("code")["area"].sum()
    after = _pieces(out, True).groupby("code")["area"].sum()
    codes = sorted(set(before.index) | set(after.index),
                   key=lambda c: (_level(c), list(lc.LAND_CLASSES).index(c)
                                  if c in lc.LAND_CLASSES else 10 ** 6, c))
    total_b, total_a = float(before.sum()), float(after.sum())
    rows = []
    for level in [lvl for lvl, _ in lc.FIRST_LEVEL] + [UNKNOWN_LEVEL]:
        members = [c for c in codes if _level(c) == level]
        if not members:
            continue
        b = float(sum(before.get(c, 0.0) for c in members))
        a = float(sum(after.get(c, 0.0) for c in members))
        rows.append({"ROW": "first", "LEVEL": level, "CODE": level if level != UNKNOWN_LEVEL else "",
                     "NAME": lc.FIRST_LEVEL_NAME.get(level, UNKNOWN_NAME), "BEFORE": b, "AFTER": a})
        for c in members:
            rows.append({"ROW": "second", "LEVEL": level, "CODE": c,
                         "NAME": lc.name_of(c, UNKNOWN_NAME),
                         "BEFORE": float(before.get(c, 0.0)), "AFTER": float(after.get(c, 0.0))})
    rows.append({"ROW": "total", "LEVEL": "", "CODE": "", "NAME": TOTAL, "BEFORE": total_b,
                 "AFTER": total_a})
    table = pd.DataFrame(rows, columns=["ROW", "LEVEL", "CODE", "NAME", "BEFORE", "AFTER"])
    table["CHANGE"] = table["AFTER"] - table["BEFORE"]
    table["SHARE_BEFORE"] = 100.0 * table["BEFORE"] / total_b if total_b > 0 else 0.0
    table["SHARE_AFTER"] = 100.0 * table["AFTER"] / total_a if total_a > 0 else 0.0
    return table


def _flows(out: pd.DataFrame) -> pd.DataFrame:
    """(from level, to level, m²) of every parcel: each piece before flows to the pieces
    after, the same 一级类 first, then the rest to the rest."""
    s = _share(out)
    mj = out["MJ"].to_numpy(float) * s
    tb = out["TK_Q"].to_numpy(float) * s
    ta = out["TK_H"].to_numpy(float) * s
    lb = np.array([_level(c) for c in out["DLBM_Q"]], dtype=object)
    la = np.array([_level(c) for c in out["DLBM_H"]], dtype=object)
    ter = _level(TERRACE_CODE)
    rows = []
    for i in range(len(out)):
        before = {}
        for lvl, a in ((lb[i], mj[i] - tb[i]), (ter, tb[i])):
            before[lvl] = before.get(lvl, 0.0) + a
        after = {}
        for lvl, a in ((la[i], mj[i] - ta[i]), (ter, ta[i])):
            after[lvl] = after.get(lvl, 0.0) + a
        for lvl in list(before):
            if lvl in after:
                same = min(before[lvl], after[lvl])
                if same > 0:
                    rows.append((lvl, lvl, same))
                before[lvl] -= same
                after[lvl] -= same
        left = [(k, v) for k, v in before.items() if v > 1e-9]
        right = [(k, v) for k, v in after.items() if v > 1e-9]
        total = sum(v for _, v in right)
        for k, v in left:      # at most one side has two pieces left: share in proportion
            for k2, v2 in right:
                rows.append((k, k2, v * v2 / total))
    return pd.DataFrame(rows, columns=["FROM", "TO", "AREA"])


def transition_matrix(out: pd.DataFrame) -> pd.DataFrame:
    """地类转换矩阵 by 一级类: rows before, columns after (m²), with a 合计 column and row;
    the 合计 column equals the structure table's before, the 合计 row its after."""
    flows = _flows(out)
    levels = [lvl for lvl, _ in lc.FIRST_LEVEL]
    if len(flows) and (flows[["FROM", "TO"]] == UNKNOWN_LEVEL).any().any():
        levels.append(UNKNOWN_LEVEL)
    names = {**lc.FIRST_LEVEL_NAME, UNKNOWN_LEVEL: UNKNOWN_NAME}
    matrix = flows.pivot_table(index="FROM", columns="TO", values="AREA", aggfunc="sum",
                               fill_value=0.0) if len(flows) else pd.DataFrame()
    matrix = matrix.reindex(index=levels, columns=levels, fill_value=0.0)
    matrix.index = [f"{lvl} {names[lvl]}" if lvl != UNKNOWN_LEVEL else names[lvl] for lvl in levels]
    matrix.columns = list(matrix.index)
    matrix[TOTAL] = matrix.sum(axis=1)
    matrix.loc[TOTAL] = matrix.sum(axis=0)
    matrix.index.name = "整治前＼整治后"
    return matrix.reset_index()


def new_farmland_sources(out: pd.DataFrame) -> pd.DataFrame:
    """新增耕地来源表: per source (consolidation.SOURCES) parcels, new farmland (m²), of it
    paddy, the area-weighted 耕地等别 of the source parcels where recorded; a 合计 row
    (equal to the outcome's new farmland), and 旱改水 (new paddy on existing farmland,
    no new farmland area)."""
    s = _share(out)
    new = out["XZGD"].to_numpy(float) * s
    source = out["LY"].to_numpy(dtype=object)
    paddy = np.where(out["DLBM_H"].to_numpy(dtype=object) == "0101", new, 0.0)
    gddb = _gddb(out)
    rows = []
    for key, zh in SOURCES:
        m = (source == key) & (new > 0)
        rated = m & np.isfinite(gddb)
        rows.append({"SOURCE": key, "NAME": zh, "PARCELS": int(m.sum()), "NEW": float(new[m].sum()),
                     "PADDY": float(paddy[m].sum()),
                     "GDDB": float(np.average(gddb[rated], weights=new[rated]))
                     if rated.any() and new[rated].sum() > 0 else np.nan})
    m = new > 0
    rows.append({"SOURCE": "", "NAME": TOTAL, "PARCELS": int(m.sum()), "NEW": float(new[m].sum()),
                 "PADDY": float(paddy[m].sum()), "GDDB": np.nan})
    upgraded = out["XZSD"].to_numpy(float) * s
    rows.append({"SOURCE": "paddy", "NAME": "旱改水（新增水田，不增加耕地面积）",
                 "PARCELS": int((upgraded > 0).sum()), "NEW": 0.0,
                 "PADDY": float(upgraded[new <= 0].sum()), "GDDB": np.nan})
    return pd.DataFrame(rows)


def construction_change(out: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """建设用地增减表: construction land now, each class reclaimed (减少), each class of new
    construction (新增), after, the net change and rule R2's verdict (m², parcels)."""
    rules = rules or Rules()
    s = _share(out)
    before = out["JS_Q"].to_numpy(float) * s
    after = out["JS_H"].to_numpy(float) * s
    built = out["JS_XZ"].to_numpy(float) * s
    reclaimed = np.where((before > 0) & (after == 0), before, 0.0)
    rows = [{"KIND": "before", "ITEM": "整治前建设用地", "PARCELS": int((before > 0).sum()),
             "AREA": float(before.sum()), "NOTE": ""}]
    codes_b = np.array([_second(c) for c in out["DLBM_Q"]], dtype=object)
    for code in sorted(set(codes_b[reclaimed > 0])):
        m = (reclaimed > 0) & (codes_b == code)
        rows.append({"KIND": "reclaimed", "ITEM": f"减少：{lc.name_of(code, code)}（{code}）复垦",
                     "PARCELS": int(m.sum()), "AREA": -float(reclaimed[m].sum()), "NOTE": ""})
    codes_a = np.array([_second(c) for c in out["DLBM_H"]], dtype=object)
    for code in sorted(set(codes_a[built > 0])):
        m = (built > 0) & (codes_a == code)
        rows.append({"KIND": "built", "ITEM": f"新增：{lc.name_of(code, code)}（{code}）",
                     "PARCELS": int(m.sum()), "AREA": float(built[m].sum()), "NOTE": ""})
    change = float(after.sum() - before.sum())
    ok = change <= rules.construction_increase_max_m2 + 1e-6
    rows.append({"KIND": "after", "ITEM": "整治后建设用地", "PARCELS": int((after > 0).sum()),
                 "AREA": float(after.sum()), "NOTE": ""})
    rows.append({"KIND": "change", "ITEM": "净变化", "PARCELS": 0, "AREA": change,
                 "NOTE": f"建设用地总量不增加：{'通过' if ok else '不通过'}"})
    return pd.DataFrame(rows)


def pbf_adjustment(out: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """永久基本农田调整表: PBF that leaves with its farmland (调出, by parcel: BSM, class,
    m², mean slope, 等别) and new farmland outside PBF that can replace it (补划, by
    parcel), their subtotals, then the checks: out ≤ 5 % of the PBF, in ≥ 105 % of out,
    mean slope and 等别 (area-weighted; 等别 1 is best) of the PBF before and after.
    Empty (one row saying so) when the outcome has no PBF overlap (JBNT)."""
    rules = rules or Rules()
    if "JBNT" not in out.columns or not np.isfinite(out["JBNT"].to_numpy(float)).any():
        return pd.DataFrame([{"KIND": "none", "BSM": "", "ITEM": "未提供永久基本农田", "CODE": "",
                              "AREA": np.nan, "SLOPE": np.nan, "GDDB": np.nan, "NOTE": ""}])
    s = _share(out)
    pbf = np.nan_to_num(out["JBNT"].to_numpy(float)) * s
    lost = out["JSGD"].to_numpy(float) * s
    new = out["XZGD"].to_numpy(float) * s
    slope = pd.to_numeric(out["PD"], errors="coerce").to_numpy(float) if "PD" in out.columns \
        else np.full(len(out), np.nan)
    gddb = _gddb(out)
    bsm = out["BSM"].to_numpy(dtype=object) if "BSM" in out.columns else np.full(len(out), "")
    codes = out["DLBM_Q"].to_numpy(dtype=object)
    moved = np.where(lost > 0, pbf, 0.0)      # PBF leaving with its farmland
    supply = np.clip(new - pbf, 0.0, None)
    rows = []

    def parcel_rows(kind, label, amount):
        for i in np.flatnonzero(amount > 0):
            rows.append({"KIND": kind, "BSM": bsm[i], "ITEM": label,
                         "CODE": f"{lc.name_of(codes[i], codes[i])}（{codes[i]}）",
                         "AREA": float(amount[i]), "SLOPE": slope[i], "GDDB": gddb[i], "NOTE": ""})

    def mean(values, weights):
        ok = np.isfinite(values) & (weights > 0)
        return float(np.average(values[ok], weights=weights[ok])) if ok.any() else np.nan

    parcel_rows("out", "调出", moved)
    rows.append({"KIND": "out_total", "BSM": "", "ITEM": "调出小计", "CODE": "",
                 "AREA": float(moved.sum()), "SLOPE": mean(slope, moved), "GDDB": mean(gddb, moved),
                 "NOTE": ""})
    parcel_rows("in", "补划", supply)
    rows.append({"KIND": "in_total", "BSM": "", "ITEM": "补划小计", "CODE": "",
                 "AREA": float(supply.sum()), "SLOPE": mean(slope, supply),
                 "GDDB": mean(gddb, supply), "NOTE": "新增耕地中永久基本农田外的部分"})
    total = float(pbf.sum())
    out_share = 100.0 * moved.sum() / total if total > 0 else 0.0
    limit = 100.0 * rules.pbf_out_max_share
    rows.append({"KIND": "check", "BSM": "", "ITEM": "调出占永久基本农田比例（%）", "CODE": "",
                 "AREA": out_share, "SLOPE": np.nan, "GDDB": np.nan,
                 "NOTE": f"要求 ≤ {limit:g}%：{'通过' if out_share <= limit + 1e-9 else '不通过'}"})
    ratio = 100.0 * supply.sum() / moved.sum() if moved.sum() > 0 else np.nan
    need = 100.0 * rules.pbf_in_min_ratio
    verdict = "无调出" if moved.sum() <= 0 else ("通过" if ratio >= need - 1e-9 else "不通过")
    rows.append({"KIND": "check", "BSM": "", "ITEM": "补划占调出比例（%）", "CODE": "",
                 "AREA": ratio, "SLOPE": np.nan, "GDDB": np.nan,
                 "NOTE": f"要求 ≥ {need:g}%：{verdict}"})
    kept = pbf - moved
    rows.append({"KIND": "before", "BSM": "", "ITEM": "调整前永久基本农田", "CODE": "",
                 "AREA": total, "SLOPE": mean(slope, pbf), "GDDB": mean(gddb, pbf), "NOTE": ""})
    after_w = np.concatenate([kept, supply])
    rows.append({"KIND": "after", "BSM": "", "ITEM": "调整后永久基本农田", "CODE": "",
                 "AREA": float(after_w.sum()), "SLOPE": mean(np.concatenate([slope, slope]), after_w),
                 "GDDB": mean(np.concatenate([gddb, gddb]), after_w),
                 "NOTE": "平均坡度不升高、等别不降低（等别数值不增大）；新增耕地无等别时不计入平均等别"})
    return pd.DataFrame(rows)
