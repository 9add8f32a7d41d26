"""Consolidation task types (整治任务类型): the four families of the seed's
重点任务 and their subtypes, each with a stable code, zh/en labels, a colour and
the land classes (三调 DLBM) the work applies to.

Codes are what the dock writes to ZZLX (family) and ZZZLX (subtype); they never
change once published, labels may.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import land_classes as lc


@dataclass(frozen=True)
class TaskType:
    code: str
    zh: str
    en: str
    color: str            # '#rrggbb'
    family: str = ""      # family code for a subtype, '' for a family
    new_farmland: bool = False  # the work adds farmland (新增耕地)
    land_classes: frozenset = frozenset()   # DLBM codes the work applies to (APPLIES_TO)


@dataclass(frozen=True)
class TaskFamily:
    code: str
    zh: str
    en: str
    color: str
    subtypes: tuple = field(default_factory=tuple)


# Land classes each subtype applies to (适用地类), from REFERENCE §1–§3 and what the
# work is. Tagging a parcel of another class asks first (the dock's tag writer).
_FARMLAND = lc.FARMLAND_CODES                                   # 0101 0102 0103
_GARDEN = lc.GARDEN_CODES                                       # 02xx and their K
_FOREST = lc.FOREST_CODES                                       # 0301 0302 0305 0307 and K
_GRASS = lc.codes_in_group("草地")                              # 0401 0403 0404 0403K
_WETLAND = lc.codes_in_group("湿地")
_WATER = tuple(c for c in lc.codes_in_group("水域") if c not in ("1109", "1110"))
_ADJUSTABLE = tuple(c for c in lc.LAND_CLASSES if lc.is_adjustable(c))   # 可调整 (K)
_BARE = ("1204", "1205", "1206", "1207")                        # 盐碱地 沙地 裸土地 裸岩石砾地
_HOMESTEAD = (lc.HOMESTEAD_CODE, lc.IDLE_LAND_CODE)     # 0702 农村宅基地, 1201 空闲地
_PUBLIC = ("08H1", "08H2", "0809", "0810", "0810A")             # 公共管理与公共服务用地
_BUILT = ("05H1", "0508", "0601", "0602", "0701", "0702") + _PUBLIC + ("09", "1201")
_ALL = tuple(lc.LAND_CLASSES)

APPLIES_TO = {
    # 农用地整理
    "NYD01": _FARMLAND,                 # 高标准农田 is built on farmland: never roads, forest, homesteads
    "NYD02": ("0102", "0103"),          # 旱改水: 水浇地 and 旱地 become 水田
    "NYD03": ("0404", "1204", "1205", "1206"),   # 宜耕后备资源 (§2); 1207 only where a county says so
    "NYD04": _FARMLAND + _GARDEN + _FOREST,      # 林耕置换: forest/garden down, farmland up
    "NYD05": _FARMLAND + _ADJUSTABLE,   # idle farmland and 可调整 land (plough layer intact)
    "NYD06": _FARMLAND,                 # 田坎归并: the KCXS of terraced farmland
    # 建设用地整理
    "JSYD01": _HOMESTEAD,               # 宅基地/空闲地复垦 (§2: 1201 is construction land)
    "JSYD02": _HOMESTEAD,               # 空心村: the village's homesteads and idle land
    "JSYD03": ("0601", "0602"),         # 废弃工矿: industrial and mining land
    "JSYD04": _PUBLIC,                  # 废弃公共设施: schools, village offices, utilities
    "JSYD05": (lc.HOMESTEAD_CODE,),     # 危房: rural dwellings
    "JSYD06": _BUILT,                   # 存量建设用地: built land, not roads or water works
    # 生态保护修复
    "STXF01": _FARMLAND + _GARDEN + _FOREST + _GRASS + _BARE,   # 水土流失: sloping land
    "STXF02": _FARMLAND + _GARDEN + _FOREST + _GRASS + _BARE,   # 石漠化: incl. SMGD farmland
    "STXF03": _ALL,                     # 生态清洁小流域: the whole watershed
    "STXF04": ("0602", "1206", "1207"),  # 废弃矿山: mining land and the bare rock it left
    "STXF05": _WETLAND + _WATER + _FOREST + _GRASS + _FARMLAND + _GARDEN + _BARE,  # 生境/缓冲带
    # 产业融合
    "CYRH01": ("05H1", "0508", "0601", "1201", "1202"),   # processing on built or facility land
    "CYRH02": _FARMLAND + _GARDEN + _FOREST + _GRASS + _WATER + ("05H1", "0702", "1201", "1202"),
    "CYRH03": _ALL,                     # other integration: any class
}


def _family(code, zh, en, color, subs):
    return TaskFamily(code, zh, en, color, tuple(
        TaskType(sc, szh, sen, scol, code, nf, frozenset(APPLIES_TO[sc]))
        for sc, szh, sen, scol, nf in subs))


FAMILIES = (
    _family("NYD", "农用地整理", "Farmland consolidation", "#e6b800", [
        ("NYD01", "高标准农田建设", "High-standard farmland construction", "#ffd92f", False),
        ("NYD02", "耕地提质改造（旱改水）", "Farmland upgrading (dry to paddy)", "#f4a300", False),
        ("NYD03", "宜耕后备资源开发", "Reserve land developed into farmland", "#c8a000", True),
        ("NYD04", "林耕置换", "Forest-farmland swap", "#a6c800", True),
        ("NYD05", "低效闲置耕地利用", "Use of idle or inefficient farmland", "#ffe680", False),
        ("NYD06", "田坎归并", "Merging of terrace ridges", "#d9b34d", True),
    ]),
    _family("JSYD", "建设用地整理", "Construction-land consolidation", "#d7301f", [
        ("JSYD01", "农村宅基地复垦", "Reclamation of rural homesteads", "#ef6548", True),
        ("JSYD02", "空心村整治", "Hollow-village renewal", "#b30000", False),
        ("JSYD03", "废弃工矿用地复垦", "Reclamation of abandoned industrial/mining land", "#990000", True),
        ("JSYD04", "废弃公共设施用地复垦", "Reclamation of abandoned public facilities", "#fc8d59", True),
        ("JSYD05", "危房治理", "Dilapidated-housing remediation", "#fdbb84", False),
        ("JSYD06", "存量建设用地盘活", "Revitalising existing construction land", "#e34a33", False),
    ]),
    _family("STXF", "生态保护修复", "Ecological restoration", "#238b45", [
        ("STXF01", "水土流失治理", "Soil-erosion control", "#41ab5d", False),
        ("STXF02", "石漠化综合治理", "Rocky-desertification control", "#74c476", False),
        ("STXF03", "生态清洁小流域", "Eco-clean small watershed", "#1d91c0", False),
        ("STXF04", "废弃矿山生态修复", "Restoration of abandoned mines", "#006d2c", False),
        ("STXF05", "生物生境修复/缓冲带", "Habitat restoration / buffer strips", "#a1d99b", False),
    ]),
    _family("CYRH", "产业融合", "Industry integration", "#6a51a3", [
        ("CYRH01", "农产品加工", "Agricultural product processing", "#807dba", False),
        ("CYRH02", "休闲农业与乡村旅游", "Leisure agriculture and rural tourism", "#9e9ac8", False),
        ("CYRH03", "其他产业融合", "Other industry integration", "#bcbddc", False),
    ]),
)

FAMILY_BY_CODE = {f.code: f for f in FAMILIES}
SUBTYPE_BY_CODE = {s.code: s for f in FAMILIES for s in f.subtypes}
UNTAGGED_COLOR = "#d9d9d9"


def family_of(code: str) -> TaskFamily | None:
    """The family of a family or subtype code (or of a Chinese label), None if unknown."""
    if code in FAMILY_BY_CODE:
        return FAMILY_BY_CODE[code]
    sub = subtype(code)
    return FAMILY_BY_CODE[sub.family] if sub else _BY_LABEL.get(code)


def subtype(code: str) -> TaskType | None:
    """The subtype for a code or its Chinese label, None if unknown."""
    hit = SUBTYPE_BY_CODE.get(code)
    if hit is None:
        hit = _BY_LABEL.get(code)
        if not isinstance(hit, TaskType):
            hit = None
    return hit


def label(code: str, lang: str = "zh") -> str:
    item = FAMILY_BY_CODE.get(code) or SUBTYPE_BY_CODE.get(code)
    if item is None:
        return code or ""
    return item.zh if lang.startswith("zh") else item.en


def land_classes_of(code: str) -> frozenset:
    """DLBM codes a task applies to: a subtype's own, a family's the union of its subtypes'
    (empty for an unknown code)."""
    sub = subtype(code)
    if sub is not None:
        return sub.land_classes
    family = family_of(code)
    return frozenset().union(*(s.land_classes for s in family.subtypes)) if family else frozenset()


def applies_to(code: str, dlbm) -> bool:
    """True when task `code` applies to a parcel of land class `dlbm` (K/A variants by
    their own code or their base code); False for an unknown or empty class."""
    classes = land_classes_of(code)
    value = lc.normalize_code(dlbm)
    return bool(value) and (value in classes or lc.base_code(value) in classes)


_BY_LABEL = {}
for _f in FAMILIES:
    _BY_LABEL[_f.zh] = _f
    for _s in _f.subtypes:
        _BY_LABEL[_s.zh] = _s


# Fields the dock writes to tagged parcels (≤ 10 characters for shapefiles).
# ZZLX holds a family code (e.g. 'NYD'), ZZZLX a subtype code (e.g. 'NYD03').
def _tag_fields():
    from .fields import FieldSpec

    return (
        FieldSpec("ZZLX", "str", 8, "整治类型"),
        FieldSpec("ZZZLX", "str", 10, "整治子类型"),
        FieldSpec("XMBH", "str", 30, "项目编号"),
        FieldSpec("XMMC", "str", 100, "项目名称"),
        FieldSpec("SSND", "int", 4, "实施年度"),
    )


TAG_FIELDS = _tag_fields()
