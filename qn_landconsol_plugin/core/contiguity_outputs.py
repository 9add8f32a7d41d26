"""What the farmland-contiguity evaluation reads and writes (耕地集中连片度): the farmland
of each parcel now and after consolidation (core.consolidation, net of 田坎, as the dock,
the survey and the declaration tables count it), the fields it reads for a scenario, the
blocks layer, the summary table and the block fields added to the parcels (the
evaluation itself is core/contiguity.py)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import consolidation, task_totals
from .contiguity import (ADD, AFTER, CHANGE_FIELDS, INDICATORS, KEEP, REMOVE, SCENARIO_LABELS,
                         farmland_change, parcel_blocks)
from .fields import FieldSpec
from .rules import Rules

# the survey's output carries each parcel's farmland change (m², core.consolidation)
SURVEY_CHANGE_FIELD = "XZGD_MJ"
# what the farmland after consolidation is computed from, besides the change fields
OUTCOME_FIELDS = ("TBMJ", "KCXS", "KCMJ", "GDPDJB", "GDLX", "PD_MEAN", SURVEY_CHANGE_FIELD)


@dataclass
class Scenarios:
    """Farmland of each parcel now and after consolidation: masks, m² and the change."""
    now: np.ndarray
    after: np.ndarray
    now_m2: np.ndarray
    after_m2: np.ndarray
    change: np.ndarray      # ADD / REMOVE / KEEP per parcel


def farmland_scenarios(now, now_m2, gd_q, gd_h) -> Scenarios:
    """The farmland after consolidation from the farmland now (`now` mask and `now_m2`,
    the contiguity areas) and core.consolidation's farmland of each parcel now and after
    (GD_Q, GD_H): a parcel leaves when its farmland goes to 0 and comes in when land
    that is no farmland gets some; where the work changes a parcel's farmland its area
    after is GD_H (net of 田坎: TBMJ × (1 − KCXS of its grade) for new farmland, the
    merged KCXS for 田坎归并), elsewhere its area now."""
    now = np.asarray(now, bool)
    now_m2 = np.asarray(now_m2, float)
    gd_q, gd_h = np.asarray(gd_q, float), np.asarray(gd_h, float)
    removed = now & (gd_q > 0) & (gd_h <= 0)
    added = ~now & (gd_q <= 0) & (gd_h > 0)
    change = np.full(len(now), KEEP, dtype=object)
    change[removed] = REMOVE
    change[added] = ADD
    changed = ~np.isclose(gd_h, gd_q, rtol=0.0, atol=1e-9)
    after_m2 = np.where(changed, gd_h, now_m2)
    return Scenarios(now, (now & ~removed) | added, now_m2, after_m2, change)


def layer_outcome(table: pd.DataFrame, planar_m2, rules: Rules | None = None):
    """(GD_Q, GD_H) m² of each parcel of a layer from what it carries, or None when it
    carries no change: the potential survey's output (QL_LX with XZGD_MJ, the survey's
    own core.consolidation change), else the dock's tags (ZZLX/ZZZLX:
    consolidation.task_outcome), else potential types named in QL_LX (FARMLAND_CHANGES:
    land coming in, farmland leaving)."""
    rules = rules or Rules()
    if not any(f in table.columns for f in CHANGE_FIELDS):
        return None
    table = table.reset_index(drop=True)
    gd_q, _ = consolidation.land_now(table, planar_m2)
    if "QL_LX" in table.columns and SURVEY_CHANGE_FIELD in table.columns:
        change = pd.to_numeric(table[SURVEY_CHANGE_FIELD], errors="coerce").fillna(0.0)
        return gd_q, gd_q + change.to_numpy(float)
    if "ZZLX" in table.columns or "ZZZLX" in table.columns:
        codes = task_totals.task_codes(task_totals.resolve_tags(table))
        out = consolidation.task_outcome(table, codes, rules, area_m2=planar_m2)
        return out["GD_Q"].to_numpy(float), out["GD_H"].to_numpy(float)
    moves = farmland_change(gd_q > 0, table)
    effect = np.where(moves == ADD, consolidation.TO_FARMLAND,
                      np.where(moves == REMOVE, consolidation.FROM_FARMLAND, ""))
    out = consolidation.outcome(table, effect, rules=rules, area_m2=planar_m2)
    return out["GD_Q"].to_numpy(float), out["GD_H"].to_numpy(float)

LP_ID = FieldSpec("LP_ID", "int", 10, "连片编号")
LP_MU = FieldSpec("LP_MU", "float", 16, "连片面积（亩）", 4)
LP_ID_H = FieldSpec("LP_ID_H", "int", 10, "整治后连片编号")
LP_MU_H = FieldSpec("LP_MU_H", "float", 16, "整治后连片面积（亩）", 4)
GD_BH = FieldSpec("GD_BH", "str", 4, "耕地变化")
BLOCK_FIELDS = (
    FieldSpec("QJ", "str", 8, "情景"),
    LP_ID,
    LP_MU,
    FieldSpec("LP_TBS", "int", 10, "图斑数"),
    FieldSpec("CJ_DM", "str", 12, "主要坐落村代码"),
)
SUMMARY_FIELDS = (
    FieldSpec("CJ_DM", "str", 12, "村代码"),
    FieldSpec("CJ_MC", "str", 100, "村名称"),
    FieldSpec("QJ", "str", 8, "情景"),
) + tuple(FieldSpec(k, "int" if k == "LP_N" else "float", 16, alias, 0 if k == "LP_N" else 4)
          for k, alias in INDICATORS)
CHANGE_TEXT = {ADD: "转入", REMOVE: "转出", KEEP: ""}


def needed_fields(has_tbdlmj: bool, bridges: bool, scenarios) -> list:
    """The 三调 fields read besides DLBM: farmland area TBDLMJ (else TBMJ, KCMJ, KCXS),
    the village, XZDWKD for road/ditch bridges; for the after scenario the tags or
    potential types and what the farmland after is computed from (OUTCOME_FIELDS)."""
    fields = ["TBDLMJ", "ZLDWDM", "ZLDWMC"]
    if not has_tbdlmj:
        fields += ["TBMJ", "KCMJ", "KCXS"]
    if bridges:
        fields.append("XZDWKD")
    if AFTER in scenarios:
        fields += list(CHANGE_FIELDS) + [f for f in OUTCOME_FIELDS if f not in fields]
    return fields


def parcel_specs(scenarios) -> list:
    """Fields added to the parcels: block id and 亩 per scenario, the farmland change."""
    specs = [LP_ID, LP_MU]
    if len(scenarios) == 2:
        specs += [LP_ID_H, LP_MU_H]
    if AFTER in scenarios:
        specs.append(GD_BH)
    return specs


def parcel_columns(scenarios, results: dict, change) -> dict:
    """{field: value per parcel} of parcel_specs: each parcel's block (NULL outside
    farmland) and the farmland change (转入/转出, NULL when it stays)."""
    columns = {}
    names = [(LP_ID.name, LP_MU.name), (LP_ID_H.name, LP_MU_H.name)]
    for scenario, (id_name, mu_name) in zip(scenarios, names):
        lp_id, lp_mu = parcel_blocks(results[scenario].labels, results[scenario].table)
        columns[id_name] = [None if np.isnan(v) else int(v) for v in lp_id]
        columns[mu_name] = lp_mu
    if change is not None:
        columns[GD_BH.name] = [CHANGE_TEXT[c] or None for c in change]
    return columns


def blocks_table(results: dict):
    """(table with BLOCK_FIELDS, block geometries) of the blocks of every scenario in
    `results` {scenario: contiguity.ScenarioBlocks}, in LP_ID order; a block without a
    shape is left out."""
    rows, geoms = [], []
    for scenario, blocks in results.items():
        ordered = blocks.table.sort_values("LP_ID")
        for label, row in zip(ordered.index, ordered.itertuples(index=False)):
            geom = blocks.shapes.get(int(label))
            if geom is None:
                continue
            village = getattr(row, "CJ_DM", None)
            rows.append([SCENARIO_LABELS[scenario], int(row.LP_ID), float(row.LP_MU),
                         int(row.LP_TBS), village if isinstance(village, str) else None])
            geoms.append(geom)
    return pd.DataFrame(rows, columns=[f.name for f in BLOCK_FIELDS], dtype=object), geoms
