"""三调 land-use classes (工作分类, GB/T 21010-2017): code -> name, group, 三大类.

One table, read everywhere. "K" (可调整) and "A" suffixed variants resolve to
their base code's group; their own names are listed where 三调 defines them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

AGRICULTURAL = "农用地"
CONSTRUCTION = "建设用地"
UNUSED = "未利用地"
CATEGORIES = (AGRICULTURAL, CONSTRUCTION, UNUSED)

# first-level groups, in the order of the 三调 classification
GROUPS = ("耕地", "园地", "林地", "湿地", "草地", "商服/工矿", "住宅", "公共/特殊",
          "交通", "水域", "其他")


@dataclass(frozen=True)
class LandClass:
    code: str
    name: str
    group: str
    category: str

    @property
    def base_code(self) -> str:
        return base_code(self.code)


# code, name, group, 三大类
_TABLE = [
    ("0101", "水田", "耕地", AGRICULTURAL),
    ("0102", "水浇地", "耕地", AGRICULTURAL),
    ("0103", "旱地", "耕地", AGRICULTURAL),
    ("0201", "果园", "园地", AGRICULTURAL),
    ("0202", "茶园", "园地", AGRICULTURAL),
    ("0203", "橡胶园", "园地", AGRICULTURAL),
    ("0204", "其他园地", "园地", AGRICULTURAL),
    ("0301", "乔木林地", "林地", AGRICULTURAL),
    ("0302", "竹林地", "林地", AGRICULTURAL),
    ("0305", "灌木林地", "林地", AGRICULTURAL),
    ("0307", "其他林地", "林地", AGRICULTURAL),
    ("0303", "红树林地", "湿地", AGRICULTURAL),
    ("0304", "森林沼泽", "湿地", AGRICULTURAL),
    ("0306", "灌丛沼泽", "湿地", AGRICULTURAL),
    ("0402", "沼泽草地", "湿地", AGRICULTURAL),
    ("1105", "沿海滩涂", "湿地", UNUSED),
    ("1106", "内陆滩涂", "湿地", UNUSED),
    ("1108", "沼泽地", "湿地", UNUSED),
    ("0401", "天然牧草地", "草地", AGRICULTURAL),
    ("0403", "人工牧草地", "草地", AGRICULTURAL),
    ("0404", "其他草地", "草地", UNUSED),
    ("05H1", "商业服务业设施用地", "商服/工矿", CONSTRUCTION),
    ("0508", "物流仓储用地", "商服/工矿", CONSTRUCTION),
    ("0601", "工业用地", "商服/工矿", CONSTRUCTION),
    ("0602", "采矿用地", "商服/工矿", CONSTRUCTION),
    ("0603", "盐田", "商服/工矿", CONSTRUCTION),
    ("0701", "城镇住宅用地", "住宅", CONSTRUCTION),
    ("0702", "农村宅基地", "住宅", CONSTRUCTION),
    ("08H1", "机关团体新闻出版用地", "公共/特殊", CONSTRUCTION),
    ("08H2", "科教文卫用地", "公共/特殊", CONSTRUCTION),
    ("0809", "公用设施用地", "公共/特殊", CONSTRUCTION),
    ("0810", "公园与绿地", "公共/特殊", CONSTRUCTION),
    ("0810A", "广场用地", "公共/特殊", CONSTRUCTION),
    ("09", "特殊用地", "公共/特殊", CONSTRUCTION),
    ("1001", "铁路用地", "交通", CONSTRUCTION),
    ("1002", "轨道交通用地", "交通", CONSTRUCTION),
    ("1003", "公路用地", "交通", CONSTRUCTION),
    ("1004", "城镇村道路用地", "交通", CONSTRUCTION),
    ("1005", "交通服务场站用地", "交通", CONSTRUCTION),
    ("1006", "农村道路", "交通", AGRICULTURAL),
    ("1007", "机场用地", "交通", CONSTRUCTION),
    ("1008", "港口码头用地", "交通", CONSTRUCTION),
    ("1009", "管道运输用地", "交通", CONSTRUCTION),
    ("1101", "河流水面", "水域", UNUSED),
    ("1102", "湖泊水面", "水域", UNUSED),
    ("1103", "水库水面", "水域", CONSTRUCTION),
    ("1104", "坑塘水面", "水域", AGRICULTURAL),
    ("1104A", "养殖坑塘", "水域", AGRICULTURAL),
    ("1104K", "可调整养殖坑塘", "水域", AGRICULTURAL),
    ("1107", "沟渠", "水域", AGRICULTURAL),
    ("1107A", "干渠", "水域", CONSTRUCTION),
    ("1109", "水工建筑用地", "水域", CONSTRUCTION),
    ("1110", "冰川及永久积雪", "水域", UNUSED),
    ("1201", "空闲地", "其他", CONSTRUCTION),
    ("1202", "设施农用地", "其他", AGRICULTURAL),
    ("1203", "田坎", "其他", AGRICULTURAL),
    ("1204", "盐碱地", "其他", UNUSED),
    ("1205", "沙地", "其他", UNUSED),
    ("1206", "裸土地", "其他", UNUSED),
    ("1207", "裸岩石砾地", "其他", UNUSED),
]

LAND_CLASSES: dict[str, LandClass] = {row[0]: LandClass(*row) for row in _TABLE}

# 可调整 (K) variants that 三调 records: name prefixed with 可调整, same group/category
ADJUSTABLE_BASES = ("0201", "0202", "0203", "0204", "0301", "0302", "0305", "0307",
                    "0403")
for _b in ADJUSTABLE_BASES:
    _c = LAND_CLASSES[_b]
    LAND_CLASSES[_b + "K"] = LandClass(_b + "K", "可调整" + _c.name, _c.group, _c.category)

FARMLAND_CODES = ("0101", "0102", "0103")
GARDEN_CODES = tuple(c for c, lc in LAND_CLASSES.items() if lc.group == "园地")
FOREST_CODES = tuple(c for c, lc in LAND_CLASSES.items() if lc.group == "林地")
HOMESTEAD_CODE = "0702"
# 宜耕后备资源 candidates (1201 only inside villages: see is_reserve_candidate)
RESERVE_LAND_CODES = ("0404", "1204", "1205", "1206", "1207")
VILLAGE_IDLE_LAND_CODE = "1201"


def normalize_code(code) -> str:
    """Canonical form of a DLBM value: stripped, upper-case suffix, '' for None."""
    if code is None:
        return ""
    text = str(code).strip().upper()
    if text.endswith(".0"):  # codes read from numeric columns
        text = text[:-2]
    if text.isdigit() and len(text) == 3:  # leading zero lost by a spreadsheet
        text = "0" + text
    return text


def base_code(code) -> str:
    """The code without its K/A variant suffix ('0201K' -> '0201', '0810A' -> '0810A')."""
    c = normalize_code(code)
    if c in LAND_CLASSES and not c.endswith("K"):
        return c
    if c[-1:] in ("K", "A") and c[:-1] in LAND_CLASSES:
        return c[:-1]
    return c


def map_distinct(func, values, dtype=object) -> np.ndarray:
    """func(v) for every value of a column, computed once per distinct value (a county
    has 300,000 parcels but a few dozen codes); missing values (None, NaN) give
    func(None)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    table = np.array([func(u) for u in uniques] + [func(None)], dtype=dtype)
    return table[codes]


