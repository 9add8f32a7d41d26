"""The per-parcel verdict of the potential survey: which potential types each parcel
has, its area and the new farmland it brings, every rule reused from its own module."""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from ..areas import parcel_area_m2
from .. import consolidation, contiguity, control_lines, farmland_swap, task_totals
from .. import idle_homesteads as ih
from .. import slope_farmland as sf
from ..land_classes import (BARE_ROCK_CODE, FARMLAND_CODES, IDLE_LAND_CODE, RESERVE_LAND_CODES,
                            base_codes, unknown_codes)
from ..rules import Rules
from ..slope import slope_grade
from ..units import M2_PER_MU
from .catalogue import (FAMILIES, NEED_DEM, NEED_EVIDENCE, NEED_KCXS, NEED_RED_LINE, NEED_SLOPE,
                        POTENTIAL_TYPES, SEPARATOR, Households, Survey, note)

# village settlement (村庄) CZCSXM of the 1201 空闲地 reclaimed in 建设用地整理
VILLAGE_CZCSXM = ("203", "203A")
ROCKY_TBXHDM = "SMGD"
ABANDONED_MARK = "废弃"
MINE_CODE = "0602"
HOMESTEAD_CODE = "0702"
PADDY_UPGRADE_CODE = "0103"
PADDY_UPGRADE_MAX_GRADE = 2
TERRACE_GDLX = "TT"


def _col(table: pd.DataFrame, name: str, n: int) -> np.ndarray:
    if name in table.columns:
        return pd.to_numeric(table[name], errors="coerce").to_numpy(float)
    return np.full(n, np.nan)


def _text(table: pd.DataFrame, name: str, n: int) -> np.ndarray:
    if name not in table.columns:
        return np.full(n, "", dtype=object)
    return table[name].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v))
                           else str(v).strip()).to_numpy(dtype=object)


def grades(table: pd.DataFrame, slope_deg) -> np.ndarray:
    """Slope grade 1..5 of each parcel: the recorded GDPDJB, else the grade of the DEM
    mean slope, 0 when neither is known."""
    n = len(table)
    rec = sf.recorded_grade(table["GDPDJB"]) if "GDPDJB" in table.columns else np.zeros(n, np.int8)
    comp = slope_grade(np.asarray(slope_deg, float))
    return np.where(rec > 0, rec, comp).astype(np.int8)


def _zone(geoms):
    if geoms is None:
        return None
    if isinstance(geoms, control_lines.ZoneIndex):
        return geoms
    return control_lines.ZoneIndex(geoms)


def abandoned_mines(table: pd.DataFrame, listed_ids=(), id_field: str = "BSM") -> np.ndarray:
    """Abandoned mining land: DLBM 0602 whose BZ contains 废弃, or whose `id_field`
    value is in `listed_ids`."""
    n = len(table)
    codes = base_codes(table["DLBM"]) if "DLBM" in table else \
        np.full(n, "", dtype=object)
    mine = codes == MINE_CODE
    bz = _text(table, "BZ", n)
    marked = np.array([ABANDONED_MARK in b for b in bz], dtype=bool)
    listed = np.zeros(n, dtype=bool)
    ids = {str(v).strip() for v in listed_ids if str(v).strip()}
    if ids and id_field in table.columns:
        listed = np.isin(_text(table, id_field, n), list(ids))
    return mine & (marked | listed)


