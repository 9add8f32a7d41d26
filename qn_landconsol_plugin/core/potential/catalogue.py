"""The potential survey's catalogue, as data: the task families and potential types
(who qualifies, the new-farmland formula, what inputs each needs), the output fields,
the wording of its notes and skip reasons, and the result containers."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..fields import FieldSpec
from ..messages import INFO, Finding, Wording, finding, translatable
from ..rules import Rules

SEPARATOR = ";"
TOTAL_CODE, TOTAL_NAME = "合计", "合计"
PASS, FAIL, NOT_CHECKED = "通过", "不通过", "未检查"

# inputs a potential type may need; without one the type is skipped (NEED_TEXT says why)
NEED_DEM, NEED_SLOPE, NEED_RED_LINE, NEED_EVIDENCE, NEED_KCXS = (
    "DEM", "SLOPE", "RED_LINE", "EVIDENCE", "KCXS")
NEED_TEXT = {
    NEED_DEM: Wording(translatable("no DEM: the slope of non-farmland parcels is unknown"),
                      "未提供 DEM，无法计算非耕地图斑的坡度"),
    NEED_SLOPE: Wording(translatable("no DEM and no slope grade GDPDJB on the parcels"),
                        "未提供 DEM，且图斑无耕地坡度级别 GDPDJB"),
    NEED_RED_LINE: Wording(translatable("no ecological red line: parcels inside it cannot be "
                                        "excluded"), "未提供生态保护红线，无法排除红线内图斑"),
    NEED_EVIDENCE: Wording(translatable("no building footprints and no household survey: idle "
                                        "homesteads cannot be judged"),
                           "未提供建筑物轮廓和农户调查表，无法判定宅基地是否闲置"),
    NEED_KCXS: Wording(translatable("the parcels have no deduction coefficient KCXS"),
                       "图斑无扣除地类系数 KCXS 字段"),
}

# remarks of the survey (Survey.notes), the unit choice and the checks: code -> wording
NOTE_TEXT = {
    "NO_UDB": Wording(translatable("No urban development boundary: reserve land inside it was "
                                   "not excluded."),
                      "未提供城镇开发边界：宜耕后备资源未排除城镇开发边界内的图斑。"),
    "NO_RED_LINE": Wording(translatable("No ecological red line: reclamation targets, "
                                        "rocky-desertification control and new farmland were "
                                        "not judged against it."),
                           "未提供生态保护红线：复垦方向、石漠化治理和新增耕地未按红线判定。"),
    "NO_GDLX": Wording(translatable("The parcels have no farmland type GDLX: terrace merging "
                                    "considered all farmland."),
                       "图斑无耕地类型 GDLX 字段：田坎归并按全部耕地判定。"),
    "HOMESTEAD_NO_DEM": Wording(translatable("No DEM: the reclamation target of idle homesteads "
                                             "ignores slope (all reclaimable to farmland)."),
                                "未提供 DEM：闲置宅基地复垦方向未检查坡度（均按可复垦为耕地）。"),
    "MINE_NO_DEM": Wording(translatable("No DEM: the reclamation of abandoned mining land ignores "
                                        "slope (all reclaimable to farmland)."),
                           "未提供 DEM：废弃工矿用地复垦未检查坡度（均按可复垦为耕地）。"),
    "ROCKY_NO_DEM": Wording(translatable("No DEM: rocky-desertification control holds only "
                                         "rocky farmland and bare land or other grassland "
                                         "inside the red line."),
                            "未提供 DEM：石漠化治理只含石漠化耕地和红线内的裸地、其他草地。"),
    "UNKNOWN_CODES": Wording(translatable("DLBM values that are no 三调 land-use code, counted "
                                          "nowhere: {codes}."),
                             "地类编码不属于三调工作分类，未参与统计：{codes}。"),
    "NO_ZLDWDM": Wording(translatable("The parcels have no ZLDWDM field and no summary field "
                                      "was chosen: only a total is given."),
                         "图斑无坐落单位代码 ZLDWDM 字段，且未指定汇总字段：只汇总合计。"),
}


def note(code: str, **values) -> Finding:
    """A remark of the survey (NOTE_TEXT)."""
    return finding(NOTE_TEXT, INFO, code, **values)


def skip_reason(needs, translate=None) -> str:
    """Why a type was skipped: the NEED_TEXT of its missing inputs, Chinese unless a
    `translate` (tr) is given."""
    if translate is None:
        return "；".join(NEED_TEXT[m].zh for m in needs)
    return "; ".join(translate(NEED_TEXT[m].en) for m in needs)


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
                  "梯田（GDLX=TT）耕地，坡度级别 2–5 级（1 级 ≤2° 无田坎系数），扣除地类系数 KCXS 高于"
                  "省田坎系数表中同坡度级别、同耕地类型的归并后系数（{terrace}）；"
                  "不含坡耕地（>{slope:g}°）和生态保护红线内耕地",
                  "新增耕地 = TBMJ ×（KCXS − 归并后系数）", "terrace", False,
                  (NEED_KCXS, NEED_SLOPE), "#d9b34d"),
    PotentialType("reserve", "宜耕后备资源开发", "NYD", "NYD03", "HB_MU",
                  "其他草地、盐碱地、沙地、裸土地（0404、1204–1206{bare_rock}）；平均坡度 ≤ {reserve:g}°；"
                  "不在生态保护红线和城镇开发边界内；空闲地 1201 属建设用地，不计入",
                  "新增耕地 = TBMJ ×（1 − 坡度级别田坎系数）", "reserve", False,
                  (NEED_DEM, NEED_RED_LINE), "#c8a000"),
    PotentialType("paddy", "旱改水", "NYD", "NYD02", "HGS_MU",
                  "旱地（0103）坡度级别 ≤ 2（≤ 6°）；不在生态保护红线内",
                  "不新增耕地（提质改造，新增水田）", "", False, (NEED_SLOPE,), "#f4a300"),
    PotentialType("swap_in", "林耕置换（入）", "NYD", "NYD04", "LGR_MU",
                  "园地、林地、其他草地，平均坡度 ≤ {swap_slope:g}°，红线外，距留用耕地或村庄 ≤ "
                  "{swap_dist:g} 米；按评分入选，至与调出耕地面积（均扣除田坎）平衡",
                  "新增耕地 = TBMJ ×（1 − 坡度级别田坎系数）", "swap_in", False, (NEED_DEM,),
                  "#a6c800"),
    PotentialType("swap_out", "林耕置换（出）", "NYD", "NYD04", "LGC_MU",
                  "不稳定耕地（TBXHDM 为 {unstable}）随林耕置换调出（坡度 ≤ {slope:g}°）",
                  "新增耕地 = −TBDLMJ", "swap_out", False, (NEED_DEM,), "#8c6d31"),
    PotentialType("slope_exit", "坡耕地退出", "NYD", "NYD04", "PGD_MU",
                  "耕地平均坡度 > {slope:g}°（无 DEM 值时 GDPDJB = 5），退耕上坡",
                  "新增耕地 = −TBDLMJ", "swap_out", False, (NEED_SLOPE,), "#b2182b"),
    PotentialType("homestead", "宅基地复垦", "JSYD", "JSYD01", "ZJD_MU",
                  "闲置农村宅基地（0702：无建筑、建筑覆盖率 < {coverage:g}%、危房/倒塌/空置、"
                  "无常住人口、年用电量 < {kwh:g} 千瓦时）；红线内复垦为林地/草地（生态修复，允许）",
                  "复垦为耕地（坡度 ≤ {new_slope:g}°）：新增耕地 = TBMJ ×（1 − 坡度级别田坎系数）；"
                  "复垦为林地/园地、林地/草地：0", "reclaim", True, (NEED_EVIDENCE,), "#ef6548"),
    PotentialType("idle_land", "空闲地复垦", "JSYD", "JSYD01", "KXD_MU",
                  "村庄内空闲地（1201，CZCSXM 203/203A，建设用地），坡度 ≤ {new_slope:g}° 且在红线外，"
                  "复垦为耕地（宅基地/空闲地复垦，可纳入城乡建设用地增减挂钩）",
                  "新增耕地 = TBMJ ×（1 − 坡度级别田坎系数）", "reclaim", True, (), "#fc9272"),
    PotentialType("mine", "工矿废弃地复垦", "JSYD", "JSYD03", "GK_MU",
                  "采矿用地（0602）备注含“废弃”或在废弃图斑清单中，坡度 ≤ {new_slope:g}° 且在红线外",
                  "新增耕地 = TBMJ ×（1 − 坡度级别田坎系数）", "reclaim", True, (), "#990000"),
    PotentialType("rocky", "石漠化治理", "STXF", "STXF02", "SMH_MU",
                  "石漠化耕地（TBXHDM = SMGD）；裸土地、裸岩石砾地、其他草地（1206、1207、0404）"
                  "坡度 > {reserve:g}° 或在生态保护红线内（不宜开发为耕地）；裸岩石砾地 1207 未作为"
                  "宜耕后备资源时均计入",
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

# the 三调 fields the survey reads (besides DLBM) when the layer has them; the dock's task
# tags ZZLX/ZZZLX make tagged new construction count in rule R2, GDDB the 等别 of the PBF table
INPUT_FIELDS = ("BSM", "TBBH", "ZLDWDM", "ZLDWMC", "TBMJ", "KCXS", "KCMJ", "TBDLMJ", "GDLX",
                "GDPDJB", "TBXHDM", "CZCSXM", "BZ", "XZDWKD", "GDDB", "ZZLX", "ZZZLX")

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
    merged = "；".join(f"{'梯田' if t == 'TT' else '坡地' if t == 'PD' else t} " +
                      "、".join(f"{g}级 {v:g}" for g, v in sorted(grades.items()))
                      for t, grades in rules.terrace_kcxs_merged.items())
    values = dict(
        terrace=merged, slope=rules.slope_farmland_deg, reserve=rules.reserve_max_slope_deg,
        bare_rock="，县域开启时含裸岩石砾地 1207" if rules.reserve_includes_bare_rock else "",
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
    items: pd.DataFrame           # parcel, type, family, area_m2, new_m2, counted (for the
    #                               family's target, Rules.target_precedence)
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
    skipped: list = field(default_factory=list)   # (type zh, missing NEED_* codes)
    notes: list = field(default_factory=list)     # Messages (NOTE_TEXT) for the log and report
    outcome: pd.DataFrame | None = None   # core.consolidation.outcome of the potential, plus
    #                                       BSM, PD (slope), GDDB, JBNT and HX (overlap m²)
    unknown_codes: tuple = ()     # DLBM values that are no 三调 code (counted nowhere)
