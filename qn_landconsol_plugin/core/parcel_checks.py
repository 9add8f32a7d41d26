"""Checks of parcel attributes as data: what a NULL in each 三调 field the rules read
means (NULL_RULES: one table, applied by `apply_null_rules`), and the implausible values
(unknown DLBM codes, duplicate BSM, TBMJ far from the geometry's ellipsoidal area,
KCMJ ≠ round(TBMJ × KCXS, 2), TBDLMJ ≠ TBMJ − KCMJ). Every check gives a per-parcel flag
and a summary Finding (core.messages) with the count, the area and a few examples.

`check_parcels` runs them all and returns ParcelChecks (flags per parcel, counts,
findings): the parcel quality check (checkparcels) reports them; the algorithms run
the NULL rules and the cheap checks on what they read (qgis_io.parcels.read_parcels)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import land_classes as lc
from .messages import INFO, WARNING, Finding, Wording, finding, translatable
from .units import M2_PER_MU

ALL, FARMLAND = "all", "farmland"          # the parcels a NULL matters on
MAX_EXAMPLES = 5

# --------------------------------------------------------------------------- NULLs
# treatments (the `treatment` of a NullRule)
UNKNOWN_CLASS = "unknown_class"        # kept, left out of every land-class rule
ELLIPSOIDAL_AREA = "ellipsoidal_area"  # the geometry's ellipsoidal area
DEDUCTION_FROM = "deduction_from"      # KCMJ = TBMJ − TBDLMJ, else round(TBMJ × KCXS, 2), else 0
NET_AREA_FROM = "net_area_from"        # TBDLMJ = TBMJ − KCMJ
COEFFICIENT_FROM = "coefficient_from"  # KCXS = KCMJ / TBMJ, else the province table
GRADE_FROM_DEM = "grade_from_dem"      # the DEM's slope grade, else not judged by grade
UNKNOWN_VILLAGE = "unknown_village"    # counted under an empty village
NO_KEY = "no_key"                      # joined to no household row


@dataclass(frozen=True)
class NullRule:
    field: str
    scope: str           # ALL or FARMLAND: the parcels on which a NULL matters
    treatment: str
    wording: Wording     # {layer} {count} {area_mu} {examples}


NULL_RULES = (
    NullRule("DLBM", ALL, UNKNOWN_CLASS, Wording(translatable(
        "{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no land-use code DLBM (NULL): "
        "unknown class, left out of every land-class rule (farmland, construction land…) "
        "and counted here. E.g. {examples}."),
        "{layer}：{count} 个图斑（{area_mu:.2f} 亩）地类编码 DLBM 为空，按“未知地类”处理，"
        "不参与任何地类规则（耕地、建设用地等），在此计数。例如 {examples}。")),
    NullRule("TBMJ", ALL, ELLIPSOIDAL_AREA, Wording(translatable(
        "{layer}: {count} parcel(s) have no area TBMJ (NULL): their ellipsoidal area "
        "({area_mu:.2f} 亩 in all) is used. E.g. {examples}."),
        "{layer}：{count} 个图斑图斑面积 TBMJ 为空，采用其椭球面积（合计 {area_mu:.2f} 亩）。"
        "例如 {examples}。")),
    NullRule("KCMJ", ALL, DEDUCTION_FROM, Wording(translatable(
        "{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no deduction area KCMJ (NULL): "
        "TBMJ − TBDLMJ is used where TBDLMJ is given, else round(TBMJ × KCXS, 2), else 0. "
        "E.g. {examples}."),
        "{layer}：{count} 个图斑（{area_mu:.2f} 亩）扣除地类面积 KCMJ 为空：有 TBDLMJ 时取 "
        "TBMJ − TBDLMJ，否则取 round(TBMJ × KCXS, 2)，再否则为 0。例如 {examples}。")),
    NullRule("TBDLMJ", ALL, NET_AREA_FROM, Wording(translatable(
        "{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no net area TBDLMJ (NULL): "
        "TBMJ − KCMJ is used (farmland stays counted, net of 田坎). E.g. {examples}."),
        "{layer}：{count} 个图斑（{area_mu:.2f} 亩）图斑地类面积 TBDLMJ 为空，采用 TBMJ − KCMJ"
        "（耕地照常按扣除田坎后的面积计入）。例如 {examples}。")),
    NullRule("KCXS", FARMLAND, COEFFICIENT_FROM, Wording(translatable(
        "{layer}: {count} farmland parcel(s) ({area_mu:.2f} 亩) have no 田坎 coefficient KCXS "
        "(NULL): KCMJ ÷ TBMJ is used where KCMJ is given, else the province's coefficient "
        "of the parcel's slope grade where a rule needs one. E.g. {examples}."),
        "{layer}：{count} 个耕地图斑（{area_mu:.2f} 亩）扣除地类系数 KCXS 为空：有 KCMJ 时取 "
        "KCMJ ÷ TBMJ，否则在需要时取省定该坡度级别的田坎系数。例如 {examples}。")),
    NullRule("GDPDJB", FARMLAND, GRADE_FROM_DEM, Wording(translatable(
        "{layer}: {count} farmland parcel(s) ({area_mu:.2f} 亩) have no slope grade GDPDJB "
        "(NULL): the DEM's slope grade is used where a DEM is given, else they are not "
        "judged by grade. E.g. {examples}."),
        "{layer}：{count} 个耕地图斑（{area_mu:.2f} 亩）耕地坡度级别 GDPDJB 为空：提供 DEM 时"
        "采用 DEM 计算的坡度级别，否则不参与按坡度级别的判断。例如 {examples}。")),
    NullRule("ZLDWDM", ALL, UNKNOWN_VILLAGE, Wording(translatable(
        "{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no location code ZLDWDM (NULL): "
        "counted under an unknown village. E.g. {examples}."),
        "{layer}：{count} 个图斑（{area_mu:.2f} 亩）坐落单位代码 ZLDWDM 为空，计入“未知村”。"
        "例如 {examples}。")),
    NullRule("BSM", ALL, NO_KEY, Wording(translatable(
        "{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have no identifier BSM (NULL): they "
        "join no household row and are listed by feature id."),
        "{layer}：{count} 个图斑（{area_mu:.2f} 亩）标识码 BSM 为空，不与入户调查表关联，"
        "以要素编号列出。")),
)
NULL_RULE = {r.field: r for r in NULL_RULES}
NUMERIC_FIELDS = ("TBMJ", "KCMJ", "TBDLMJ", "KCXS")
BLANK_CODES = ("DLBM", "GDPDJB", "ZLDWDM")   # codes where a value of spaces is as good as NULL

# --------------------------------------------------------------------------- values
CHECK_WORDING = {
    "UNKNOWN_DLBM": (translatable(
        "{layer}: {count} parcel(s) ({area_mu:.2f} 亩) have land-use codes DLBM that are no "
        "三调 code ({codes}): unknown class, left out of every land-class rule."),
        "{layer}：{count} 个图斑（{area_mu:.2f} 亩）的地类编码 DLBM 不是三调地类（{codes}），"
        "按“未知地类”处理，不参与任何地类规则。"),
    "DUPLICATE_KEY": (translatable(
        "{layer}: field {field} is not unique: {values} value(s) occur on {count} parcels "
        "(e.g. {examples}); a household row with such a key joins every one of them."),
        "{layer}：字段 {field} 不唯一，{values} 个值出现在 {count} 个图斑上（例如 {examples}），"
        "入户调查表中该值的记录会同时关联到这些图斑。"),
    "TBMJ_MISMATCH": (translatable(
        "{layer}: {count} parcel(s) have an area TBMJ more than {tolerance:g} % away from "
        "their geometry's ellipsoidal area (e.g. {examples}): the recorded TBMJ is used; "
        "check those parcels."),
        "{layer}：{count} 个图斑的图斑面积 TBMJ 与其几何椭球面积相差超过 {tolerance:g}%"
        "（例如 {examples}），仍采用记录的 TBMJ，请核查。"),
    "KCMJ_MISMATCH": (translatable(
        "{layer}: {count} parcel(s) have KCMJ ≠ round(TBMJ × KCXS, 2) (e.g. {examples})."),
        "{layer}：{count} 个图斑扣除地类面积 KCMJ ≠ round(TBMJ × KCXS, 2)（例如 {examples}）。"),
    "TBDLMJ_MISMATCH": (translatable(
        "{layer}: {count} parcel(s) have TBDLMJ ≠ TBMJ − KCMJ (e.g. {examples})."),
        "{layer}：{count} 个图斑图斑地类面积 TBDLMJ ≠ TBMJ − KCMJ（例如 {examples}）。"),
}
NULL_CODE = "NULL_{}"     # the flag of a NULL in field F is NULL_F


@dataclass
class ParcelChecks:
    """What the checks found: a boolean column per check code (NULL_DLBM, UNKNOWN_DLBM,
    DUPLICATE_BSM, TBMJ_MISMATCH…) with one row per parcel, the number of parcels
    flagged per code, and one Finding per code that flagged any."""
    flags: pd.DataFrame
    findings: list = field(default_factory=list)

    @property
    def counts(self) -> dict:
        return {c: int(self.flags[c].sum()) for c in self.flags.columns}

    def flagged(self, code: str) -> np.ndarray:
        """Positions of the parcels flagged with `code`."""
        if code not in self.flags:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.flags[code].to_numpy(bool))

    def any_flag(self) -> np.ndarray:
        return self.flags.to_numpy(bool).any(axis=1) if len(self.flags.columns) else \
            np.zeros(len(self.flags), dtype=bool)


def is_missing(values, blanks: bool = True) -> np.ndarray:
    """NULL, NaN or '' (and, with `blanks`, text of spaces only): the value is not there.
    Vectorised: blanks are looked for among the distinct values only."""
    s = values if isinstance(values, pd.Series) else pd.Series(
        np.asarray(values, dtype=object), dtype=object)
    missing = (s.isna() | s.eq("")).to_numpy(bool)
    if blanks and s.dtype == object:
        codes, uniques = pd.factorize(s)
        blank = np.array([isinstance(u, str) and not u.strip() for u in uniques] + [False])
        missing |= blank[codes]
    return missing


def numbers(values) -> np.ndarray:
    """Floats of a column (NaN for NULL and for text that is no number)."""
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)


def farmland_mask(table: pd.DataFrame) -> np.ndarray:
    if "DLBM" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return np.isin(lc.base_codes(table["DLBM"]), lc.FARMLAND_CODES)


def examples(ids, mask, limit: int = MAX_EXAMPLES) -> str:
    """The first `limit` identifiers of the flagged parcels, 'a, b, … (n)'."""
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(ids[i]) for i in idx[:limit])
    return shown + (f" … ({len(idx)})" if len(idx) > limit else "")


def parcel_ids(table: pd.DataFrame, fids=None) -> np.ndarray:
    """A name per parcel for messages: BSM where it has one, else 'fid N' (or '#N')."""
    n = len(table)
    base = np.array([f"fid {int(f)}" for f in fids] if fids is not None and len(fids) == n
                    else [f"#{i + 1}" for i in range(n)], dtype=object)
    if "BSM" in table.columns:
        bsm = table["BSM"].to_numpy(dtype=object)
        has = ~is_missing(bsm)
        base[has] = [f"BSM {v}" for v in bsm[has]]
    return base


@dataclass
class NullOutcome:
    table: pd.DataFrame     # the table with TBMJ, KCMJ, TBDLMJ, KCXS filled as NULL_RULES say
    flags: pd.DataFrame     # NULL_<field> per parcel (only the fields present)
    findings: list          # one WARNING per field with NULLs that matter


def apply_null_rules(table: pd.DataFrame, area_m2=None, layer: str = "", ids=None,
                     fields=None, more=None) -> NullOutcome:
    """NULL_RULES on the columns of `table` that are rule fields (or those of `fields`):
    flags and a finding per field, and the numeric ones filled (TBMJ by `area_m2`: an
    array, or a function of the mask of parcels without TBMJ giving their areas, called
    only when there are some; KCMJ, TBDLMJ, KCXS from the others). Text fields are not
    filled: a NULL DLBM stays None (unknown class), a NULL GDPDJB stays None.
    `more(mask, names)`: the values of the areas `names` (TBMJ, KCMJ…) that `table` lacks,
    for the parcels of `mask` (those with a NULL), to fill and measure them; they are
    used, not added to the table."""
    n = len(table)
    names = [r.field for r in NULL_RULES if r.field in table.columns and
             (fields is None or r.field in fields)]
    missing = {f: is_missing(table[f], f in BLANK_CODES) for f in names}
    farm = None
    flags = {}
    for rule in NULL_RULES:
        if rule.field not in missing:
            continue
        m = missing[rule.field]
        if rule.scope == FARMLAND and m.any():
            farm = farmland_mask(table) if farm is None else farm
            m = m & farm
        flags[NULL_CODE.format(rule.field)] = m
    if not any(m.any() for m in flags.values()):
        return NullOutcome(table, pd.DataFrame(flags, index=range(n)), [])
    columns = list(table.columns)
    out = table.copy()
    absent = [f for f in NUMERIC_FIELDS if f not in table.columns]
    if more is not None and absent:
        rows = np.logical_or.reduce(list(flags.values()))
        fetched = more(rows, absent)
        for name, vals in fetched.items():
            full = np.full(n, None, dtype=object)
            full[rows] = list(vals)
            out[name] = pd.Series(full, index=table.index, dtype=object)
    table = out
    if "TBMJ" in missing and missing["TBMJ"].any():
        tbmj = numbers(table["TBMJ"])
        gone = missing["TBMJ"] | ~np.isfinite(tbmj)
        fill = area_m2(gone) if callable(area_m2) else (
            np.asarray(area_m2, float)[gone] if area_m2 is not None else np.full(gone.sum(),
                                                                                 np.nan))
        tbmj[gone] = fill
        out["TBMJ"] = pd.Series(tbmj, index=table.index, dtype=object)
    _fill_deductions(out, missing)
    area = _area(out, n)
    unmeasured = np.logical_or.reduce(list(flags.values())) & ~np.isfinite(area)
    if unmeasured.any() and callable(area_m2):     # the area said in the findings
        area[unmeasured] = area_m2(unmeasured)
    ids = ids() if callable(ids) else (ids if ids is not None else parcel_ids(table))
    findings = []
    for rule in NULL_RULES:
        m = flags.get(NULL_CODE.format(rule.field))
        if m is None or not m.any():
            continue
        findings.append(Finding(WARNING, NULL_CODE.format(rule.field), dict(
            layer=layer, count=int(m.sum()), area_mu=float(np.nansum(area[m]) / M2_PER_MU),
            examples=examples(ids, m), field=rule.field, treatment=rule.treatment),
            rule.wording.en, rule.wording.zh))
    return NullOutcome(out[columns], pd.DataFrame(flags), findings)


def _fill_deductions(out: pd.DataFrame, missing: dict):
    """KCMJ, TBDLMJ and KCXS where NULL, from the other areas (NULL_RULES' treatments)."""
    if not any(missing.get(f, np.zeros(0, bool)).any() for f in ("KCMJ", "TBDLMJ", "KCXS")):
        return
    n = len(out)

    def col(name):
        return numbers(out[name]) if name in out.columns else np.full(n, np.nan)

    tbmj, kcmj, tbdlmj, kcxs = col("TBMJ"), col("KCMJ"), col("TBDLMJ"), col("KCXS")
    if "KCMJ" in missing and missing["KCMJ"].any():
        m = ~np.isfinite(kcmj)
        guess = np.where(np.isfinite(tbdlmj), tbmj - tbdlmj,
                         np.where(np.isfinite(kcxs), np.round(tbmj * kcxs, 2), 0.0))
        kcmj = np.where(m, guess, kcmj)
        out["KCMJ"] = pd.Series(kcmj, index=out.index, dtype=object)
    if "TBDLMJ" in missing and missing["TBDLMJ"].any():
        m = ~np.isfinite(tbdlmj)
        tbdlmj = np.where(m, tbmj - np.where(np.isfinite(kcmj), kcmj, 0.0), tbdlmj)
        out["TBDLMJ"] = pd.Series(tbdlmj, index=out.index, dtype=object)
    if "KCXS" in missing and missing["KCXS"].any() and "KCMJ" in out.columns:
        m = ~np.isfinite(kcxs) & np.isfinite(kcmj) & (tbmj > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            kcxs = np.where(m, kcmj / tbmj, kcxs)
        out["KCXS"] = pd.Series(np.where(np.isfinite(kcxs), kcxs, None), index=out.index,
                                dtype=object)


def _area(table, n):
    return numbers(table["TBMJ"]) if "TBMJ" in table.columns else np.full(n, np.nan)


# --------------------------------------------------------------------------- values
def unknown_class(table: pd.DataFrame, layer: str = "", area=None):
    """(flags of DLBM values that are no 三调 code, the finding or None)."""
    if "DLBM" not in table.columns:
        return np.zeros(len(table), dtype=bool), None
    dlbm = table["DLBM"]
    unknown = set(lc.unknown_codes(dlbm))
    if not unknown:
        return np.zeros(len(table), dtype=bool), None
    flags = lc.map_distinct(lambda v: lc.normalize_code(v) in unknown, dlbm, bool)
    area = _area(table, len(table)) if area is None else np.asarray(area, float)
    codes = ", ".join(sorted(unknown)[:10]) + (" …" if len(unknown) > 10 else "")
    return flags, finding(CHECK_WORDING, WARNING, "UNKNOWN_DLBM", layer=layer,
                          count=int(flags.sum()), area_mu=float(np.nansum(area[flags])) /
                          M2_PER_MU, codes=codes)


def duplicate_keys(values, field_name: str = "BSM", layer: str = ""):
    """(flags of the parcels whose key value occurs more than once, the finding or None);
    NULL keys are not duplicates (NULL_RULES counts them)."""
    s = pd.Series(np.asarray(values, dtype=object))
    present = ~is_missing(s, blanks=False)
    keys = s[present]
    dup = keys.duplicated(keep=False)
    flags = np.zeros(len(s), dtype=bool)
    flags[np.flatnonzero(present)[dup.to_numpy()]] = True
    if not flags.any():
        return flags, None
    repeated = keys[dup].drop_duplicates()
    shown = ", ".join(f"{v} ×{int((keys == v).sum())}" for v in repeated.iloc[:MAX_EXAMPLES])
    if len(repeated) > MAX_EXAMPLES:
        shown += " …"
    return flags, finding(CHECK_WORDING, WARNING, "DUPLICATE_KEY", layer=layer,
                          field=field_name, values=len(repeated), count=int(flags.sum()),
                          examples=shown)


def area_mismatch(tbmj, planar_m2, ellipsoidal=None, tolerance_pct: float = 5.0,
                  min_difference_m2: float = 1.0):
    """Flags of parcels whose TBMJ is more than `tolerance_pct` % (and `min_difference_m2`)
    away from their ellipsoidal area. `planar_m2` screens (planar and ellipsoidal areas
    of a GK zone differ by far less than a per cent); `ellipsoidal(mask)` gives the
    ellipsoidal areas of the candidates (None: the planar area stands in)."""
    tbmj = numbers(tbmj)
    planar = np.asarray(planar_m2, float)
    tol = tolerance_pct / 100.0
    with np.errstate(invalid="ignore", divide="ignore"):
        off = np.abs(tbmj - planar) > np.maximum(0.5 * tol * planar, min_difference_m2)
    off &= np.isfinite(tbmj)
    if not off.any() or ellipsoidal is None:
        return off & (np.abs(tbmj - planar) > np.maximum(tol * planar, min_difference_m2))
    exact = np.asarray(ellipsoidal(off), float)
    flags = np.zeros(len(tbmj), dtype=bool)
    sub = tbmj[off]
    flags[np.flatnonzero(off)] = np.abs(sub - exact) > np.maximum(tol * exact,
                                                                  min_difference_m2)
    return flags


def deduction_mismatches(table: pd.DataFrame, tolerance_m2: float = 0.011):
    """(KCMJ ≠ round(TBMJ × KCXS, 2), TBDLMJ ≠ TBMJ − KCMJ) flags, where all are given."""
    n = len(table)

    def col(name):
        return numbers(table[name]) if name in table.columns else np.full(n, np.nan)

    tbmj, kcxs, kcmj, tbdlmj = col("TBMJ"), col("KCXS"), col("KCMJ"), col("TBDLMJ")
    with np.errstate(invalid="ignore"):
        kc = np.abs(kcmj - np.round(tbmj * kcxs, 2)) > tolerance_m2
        net = np.abs(tbdlmj - (tbmj - kcmj)) > tolerance_m2
    return kc & np.isfinite(kcmj * tbmj * kcxs), net & np.isfinite(tbdlmj * tbmj * kcmj)


def check_parcels(table: pd.DataFrame, planar_m2=None, ellipsoidal=None, layer: str = "",
                  ids=None, tolerance_pct: float = 5.0, keys=("BSM",),
                  deductions: bool = True) -> ParcelChecks:
    """Every attribute check on the parcels of `table` (canonical 三调 column names):
    NULL_RULES (flags NULL_<field>; numbers are not filled here, see apply_null_rules),
    UNKNOWN_DLBM, DUPLICATE_<key> for each key column, TBMJ_MISMATCH (with `planar_m2`,
    `ellipsoidal(mask)` as area_mismatch takes them), KCMJ_MISMATCH and TBDLMJ_MISMATCH
    (with `deductions`). The basis of checkparcels' per-parcel report."""
    ids = parcel_ids(table) if ids is None else ids
    nulls = apply_null_rules(table, None, layer, ids)
    flags = dict(nulls.flags.items())
    found = list(nulls.findings)
    unknown, f = unknown_class(table, layer)
    flags["UNKNOWN_DLBM"] = unknown
    found += [f] if f is not None else []
    for key in keys:
        if key in table.columns:
            dup, f = duplicate_keys(table[key], key, layer)
            flags[f"DUPLICATE_{key}"] = dup
            found += [f] if f is not None else []
    if planar_m2 is not None and "TBMJ" in table.columns:
        off = area_mismatch(table["TBMJ"], planar_m2, ellipsoidal, tolerance_pct)
        flags["TBMJ_MISMATCH"] = off
        if off.any():
            found.append(finding(CHECK_WORDING, WARNING, "TBMJ_MISMATCH", layer=layer,
                                 count=int(off.sum()), tolerance=tolerance_pct,
                                 examples=examples(ids, off)))
    if deductions:
        for code, m in zip(("KCMJ_MISMATCH", "TBDLMJ_MISMATCH"), deduction_mismatches(table)):
            flags[code] = m
            if m.any():
                found.append(finding(CHECK_WORDING, INFO, code, layer=layer,
                                     count=int(m.sum()), examples=examples(ids, m)))
    return ParcelChecks(pd.DataFrame(flags, index=range(len(table))), found)