def survey(geoms, table: pd.DataFrame, slope: pd.DataFrame | None = None,
           red_line=None, pbf=None, udb=None, buildings=None, building_status=None,
           households: Households | None = None, abandoned_ids=(), area_m2=None,
           rules: Rules | None = None, progress=None) -> Survey:
    """Potential types of every parcel. `geoms` shapely polygons (projected CRS),
    `table` 三调 attributes by canonical name, `slope` the DEM slope per parcel
    (slope.parcel_slope: PD_MEAN, PD_GT; None without DEM), control lines and
    buildings as shapely geometries in the same CRS (None when not given),
    `area_m2` the parcel area used where TBMJ is missing (default planar)."""
    rules = rules or Rules()
    geoms = np.asarray(geoms, dtype=object)
    table = table.reset_index(drop=True)
    n = len(geoms)
    step = progress or (lambda f: None)
    skipped, notes = [], []
    planar = shapely.area(geoms)
    planar = np.where(np.isnan(planar), 0.0, planar)
    area = parcel_area_m2(table, planar if area_m2 is None else area_m2)
    codes = base_codes(table["DLBM"]) if "DLBM" in table else \
        np.full(n, "", dtype=object)
    farmland = contiguity.is_farmland_code(codes, FARMLAND_CODES) if n else np.zeros(0, bool)
    farm_m2 = np.where(farmland, contiguity.farmland_area_m2(table, planar), 0.0)
    slope_deg = slope["PD_MEAN"].to_numpy(float) if slope is not None else np.full(n, np.nan)
    has_dem = slope is not None
    has_gdpdjb = "GDPDJB" in table.columns
    available = {NEED_DEM: has_dem, NEED_SLOPE: has_dem or has_gdpdjb,
                 NEED_RED_LINE: red_line is not None,
                 NEED_EVIDENCE: buildings is not None or households is not None,
                 NEED_KCXS: "KCXS" in table.columns}

    # slope farmland, exactly as the slope-farmland algorithm flags it
    flags = sf.flag_slope_farmland(table, slope, rules.slope_farmland_deg, FARMLAND_CODES,
                                   rules.unstable_tbxhdm, True, area_m2=planar)
    pgd = flags["PGD"].to_numpy() == 1
    bwd = flags["BWD"].to_numpy() == 1
    step(0.15)

    # control lines
    zones = {"HX": _zone(red_line), "JBNT": _zone(pbf), "KFBJ": _zone(udb)}
    overlaps, zone_area = {}, {}
    for key, zone in zones.items():
        if zone is not None:
            overlaps[key] = zone.overlap(geoms)
            zone_area[key] = zone.area
    min_area = rules.overlap_min_area_m2
    in_red = overlaps["HX"] >= min_area if "HX" in overlaps else np.zeros(n, bool)
    in_udb = overlaps["KFBJ"] >= min_area if "KFBJ" in overlaps else np.zeros(n, bool)
    if udb is None:
        notes.append(note("NO_UDB"))
    if red_line is None:
        notes.append(note("NO_RED_LINE"))
    step(0.35)

    grade = grades(table, slope_deg)
    with np.errstate(invalid="ignore"):
        steep = slope_deg > rules.reserve_max_slope_deg
        gentle = slope_deg <= rules.reserve_max_slope_deg
    masks = {}
    grade_txt = consolidation.grade_text(grade)
    red_m2 = overlaps.get("HX")

    # 林耕置换 (the swap's own candidates and balance, net of 田坎 on both sides)
    swap = None
    if available[NEED_DEM]:
        cand = farmland_swap.find_swap_candidates(
            geoms, table, farmland, bwd, slope_deg,
            zones["HX"].tiles if isinstance(red_line, control_lines.ZoneIndex) else red_line,
            rules.swap_in_max_slope_deg,
            rules.swap_max_distance_m, rules.overlap_min_area_m2,
            farmland_mu=flags["GD_MU"].to_numpy(), rules=rules)
        names = farmland_swap.village_name_map(table)
        swap, _ = farmland_swap.balance(cand, names)
        chosen = swap[(swap["ZH_LX"] == farmland_swap.IN) & (swap["ZH_XZ"] == 1)]
        masks["swap_in"] = np.zeros(n, bool)
        masks["swap_in"][chosen["index"].to_numpy(int)] = True
        masks["swap_out"] = bwd & ~pgd
    # farmland that leaves (坡耕地退出, 林耕置换 out) gets no farmland work
    leaving = pgd | masks.get("swap_out", np.zeros(n, bool))
    swapped_in = masks.get("swap_in", np.zeros(n, bool))

    # 田坎归并: KCXS above the merged coefficient of its grade and type (grade 1: none)
    gdlx = _text(table, "GDLX", n)
    terraced = (gdlx == TERRACE_GDLX) if "GDLX" in table.columns else np.ones(n, bool)
    if "GDLX" not in table.columns:
        notes.append(note("NO_GDLX"))
    if available[NEED_KCXS] and available[NEED_SLOPE]:
        cand = farmland & terraced & ~leaving & ~in_red & (grade > 1)
        trial = consolidation.outcome(table, np.where(cand, consolidation.TERRACE, ""), None,
                                      rules, grade_txt, area)
        masks["terrace"] = cand & (trial["XZGD"].to_numpy() > 0)

    # 宜耕后备资源开发 (1207 only where the county switches it on; 1201 is not reserve land)
    reserve_codes = RESERVE_LAND_CODES + ((BARE_ROCK_CODE,) if rules.reserve_includes_bare_rock
                                          else ())
    reserve_kind = np.isin(codes, reserve_codes)
    if available[NEED_DEM] and available[NEED_RED_LINE]:
        # 0404 chosen to come down in the swap is counted there, not twice
        masks["reserve"] = reserve_kind & gentle & ~in_red & ~in_udb & ~swapped_in

    # 旱改水
    if available[NEED_SLOPE]:
        masks["paddy"] = (codes == PADDY_UPGRADE_CODE) & (grade > 0) & \
            (grade <= PADDY_UPGRADE_MAX_GRADE) & ~in_red & ~leaving

    # 坡耕地退出 / 水土流失治理: farmland flagged PGD; 林耕置换 out = other unstable farmland
    if available[NEED_SLOPE]:
        masks["slope_exit"] = pgd.copy()
        masks["erosion"] = pgd.copy()
    step(0.45)

    # 宅基地复垦 (idle homesteads, the idle-homestead rules)
    home = codes == HOMESTEAD_CODE
    hidx = np.flatnonzero(home)
    homesteads = pd.DataFrame({"index": hidx, "XZ": 0, "XZ_YY": "", "FK_LX": ""})
    home_to_farm = np.zeros(n, bool)
    if available[NEED_EVIDENCE] and len(hidx):
        hgeoms = geoms[hidx]
        b_area = status = None
        if buildings is not None:
            bgeoms = np.asarray(buildings, dtype=object)
            b_area = ih.building_area_in_parcels(hgeoms, bgeoms)
            if building_status is not None:
                status = ih.building_status_reasons(hgeoms, bgeoms, list(building_status),
                                                    rules.idle_building_status)
        residents = kwh = None
        if households is not None:
            keys = table[households.parcel_key].iloc[hidx].tolist() \
                if households.parcel_key in table.columns else [None] * len(hidx)
            summary_hh, _ = ih.household_summary(keys, households.keys, households.residents,
                                                 households.kwh)
            residents = summary_hh["CZRK"].to_numpy() if households.residents is not None else None
            kwh = summary_hh["NYDL"].to_numpy() if households.kwh is not None else None
        idle = ih.flag_idle(planar[hidx], b_area, status, residents, kwh, rules)
        is_idle = idle["XZ"].to_numpy().astype(bool)
        reclaim = ih.reclaim_target(is_idle, slope_deg[hidx] if has_dem else None,
                                    red_m2[hidx] if red_m2 is not None else None, rules)
        homesteads = pd.DataFrame({"index": hidx, "XZ": idle["XZ"].to_numpy(),
                                   "XZ_YY": idle["XZ_YY"].to_numpy(), "FK_LX": reclaim})
        mask = np.zeros(n, bool)
        mask[hidx] = np.isin(reclaim, ih.RECLAIMABLE)
        home_to_farm[hidx] = reclaim == ih.RECLAIM_FARMLAND
        masks["homestead"] = mask
        if not has_dem:
            notes.append(note("HOMESTEAD_NO_DEM"))

    # 空闲地复垦: village 1201 (construction land) reclaimed to farmland, 建设用地整理
    czcs = np.array([c.upper() for c in _text(table, "CZCSXM", n)], dtype=object)  # not a DLBM
    village_idle = (codes == IDLE_LAND_CODE) & np.isin(czcs, VILLAGE_CZCSXM)
    masks["idle_land"] = np.zeros(n, bool)
    if village_idle.any():
        kidx = np.flatnonzero(village_idle)
        target = ih.reclaim_target(np.ones(len(kidx), bool), slope_deg[kidx] if has_dem else None,
                                   red_m2[kidx] if red_m2 is not None else None, rules)
        masks["idle_land"][kidx] = target == ih.RECLAIM_FARMLAND

    # 工矿废弃地复垦 / 矿山生态修复: the same reclamation-target rule as homesteads
    mines = abandoned_mines(table, abandoned_ids)
    if mines.any():
        midx = np.flatnonzero(mines)
        target = ih.reclaim_target(np.ones(len(midx), bool), slope_deg[midx] if has_dem else None,
                                   red_m2[midx] if red_m2 is not None else None, rules)
        to_farm = np.zeros(n, bool)
        to_farm[midx] = target == ih.RECLAIM_FARMLAND
        masks["mine"] = to_farm
        masks["mine_eco"] = mines & ~to_farm
        if not has_dem:
            notes.append(note("MINE_NO_DEM"))
    else:
        masks["mine"] = np.zeros(n, bool)
        masks["mine_eco"] = np.zeros(n, bool)
    step(0.7)

    # 石漠化治理 (1207 when it is not reserve land: the rocky desertification itself)
    tbxh = np.array([t.upper() for t in _text(table, "TBXHDM", n)], dtype=object)
    bare = np.isin(codes, ("1206", BARE_ROCK_CODE, "0404"))
    rocky = farmland & (tbxh == ROCKY_TBXHDM)
    rocky |= bare & (in_red | (steep if has_dem else np.zeros(n, bool)))
    if not rules.reserve_includes_bare_rock:
        rocky |= codes == BARE_ROCK_CODE
    if "reserve" in masks:
        rocky &= ~masks["reserve"]
    rocky &= ~swapped_in
    masks["rocky"] = rocky
    if not has_dem:
        notes.append(note("ROCKY_NO_DEM"))

    for t in POTENTIAL_TYPES:
        missing = [need for need in t.needs if not available[need]]
        if missing:
            masks.pop(t.key, None)
            skipped.append((t.zh, tuple(missing)))

    # what the potential does to each parcel: the one outcome (core.consolidation)
    effect, source = _effects(masks, n, home_to_farm)
    built = np.full(n, "", dtype=object)
    task_codes = _layer_tasks(table)
    if task_codes is not None:     # new construction tagged in the layer wins (rule R2)
        tag_effect, _ = consolidation.task_effects(table, task_codes, rules)
        new_building = tag_effect == consolidation.NEW_CONSTRUCTION
        effect = np.where(new_building, consolidation.NEW_CONSTRUCTION, effect)
        source = np.where(new_building, "", source)
        built = np.array([rules.class_after.get(t, "") for t in task_codes], dtype=object)
    result_outcome = consolidation.outcome(table, effect, source, rules, grade_txt, area,
                                           class_after=built)
    net = (result_outcome["GD_H"] - result_outcome["GD_Q"]).to_numpy(float)
    result_outcome["BSM"] = _text(table, "BSM", n)
    result_outcome["PD"] = slope_deg
    result_outcome["GDDB"] = _col(table, "GDDB", n)
    result_outcome["JBNT"] = overlaps["JBNT"] if "JBNT" in overlaps else np.nan
    result_outcome["HX"] = overlaps["HX"] if "HX" in overlaps else np.nan
    farm_m2 = result_outcome["GD_Q"].to_numpy(float)

    # long list of (parcel, type), whether it counts for its family's target, and
    # per-parcel fields
    precedence = rules.target_precedence
    frames = []
    for t in POTENTIAL_TYPES:
        if t.key not in masks:
            continue
        idx = np.flatnonzero(masks[t.key])
        beaten = np.zeros(n, bool)
        for winner in precedence.get(t.key, ()):
            if winner in masks:
                beaten |= masks[winner]
        frames.append(pd.DataFrame({"parcel": idx, "type": t.zh, "family": t.family,
                                    "area_m2": area[idx],
                                    "new_m2": net[idx] if t.method else 0.0,
                                    "counted": ~beaten[idx]}))
    items = pd.concat(frames, ignore_index=True) if frames else \
        pd.DataFrame({"parcel": pd.Series(dtype=int), "type": pd.Series(dtype=object),
                      "family": pd.Series(dtype=object), "area_m2": pd.Series(dtype=float),
                      "new_m2": pd.Series(dtype=float), "counted": pd.Series(dtype=bool)})
    ql = np.full(n, "", dtype=object)
    fam = np.full(n, "", dtype=object)
    any_type = np.zeros(n, dtype=bool)
    for t in POTENTIAL_TYPES:
        if t.key not in masks:
            continue
        m = masks[t.key]
        ql[m] = ql[m] + SEPARATOR + t.zh
        any_type |= m
    for f in FAMILIES:
        has = np.zeros(n, bool)
        for t in POTENTIAL_TYPES:
            if t.family == f.code and t.key in masks:
                has |= masks[t.key]
        fam[has] = fam[has] + SEPARATOR + f.zh
    ql = np.array([s[1:] if s else None for s in ql], dtype=object)
    fam = np.array([s[1:] if s else None for s in fam], dtype=object)
    construction = result_outcome["JS_Q"].to_numpy() > 0
    leaves = construction & (result_outcome["JS_H"].to_numpy() == 0)
    qmj = np.where(any_type, area, np.nan)
    parcels = pd.DataFrame({
        "QL_LX": ql, "QL_FAMILY": fam, "QL_MJ": np.round(qmj, 2),
        "XZGD_MJ": np.where(any_type, np.round(net, 2), np.nan),
        "QL_MU": np.round(qmj / M2_PER_MU, 4)})
    unknown = unknown_codes(table["DLBM"]) if "DLBM" in table.columns else ()
    if unknown:
        notes.append(note("UNKNOWN_CODES", codes="、".join(unknown)))
    step(0.8)
    return Survey(parcels, items, area, farm_m2, construction, leaves, flags,
                  overlaps, zone_area, homesteads, swap, slope_deg, masks, skipped, notes,
                  result_outcome, unknown)


