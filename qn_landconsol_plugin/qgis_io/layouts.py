"""The declaration map (项目区范围图): a print layout from the shipped template
qgis_io/templates/declaration_map.qpt, filled for one project and exported to PDF/PNG
(declaration_map makes its layers and does all of it).

Items of the template, found by id: title, main_map (with a CGCS2000 grid),
overview_map, legend, scalebar, north_arrow, stats_table (a text table frame),
unit_label, date_label, crs_label. Chinese text needs a CJK font: the template
names Noto Sans CJK SC; `cjk_font_family` picks the first family that is really
installed (Noto, then the Windows fonts 黑体/宋体...) and every text item gets it.
"""
from __future__ import annotations

import math
import os
import tempfile

import pandas as pd
from qgis.core import (
    QgsApplication,
    QgsBasicNumericFormat,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayoutExporter,
    QgsLayoutItem,
    QgsLayoutItemPage,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutItemTextTable,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRenderContext,
    QgsRectangle,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QRectF, Qt
from qgis.PyQt.QtGui import QFont, QFontDatabase
from qgis.PyQt.QtXml import QDomDocument

from ..core.fields import FieldSpec
from .styles import declaration_renderer, number_blocks
from .tables import write_gpkg_layer

TEMPLATE = os.path.join(os.path.dirname(__file__), "templates", "declaration_map.qpt")
TEMPLATE_FONT = "Noto Sans CJK SC"
# CJK families in order of preference: Linux (Noto, Source Han, WenQuanYi), Windows
CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Sans CN",
             "Microsoft YaHei", "微软雅黑", "SimHei", "黑体", "SimSun", "宋体", "NSimSun",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "PingFang SC", "Heiti SC")
# page sizes (mm, width × height)
PAGES = {"A3L": (420.0, 297.0), "A4L": (297.0, 210.0), "A3P": (297.0, 420.0),
         "A4P": (210.0, 297.0)}
BASE_PAGE = PAGES["A3L"]
# the map scales of a 项目区范围图 (1:2000 and up keep the context of a small project) and
# the room kept around the project on each side (share of its size)
MAP_SCALES = (2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000)
MARGIN = 0.15
MIN_SEGMENT_MM = 18.0     # scale-bar segments at least this long: their labels never meet
MAX_BAR_MM = 100.0        # and the bar (up to four segments) no longer than this


def cjk_font_family() -> str:
    """The first installed CJK family of CJK_FONTS ('' when none is)."""
    available = set(QFontDatabase().families())
    for name in CJK_FONTS:
        if name in available:
            return name
    for name in available:  # any family that can write Chinese
        if QFontDatabase.SimplifiedChinese in QFontDatabase().writingSystems(name):
            return name
    return ""


def _font(family: str, size: float, bold=False) -> QFont:
    font = QFont(family)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _text_format(family: str, size: float, bold=False) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(_font(family, size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    return fmt


def _label(layout, item_id, text, rect, size, bold=False, align=Qt.AlignLeft):
    label = QgsLayoutItemLabel(layout)
    label.setId(item_id)
    label.setText(text)
    label.setFont(_font(TEMPLATE_FONT, size, bold))
    label.setHAlign(align)
    label.setVAlign(Qt.AlignVCenter)
    layout.addLayoutItem(label)
    _place(label, rect)
    return label


def _place(item, rect):
    x, y, w, h = rect
    # size first: moving a map item that has no extent yet corrupts it (NaN)
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))


