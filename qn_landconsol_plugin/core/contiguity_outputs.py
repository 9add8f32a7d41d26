"""What the farmland-contiguity evaluation writes (耕地集中连片度): the fields it reads
for a scenario, the blocks layer, the summary table and the block fields added to the
parcels (the evaluation itself is core/contiguity.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .contiguity import (ADD, AFTER, CHANGE_FIELDS, INDICATORS, KEEP, REMOVE, SCENARIO_LABELS,
                         parcel_blocks)
from .fields import FieldSpec

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
    the village, XZDWKD for road/ditch bridges, the tags of the after scenario."""
    fields = ["TBDLMJ", "ZLDWDM", "ZLDWMC"]
    if not has_tbdlmj:
        fields += ["TBMJ", "KCMJ", "KCXS"]
    if bridges:
        fields.append("XZDWKD")
    if AFTER in scenarios:
        fields += list(CHANGE_FIELDS)
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
