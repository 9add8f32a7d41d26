"""Styles: renderers with the catalogue colours and Chinese legends (parcels by
consolidation task 整治任务 and by 三调 land-class group 地类, and one for each
algorithm's output), and the post-processors that give a loaded output its style and
Chinese field aliases, kept alive in one registry (style_on_load).

    layer.setRenderer(task_renderer(layer))
    layer.setRenderer(land_class_renderer(layer))
    style_on_load(context, dest_id, ih.HOMESTEAD_FIELDS, homestead_renderer, in_use_label=…)
"""
from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsLayerTreeLayer,
    QgsPalLayerSettings,
    QgsProcessingLayerPostProcessorInterface,
    QgsProject,
    QgsRendererCategory,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ..core import control_lines, land_classes, parcel_quality, task_types
from ..core import idle_homesteads as ih
from ..core.fields import DLTB_FIELDS, OTHER_ALIASES, find_field
from ..translation import tr
from . import _gpkg_styles, compat, fast_paths

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


# ------------------------------------------------------------------ algorithm outputs
def slope_farmland_renderer(layer):
    """Slope farmland red, other unstable farmland orange, farmland pale yellow."""
    expression = ("CASE WHEN \"PGD\" = 1 THEN '坡耕地' WHEN \"BWD\" = 1 THEN '不稳定' "
                  "WHEN \"GD_MU\" > 0 THEN '耕地' ELSE '' END")
    classes = (("坡耕地", "#d7301f", "坡耕地（>阈值）"), ("不稳定", "#fdae61", "不稳定耕地（其他）"),
               ("耕地", "#ffffbf", "稳定耕地"), ("", "#e0e0e0", "非耕地"))
    return QgsCategorizedSymbolRenderer(expression, _categories(layer, classes))


def swap_renderer(layer):
    """Moving out red, moving in selected green, other candidates pale green."""
    expression = "\"ZH_LX\" || CASE WHEN \"ZH_XZ\" = 1 THEN '1' ELSE '0' END"
    classes = (("出1", "#d7301f", "调出：坡耕地/不稳定耕地"), ("入1", "#1a9850", "调入：入选"),
               ("入0", "#a6d96a", "调入：备选"))
    return QgsCategorizedSymbolRenderer(expression, _categories(layer, classes))


def _categories(layer, classes):
    categories = []
    for value, color, label in classes:
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(color))
        categories.append(QgsRendererCategory(value, symbol, label))
    return categories


def homestead_renderer(layer, in_use_label: str):
    """Homesteads by reclamation target FK_LX; homesteads in use ('') in grey."""
    colours = (("", "#d9d9d9"), (ih.RECLAIM_FARMLAND, "#ffd92f"),
               (ih.RECLAIM_FOREST_GARDEN, "#41ab5d"), (ih.RECLAIM_RESTORE, "#1b7837"),
               (ih.RECLAIM_UNSUITABLE, "#d7301f"))
    categories = []
    for value, colour in colours:
        symbol = QgsFillSymbol.createSimple({"color": colour, "outline_color": "#636363",
                                             "outline_width": "0.2"})
        categories.append(QgsRendererCategory(value, symbol, value or in_use_label))
    return QgsCategorizedSymbolRenderer("FK_LX", categories)


def block_renderer(layer, large_mu):
    """Farmland blocks graduated green by LP_MU: 0, 5, 10, large_mu, 100, 500 亩 breaks
    (None for a layer without LP_MU)."""
    if layer.fields().lookupField("LP_MU") < 0:
        return None
    breaks = sorted({0.0, 5.0, 10.0, float(large_mu), 100.0, 500.0})
    colors = ["#f7fcb9", "#d9f0a3", "#addd8e", "#41ab5d", "#238443", "#005a32", "#00441b"]
    ranges = []
    for k, low in enumerate(breaks):
        high = breaks[k + 1] if k + 1 < len(breaks) else 1e12
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(colors[min(k, len(colors) - 1)]))
        label = f"{low:g} – {high:g} 亩" if high < 1e12 else f"≥ {low:g} 亩"
        ranges.append(QgsRendererRange(low, high, symbol, label))
    return QgsGraduatedSymbolRenderer("LP_MU", ranges)


