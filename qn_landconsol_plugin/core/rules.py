"""Policy thresholds of REFERENCE §3 (and the 2030 targets of §1) as one
configuration with defaults, read and written as JSON.

Every number the algorithms judge by lives here, so a county can change it
(and the QGIS project can store it) without touching code.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

# How work inside the ecological red line is judged: (what, level, reason).
# `what` is a task family/subtype code, or 'FARMLAND' for existing farmland
# without planned work, or 'CONSTRUCTION' for construction land codes.
# level 0 allowed, 1 attention, 2 conflict. The most specific match wins.
DEFAULT_RED_LINE_RULES = (
    ("STXF", 0, "生态保护修复位于生态保护红线内（允许）"),
    ("NYD", 2, "农用地整理位于生态保护红线内"),
    ("NYD03", 2, "宜耕后备资源开发位于生态保护红线内"),
    ("NYD04", 2, "林耕置换（新增耕地）位于生态保护红线内"),
    ("NYD06", 1, "田坎归并位于生态保护红线内（现状耕地提质）"),
    ("JSYD", 2, "建设用地整理（复垦为耕地）位于生态保护红线内"),
    ("CYRH", 2, "产业融合（新增建设）位于生态保护红线内"),
    ("FARMLAND", 1, "现状耕地位于生态保护红线内（有序退出）"),
    ("JSYD05", 2, "危房治理（建设活动）位于生态保护红线内"),
    ("JSYD06", 2, "存量建设用地盘活（建设活动）位于生态保护红线内"),
    ("CONSTRUCTION", 1, "现状建设用地位于生态保护红线内（核实）"),
    ("TASK", 1, "整治项目位于生态保护红线内（类型未识别，需核实）"),
)

# The same shape for the other two control lines. Extra `what` keys (see
# core.control_lines.judge): a DLBM code, 'TASK' any tagged parcel, 'NONFARMLAND' existing
# land that is not farmland, 'PROJECT' a project parcel (tagged, or every parcel
# when the layer has no task field), 'ANY' every parcel.
DEFAULT_PBF_RULES = (
    ("TASK", 1, "整治项目涉及永久基本农田（永久基本农田调整）"),
    ("NYD", 1, "农用地整理涉及永久基本农田（数量不减、质量不降）"),
    ("NYD04", 1, "林耕置换涉及永久基本农田（永久基本农田调整）"),
    ("JSYD", 1, "建设用地整理涉及永久基本农田（永久基本农田调整）"),
    ("CYRH", 1, "产业融合占用永久基本农田（永久基本农田调整）"),
    ("STXF", 1, "生态保护修复涉及永久基本农田（永久基本农田调整）"),
    ("NONFARMLAND", 1, "永久基本农田内现状非耕地（永久基本农田调整）"),
    # farm roads, ditches, facility farmland and ridges serve the farmland: no adjustment
    ("1006", 0, ""), ("1107", 0, ""), ("1202", 0, ""), ("1203", 0, ""),
)
DEFAULT_UDB_RULES = (
    ("PROJECT", 1, "项目区涉及城镇开发边界"),
)

DEFAULT_UNSTABLE_TBXHDM = ("HDGD", "HQGD", "LQGD", "MQGD", "SHGD", "HHGD", "SMGD")

# target KCXS (田坎系数) after merging ridges, by GDPDJB grade 1..5
DEFAULT_TERRACE_TARGET_KCXS = {"1": 0.02, "2": 0.04, "3": 0.08, "4": 0.12, "5": 0.18}


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
    reserve_new_farmland_coef: float = 0.85     # share of reserve area that becomes farmland
    reclaim_new_farmland_coef: float = 0.90     # share of reclaimed construction land that becomes farmland
    swap_in_max_slope_deg: float = 15.0
    swap_max_distance_m: float = 500.0
    terrace_target_kcxs: dict = field(default_factory=lambda: dict(DEFAULT_TERRACE_TARGET_KCXS))
    # homesteads
    homestead_coverage_min_pct: float = 10.0
    hollow_village_min_pct: float = 30.0
    idle_max_residents: int = 0
    idle_max_kwh_per_year: float = 100.0
    idle_building_status: tuple = ("危房", "倒塌", "空置")  # building states meaning not lived in
    # control lines
    overlap_min_area_m2: float = 1.0
    red_line_rules: tuple = DEFAULT_RED_LINE_RULES
    pbf_rules: tuple = DEFAULT_PBF_RULES
    udb_rules: tuple = DEFAULT_UDB_RULES
    # contiguity
    large_block_mu: float = 30.0
    bridge_width_m: float = 8.0
    # potential survey: a candidate 和美乡村 has potential in at least this many task families
    harmony_village_min_families: int = 2
    targets: Targets = field(default_factory=Targets)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Rules":
        """Rules from JSON; absent keys keep their defaults, unknown keys are an error."""
        data = json.loads(text) if text and text.strip() else {}
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown rule(s): {', '.join(sorted(unknown))}")
        rules = cls()
        for key, value in data.items():
            if key == "targets":
                value = Targets(**value)
            elif key in ("red_line_rules", "pbf_rules", "udb_rules"):
                value = tuple((str(w), int(lv), str(r)) for w, lv, r in value)
            elif key == "unstable_tbxhdm":
                value = tuple(str(v) for v in value)
            elif key == "terrace_target_kcxs":
                value = {str(k): float(v) for k, v in value.items()}
            else:
                default = getattr(rules, key)
                value = type(default)(value)
            setattr(rules, key, value)
        return rules
