"""What the potential survey makes of its input before and after the rules run: the
units it is summarised by (village, township, county or a chosen field; the rule
checks by township; each parcel's village) and its findings about the input, as
data (core.messages) for the log and the Chinese report."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .messages import WARNING, finding, translatable
from .potential import unit_keys

SURVEY_FINDINGS = {
    "TBMJ_FALLBACK": (translatable("TBMJ is missing for some parcels: their ellipsoidal area "
                                   "is used."),
                      "部分图斑无图斑面积 TBMJ，采用椭球面积。"),
}


@dataclass
class SummaryUnits:
    keys: np.ndarray         # the unit of each parcel in the summary
    names: dict              # unit code -> name
    level: str               # village / township / county / field / total
    check_keys: np.ndarray   # the unit of each parcel in the rule checks
    check_names: dict
    village_keys: np.ndarray | None   # each parcel's village (None without ZLDWDM)
    village_names: dict
    findings: list           # Findings (no ZLDWDM and no field: a total only)


def summary_units(table, level: str = "village", by_field: str | None = None) -> SummaryUnits:
    """The units of a survey summarised at `level` or by the column `by_field`: the rule
    checks go by township when the parcels have ZLDWDM and no field was chosen, else by
    the summary's units; the villages count the candidate 和美乡村."""
    keys, names, used, warning = unit_keys(table, level, by_field)
    findings = []
    if warning is not None:
        warning.level = WARNING
        findings.append(warning)
    has_zldwdm = "ZLDWDM" in table.columns
    village_keys, village_names = unit_keys(table, "village")[:2] if has_zldwdm else (None, {})
    if has_zldwdm and not by_field:
        check_keys, check_names = unit_keys(table, "township")[:2]
    else:
        check_keys, check_names = keys, names
    return SummaryUnits(keys, names, used, check_keys, check_names, village_keys,
                        village_names, findings)


def area_findings(table) -> list:
    """A warning when some parcels lack TBMJ (their ellipsoidal area stands in)."""
    if "TBMJ" not in table.columns or table["TBMJ"].isna().any():
        return [finding(SURVEY_FINDINGS, WARNING, "TBMJ_FALLBACK")]
    return []
