"""林耕置换 (forest–farmland swap): slope and unstable farmland moves out ("上坡" to
forest/garden), flat garden/forest/other-grassland near farmland or a village moves in
("下坡" to farmland), balanced so that 耕地总量不减少.

Score of a move-in candidate (0–100), documented in docs/forestfarmlandswap.md:
  slope       35 × (1 − PD_MEAN / max slope in)
  distance    25 × (1 − distance to farmland or village / max distance)
  size        15 × min(1, 亩 / SIZE_FULL_MU)
  contiguity  15 × min(1, 2 × share of its boundary shared with staying farmland)
  adjustable  10 when the code is a 可调整 (K) variant

Both sides of the balance are farmland net of 田坎 (REFERENCE §3): out is the farmland
area TBDLMJ, in is the new farmland the parcel becomes, TBMJ × (1 − KCXS of its slope
grade) (core.consolidation, the one function every figure uses).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from . import consolidation
from .fields import FieldSpec
from .slope import slope_grade
from .land_classes import (FOREST_CODES, GARDEN_CODES, base_code, base_codes, is_adjustable,
                           map_distinct)
from .units import m2_to_mu
from .villages import village_keys, village_names

OUT, IN = "出", "入"
GRASS_IN_CODES = ("0404",)
SETTLEMENT_CZCSXM = ("203", "203A")
SETTLEMENT_CODES = ("0702",)
SIZE_FULL_MU = 10.0
CONTACT_TOLERANCE_M = 0.5
WEIGHTS = {"slope": 35.0, "distance": 25.0, "size": 15.0, "contiguity": 15.0, "adjustable": 10.0}
TOTAL_CODE, TOTAL_NAME = "合计", "合计"

CANDIDATE_FIELDS = (
    FieldSpec("ZH_LX", "str", 2, "置换类型(出/入)"),
    FieldSpec("ZH_PF", "float", 6, "置换评分", 2),
    FieldSpec("ZH_MU", "float", 14, "置换面积(亩)", 4),
    FieldSpec("ZH_XZ", "int", 1, "入选平衡"),
    FieldSpec("ZH_JL", "float", 10, "距耕地或村庄(米)", 1),
    FieldSpec("ZH_PX", "int", 8, "村内排名"),
    FieldSpec("PD_MEAN", "float", 10, "平均坡度(度)", 4),
    FieldSpec("CUNDM", "str", 12, "行政村代码"),
)
BALANCE_FIELDS = (
    FieldSpec("CUNDM", "str", 12, "行政村代码"),
    FieldSpec("CUNMC", "str", 100, "行政村名称"),
    FieldSpec("CK_MU", "float", 14, "调出耕地(亩)", 2),
    FieldSpec("RK_MU", "float", 14, "调入耕地(亩)", 2),
    FieldSpec("KY_MU", "float", 14, "可调入面积(亩)", 2),
    FieldSpec("CE_MU", "float", 14, "增减(亩)", 2),
    FieldSpec("BJ", "str", 2, "耕地总量不减少"),
)

SWAP_IN_CODES = tuple(GARDEN_CODES) + tuple(FOREST_CODES) + GRASS_IN_CODES


def is_swap_in_code(codes) -> np.ndarray:
    """Garden, forest (K variants included) and other grassland 0404."""
    base = {base_code(c) for c in SWAP_IN_CODES}
    return map_distinct(lambda c: base_code(c) in base, codes, dtype=bool)


def settlement_mask(table: pd.DataFrame) -> np.ndarray:
    """Village settlement parcels: CZCSXM 203/203A, or rural homesteads (0702)."""
    n = len(table)
    mask = np.zeros(n, dtype=bool)
    if "CZCSXM" in table:
        # CZCSXM is not a land-use code: no zero padding ('203' must stay '203')
        czcsxm = table["CZCSXM"].map(lambda v: "" if v is None else str(v).strip().upper())
        mask |= czcsxm.isin(SETTLEMENT_CZCSXM).to_numpy()
    if "DLBM" in table:
        mask |= np.isin(base_codes(table["DLBM"]), list(SETTLEMENT_CODES))
    return mask


def find_swap_candidates(geoms, table: pd.DataFrame, farmland: np.ndarray, moving_out: np.ndarray,
                         mean_slope: np.ndarray, red_line=None, max_slope_in: float = 15.0,
                         max_distance: float = 500.0, min_overlap_m2: float = 1.0,
                         farmland_mu=None, rules=None) -> pd.DataFrame:
    """Candidate parcels: out = `moving_out` (slope/unstable farmland); in = garden,
    forest or 0404 with mean slope ≤ max_slope_in, not in the red line, within
    max_distance of staying farmland or a village. Returns one row per candidate:
    index, ZH_LX, ZH_PF, ZH_MU, ZH_JL, PD_MEAN, CUNDM, and REASON counts in .attrs.
    ZH_MU is farmland net of 田坎: `farmland_mu` (TBDLMJ) out, the new farmland in
    (TBMJ × (1 − KCXS of the grade of its mean slope), Rules.terrace_kcxs)."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    codes = table["DLBM"].to_numpy() if "DLBM" in table else np.full(n, "", dtype=object)
    mean_slope = np.asarray(mean_slope, dtype=float)
    area_mu = _parcel_mu(table, geoms)
    out_mu = area_mu if farmland_mu is None else np.asarray(farmland_mu, dtype=float)
    grade = consolidation.grade_text(np.where(np.isfinite(mean_slope),
                                              slope_grade(np.nan_to_num(mean_slope)), 0))
    k = consolidation.kcxs(grade, np.full(n, "", dtype=object), rules)
    in_mu = area_mu * (1.0 - k)
    keys = village_keys(table["ZLDWDM"]).to_numpy() if "ZLDWDM" in table else np.full(n, "")

    kind = is_swap_in_code(codes) & ~farmland
    reasons = {"kind": int(kind.sum())}
    with np.errstate(invalid="ignore"):
        flat = kind & (mean_slope <= max_slope_in)
    reasons["no_slope"] = int((kind & np.isnan(mean_slope)).sum())
    reasons["too_steep"] = int((kind & (mean_slope > max_slope_in)).sum())
    cand = flat.copy()
    if red_line is not None and len(red_line) and cand.any():
        inside = _in_red_line(geoms, np.flatnonzero(cand), red_line, min_overlap_m2)
        reasons["red_line"] = int(inside.sum())
        cand[np.flatnonzero(cand)[inside]] = False
    else:
        reasons["red_line"] = 0
    anchors = (farmland & ~moving_out) | settlement_mask(table)
    dist = np.full(n, np.nan)
    idx = np.flatnonzero(cand)
    if len(idx) and anchors.any():
        tree = shapely.STRtree(geoms[anchors])
        hit, d = tree.query_nearest(geoms[idx], max_distance=max_distance, return_distance=True,
                                    all_matches=False)
        dist[idx[hit[0]]] = d
    far = cand & ~(dist <= max_distance)
    reasons["too_far"] = int(far.sum())
    cand &= ~far
    idx = np.flatnonzero(cand)
    contact = _shared_boundary_share(geoms, idx, np.flatnonzero(farmland & ~moving_out))
    score = np.full(n, np.nan)
    if len(idx):
        s = (WEIGHTS["slope"] * np.clip(1.0 - mean_slope[idx] / max(max_slope_in, 1e-9), 0, 1)
             + WEIGHTS["distance"] * np.clip(1.0 - dist[idx] / max(max_distance, 1e-9), 0, 1)
             + WEIGHTS["size"] * np.clip(area_mu[idx] / SIZE_FULL_MU, 0, 1)
             + WEIGHTS["contiguity"] * np.clip(2.0 * contact, 0, 1)
             + WEIGHTS["adjustable"] * np.array([is_adjustable(c) for c in codes[idx]], float))
        score[idx] = np.round(s, 2)
    out_idx = np.flatnonzero(moving_out)
    frame = pd.concat([
        pd.DataFrame({"index": out_idx, "ZH_LX": OUT, "ZH_PF": np.nan, "ZH_MU": out_mu[out_idx],
                      "ZH_JL": np.nan, "PD_MEAN": mean_slope[out_idx], "CUNDM": keys[out_idx]}),
        pd.DataFrame({"index": idx, "ZH_LX": IN, "ZH_PF": score[idx], "ZH_MU": in_mu[idx],
                      "ZH_JL": dist[idx], "PD_MEAN": mean_slope[idx], "CUNDM": keys[idx]}),
    ], ignore_index=True)
    frame.attrs["reasons"] = reasons
    return frame


