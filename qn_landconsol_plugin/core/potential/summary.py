"""Summaries of the potential survey: units (village / township / county), potential
and new farmland per unit, candidate 和美乡村, progress against the targets, farmland
contiguity before and after, targets read from text."""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .. import contiguity
from ..contiguity_outputs import farmland_scenarios
from ..land_classes import FARMLAND_CODES
from ..rules import Rules, Targets
from ..units import M2_PER_MU
from ..villages import admin_code, village_names
from .catalogue import (FAMILIES, POTENTIAL_TYPES, SUMMARY_FIELDS, TOTAL_CODE, TOTAL_NAME, Survey,
                        note)
from ..quotas import quota_for
from .verdict import _text

# summary levels: admin-code length of ZLDWDM
LEVELS = {"village": 12, "township": 9, "county": 6}
LEVEL_ZH = {"village": "行政村", "township": "乡镇", "county": "县", "field": "分组", "total": "合计"}


# ---------------------------------------------------------------------------
# summary units
def unit_keys(table: pd.DataFrame, level: str = "village", by_field: str | None = None):
    """(unit code per parcel, {code: name}, level used, warning Finding or None). Level is
    village / township / county (leading 12 / 9 / 6 digits of ZLDWDM); `by_field`
    (a column of `table`) groups by its values instead. Without ZLDWDM and field:
    one total, with a warning."""
    n = len(table)
    if by_field:
        values = _text(table, by_field, n)
        return values, {}, "field", None
    if "ZLDWDM" not in table.columns:
        return (np.full(n, TOTAL_CODE, dtype=object), {TOTAL_CODE: TOTAL_NAME}, "total",
                note("NO_ZLDWDM"))
    length = LEVELS.get(level, LEVELS["village"])
    zl = table["ZLDWDM"].reset_index(drop=True)
    keys = np.array([admin_code(v, length) for v in zl], dtype=object)
    names = {}
    if length == LEVELS["village"] and "ZLDWMC" in table.columns:
        names = village_names(zl, table["ZLDWMC"].reset_index(drop=True))
    return keys, names, level, None


def _group_sum(keys, values, order):
    s = pd.Series(np.asarray(values, float)).groupby(np.asarray(keys, dtype=object)).sum()
    return s.reindex(order, fill_value=0.0).to_numpy(float)


