"""Policy thresholds of REFERENCE §3 (and the 2030 targets of §1) as one
configuration with defaults, read and written as JSON.

Every number the algorithms judge by lives here, so a county can change it
(and the QGIS project can store it) without touching code.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

# Policy sources named beside the control-line rules (REFERENCE §3 and its refinements)
SRC_RED_LINE = "《关于加强生态保护红线管理的通知（试行）》（自然资发〔2022〕142号）"
SRC_RED_LINE_RESIDENTS = SRC_RED_LINE + "：原住居民不扩大现有建设用地的前提下修筑生产生活设施"
SRC_RED_LINE_RESTORE = SRC_RED_LINE + "：依规划开展的生态修复属允许的有限人为活动"
SRC_PBF_LAW = "《中华人民共和国土地管理法》第三十五条：永久基本农田不得擅自占用或者改变用途"
SRC_PBF_NOTICE = "《自然资源部 农业农村部关于加强和改进永久基本农田保护工作的通知》（自然资规〔2019〕1号）"
SRC_PBF_BALANCE = "全域土地综合整治永久基本农田调整要求：数量不减少、质量不降低、布局更集中"
SRC_UDB = "全域土地综合整治区域原则上不含城镇开发边界（REFERENCE §3）"

# How work inside the ecological red line is judged: (what, level, reason, policy source).
# `what` is a task family/subtype code, or 'FARMLAND' for existing farmland without
# planned work, or 'CONSTRUCTION' for construction land codes; a subtype may be joined
# to the parcel's land ('NYD04:FARMLAND'). level 0 allowed, 1 attention, 2 conflict.
# The most specific match wins (core.control_lines.rule_keys).
DEFAULT_RED_LINE_RULES = (
    ("STXF", 0, "生态保护修复位于生态保护红线内（允许）", SRC_RED_LINE_RESTORE),
    ("NYD", 2, "农用地整理位于生态保护红线内", SRC_RED_LINE),
    ("NYD03", 2, "宜耕后备资源开发位于生态保护红线内", SRC_RED_LINE),
    ("NYD04", 2, "林耕置换（新增耕地）位于生态保护红线内", SRC_RED_LINE),
    ("NYD06", 1, "田坎归并位于生态保护红线内（现状耕地提质）", SRC_RED_LINE_RESIDENTS),
    ("JSYD", 2, "建设用地整理（复垦为耕地）位于生态保护红线内",
     SRC_RED_LINE),
    ("CYRH", 2, "产业融合（新增建设）位于生态保护红线内", SRC_RED_LINE),
    ("FARMLAND", 1, "现状耕地位于生态保护红线内（有序退出）", SRC_RED_LINE),
    ("JSYD05", 1, "危房治理位于生态保护红线内：修缮现有住房、不扩大建设用地（关注）",
     SRC_RED_LINE_RESIDENTS),
    ("JSYD06", 2, "存量建设用地盘活（建设活动）位于生态保护红线内", SRC_RED_LINE),
    ("CONSTRUCTION", 1, "现状建设用地位于生态保护红线内（核实）", SRC_RED_LINE),
    ("TASK", 1, "整治项目位于生态保护红线内（类型未识别，需核实）", SRC_RED_LINE),
)

# The same shape for the other two control lines. Extra `what` keys (see
# core.control_lines.rule_keys): a DLBM code, 'TASK' any tagged parcel, 'NONFARMLAND'
# existing land that is not farmland, 'PROJECT' a project parcel (tagged, or every
# parcel when the layer has no task field), 'ANY' every parcel, 'ADJUSTED_OUT' a parcel
# marked as formally adjusted out of PBF.
DEFAULT_PBF_RULES = (
    ("TASK", 1, "整治项目涉及永久基本农田（永久基本农田调整）", SRC_PBF_BALANCE),
    ("NYD", 1, "农用地整理涉及永久基本农田（数量不减、质量不降）", SRC_PBF_BALANCE),
    ("NYD01", 0, "", "高标准农田建设优先在永久基本农田上开展（" + SRC_PBF_NOTICE + "）"),
    ("NYD04", 1, "林耕置换调入涉及永久基本农田（永久基本农田调整）", SRC_PBF_BALANCE),
    ("NYD04:FARMLAND", 2, "林耕置换调出永久基本农田（须先依法调整出永久基本农田）",
     SRC_PBF_NOTICE + "：禁止占用永久基本农田发展林果业"),
    ("ADJUSTED_OUT", 1, "已依法调整出永久基本农田的图斑（核实调整手续）", SRC_PBF_NOTICE),
    ("JSYD", 1, "建设用地整理涉及永久基本农田（永久基本农田调整）", SRC_PBF_BALANCE),
    ("CYRH", 2, "产业融合新增建设（建筑、设施、设施农用地）占用永久基本农田", SRC_PBF_LAW),
    ("STXF", 1, "生态保护修复涉及永久基本农田（永久基本农田调整）", SRC_PBF_BALANCE),
    ("NONFARMLAND", 1, "永久基本农田内现状非耕地（永久基本农田调整）", SRC_PBF_BALANCE),
    # farm roads, ditches, facility farmland and ridges serve the farmland: no adjustment
    ("1006", 0, "", SRC_PBF_NOTICE), ("1107", 0, "", SRC_PBF_NOTICE),
    ("1202", 0, "", SRC_PBF_NOTICE), ("1203", 0, "", SRC_PBF_NOTICE),
)
DEFAULT_UDB_RULES = (
    ("PROJECT", 1, "项目区涉及城镇开发边界", SRC_UDB),
)
CONTROL_LINE_RULE_FIELDS = ("red_line_rules", "pbf_rules", "udb_rules")

DEFAULT_UNSTABLE_TBXHDM = ("HDGD", "HQGD", "LQGD", "MQGD", "SHGD", "HHGD", "SMGD")

# 田坎系数 (KCXS) by 耕地类型 GDLX (TT 梯田 / PD 坡地) and slope grade GDPDJB 2..5, now
# and after 田坎归并. Grade 1 (≤ 2°) has none: its 田坎 is mapped. The defaults are
# placeholders: the current ones are the Guizhou-like coefficients of the sample township
# (core.sample_township.KCXS_TABLE), the merged ones about 40 % lower; a county replaces
# both with the province's published 田坎系数表 (stored with the rules, JSON round trip).
DEFAULT_TERRACE_KCXS = {
    "TT": {"2": 0.035, "3": 0.077, "4": 0.129, "5": 0.174},
    "PD": {"2": 0.031, "3": 0.066, "4": 0.112, "5": 0.152},
}
DEFAULT_TERRACE_KCXS_MERGED = {
    "TT": {"2": 0.02, "3": 0.05, "4": 0.09, "5": 0.12},
    "PD": {"2": 0.02, "3": 0.04, "4": 0.08, "5": 0.11},
}

# No double counting against the targets: where a parcel has both types, the first
# (key) counts for its family's target only when none of the types listed is there.
# Default: >25° farmland counts for 坡耕地退出 (农用地整理), not also 水土流失治理; SMGD
# farmland for 林耕置换（出）/坡耕地退出, not also 石漠化治理.
DEFAULT_TARGET_PRECEDENCE = {
    "erosion": ("slope_exit",),
    "rocky": ("swap_out", "slope_exit"),
}

# Task codes whose parcel becomes new construction land when it is not construction now
# (rule R2): 产业融合 buildings and facilities; a county adds its 建新区 code here.
DEFAULT_NEW_CONSTRUCTION_TASKS = ("CYRH", "CYRH01", "CYRH02", "CYRH03")

# The land class a parcel has after its work (整治后地类, for the structure tables).
DEFAULT_CLASS_AFTER = {
    "farmland": "0103",     # land that becomes farmland
    "paddy": "0101",        # 旱改水
    "restored": "0307",     # farmland going up, reclamation to forest (其他林地, 未成林造林地)
    "CYRH": "05H1", "CYRH01": "0601", "CYRH02": "05H1", "CYRH03": "05H1",
}

# Rule keys of earlier versions, read and ignored (stored projects keep loading)
RETIRED_RULES = ("reserve_new_farmland_coef", "reclaim_new_farmland_coef", "terrace_target_kcxs")

# The 12 counties/cities of Qiannan (GB/T 2260 codes) and each one's share of the
# prefecture targets. Default: an even split (whole 亩, remainders to the first ones),
# a placeholder until the prefecture's own split is entered.
QIANNAN_COUNTIES = (
    ("522701", "都匀市"), ("522702", "福泉市"), ("522722", "荔波县"), ("522723", "贵定县"),
    ("522725", "瓮安县"), ("522726", "独山县"), ("522727", "平塘县"), ("522728", "罗甸县"),
    ("522729", "长顺县"), ("522730", "龙里县"), ("522731", "惠水县"), ("522732", "三都水族自治县"),
)
QUOTA_KEYS = ("farmland_mu", "construction_mu", "ecological_mu", "villages")


def even_split(total: float, n: int) -> list:
    """`total` over n parts in whole units, the remainder to the first parts."""
    base, extra = divmod(int(round(total)), n)
    return [float(base + (1 if i < extra else 0)) for i in range(n)]


def default_county_quotas(targets=None) -> dict:
    """{county code: {name, farmland_mu, construction_mu, ecological_mu, villages}}."""
    targets = targets or Targets()
    n = len(QIANNAN_COUNTIES)
    columns = {k: even_split(getattr(targets, k), n) for k in QUOTA_KEYS}
    return {code: {"name": name, **{k: (int(columns[k][i]) if k == "villages" else columns[k][i])
                                    for k in QUOTA_KEYS}}
            for i, (code, name) in enumerate(QIANNAN_COUNTIES)}


@dataclass
class Targets:
    """Prefecture targets to the end of 2030 (亩 and villages)."""
    farmland_mu: float = 73500.0        # 农用地整理
    construction_mu: float = 2300.0     # 建设用地整理
    ecological_mu: float = 3500.0       # 生态修复
    villages: int = 12                  # 和美乡村


@dataclass
class Rules:
    # §2 slope
    slope_farmland_deg: float = 25.0            # 坡耕地 threshold
    unstable_tbxhdm: tuple = DEFAULT_UNSTABLE_TBXHDM
    # §3 numeric rules of a project area
    new_farmland_min_share: float = 0.05        # 新增耕地 ≥ 5 % of original farmland
    pbf_out_max_share: float = 0.05             # PBF adjusted out ≤ 5 %
    pbf_in_min_ratio: float = 1.05              # PBF added ≥ 105 % of moved out
    construction_increase_max_m2: float = 0.0   # construction land must not increase
    new_farmland_max_slope_deg: float = 25.0    # no new farmland above this
    # reserve land (宜耕后备资源) and swaps
    reserve_max_slope_deg: float = 25.0
    reserve_preferred_slope_deg: float = 15.0
    reserve_includes_bare_rock: bool = False    # 1207 裸岩石砾地 as reserve land (off in karst)
    swap_in_max_slope_deg: float = 15.0
    swap_max_distance_m: float = 500.0
    # 田坎: KCXS by GDLX × grade now and after merging; land that becomes farmland is
    # built as `new_farmland_gdlx` and gets the deduction of its grade
    terrace_kcxs: dict = field(default_factory=lambda: _copy(DEFAULT_TERRACE_KCXS))
    terrace_kcxs_merged: dict = field(default_factory=lambda: _copy(DEFAULT_TERRACE_KCXS_MERGED))
    new_farmland_gdlx: str = "TT"
    # targets and what counts towards them
    target_precedence: dict = field(default_factory=lambda: dict(DEFAULT_TARGET_PRECEDENCE))
    new_construction_tasks: tuple = DEFAULT_NEW_CONSTRUCTION_TASKS
    class_after: dict = field(default_factory=lambda: dict(DEFAULT_CLASS_AFTER))
    # homesteads
    homestead_coverage_min_pct: float = 10.0
    hollow_village_min_pct: float = 30.0
    idle_max_residents: int = 0
    idle_max_kwh_per_year: float = 100.0
    idle_building_status: tuple = ("危房", "倒塌", "空置")  # building states meaning not lived in
    # an idle homestead inside the red line goes back to forest/grass (restoration,
    # 自然资发〔2022〕142号); False: 不宜复垦, as before
    red_line_restoration: bool = True
    # control lines
    overlap_min_area_m2: float = 1.0
    red_line_rules: tuple = DEFAULT_RED_LINE_RULES
    pbf_rules: tuple = DEFAULT_PBF_RULES
    udb_rules: tuple = DEFAULT_UDB_RULES
    # contiguity
    large_block_mu: float = 30.0
    bridge_width_m: float = 8.0
    # input checks (core.parcel_checks, core.layer_checks): TBMJ further than this from
    # the geometry's ellipsoidal area is reported; a DEM coarser than this (and than the
    # median parcel) gives a warning
    tbmj_tolerance_pct: float = 5.0
    dem_max_cell_m: float = 30.0
    # potential survey: a candidate 和美乡村 has potential in at least this many task families
    harmony_village_min_families: int = 2
    targets: Targets = field(default_factory=Targets)
    # the prefecture targets split over the 12 counties/cities (and townships, 9-digit
    # codes, where a county splits its own): {code: {name, farmland_mu, ...}}
    county_quotas: dict = field(default_factory=default_county_quotas)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Rules":
        """Rules from JSON; absent keys keep their defaults, retired keys (RETIRED_RULES)
        are ignored, unknown keys are an error."""
        data = json.loads(text) if text and text.strip() else {}
        data = {k: v for k, v in data.items() if k not in RETIRED_RULES}
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown rule(s): {', '.join(sorted(unknown))}")
        rules = cls()
        for key, value in data.items():
            if key == "targets":
                value = Targets(**value)
            elif key in CONTROL_LINE_RULE_FIELDS:
                value = tuple(_rule_row(row) for row in value)
            elif key in ("unstable_tbxhdm", "new_construction_tasks"):
                value = tuple(str(v) for v in value)
            elif key in ("terrace_kcxs", "terrace_kcxs_merged"):
                value = {str(t).upper(): {str(g).lstrip("0"): float(k) for g, k in grades.items()}
                         for t, grades in value.items()}
            elif key == "target_precedence":
                value = {str(k): tuple(str(v) for v in vs) for k, vs in value.items()}
            elif key == "class_after":
                value = {str(k): str(v) for k, v in value.items()}
            elif key == "county_quotas":
                value = {str(code): {"name": str(q.get("name", "")),
                                     **{k: (int(q.get(k, 0)) if k == "villages"
                                            else float(q.get(k, 0.0))) for k in QUOTA_KEYS}}
                         for code, q in value.items()}
            else:
                default = getattr(rules, key)
                value = type(default)(value)
            setattr(rules, key, value)
        return rules


def _copy(table: dict) -> dict:
    return {k: dict(v) for k, v in table.items()}


def _rule_row(row) -> tuple:
    """(what, level, reason, source) of a control-line rule; the source may be absent."""
    what, level, reason = row[0], row[1], row[2]
    source = row[3] if len(row) > 3 else ""
    return (str(what), int(level), str(reason), str(source))
