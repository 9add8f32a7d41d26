"""三调 DLTB attributes of the parcels: land use from kind and terrain, 村民小组, order
and numbering, slope grades, 田坎 deductions and farmland details."""
from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

from ..core.fields import DLTB_SCHEMA
from ..core.land_classes import CONSTRUCTION, FARMLAND_CODES, category_of, name_of
from ..core.slope import slope_grade
from .site import (COUNTY_CODE, DITCH, GENERAL, HAMLET_RING, HIGHWAY, HOMESTEAD, INDUSTRY, ROAD,
                   TOWN, index_groups)


SJNF = 2023
YSDM = "2001010100"


LINEAR_CODES = {HIGHWAY: "1003", ROAD: "1006", DITCH: "1107"}

# 扣除地类系数 (田坎 share) by GDLX and slope grade, Guizhou-like values
KCXS_TABLE = {     # index = slope grade (0 unused)
    "TT": (0.0, 0.0, 0.035, 0.077, 0.129, 0.174),
    "PD": (0.0, 0.0, 0.031, 0.066, 0.112, 0.152),
}
TT_SHARE = (0.0, 0.0, 0.5, 0.45, 0.35, 0.25)   # share of 梯田 among dry farmland by grade
TBXH_NAMES = {"SMGD": "石漠化耕地", "LQGD": "林区耕地"}
ZZSX_NAMES = {"LS": "种植粮食作物", "FLS": "种植非粮作物", "LYFL": "粮与非粮轮作",
              "XG": "休耕", "WG": "未耕种"}
CZCS_OF_KIND = {HOMESTEAD: "203", HAMLET_RING: "203", TOWN: "202", INDUSTRY: "202"}

# land use by terrain class: (codes, probabilities)
LAND_USE_TABLES = {
    "valley": (("0101", "0103", "0102", "0301K", "0201", "0202", "1104", "0404",
                "0301", "1201"),
               (0.62, 0.13, 0.03, 0.03, 0.04, 0.03, 0.03, 0.03, 0.05, 0.01)),
    "hollow": (("0103", "0101", "0301", "0305", "0404", "0201", "0202", "0201K"),
               (0.40, 0.12, 0.15, 0.10, 0.08, 0.06, 0.06, 0.03)),
    "gentle": (("0103", "0101", "0201", "0201K", "0202", "0301", "0301K", "0305",
                "0307", "0404"),
               (0.36, 0.04, 0.07, 0.03, 0.09, 0.17, 0.04, 0.10, 0.04, 0.06)),
    "steep": (("0103", "0301", "0305", "0307", "0202", "0201", "0404", "1206", "1207"),
              (0.18, 0.29, 0.20, 0.08, 0.05, 0.03, 0.10, 0.02, 0.05)),
    "cliff": (("0103", "0301", "0305", "0307", "0404", "1207", "1206"),
              (0.08, 0.31, 0.26, 0.08, 0.12, 0.12, 0.03)),
    "ring": (("0103", "0101", "1201", "0201", "0301", "0305", "0404", "0202", "1202",
              "1104"),
             (0.40, 0.10, 0.08, 0.08, 0.08, 0.06, 0.08, 0.04, 0.04, 0.04)),
    "town": (("05H1", "0701", "08H1", "08H2", "0810", "1004", "0601"),
             (0.34, 0.36, 0.05, 0.10, 0.03, 0.05, 0.07)),
    "industry": (("0601", "0508", "1201"), (0.80, 0.10, 0.10)),
}