def conflict_level_renderer(layer):
    """Parcels by control-line conflict level CT_DJ: 2 red, 1 orange, 0 light grey."""
    names = {2: tr("Conflict (2)"), 1: tr("Needs attention (1)"), 0: tr("No conflict (0)")}
    levels = ((2, "227,26,28,200", "103,0,13"), (1, "253,141,60,180", "166,54,3"),
              (0, "240,240,240,60", "150,150,150"))
    categories = []
    for value, fill, outline in levels:
        symbol = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline,
                                             "outline_width": "0.2"})
        categories.append(QgsRendererCategory(value, symbol, names[value]))
    return QgsCategorizedSymbolRenderer("CT_DJ", categories)


def control_line_renderer(layer):
    """Overlap pieces by control line KZX: red line green, PBF yellow, urban boundary purple."""
    lines = (("HX", "116,196,118,150", "0,109,44"), ("JBNT", "254,224,139,150", "184,134,11"),
             ("KFBJ", "106,81,163,90", "106,81,163"))
    categories = []
    for key, fill, outline in lines:
        symbol = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline,
                                             "outline_width": "0.3"})
        categories.append(QgsRendererCategory(key, symbol,
                                              control_lines.CONTROL_LINE_BY_KEY[key].zh))
    return QgsCategorizedSymbolRenderer("KZX", categories)


def quality_renderer(layer):
    """Parcels of the quality check: those with problems (ZJ_SL > 0) red, clean ones light."""
    classes = ((1, "227,26,28,190", "103,0,13", "0.3", "有问题"),
               (0, "240,240,240,70", "170,170,170", "0.1", "无问题"))
    categories = []
    for value, fill, outline, width, label in classes:
        symbol = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline,
                                             "outline_width": width})
        categories.append(QgsRendererCategory(value, symbol, label))
    return QgsCategorizedSymbolRenderer(
        f'CASE WHEN "{parcel_quality.PROBLEM_COUNT}" > 0 THEN 1 ELSE 0 END', categories)


def topology_renderer(layer):
    """Topology problems by type LX: gaps blue, overlaps magenta, with a strong outline
    (they are often slivers)."""
    classes = ((parcel_quality.GAP_ZH, "33,113,181,200", "8,48,107"),
               (parcel_quality.OVERLAP_ZH, "206,18,86,200", "103,0,31"))
    categories = []
    for value, fill, outline in classes:
        symbol = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline,
                                             "outline_width": "0.6"})
        categories.append(QgsRendererCategory(value, symbol, value))
    return QgsCategorizedSymbolRenderer("LX", categories)


def potential_renderer(layer, types, none_label: str):
    """Parcels by their first potential type (QL_LX), each in its catalogue colour;
    `types` are core.potential.POTENTIAL_TYPES."""
    categories = []
    for t in types:
        symbol = QgsFillSymbol.createSimple({"color": t.color, "outline_color": "#555555",
                                             "outline_width": "0.15"})
        categories.append(QgsRendererCategory(t.zh, symbol, t.zh))
    symbol = QgsFillSymbol.createSimple({"color": "240,240,240,90", "outline_color": "#bdbdbd",
                                         "outline_width": "0.1"})
    categories.append(QgsRendererCategory("", symbol, none_label))
    expression = "coalesce(array_first(string_to_array(\"QL_LX\", ';')), '')"
    return QgsCategorizedSymbolRenderer(expression, categories)


def outline_renderer(layer, color: str, width: float = 0.5):
    """Polygons as outlines only (control lines, villages over the parcels)."""
    return QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({
        "style": "no", "outline_color": color, "outline_width": str(width)}))


