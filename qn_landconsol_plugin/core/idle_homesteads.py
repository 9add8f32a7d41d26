"""Idle rural homesteads (闲置宅基地) and hollow villages (空心村).

A homestead (DLBM 0702) is idle when the evidence says nobody lives there: no
building or a building cover below the threshold, its buildings all dilapidated /
collapsed / vacant, no resident or almost no electricity in the household
survey. Idle parcels get a reclamation target (复垦方向) and villages a hollowing
rate (空心化率) by count and by area. Plain functions over shapely/numpy/pandas,
shared by the toolbox algorithm and the potential survey.

What a count counts (REFERENCE §3): a 三调 0702 图斑 is one patch of homestead land of
one ownership unit, usually many households. Counts of homesteads (宗数) and hollowing
rates by count need the 宅基地宗地 layer (ZDDM, from 房地一体 registration): given it,
the units are 宗地 (the household survey keyed by ZDDM, the village from the ZDDM's
地籍子区) and the village table says 宗; without it the units are 图斑 and every count
and rate is labelled per 图斑 (village_fields, the TJDW column).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .fields import FieldSpec
from .rules import Rules
from .units import M2_PER_MU

NO_BUILDING = "无建筑"
LOW_COVERAGE = "建筑占比低"
NO_RESIDENT = "无常住人口"
LOW_ELECTRICITY = "用电量低"
# every reason XZ_YY may carry, in the order it lists them (building states from Rules)
IDLE_REASONS = (NO_BUILDING, LOW_COVERAGE, "危房", "倒塌", "空置", NO_RESIDENT, LOW_ELECTRICITY)
REASON_SEPARATOR = "、"

RECLAIM_FARMLAND = "耕地"
RECLAIM_FOREST_GARDEN = "林地/园地"
# inside the ecological red line: back to forest or grass is restoration, allowed
# (REFERENCE §3, 自然资发〔2022〕142号); 不宜复垦 only where a county switches that off
# (Rules.red_line_restoration)
RECLAIM_RESTORE = "林地/草地"
RECLAIM_UNSUITABLE = "不宜复垦"
# reclamation targets (FK_LX) and the village-table column that sums each
RECLAIM_TARGETS = (
    (RECLAIM_FARMLAND, "FK_GD_MU"),
    (RECLAIM_FOREST_GARDEN, "FK_LY_MU"),
    (RECLAIM_RESTORE, "FK_LC_MU"),
    (RECLAIM_UNSUITABLE, "BYFK_MU"),
)
# the targets that take the land out of construction (宅基地复垦 in the potential survey)
RECLAIMABLE = (RECLAIM_FARMLAND, RECLAIM_FOREST_GARDEN, RECLAIM_RESTORE)

# fields added to each homestead parcel
HOMESTEAD_FIELDS = (
    FieldSpec("CUN_DM", "str", 19, "村代码"),
    FieldSpec("JZ_MJ", "float", 19, "建筑面积(平方米)", 2),
    FieldSpec("JZ_FGL", "float", 7, "建筑覆盖率(%)", 2),
    FieldSpec("CZRK", "int", 6, "常住人口"),
    FieldSpec("NYDL", "float", 12, "年用电量(千瓦时)", 1),
    FieldSpec("PD_MEAN", "float", 6, "平均坡度(度)", 2),
    FieldSpec("HX_MJ", "float", 19, "生态保护红线内面积(平方米)", 2),
    FieldSpec("XZ", "int", 1, "是否闲置"),
    FieldSpec("XZ_YY", "str", 100, "闲置原因"),
    FieldSpec("XZ_MU", "float", 12, "闲置面积(亩)", 4),
    FieldSpec("FK_LX", "str", 10, "复垦方向"),
)

# the counting unit of the homesteads: 宅基地宗地 (ZDDM) or 三调 图斑
UNIT_ZONGDI, UNIT_TUBAN = "宗地", "图斑"
ZDDM_FIELD = "ZDDM"
ZDDM_VILLAGE_LENGTH = 12     # county 6 + 地籍区 3 + 地籍子区 3 (the administrative village)


def village_fields(unit: str = UNIT_TUBAN) -> tuple:
    """One row per village; counts and the rate by count say their unit (宗 or 图斑)."""
    n = "宗数" if unit == UNIT_ZONGDI else "图斑数"
    return (
        FieldSpec("PM", "int", 5, "排名"),
        FieldSpec("CUN_DM", "str", 19, "村代码"),
        FieldSpec("CUN_MC", "str", 100, "村名称"),
        FieldSpec("TJDW", "str", 4, "统计单元"),
        FieldSpec("ZJD_GS", "int", 8, f"宅基地{n}"),
        FieldSpec("ZJD_MU", "float", 14, "宅基地面积(亩)", 4),
        FieldSpec("XZ_GS", "int", 8, f"闲置{n}"),
        FieldSpec("XZ_MU", "float", 14, "闲置面积(亩)", 4),
        FieldSpec("KXL_SL", "float", 7, f"空心化率(按{n},%)", 2),
        FieldSpec("KXL_MJ", "float", 7, "空心化率(面积,%)", 2),
        FieldSpec("KXC", "int", 1, "空心村"),
        FieldSpec("FK_GD_MU", "float", 14, "可复垦为耕地(亩)", 4),
        FieldSpec("FK_LY_MU", "float", 14, "可复垦为林地/园地(亩)", 4),
        FieldSpec("FK_LC_MU", "float", 14, "红线内复垦为林地/草地(亩)", 4),
        FieldSpec("BYFK_MU", "float", 14, "不宜复垦(亩)", 4),
    )


# the village table of 三调 图斑 (no 宗地 layer): counts per 图斑
VILLAGE_FIELDS = village_fields(UNIT_TUBAN)
VILLAGE_FIELDS_ZONGDI = village_fields(UNIT_ZONGDI)


def counting_unit(zddm=None) -> str:
    """宗地 when every homestead has a ZDDM (a 宅基地宗地 layer), else 图斑."""
    if zddm is None:
        return UNIT_TUBAN
    keys = [normalize_key(k) for k in zddm]
    return UNIT_ZONGDI if keys and all(keys) else UNIT_TUBAN


def households_by_zongdi(household_keys, zddm, zongdi_parcel, parcel_keys) -> list:
    """The household survey keyed by ZDDM, re-keyed to the parcels: each household's
    宗地 (its ZDDM among `zddm`), that 宗地's parcel (`zongdi_parcel`, index into
    `parcel_keys`, -1 for none) and the parcel's key; None where the chain breaks (an
    unknown ZDDM, a 宗地 in no homestead parcel), so the row is reported unmatched."""
    parcel_of = {}
    for key, parcel in zip(zddm, zongdi_parcel):
        key = normalize_key(key)
        if key is not None and parcel >= 0:
            parcel_of.setdefault(key, parcel_keys[int(parcel)])
    return [parcel_of.get(normalize_key(k)) for k in household_keys]


def village_of_zddm(zddm) -> list:
    """The village code of each 宗地 from its ZDDM (county 6 + 地籍区 3 + 地籍子区 3)."""
    keys = [normalize_key(k) for k in zddm]
    return ["" if k is None else k[:ZDDM_VILLAGE_LENGTH] for k in keys]


# --------------------------------------------------------------------------- buildings

def _as_geoms(geoms) -> np.ndarray:
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    return arr


def merge_overlapping(building_geoms):
    """(footprints, cluster of each input) with overlapping footprints unioned, one
    polygon per connected overlap cluster; non-overlapping ones are passed through.
    Missing/empty footprints get cluster -1. Invalid ones are repaired first."""
    geoms = _as_geoms(building_geoms)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    idx = np.flatnonzero(present)
    cluster_of = np.full(len(geoms), -1, dtype=np.int64)
    if idx.size == 0:
        return np.empty(0, dtype=object), cluster_of
    g = geoms[idx]
    bad = ~shapely.is_valid(g)
    if bad.any():
        g = g.copy()
        g[bad] = shapely.make_valid(g[bad])
    tree = shapely.STRtree(g)
    left, right = tree.query(g, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if left.size:  # touching neighbours add no area: only interior overlaps join a cluster
        overlap = ~shapely.touches(g[left], g[right])
        left, right = left[overlap], right[overlap]
    n = g.size
    graph = coo_matrix((np.ones(left.size, dtype=np.int8), (left, right)), shape=(n, n))
    n_comp, labels = connected_components(graph, directed=False)
    out = np.empty(n_comp, dtype=object)
    sizes = np.bincount(labels, minlength=n_comp)
    single = sizes[labels] == 1
    out[labels[single]] = g[single]
    multi = np.flatnonzero(~single)
    if multi.size:
        order = multi[np.argsort(labels[multi], kind="stable")]
        groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
        for members in groups:
            out[labels[members[0]]] = shapely.union_all(g[members])
    cluster_of[idx] = labels
    return out, cluster_of


def building_area_in_parcels(parcel_geoms, building_geoms) -> np.ndarray:
    """Planar building area (m², in the geometries' CRS) inside each parcel: the union
    of the footprints intersected with the parcel, so overlapping footprints count
    once and a footprint straddling parcels counts only its part inside each."""
    parcels = _as_geoms(parcel_geoms)
    area = np.zeros(len(parcels), dtype=float)
    footprints, _ = merge_overlapping(building_geoms)
    if footprints.size == 0 or parcels.size == 0:
        return area
    present = ~(shapely.is_missing(parcels) | shapely.is_empty(parcels))
    tree = shapely.STRtree(footprints)
    p_idx, f_idx = tree.query(np.where(present, parcels, None), predicate="intersects")
    if p_idx.size == 0:
        return area
    shapely.prepare(parcels[present])
    inside = shapely.contains_properly(parcels[p_idx], footprints[f_idx])
    part = np.empty(p_idx.size, dtype=float)
    part[inside] = shapely.area(footprints[f_idx[inside]])
    cut = ~inside
    if cut.any():
        part[cut] = shapely.area(shapely.intersection(parcels[p_idx[cut]], footprints[f_idx[cut]]))
    np.add.at(area, p_idx, part)
    return area


def zone_of(geoms, zone_geoms) -> np.ndarray:
    """Index of the zone polygon holding each geometry's representative point, -1 if
    none (the first zone when zones overlap)."""
    geoms = _as_geoms(geoms)
    zones = _as_geoms(zone_geoms)
    result = np.full(len(geoms), -1, dtype=np.int64)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any() or zones.size == 0:
        return result
    points = np.full(len(geoms), None, dtype=object)
    points[present] = shapely.point_on_surface(geoms[present])
    tree = shapely.STRtree(zones)
    g_idx, z_idx = tree.query(points, predicate="intersects")
    # first (lowest) zone for each geometry
    order = np.lexsort((z_idx, g_idx))
    g_idx, z_idx = g_idx[order], z_idx[order]
    first = np.r_[True, g_idx[1:] != g_idx[:-1]] if g_idx.size else np.zeros(0, bool)
    result[g_idx[first]] = z_idx[first]
    return result


def building_status_reasons(parcel_geoms, building_geoms, building_status,
                            idle_status=None, rules: Rules | None = None) -> list:
    """Per parcel, the tuple of idle building states (危房/倒塌/空置...) when every
    building of the parcel has one; () when a building is in normal use, has no
    state, or the parcel has none. A building belongs to the parcel holding its
    representative point."""
    idle_status = tuple(idle_status if idle_status is not None else
                        (rules or Rules()).idle_building_status)
    n = len(parcel_geoms)
    owner = zone_of(building_geoms, parcel_geoms)
    status = [None if s is None or (isinstance(s, float) and np.isnan(s)) else str(s).strip()
              for s in building_status]
    seen = [set() for _ in range(n)]
    in_use = np.zeros(n, dtype=bool)
    for parcel, state in zip(owner, status):
        if parcel < 0:
            continue
        if state in idle_status:
            seen[parcel].add(state)
        else:
            in_use[parcel] = True
    return [() if in_use[i] or not seen[i] else tuple(s for s in idle_status if s in seen[i])
            for i in range(n)]


# --------------------------------------------------------------------------- households

def normalize_key(value):
    """Join key as text: '  000123 ' -> '000123', 123.0 -> '123', NULL -> None."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def household_summary(parcel_keys, household_keys, residents=None, kwh=None):
    """(frame with CZRK, NYDL, HH_N per parcel, unmatched household keys). Several
    households of one parcel add up; a parcel without survey rows gets NaN (unknown,
    not zero); survey keys that match no parcel are returned, not dropped silently."""
    pkeys = [normalize_key(k) for k in parcel_keys]
    hkeys = [normalize_key(k) for k in household_keys]
    n_hh = len(hkeys)
    frame = pd.DataFrame({
        "key": hkeys,
        "CZRK": pd.to_numeric(pd.Series(residents if residents is not None else [np.nan] * n_hh,
                                        dtype=object), errors="coerce").astype(float),
        "NYDL": pd.to_numeric(pd.Series(kwh if kwh is not None else [np.nan] * n_hh,
                                        dtype=object), errors="coerce").astype(float),
    })
    known = set(k for k in pkeys if k is not None)
    matched = frame["key"].isin(known)
    unmatched = [k for k in frame.loc[~matched, "key"].tolist()]
    sums = frame[matched].groupby("key").agg(
        CZRK=("CZRK", lambda s: s.sum(min_count=1)),
        NYDL=("NYDL", lambda s: s.sum(min_count=1)),
        HH_N=("key", "size"))
    out = sums.reindex(pkeys)
    out["HH_N"] = out["HH_N"].fillna(0).astype(int)
    return out.reset_index(drop=True), unmatched


# --------------------------------------------------------------------------- flags

def flag_idle(parcel_area_m2, building_area=None, status_reasons=None, residents=None,
              kwh=None, rules: Rules | None = None, coverage_min_pct=None,
              max_residents=None, min_kwh=None) -> pd.DataFrame:
    """JZ_MJ, JZ_FGL, XZ, XZ_YY for each homestead. Any reason makes it idle; evidence
    that is absent (None, or NaN for one parcel) gives no reason.
    parcel_area_m2 is the planar area in the CRS of building_area (for the cover)."""
    rules = rules or Rules()
    coverage_min = rules.homestead_coverage_min_pct if coverage_min_pct is None else coverage_min_pct
    max_res = rules.idle_max_residents if max_residents is None else max_residents
    kwh_min = rules.idle_max_kwh_per_year if min_kwh is None else min_kwh
    area = np.asarray(parcel_area_m2, dtype=float)
    n = area.size
    reasons = [[] for _ in range(n)]

    def add(mask, text):
        for i in np.flatnonzero(mask):
            reasons[i].append(text)

    if building_area is not None:
        built = np.asarray(building_area, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            cover = np.where(area > 0, 100.0 * built / area, np.nan)
        add(built <= 0, NO_BUILDING)
        add((built > 0) & (cover < coverage_min), LOW_COVERAGE)
    else:
        built = np.full(n, np.nan)
        cover = np.full(n, np.nan)
    if status_reasons is not None:
        for i, states in enumerate(status_reasons):
            reasons[i].extend(s for s in states if s not in reasons[i])
    if residents is not None:
        res = np.asarray(residents, dtype=float)
        with np.errstate(invalid="ignore"):
            add(res <= max_res, NO_RESIDENT)
    if kwh is not None:
        use = np.asarray(kwh, dtype=float)
        with np.errstate(invalid="ignore"):
            add(use < kwh_min, LOW_ELECTRICITY)
    return pd.DataFrame({
        "JZ_MJ": built,
        "JZ_FGL": cover,
        "XZ": np.array([1 if r else 0 for r in reasons], dtype=np.int64),
        "XZ_YY": [REASON_SEPARATOR.join(r) for r in reasons],
    })


def reclaim_target(idle, slope_deg=None, red_line_m2=None, rules: Rules | None = None) -> np.ndarray:
    """FK_LX of each idle parcel ('' for the others): inside the ecological red line
    (overlap ≥ Rules.overlap_min_area_m2) 林地/草地, restoration (不宜复垦 where
    Rules.red_line_restoration is off), 林地/园地 above the new-farmland slope limit (25°),
    else 耕地 (also when the slope is unknown)."""
    rules = rules or Rules()
    idle = np.asarray(idle).astype(bool)
    n = idle.size
    slope = np.full(n, np.nan) if slope_deg is None else np.asarray(slope_deg, dtype=float)
    red = np.zeros(n) if red_line_m2 is None else np.nan_to_num(np.asarray(red_line_m2, dtype=float))
    target = np.full(n, RECLAIM_FARMLAND, dtype=object)
    with np.errstate(invalid="ignore"):
        target[slope > rules.new_farmland_max_slope_deg] = RECLAIM_FOREST_GARDEN
    target[red >= rules.overlap_min_area_m2] = RECLAIM_RESTORE if rules.red_line_restoration \
        else RECLAIM_UNSUITABLE
    target[~idle] = ""
    return target


def red_line_overlap(parcel_geoms, red_line_geoms) -> np.ndarray:
    """m² of each parcel inside the red line (control_lines.overlap_areas when present)."""
    try:
        from .control_lines import overlap_areas
    except ImportError:
        overlap_areas = None
    if overlap_areas is not None:
        return np.asarray(overlap_areas(parcel_geoms, red_line_geoms), dtype=float)
    # overlapping red-line polygons must not count twice: same union-per-cluster rule
    return building_area_in_parcels(parcel_geoms, red_line_geoms)


# --------------------------------------------------------------------------- villages

def village_hollowing(village_codes, idle, area_m2, reclaim=None, village_names=None,
                      rules: Rules | None = None, hollow_min_pct=None,
                      unit: str = UNIT_TUBAN) -> pd.DataFrame:
    """One row per village (village_fields(unit)): homesteads, idle ones, 空心化率 by count
    and by area (idle/all, %), KXC where the rate by area reaches the threshold,
    reclaimable 亩 by target; ranked by rate by area, then idle 亩. The rows given are
    the counting units: 宗地 (a 宅基地宗地 layer, `unit` 宗地) or 三调 图斑; TJDW says which."""
    rules = rules or Rules()
    threshold = rules.hollow_village_min_pct if hollow_min_pct is None else hollow_min_pct
    codes = pd.Series([("" if c is None else str(c)) for c in village_codes], dtype=object)
    idle = np.asarray(idle).astype(bool)
    mu = np.asarray(area_m2, dtype=float) / M2_PER_MU
    reclaim = np.full(idle.size, "", dtype=object) if reclaim is None else np.asarray(reclaim, dtype=object)
    frame = pd.DataFrame({"CUN_DM": codes, "ZJD_MU": mu, "XZ": idle.astype(int),
                          "XZ_MU": np.where(idle, mu, 0.0)})
    for target, column in RECLAIM_TARGETS:
        frame[column] = np.where(idle & (reclaim == target), mu, 0.0)
    columns = [c for _, c in RECLAIM_TARGETS]
    table = frame.groupby("CUN_DM", sort=True).agg(
        ZJD_GS=("XZ", "size"), ZJD_MU=("ZJD_MU", "sum"), XZ_GS=("XZ", "sum"),
        XZ_MU=("XZ_MU", "sum"), **{c: (c, "sum") for c in columns}).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        table["KXL_SL"] = np.where(table["ZJD_GS"] > 0, 100.0 * table["XZ_GS"] / table["ZJD_GS"], 0.0)
        table["KXL_MJ"] = np.where(table["ZJD_MU"] > 0, 100.0 * table["XZ_MU"] / table["ZJD_MU"], 0.0)
    table["KXC"] = (table["KXL_MJ"] >= threshold).astype(int)
    names = village_names or {}
    table["CUN_MC"] = table["CUN_DM"].map(lambda c: names.get(c, "") or "")
    table = table.sort_values(["KXL_MJ", "XZ_MU", "CUN_DM"], ascending=[False, False, True],
                              kind="stable").reset_index(drop=True)
    table["PM"] = np.arange(1, len(table) + 1)
    table["TJDW"] = unit
    return table[[f.name for f in village_fields(unit)]]


def homestead_columns(village_codes, flags: pd.DataFrame, residents, kwh, slope_deg,
                      red_line_m2, area_m2, reclaim) -> dict:
    """{HOMESTEAD_FIELDS name: value per homestead}: the evidence (building area and
    cover, residents, electricity, slope, red-line area), the verdict (XZ, XZ_YY, idle
    亩) and the reclamation target; evidence not given is NULL."""
    n = len(flags)
    idle = flags["XZ"].to_numpy().astype(bool)
    missing = [None] * n
    return {
        "CUN_DM": village_codes,
        "JZ_MJ": np.round(flags["JZ_MJ"].to_numpy(), 2),
        "JZ_FGL": np.round(flags["JZ_FGL"].to_numpy(), 2),
        "CZRK": missing if residents is None else
        [None if v is None or np.isnan(v) else int(v) for v in residents],
        "NYDL": kwh if kwh is not None else missing,
        "PD_MEAN": np.round(slope_deg, 2) if slope_deg is not None else missing,
        "HX_MJ": np.round(red_line_m2, 2) if red_line_m2 is not None else missing,
        "XZ": flags["XZ"].to_numpy(),
        "XZ_YY": flags["XZ_YY"].tolist(),
        "XZ_MU": np.round(np.where(idle, np.asarray(area_m2, float) / M2_PER_MU, 0.0), 4),
        "FK_LX": reclaim,
    }