def assign_land_use(rng, parcels) -> np.ndarray:
    """DLBM of each parcel from its kind, slope and valley weight."""
    n = len(parcels.geoms)
    terrain = np.select(
        [(parcels.slope <= 6) & (parcels.basin > 0.5), parcels.slope <= 6, parcels.slope <= 15,
         parcels.slope <= 25], ["valley", "hollow", "gentle", "steep"], "cliff")
    fringe = (parcels.kind == HAMLET_RING) | ((parcels.kind == HOMESTEAD) & (parcels.area > 600))
    table_of = np.where(fringe, "ring",
                        np.where(parcels.kind == TOWN, "town",
                                 np.where(parcels.kind == INDUSTRY, "industry", terrain)))
    codes = np.empty(n, dtype=object)
    for name in LAND_USE_TABLES:
        idx = np.flatnonzero(table_of == name)
        options, probs = LAND_USE_TABLES[name]
        codes[idx] = rng.choice(np.array(options, dtype=object), size=len(idx), p=probs)
    home = (parcels.kind == HOMESTEAD) & (parcels.area >= 150) & (parcels.area <= 600)
    codes[home] = "0702"
    codes[(parcels.kind == HOMESTEAD) & (parcels.area < 150)] = "1201"
    for kind, code in LINEAR_CODES.items():
        codes[parcels.kind == kind] = code
    # 1104 ponds are small: large valley cells drawn as ponds become paddy instead
    codes[(codes == "1104") & (parcels.area > 6000)] = "0101"
    mine = np.flatnonzero((parcels.kind == GENERAL) & (parcels.slope > 12) & (parcels.slope < 35)
                          & (parcels.area > 4000) & (parcels.area < 40000))
    if len(mine):
        codes[rng.choice(mine)] = "0602"
    return codes


def assign_groups(rng, parcels):
    """村民小组 of each parcel: nearest of a few group seeds within its village."""
    xy = shapely.get_coordinates(shapely.point_on_surface(parcels.geoms))
    group = np.zeros(len(xy), int)
    for idx in index_groups(parcels.village, parcels.village.max() + 1):
        if len(idx) == 0:
            continue
        k = int(np.clip(round(len(idx) / 60), 2, 9))
        k = min(k, len(idx))
        seeds = xy[idx[rng.choice(len(idx), size=k, replace=False)]]
        group[idx] = cKDTree(seeds).query(xy[idx])[1]
    parcels.group = group


def parcel_order(parcels) -> np.ndarray:
    """Parcel order: village, then north-to-south bands of 200 m, then west to east."""
    xy = shapely.get_coordinates(shapely.point_on_surface(parcels.geoms))
    return np.lexsort((xy[:, 0], np.floor(-xy[:, 1] / 200.0), parcels.village))


def reorder(parcels, order):
    """Apply a permutation to every per-parcel array."""
    for name in ("geoms", "village", "kind", "width", "group", "slope", "elev", "basin",
                 "area", "code"):
        setattr(parcels, name, getattr(parcels, name)[order])


def renumber_ids(ids, order) -> np.ndarray:
    """Rewrite a parcel-id raster (index + 1) after reordering the parcels."""
    lut = np.zeros(len(order) + 1, np.int32)
    lut[order + 1] = np.arange(1, len(order) + 1, dtype=np.int32)
    return lut[ids]


def dltb_records(rng, site, parcels) -> dict:
    """Column arrays of the DLTB attributes, in DLTB_SCHEMA order."""
    n = len(parcels.geoms)
    codes = parcels.code
    cun = np.array(site.village_codes, dtype=object)[parcels.village]
    zldwdm = np.array([f"{c}{g + 1:03d}0000" for c, g in zip(cun, parcels.group)], dtype=object)
    zldwmc = np.array(site.village_names, dtype=object)[parcels.village]
    names = {c: name_of(c) for c in set(codes.tolist())}
    rec = {f.name: np.full(n, None, dtype=object) for f in DLTB_SCHEMA}
    rec["BSM"] = np.array([f"{COUNTY_CODE}21{i + 1:010d}" for i in range(n)], dtype=object)
    rec["YSDM"][:] = YSDM
    rec["TBBH"] = _numbers_per_group(parcels.village)
    rec["TBYBH"] = rec["TBBH"].copy()
    rec["DLBM"] = codes
    rec["DLMC"] = np.array([names[c] for c in codes], dtype=object)
    rec["QSXZ"][:] = "30"
    rec["QSDWDM"], rec["ZLDWDM"] = zldwdm, zldwdm.copy()
    rec["QSDWMC"], rec["ZLDWMC"] = zldwmc, zldwmc.copy()
    rec["TBMJ"] = parcels.area
    rec["SJNF"][:] = SJNF
    _farmland_fields(rng, parcels, rec)
    linear = np.isin(parcels.kind, list(LINEAR_CODES))
    rec["XZDWKD"][linear] = np.round(parcels.width[linear], 1)
    construction = np.array([category_of(c) == CONSTRUCTION for c in codes])
    for kind, czcs in CZCS_OF_KIND.items():
        rec["CZCSXM"][(parcels.kind == kind) & construction] = czcs
    rec["CZCSXM"][codes == "0702"] = "203"
    rec["CZCSXM"][codes == "0602"] = "204"
    rec["BZ"][codes == "0602"] = "废弃矿山"
    return rec


