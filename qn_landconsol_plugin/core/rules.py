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
    swap_in_max_slope_deg: float = 15.0
    swap_max_distance_m: float = 500.0
    terrace_target_kcxs: dict = field(default_factory=lambda: dict(DEFAULT_TERRACE_TARGET_KCXS))
    # homesteads
    homestead_coverage_min_pct: float = 10.0
    hollow_village_min_pct: float = 30.0
    idle_max_residents: int = 0
    idle_max_kwh_per_year: float = 100.0
    # control lines
    overlap_min_area_m2: float = 1.0
    red_line_rules: tuple = DEFAULT_RED_LINE_RULES
    # contiguity
    large_block_mu: float = 30.0
    bridge_width_m: float = 8.0
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
            elif key == "red_line_rules":
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