def summarize(result: Survey, keys, names: dict | None = None, level: str = "village",
              rules: Rules | None = None, targets: Targets | None = None,
              village_keys=None) -> pd.DataFrame:
    """One row per unit and a 合计 row (SUMMARY_FIELDS): potential 亩 by family and
    type, new/removed/net farmland, original farmland, PBF, construction land before
    and after, progress against each unit's quota (%) and candidate 和美乡村 (counted
    from `village_keys`, the village of each parcel; 0 without).

    Family 亩 count a parcel once per family and only where it counts for the family's
    target (Rules.target_precedence: a >25° parcel counts for 坡耕地退出 or 水土流失治理,
    not both). Progress: `targets` when the user gave their own, else each unit's
    quota (core.quotas: county, or township when split); the 合计 row's quota is in
    .attrs['quota']."""
    rules = rules or Rules()
    names = names or {}
    keys = np.asarray(keys, dtype=object)
    order = sorted(set(keys.tolist()))
    items = result.items
    ikeys = keys[items["parcel"].to_numpy(int)] if len(items) else np.zeros(0, dtype=object)
    rows = pd.DataFrame({"DW_DM": order})
    rows["DW_MC"] = [names.get(k, "") for k in order]
    rows["DW_JB"] = LEVEL_ZH.get(level, level)
    potential = pd.Series(result.parcels["QL_LX"].notna().to_numpy())
    rows["QL_TBS"] = _group_sum(keys, potential.astype(float), order).astype(int)
    rows["YGD_MU"] = _group_sum(keys, result.farmland_m2, order) / M2_PER_MU
    pbf = result.overlaps.get("JBNT")
    rows["JBNT_MU"] = _group_sum(keys, pbf, order) / M2_PER_MU if pbf is not None else np.nan
    if result.outcome is not None:
        before = result.outcome["JS_Q"].to_numpy(float)
        after = result.outcome["JS_H"].to_numpy(float)
    else:
        before = np.where(result.construction, result.area_m2, 0.0)
        after = np.where(result.leaves_construction, 0.0, before)
    rows["JSQ_MU"] = _group_sum(keys, before, order) / M2_PER_MU
    rows["JSH_MU"] = _group_sum(keys, after, order) / M2_PER_MU
    counted = items[items["counted"].to_numpy(bool)] if "counted" in items.columns else items
    for f in FAMILIES:
        # each parcel once per family, even with two types of the family, and only
        # where it counts for the family's target
        sel = counted[counted["family"] == f.code].drop_duplicates("parcel") if len(counted) \
            else counted
        rows[f.column] = _group_sum(keys[sel["parcel"].to_numpy(int)], sel["area_m2"],
                                    order) / M2_PER_MU if len(sel) else 0.0
    for t in POTENTIAL_TYPES:
        sel = items["type"].to_numpy() == t.zh if len(items) else np.zeros(0, bool)
        rows[t.column] = _group_sum(ikeys[sel], items["area_m2"].to_numpy()[sel],
                                    order) / M2_PER_MU if sel.any() else 0.0
    if result.outcome is not None:    # per parcel, what the survey's outcome gains and loses
        rows["XZGD_MU"] = _group_sum(keys, result.outcome["XZGD"], order) / M2_PER_MU
        rows["JSGD_MU"] = _group_sum(keys, result.outcome["JSGD"], order) / M2_PER_MU
    else:
        new = items["new_m2"].to_numpy(float) if len(items) else np.zeros(0)
        rows["XZGD_MU"] = _group_sum(ikeys, np.clip(new, 0, None), order) / M2_PER_MU \
            if len(new) else 0.0
        rows["JSGD_MU"] = _group_sum(ikeys, np.clip(-new, 0, None), order) / M2_PER_MU \
            if len(new) else 0.0
    total = pd.DataFrame([{"DW_DM": TOTAL_CODE, "DW_MC": TOTAL_NAME, "DW_JB": LEVEL_ZH["total"],
                           **{c: rows[c].sum() for c in rows.columns
                              if c not in ("DW_DM", "DW_MC", "DW_JB")}}])
    if pbf is None:
        total["JBNT_MU"] = np.nan
    out = pd.concat([rows, total], ignore_index=True) if len(rows) else total
    if len(rows) == 1 and order == [TOTAL_CODE]:
        out = total
    out["JZGD_MU"] = out["XZGD_MU"] - out["JSGD_MU"]
    admin = np.asarray(village_keys, dtype=object) if village_keys is not None else keys
    unit_codes = pd.Series(admin).groupby(keys).agg(lambda s: tuple(set(s)))
    quotas = {k: quota_for(unit_codes.get(k, (k,)) if level not in ("village", "township",
                                                                     "county") else (k,),
                           rules, targets) for k in order}
    quotas[TOTAL_CODE] = quota_for(admin, rules, targets)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["JZGD_ZB"] = np.where(out["YGD_MU"] > 0, 100.0 * out["JZGD_MU"] / out["YGD_MU"], 0.0)
        for f in FAMILIES:
            goal = out["DW_DM"].map(lambda k: float(getattr(quotas[k].targets, f.target)))
            out[f.progress] = np.where(goal > 0, 100.0 * out[f.column] / goal.where(goal > 0, 1.0),
                                       0.0)
    out["HMXC"] = 0
    if village_keys is not None:
        villages = harmony_villages(result, village_keys, rules)
        vk = np.asarray(village_keys, dtype=object)
        unit_of = pd.Series(keys).groupby(vk).agg(lambda s: s.mode().iloc[0])
        counts = pd.Series([unit_of[v] for v in villages], dtype=object).value_counts()
        out["HMXC"] = out["DW_DM"].map(lambda k: int(counts.get(k, 0))).astype(int)
        out.loc[out["DW_DM"] == TOTAL_CODE, "HMXC"] = len(villages)
    out = out[[f.name for f in SUMMARY_FIELDS]]
    out.attrs["quota"] = quotas[TOTAL_CODE]
    out.attrs["unit_quotas"] = {k: q.label for k, q in quotas.items()}
    return out


def harmony_villages(result: Survey, village_keys, rules: Rules | None = None) -> list:
    """Candidate 和美乡村: villages with potential in at least
    Rules.harmony_village_min_families task families, sorted by code."""
    rules = rules or Rules()
    vk = np.asarray(village_keys, dtype=object)
    items = result.items
    if not len(items):
        return []
    frame = pd.DataFrame({"v": vk[items["parcel"].to_numpy(int)], "f": items["family"].to_numpy()})
    frame = frame[frame["v"] != ""]
    count = frame.drop_duplicates().groupby("v")["f"].size()
    return sorted(count[count >= rules.harmony_village_min_families].index.tolist())