def balance(candidates: pd.DataFrame, names: dict | None = None):
    """Select move-in parcels best-ranked first until each village's move-out is matched,
    then township-wide for villages short of candidates. Returns (candidates with ZH_XZ and
    ZH_PX, balance table per village + 合计)."""
    c = candidates.copy()
    c["ZH_XZ"] = np.where(c["ZH_LX"] == OUT, 1, 0)
    c["ZH_PX"] = np.nan
    ins = c[c["ZH_LX"] == IN].sort_values(["ZH_PF", "ZH_MU"], ascending=[False, False],
                                          kind="stable")
    c.loc[ins.index, "ZH_PX"] = ins.groupby("CUNDM").cumcount().to_numpy() + 1
    need = c[c["ZH_LX"] == OUT].groupby("CUNDM")["ZH_MU"].sum()
    got = {}
    for village, group in ins.groupby("CUNDM", sort=False):
        target = float(need.get(village, 0.0))
        total = 0.0
        for i, mu in zip(group.index, group["ZH_MU"]):
            if total >= target - 1e-9:
                break
            c.at[i, "ZH_XZ"] = 1
            total += mu
        got[village] = total
    # villages without enough candidates: borrow the best remaining ones township-wide
    short = sum(max(0.0, float(need.get(v, 0.0)) - got.get(v, 0.0)) for v in need.index)
    if short > 1e-9:
        for i in ins.index:
            if short <= 1e-9:
                break
            if c.at[i, "ZH_XZ"] == 0:
                c.at[i, "ZH_XZ"] = 1
                short -= float(c.at[i, "ZH_MU"])
    is_in = (c["ZH_LX"] == IN).to_numpy()
    mu = c["ZH_MU"].to_numpy(dtype=float)
    table = pd.DataFrame({"CUNDM": c["CUNDM"].to_numpy(), "CK_MU": np.where(is_in, 0.0, mu),
                          "RK_MU": np.where(is_in & (c["ZH_XZ"].to_numpy() == 1), mu, 0.0),
                          "KY_MU": np.where(is_in, mu, 0.0)}
                         ).groupby("CUNDM", sort=True).sum().reset_index()
    table.insert(1, "CUNMC", [(names or {}).get(v, "") for v in table["CUNDM"]])
    total = pd.DataFrame([{"CUNDM": TOTAL_CODE, "CUNMC": TOTAL_NAME,
                           "CK_MU": table["CK_MU"].sum(), "RK_MU": table["RK_MU"].sum(),
                           "KY_MU": table["KY_MU"].sum()}])
    table = pd.concat([table, total], ignore_index=True)
    table["CE_MU"] = table["RK_MU"] - table["CK_MU"]
    table["BJ"] = np.where(table["CE_MU"] >= -1e-6, "是", "否")
    return c, table[[f.name for f in BALANCE_FIELDS]]