def build_layout(project) -> QgsPrintLayout:
    """The declaration layout built in code (A3 landscape); saved as the template."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("项目区范围图")
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(*BASE_PAGE, QgsUnitTypes.LayoutMillimeters))

    _label(layout, "title", "项目名称 项目区范围图", (10, 6, 400, 16), 24, True, Qt.AlignHCenter)

    gk36 = QgsCoordinateReferenceSystem("EPSG:4524")   # a Qiannan zone until filled
    main = QgsLayoutItemMap(layout)
    main.setId("main_map")
    main.setFrameEnabled(True)
    layout.addLayoutItem(main)
    _place(main, (22, 28, 270, 247))
    main.setCrs(gk36)
    main.zoomToExtent(QgsRectangle(36440000, 2927000, 36442700, 2929470))
    grid = QgsLayoutItemMapGrid("CGCS2000", main)
    grid.setStyle(QgsLayoutItemMapGrid.Cross)
    grid.setCrossLength(2.5)
    grid.setFrameStyle(QgsLayoutItemMapGrid.Zebra)
    grid.setFrameWidth(1.5)
    grid.setAnnotationEnabled(True)
    grid.setAnnotationFormat(QgsLayoutItemMapGrid.Decimal)
    grid.setAnnotationPrecision(0)
    grid.setAnnotationTextFormat(_text_format(TEMPLATE_FONT, 7))
    for side in (QgsLayoutItemMapGrid.Left, QgsLayoutItemMapGrid.Right):
        grid.setAnnotationDirection(QgsLayoutItemMapGrid.Vertical, side)
    grid.setIntervalX(1000)
    grid.setIntervalY(1000)
    main.grids().addGrid(grid)

    north = QgsLayoutItemPicture(layout)
    north.setId("north_arrow")
    north.setPicturePath(os.path.join(QgsApplication.pkgDataPath(), "svg", "arrows",
                                      "NorthArrow_02.svg"))
    north.setLinkedMap(main)
    north.setNorthMode(QgsLayoutItemPicture.GridNorth)
    layout.addLayoutItem(north)
    _place(north, (274, 31, 15, 15))

    overview = QgsLayoutItemMap(layout)
    overview.setId("overview_map")
    overview.setFrameEnabled(True)
    layout.addLayoutItem(overview)
    _place(overview, (305, 34, 105, 70))
    overview.setCrs(gk36)
    overview.zoomToExtent(QgsRectangle(36430000, 2920000, 36460000, 2940000))
    ov = QgsLayoutItemMapOverview("overview", overview)
    ov.setLinkedMap(main)
    ov.setFrameSymbol(QgsFillSymbol.createSimple({"color": "255,0,0,40", "outline_color": "red",
                                                   "outline_width": "0.6"}))
    overview.overviews().addOverview(ov)
    _label(layout, "overview_title", "位置示意图", (305, 27, 105, 6), 10, True)

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("图例")
    legend.setLinkedMap(main)
    legend.setColumnCount(2)
    legend.setSplitLayer(True)
    for style, size, bold in ((QgsLegendStyle.Title, 12, True), (QgsLegendStyle.Group, 10, True),
                              (QgsLegendStyle.Subgroup, 10, True), (QgsLegendStyle.SymbolLabel, 9, False)):
        legend.setStyleFont(style, _font(TEMPLATE_FONT, size, bold))
    legend.setLegendFilterByMapEnabled(True)   # only the classes shown on the map
    legend.setSymbolWidth(6)
    legend.setSymbolHeight(4)
    layout.addLayoutItem(legend)
    _place(legend, (305, 108, 105, 90))

    table = QgsLayoutItemTextTable(layout)
    table.setColumns([QgsLayoutTableColumn(h) for h in ("地类", "面积（公顷）", "面积（亩）", "占比")])
    table.setHeaderTextFormat(_text_format(TEMPLATE_FONT, 8, True))
    table.setContentTextFormat(_text_format(TEMPLATE_FONT, 7.5))
    table.setCellMargin(0.8)
    frame = QgsLayoutFrame(layout, table)
    frame.setId("stats_table")
    frame.attemptSetSceneRect(QRectF(305, 205, 105, 60))
    table.addFrame(frame)
    layout.addMultiFrame(table)
    _label(layout, "stats_title", "项目区地类统计（整治前）", (305, 199, 105, 6), 10, True)

    scalebar = QgsLayoutItemScaleBar(layout)
    scalebar.setId("scalebar")
    scalebar.setStyle("Single Box")
    scalebar.setLinkedMap(main)
    scalebar.setUnits(QgsUnitTypes.DistanceMeters)
    scalebar.setUnitLabel("米")
    scalebar.setNumberOfSegments(4)
    scalebar.setNumberOfSegmentsLeft(0)
    scalebar.setUnitsPerSegment(250)
    scalebar.setTextFormat(_text_format(TEMPLATE_FONT, 8))
    layout.addLayoutItem(scalebar)
    _place(scalebar, (22, 282, 110, 12))      # under the map, off its colours
    _label(layout, "scale_label", "比例尺 1:10000", (182, 284, 110, 6), 10, True,
           Qt.AlignmentFlag.AlignRight)

    _label(layout, "crs_label", "2000国家大地坐标系  高斯-克吕格投影  3度分带", (305, 267, 105, 6), 8)
    _label(layout, "unit_label", "制图单位：", (305, 274, 105, 6), 9)
    _label(layout, "date_label", "制图日期：", (305, 281, 105, 6), 9)
    return layout


def load_layout(project, template: str = TEMPLATE) -> QgsPrintLayout:
    """The layout from the .qpt template (built in code when the file is missing)."""
    if not os.path.exists(template):
        return build_layout(project)
    doc = QDomDocument()
    with open(template, encoding="utf-8") as f:
        doc.setContent(f.read())
    layout = QgsPrintLayout(project)
    _items, ok = layout.loadFromTemplate(doc, QgsReadWriteContext())
    if not ok:
        return build_layout(project)
    return layout


def _nice_interval(span: float, target: int = 5) -> float:
    raw = span / max(target, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def _apply_font(layout, family: str):
    """Every text item of the layout to the CJK family (sizes kept)."""
    if not family:
        return
    for item in layout.items():
        if isinstance(item, QgsLayoutItemLabel):
            f = item.font()
            f.setFamily(family)
            item.setFont(f)
        elif isinstance(item, QgsLayoutItemLegend):
            for style in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup,
                          QgsLegendStyle.SymbolLabel):
                f = item.styleFont(style)
                f.setFamily(family)
                item.setStyleFont(style, f)
        elif isinstance(item, QgsLayoutItemScaleBar):
            fmt = item.textFormat()
            f = fmt.font()
            f.setFamily(family)
            fmt.setFont(f)
            item.setTextFormat(fmt)
        elif isinstance(item, QgsLayoutItemMap):
            for grid in item.grids().asList():
                fmt = grid.annotationTextFormat()
                f = fmt.font()
                f.setFamily(family)
                fmt.setFont(f)
                grid.setAnnotationTextFormat(fmt)
    for multi in layout.multiFrames():
        if isinstance(multi, QgsLayoutItemTextTable):
            for getter, setter in ((multi.headerTextFormat, multi.setHeaderTextFormat),
                                   (multi.contentTextFormat, multi.setContentTextFormat)):
                fmt = getter()
                f = fmt.font()
                f.setFamily(family)
                fmt.setFont(f)
                setter(fmt)


def _scale_layout(layout, page_mm):
    """Resize the page and scale every item (positions, sizes) to a page size."""
    w, h = page_mm
    base_w, base_h = BASE_PAGE
    if (w, h) == (base_w, base_h):
        return
    sx, sy = w / base_w, h / base_h
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    for item in layout.items():
        if not isinstance(item, QgsLayoutItem) or isinstance(item, QgsLayoutItemPage):
            continue
        pos, size = item.positionWithUnits(), item.sizeWithUnits()
        item.attemptMove(QgsLayoutPoint(pos.x() * sx, pos.y() * sy, pos.units()))
        item.attemptResize(QgsLayoutSize(size.width() * sx, size.height() * sy, size.units()))


def map_scale(extent: QgsRectangle, frame_mm: tuple) -> int:
    """The smallest scale of MAP_SCALES at which `extent` (metres) with MARGIN on each side
    fits a map frame of `frame_mm` (width, height); the largest one beyond."""
    pad = MARGIN * max(extent.width(), extent.height(), 50.0)
    need = max((extent.width() + 2 * pad) / frame_mm[0], (extent.height() + 2 * pad) / frame_mm[1])
    return next((s for s in MAP_SCALES if s >= need * 1000.0), MAP_SCALES[-1])


def scale_bar_segment(scale: float) -> float:
    """Metres per scale-bar segment: the first of 1, 2, 5 × 10^k whose length on paper is
    at least MIN_SEGMENT_MM."""
    least = MIN_SEGMENT_MM * scale / 1000.0
    k = math.floor(math.log10(least))
    return next(m * 10 ** e for e in (k, k + 1) for m in (1, 2, 5) if m * 10 ** e >= least)


def fill_layout(layout, *, title: str, crs, extent: QgsRectangle, map_layers, overview_layers,
                overview_extent: QgsRectangle, table_rows, unit: str, date: str,
                page: str = "A3L", font_family: str | None = None, legend_layers=None):
    """Set the layout's content for one project. `map_layers`/`overview_layers` are
    lists of map layers (top first), `legend_layers` those of the legend (default: the
    map's), `table_rows` lists of strings. The map is centred on the project's `extent`
    at the scale of map_scale."""
    family = cjk_font_family() if font_family is None else font_family
    _scale_layout(layout, PAGES.get(page, BASE_PAGE))
    layout.itemById("title").setText(title)
    layout.itemById("unit_label").setText(f"制图单位：{unit}")
    layout.itemById("date_label").setText(f"制图日期：{date}")
    main = layout.itemById("main_map")
    main.setCrs(crs)
    main.setLayers(list(map_layers))
    main.setKeepLayerSet(True)
    # the project with a margin, at a scale of the national series
    size = main.sizeWithUnits()
    scale = map_scale(extent, (size.width(), size.height()))
    cx, cy = extent.center().x(), extent.center().y()
    w, h = size.width() * scale / 1000.0, size.height() * scale / 1000.0
    main.zoomToExtent(QgsRectangle(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    main.setScale(scale)
    for grid in main.grids().asList():
        grid.setCrs(crs)
        interval = _nice_interval(max(main.extent().width(), main.extent().height()), 5)
        grid.setIntervalX(interval)
        grid.setIntervalY(interval)
    overview = layout.itemById("overview_map")
    overview.setCrs(crs)
    overview.setLayers(list(overview_layers))
    overview.setKeepLayerSet(True)
    ov_ext = QgsRectangle(overview_extent)
    ov_ext.combineExtentWith(main.extent())
    ov_ext.scale(1.1)
    overview.zoomToExtent(ov_ext)
    legend = layout.itemById("legend")
    if legend is not None:
        legend.setAutoUpdateModel(False)
        root = legend.model().rootGroup()
        root.clear()
        for layer in (map_layers if legend_layers is None else legend_layers):
            root.addLayer(layer)
        legend.updateLegend()
    _fill_scale_bar(layout, scale)
    frame = layout.itemById("stats_table")
    if frame is not None and isinstance(frame.multiFrame(), QgsLayoutItemTextTable):
        frame.multiFrame().setContents([list(r) for r in table_rows])
    _apply_font(layout, family)
    layout.refresh()
    return layout


def _fill_scale_bar(layout, scale: int):
    """Scale bar of four segments of scale_bar_segment (kilometres from 1 km), numbers
    without thousands separators as Chinese maps write them, and the scale in words."""
    scalebar = layout.itemById("scalebar")
    if scalebar is not None:
        seg = scale_bar_segment(scale)
        scalebar.setNumberOfSegments(max(2, min(4, int(MAX_BAR_MM // (seg * 1000.0 / scale)))))
        scalebar.setNumberOfSegmentsLeft(0)
        if seg >= 1000:
            scalebar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
            scalebar.setUnitsPerSegment(seg / 1000.0)
            scalebar.setUnitLabel("千米")
        else:
            scalebar.setUnits(QgsUnitTypes.DistanceUnit.DistanceMeters)
            scalebar.setUnitsPerSegment(seg)
            scalebar.setUnitLabel("米")
        numbers = QgsBasicNumericFormat()        # no trailing zeros: 500, 0.5
        numbers.setShowThousandsSeparator(False)
        scalebar.setNumericFormat(numbers)
        scalebar.update()
    label = layout.itemById("scale_label")
    if label is not None:
        label.setText(f"比例尺 1:{scale}")


def export(layout, pdf_path: str | None = None, png_path: str | None = None, dpi: int = 150):
    """Export to PDF and/or PNG; returns a list of error messages (empty when fine)."""
    errors = []
    exporter = QgsLayoutExporter(layout)
    if pdf_path:
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = 300
        settings.rasterizeWholeImage = False
        settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText   # selectable text
        result = exporter.exportToPdf(pdf_path, settings)
        if result != QgsLayoutExporter.Success:
            errors.append(f"PDF export failed ({result}): {exporter.errorFile() or pdf_path}")
    if png_path:
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = dpi
        # QGIS then tries to georeference the PNG through GDAL, whose PNG driver cannot
        # update a file: a harmless 'ERROR 6' on stderr that users took for a failure
        from osgeo import gdal

        gdal.PushErrorHandler("CPLQuietErrorHandler")
        try:
            result = exporter.exportToImage(png_path, settings)
        finally:
            gdal.PopErrorHandler()
        if result != QgsLayoutExporter.Success:
            errors.append(f"PNG export failed ({result}): {exporter.errorFile() or png_path}")
    return errors



def map_window(extent: QgsRectangle, page: str = "A3L") -> QgsRectangle:
    """What the main map of the layout shows for a project of `extent` on `page`: the
    parcels drawn around the project must cover it."""
    project = QgsProject()
    layout = load_layout(project)
    _scale_layout(layout, PAGES.get(page, BASE_PAGE))
    size = layout.itemById("main_map").sizeWithUnits()
    del layout                          # before its project
    scale = map_scale(extent, (size.width(), size.height()))
    w, h = size.width() * scale / 1000.0, size.height() * scale / 1000.0
    c = extent.center()
    return QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2)


def declaration_map(gpkg: str, crs, extent: QgsRectangle, around, around_dlbm, hull, *,
                    title: str, table_rows, unit: str, date: str, page: str, pdf: str,
                    png: str, context) -> list:
    """The 项目区范围图 of one project as PDF and PNG: the boundary (layer xmfw of the
    project's GeoPackage `gpkg`) over the parcels `around` it coloured by land class
    (shapely, in `crs`, with their DLBM; those of map_window), paled outside the project,
    the blocks of a project of several numbered; an overview of the whole layer's `hull`
    (the township) with the project; the land-class table `table_rows`; `extent` is the
    boundary's. Returns error messages."""
    project = QgsProject()
    project.setCrs(crs)
    family = cjk_font_family()
    boundary = _styled(QgsVectorLayer(f"{gpkg}|layername=xmfw", "项目区范围", "ogr"), "boundary")
    if boundary.featureCount() > 1:
        number_blocks(boundary, family or TEMPLATE_FONT)
    tmp = os.path.join(tempfile.mkdtemp(prefix="qn_decl_"), "map.gpkg")
    keep = [k for k, g in enumerate(around) if g is not None and not g.is_empty]
    frame = pd.DataFrame({"DLBM": [None if around_dlbm[k] is None else str(around_dlbm[k])
                                   for k in keep]}, dtype=object)
    write_gpkg_layer(tmp, "parcels", (FieldSpec("DLBM", "str", 5, "地类编码"),), frame, context,
                     [around[k] for k in keep], QgsWkbTypes.Type.MultiPolygon, crs, first=True,
                     multi=False)
    parcels = _styled(QgsVectorLayer(f"{tmp}|layername=parcels", "地类图斑", "ogr"), "parcels")
    write_gpkg_layer(tmp, "hull", (FieldSpec("MC", "str", 20, "名称"),),
                     pd.DataFrame({"MC": ["范围"]}, dtype=object), context, [hull],
                     QgsWkbTypes.Type.Polygon, crs, multi=False)
    hull_layer = _styled(QgsVectorLayer(f"{tmp}|layername=hull", "图层范围", "ogr"), "hull")
    overview_boundary = _styled(QgsVectorLayer(f"{gpkg}|layername=xmfw", "项目区", "ogr"),
                                "overview_boundary")
    veil = _veil(boundary, crs, extent)
    for layer in (boundary, veil, parcels):
        project.addMapLayer(layer, True)
    for layer in (hull_layer, overview_boundary):
        project.addMapLayer(layer, False)
    layout = load_layout(project)
    fill_layout(layout, title=title, crs=crs, extent=extent, map_layers=[boundary, veil, parcels],
                legend_layers=[boundary, parcels], overview_layers=[overview_boundary, hull_layer],
                overview_extent=hull_layer.extent(), table_rows=table_rows, unit=unit,
                date=date, page=page, font_family=family)
    return export(layout, pdf, png)


def _styled(layer, kind):
    layer.setRenderer(declaration_renderer(layer, kind))
    return layer


def _veil(boundary, crs, extent: QgsRectangle):
    """A white veil over everything but the project, so the project stands out of the
    land-class colours around it (a memory layer, no legend entry)."""
    shape = QgsGeometry.unaryUnion([f.geometry() for f in boundary.getFeatures()])
    pad = 100.0 * max(extent.width(), extent.height(), 100.0)
    outside = QgsGeometry.fromRect(QgsRectangle(extent.xMinimum() - pad, extent.yMinimum() - pad,
                                                extent.xMaximum() + pad, extent.yMaximum() + pad))
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid()}", "项目区外", "memory")
    feature = QgsFeature(layer.fields())
    feature.setGeometry(outside.difference(shape))
    layer.dataProvider().addFeatures([feature])
    return _styled(layer, "veil")
