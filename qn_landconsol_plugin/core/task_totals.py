"""Totals of tagged parcels (整治任务统计): 亩 and parcel counts per task family and
subtype, the new farmland (新增耕地) and progress against the targets.

Input is a plain pandas frame, one row per parcel, with the tag fields (ZZLX,
ZZZLX, XMBH) and TBMJ (m²); DLBM, KCXS, KCMJ, TBDLMJ, GDLX, GDPDJB and PD_MEAN refine
the farmland figures when present. Farmland is counted net of 田坎 through
core.consolidation (the one function the survey and the declaration tables use too);
the ≥ 5 % rule divides by all the farmland of the project area (core.project_area: the
townships of the project's parcels, tagged or not), and progress is measured against the
quota of the project's county or township (core.quotas). The dock, the declaration export,
the reports and the tests share this function.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import consolidation, land_classes, project_area, task_types
from .quotas import quota_for
from .rules import Rules, Targets
from .units import m2_to_mu
from .values import map_each

# Columns read from a parcel layer for the totals (canonical 三调 / tag names).
REQUIRED_COLUMNS = ("ZZLX", "ZZZLX", "XMBH", "TBMJ")
OPTIONAL_COLUMNS = ("DLBM", "KCXS", "GDPDJB", "KCMJ", "TBDLMJ", "GDLX", "PD_MEAN", "ZLDWDM")

# The subtypes whose work adds (or, for the swap, also removes) farmland, and the
# source of it: core.consolidation.TASK_EFFECTS is the table that computes them.
NEW_FARMLAND_METHOD = {code: effect[2] for code, effect in consolidation.TASK_EFFECTS.items()
                       if effect[2]}

# Which 2030 target (core.rules.Targets attribute) a family counts towards
FAMILY_TARGET = {"NYD": "farmland_mu", "JSYD": "construction_mu", "STXF": "ecological_mu"}


@dataclass
class TaskTotal:
    """One line of the totals: a family or a subtype."""
    code: str
    zh: str
    family: str            # family code ('' for a family line)
    parcels: int = 0
    area_mu: float = 0.0
    new_farmland_mu: float = 0.0


@dataclass
class TargetProgress:
    family: str
    zh: str
    target_mu: float
    done_mu: float

    @property
    def share(self) -> float:
        """Done / target (0 when the target is 0)."""
        return self.done_mu / self.target_mu if self.target_mu > 0 else 0.0


@dataclass
class Totals:
    families: list = field(default_factory=list)    # TaskTotal per family, catalogue order
    subtypes: list = field(default_factory=list)    # TaskTotal per subtype, catalogue order
    parcels: int = 0
    area_mu: float = 0.0
    new_farmland_mu: float = 0.0   # net: new farmland minus farmland leaving (田坎 deducted)
    farmland_mu: float = 0.0       # all farmland of the project area (tagged or not), net
    construction_before_mu: float = 0.0   # construction land of the area now
    construction_after_mu: float = 0.0    # after: − reclaimed + every new construction
    new_construction_mu: float = 0.0
    new_farmland_by_source: dict = field(default_factory=dict)   # source key -> 亩
    progress: list = field(default_factory=list)    # TargetProgress per targeted family
    quota_label: str = ""          # which quota the progress is measured against
    area_units: tuple = ()         # the townships of the project area ('' : every parcel)
    unknown_codes: tuple = ()      # tag values not in the catalogue (counted nowhere)
    unknown_land_codes: tuple = ()  # DLBM values that are no 三调 code

    @property
    def new_farmland_share(self) -> float:
        """Net new farmland / all farmland of the project area (the ≥ 5 % rule)."""
        return self.new_farmland_mu / self.farmland_mu if self.farmland_mu > 0 else 0.0

    @property
    def construction_change_mu(self) -> float:
        """Change of construction land (rule R2: must not be > 0)."""
        return self.construction_after_mu - self.construction_before_mu

    def family(self, code: str) -> TaskTotal:
        return next(t for t in self.families if t.code == code)

    def subtype(self, code: str) -> TaskTotal:
        return next(t for t in self.subtypes if t.code == code)


def _strip(v) -> str:
    """Stripped text, '' for NULL/NaN."""
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()


# task codes and Chinese labels -> codes (resolve_tags)
_SUBTYPE_CODE = {s.code: s.code for f in task_types.FAMILIES for s in f.subtypes}
_SUBTYPE_CODE.update({s.zh: s.code for f in task_types.FAMILIES for s in f.subtypes})
_FAMILY_CODE = {f.code: f.code for f in task_types.FAMILIES}
_FAMILY_CODE.update({f.zh: f.code for f in task_types.FAMILIES})
_KNOWN_TAGS = set(task_types.FAMILY_BY_CODE) | set(task_types.SUBTYPE_BY_CODE) | \
    {f.zh for f in task_types.FAMILIES} | {s.zh for f in task_types.FAMILIES for s in f.subtypes}


def _number(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").fillna(0.0).to_numpy(dtype=float)


def resolve_tags(frame: pd.DataFrame) -> pd.DataFrame:
    """(family, subtype) codes per row: the subtype's family wins over ZZLX; a Chinese
    label is accepted for a code; '' where untagged or unknown."""
    fam, sub = _resolve_tags(frame)
    return pd.DataFrame({"family": pd.Series(fam, index=frame.index, dtype=object),
                         "subtype": pd.Series(sub, index=frame.index, dtype=object)})


def _resolve_tags(frame: pd.DataFrame) -> tuple:
    """resolve_tags as two object arrays (family, subtype), each text looked up once."""
    n = len(frame)
    zzlx = map_each(_strip, frame["ZZLX"]) if "ZZLX" in frame else np.full(n, "", object)
    zzzlx = map_each(_strip, frame["ZZZLX"]) if "ZZZLX" in frame else np.full(n, "", object)
    sub = map_each(lambda v: _SUBTYPE_CODE.get(v, ""), zzzlx)
    fam = map_each(lambda v: task_types.SUBTYPE_BY_CODE[v].family if v else "", sub)
    fam = np.where(fam != "", fam, map_each(lambda v: _FAMILY_CODE.get(v, ""), zzlx)).astype(object)
    return fam, sub


def task_codes(tags: pd.DataFrame) -> pd.Series:
    """The task code of each row: its subtype, else its family (a family alone)."""
    return tags["subtype"].where(tags["subtype"] != "", tags["family"])


def new_farmland_m2(frame: pd.DataFrame, subtypes: pd.Series, rules: Rules | None = None) -> np.ndarray:
    """Net farmland change (m²) per row for the task codes given (0 for others):
    core.consolidation.new_farmland_m2, net of 田坎 on both sides."""
    if not len(frame):
        return np.zeros(0)
    return consolidation.new_farmland_m2(frame, subtypes, rules)


def task_totals(frame: pd.DataFrame, rules: Rules | None = None, project: str | None = None,
                targets: Targets | None = None, area=None, land=None) -> Totals:
    """Totals of the tagged rows of `frame` (all projects when `project` is None, else
    rows whose XMBH equals it).

    The project area, whose farmland the ≥ 5 % rule divides by and whose construction
    land rule R2 balances, is core.project_area's: the townships of the counted rows,
    their own parcels and every parcel no other project tagged. `land` (land_by_unit
    of every parcel of the layer, m²) gives the townships' land when the frame holds
    only some of the parcels (the dock reads the tagged ones); without it the frame's
    rows are the parcels. `area` (a mask of the rows) names the area's rows instead.
    Progress: against `targets` when the user entered their own, else against the
    quota of the counted rows' county or township (core.quotas.quota_for; targets
    default to rules.targets); Totals.quota_label says which."""
    rules = rules or Rules()
    targets = targets or rules.targets
    family, subtype = _resolve_tags(frame)
    tagged = family != ""
    keep = tagged.copy()
    if project is not None and "XMBH" in frame:
        keep &= map_each(_strip, frame["XMBH"]) == str(project).strip()
    unknown = set()
    for col in ("ZZLX", "ZZZLX"):
        if col in frame:
            values = pd.unique(map_each(_strip, frame[col]))
            unknown |= {v for v in values.tolist() if v and v not in _KNOWN_TAGS}

    # one outcome for every row (untagged rows and other projects' keep their land)
    codes = np.where(keep, np.where(subtype != "", subtype, family), "").astype(object)
    effect = consolidation.task_outcome(frame, codes, rules) if len(frame) else None
    keep_rows = keep
    area_mu = m2_to_mu(_number(frame["TBMJ"])[keep_rows]) if keep_rows.any() else np.zeros(0)
    if effect is not None:
        kept = {c: effect[c].to_numpy()[keep_rows]
                for c in ("GD_Q", "GD_H", "JS_Q", "JS_H", "JS_XZ", "LY", "XZGD")}
        new = m2_to_mu(kept["GD_H"] - kept["GD_Q"])
    else:
        kept, new = None, np.zeros(0)
    kept_family, kept_subtype = family[keep_rows], subtype[keep_rows]
    by_fam = _count_and_sum(kept_family, area_mu, new)
    has_subtype = kept_subtype != ""
    by_sub = _count_and_sum(kept_subtype[has_subtype], area_mu[has_subtype], new[has_subtype])

    totals = Totals()
    zldwdm = frame["ZLDWDM"].to_numpy(dtype=object)[keep_rows] if "ZLDWDM" in frame.columns else ()
    quota = quota_for(zldwdm, rules, targets)
    totals.quota_label = quota.label
    for fam in task_types.FAMILIES:
        totals.families.append(TaskTotal(fam.code, fam.zh, "",
                                         *by_fam.get(fam.code, (0, 0.0, 0.0))))
        for sub in fam.subtypes:
            totals.subtypes.append(TaskTotal(sub.code, sub.zh, fam.code,
                                             *by_sub.get(sub.code, (0, 0.0, 0.0))))
        target_attr = FAMILY_TARGET.get(fam.code)
        if target_attr:
            totals.progress.append(TargetProgress(
                fam.code, fam.zh, float(getattr(quota.targets, target_attr)),
                totals.families[-1].area_mu))
    totals.parcels = int(len(kept_family))
    totals.area_mu = float(_sum(area_mu))
    totals.new_farmland_mu = float(_sum(new))
    units = project_area.frame_units(frame)
    if effect is not None:
        if area is not None:
            in_area = np.asarray(area, dtype=bool)
            region = effect[in_area]
            farmland, construction = region["GD_Q"].sum(), region["JS_Q"].sum()
            totals.area_units = project_area.project_units(units[in_area])
        else:
            by_unit = land if land is not None else project_area.land_by_unit(
                units, effect["GD_Q"], effect["JS_Q"])
            others = tagged & ~keep_rows
            land_now = project_area.area_land(
                by_unit, project_area.project_units(units[keep_rows]),
                pd.DataFrame({"UNIT": units[others], "GD": effect["GD_Q"].to_numpy()[others],
                              "JS": effect["JS_Q"].to_numpy()[others]}))
            farmland, construction = land_now.farmland_m2, land_now.construction_m2
            totals.area_units = land_now.units
            area_units = set(land_now.units)
            in_area = keep_rows | (~tagged & (
                np.ones(len(frame), bool) if project_area.WHOLE_LAYER in area_units
                else map_each(lambda u: u in area_units, units, bool)))
        totals.farmland_mu = float(m2_to_mu(farmland))
        totals.construction_before_mu = float(m2_to_mu(construction))
        totals.construction_after_mu = totals.construction_before_mu + float(
            m2_to_mu(_sum(kept["JS_H"] - kept["JS_Q"])))
        totals.new_construction_mu = float(m2_to_mu(_sum(kept["JS_XZ"])))
        source, gained = kept["LY"], kept["XZGD"]
        totals.new_farmland_by_source = {
            k: float(m2_to_mu(_sum(gained[source == k]))) for k, _ in consolidation.SOURCES}
        if "DLBM" in frame:
            totals.unknown_land_codes = land_classes.unknown_codes(frame.loc[in_area, "DLBM"])
    totals.unknown_codes = tuple(sorted(unknown))
    return totals


def _count_and_sum(keys: np.ndarray, area: np.ndarray, new: np.ndarray) -> dict:
    """key -> (rows, sum of area, sum of new), summed as pandas' groupby sums (compensated,
    in row order)."""
    codes, uniques = pd.factorize(keys)
    sums = pd.DataFrame({"area": area, "new": new}).groupby(codes, sort=False).sum()
    counts = np.bincount(codes, minlength=len(uniques))
    return {uniques[i]: (int(counts[i]), float(a), float(b))
            for i, a, b in zip(sums.index.tolist(), sums["area"].tolist(), sums["new"].tolist())}


def _sum(values: np.ndarray) -> float:
    """Sum skipping NaN, as pandas' Series.sum adds (NaN as 0, numpy's summation)."""
    return np.where(np.isnan(values), 0.0, values).sum()


def red_line_conflicts(parcel_geoms, dlbm, zzlx, zzzlx, red_line, rules: Rules | None = None) -> np.ndarray:
    """True for each parcel whose task is a conflict (level 2) inside the ecological
    red line, judged by core.control_lines with rules.red_line_rules. `red_line` is a
    control_lines.ZoneIndex or the red-line polygons (same projected CRS as the parcels)."""
    from . import control_lines
    from .geometry import repair

    rules = rules or Rules()
    parcels, _ = repair(np.asarray(parcel_geoms, dtype=object))
    if len(parcels) == 0:
        return np.zeros(0, dtype=bool)
    zone = red_line if isinstance(red_line, control_lines.ZoneIndex) else control_lines.ZoneIndex(red_line)
    areas = zone.overlap(parcels, repaired=True)
    levels, _ = control_lines.judge(list(dlbm), list(zzlx), list(zzzlx), hx_mj=areas, rules=rules)
    return np.asarray(levels) >= 2
