"""Consolidation potential survey (整治潜力调查评估): where the potential of a
county or township lies, how much, and whether it can meet the targets.

Every rule is reused from its own module, never copied: slope farmland
(slope_farmland.flag_slope_farmland), idle homesteads and their reclamation
target (idle_homesteads), overlaps with the control lines
(control_lines.ZoneIndex), the forest-farmland swap (farmland_swap), the
new-farmland formulas (task_totals.new_farmland_m2) and the farmland blocks
(contiguity). This module adds the potential-type table, the per-parcel
verdict, the summaries, the rule checks (REFERENCE §3), the workbook and the
HTML report. No QGIS here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from . import contiguity, control_lines, farmland_swap, task_totals
from . import idle_homesteads as ih
from . import slope_farmland as sf
from .areas import parcel_area_m2
from .fields import FieldSpec
from .land_classes import (CONSTRUCTION, FARMLAND_CODES, RESERVE_LAND_CODES,
                           VILLAGE_IDLE_LAND_CODE, base_codes, category_of)
from .rules import Rules, Targets
from .slope import slope_grade
from .units import M2_PER_MU
from .villages import admin_code

SEPARATOR = ";"
TOTAL_CODE, TOTAL_NAME = "合计", "合计"
PASS, FAIL, NOT_CHECKED = "通过", "不通过", "未检查"

# inputs a potential type may need; without one the type is skipped (reason in Chinese)
NEED_DEM, NEED_SLOPE, NEED_RED_LINE, NEED_EVIDENCE, NEED_KCXS = (
    "DEM", "SLOPE", "RED_LINE", "EVIDENCE", "KCXS")
NEED_REASONS = {
    NEED_DEM: "未提供 DEM，无法计算非耕地图斑的坡度",
    NEED_SLOPE: "未提供 DEM，且图斑无耕地坡度级别 GDPDJB",
    NEED_RED_LINE: "未提供生态保护红线，无法排除红线内图斑",
    NEED_EVIDENCE: "未提供建筑物轮廓和农户调查表，无法判定宅基地是否闲置",
    NEED_KCXS: "图斑无扣除地类系数 KCXS 字段",
}

# village settlement (村庄) CZCSXM of 1201 空闲地 counted as reserve land
VILLAGE_CZCSXM = ("203", "203A")
ROCKY_TBXHDM = "SMGD"
ABANDONED_MARK = "废弃"
MINE_CODE = "0602"
HOMESTEAD_CODE = "0702"
PADDY_UPGRADE_CODE = "0103"
PADDY_UPGRADE_MAX_GRADE = 2
TERRACE_GDLX = "TT"

# summary levels: admin-code length of ZLDWDM
LEVELS = {"village": 12, "township": 9, "county": 6}
LEVEL_ZH = {"village": "行政村", "township": "乡镇", "county": "县", "field": "分组", "total": "合计"}


@dataclass(frozen=True)
class PotentialFamily:
    code: str       # task_types family code
    zh: str
    column: str     # summary column (亩)
    progress: str   # summary column (% of target)
    target: str     # core.rules.Targets attribute
    color: str


FAMILIES = (
    PotentialFamily("NYD", "农用地整理", "NYD_MU", "NYD_JD", "farmland_mu", "#e6b800"),
    PotentialFamily("JSYD", "建设用地整理", "JSYD_MU", "JSYD_JD", "construction_mu", "#d7301f"),
    PotentialFamily("STXF", "生态保护修复", "STXF_MU", "STXF_JD", "ecological_mu", "#238b45"),
)
FAMILY_BY_CODE = {f.code: f for f in FAMILIES}


@dataclass(frozen=True)
class PotentialType:
    key: str
    zh: str              # the QL_LX value
    family: str          # family code
    subtype: str         # task_types subtype (the dock's ZZZLX for this work)
    column: str          # summary column (亩)
    rule: str            # who qualifies (Chinese; {} placeholders filled from Rules)
    formula: str         # new farmland (Chinese)
    method: str          # new-farmland method: '', terrace, reserve, reclaim, swap_in, swap_out
    leaves_construction: bool   # construction land of this type stops being construction
    needs: tuple         # NEED_* inputs without which the type is skipped
    color: str


# The potential-type table: one row per type, read by the survey, summaries,
# workbook, report and map. Order = order in QL_LX and in the tables.
POTENTIAL_TYPES = (
    PotentialType("terrace", "田坎归并", "NYD", "NYD06", "TK_MU",
                  "梯田（GDLX=TT）耕地，扣除地类系数 KCXS 高于其坡度级别的目标系数 {terrace}；"
                  "不含坡耕地（>{slope:g}°）和生态保护红线内耕地",
                  "新增耕地 = TBMJ ×（KCXS − 目标系数）", "terrace", False,
                  (NEED_KCXS, NEED_SLOPE), "#d9b34d"),
    PotentialType("reserve", "宜耕后备资源开发", "NYD", "NYD03", "HB_MU",
                  "其他草地、盐碱地、沙地、裸土地、裸岩石砾地（0404、1204–1207）及村庄内空闲地"
                  "（1201，CZCSXM 203）；平均坡度 ≤ {reserve:g}°；不在生态保护红线和城镇开发边界内",
                  "新增耕地 = TBMJ × {reserve_coef:g}", "reserve", True,
                  (NEED_DEM, NEED_RED_LINE), "#c8a000"),
    PotentialType("paddy", "旱改水", "NYD", "NYD02", "HGS_MU",
                  "旱地（0103）坡度级别 ≤ 2（≤ 6°）；不在生态保护红线内",
                  "不新增耕地（提质改造）", "", False, (NEED_SLOPE,), "#f4a300"),
    PotentialType("swap_in", "林耕置换（入）", "NYD", "NYD04", "LGR_MU",
                  "园地、林地、其他草地，平均坡度 ≤ {swap_slope:g}°，红线外，距留用耕地或村庄 ≤ "
                  "{swap_dist:g} 米；按评分入选，至与调出耕地面积平衡",
                  "新增耕地 = 图斑地类面积（TBDLMJ）", "swap_in", False, (NEED_DEM,), "#a6c800"),
    PotentialType("swap_out", "林耕置换（出）", "NYD", "NYD04", "LGC_MU",
                  "不稳定耕地（TBXHDM 为 {unstable}）随林耕置换调出（坡度 ≤ {slope:g}°）",
                  "新增耕地 = −TBDLMJ", "swap_out", False, (NEED_DEM,), "#8c6d31"),
    PotentialType("slope_exit", "坡耕地退出", "NYD", "NYD04", "PGD_MU",
                  "耕地平均坡度 > {slope:g}°（无 DEM 值时 GDPDJB = 5），退耕上坡",
                  "新增耕地 = −TBDLMJ", "swap_out", False, (NEED_SLOPE,), "#b2182b"),
    PotentialType("homestead", "宅基地复垦", "JSYD", "JSYD01", "ZJD_MU",
                  "闲置农村宅基地（0702：无建筑、建筑覆盖率 < {coverage:g}%、危房/倒塌/空置、"
                  "无常住人口、年用电量 < {kwh:g} 千瓦时）；红线内不宜复垦，不计",
                  "复垦为耕地（坡度 ≤ {new_slope:g}°）：新增耕地 = TBMJ × {reclaim_coef:g}；"
                  "复垦为林地/园地：0", "reclaim", True, (NEED_EVIDENCE,), "#ef6548"),
    PotentialType("mine", "工矿废弃地复垦", "JSYD", "JSYD03", "GK_MU",
                  "采矿用地（0602）备注含“废弃”或在废弃图斑清单中，坡度 ≤ {new_slope:g}° 且在红线外",
                  "新增耕地 = TBMJ × {reclaim_coef:g}", "reclaim", True, (), "#990000"),
    PotentialType("rocky", "石漠化治理", "STXF", "STXF02", "SMH_MU",
                  "石漠化耕地（TBXHDM = SMGD）；裸土地、裸岩石砾地、其他草地（1206、1207、0404）"
                  "坡度 > {reserve:g}° 或在生态保护红线内（不宜开发为耕地）",
                  "不新增耕地", "", False, (), "#74c476"),
    PotentialType("erosion", "水土流失治理", "STXF", "STXF01", "STLS_MU",
                  "坡度 > {slope:g}° 的耕地（退耕还林还草）", "不新增耕地", "", False,
                  (NEED_SLOPE,), "#41ab5d"),
    PotentialType("mine_eco", "矿山生态修复", "STXF", "STXF04", "KS_MU",
                  "废弃采矿用地坡度 > {new_slope:g}° 或在生态保护红线内（不宜复垦为耕地）",
                  "不新增耕地", "", True, (), "#006d2c"),
)
TYPE_BY_KEY = {t.key: t for t in POTENTIAL_TYPES}
TYPE_BY_ZH = {t.zh: t for t in POTENTIAL_TYPES}

# per-parcel output fields
PARCEL_FIELDS = (
    FieldSpec("QL_LX", "str", 100, "潜力类型"),
    FieldSpec("QL_FAMILY", "str", 40, "潜力大类"),
    FieldSpec("QL_MJ", "float", 19, "潜力面积(平方米)", 2),
    FieldSpec("XZGD_MJ", "float", 19, "新增耕地面积(平方米)", 2),
    FieldSpec("QL_MU", "float", 14, "潜力面积(亩)", 4),
)

# one row per summary unit (and a 合计 row)
SUMMARY_FIELDS = (
    FieldSpec("DW_DM", "str", 19, "单位代码"),
    FieldSpec("DW_MC", "str", 100, "单位名称"),
    FieldSpec("DW_JB", "str", 8, "汇总级别"),
    FieldSpec("QL_TBS", "int", 9, "潜力图斑数"),
    FieldSpec("YGD_MU", "float", 14, "原有耕地(亩)", 2),
    FieldSpec("JBNT_MU", "float", 14, "永久基本农田(亩)", 2),
    FieldSpec("JSQ_MU", "float", 14, "整治前建设用地(亩)", 2),
    FieldSpec("JSH_MU", "float", 14, "整治后建设用地(亩)", 2),
    *(FieldSpec(f.column, "float", 14, f"{f.zh}潜力(亩)", 2) for f in FAMILIES),
    *(FieldSpec(t.column, "float", 14, f"{t.zh}(亩)", 2) for t in POTENTIAL_TYPES),
    FieldSpec("XZGD_MU", "float", 14, "新增耕地(亩)", 2),
    FieldSpec("JSGD_MU", "float", 14, "减少耕地(亩)", 2),
    FieldSpec("JZGD_MU", "float", 14, "净增耕地(亩)", 2),
    FieldSpec("JZGD_ZB", "float", 8, "净增耕地占原有耕地(%)", 2),
    *(FieldSpec(f.progress, "float", 8, f"{f.zh}目标完成(%)", 2) for f in FAMILIES),
    FieldSpec("HMXC", "int", 5, "候选和美乡村(个)"),
)

CHECK_FIELDS = (
    FieldSpec("DW_DM", "str", 19, "单位代码"),
    FieldSpec("DW_MC", "str", 100, "单位名称"),
    FieldSpec("GZ_DM", "str", 4, "规则编号"),
    FieldSpec("GZ_MC", "str", 60, "规则"),
    FieldSpec("SZ", "float", 19, "实际值", 4),
    FieldSpec("YQ", "str", 40, "要求"),
    FieldSpec("JG", "str", 6, "结果"),
    FieldSpec("SM", "str", 254, "说明"),
)


def type_table(rules: Rules | None = None) -> pd.DataFrame:
    """The potential-type table with its rule and formula texts filled from `rules`."""
    rules = rules or Rules()
    values = dict(
        terrace="、".join(f"{k}级 {v:g}" for k, v in sorted(rules.terrace_target_kcxs.items())),
        slope=rules.slope_farmland_deg, reserve=rules.reserve_max_slope_deg,
        reserve_coef=rules.reserve_new_farmland_coef, reclaim_coef=rules.reclaim_new_farmland_coef,
        swap_slope=rules.swap_in_max_slope_deg, swap_dist=rules.swap_max_distance_m,
        unstable="、".join(rules.unstable_tbxhdm), coverage=rules.homestead_coverage_min_pct,
        kwh=rules.idle_max_kwh_per_year, new_slope=rules.new_farmland_max_slope_deg)
    return pd.DataFrame([{
        "潜力类型": t.zh, "潜力大类": FAMILY_BY_CODE[t.family].zh, "整治子类型": t.subtype,
        "认定规则": t.rule.format(**values), "新增耕地": t.formula.format(**values)}
        for t in POTENTIAL_TYPES])


# ---------------------------------------------------------------------------
# inputs
@dataclass
class Households:
    """The household survey: its key per row (joined to the parcels' `parcel_key`
    column), residents and annual electricity per row (None when absent)."""
    keys: list
    residents: list | None = None
    kwh: list | None = None
    parcel_key: str = "BSM"


@dataclass
class Survey:
    """Result of `survey`: per-parcel fields, the long list of (parcel, type)
    items, and the evidence it was judged on."""
    parcels: pd.DataFrame         # QL_LX, QL_FAMILY, QL_MJ, XZGD_MJ, QL_MU
    items: pd.DataFrame           # parcel, type, family, area_m2, new_m2
    area_m2: np.ndarray           # parcel area (TBMJ, else the given area)
    farmland_m2: np.ndarray       # farmland area (TBDLMJ) of current farmland, else 0
    construction: np.ndarray      # bool: construction land now (三大类)
    leaves_construction: np.ndarray   # bool: construction land that the potential removes
    slope_flags: pd.DataFrame     # slope_farmland.flag_slope_farmland result
    overlaps: dict                # 'HX'/'JBNT'/'KFBJ' -> m² per parcel (absent line: missing key)
    zone_area: dict               # line key -> m² of the line's union
    homesteads: pd.DataFrame      # index, XZ, XZ_YY, FK_LX of each homestead (0702)
    swap: pd.DataFrame | None     # farmland_swap candidates after balance (None: skipped)
    slope_deg: np.ndarray         # mean slope per parcel (NaN unknown)
    masks: dict                   # type key -> bool mask
    skipped: list = field(default_factory=list)   # (type zh, reason zh)
    notes: list = field(default_factory=list)     # Chinese remarks for the report


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
        notes.append("未提供城镇开发边界：宜耕后备资源未排除城镇开发边界内的图斑。")
    if red_line is None:
        notes.append("未提供生态保护红线：复垦方向、石漠化治理和新增耕地未按红线判定。")
    step(0.35)

    grade = grades(table, slope_deg)
    with np.errstate(invalid="ignore"):
        steep = slope_deg > rules.reserve_max_slope_deg
        gentle = slope_deg <= rules.reserve_max_slope_deg
    masks, new_m2 = {}, {}

    def newland(subtype, rows, grade_text=None):
        """task_totals.new_farmland_m2 over the parcels `rows` (the one formula)."""
        frame = pd.DataFrame({"TBMJ": area[rows], "DLBM": codes[rows]})
        if "KCXS" in table.columns:
            frame["KCXS"] = _col(table, "KCXS", n)[rows]
        if grade_text is not None:
            frame["GDPDJB"] = grade_text[rows]
        out = np.zeros(n)
        out[rows] = task_totals.new_farmland_m2(frame, pd.Series([subtype] * int(rows.sum())), rules)
        return out

    # 林耕置换 (the swap's own candidates and balance)
    swap = None
    if available[NEED_DEM]:
        cand = farmland_swap.find_swap_candidates(
            geoms, table, farmland, bwd, slope_deg,
            zones["HX"].tiles if isinstance(red_line, control_lines.ZoneIndex) else red_line,
            rules.swap_in_max_slope_deg,
            rules.swap_max_distance_m, rules.overlap_min_area_m2,
            farmland_mu=flags["GD_MU"].to_numpy())
        names = farmland_swap.village_name_map(table)
        swap, _ = farmland_swap.balance(cand, names)
        chosen = swap[(swap["ZH_LX"] == farmland_swap.IN) & (swap["ZH_XZ"] == 1)]
        masks["swap_in"] = np.zeros(n, bool)
        masks["swap_in"][chosen["index"].to_numpy(int)] = True
        new_m2["swap_in"] = np.zeros(n)
        new_m2["swap_in"][chosen["index"].to_numpy(int)] = chosen["ZH_MU"].to_numpy(float) * M2_PER_MU
        masks["swap_out"] = bwd & ~pgd
        new_m2["swap_out"] = np.where(masks["swap_out"], -farm_m2, 0.0)
    # farmland that leaves (坡耕地退出, 林耕置换 out) gets no farmland work
    leaving = pgd | masks.get("swap_out", np.zeros(n, bool))
    swapped_in = masks.get("swap_in", np.zeros(n, bool))

    # 田坎归并
    gdlx = _text(table, "GDLX", n)
    terraced = (gdlx == TERRACE_GDLX) if "GDLX" in table.columns else np.ones(n, bool)
    if "GDLX" not in table.columns:
        notes.append("图斑无耕地类型 GDLX 字段：田坎归并按全部耕地判定。")
    if available[NEED_KCXS] and available[NEED_SLOPE]:
        grade_text = np.array([str(g) if g > 0 else "" for g in grade], dtype=object)
        cand = farmland & terraced & ~leaving & ~in_red & (grade > 0)
        gain = newland("NYD06", cand, grade_text)
        masks["terrace"] = cand & (gain > 0)
        new_m2["terrace"] = np.where(masks["terrace"], gain, 0.0)

    # 宜耕后备资源开发
    czcs = np.array([c.upper() for c in _text(table, "CZCSXM", n)], dtype=object)  # not a DLBM
    reserve_kind = np.isin(codes, RESERVE_LAND_CODES) | (
        (codes == VILLAGE_IDLE_LAND_CODE) & np.isin(czcs, VILLAGE_CZCSXM))
    if available[NEED_DEM] and available[NEED_RED_LINE]:
        # 0404 chosen to come down in the swap is counted there, not twice
        masks["reserve"] = reserve_kind & gentle & ~in_red & ~in_udb & ~swapped_in
        new_m2["reserve"] = newland("NYD03", masks["reserve"])

    # 旱改水
    if available[NEED_SLOPE]:
        masks["paddy"] = (codes == PADDY_UPGRADE_CODE) & (grade > 0) & \
            (grade <= PADDY_UPGRADE_MAX_GRADE) & ~in_red & ~leaving

    # 坡耕地退出 / 水土流失治理: farmland flagged PGD; 林耕置换 out = other unstable farmland
    if available[NEED_SLOPE]:
        masks["slope_exit"] = pgd.copy()
        masks["erosion"] = pgd.copy()
        new_m2["slope_exit"] = np.where(pgd, -farm_m2, 0.0)
    step(0.45)

    # 宅基地复垦 (idle homesteads, the idle-homestead rules)
    home = codes == HOMESTEAD_CODE
    hidx = np.flatnonzero(home)
    homesteads = pd.DataFrame({"index": hidx, "XZ": 0, "XZ_YY": "", "FK_LX": ""})
    red_m2 = overlaps.get("HX")
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
        mask[hidx] = np.isin(reclaim, (ih.RECLAIM_FARMLAND, ih.RECLAIM_FOREST_GARDEN))
        to_farm = np.zeros(n, bool)
        to_farm[hidx] = reclaim == ih.RECLAIM_FARMLAND
        masks["homestead"] = mask
        new_m2["homestead"] = newland("JSYD01", to_farm)
        if not has_dem:
            notes.append("未提供 DEM：闲置宅基地复垦方向未检查坡度（均按可复垦为耕地）。")

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
        new_m2["mine"] = newland("JSYD03", to_farm)
        if not has_dem:
            notes.append("未提供 DEM：废弃工矿用地复垦未检查坡度（均按可复垦为耕地）。")
    else:
        masks["mine"] = np.zeros(n, bool)
        masks["mine_eco"] = np.zeros(n, bool)
    step(0.7)

    # 石漠化治理
    tbxh = np.array([t.upper() for t in _text(table, "TBXHDM", n)], dtype=object)
    bare = np.isin(codes, ("1206", "1207", "0404"))
    rocky = farmland & (tbxh == ROCKY_TBXHDM)
    rocky |= bare & (in_red | (steep if has_dem else np.zeros(n, bool)))
    if "reserve" in masks:
        rocky &= ~masks["reserve"]
    rocky &= ~swapped_in
    masks["rocky"] = rocky
    if not has_dem:
        notes.append("未提供 DEM：石漠化治理只含石漠化耕地和红线内的裸地、其他草地。")

    for t in POTENTIAL_TYPES:
        missing = [need for need in t.needs if not available[need]]
        if missing:
            masks.pop(t.key, None)
            new_m2.pop(t.key, None)
            skipped.append((t.zh, "；".join(NEED_REASONS[m] for m in missing)))

    # long list of (parcel, type) and per-parcel fields
    frames = []
    for t in POTENTIAL_TYPES:
        if t.key not in masks:
            continue
        idx = np.flatnonzero(masks[t.key])
        nm = new_m2.get(t.key)
        frames.append(pd.DataFrame({"parcel": idx, "type": t.zh, "family": t.family,
                                    "area_m2": area[idx],
                                    "new_m2": nm[idx] if nm is not None else 0.0}))
    items = pd.concat(frames, ignore_index=True) if frames else \
        pd.DataFrame({"parcel": pd.Series(dtype=int), "type": pd.Series(dtype=object),
                      "family": pd.Series(dtype=object), "area_m2": pd.Series(dtype=float),
                      "new_m2": pd.Series(dtype=float)})
    ql = np.full(n, "", dtype=object)
    fam = np.full(n, "", dtype=object)
    leaves = np.zeros(n, dtype=bool)
    any_type = np.zeros(n, dtype=bool)
    new_total = np.zeros(n)
    for t in POTENTIAL_TYPES:
        if t.key not in masks:
            continue
        m = masks[t.key]
        ql[m] = ql[m] + SEPARATOR + t.zh
        any_type |= m
        if t.leaves_construction:
            leaves |= m
        if t.key in new_m2:
            new_total += np.where(m, new_m2[t.key], 0.0)
    for f in FAMILIES:
        has = np.zeros(n, bool)
        for t in POTENTIAL_TYPES:
            if t.family == f.code and t.key in masks:
                has |= masks[t.key]
        fam[has] = fam[has] + SEPARATOR + f.zh
    ql = np.array([s[1:] if s else None for s in ql], dtype=object)
    fam = np.array([s[1:] if s else None for s in fam], dtype=object)
    category = {c: category_of(c) for c in set(codes.tolist())}
    construction = np.array([category[c] == CONSTRUCTION for c in codes], dtype=bool)
    qmj = np.where(any_type, area, np.nan)
    parcels = pd.DataFrame({
        "QL_LX": ql, "QL_FAMILY": fam, "QL_MJ": np.round(qmj, 2),
        "XZGD_MJ": np.where(any_type, np.round(new_total, 2), np.nan),
        "QL_MU": np.round(qmj / M2_PER_MU, 4)})
    step(0.8)
    return Survey(parcels, items, area, farm_m2, construction, leaves & construction, flags,
                  overlaps, zone_area, homesteads, swap, slope_deg, masks, skipped, notes)


# ---------------------------------------------------------------------------
# summary units
def unit_keys(table: pd.DataFrame, level: str = "village", by_field: str | None = None):
    """(unit code per parcel, {code: name}, level used, warning or ''). Level is
    village / township / county (leading 12 / 9 / 6 digits of ZLDWDM); `by_field`
    (a column of `table`) groups by its values instead. Without ZLDWDM and field:
    one total, with a warning."""
    n = len(table)
    if by_field:
        values = _text(table, by_field, n)
        return values, {}, "field", ""
    if "ZLDWDM" not in table.columns:
        return (np.full(n, TOTAL_CODE, dtype=object), {TOTAL_CODE: TOTAL_NAME}, "total",
                "图斑无坐落单位代码 ZLDWDM 字段，且未指定汇总字段：只汇总合计。")
    length = LEVELS.get(level, LEVELS["village"])
    zl = table["ZLDWDM"].reset_index(drop=True)
    keys = np.array([admin_code(v, length) for v in zl], dtype=object)
    names = {}
    if length == LEVELS["village"] and "ZLDWMC" in table.columns:
        from .villages import village_names
        names = village_names(zl, table["ZLDWMC"].reset_index(drop=True))
    return keys, names, level, ""


def _group_sum(keys, values, order):
    s = pd.Series(np.asarray(values, float)).groupby(np.asarray(keys, dtype=object)).sum()
    return s.reindex(order, fill_value=0.0).to_numpy(float)


def summarize(result: Survey, keys, names: dict | None = None, level: str = "village",
              rules: Rules | None = None, targets: Targets | None = None,
              village_keys=None) -> pd.DataFrame:
    """One row per unit and a 合计 row (SUMMARY_FIELDS): potential 亩 by family and
    type, new/removed/net farmland, original farmland, PBF, construction land before
    and after, progress against the targets (%) and candidate 和美乡村 (counted from
    `village_keys`, the village of each parcel; 0 without)."""
    rules = rules or Rules()
    targets = targets or rules.targets
    names = names or {}
    keys = np.asarray(keys, dtype=object)
    order = sorted(set(keys.tolist()))
    items = result.items
    ikeys = keys[items["parcel"].to_numpy(int)] if len(items) else np.zeros(0, dtype=object)
    rows = pd.DataFrame({"DW_DM": order})
    rows["DW_MC"] = [names.get(k, "") for k in order]
    rows["DW_JB"] = LEVEL_ZH.get(level, level)
    potential = pd.Series(result.parcels["QL_LX"].notna().to_numpy())
    rows["QL_TBS"] = _group_sum(keys, potential.astype(float), order).astype(int)
    rows["YGD_MU"] = _group_sum(keys, result.farmland_m2, order) / M2_PER_MU
    pbf = result.overlaps.get("JBNT")
    rows["JBNT_MU"] = _group_sum(keys, pbf, order) / M2_PER_MU if pbf is not None else np.nan
    cons = np.where(result.construction, result.area_m2, 0.0)
    rows["JSQ_MU"] = _group_sum(keys, cons, order) / M2_PER_MU
    rows["JSH_MU"] = _group_sum(keys, np.where(result.leaves_construction, 0.0, cons),
                                order) / M2_PER_MU
    for f in FAMILIES:
        # each parcel once per family, even with two types of the family
        sel = items[items["family"] == f.code].drop_duplicates("parcel") if len(items) else items
        rows[f.column] = _group_sum(keys[sel["parcel"].to_numpy(int)], sel["area_m2"],
                                    order) / M2_PER_MU if len(sel) else 0.0
    for t in POTENTIAL_TYPES:
        sel = items["type"].to_numpy() == t.zh if len(items) else np.zeros(0, bool)
        rows[t.column] = _group_sum(ikeys[sel], items["area_m2"].to_numpy()[sel],
                                    order) / M2_PER_MU if sel.any() else 0.0
    new = items["new_m2"].to_numpy(float) if len(items) else np.zeros(0)
    rows["XZGD_MU"] = _group_sum(ikeys, np.clip(new, 0, None), order) / M2_PER_MU if len(new) else 0.0
    rows["JSGD_MU"] = _group_sum(ikeys, np.clip(-new, 0, None), order) / M2_PER_MU if len(new) else 0.0
    total = pd.DataFrame([{"DW_DM": TOTAL_CODE, "DW_MC": TOTAL_NAME, "DW_JB": LEVEL_ZH["total"],
                           **{c: rows[c].sum() for c in rows.columns
                              if c not in ("DW_DM", "DW_MC", "DW_JB")}}])
    if pbf is None:
        total["JBNT_MU"] = np.nan
    out = pd.concat([rows, total], ignore_index=True) if len(rows) else total
    if len(rows) == 1 and order == [TOTAL_CODE]:
        out = total
    out["JZGD_MU"] = out["XZGD_MU"] - out["JSGD_MU"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["JZGD_ZB"] = np.where(out["YGD_MU"] > 0, 100.0 * out["JZGD_MU"] / out["YGD_MU"], 0.0)
        for f in FAMILIES:
            goal = float(getattr(targets, f.target))
            out[f.progress] = 100.0 * out[f.column] / goal if goal > 0 else 0.0
    out["HMXC"] = 0
    if village_keys is not None:
        villages = harmony_villages(result, village_keys, rules)
        vk = np.asarray(village_keys, dtype=object)
        unit_of = pd.Series(keys).groupby(vk).agg(lambda s: s.mode().iloc[0])
        counts = pd.Series([unit_of[v] for v in villages], dtype=object).value_counts()
        out["HMXC"] = out["DW_DM"].map(lambda k: int(counts.get(k, 0))).astype(int)
        out.loc[out["DW_DM"] == TOTAL_CODE, "HMXC"] = len(villages)
    return out[[f.name for f in SUMMARY_FIELDS]]


def harmony_villages(result: Survey, village_keys, rules: Rules | None = None) -> list:
    """Candidate 和美乡村: villages with potential in at least
    Rules.harmony_village_min_families task families, sorted by code."""
    rules = rules or Rules()
    vk = np.asarray(village_keys, dtype=object)
    items = result.items
    if not len(items):
        return []
    frame = pd.DataFrame({"v": vk[items["parcel"].to_numpy(int)], "f": items["family"].to_numpy()})
    frame = frame[frame["v"] != ""]
    count = frame.drop_duplicates().groupby("v")["f"].size()
    return sorted(count[count >= rules.harmony_village_min_families].index.tolist())


def target_progress(summary: pd.DataFrame, targets: Targets) -> pd.DataFrame:
    """Family potential (合计 row) against the targets, and candidate villages against
    the 和美乡村 target."""
    total = summary[summary["DW_DM"] == TOTAL_CODE].iloc[-1]
    rows = []
    for f in FAMILIES:
        goal = float(getattr(targets, f.target))
        rows.append({"指标": f"{f.zh}（亩）", "目标": goal, "潜力": float(total[f.column]),
                     "完成度（%）": 100.0 * float(total[f.column]) / goal if goal > 0 else 0.0})
    goal = float(targets.villages)
    done = float(total["HMXC"])
    rows.append({"指标": "和美乡村（个）", "目标": goal, "潜力": done,
                 "完成度（%）": 100.0 * done / goal if goal > 0 else 0.0})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# rule checks (REFERENCE §3)
RULES_CHECKED = (
    ("R1", "新增耕地不少于原有耕地的 5%"),
    ("R2", "建设用地总量不增加"),
    ("R3", "不在 25° 以上坡地新增耕地"),
    ("R4", "不在生态保护红线内新增耕地"),
    ("R5", "永久基本农田调出不超过 5%"),
    ("R6", "永久基本农田补划不少于调出的 105%"),
)


def rule_checks(result: Survey, keys, names: dict | None = None,
                rules: Rules | None = None) -> pd.DataFrame:
    """CHECK_FIELDS rows for each group of `keys` (e.g. township codes) and the whole
    area (合计): value, requirement, 通过 / 不通过 / 未检查 and an explanation."""
    rules = rules or Rules()
    names = names or {}
    keys = np.asarray(keys, dtype=object)
    groups = [(k, names.get(k, ""), keys == k) for k in sorted(set(keys.tolist()))]
    if not (len(groups) == 1 and groups[0][0] == TOTAL_CODE):
        groups.append((TOTAL_CODE, TOTAL_NAME, np.ones(len(keys), bool)))
    new = result.parcels["XZGD_MJ"].to_numpy(float)
    new = np.where(np.isnan(new), 0.0, new)
    adds = new > 0
    pgd = result.slope_flags["PGD"].to_numpy() == 1
    with np.errstate(invalid="ignore"):
        steep = (result.slope_deg > rules.new_farmland_max_slope_deg) | pgd
    slope_known = ~np.isnan(result.slope_deg) | (result.slope_flags["PGD_LY"].notna().to_numpy())
    red = result.overlaps.get("HX")
    pbf = result.overlaps.get("JBNT")
    out_types = [t.zh for t in POTENTIAL_TYPES if t.method == "swap_out"]
    leaving = np.zeros(len(keys), bool)
    for t in POTENTIAL_TYPES:
        if t.zh in out_types and t.key in result.masks:
            leaving |= result.masks[t.key]
    rows = []
    mu = M2_PER_MU
    for code, name, sel in groups:
        def row(rid, value, need, verdict, text):
            rows.append({"DW_DM": code, "DW_MC": name, "GZ_DM": rid,
                         "GZ_MC": dict(RULES_CHECKED)[rid], "SZ": value, "YQ": need,
                         "JG": verdict, "SM": text})

        original = result.farmland_m2[sel].sum()
        net = new[sel].sum()
        share = 100.0 * net / original if original > 0 else 0.0
        limit = 100.0 * rules.new_farmland_min_share
        row("R1", share, f"≥ {limit:g}%", PASS if original > 0 and share >= limit - 1e-9 else FAIL,
            f"净增耕地 {net / mu:,.2f} 亩（新增 {new[sel & adds].sum() / mu:,.2f} 亩，减少 "
            f"{-new[sel & (new < 0)].sum() / mu:,.2f} 亩），原有耕地 {original / mu:,.2f} 亩")
        before = np.where(result.construction & sel, result.area_m2, 0.0).sum()
        after = before - np.where(result.leaves_construction & sel, result.area_m2, 0.0).sum()
        change = after - before
        row("R2", change / mu, f"≤ {rules.construction_increase_max_m2 / mu:g} 亩",
            PASS if change <= rules.construction_increase_max_m2 + 1e-6 else FAIL,
            f"整治前 {before / mu:,.2f} 亩，整治后 {after / mu:,.2f} 亩（变化 {change / mu:+,.2f} 亩）")
        bad = sel & adds & steep
        unknown = int((sel & adds & ~slope_known).sum())
        text = f"{int(bad.sum())} 个新增耕地图斑坡度 > {rules.new_farmland_max_slope_deg:g}°，" \
               f"新增耕地 {new[bad].sum() / mu:,.2f} 亩"
        if unknown:
            text += f"；{unknown} 个图斑坡度未知"
        row("R3", new[bad].sum() / mu, "0 亩", PASS if not bad.any() else FAIL, text)
        if red is None:
            row("R4", np.nan, "0 亩", NOT_CHECKED, "未提供生态保护红线")
        else:
            bad = sel & adds & (red >= rules.overlap_min_area_m2)
            row("R4", new[bad].sum() / mu, "0 亩", PASS if not bad.any() else FAIL,
                f"{int(bad.sum())} 个新增耕地图斑位于红线内（重叠 {red[bad].sum() / mu:,.2f} 亩）")
        if pbf is None:
            row("R5", np.nan, f"≤ {100 * rules.pbf_out_max_share:g}%", NOT_CHECKED,
                "未提供永久基本农田")
            row("R6", np.nan, f"≥ {100 * rules.pbf_in_min_ratio:g}%", NOT_CHECKED,
                "未提供永久基本农田")
            continue
        pbf_total = pbf[sel].sum()
        moved_out = pbf[sel & leaving].sum()
        out_share = 100.0 * moved_out / pbf_total if pbf_total > 0 else 0.0
        row("R5", out_share, f"≤ {100 * rules.pbf_out_max_share:g}%",
            PASS if out_share <= 100 * rules.pbf_out_max_share + 1e-9 else FAIL,
            f"退出耕地中的永久基本农田 {moved_out / mu:,.2f} 亩，永久基本农田 {pbf_total / mu:,.2f} 亩")
        supply = np.clip(new[sel & adds] - pbf[sel & adds], 0, None).sum()
        ratio = 100.0 * supply / moved_out if moved_out > 0 else np.nan
        need = rules.pbf_in_min_ratio * moved_out
        row("R6", ratio, f"≥ {100 * rules.pbf_in_min_ratio:g}%",
            PASS if supply >= need - 1e-6 else FAIL,
            f"可补划新增耕地（永久基本农田外）{supply / mu:,.2f} 亩，需补划 {need / mu:,.2f} 亩"
            if moved_out > 0 else "无永久基本农田调出")
    return pd.DataFrame(rows, columns=[f.name for f in CHECK_FIELDS])


# ---------------------------------------------------------------------------
# farmland contiguity before / after (the contiguity module's own functions)
def contiguity_change(geoms, table: pd.DataFrame, result: Survey, rules: Rules | None = None,
                      village_keys=None, village_names=None, is_canceled=None) -> pd.DataFrame:
    """contiguity.summary of the current farmland and the farmland after the potential
    is realised (QL_LX read by contiguity.farmland_change), with the contiguity
    algorithm's defaults: bridges 农村道路/沟渠 no wider than Rules.bridge_width_m.
    Raises contiguity.Canceled when is_canceled() says so."""
    rules = rules or Rules()
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    codes = table["DLBM"].to_numpy(dtype=object) if "DLBM" in table else np.full(n, "", object)
    now = contiguity.is_farmland_code(codes, FARMLAND_CODES)
    areas = contiguity.farmland_area_m2(table.reset_index(drop=True), shapely.area(geoms))
    frame = pd.DataFrame({"QL_LX": result.parcels["QL_LX"].to_numpy()})
    change = contiguity.farmland_change(now, frame)
    after = contiguity.farmland_after(now, change)
    bridge = contiguity.is_farmland_code(codes, contiguity.DEFAULT_BRIDGE_CODES)
    widths = np.full(n, np.inf)
    if bridge.any():
        xz = table["XZDWKD"].to_numpy(dtype=object)[bridge] if "XZDWKD" in table else None
        widths[bridge] = contiguity.linear_width(geoms[bridge], xz)
    villages = np.full(n, "", dtype=object) if village_keys is None else \
        np.asarray(village_keys, dtype=object)
    parts, parent, part_areas = contiguity.explode(geoms, areas)
    results = {}
    for scenario, mask in ((contiguity.CURRENT, now), (contiguity.AFTER, after)):
        blocks = contiguity.scenario_blocks(parts, parent, part_areas, mask, villages,
                                            bridge & ~mask, widths, rules.bridge_width_m, n,
                                            is_canceled)
        results[scenario] = blocks.part_labels
    frame = contiguity.summary(results, part_areas, villages[parent], village_names or {},
                               rules.large_block_mu)
    if village_keys is None:
        frame = contiguity_totals(frame)
    return frame


def contiguity_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The whole-area rows (现状, 整治后, 变化) of a contiguity summary."""
    return frame[(frame["CJ_DM"] == "") & (frame["CJ_MC"] == contiguity.TOTAL_LABEL)]


