"""Consolidation potential survey (整治潜力调查评估): where the potential of a
county or township lies, how much, and whether it can meet the targets.

Every rule is reused from its own module, never copied: slope farmland
(slope_farmland.flag_slope_farmland), idle homesteads and their reclamation
target (idle_homesteads), overlaps with the control lines
(control_lines.ZoneIndex), the forest-farmland swap (farmland_swap), the
new-farmland formulas (task_totals.new_farmland_m2) and the farmland blocks
(contiguity). This package adds the potential-type table (catalogue), the
per-parcel verdict (verdict), the summaries (summary) and the rule checks of
REFERENCE §3 (checks). What it finds is data: notes and check explanations are
Findings (codes and values, core.messages) worded by the caller, in Chinese by
core.reports.survey (the workbook and the HTML report), through tr() in the
Processing log. No QGIS here. The names below are the package's API.
"""
from .catalogue import (CHECK_FIELDS, FAIL, FAMILIES, FAMILY_BY_CODE, INPUT_FIELDS, NEED_DEM,
                        NEED_EVIDENCE, NEED_KCXS, NEED_RED_LINE, NEED_SLOPE, NEED_TEXT,
                        NOT_CHECKED, NOTE_TEXT, PARCEL_FIELDS, PASS, POTENTIAL_TYPES, SEPARATOR,
                        SUMMARY_FIELDS, TOTAL_CODE, TOTAL_NAME, TYPE_BY_KEY, TYPE_BY_ZH,
                        Households, PotentialFamily, PotentialType, Survey, note, skip_reason,
                        type_table)
from .verdict import (VILLAGE_CZCSXM, ROCKY_TBXHDM, ABANDONED_MARK, MINE_CODE, HOMESTEAD_CODE,
                     PADDY_UPGRADE_CODE, PADDY_UPGRADE_MAX_GRADE, TERRACE_GDLX, parcel_area_m2,
                     grades, abandoned_mines, survey)
from .summary import (LEVELS, LEVEL_ZH, unit_keys, summarize, harmony_villages, target_progress,
                      contiguity_change, contiguity_totals, parse_targets)
from .checks import (RULES_CHECKED, RULE_EN, VERDICT_EN, CHECK_TEXT, CHECK_COLUMNS, check_detail,
                     check_log_line, check_table, rule_checks)