# ------------------------------------------------------------------ declaration package
def boundary_symbol():
    """Project boundary: red outline, no fill."""
    return QgsFillSymbol.createSimple({"color": "0,0,0,0", "style": "no",
                                       "outline_color": "#e31a1c", "outline_width": "0.8"})


def declaration_renderer(layer, kind: str):
    """Renderers of the declaration map and GeoPackage: 'parcels' by land class,
    'boundary' red outline, 'hull' and 'overview_boundary' of the overview map."""
    if kind == "parcels":
        return land_class_renderer(layer)
    if kind == "boundary":
        return QgsSingleSymbolRenderer(boundary_symbol())
    if kind == "hull":
        return QgsSingleSymbolRenderer(fill_symbol("#eeeeee", "#888888", 0.3))
    if kind == "overview_boundary":
        return QgsSingleSymbolRenderer(fill_symbol("#e31a1c", "#e31a1c", 0.3))
    if kind == "veil":      # over all but the project: it stands out of the colours around
        return QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
            {"color": "255,255,255,110", "style": "solid", "outline_style": "no"}))
    raise ValueError(kind)


def number_blocks(boundary, family: str):
    """Label each 地块 of a project boundary layer ('地块2  34.12亩', bold red on a white
    halo, in the CJK `family`): the blocks of a project of several lie apart."""
    font = QFont(family)
    font.setBold(True)
    fmt = QgsTextFormat()
    fmt.setFont(font)
    fmt.setSize(10)
    fmt.setSizeUnit(compat.RenderUnit.Points)
    fmt.setColor(QColor("#b2182b"))
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(0.8)
    halo.setColor(QColor("white"))
    fmt.setBuffer(halo)
    settings = QgsPalLayerSettings()
    settings.fieldName = ("'地块' || regexp_substr(\"DKBH\", '(\\\\d+)$') || '  ' || "
                          "format_number(\"MJ_MU\", 2) || '亩'")
    settings.isExpression = True
    settings.placement = compat.LabelPlacement.AroundPoint
    settings.dist = 3.0
    settings.setFormat(fmt)
    boundary.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    boundary.setLabelsEnabled(True)


def field_alias(name: str) -> str:
    """The Chinese alias of a 三调 DLTB field, a tag field (ZZLX…) or a feature id, ''
    for others."""
    key = name.upper()
    spec = DLTB_FIELDS.get(key) or next(
        (s for s in task_types.TAG_FIELDS if s.name == key), None)
    return spec.alias if spec else OTHER_ALIASES.get(key, "")


def output_aliases(fields, specs=()) -> dict:
    """{field name: Chinese alias} of an output's `fields` (QgsFields): the alias of its
    FieldSpec in `specs`, else the field's own alias (carried from the input), else
    field_alias; fields without any are left out."""
    by_name = {spec.name.upper(): spec.alias for spec in specs}
    aliases = {}
    for field in fields:
        name = field.name()
        alias = by_name.get(name.upper()) or field.alias() or field_alias(name)
        if alias:
            aliases[name] = alias
    return aliases


def set_aliases(layer, aliases: dict):
    """Set {field name: alias} on a vector layer (names matched case-insensitively)."""
    for name, alias in aliases.items():
        index = layer.fields().lookupField(name)
        if index >= 0 and alias:
            layer.setFieldAlias(index, alias)