# ---------------------------------------------------------------------------
# targets from text
def parse_targets(text, default: Targets | None = None) -> Targets:
    """'73500,2300,3500,12' -> Targets (农用地整理 亩, 建设用地整理 亩, 生态修复 亩,
    和美乡村 个); empty parts keep the default. ValueError on a bad number."""
    base = default or Targets()
    if text is None or not str(text).strip():
        return Targets(base.farmland_mu, base.construction_mu, base.ecological_mu, base.villages)
    parts = [p.strip() for p in str(text).replace("，", ",").replace(";", ",").split(",")]
    if len(parts) > 4:
        raise ValueError(f"at most 4 targets expected, got {len(parts)}: {text!r}")
    values = [base.farmland_mu, base.construction_mu, base.ecological_mu, base.villages]
    for i, p in enumerate(parts):
        if p:
            v = float(p)
            if v < 0:
                raise ValueError(f"a target cannot be negative: {p}")
            values[i] = v
    return Targets(float(values[0]), float(values[1]), float(values[2]), int(round(values[3])))


# ---------------------------------------------------------------------------
# workbook
def _frame_for_people(frame: pd.DataFrame, specs) -> pd.DataFrame:
    """Columns renamed to their Chinese aliases."""
    alias = {s.name: s.alias for s in specs}
    return frame.rename(columns={c: alias.get(c, c) for c in frame.columns})


