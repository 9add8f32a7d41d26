"""Rule checks of the potential survey (REFERENCE §3) per unit and in total: value,
requirement, verdict, and the explanation as a Finding."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..messages import INFO, Finding, Wording, finding, translatable
from ..rules import Rules
from ..units import M2_PER_MU
from .catalogue import (CHECK_FIELDS, FAIL, NOT_CHECKED, PASS, POTENTIAL_TYPES, TOTAL_CODE,
                        TOTAL_NAME, Survey)


# ---------------------------------------------------------------------------
# rule checks (REFERENCE §3)
RULES_CHECKED = (
    ("R1", "新增耕地不少于原有耕地的 5%"),
    ("R2", "建设用地总量不增加"),
    ("R3", "不在 25° 以上坡地新增耕地"),
    ("R4", "不在生态保护红线内新增耕地"),
    ("R5", "永久基本农田调出不超过 5%"),
    ("R6", "永久基本农田补划不少于调出的 105%"),
)
RULE_EN = {
    "R1": translatable("New farmland at least 5 % of the original farmland"),
    "R2": translatable("Construction land does not increase"),
    "R3": translatable("No new farmland on slopes above 25°"),
    "R4": translatable("No new farmland inside the ecological red line"),
    "R5": translatable("Permanent basic farmland moved out at most 5 %"),
    "R6": translatable("Permanent basic farmland replaced at least 105 %"),
}
VERDICT_EN = {PASS: translatable("passed"), FAIL: translatable("failed"),
              NOT_CHECKED: translatable("not checked")}

# the explanation (SM) of each check: code -> wording of its values (亩 unless said)
CHECK_TEXT = {
    "R1": Wording(translatable("net new farmland {net:,.2f} mu (added {added:,.2f} mu, removed "
                               "{removed:,.2f} mu), original farmland {original:,.2f} mu"),
                  "净增耕地 {net:,.2f} 亩（新增 {added:,.2f} 亩，减少 {removed:,.2f} 亩），"
                  "原有耕地 {original:,.2f} 亩"),
    "R2": Wording(translatable("before {before:,.2f} mu, reclaimed {reclaimed:,.2f} mu, new "
                               "construction {new:,.2f} mu, after {after:,.2f} mu (change "
                               "{change:+,.2f} mu)"),
                  "整治前 {before:,.2f} 亩，复垦减少 {reclaimed:,.2f} 亩，新增建设 {new:,.2f} 亩，"
                  "整治后 {after:,.2f} 亩（变化 {change:+,.2f} 亩）"),
    "R3": Wording(translatable("{parcels} new-farmland parcel(s) steeper than {limit:g}°, new "
                               "farmland {area:,.2f} mu"),
                  "{parcels} 个新增耕地图斑坡度 > {limit:g}°，新增耕地 {area:,.2f} 亩"),
    "R3_UNKNOWN": Wording(translatable("{parcels} new-farmland parcel(s) steeper than {limit:g}°, "
                                       "new farmland {area:,.2f} mu; slope unknown for "
                                       "{unknown} parcel(s)"),
                          "{parcels} 个新增耕地图斑坡度 > {limit:g}°，新增耕地 {area:,.2f} 亩；"
                          "{unknown} 个图斑坡度未知"),
    "R4": Wording(translatable("{parcels} new-farmland parcel(s) inside the red line (overlap "
                               "{overlap:,.2f} mu)"),
                  "{parcels} 个新增耕地图斑位于红线内（重叠 {overlap:,.2f} 亩）"),
    "NO_RED_LINE": Wording(translatable("no ecological red line given"), "未提供生态保护红线"),
    "NO_PBF": Wording(translatable("no permanent basic farmland given"), "未提供永久基本农田"),
    "R5": Wording(translatable("permanent basic farmland among the farmland leaving "
                               "{moved_out:,.2f} mu, permanent basic farmland {pbf:,.2f} mu"),
                  "退出耕地中的永久基本农田 {moved_out:,.2f} 亩，永久基本农田 {pbf:,.2f} 亩"),
    "R6": Wording(translatable("new farmland outside permanent basic farmland available "
                               "{supply:,.2f} mu, needed {need:,.2f} mu"),
                  "可补划新增耕地（永久基本农田外）{supply:,.2f} 亩，需补划 {need:,.2f} 亩"),
    "R6_NONE": Wording(translatable("no permanent basic farmland moved out"), "无永久基本农田调出"),
}
# the columns of rule_checks: CHECK_FIELDS without the wording SM, with its Finding
CHECK_COLUMNS = tuple(f.name for f in CHECK_FIELDS if f.name != "SM") + ("DETAIL",)


def check_detail(code: str, **values) -> Finding:
    return finding(CHECK_TEXT, INFO, code, **values)


def check_log_line(row, translate) -> str:
    """One check (a rule_checks row) as a line of the log, in the user's language."""
    return "  {0} {1}: {2} — {3}".format(row.GZ_DM, translate(RULE_EN[row.GZ_DM]),
                                         translate(VERDICT_EN[row.JG]), row.DETAIL.text(translate))


def check_table(checks: pd.DataFrame) -> pd.DataFrame:
    """rule_checks with its explanation SM in Chinese: the CHECK_FIELDS table the
    output layer, the workbook and the report show (DETAIL kept for the log)."""
    out = checks.copy()
    out["SM"] = [d.zh() for d in checks["DETAIL"]]
    return out[[f.name for f in CHECK_FIELDS] + ["DETAIL"]]


