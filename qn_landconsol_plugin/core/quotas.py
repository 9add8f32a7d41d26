"""Whose target is it (任务分解): the 2030 targets belong to the prefecture and are split
over its 12 counties/cities (Rules.county_quotas, editable, stored with the rules; a
county may add its townships with 9-digit codes). A county's or township's progress
is measured against its own quota, never against the prefecture total; every figure
says which quota it used (Quota.label)."""
from __future__ import annotations

from dataclasses import dataclass

from .rules import QUOTA_KEYS, Rules, Targets
from .values import map_each

PREFECTURE = "黔南州"
COUNTY_LENGTH, TOWNSHIP_LENGTH = 6, 9


@dataclass(frozen=True)
class Quota:
    targets: Targets
    label: str            # which quota, in Chinese (the report and the workbook say it)
    codes: tuple = ()     # the county/township codes whose quotas were added up


def _targets(entries) -> Targets:
    total = {k: sum(float(e.get(k, 0.0)) for e in entries) for k in QUOTA_KEYS}
    return Targets(total["farmland_mu"], total["construction_mu"], total["ecological_mu"],
                   int(round(total["villages"])))


def quota_key(code, rules: Rules) -> str:
    """The quota row an admin code (ZLDWDM or a prefix of it) answers to: its township's
    (9 digits) when the table has one, else its county's (6 digits); '' when neither."""
    text = "" if code is None else str(code).strip()
    quotas = rules.county_quotas
    if len(text) >= TOWNSHIP_LENGTH and text[:TOWNSHIP_LENGTH] in quotas:
        return text[:TOWNSHIP_LENGTH]
    if len(text) >= COUNTY_LENGTH and text[:COUNTY_LENGTH] in quotas:
        return text[:COUNTY_LENGTH]
    return ""


def quota_for(codes, rules: Rules | None = None, given: Targets | None = None) -> Quota:
    """The quota of an area made of the admin codes `codes`: `given` when the user
    entered targets of their own (anything but the prefecture default); else the sum
    of the quota rows the codes answer to (quota_key; a township without its own row
    counts under its county). Without any known code: the prefecture total, labelled
    as such so the report says its county was not recognised."""
    rules = rules or Rules()
    if given is not None and given != rules.targets:
        return Quota(given, "用户输入的目标")
    keys = sorted(set(map_each(lambda c: quota_key(c, rules), list(codes)).tolist()) - {""})
    if not keys:
        return Quota(rules.targets, f"{PREFECTURE}总目标（未识别所属县（市），请在规则中设置分解任务）")
    quotas = rules.county_quotas
    counties = [k for k in keys if len(k) == COUNTY_LENGTH]
    townships = [k for k in keys if len(k) == TOWNSHIP_LENGTH]
    # a township row inside a county that is counted as a whole would count twice
    townships = [t for t in townships if t[:COUNTY_LENGTH] not in counties]
    keys = counties + townships
    names = [quotas[k].get("name") or k for k in keys]
    if len(counties) == len(quotas) and not townships:
        label = f"{PREFECTURE} 2030 年目标（{len(counties)} 个县（市）分解任务之和）"
    elif len(keys) == 1:
        label = f"{names[0]}分解任务"
    else:
        label = "、".join(names) + "分解任务之和"
    return Quota(_targets([quotas[k] for k in keys]), label, tuple(keys))