def base_codes(values) -> np.ndarray:
    """base_code of every value of a column (object array)."""
    return map_distinct(base_code, values)


def land_class(code) -> LandClass:
    """The LandClass of a DLBM value, variants included; KeyError names an unknown code."""
    c = normalize_code(code)
    if c in LAND_CLASSES:
        return LAND_CLASSES[c]
    b = base_code(c)
    if b in LAND_CLASSES:
        base = LAND_CLASSES[b]
        return LandClass(c, base.name, base.group, base.category)
    raise KeyError(f"unknown 三调 land-use code (DLBM): {code!r}")


def group_of(code, default: str = "") -> str:
    try:
        return land_class(code).group
    except KeyError:
        return default


def category_of(code, default: str = "") -> str:
    try:
        return land_class(code).category
    except KeyError:
        return default


def name_of(code, default: str = "") -> str:
    try:
        return land_class(code).name
    except KeyError:
        return default


def is_adjustable(code) -> bool:
    """True for the 可调整 ("K") variants, preferred swap-in candidates."""
    return normalize_code(code).endswith("K")


def is_farmland(code, farmland_codes=FARMLAND_CODES) -> bool:
    return base_code(code) in farmland_codes


def codes_in_group(group: str) -> tuple[str, ...]:
    return tuple(c for c, lc in LAND_CLASSES.items() if lc.group == group)
