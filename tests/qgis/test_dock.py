"""The consolidation dock with real QGIS GUI classes: tagging, undo, totals, project
settings, styles, messages, and the buttons that open Processing dialogs."""
import shutil

import pytest
from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFeatureRequest,
    QgsProject,
    QgsVectorLayer,
)

from qn_landconsol_plugin.core import task_types
from qn_landconsol_plugin.core.rules import Targets
from qn_landconsol_plugin.qgis_io import compat
from qn_landconsol_plugin.ui.consolidation_dock import ConsolidationDock

MU = 10000.0 / 15.0


@pytest.fixture()
def town(township, tmp_path, qgis_new_project):
    """A private copy of the sample township, its layers in the project."""
    gpkg = tmp_path / "township.gpkg"
    shutil.copy(township["gpkg"], gpkg)
    layers = {}
    for name in ("dltb", "stbhhx", "yjjbnt", "czkfbj"):
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        assert layer.isValid(), name
        layers[name] = layer
    QgsProject.instance().addMapLayers(list(layers.values()))
    layers["path"] = gpkg
    return layers


@pytest.fixture()
def dock(qgis_iface, town):
    widget = ConsolidationDock(qgis_iface)
    widget.confirm = lambda title, text: True
    widget.opened = []
    widget.open_algorithm_dialog = lambda alg_id, params: widget.opened.append((alg_id, params))
    widget.set_parcel_layer(town["dltb"])
    widget.set_project("522701-2025-01", "示例整治项目", 2026)
    yield widget
    widget.unload()
    widget.deleteLater()


def attrs(layer, fid, names):
    feature = layer.getFeature(fid)
    return [feature[n] for n in names]


def first_fids(layer, n, expression=None):
    request = QgsFeatureRequest().setNoAttributes().setFlags(compat.FeatureRequestFlag.NoGeometry)
    if expression:
        request.setFilterExpression(expression)
    return sorted(f.id() for f in layer.getFeatures(request))[:n]


def test_tagging_selected_parcels_writes_task_and_project_fields(dock, town):
    layer = town["dltb"]
    assert layer.fields().indexOf("ZZLX") < 0
    fids = first_fids(layer, 25)
    layer.selectByIds(fids)
    dock.select_task("NYD03")
    assert dock.tag_selected() == 25
    for fid in fids:
        assert attrs(layer, fid, ["ZZLX", "ZZZLX", "XMBH", "XMMC", "SSND"]) == \
            ["NYD", "NYD03", "522701-2025-01", "示例整治项目", 2026]
    other = first_fids(layer, 30)[25]
    assert attrs(layer, other, ["ZZLX", "ZZZLX", "XMBH"]) == [None, None, None]   # NULL
    # fields carry Chinese aliases and a value map showing Chinese labels
    idx = layer.fields().indexOf("ZZZLX")
    assert layer.attributeAlias(idx) == "整治子类型"
    setup = layer.editorWidgetSetup(idx)
    assert setup.type() == "ValueMap"
    assert {"宜耕后备资源开发": "NYD03"} in setup.config()["map"]
    assert all(len(spec.name) <= 10 for spec in task_types.TAG_FIELDS)
    # saved like any edit: the values reach the file
    assert layer.commitChanges()
    reread = QgsVectorLayer(f"{town['path']}|layername=dltb", "again", "ogr")
    assert reread.getFeature(fids[0])["ZZZLX"] == "NYD03"


def test_family_only_tag_leaves_the_subtype_empty(dock, town):
    layer = town["dltb"]
    fids = first_fids(layer, 3)
    layer.selectByIds(fids)
    dock.select_task("STXF")
    dock.tag_selected()
    assert attrs(layer, fids[0], ["ZZLX", "ZZZLX"]) == ["STXF", None]