# the outcome of each potential type: (effect, new-farmland source); the last one a
# parcel has wins (a parcel leaving farmland has no other farmland work)
TYPE_EFFECTS = (
    ("paddy", consolidation.PADDY, ""),
    ("terrace", consolidation.TERRACE, "terrace"),
    ("reserve", consolidation.TO_FARMLAND, "reserve"),
    ("swap_in", consolidation.TO_FARMLAND, "swap_in"),
    ("idle_land", consolidation.TO_FARMLAND, "homestead"),
    ("mine", consolidation.TO_FARMLAND, "mine"),
    ("mine_eco", consolidation.TO_FOREST, ""),
    ("swap_out", consolidation.FROM_FARMLAND, ""),
    ("slope_exit", consolidation.FROM_FARMLAND, ""),
)


def _effects(masks: dict, n: int, home_to_farm):
    """(effect, source) per parcel from the potential types (TYPE_EFFECTS); homesteads
    go to farmland or to forest by their reclamation target."""
    effect = np.full(n, "", dtype=object)
    source = np.full(n, "", dtype=object)
    if "homestead" in masks:
        home = masks["homestead"]
        effect[home] = np.where(home_to_farm[home], consolidation.TO_FARMLAND,
                                consolidation.TO_FOREST)
        source[home & home_to_farm] = "homestead"
    for key, eff, src in TYPE_EFFECTS:
        if key in masks:
            m = masks[key]
            if eff == consolidation.TERRACE:   # 旱改水 and 田坎归并 on one parcel: both
                both = m & (effect == consolidation.PADDY)
                effect[m] = eff
                effect[both] = consolidation.TERRACE + "+" + consolidation.PADDY
            else:
                effect[m] = eff
            source[m] = src
    return effect, source


def _layer_tasks(table: pd.DataFrame):
    """The task code of each parcel when the layer carries the dock's tags, else None."""
    if "ZZLX" not in table.columns and "ZZZLX" not in table.columns:
        return None
    tags = task_totals.resolve_tags(table)
    return task_totals.task_codes(tags).to_numpy(dtype=object)