def save_style_in_gpkg(path: str, name: str, fields, kind: str | None = None):
    """Store the fields' Chinese aliases and, with `kind`, the style declaration_renderer
    `kind` as the default style of layer `name` of the GeoPackage `path`, so the layer
    opens styled and with Chinese field names in any QGIS. The same layer again (same
    name, fields and kind: the declaration export's next project) is written by the
    private fast path _gpkg_styles."""
    key = (name, kind, tuple((f.name(), f.type(), f.typeName(), f.length(), f.precision(),
                              f.alias()) for f in fields))   # type(): an enum on Qt6
    if fast_paths.enabled() and _gpkg_styles.insert(path, name, key):
        return
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    if not layer.isValid():
        return
    set_aliases(layer, {**output_aliases(layer.fields()), **output_aliases(fields)})   # and fid
    if kind is not None:
        layer.setRenderer(declaration_renderer(layer, kind))
    if not compat.save_style_to_database(layer, name, "qn_landconsol", True):
        del layer    # the file closed before SQLite reads it
        _gpkg_styles.remember(path, name, key)


# ------------------------------------------------------------------ post-processors
# QGIS keeps only a pointer to a post-processor: the registry keeps each one alive
_REGISTRY = {}


class OutputStyle(QgsProcessingLayerPostProcessorInterface):
    """The Chinese field aliases of `specs` and `aliases` ({name: alias}; the file formats
    of QGIS 3.22 do not keep them; other fields get field_alias) and `renderer(layer,
    **renderer_args)`, set on an output when it is loaded; with `stack`, the layer goes
    among the outputs loaded with one, higher numbers above."""

    def __init__(self, specs=(), renderer=None, aliases=None, stack=None, **renderer_args):
        super().__init__()
        self.aliases = {spec.name: spec.alias for spec in specs}
        self.aliases.update(aliases or {})
        self.renderer = renderer
        self.renderer_args = renderer_args
        self.stack = stack

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if layer is None or not layer.isValid():
            return
        if self.stack is not None:
            stack_layer(layer, self.stack)
        if not isinstance(layer, QgsVectorLayer):
            return
        known = {name.upper() for name in self.aliases}
        set_aliases(layer, {**{f.name(): field_alias(f.name()) for f in layer.fields()
                               if f.name().upper() not in known}, **self.aliases})
        if self.renderer is not None:
            renderer = self.renderer(layer, **self.renderer_args)
            if renderer is not None:
                layer.setRenderer(renderer)
        layer.triggerRepaint()


STACK_PROPERTY = "qn_landconsol/stack"


def stack_layer(layer, rank: int):
    """Move a loaded layer's node right below its stacked siblings of higher rank (at the
    top when there are none): Processing loads outputs in the order of their sources."""
    layer.setCustomProperty(STACK_PROPERTY, rank)
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    if node is None:
        return
    parent = node.parent()
    index = 0
    for i, child in enumerate(parent.children()):
        other = child.layer() if isinstance(child, QgsLayerTreeLayer) else None
        if child is not node and other is not None and \
                int(other.customProperty(STACK_PROPERTY, -1)) > rank:
            index = i + 1
    parent.insertChildNode(index, node.clone())   # the clone first: the layer stays loaded
    parent.removeChildNode(node)


def style_on_load(context, dest_id, specs=(), renderer=None, aliases=None, stack=None,
                  **renderer_args):
    """Give the output `dest_id` the Chinese aliases of `specs` and `aliases` and the
    `renderer` when QGIS loads it at the end of the run (nothing when it is not loaded).
    Calls for one output in one run add up: the writers give the aliases of every field
    (tables.write_table, parcels.write_parcels), the algorithm its renderer."""
    if not dest_id or not context.willLoadLayerOnCompletion(dest_id):
        return
    details = context.layerToLoadOnCompletionDetails(dest_id)
    processor = _REGISTRY.get(dest_id)
    if processor is None or details.postProcessor() is not processor:   # a new run
        processor = OutputStyle()
        _REGISTRY[dest_id] = processor
        details.setPostProcessor(processor)
    processor.aliases.update({spec.name: spec.alias for spec in specs})
    processor.aliases.update(aliases or {})
    if renderer is not None:
        processor.renderer, processor.renderer_args = renderer, renderer_args
    if stack is not None:
        processor.stack = stack
