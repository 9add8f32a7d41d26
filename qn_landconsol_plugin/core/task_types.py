"""Consolidation task types (整治任务类型): the four families of the seed's
重点任务 and their subtypes, each with a stable code, zh/en labels and a colour.

Codes are what the dock writes to ZZLX (family) and ZZZLX (subtype); they never
change once published, labels may.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TaskType:
    code: str
    zh: str
    en: str
    color: str            # '#rrggbb'
    family: str = ""      # family code for a subtype, '' for a family
    new_farmland: bool = False  # the work adds farmland (新增耕地)


@dataclass(frozen=True)
class TaskFamily:
    code: str
    zh: str
    en: str
    color: str
    subtypes: tuple = field(default_factory=tuple)


def _family(code, zh, en, color, subs):
    return TaskFamily(code, zh, en, color, tuple(
        TaskType(sc, szh, sen, scol, code, nf) for sc, szh, sen, scol, nf in subs))


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
