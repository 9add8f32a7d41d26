"""三调 land-use classes (工作分类, GB/T 21010-2017): code -> name, first-level class
(一级类), legend group, 三大类. One table, read everywhere.

Sources (docs/potentialsurvey.md, 地类与三大类): TD/T 1055-2019《第三次全国国土调查技术
规程》附录 A — 表 A.2 the 工作分类 (13 一级类, 00 湿地 … 12 其他土地, with the 细化
codes 0810A, 1104A, 1107A and the K codes), 表 A.4 the 工作分类 against 农用地 / 建设
用地 / 未利用地 (from GB/T 21010-2017 附录 A). 1103 水库水面 is 农用地; 1107A 干渠 is
建设用地 (a 水利设施 canal, not a field ditch 1107). Only the K codes 三调 defines exist
(0201K–0204K, 0301K, 0302K, 0307K, 0403K, 1104K): any other code is unknown and is
reported as such (`unknown_codes`), never resolved to a guess.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

AGRICULTURAL = "农用地"
CONSTRUCTION = "建设用地"
UNUSED = "未利用地"
CATEGORIES = (AGRICULTURAL, CONSTRUCTION, UNUSED)

# the 13 first-level classes (一级类) of the 三调 工作分类: every statistics table uses them
FIRST_LEVEL = (
    ("00", "湿地"), ("01", "耕地"), ("02", "种植园用地"), ("03", "林地"), ("04", "草地"),
    ("05", "商业服务业用地"), ("06", "工矿用地"), ("07", "住宅用地"),
    ("08", "公共管理与公共服务用地"), ("09", "特殊用地"), ("10", "交通运输用地"),
    ("11", "水域及水利设施用地"), ("12", "其他土地"),
)
FIRST_LEVEL_NAME = dict(FIRST_LEVEL)

# the dock's legend groups (friendlier merges of the 一级类; never used by a statistics table)
GROUPS = ("耕地", "园地", "林地", "湿地", "草地", "商服/工矿", "住宅", "公共/特殊",
          "交通", "水域", "其他")


@dataclass(frozen=True)
class LandClass:
    code: str
    name: str
    group: str          # legend group (GROUPS)
    category: str       # 三大类
    first_level: str    # 一级类 code of the 三调 工作分类 ('00'..'12')

    @property
    def base_code(self) -> str:
        return base_code(self.code)

    @property
    def first_level_name(self) -> str:
        return FIRST_LEVEL_NAME[self.first_level]


# code, name, legend group, 三大类, 一级类 (TD/T 1055-2019 表 A.2 and 表 A.4)
_TABLE = [
    ("0101", "水田", "耕地", AGRICULTURAL, "01"),
    ("0102", "水浇地", "耕地", AGRICULTURAL, "01"),
    ("0103", "旱地", "耕地", AGRICULTURAL, "01"),
    ("0201", "果园", "园地", AGRICULTURAL, "02"),
    ("0202", "茶园", "园地", AGRICULTURAL, "02"),
    ("0203", "橡胶园", "园地", AGRICULTURAL, "02"),
    ("0204", "其他园地", "园地", AGRICULTURAL, "02"),
    ("0301", "乔木林地", "林地", AGRICULTURAL, "03"),
    ("0302", "竹林地", "林地", AGRICULTURAL, "03"),
    ("0305", "灌木林地", "林地", AGRICULTURAL, "03"),
    ("0307", "其他林地", "林地", AGRICULTURAL, "03"),
    ("0303", "红树林地", "湿地", AGRICULTURAL, "00"),
    ("0304", "森林沼泽", "湿地", AGRICULTURAL, "00"),
    ("0306", "灌丛沼泽", "湿地", AGRICULTURAL, "00"),
    ("0402", "沼泽草地", "湿地", AGRICULTURAL, "00"),
    ("0603", "盐田", "商服/工矿", CONSTRUCTION, "00"),
    ("1105", "沿海滩涂", "湿地", UNUSED, "00"),
    ("1106", "内陆滩涂", "湿地", UNUSED, "00"),
    ("1108", "沼泽地", "湿地", UNUSED, "00"),
    ("0401", "天然牧草地", "草地", AGRICULTURAL, "04"),
    ("0403", "人工牧草地", "草地", AGRICULTURAL, "04"),
    ("0404", "其他草地", "草地", UNUSED, "04"),
    ("05H1", "商业服务业设施用地", "商服/工矿", CONSTRUCTION, "05"),
    ("0508", "物流仓储用地", "商服/工矿", CONSTRUCTION, "05"),
    ("0601", "工业用地", "商服/工矿", CONSTRUCTION, "06"),
    ("0602", "采矿用地", "商服/工矿", CONSTRUCTION, "06"),
    ("0701", "城镇住宅用地", "住宅", CONSTRUCTION, "07"),
    ("0702", "农村宅基地", "住宅", CONSTRUCTION, "07"),
    ("08H1", "机关团体新闻出版用地", "公共/特殊", CONSTRUCTION, "08"),
    ("08H2", "科教文卫用地", "公共/特殊", CONSTRUCTION, "08"),
    ("0809", "公用设施用地", "公共/特殊", CONSTRUCTION, "08"),
    ("0810", "公园与绿地", "公共/特殊", CONSTRUCTION, "08"),
    ("0810A", "广场用地", "公共/特殊", CONSTRUCTION, "08"),
    ("09", "特殊用地", "公共/特殊", CONSTRUCTION, "09"),
    ("1001", "铁路用地", "交通", CONSTRUCTION, "10"),
    ("1002", "轨道交通用地", "交通", CONSTRUCTION, "10"),
    ("1003", "公路用地", "交通", CONSTRUCTION, "10"),
    ("1004", "城镇村道路用地", "交通", CONSTRUCTION, "10"),
    ("1005", "交通服务场站用地", "交通", CONSTRUCTION, "10"),
    ("1006", "农村道路", "交通", AGRICULTURAL, "10"),
    ("1007", "机场用地", "交通", CONSTRUCTION, "10"),
    ("1008", "港口码头用地", "交通", CONSTRUCTION, "10"),
    ("1009", "管道运输用地", "交通", CONSTRUCTION, "10"),
    ("1101", "河流水面", "水域", UNUSED, "11"),
    ("1102", "湖泊水面", "水域", UNUSED, "11"),
    ("1103", "水库水面", "水域", AGRICULTURAL, "11"),
    ("1104", "坑塘水面", "水域", AGRICULTURAL, "11"),
    ("1104A", "养殖坑塘", "水域", AGRICULTURAL, "11"),
    ("1107", "沟渠", "水域", AGRICULTURAL, "11"),
    ("1107A", "干渠", "水域", CONSTRUCTION, "11"),
    ("1109", "水工建筑用地", "水域", CONSTRUCTION, "11"),
    ("1110", "冰川及永久积雪", "水域", UNUSED, "11"),
    ("1201", "空闲地", "其他", CONSTRUCTION, "12"),
    ("1202", "设施农用地", "其他", AGRICULTURAL, "12"),
    ("1203", "田坎", "其他", AGRICULTURAL, "12"),
    ("1204", "盐碱地", "其他", UNUSED, "12"),
    ("1205", "沙地", "其他", UNUSED, "12"),
    ("1206", "裸土地", "其他", UNUSED, "12"),
    ("1207", "裸岩石砾地", "其他", UNUSED, "12"),
]

LAND_CLASSES: dict[str, LandClass] = {row[0]: LandClass(*row) for row in _TABLE}

# the 可调整 (K) codes 三调 defines, and no others (there is no 0305K): farmland turned
# to another use with the plough layer intact; same group, category and 一级类 as the base
ADJUSTABLE_CODES = ("0201K", "0202K", "0203K", "0204K", "0301K", "0302K", "0307K", "0403K",
                    "1104K")
for _k in ADJUSTABLE_CODES:
    _c = LAND_CLASSES[_k[:-1]]
    LAND_CLASSES[_k] = LandClass(_k, "可调整" + (_c.name if _k != "1104K" else "养殖坑塘"),
                                 _c.group, _c.category, _c.first_level)

FARMLAND_CODES = ("0101", "0102", "0103")
GARDEN_CODES = tuple(c for c, lc in LAND_CLASSES.items() if lc.group == "园地")
FOREST_CODES = tuple(c for c, lc in LAND_CLASSES.items() if lc.group == "林地")
HOMESTEAD_CODE = "0702"
# 宜耕后备资源 candidates; 1207 裸岩石砾地 only where Rules.reserve_includes_bare_rock says so
RESERVE_LAND_CODES = ("0404", "1204", "1205", "1206")
BARE_ROCK_CODE = "1207"
# 1201 空闲地 is construction land: reclaiming it is 建设用地整理, never reserve land
IDLE_LAND_CODE = "1201"


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
    """The second-level code a DLBM value counts under: a defined K code gives its base
    ('0201K' -> '0201'); every other code is returned as it is ('0810A', and an unknown
    '0305K' stays '0305K', so land_class() reports it instead of guessing)."""
    c = normalize_code(code)
    if c in ADJUSTABLE_CODES:
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
    """The LandClass of a DLBM value (K codes included); KeyError names an unknown code."""
    c = normalize_code(code)
    if c in LAND_CLASSES:
        return LAND_CLASSES[c]
    raise KeyError(f"unknown 三调 land-use code (DLBM): {code!r}")


def unknown_codes(values) -> tuple:
    """The distinct non-empty DLBM values of a column that are no 三调 code (sorted)."""
    found = {normalize_code(v) for v in pd.Series(values, dtype=object).dropna().unique()}
    return tuple(sorted(c for c in found if c and c not in LAND_CLASSES))


def first_level_of(code, default: str = "") -> str:
    """一级类 code ('00'..'12') of a DLBM value, `default` for an unknown code."""
    try:
        return land_class(code).first_level
    except KeyError:
        return default


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
    """True for the 可调整 ("K") codes 三调 defines (ADJUSTABLE_CODES), preferred swap-in
    candidates."""
    return normalize_code(code) in ADJUSTABLE_CODES


def is_farmland(code, farmland_codes=FARMLAND_CODES) -> bool:
    return base_code(code) in farmland_codes


def codes_in_group(group: str) -> tuple[str, ...]:
    return tuple(c for c, lc in LAND_CLASSES.items() if lc.group == group)