def _construction(result: Survey, sel) -> tuple:
    """(construction land now, reclaimed, new construction) in m² over the parcels `sel`:
    every new construction tagged in the layer counts (rule R2 can fail)."""
    if result.outcome is not None:
        out = result.outcome
        before = out["JS_Q"].to_numpy(float)
        after = out["JS_H"].to_numpy(float)
        built = out["JS_XZ"].to_numpy(float)
        reclaimed = np.where((before > 0) & (after == 0), before, 0.0)
        return before[sel].sum(), reclaimed[sel].sum(), built[sel].sum()
    before = np.where(result.construction & sel, result.area_m2, 0.0).sum()
    return before, np.where(result.leaves_construction & sel, result.area_m2, 0.0).sum(), 0.0


def rule_checks(result: Survey, keys, names: dict | None = None,
                rules: Rules | None = None) -> pd.DataFrame:
    """CHECK_COLUMNS rows for each group of `keys` (e.g. township codes) and the whole
    area (合计): value, requirement, 通过 / 不通过 / 未检查 and the explanation as a
    Finding (DETAIL; check_table words it in Chinese)."""
    rules = rules or Rules()
    names = names or {}
    keys = np.asarray(keys, dtype=object)
    groups = [(k, names.get(k, ""), keys == k) for k in sorted(set(keys.tolist()))]
    if not (len(groups) == 1 and groups[0][0] == TOTAL_CODE):
        groups.append((TOTAL_CODE, TOTAL_NAME, np.ones(len(keys), bool)))
    new = result.parcels["XZGD_MJ"].to_numpy(float)
    new = np.where(np.isnan(new), 0.0, new)
    adds = new > 0
    pgd = result.slope_flags["PGD"].to_numpy() == 1
    with np.errstate(invalid="ignore"):
        steep = (result.slope_deg > rules.new_farmland_max_slope_deg) | pgd
    slope_known = ~np.isnan(result.slope_deg) | (result.slope_flags["PGD_LY"].notna().to_numpy())
    red = result.overlaps.get("HX")
    pbf = result.overlaps.get("JBNT")
    if result.outcome is not None:      # farmland the work removes (also for a building)
        leaving = result.outcome["JSGD"].to_numpy(float) > 0
    else:
        leaving = np.zeros(len(keys), bool)
        for t in POTENTIAL_TYPES:
            if t.method == "swap_out" and t.key in result.masks:
                leaving |= result.masks[t.key]
    rows = []
    mu = M2_PER_MU
    for code, name, sel in groups:
        def row(rid, value, need, verdict, detail):
            rows.append({"DW_DM": code, "DW_MC": name, "GZ_DM": rid,
                         "GZ_MC": dict(RULES_CHECKED)[rid], "SZ": value, "YQ": need,
                         "JG": verdict, "DETAIL": detail})

        original = result.farmland_m2[sel].sum()
        net = new[sel].sum()
        share = 100.0 * net / original if original > 0 else 0.0
        limit = 100.0 * rules.new_farmland_min_share
        row("R1", share, f"≥ {limit:g}%", PASS if original > 0 and share >= limit - 1e-9 else FAIL,
            check_detail("R1", net=net / mu, added=new[sel & adds].sum() / mu,
                         removed=-new[sel & (new < 0)].sum() / mu, original=original / mu))
        before, reclaimed, built = _construction(result, sel)
        after = before - reclaimed + built
        change = after - before
        row("R2", change / mu, f"≤ {rules.construction_increase_max_m2 / mu:g} 亩",
            PASS if change <= rules.construction_increase_max_m2 + 1e-6 else FAIL,
            check_detail("R2", before=before / mu, reclaimed=reclaimed / mu, new=built / mu,
                         after=after / mu, change=change / mu))
        bad = sel & adds & steep
        unknown = int((sel & adds & ~slope_known).sum())
        values = dict(parcels=int(bad.sum()), limit=rules.new_farmland_max_slope_deg,
                      area=new[bad].sum() / mu)
        detail = check_detail("R3_UNKNOWN", unknown=unknown, **values) if unknown else \
            check_detail("R3", **values)
        row("R3", new[bad].sum() / mu, "0 亩", PASS if not bad.any() else FAIL, detail)
        if red is None:
            row("R4", np.nan, "0 亩", NOT_CHECKED, check_detail("NO_RED_LINE"))
        else:
            bad = sel & adds & (red >= rules.overlap_min_area_m2)
            row("R4", new[bad].sum() / mu, "0 亩", PASS if not bad.any() else FAIL,
                check_detail("R4", parcels=int(bad.sum()), overlap=red[bad].sum() / mu))
        if pbf is None:
            row("R5", np.nan, f"≤ {100 * rules.pbf_out_max_share:g}%", NOT_CHECKED,
                check_detail("NO_PBF"))
            row("R6", np.nan, f"≥ {100 * rules.pbf_in_min_ratio:g}%", NOT_CHECKED,
                check_detail("NO_PBF"))
            continue
        pbf_total = pbf[sel].sum()
        moved_out = pbf[sel & leaving].sum()
        out_share = 100.0 * moved_out / pbf_total if pbf_total > 0 else 0.0
        row("R5", out_share, f"≤ {100 * rules.pbf_out_max_share:g}%",
            PASS if out_share <= 100 * rules.pbf_out_max_share + 1e-9 else FAIL,
            check_detail("R5", moved_out=moved_out / mu, pbf=pbf_total / mu))
        supply = np.clip(new[sel & adds] - pbf[sel & adds], 0, None).sum()
        ratio = 100.0 * supply / moved_out if moved_out > 0 else np.nan
        need = rules.pbf_in_min_ratio * moved_out
        row("R6", ratio, f"≥ {100 * rules.pbf_in_min_ratio:g}%",
            PASS if supply >= need - 1e-6 else FAIL,
            check_detail("R6", supply=supply / mu, need=need / mu) if moved_out > 0
            else check_detail("R6_NONE"))
    return pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