def type_statistics(result, rules=None) -> pd.DataFrame:
    """type_table with, per potential type, its parcel count, area and new farmland (亩)
    from the survey result: the table the workbook and the report both show."""
    types = type_table(rules)
    items = result.items
    per_type = types["潜力类型"]
    types["图斑数"] = [int((items["type"] == t).sum()) for t in per_type]
    types["面积（亩）"] = [float(items.loc[items["type"] == t, "area_m2"].sum()) / M2_PER_MU
                        for t in per_type]
    types["新增耕地（亩）"] = [float(items.loc[items["type"] == t, "new_m2"].sum()) / M2_PER_MU
                          for t in per_type]
    return types


def write_workbook(path: str, summary: pd.DataFrame, checks: pd.DataFrame,
                   progress_table: pd.DataFrame, contiguity_table: pd.DataFrame | None,
                   result: Survey, rules: Rules | None = None, meta: dict | None = None):
    """An .xlsx workbook (openpyxl): 潜力汇总, 潜力类型, 规则检查, 目标进度, 连片度, 说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rules = rules or Rules()
    meta = meta or {}
    wb = Workbook()
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EEF3F8")
    fail_font = Font(color="B30000", bold=True)

    def sheet(title, frame, first=False, number_format="#,##0.00"):
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font = head_font
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for rec in frame.itertuples(index=False):
            ws.append([_excel_value(v) for v in rec])
        for j, col in enumerate(frame.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)]) + 2
            ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 60)
            if frame[col].dtype.kind == "f":
                for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    row[0].number_format = number_format
        ws.freeze_panes = "C2" if len(frame.columns) > 4 else "A2"
        return ws

    sheet("潜力汇总", _frame_for_people(summary, SUMMARY_FIELDS), first=True)
    types = type_statistics(result, rules)
    types["状态"] = ["跳过：" + dict(result.skipped)[t] if t in dict(result.skipped) else "已评估"
                   for t in types["潜力类型"]]
    sheet("潜力类型", types)
    ws = sheet("规则检查", _frame_for_people(checks, CHECK_FIELDS), number_format="#,##0.0000")
    col = list(checks.columns).index("JG") + 1
    for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
        if row[0].value == FAIL:
            row[0].font = fail_font
    sheet("目标进度", progress_table)
    if contiguity_table is not None and len(contiguity_table):
        alias = dict(contiguity.INDICATORS)
        alias.update({"CJ_DM": "村代码", "CJ_MC": "村名称", "QJ": "情景"})
        sheet("连片度", contiguity_table.rename(columns=alias))
    notes = [("图层", meta.get("layer", "")), ("计算坐标系", meta.get("crs", "")),
             ("汇总级别", meta.get("level", "")), ("面积", "潜力面积为图斑面积 TBMJ；1 亩 = 666.67 平方米"),
             ("新增耕地", "XZGD_MJ 为新增耕地（负值为退出耕地）；净增耕地 = 新增 − 减少")]
    notes += [("跳过的潜力类型", f"{t}：{r}") for t, r in result.skipped]
    notes += [("说明", text) for text in result.notes + list(meta.get("warnings", ()))]
    sheet("说明", pd.DataFrame(notes, columns=["项目", "内容"]))
    wb.save(path)


def _excel_value(v):
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


# ---------------------------------------------------------------------------
# charts and the HTML report
def _figure(size):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=110)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def potential_chart(summary: pd.DataFrame, max_units: int = 40) -> bytes:
    """Stacked bars of potential (亩) by family for each unit (largest first)."""
    try:
        from .report_html import cjk_font
        font = cjk_font()
    except ImportError:
        return b""
    units = summary[summary["DW_DM"] != TOTAL_CODE].copy()
    if not len(units):
        units = summary.copy()
    units["_t"] = sum(units[f.column] for f in FAMILIES)
    units = units.sort_values("_t", ascending=False).head(max_units)
    labels = [(mc or dm) for dm, mc in zip(units["DW_DM"], units["DW_MC"])]
    fig = _figure((max(6.0, 0.45 * len(units) + 3), 4.6))
    ax = fig.add_subplot(111)
    bottom = np.zeros(len(units))
    x = np.arange(len(units))
    for f in FAMILIES:
        v = units[f.column].to_numpy(float)
        ax.bar(x, v, bottom=bottom, color=f.color, label=f.zh, width=0.7)
        bottom += v
    for xi, total in zip(x, bottom):
        ax.text(xi, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x)
    ax.set_xticklabels(labels, rotation=45 if len(units) > 6 else 0, ha="right"
                       if len(units) > 6 else "center", fontproperties=font, fontsize=8)
    ax.set_ylabel("潜力面积（亩）", fontproperties=font)
    ax.set_title("各单位整治潜力（按大类）", fontproperties=font, fontsize=13)
    leg = ax.legend(prop=font, fontsize=9)
    for text in leg.get_texts():
        text.set_fontproperties(font)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def target_chart(progress_table: pd.DataFrame) -> bytes:
    """Horizontal bars: potential against each target, with the % reached."""
    try:
        from .report_html import cjk_font
        font = cjk_font()
    except ImportError:
        return b""
    fig = _figure((8.0, 3.4))
    ax = fig.add_subplot(111)
    y = np.arange(len(progress_table))[::-1]
    share = progress_table["完成度（%）"].to_numpy(float)
    colors = [f.color for f in FAMILIES] + ["#6a51a3"]
    ax.barh(y, np.full(len(y), 100.0), color="#eeeeee", edgecolor="#999999", height=0.6)
    ax.barh(y, np.minimum(share, 100.0), color=colors[:len(y)], height=0.6)
    for yi, s, goal, done in zip(y, share, progress_table["目标"], progress_table["潜力"]):
        ax.text(min(s, 100.0) + 1, yi, f"{s:.1f}%（{done:,.1f} / {goal:,.0f}）", va="center",
                fontproperties=font, fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels(progress_table["指标"], fontproperties=font)
    ax.set_xlim(0, 130)
    ax.set_xlabel("占目标（%）", fontproperties=font)
    ax.set_title("潜力与 2030 年目标", fontproperties=font, fontsize=13)
    return _png(fig)


def potential_map(geoms, result: Survey, max_background: int = 60000) -> bytes:
    """PNG map of the potential types (each parcel by its first type)."""
    from .report_html import map_png

    geoms = np.asarray(geoms, dtype=object)
    layers = []
    if len(geoms) <= max_background:
        layers.append(dict(geoms=geoms, facecolor="#f4f4f0", edgecolor="#c8c8c8", linewidth=0.12))
    first = np.array([s.split(SEPARATOR)[0] if s else "" for s in
                      result.parcels["QL_LX"].fillna("")], dtype=object)
    for t in POTENTIAL_TYPES:
        sel = first == t.zh
        if sel.any():
            layers.append(dict(geoms=geoms[sel], facecolor=t.color, edgecolor="#555555",
                               linewidth=0.15, label=f"{t.zh}（{int(sel.sum())}）"))
    present = geoms[~shapely.is_missing(geoms)]
    extent = None
    if len(present):   # room on the right for the legend
        x0, y0, x1, y1 = shapely.total_bounds(present)
        extent = (x0, y0, x1 + 0.38 * max(x1 - x0, y1 - y0), y1)
    return map_png(layers, title="整治潜力分布", extent=extent, legend_loc="center right",
                   size=(11.0, 7.5))


def build_report(summary: pd.DataFrame, checks: pd.DataFrame, progress_table: pd.DataFrame,
                 result: Survey, geoms=None, contiguity_table: pd.DataFrame | None = None,
                 rules: Rules | None = None, meta: dict | None = None) -> str:
    """The HTML report in Chinese: headline figures, charts, potential by unit and type,
    rule checks, a map, contiguity before/after, skipped types and notes."""
    from . import report_html as rh

    rules = rules or Rules()
    meta = meta or {}
    total = summary[summary["DW_DM"] == TOTAL_CODE].iloc[-1]
    body = []
    head = [("图斑图层", meta.get("layer", "")), ("图斑数", f"{len(result.parcels):,d}"),
            ("潜力图斑数", f"{int(total['QL_TBS']):,d}"),
            ("原有耕地（亩）", f"{total['YGD_MU']:,.2f}")]
    head += [(f"{f.zh}潜力（亩）", f"{total[f.column]:,.2f}") for f in FAMILIES]
    head += [("新增耕地（亩）", f"{total['XZGD_MU']:,.2f}"),
             ("减少耕地（亩）", f"{total['JSGD_MU']:,.2f}"),
             ("净增耕地（亩）", f"{total['JZGD_MU']:,.2f}（占原有耕地 {total['JZGD_ZB']:.2f}%）"),
             ("建设用地（亩）", f"整治前 {total['JSQ_MU']:,.2f}，整治后 {total['JSH_MU']:,.2f}")]
    if meta.get("crs"):
        head.append(("计算坐标系", meta["crs"]))
    fails = int((checks["JG"] == FAIL).sum())
    head.append(("规则检查", f"{int((checks['JG'] == PASS).sum())} 项通过，{fails} 项不通过，"
                 f"{int((checks['JG'] == NOT_CHECKED).sum())} 项未检查"))
    body.append(rh.section("一、主要数据", rh.table(pd.DataFrame(head, columns=["项目", "值"]))))
    for w in meta.get("warnings", ()):
        body.append(rh.paragraph("⚠ " + w, "lv1"))

    body.append(rh.section("二、目标完成情况", rh.image(target_chart(progress_table), "目标完成情况"),
                           rh.table(progress_table),
                           rh.paragraph("目标默认为黔南州 2030 年目标（农用地整理 73,500 亩、建设用地整理 "
                                        "2,300 亩、生态修复 3,500 亩、和美乡村 12 个），可按本县分解任务修改。"
                                        f"候选和美乡村：具有至少 {rules.harmony_village_min_families} "
                                        "类整治潜力的行政村。", "note")))
    level = meta.get("level", "")
    by_unit = summary[["DW_DM", "DW_MC"] + [f.column for f in FAMILIES] +
                      ["XZGD_MU", "JSGD_MU", "JZGD_MU", "JZGD_ZB", "YGD_MU", "JBNT_MU"]]
    body.append(rh.section(f"三、各{level or '单位'}潜力", rh.image(potential_chart(summary),
                                                                "各单位潜力"),
                           rh.table(_frame_for_people(by_unit, SUMMARY_FIELDS))))
    types = type_statistics(result, rules)
    skipped = dict(result.skipped)
    types["状态"] = ["跳过" if t in skipped else "已评估" for t in types["潜力类型"]]
    body.append(rh.section("四、潜力类型", rh.table(types[["潜力类型", "状态", "潜力大类", "图斑数", "面积（亩）",
                                                        "新增耕地（亩）", "认定规则", "新增耕地"]]),
                           rh.paragraph("大类面积中同一图斑只计一次；一个图斑可有多种潜力类型（以“;”分隔）。"
                                        "新增耕地为负值表示退出耕地。", "note")))
    if result.skipped:
        body.append(rh.section("五、未评估的潜力类型", rh.table(pd.DataFrame(
            result.skipped, columns=["潜力类型", "原因"]))))
    else:
        body.append(rh.section("五、未评估的潜力类型", rh.paragraph("无：全部潜力类型均已评估。", "note")))
    shown = checks if (checks["DW_MC"] != "").any() else checks.drop(columns=["DW_MC"])
    body.append(rh.section("六、规则检查", rh.table(_frame_for_people(shown, CHECK_FIELDS),
                                                 decimals=2, cell_class=_check_class),
                           rh.paragraph("规则见《全域土地综合整治》政策要求：新增耕地不少于原有耕地 5%、"
                                        "建设用地总量不增加、不在 25° 以上坡地和生态保护红线内新增耕地、"
                                        "永久基本农田调出不超过 5% 且补划不少于 105%。阈值可在规则配置中修改。",
                                        "note")))
    if geoms is not None:
        png = potential_map(geoms, result)
        body.append(rh.section("七、潜力分布图", rh.image(png, "潜力分布图") or
                               rh.paragraph("（未安装 matplotlib，未生成地图）", "note")))
    if contiguity_table is not None and len(contiguity_table):
        alias = dict(contiguity.INDICATORS)
        alias.update({"CJ_DM": "村代码", "CJ_MC": "村名称", "QJ": "情景"})
        tot = contiguity_totals(contiguity_table).drop(columns=["CJ_DM"])
        body.append(rh.section("八、耕地集中连片度（整治前后）", rh.table(tot.rename(columns=alias)),
                               rh.paragraph(f"连片：共边相邻的耕地图斑，宽度不超过 {rules.bridge_width_m:g} "
                                            "米的农村道路、沟渠不隔断；大连片指不小于 "
                                            f"{rules.large_block_mu:g} 亩的连片。整治后 = 现状耕地 − 退出耕地"
                                            "（坡耕地退出、林耕置换出）+ 新增耕地图斑。", "note")))
    if result.notes:
        body.append(rh.section("九、说明", *(rh.paragraph(t, "note") for t in result.notes)))
    return rh.page("全域土地综合整治潜力调查评估报告", "".join(body),
                   subtitle="农用地整理 · 建设用地整理 · 生态保护修复")


def _check_class(col, value):
    if col == "结果":
        return {FAIL: "lv2", PASS: "lv0", NOT_CHECKED: "lv1"}.get(str(value), "")
    return ""