def target_progress(summary: pd.DataFrame, targets: Targets) -> pd.DataFrame:
    """Family potential (合计 row, counted once per target) against the area's quota
    (summary.attrs['quota'], else `targets`), and candidate villages against the 和美乡村
    target; .attrs['quota_label'] says which quota."""
    quota = summary.attrs.get("quota")
    targets = quota.targets if quota is not None else targets
    total = summary[summary["DW_DM"] == TOTAL_CODE].iloc[-1]
    rows = []
    for f in FAMILIES:
        goal = float(getattr(targets, f.target))
        rows.append({"指标": f"{f.zh}（亩）", "目标": goal, "潜力": float(total[f.column]),
                     "完成度（%）": 100.0 * float(total[f.column]) / goal if goal > 0 else 0.0})
    goal = float(targets.villages)
    done = float(total["HMXC"])
    rows.append({"指标": "和美乡村（个）", "目标": goal, "潜力": done,
                 "完成度（%）": 100.0 * done / goal if goal > 0 else 0.0})
    frame = pd.DataFrame(rows)
    frame.attrs["quota_label"] = quota.label if quota is not None else "用户输入的目标"
    return frame


# ---------------------------------------------------------------------------
# farmland contiguity before / after (the contiguity module's own functions)
def contiguity_change(geoms, table: pd.DataFrame, result: Survey, rules: Rules | None = None,
                      village_keys=None, village_names=None, is_canceled=None) -> pd.DataFrame:
    """contiguity.summary of the current farmland and the farmland after the potential
    is realised (the survey's outcome, core.consolidation: net of 田坎 on both sides, as
    the farmland-contiguity algorithm reads the survey's output), with the contiguity
    algorithm's defaults: bridges 农村道路/沟渠 no wider than Rules.bridge_width_m.
    Raises contiguity.Canceled when is_canceled() says so."""
    rules = rules or Rules()
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    codes = table["DLBM"].to_numpy(dtype=object) if "DLBM" in table else np.full(n, "", object)
    now = contiguity.is_farmland_code(codes, FARMLAND_CODES)
    areas = contiguity.farmland_area_m2(table.reset_index(drop=True), shapely.area(geoms))
    if result.outcome is not None:
        gd_q = result.outcome["GD_Q"].to_numpy(float)
        # the change as the survey's output writes it (XZGD_MJ, 2 decimals)
        gd_h = gd_q + np.nan_to_num(result.parcels["XZGD_MJ"].to_numpy(float))
    else:
        gd_q = gd_h = areas
    scenarios = farmland_scenarios(now, areas, gd_q, gd_h)
    after, areas_after = scenarios.after, scenarios.after_m2
    bridge = contiguity.is_farmland_code(codes, contiguity.DEFAULT_BRIDGE_CODES)
    widths = np.full(n, np.inf)
    if bridge.any():
        xz = table["XZDWKD"].to_numpy(dtype=object)[bridge] if "XZDWKD" in table else None
        widths[bridge] = contiguity.linear_width(geoms[bridge], xz)
    villages = np.full(n, "", dtype=object) if village_keys is None else \
        np.asarray(village_keys, dtype=object)
    parts, parent, part_now, part_after = contiguity.explode(geoms, areas, areas_after)
    part_areas = {contiguity.CURRENT: part_now, contiguity.AFTER: part_after}
    results = {}
    for scenario, mask in ((contiguity.CURRENT, now), (contiguity.AFTER, after)):
        blocks = contiguity.scenario_blocks(parts, parent, part_areas[scenario], mask, villages,
                                            bridge & ~mask, widths, rules.bridge_width_m, n,
                                            is_canceled)
        results[scenario] = blocks.part_labels
    frame = contiguity.summary(results, part_areas, villages[parent], village_names or {},
                               rules.large_block_mu)
    if village_keys is None:
        frame = contiguity_totals(frame)
    return frame


def contiguity_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The whole-area rows (现状, 整治后, 变化) of a contiguity summary."""
    return frame[(frame["CJ_DM"] == "") & (frame["CJ_MC"] == contiguity.TOTAL_LABEL)]


# ---------------------------------------------------------------------------
# targets from text
def parse_targets(text, default: Targets | None = None) -> Targets:
    """'73500,2300,3500,12' -> Targets (农用地整理 亩, 建设用地整理 亩, 生态修复 亩,
    和美乡村 个); empty parts keep the default. ValueError on a bad number."""
    base = default or Targets()
    if text is None or not str(text).strip():
        return Targets(base.farmland_mu, base.construction_mu, base.ecological_mu, base.villages)
    parts = [p.strip() for p in str(text).replace("，", ",").replace(";", ",").split(",")]
    if len(parts) > 4:
        raise ValueError(f"at most 4 targets expected, got {len(parts)}: {text!r}")
    values = [base.farmland_mu, base.construction_mu, base.ecological_mu, base.villages]
    for i, p in enumerate(parts):
        if p:
            v = float(p)
            if v < 0:
                raise ValueError(f"a target cannot be negative: {p}")
            values[i] = v
    return Targets(float(values[0]), float(values[1]), float(values[2]), int(round(values[3])))
