"""Rules kept in the QGIS project (scope `qn_landconsol`, as the dock's settings): the
county quota table (Rules.county_quotas: each county's, or township's, share of the
prefecture targets) that the dock edits in its 项目 tab and the potential survey reads
when no rules file is given, so both measure progress against the same quotas."""
from __future__ import annotations

import json

from ..core.rules import Rules

SCOPE = "qn_landconsol"
QUOTAS_KEY = "/rules/county_quotas"


def read_quotas(project) -> dict | None:
    """The quota table stored in `project` (normalised as Rules.from_json reads it), or
    None when the project holds none (or a broken one: the defaults then apply)."""
    if project is None:
        return None
    text, ok = project.readEntry(SCOPE, QUOTAS_KEY, "")
    if not ok or not text.strip():
        return None
    try:
        return Rules.from_json(json.dumps({"county_quotas": json.loads(text)})).county_quotas
    except (ValueError, TypeError, AttributeError):
        return None


def write_quotas(project, quotas: dict | None):
    """Store the quota table in `project` (None removes it: the defaults apply); only
    when it changed, so a no-op does not mark the project dirty."""
    text = "" if quotas is None else json.dumps(quotas, ensure_ascii=False, sort_keys=True)
    stored, ok = project.readEntry(SCOPE, QUOTAS_KEY, "")
    if quotas is None:
        if ok:
            project.removeEntry(SCOPE, QUOTAS_KEY)
        return
    if not ok or stored != text:
        project.writeEntry(SCOPE, QUOTAS_KEY, text)


def project_rules(project, rules: Rules | None = None) -> Rules:
    """`rules` (default Rules()) with the project's quota table when it stores one."""
    rules = rules or Rules()
    quotas = read_quotas(project)
    if quotas is not None:
        rules.county_quotas = quotas
    return rules
