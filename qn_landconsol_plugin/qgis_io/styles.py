"""Reusable renderers: parcels by consolidation task (整治任务) and by 三调 land-class
group (地类), with the catalogue colours and Chinese legends.

    layer.setRenderer(task_renderer(layer))
    layer.setRenderer(land_class_renderer(layer))
"""
from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsRendererCategory,
    QgsRuleBasedRenderer,
)

from ..core import land_classes, task_types
from ..core.fields import find_field

TAG_FIELD_FAMILY = "ZZLX"
TAG_FIELD_SUBTYPE = "ZZZLX"
UNTAGGED_LABEL = "未标注"

# 三调 first-level group colours (after the 第三次全国国土调查 cartographic colours)
GROUP_COLORS = {
    "耕地": "#fff87a",
    "园地": "#f5c16e",
    "林地": "#4f9c3a",
    "湿地": "#7dc6c8",
    "草地": "#b6d77a",
    "商服/工矿": "#c88a6e",
    "住宅": "#e0605a",
    "公共/特殊": "#d87fa6",
    "交通": "#a0a0a0",
    "水域": "#6fa8dc",
    "其他": "#d9c9a8",
}


def fill_symbol(color: str, outline: str = "#4d4d4d", width: float = 0.15,
                opacity: float = 1.0) -> QgsFillSymbol:
    symbol = QgsFillSymbol.createSimple({
        "color": color, "outline_color": outline, "outline_width": str(width),
        "outline_width_unit": "MM", "style": "solid"})
    symbol.setOpacity(opacity)
    return symbol


def untagged_symbol() -> QgsFillSymbol:
    """Quiet: light grey, thin light outline, so tagged parcels stand out."""
    return fill_symbol(task_types.UNTAGGED_COLOR, outline="#b0b0b0", width=0.06, opacity=0.6)


def _field(layer, name: str) -> str:
    if layer is None:
        return name
    return find_field(layer.fields().names(), name) or name


def task_expression(layer=None, by: str = "subtype") -> str:
    """Expression giving a parcel's task code: its subtype (or family when the subtype
    is empty) for by='subtype', its family for by='family'; '' when untagged."""
    fam = _field(layer, TAG_FIELD_FAMILY)
    sub = _field(layer, TAG_FIELD_SUBTYPE)
    if by == "family":
        return f"coalesce(nullif(trim(\"{fam}\"), ''), '')"
    return f"coalesce(nullif(trim(\"{sub}\"), ''), nullif(trim(\"{fam}\"), ''), '')"


def task_renderer(layer=None, by: str = "subtype") -> QgsCategorizedSymbolRenderer:
    """Categorised renderer by task family/subtype with the catalogue colours and
    Chinese legend; untagged parcels fall into a light-grey 未标注 class."""
    categories = []
    for family in task_types.FAMILIES:
        if by == "family":
            categories.append(QgsRendererCategory(family.code, fill_symbol(family.color),
                                                  family.zh))
            continue
        categories.append(QgsRendererCategory(family.code, fill_symbol(family.color),
                                              f"{family.zh}（未分子类）"))
        for sub in family.subtypes:
            categories.append(QgsRendererCategory(sub.code, fill_symbol(sub.color),
                                                  f"{family.zh} · {sub.zh}"))
    categories.append(QgsRendererCategory("", untagged_symbol(), UNTAGGED_LABEL))
    return QgsCategorizedSymbolRenderer(task_expression(layer, by), categories)


def land_class_renderer(layer=None, field: str = "DLBM") -> QgsRuleBasedRenderer:
    """Rule-based renderer by 三调 first-level group (耕地, 园地, 林地…), one rule per
    group built from core.land_classes; unknown codes in grey."""
    name = _field(layer, field)
    root = QgsRuleBasedRenderer.Rule(None)
    for group in land_classes.GROUPS:
        codes = land_classes.codes_in_group(group)
        quoted = ", ".join(f"'{c}'" for c in codes)
        rule = QgsRuleBasedRenderer.Rule(fill_symbol(GROUP_COLORS.get(group, "#cccccc")),
                                         0, 0, f"upper(trim(\"{name}\")) IN ({quoted})", group)
        root.appendChild(rule)
    known = ", ".join(f"'{c}'" for c in land_classes.LAND_CLASSES)
    root.appendChild(QgsRuleBasedRenderer.Rule(
        fill_symbol("#eeeeee"), 0, 0,
        f"\"{name}\" IS NULL OR NOT (upper(trim(\"{name}\")) IN ({known}))", "未知地类"))
    return QgsRuleBasedRenderer(root)


def apply_task_style(layer, by: str = "subtype"):
    """Set the task renderer on a layer and repaint it."""
    layer.setRenderer(task_renderer(layer, by))
    layer.triggerRepaint()
    return layer.renderer()