def test_one_tagging_is_one_undo_step_and_undo_restores_exactly(dock, town):
    layer = town["dltb"]
    names = ["ZZLX", "ZZZLX", "XMBH", "XMMC", "SSND"]
    first = first_fids(layer, 10)
    layer.selectByIds(first)
    dock.select_task("NYD01")
    dock.tag_selected()
    before = {fid: attrs(layer, fid, names) for fid in first_fids(layer, 20)}
    all_before = {f.id(): f.attributes() for f in layer.getFeatures()}
    # retag an overlapping set with another task and project
    dock.set_project("P-2", "", 2027)
    layer.selectByIds(first_fids(layer, 20)[5:])
    dock.select_task("JSYD01")
    steps = layer.undoStack().count()
    assert dock.tag_selected() == 15
    assert layer.undoStack().count() == steps + 1
    assert attrs(layer, first_fids(layer, 20)[7], names) == ["JSYD", "JSYD01", "P-2", None, 2027]
    layer.undoStack().undo()
    after = {f.id(): f.attributes() for f in layer.getFeatures()}
    assert after == all_before
    assert {fid: attrs(layer, fid, names) for fid in before} == before
    # clearing is one undo step too
    layer.selectByIds(first[:4])
    assert dock.clear_selected() == 4
    assert attrs(layer, first[0], names) == [None] * 5
    layer.undoStack().undo()
    assert attrs(layer, first[0], names) == before[first[0]]


def _sum_mu(layer, expression):
    request = QgsFeatureRequest().setFilterExpression(expression)
    return sum(f["TBMJ"] for f in layer.getFeatures(request)) / MU


def test_totals_equal_the_sum_of_tbmj_in_mu(dock, town):
    layer = town["dltb"]
    dock.select_task("NYD01")
    farmland = first_fids(layer, 40, "\"DLBM\" IN ('0101','0102','0103')")
    layer.selectByIds(farmland)
    dock.tag_selected()
    dock.select_task("STXF02")
    other = first_fids(layer, 15, "\"DLBM\" LIKE '03%'")
    layer.selectByIds(other)
    dock.tag_selected()
    dock.refresh_totals()
    t = dock.totals
    want_nyd = _sum_mu(layer, f"$id IN ({','.join(map(str, farmland))})")
    want_stxf = _sum_mu(layer, f"$id IN ({','.join(map(str, other))})")
    assert t.family("NYD").parcels == 40
    assert t.family("NYD").area_mu == pytest.approx(want_nyd, rel=1e-9)
    assert t.subtype("STXF02").area_mu == pytest.approx(want_stxf, rel=1e-9)
    assert t.area_mu == pytest.approx(want_nyd + want_stxf, rel=1e-9)
    # farmland is counted net of 田坎 (TBDLMJ) over the whole project area: every farmland
    # parcel of the townships of the tagged parcels, tagged or not (issue 15 items 5-6; was
    # the gross TBMJ of the tagged farmland, then TBDLMJ of the tagged farmland only)
    townships = {str(f["ZLDWDM"])[:9] for f in layer.getFeatures(
        QgsFeatureRequest().setFilterFids(farmland + other))}
    request = QgsFeatureRequest().setFilterExpression(
        "\"DLBM\" IN ('0101','0102','0103') AND left(\"ZLDWDM\", 9) IN ({})".format(
            ",".join(f"'{t}'" for t in townships)))
    want_farmland = sum(f["TBDLMJ"] for f in layer.getFeatures(request)) / MU
    tagged_farmland = sum(f["TBDLMJ"] for f in layer.getFeatures(
        QgsFeatureRequest().setFilterFids(farmland))) / MU
    assert tagged_farmland < want_farmland
    assert t.farmland_mu == pytest.approx(want_farmland, rel=1e-9)
    assert t.area_units == tuple(sorted(townships))
    # the tree shows them, progress bars follow the quota of the parcels' county (the
    # sample township is in 福泉市 522702: 73,500 亩 / 12 = 6,125 亩; issue 15 item 12, was
    # the prefecture total)
    assert dock._total_items["NYD"].text(1) == "40"
    assert {t[:6] for t in townships} == {"522702"}
    assert t.quota_label == "福泉市分解任务" and "福泉市分解任务" in dock.summaryLabel.text()
    assert "福泉市分解任务" in dock.progress_bars["NYD"].toolTip()
    share = want_nyd / 6125.0
    assert dock.progress_bars["NYD"].value() == int(round(share * 1000))
    # a new target updates the bar
    dock.target_spins["NYD"].setValue(want_nyd * 2)
    assert dock.progress_bars["NYD"].value() == 500