def _numbers_per_group(key) -> np.ndarray:
    """'1', '2', ... restarting for each value of key (key runs are contiguous)."""
    out = np.empty(len(key), dtype=object)
    start = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    ends = np.r_[start[1:], len(key)]
    for s, e in zip(start, ends):
        out[s:e] = [str(i) for i in range(1, e - s + 1)]
    return out


def _farmland_fields(rng, parcels, rec):
    """Slope grade (mostly right, some off by one or two), 梯田/坡地, 田坎 deduction and
    the farmland detail codes; non-farmland keeps KCXS 0 and TBDLMJ = TBMJ."""
    n = len(parcels.geoms)
    farm = np.isin(parcels.code, list(FARMLAND_CODES))
    true_grade = slope_grade(parcels.slope).astype(int)
    true_grade[true_grade == 0] = 1
    off = rng.choice([0, 1, 2], size=n, p=[0.9, 0.08, 0.02]) * rng.choice([-1, 1], size=n)
    grade = true_grade + off
    grade = np.where((grade < 1) | (grade > 5), true_grade - off, grade)
    tt_share = np.where(parcels.code == "0101", 0.9, np.asarray(TT_SHARE)[grade])
    terraced = rng.random(n) < tt_share
    gdlx = np.where(terraced, "TT", "PD")
    kcxs = np.where(terraced, np.asarray(KCXS_TABLE["TT"])[grade],
                    np.asarray(KCXS_TABLE["PD"])[grade])
    kcxs = np.where(farm, kcxs, 0.0)
    kcmj = np.round(parcels.area * kcxs, 2)
    rec["KCXS"] = kcxs
    rec["KCMJ"] = kcmj
    rec["TBDLMJ"] = np.round(parcels.area - kcmj, 2)
    rec["KCDLBM"][kcxs > 0] = "1203"
    rec["GDLX"][farm & (grade > 1)] = gdlx[farm & (grade > 1)]
    rec["GDPDJB"][farm] = grade[farm].astype(str)
    karst = farm & (parcels.slope > 15) & (parcels.basin < 0.5)
    tbxh = np.where(karst & (rng.random(n) < 0.35), "SMGD",
                    np.where(farm & (grade >= 3) & (rng.random(n) < 0.04), "LQGD", ""))
    tbxh = np.where(farm & (tbxh == "") & (grade >= 3) & (rng.random(n) < 0.05), "SMGD", tbxh)
    has = tbxh != ""
    rec["TBXHDM"][has] = tbxh[has]
    rec["TBXHMC"][has] = [TBXH_NAMES[c] for c in tbxh[has]]
    zz = rng.choice(["LS", "FLS", "LYFL", "XG", "WG", ""], size=n,
                    p=[0.55, 0.18, 0.07, 0.03, 0.05, 0.12])
    has = farm & (zz != "")
    rec["GDZZSXDM"][has] = zz[has]
    rec["GDZZSXMC"][has] = [ZZSX_NAMES[c] for c in zz[has]]
    gddb = np.clip(np.round(8.5 + 0.8 * grade + rng.normal(0, 1.0, n)), 7, 15).astype(int)
    rec["GDDB"][farm] = gddb[farm].tolist()