def _parcel_mu(table, geoms):
    """Land area of each parcel in 亩: TBDLMJ, else TBMJ, else the planar area."""
    planar = shapely.area(geoms)
    for name in ("TBDLMJ", "TBMJ"):
        if name in table:
            v = pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float)
            return m2_to_mu(np.where(np.isnan(v), planar, v))
    return m2_to_mu(planar)


def _in_red_line(geoms, idx, red_line, min_overlap_m2):
    red = np.asarray([g for g in red_line if g is not None and not g.is_empty], dtype=object)
    if len(red) == 0:
        return np.zeros(len(idx), dtype=bool)
    tree = shapely.STRtree(red)
    pairs = tree.query(geoms[idx], predicate="intersects")
    overlap = np.zeros(len(idx))
    if pairs.shape[1]:
        a = shapely.area(shapely.intersection(geoms[idx][pairs[0]], red[pairs[1]]))
        overlap = np.bincount(pairs[0], a, minlength=len(idx))
    return overlap >= min_overlap_m2


def _shared_boundary_share(geoms, idx, farm_idx):
    """Share of each candidate's boundary within CONTACT_TOLERANCE_M of staying farmland."""
    share = np.zeros(len(geoms))
    if len(idx) == 0 or len(farm_idx) == 0:
        return share[idx]
    tree = shapely.STRtree(geoms[farm_idx])
    pairs = tree.query(geoms[idx], predicate="dwithin", distance=CONTACT_TOLERANCE_M) \
        if _has_dwithin() else tree.query(shapely.buffer(geoms[idx], CONTACT_TOLERANCE_M),
                                          predicate="intersects")
    if pairs.shape[1] == 0:
        return share[idx]
    rings = shapely.boundary(geoms[idx])
    near, which = np.unique(pairs[1], return_inverse=True)   # each farm buffered once
    touched = shapely.buffer(geoms[farm_idx][near], CONTACT_TOLERANCE_M)[which]
    length = shapely.length(shapely.intersection(rings[pairs[0]], touched))
    perimeter = shapely.length(rings)
    shared = np.bincount(pairs[0], length, minlength=len(idx))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip(np.where(perimeter > 0, shared / perimeter, 0.0), 0.0, 1.0)


def _has_dwithin():
    try:
        shapely.STRtree([shapely.Point(0, 0)]).query(shapely.Point(0, 0), predicate="dwithin",
                                                     distance=1.0)
        return True
    except Exception:  # noqa: BLE001 - shapely < 2.1
        return False


def village_name_map(table: pd.DataFrame) -> dict:
    if "ZLDWDM" not in table:
        return {}
    return village_names(table["ZLDWDM"], table["ZLDWMC"] if "ZLDWMC" in table else None)