def test_totals_follow_edits_made_outside_the_dock_and_undo(dock, town):
    layer = town["dltb"]
    dock.select_task("JSYD01")
    fids = first_fids(layer, 5)
    layer.selectByIds(fids)
    dock.tag_selected()
    dock.refresh_totals()
    assert dock.totals.family("JSYD").parcels == 5
    # an edit in the attribute table: a tag removed by hand
    layer.changeAttributeValue(fids[0], layer.fields().indexOf("ZZLX"), None)
    layer.changeAttributeValue(fids[0], layer.fields().indexOf("ZZZLX"), None)
    assert dock._timer.isActive()  # debounced
    dock.refresh_totals()
    assert dock.totals.family("JSYD").parcels == 4
    layer.deleteFeature(fids[1])
    dock.refresh_totals()
    assert dock.totals.family("JSYD").parcels == 3
    want = _sum_mu(layer, f"$id IN ({','.join(map(str, fids[2:]))})")
    assert dock.totals.area_mu == pytest.approx(want, rel=1e-9)
    while layer.undoStack().canUndo():
        layer.undoStack().undo()
    dock.refresh_totals()
    assert dock.totals.parcels == 0


def test_scope_all_projects_versus_current(dock, town):
    layer = town["dltb"]
    a, b = first_fids(layer, 10)[:4], first_fids(layer, 10)[4:]
    dock.select_task("NYD01")
    layer.selectByIds(a)
    dock.tag_selected()
    dock.set_project("OTHER", "", 2027)
    layer.selectByIds(b)
    dock.tag_selected()
    dock.refresh_totals()
    assert dock.totals.parcels == 6
    dock.scopeCombo.setCurrentIndex(dock.scopeCombo.findData("all"))
    assert dock.totals.parcels == 10


def test_red_line_conflicts_are_counted_and_selectable(dock, town):
    layer = town["dltb"]
    red = town["stbhhx"]
    dock.set_control_layers(red_line=red, pbf=town["yjjbnt"], udb=town["czkfbj"])
    # parcels lying (partly) inside the red line, found independently with QGIS geometry
    red_geoms = [f.geometry() for f in red.getFeatures()]
    inside = []
    for f in layer.getFeatures():
        overlap = sum(f.geometry().intersection(g).area() for g in red_geoms)
        if overlap >= 1.0:
            inside.append(f.id())
    assert inside, "the sample township has parcels in the red line"
    outside = [fid for fid in first_fids(layer, 400) if fid not in inside][:5]
    dock.select_task("NYD03")          # reserve development: a conflict in the red line
    layer.selectByIds(inside[:6] + outside)
    dock.tag_selected()
    dock.select_task("STXF01")         # restoration: allowed in the red line
    layer.selectByIds(inside[6:10])
    dock.tag_selected()
    dock.refresh_totals()
    assert sorted(dock.conflict_fids) == sorted(inside[:6])
    assert dock.conflictsButton.isEnabled()
    layer.removeSelection()
    dock.select_conflicts()
    assert sorted(layer.selectedFeatureIds()) == sorted(inside[:6])


def test_nothing_selected_or_read_only_layer_changes_nothing(dock, town, qgis_iface):
    layer = town["dltb"]
    layer.removeSelection()
    assert dock.tag_selected() == 0
    assert "Select parcels" in dock.last_message
    assert layer.fields().indexOf("ZZLX") < 0 and not layer.isEditable()

    ro = QgsVectorLayer(f"{town['path']}|layername=dltb", "read-only", "ogr")
    ro.setReadOnly(True)
    QgsProject.instance().addMapLayer(ro)
    dock.set_parcel_layer(ro)
    ro.selectByIds(first_fids(ro, 3))
    before = [f.attributes() for f in ro.getFeatures()]
    assert dock.tag_selected() == 0
    assert "read-only" in dock.last_message
    assert ro.fields().indexOf("ZZLX") < 0 and not ro.isEditable()
    assert [f.attributes() for f in ro.getFeatures()] == before


def test_declining_the_new_fields_changes_nothing(dock, town):
    layer = town["dltb"]
    asked = []
    dock.confirm = lambda title, text: asked.append(text) or False
    layer.selectByIds(first_fids(layer, 3))
    assert dock.tag_selected() == 0
    assert len(asked) == 1 and "ZZLX" in asked[0] and "SSND" in asked[0]
    assert layer.fields().indexOf("ZZLX") < 0


def test_saving_and_reopening_the_project_restores_the_settings(dock, town, tmp_path, qgis_iface):
    dock.set_control_layers(red_line=town["stbhhx"], pbf=town["yjjbnt"], udb=town["czkfbj"])
    dock.set_project("522701-2025-09", "甲村整治", 2028)
    dock.target_spins["JSYD"].setValue(1234)
    dock.scopeCombo.setCurrentIndex(dock.scopeCombo.findData("all"))
    path = str(tmp_path / "project.qgz")
    project = QgsProject.instance()
    assert project.write(path)
    ids = {k: town[k].id() for k in ("dltb", "stbhhx", "yjjbnt", "czkfbj")}

    project.clear()
    assert dock.project_code == "" and dock.redLineCombo.currentLayer() is None
    assert project.read(path)
    QgsApplication.processEvents()
    assert dock.project_code == "522701-2025-09"
    assert dock.project_name == "甲村整治" and dock.project_year == 2028
    assert dock.parcel_layer().id() == ids["dltb"]
    assert dock.redLineCombo.currentLayer().id() == ids["stbhhx"]
    assert dock.pbfCombo.currentLayer().id() == ids["yjjbnt"]
    assert dock.udbCombo.currentLayer().id() == ids["czkfbj"]
    assert dock.target_spins["JSYD"].value() == 1234
    assert dock.scopeCombo.currentData() == "all"
    # a dock created after the project was opened restores it too
    fresh = ConsolidationDock(qgis_iface)
    try:
        assert fresh.project_code == "522701-2025-09"
        assert fresh.redLineCombo.currentLayer().id() == ids["stbhhx"]
    finally:
        fresh.unload()
        fresh.deleteLater()


def test_task_style_uses_catalogue_colours_and_chinese_legend(dock, town):
    layer = town["dltb"]
    layer.selectByIds(first_fids(layer, 3))
    dock.select_task("NYD03")
    dock.tag_selected()
    renderer = dock.apply_style("subtype")
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    cats = {c.value(): c for c in renderer.categories()}
    assert cats["NYD03"].symbol().color().name() == task_types.SUBTYPE_BY_CODE["NYD03"].color
    assert "宜耕后备资源开发" in cats["NYD03"].label()
    assert cats[""].label() == "未标注"
    assert cats[""].symbol().color().name() == task_types.UNTAGGED_COLOR
    # the renderer finds the right class for a tagged parcel and for an untagged one
    from qgis.core import QgsRenderContext

    ctx = QgsRenderContext()
    renderer.startRender(ctx, layer.fields())
    tagged = layer.getFeature(layer.selectedFeatureIds()[0])
    untagged = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("\"ZZLX\" IS NULL")))
    for feature, colour in ((tagged, task_types.SUBTYPE_BY_CODE["NYD03"].color),
                            (untagged, task_types.UNTAGGED_COLOR)):
        ctx.expressionContext().setFeature(feature)   # as the layer renderer does
        assert renderer.symbolForFeature(feature, ctx).color().name() == colour
    renderer.stopRender(ctx)
    by_family = dock.apply_style("family")
    assert {c.value() for c in by_family.categories()} == {f.code for f in task_types.FAMILIES} | {""}


def test_land_class_style_puts_every_dlbm_in_its_group(dock, town):
    from qgis.core import QgsRenderContext

    from qn_landconsol_plugin.core import land_classes
    from qn_landconsol_plugin.qgis_io.styles import GROUP_COLORS

    layer = town["dltb"]
    renderer = dock.apply_style("landclass")
    ctx = QgsRenderContext()
    renderer.startRender(ctx, layer.fields())
    checked = 0
    for f in layer.getFeatures():
        group = land_classes.group_of(f["DLBM"])
        ctx.expressionContext().setFeature(f)
        symbols = renderer.symbolsForFeature(f, ctx)
        assert len(symbols) == 1
        assert symbols[0].color().name() == GROUP_COLORS[group], f["DLBM"]
        checked += 1
    renderer.stopRender(ctx)
    assert checked == layer.featureCount()


def test_map_tool_tags_clicked_and_dragged_parcels(dock, town, qgis_iface):
    from qgis.core import QgsRectangle

    from qn_landconsol_plugin.ui.map_tool import TagParcelsMapTool

    layer = town["dltb"]
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(layer.crs())
    canvas.setExtent(layer.extent())
    dock.mapToolButton.setChecked(True)
    assert isinstance(canvas.mapTool(), TagParcelsMapTool)
    tool = dock.map_tool
    fid = first_fids(layer, 1)[0]
    centre = layer.getFeature(fid).geometry().pointOnSurface().asPoint()
    hit = tool.parcels_in(layer, QgsRectangle(centre.x() - 0.01, centre.y() - 0.01,
                                              centre.x() + 0.01, centre.y() + 0.01), point=True)
    assert hit == [fid]
    dock.select_task("CYRH02")
    tool.parcelsPicked.emit(hit, False)
    assert layer.getFeature(fid)["ZZZLX"] == "CYRH02"
    box = layer.getFeature(fid).geometry().boundingBox()
    dragged = tool.parcels_in(layer, box)
    want = sorted(f.id() for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(box))
                  if f.geometry().intersects(box))
    assert sorted(dragged) == want and fid in dragged
    tool.parcelsPicked.emit(hit, True)  # Ctrl: clear
    assert attrs(layer, fid, ["ZZLX", "ZZZLX"]) == [None, None]
    # real mouse events: a click on the parcel tags it with the current task
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    canvas.resize(800, 600)
    canvas.setExtent(box.buffered(box.width()))
    canvas.refresh()
    pixel = canvas.getCoordinateTransform().transform(centre)
    pos = QPoint(int(round(pixel.x())), int(round(pixel.y())))
    dock.select_task("STXF05")
    for kind, handler in ((QEvent.Type.MouseButtonPress, tool.canvasPressEvent),
                          (QEvent.Type.MouseButtonRelease, tool.canvasReleaseEvent)):
        handler(QgsMapMouseEvent(canvas, kind, pos, Qt.MouseButton.LeftButton,
                                 Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert attrs(layer, fid, ["ZZLX", "ZZZLX"]) == ["STXF", "STXF05"]
    assert layer.selectedFeatureIds() == [fid]
    dock.mapToolButton.setChecked(False)
    assert canvas.mapTool() is not tool


def test_check_and_export_buttons_open_the_dialogs_with_the_project(dock, town, provider):
    layer = town["dltb"]
    dock.set_control_layers(red_line=town["stbhhx"], pbf=town["yjjbnt"], udb=town["czkfbj"])
    registry = QgsApplication.processingRegistry()
    for alg_id in ("qnlandconsol:controllinecheck", "qnlandconsol:exportdeclaration"):
        if registry.algorithmById(alg_id) is None:
            pytest.skip(f"{alg_id} not registered yet")
    fids = first_fids(layer, 7)
    layer.selectByIds(fids)
    dock.select_task("NYD01")
    dock.tag_selected()
    layer.removeSelection()
    params = dock.open_control_line_check()
    assert dock.opened[-1] == ("qnlandconsol:controllinecheck", params)
    assert sorted(layer.selectedFeatureIds()) == fids   # the project's tagged parcels
    assert params["INPUT"].source.staticValue() == layer.id() and params["INPUT"].selectedFeaturesOnly
    assert params["RED_LINE"] == town["stbhhx"].id()
    assert params["PBF"] == town["yjjbnt"].id() and params["UDB"] == town["czkfbj"].id()
    # every preset value is accepted by the algorithm's own parameter check
    alg = registry.algorithmById("qnlandconsol:controllinecheck")
    from qgis.core import QgsProcessingContext

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    for name, value in params.items():
        assert alg.parameterDefinition(name).checkValueIsAcceptable(value, context), name

    params = dock.open_declaration_export()
    assert dock.opened[-1] == ("qnlandconsol:exportdeclaration", params)
    assert params["INPUT"] == layer.id()
    assert params["PROJECTS"] == "522701-2025-01" and params["PROJECT_FIELD"] == "XMBH"
    assert params["RED_LINE"] == town["stbhhx"].id()


def test_an_algorithm_not_registered_gives_a_clear_message(dock):
    assert dock._open_algorithm("qnlandconsol:nosuchcheck", selected_only=True) is None
    assert "qnlandconsol:nosuchcheck" in dock.last_message and "not available" in dock.last_message
    assert dock.opened == []


def test_preset_parameters_match_by_name(dock, town):
    from qgis.core import (
        QgsProcessingAlgorithm,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterString,
        QgsProcessingParameterVectorLayer,
    )

    class Fake(QgsProcessingAlgorithm):
        def initAlgorithm(self, config=None):
            self.addParameter(QgsProcessingParameterFeatureSource("INPUT", "in"))
            self.addParameter(QgsProcessingParameterVectorLayer("RED_LINE", "red"))
            self.addParameter(QgsProcessingParameterString("XMBH", "code"))

        def name(self):
            return "fake"

        def createInstance(self):
            return Fake()

    alg = Fake()
    alg.initAlgorithm()
    dock.set_control_layers(red_line=town["stbhhx"])
    params = dock.preset_parameters(alg, selected_only=True)
    assert params["RED_LINE"] == town["stbhhx"].id()
    assert params["XMBH"] == "522701-2025-01"
    assert params["INPUT"].source.staticValue() == town["dltb"].id()
    assert params["INPUT"].selectedFeaturesOnly


def test_layer_already_in_edit_mode_gets_the_fields_in_its_edit_buffer(dock, town):
    layer = town["dltb"]
    assert layer.startEditing()
    fids = first_fids(layer, 4)
    layer.selectByIds(fids)
    dock.select_task("NYD04")
    assert dock.tag_selected() == 4
    assert attrs(layer, fids[0], ["ZZLX", "ZZZLX", "SSND"]) == ["NYD", "NYD04", 2026]
    assert layer.dataProvider().fields().indexOf("ZZLX") < 0   # not yet in the file
    dock.reload()
    dock.refresh_totals()                                        # full read through the buffer
    assert dock.totals.subtype("NYD04").parcels == 4
    assert layer.rollBack()
    assert layer.fields().indexOf("ZZLX") < 0                  # discarding discards all


def test_shapefile_keeps_the_tags(dock, town, tmp_path):
    from osgeo import gdal

    shp = str(tmp_path / "dltb.shp")
    assert gdal.VectorTranslate(shp, str(town["path"]), format="ESRI Shapefile", layers=["dltb"],
                                layerCreationOptions=["ENCODING=UTF-8"]) is not None
    layer = QgsVectorLayer(shp, "dltb_shp", "ogr")
    QgsProject.instance().addMapLayer(layer)
    dock.set_parcel_layer(layer)
    fids = first_fids(layer, 3)
    layer.selectByIds(fids)
    dock.select_task("JSYD03")
    assert dock.tag_selected() == 3
    assert layer.commitChanges()
    reread = QgsVectorLayer(shp, "again", "ogr")
    assert attrs(reread, fids[1], ["ZZLX", "ZZZLX", "XMBH", "XMMC", "SSND"]) == \
        ["JSYD", "JSYD03", "522701-2025-01", "示例整治项目", 2026]
