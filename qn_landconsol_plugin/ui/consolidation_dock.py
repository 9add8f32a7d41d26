"""The consolidation dock (整治任务面板): a QgsDockWidget built from consolidation_dock.ui.

Technicians choose the parcel layer and the project, pick a task from the
catalogue (core.task_types) and tag the selected parcels (one undo step each);
the totals per task, the estimated new farmland and the progress against the
targets (core.task_totals) follow every edit, debounced.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsEditorWidgetSetup,
    QgsFeatureRequest,
    QgsMapLayerProxyModel,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorDataProvider,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QTimer, Qt, QVariant
from qgis.PyQt.QtGui import QColor, QIcon, QPixmap
from qgis.PyQt.QtWidgets import (
    QAction,
    QDoubleSpinBox,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QTreeWidgetItem,
)

from ..core import task_types
from ..core.fields import find_field
from ..core.rules import Rules, Targets
from ..core.task_totals import FAMILY_TARGET, OPTIONAL_COLUMNS, red_line_conflicts, task_totals
from ..translation import tr
from ..qgis_io import styles

FORM_CLASS, _ = uic.loadUiType(os.path.join(os.path.dirname(__file__), "consolidation_dock.ui"))

SCOPE = "qn_landconsol"          # QgsProject entry scope
CONTROL_LINE_CHECK = "qnlandconsol:controllinecheck"
DECLARATION_EXPORT = "qnlandconsol:exportdeclaration"
REFRESH_DELAY_MS = 300

# Canonical tag field names (core.task_types.TAG_FIELDS order: ZZLX ZZZLX XMBH XMMC SSND)
TAG_NAMES = tuple(spec.name for spec in task_types.TAG_FIELDS)
TOTAL_COLUMNS = ("ZZLX", "ZZZLX", "XMBH", "TBMJ") + OPTIONAL_COLUMNS

# Processing parameter names (upper case) the dock fills, by what they mean
PARAMETER_ROLES = {
    "parcels": ("INPUT", "PARCELS", "DLTB", "LAYER", "PARCEL_LAYER"),
    "red_line": ("RED_LINE", "REDLINE", "STBHHX", "HX", "ECO_RED_LINE", "ECOLOGICAL_RED_LINE"),
    "pbf": ("PBF", "YJJBNT", "JBNT", "BASIC_FARMLAND", "PERMANENT_BASIC_FARMLAND"),
    "udb": ("UDB", "CZKFBJ", "KFBJ", "URBAN_BOUNDARY", "URBAN_DEVELOPMENT_BOUNDARY"),
    "dem": ("DEM", "ELEVATION"),
    "xmbh": ("XMBH", "PROJECT", "PROJECTS", "PROJECT_CODE", "PROJECT_ID"),
    "project_field": ("PROJECT_FIELD", "XMBH_FIELD"),
    "xmmc": ("XMMC", "PROJECT_NAME", "NAME"),
    "ssnd": ("SSND", "YEAR", "PROJECT_YEAR"),
}


def _swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def _plain(value):
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


def _exec_algorithm_dialog(alg_id, params):
    import processing

    return processing.execAlgorithmDialog(alg_id, params)


class ConsolidationDock(QgsDockWidget, FORM_CLASS):
    """Dock where technicians tag parcels and follow the targets."""

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setupUi(self)
        self.rules = Rules()
        self.targets = Targets(**vars(self.rules.targets))
        # injectable for tests: confirm(title, text) -> bool; dialog opener (alg_id, params)
        self.confirm = self._ask
        self.open_algorithm_dialog = _exec_algorithm_dialog
        self.last_message = ""
        self.totals = None
        self.conflict_fids = []
        self._layer = None            # the parcel layer whose signals are connected
        self._frame = self._empty_frame()   # tagged parcels, indexed by feature id
        self._dirty = set()
        self._full_reload = True
        self._geom_cache = {}         # fid -> shapely geometry (working CRS) for conflicts
        self._zone = None             # (red line layer id, ZoneIndex)
        self._restoring = False
        self.map_tool = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh_totals)

        self._setup_widgets()
        self._connect_widgets()
        project = QgsProject.instance()
        project.readProject.connect(self._on_project_read)
        project.writeProject.connect(self._on_project_write)
        project.cleared.connect(self._on_project_cleared)
        self.restore_settings()
        self._set_layer(self.layerCombo.currentLayer())

    # ------------------------------------------------------------------ setup
    def _setup_widgets(self):
        self.layerCombo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        for combo in (self.redLineCombo, self.pbfCombo, self.udbCombo):
            combo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
            combo.setAllowEmptyLayer(True)
            combo.setLayer(None)
        self.demCombo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.demCombo.setAllowEmptyLayer(True)
        self.demCombo.setLayer(None)

        self.taskTree.clear()
        first = None
        for family in task_types.FAMILIES:
            item = QTreeWidgetItem([family.zh])
            item.setData(0, Qt.UserRole, family.code)
            item.setIcon(0, _swatch(family.color))
            item.setToolTip(0, f"{family.code} · {family.en}")
            self.taskTree.addTopLevelItem(item)
            for sub in family.subtypes:
                child = QTreeWidgetItem([sub.zh])
                child.setData(0, Qt.UserRole, sub.code)
                child.setIcon(0, _swatch(sub.color))
                tip = f"{sub.code} · {sub.en}"
                if sub.new_farmland:
                    tip += " · " + tr("adds farmland")
                child.setToolTip(0, tip)
                item.addChild(child)
                first = first or child
        self.taskTree.expandAll()
        self.taskTree.setCurrentItem(first)

        self.scopeCombo.addItem(tr("Current project"), "project")
        self.scopeCombo.addItem(tr("All projects"), "all")

        header = self.totalsTree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, header.Interactive)
        self.totalsTree.setColumnWidth(0, 150)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, header.ResizeToContents)
            self.totalsTree.headerItem().setTextAlignment(col, Qt.AlignRight | Qt.AlignVCenter)
        self._total_items = {}
        for family in task_types.FAMILIES:
            item = QTreeWidgetItem([family.zh, "", "", ""])
            item.setIcon(0, _swatch(family.color))
            item.setToolTip(0, family.zh)
            self.totalsTree.addTopLevelItem(item)
            self._total_items[family.code] = item
            for sub in family.subtypes:
                child = QTreeWidgetItem([sub.zh, "", "", ""])
                child.setIcon(0, _swatch(sub.color))
                child.setToolTip(0, sub.zh)
                item.addChild(child)
                self._total_items[sub.code] = child
        self.totalsTree.expandAll()

        self.progress_bars, self.target_spins = {}, {}
        for row, family in enumerate(f for f in task_types.FAMILIES if f.code in FAMILY_TARGET):
            label = QLabel(family.zh)
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setTextVisible(True)
            spin = QDoubleSpinBox()
            spin.setRange(0.0, 10_000_000.0)
            spin.setDecimals(0)
            spin.setSuffix(" " + tr("mu"))
            spin.setToolTip(tr("Target (mu); the default is the prefecture's 2030 target"))
            spin.setMaximumWidth(100)
            label.setToolTip(family.en)
            label.setMinimumWidth(label.sizeHint().width())
            bar.setMinimumWidth(80)
            spin.setValue(getattr(self.targets, FAMILY_TARGET[family.code]))
            self.targetsLayout.addWidget(label, row, 0)
            self.targetsLayout.addWidget(bar, row, 1)
            self.targetsLayout.addWidget(spin, row, 2)
            self.progress_bars[family.code] = bar
            self.target_spins[family.code] = spin
        self.targetsLayout.setColumnStretch(1, 1)

        menu = QMenu(self.styleButton)
        self.styleBySubtypeAction = QAction(tr("Style by task subtype"), menu)
        self.styleByFamilyAction = QAction(tr("Style by task family"), menu)
        self.styleByLandClassAction = QAction(tr("Style by land class (DLBM)"), menu)
        for action in (self.styleBySubtypeAction, self.styleByFamilyAction, self.styleByLandClassAction):
            menu.addAction(action)
        self.styleButton.setMenu(menu)
        self.conflictsButton.setEnabled(False)

    def _connect_widgets(self):
        self.layerCombo.layerChanged.connect(self._set_layer)
        self.layerCombo.activated.connect(lambda _i: self.save_settings())
        for combo in (self.redLineCombo, self.pbfCombo, self.udbCombo, self.demCombo):
            combo.activated.connect(lambda _i: self.save_settings())
        self.redLineCombo.layerChanged.connect(self._on_red_line_changed)
        self.projectCodeEdit.editingFinished.connect(self._on_project_edited)
        self.projectNameEdit.editingFinished.connect(self.save_settings)
        self.projectYearSpin.valueChanged.connect(lambda _v: self.save_settings())
        self.scopeCombo.currentIndexChanged.connect(lambda _i: self._on_scope_changed())
        for code, spin in self.target_spins.items():
            spin.valueChanged.connect(lambda v, c=code: self._on_target_changed(c, v))
        self.taskTree.itemDoubleClicked.connect(lambda *_: self.tag_selected())
        self.tagButton.clicked.connect(lambda: self.tag_selected())
        self.clearButton.clicked.connect(lambda: self.clear_selected())
        self.mapToolButton.toggled.connect(self._toggle_map_tool)
        self.styleButton.clicked.connect(lambda: self.apply_style("subtype"))
        self.styleBySubtypeAction.triggered.connect(lambda: self.apply_style("subtype"))
        self.styleByFamilyAction.triggered.connect(lambda: self.apply_style("family"))
        self.styleByLandClassAction.triggered.connect(lambda: self.apply_style("landclass"))
        self.refreshButton.clicked.connect(self.reload)
        self.conflictsButton.clicked.connect(self.select_conflicts)
        self.checkButton.clicked.connect(self.open_control_line_check)
        self.exportButton.clicked.connect(self.open_declaration_export)

    # --------------------------------------------------------------- messages
    def notify(self, text: str, level=Qgis.Info):
        """Tell the user (message bar); the last text is kept for tests."""
        self.last_message = text
        if self.iface is not None and hasattr(self.iface, "messageBar"):
            self.iface.messageBar().pushMessage(tr("Land consolidation"), text, level, 6)

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.No,
                                      QMessageBox.Yes)
        return answer == QMessageBox.Yes

    # ---------------------------------------------------------------- project
    @property
    def project_code(self) -> str:
        return self.projectCodeEdit.text().strip()

    @property
    def project_name(self) -> str:
        return self.projectNameEdit.text().strip()

    @property
    def project_year(self) -> int:
        return int(self.projectYearSpin.value())

    def parcel_layer(self):
        layer = self.layerCombo.currentLayer()
        return layer if isinstance(layer, QgsVectorLayer) else None

    def set_parcel_layer(self, layer):
        self.layerCombo.setLayer(layer)
        self.save_settings()

    def set_project(self, code: str, name: str = "", year: int | None = None):
        """Set the project being worked on (as if typed) and save it in the QGIS project."""
        self.projectCodeEdit.setText(code)
        self.projectNameEdit.setText(name)
        if year is not None:
            self.projectYearSpin.setValue(int(year))
        self._on_project_edited()

    def set_control_layers(self, red_line=None, pbf=None, udb=None, dem=None):
        for combo, layer in ((self.redLineCombo, red_line), (self.pbfCombo, pbf),
                             (self.udbCombo, udb), (self.demCombo, dem)):
            combo.setLayer(layer)
        self.save_settings()

    def _on_project_edited(self):
        self.save_settings()
        self._update_project_title()
        self._update_totals_view()

    def _update_project_title(self):
        code = self.project_code
        self.projectGroup.setTitle(tr("Project: {0}").format(code) if code else tr("Project"))

    def _layer_id(self, combo) -> str:
        layer = combo.currentLayer()
        return layer.id() if layer is not None else ""

    def save_settings(self):
        """Write the dock's settings to the QGIS project (layers by id)."""
        if self._restoring:
            return
        project = QgsProject.instance()
        entries = {
            "parcels": self._layer_id(self.layerCombo),
            "red_line": self._layer_id(self.redLineCombo),
            "pbf": self._layer_id(self.pbfCombo),
            "udb": self._layer_id(self.udbCombo),
            "dem": self._layer_id(self.demCombo),
            "xmbh": self.project_code,
            "xmmc": self.project_name,
            "scope": self.scopeCombo.currentData() or "project",
        }
        for key, value in entries.items():
            if project.readEntry(SCOPE, f"/dock/{key}", "")[0] != value:
                project.writeEntry(SCOPE, f"/dock/{key}", value)
        if project.readNumEntry(SCOPE, "/dock/ssnd", 0)[0] != self.project_year:
            project.writeEntry(SCOPE, "/dock/ssnd", self.project_year)
        for code, spin in self.target_spins.items():
            key = f"/targets/{FAMILY_TARGET[code]}"
            if project.readDoubleEntry(SCOPE, key, -1.0)[0] != spin.value():
                project.writeEntryDouble(SCOPE, key, float(spin.value()))

    def restore_settings(self):
        """Read the dock's settings back from the current QGIS project."""
        project = QgsProject.instance()
        self._restoring = True
        try:
            def layer(key):
                layer_id, ok = project.readEntry(SCOPE, f"/dock/{key}", "")
                return project.mapLayer(layer_id) if ok and layer_id else None

            parcels = layer("parcels")
            if parcels is not None:
                self.layerCombo.setLayer(parcels)
            for key, combo in (("red_line", self.redLineCombo), ("pbf", self.pbfCombo),
                               ("udb", self.udbCombo), ("dem", self.demCombo)):
                combo.setLayer(layer(key))
            self.projectCodeEdit.setText(project.readEntry(SCOPE, "/dock/xmbh", "")[0])
            self.projectNameEdit.setText(project.readEntry(SCOPE, "/dock/xmmc", "")[0])
            year, ok = project.readNumEntry(SCOPE, "/dock/ssnd", 0)
            if ok and year:
                self.projectYearSpin.setValue(year)
            scope = project.readEntry(SCOPE, "/dock/scope", "project")[0]
            index = self.scopeCombo.findData(scope)
            self.scopeCombo.setCurrentIndex(max(index, 0))
            defaults = Targets()
            for code, spin in self.target_spins.items():
                attr = FAMILY_TARGET[code]
                value, ok = project.readDoubleEntry(SCOPE, f"/targets/{attr}", getattr(defaults, attr))
                spin.setValue(value if ok else getattr(defaults, attr))
                setattr(self.targets, attr, spin.value())
        finally:
            self._restoring = False
        self._update_project_title()
        self._set_layer(self.layerCombo.currentLayer())
        self._zone = None
        self.reload()

    def _on_project_read(self, *_args):
        self.restore_settings()

    def _on_project_write(self, *_args):
        self.save_settings()

    def _on_project_cleared(self):
        self._restoring = True
        try:
            self.projectCodeEdit.clear()
            self.projectNameEdit.clear()
            defaults = Targets()
            for code, spin in self.target_spins.items():
                spin.setValue(getattr(defaults, FAMILY_TARGET[code]))
        finally:
            self._restoring = False
        self.targets = Targets()
        self._update_project_title()
        self._set_layer(None)

    # ------------------------------------------------------------ layer wiring
    _LAYER_SIGNALS = (
        ("attributeValueChanged", "_on_attribute_changed"),
        ("featureAdded", "_on_feature_added"),
        ("featuresDeleted", "_on_features_deleted"),
        ("geometryChanged", "_on_geometry_changed"),
        ("afterCommitChanges", "reload"),
        ("afterRollBack", "reload"),
        ("updatedFields", "reload"),
        ("dataSourceChanged", "reload"),
        ("editCommandEnded", "_schedule_refresh"),
        ("willBeDeleted", "_on_layer_deleted"),
    )

    def _set_layer(self, layer):
        layer = layer if isinstance(layer, QgsVectorLayer) else None
        if layer is self._layer:
            return
        self._disconnect_layer()
        self._layer = layer
        if layer is not None:
            for signal, slot in self._LAYER_SIGNALS:
                getattr(layer, signal).connect(getattr(self, slot))
        self.reload()

    def _disconnect_layer(self):
        if self._layer is None:
            return
        for signal, slot in self._LAYER_SIGNALS:
            try:
                getattr(self._layer, signal).disconnect(getattr(self, slot))
            except (TypeError, RuntimeError):
                pass
        self._layer = None

    def _on_layer_deleted(self):
        self._disconnect_layer()
        self._frame = self._empty_frame()
        self._update_totals_view()

    def _on_attribute_changed(self, fid, _index, _value):
        self._dirty.add(fid)
        self._schedule_refresh()

    def _on_feature_added(self, fid):
        self._dirty.add(fid)
        self._schedule_refresh()

    def _on_features_deleted(self, fids):
        self._frame = self._frame.drop(index=[f for f in fids if f in self._frame.index])
        for fid in fids:
            self._geom_cache.pop(fid, None)
        self._schedule_refresh()

    def _on_geometry_changed(self, fid, _geom):
        self._geom_cache.pop(fid, None)
        self._schedule_refresh()

    def _on_red_line_changed(self, _layer):
        self._zone = None
        self._schedule_refresh()

    def _on_scope_changed(self):
        self.save_settings()
        self._update_totals_view()

    def _on_target_changed(self, code, value):
        setattr(self.targets, FAMILY_TARGET[code], float(value))
        if not self._restoring:
            self.save_settings()
            self._update_totals_view()

    # ------------------------------------------------------------------ fields
    def _field_names(self, layer) -> dict:
        """{canonical name: actual field name} of the tag and totals fields present."""
        names = layer.fields().names()
        found = {}
        for canonical in TAG_NAMES + TOTAL_COLUMNS:
            actual = find_field(names, canonical)
            if actual is not None:
                found[canonical] = actual
        return found

    def ensure_tag_fields(self, layer) -> dict | None:
        """{canonical: field index} of the five tag fields, adding the missing ones
        after asking once; None when the user declines or the layer can't take them."""
        present = self._field_names(layer)
        missing = [spec for spec in task_types.TAG_FIELDS if spec.name not in present]
        if missing:
            names = ", ".join(f"{s.name} ({s.alias})" for s in missing)
            caps = layer.dataProvider().capabilities() if layer.dataProvider() else 0
            if not caps & QgsVectorDataProvider.AddAttributes and not layer.isEditable():
                self.notify(tr("Layer '{0}' cannot take new fields ({1}).").format(layer.name(), names),
                            Qgis.Warning)
                return None
            if not self.confirm(tr("Add consolidation fields"),
                                tr("Layer '{0}' has no field(s) {1}. Add them to tag parcels?")
                                .format(layer.name(), names)):
                self.notify(tr("Nothing tagged: the tag fields were not added."), Qgis.Info)
                return None
            if not self._add_fields(layer, missing):
                self.notify(tr("Could not add the fields {0} to layer '{1}'.").format(names, layer.name()),
                            Qgis.Critical)
                return None
            present = self._field_names(layer)
        self._decorate_fields(layer, present)
        return {c: layer.fields().indexOf(present[c]) for c in TAG_NAMES}

    def _add_fields(self, layer, specs) -> bool:
        from ..qgis_io.values import qgs_field

        fields = [qgs_field(spec) for spec in specs]
        if layer.isEditable():
            layer.beginEditCommand(tr("Add consolidation fields"))
            ok = all(layer.addAttribute(f) for f in fields)
            if ok:
                layer.endEditCommand()
            else:
                layer.destroyEditCommand()
            layer.updateFields()
            return ok
        ok = layer.dataProvider().addAttributes(fields)
        layer.updateFields()
        return bool(ok)

    def _decorate_fields(self, layer, present: dict):
        """Chinese aliases and value maps (code -> Chinese label) on the tag fields."""
        maps = {
            "ZZLX": [{f.zh: f.code} for f in task_types.FAMILIES],
            "ZZZLX": [{f"{s.zh}": s.code} for f in task_types.FAMILIES for s in f.subtypes],
        }
        for spec in task_types.TAG_FIELDS:
            name = present.get(spec.name)
            if name is None:
                continue
            index = layer.fields().indexOf(name)
            if not layer.attributeAlias(index):
                layer.setFieldAlias(index, spec.alias)
            if spec.name in maps and layer.editorWidgetSetup(index).type() != "ValueMap":
                layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup("ValueMap", {"map": maps[spec.name]}))

    # ----------------------------------------------------------------- tagging
    def current_task(self) -> str:
        item = self.taskTree.currentItem()
        return item.data(0, Qt.UserRole) if item is not None else ""

    def select_task(self, code: str) -> bool:
        for i in range(self.taskTree.topLevelItemCount()):
            top = self.taskTree.topLevelItem(i)
            for item in [top] + [top.child(j) for j in range(top.childCount())]:
                if item.data(0, Qt.UserRole) == code:
                    self.taskTree.setCurrentItem(item)
                    return True
        return False

    def tag_selected(self, task: str | None = None) -> int:
        """Tag the selected parcels with `task` (default: the palette's) and the project."""
        layer = self.parcel_layer()
        return self.tag_features(layer, layer.selectedFeatureIds() if layer else [],
                                 task or self.current_task())

    def clear_selected(self) -> int:
        layer = self.parcel_layer()
        return self.tag_features(layer, layer.selectedFeatureIds() if layer else [], None, clear=True)

    def _can_edit(self, layer) -> bool:
        if layer.readOnly():
            self.notify(tr("Layer '{0}' is read-only: nothing was changed.").format(layer.name()),
                        Qgis.Warning)
            return False
        caps = layer.dataProvider().capabilities() if layer.dataProvider() else 0
        if not caps & QgsVectorDataProvider.ChangeAttributeValues:
            self.notify(tr("Layer '{0}' does not allow editing attributes: nothing was changed.")
                        .format(layer.name()), Qgis.Warning)
            return False
        return True

    def tag_features(self, layer, fids, task: str | None, clear: bool = False) -> int:
        """Write the task and project tags (or NULLs with `clear`) to parcels `fids`
        as one undo step; returns the number of parcels changed."""
        if layer is None:
            self.notify(tr("Choose the parcel layer first."), Qgis.Warning)
            return 0
        fids = list(fids)
        if not fids:
            self.notify(tr("Select parcels on the map first: nothing was changed."), Qgis.Warning)
            return 0
        if not self._can_edit(layer):
            return 0
        if clear:
            present = self._field_names(layer)
            if not any(n in present for n in TAG_NAMES):
                self.notify(tr("Layer '{0}' has no tag fields: nothing to clear.").format(layer.name()))
                return 0
            index = {c: layer.fields().indexOf(present[c]) for c in TAG_NAMES if c in present}
            values = {c: None for c in index}
            label = tr("Clear consolidation tags")
        else:
            family = task_types.family_of(task or "")
            if family is None:
                self.notify(tr("Choose a task in the list first."), Qgis.Warning)
                return 0
            if not self.project_code:
                self.notify(tr("Enter the project code (XMBH) first: nothing was changed."), Qgis.Warning)
                return 0
            sub = task_types.subtype(task)
            index = self.ensure_tag_fields(layer)
            if index is None:
                return 0
            values = {"ZZLX": family.code, "ZZZLX": sub.code if sub else None,
                      "XMBH": self.project_code, "XMMC": self.project_name or None,
                      "SSND": self.project_year}
            label = tr("Tag parcels: {0}").format(task_types.label(task))
        if not layer.isEditable() and not layer.startEditing():
            self.notify(tr("Layer '{0}' cannot be edited: nothing was changed.").format(layer.name()),
                        Qgis.Warning)
            return 0
        new = {index[c]: v for c, v in values.items()}
        old = self._old_values(layer, fids, list(new))
        layer.beginEditCommand(label)
        ok = True
        for fid in fids:
            if not layer.changeAttributeValues(fid, new, old.get(fid, {})):
                ok = False
                break
        if not ok:
            layer.destroyEditCommand()
            self.notify(tr("Tagging failed on layer '{0}': nothing was changed.").format(layer.name()),
                        Qgis.Critical)
            return 0
        layer.endEditCommand()
        layer.triggerRepaint()
        self._dirty.update(fids)
        self._schedule_refresh()
        if clear:
            self.notify(tr("{0} parcel(s) cleared.").format(len(fids)))
        else:
            self.notify(tr("{0} parcel(s) tagged: {1}.").format(len(fids), task_types.label(task)))
        return len(fids)

    @staticmethod
    def _old_values(layer, fids, indexes) -> dict:
        request = (QgsFeatureRequest().setFilterFids(list(fids))
                   .setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes(indexes))
        old = {}
        for feature in layer.getFeatures(request):
            attrs = feature.attributes()
            old[feature.id()] = {i: attrs[i] for i in indexes}
        return old

    # ----------------------------------------------------------------- map tool
    def _toggle_map_tool(self, on: bool):
        if self.iface is None:
            return
        canvas = self.iface.mapCanvas()
        if on:
            if self.map_tool is None:
                from .map_tool import TagParcelsMapTool

                self.map_tool = TagParcelsMapTool(canvas, self.parcel_layer)
                self.map_tool.parcelsPicked.connect(self._on_parcels_picked)
                self.map_tool.deactivated.connect(lambda: self.mapToolButton.setChecked(False))
            canvas.setMapTool(self.map_tool)
        elif self.map_tool is not None and canvas.mapTool() is self.map_tool:
            canvas.unsetMapTool(self.map_tool)

    def _on_parcels_picked(self, fids, clear):
        layer = self.parcel_layer()
        if layer is None:
            return
        layer.selectByIds(fids)
        self.tag_features(layer, fids, None if clear else self.current_task(), clear=clear)

    # -------------------------------------------------------------------- style
    def apply_style(self, by: str = "subtype"):
        layer = self.parcel_layer()
        if layer is None:
            self.notify(tr("Choose the parcel layer first."), Qgis.Warning)
            return None
        if by == "landclass":
            layer.setRenderer(styles.land_class_renderer(layer))
            layer.triggerRepaint()
        else:
            styles.apply_task_style(layer, by)
        if self.iface is not None and hasattr(self.iface, "layerTreeView"):
            view = self.iface.layerTreeView()
            if view is not None:
                view.refreshLayerSymbology(layer.id())
        return layer.renderer()

    # ------------------------------------------------------------------- totals
    @staticmethod
    def _empty_frame():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TOTAL_COLUMNS},
                            index=pd.Index([], dtype="int64", name="fid"))

    def _schedule_refresh(self, *_args):
        self._timer.start()

    def reload(self, *_args):
        """Re-read every tagged parcel (layer change, commit, rollback, fields)."""
        self._full_reload = True
        self._geom_cache.clear()
        self._schedule_refresh()

    def _read_rows(self, layer, fids=None) -> pd.DataFrame:
        """Tagged parcels (or parcels `fids`) with the totals columns, no geometry."""
        names = self._field_names(layer)
        fields = layer.fields()
        cols = [c for c in TOTAL_COLUMNS if c in names]
        idx = [fields.indexOf(names[c]) for c in cols]
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes(idx)
        if fids is not None:
            request.setFilterFids(list(fids))
        else:
            tags = [names[c] for c in ("ZZLX", "ZZZLX") if c in names]
            if not tags:
                return self._empty_frame()
            request.setFilterExpression(" OR ".join(
                f"(\"{n}\" IS NOT NULL AND \"{n}\" <> '')" for n in tags))
        ids, rows = [], []
        for feature in layer.getFeatures(request):
            attrs = feature.attributes()
            ids.append(feature.id())
            rows.append([_plain(attrs[i]) for i in idx])
        frame = pd.DataFrame(rows, columns=cols, index=pd.Index(ids, dtype="int64", name="fid"),
                             dtype=object)
        for c in TOTAL_COLUMNS:
            if c not in frame:
                frame[c] = None
        return frame[list(TOTAL_COLUMNS)]

    @staticmethod
    def _tagged(frame) -> pd.Series:
        def has(col):
            return frame[col].map(lambda v: v is not None and str(v).strip() != "")
        return has("ZZLX") | has("ZZZLX") if len(frame) else pd.Series([], dtype=bool)

    def refresh_totals(self):
        """Bring the cached tagged rows up to date (whole layer or just the edited
        parcels) and recompute the totals."""
        self._timer.stop()
        layer = self._layer
        if layer is None:
            self._frame = self._empty_frame()
            self._dirty.clear()
        elif self._full_reload:
            self._frame = self._read_rows(layer)
            self._dirty.clear()
        elif self._dirty:
            dirty = list(self._dirty)
            self._dirty.clear()
            rows = self._read_rows(layer, dirty)
            rows = rows[self._tagged(rows)]
            kept = self._frame.drop(index=[f for f in dirty if f in self._frame.index])
            self._frame = pd.concat([kept, rows]) if len(rows) else kept
        self._full_reload = False
        self._update_totals_view()

    def scope_project(self):
        """The XMBH the totals are filtered on (None: all projects)."""
        return self.project_code if self.scopeCombo.currentData() == "project" else None

    def _update_totals_view(self):
        frame = self._frame
        project = self.scope_project()
        self.totals = totals = task_totals(frame, self.rules, project, self.targets)
        for t in totals.families + totals.subtypes:
            item = self._total_items[t.code]
            item.setText(1, f"{t.parcels:,}" if t.parcels else "")
            item.setText(2, f"{t.area_mu:,.2f}" if t.parcels else "")
            item.setText(3, f"{t.new_farmland_mu:,.2f}" if t.new_farmland_mu else "")
            for col in (1, 2, 3):
                item.setTextAlignment(col, Qt.AlignRight | Qt.AlignVCenter)
            if t.family:
                item.setHidden(t.parcels == 0)
        for p in totals.progress:
            bar = self.progress_bars[p.family]
            bar.setValue(int(round(min(p.share, 1.0) * 1000)))
            bar.setFormat(f"{p.share:.1%} · {p.done_mu:,.0f} " + tr("mu"))
            bar.setToolTip(tr("{0}: {1:,.2f} of {2:,.0f} mu tagged ({3:.1%})").format(
                task_types.label(p.family), p.done_mu, p.target_mu, p.share))
        if self._layer is None:
            text = tr("No parcel layer.")
        elif project is not None and not project:
            text = tr("Enter the project code (XMBH) to follow a project.")
        else:
            text = tr("{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu")\
                .format(totals.parcels, totals.area_mu, totals.new_farmland_mu)
            if totals.farmland_mu > 0:
                text += tr(" ({0:.1%} of the farmland tagged, at least {1:.0%} required)")\
                    .format(totals.new_farmland_share, self.rules.new_farmland_min_share)
            text += "."
            if totals.unknown_codes:
                text += " " + tr("Unknown task codes (not counted): {0}.").format(
                    ", ".join(totals.unknown_codes))
        self.summaryLabel.setText(text)
        self._update_conflicts(project)

    # ---------------------------------------------------------------- conflicts
    def _working_crs(self, layer) -> QgsCoordinateReferenceSystem:
        crs = layer.crs()
        if crs.isValid() and not crs.isGeographic():
            return crs
        from ..core.crs import cgcs2000_gk_epsg_for_longitude

        extent = layer.extent()
        if crs.isValid() and crs.authid() != "EPSG:4490":
            geo = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem("EPSG:4490"),
                                         QgsProject.instance()).transform(extent.center())
            lon = geo.x()
        else:
            lon = extent.center().x()
        return QgsCoordinateReferenceSystem(f"EPSG:{cgcs2000_gk_epsg_for_longitude(lon, False)}")

    def _shapely(self, layer, fids, target):
        from ..qgis_io.values import as_shapely

        transform = None
        if layer.crs() != target:
            transform = QgsCoordinateTransform(layer.crs(), target, QgsProject.instance())
        request = QgsFeatureRequest().setNoAttributes()
        if fids is not None:
            request.setFilterFids(list(fids))
        ids, geoms = [], []
        for feature in layer.getFeatures(request):
            geom = feature.geometry()
            if transform is not None and not geom.isNull():
                geom.transform(transform)
            ids.append(feature.id())
            geoms.append(geom)
        return ids, as_shapely(geoms)

    def _update_conflicts(self, project):
        red = self.redLineCombo.currentLayer()
        layer = self._layer
        self.conflict_fids = []
        if red is None or layer is None or not red.isValid():
            self.conflictsButton.setText(tr("Red-line conflicts: set the red line layer"))
            self.conflictsButton.setEnabled(False)
            return
        frame = self._frame
        if project is not None:
            frame = frame[frame["XMBH"].map(lambda v: str(v or "").strip()) == project]
        target = self._working_crs(layer)
        if self._zone is None or self._zone[0] != (red.id(), target.authid()):
            from ..core.control_lines import ZoneIndex

            _ids, zone_geoms = self._shapely(red, None, target)
            self._zone = ((red.id(), target.authid()), ZoneIndex(zone_geoms))
        fids = list(frame.index)
        missing = [f for f in fids if f not in self._geom_cache]
        if missing:
            ids, geoms = self._shapely(layer, missing, target)
            self._geom_cache.update(zip(ids, geoms))
        fids = [f for f in fids if f in self._geom_cache]
        if fids:
            rows = frame.loc[fids]
            geoms = np.array([self._geom_cache[f] for f in fids], dtype=object)
            flags = red_line_conflicts(geoms, rows["DLBM"], rows["ZZLX"], rows["ZZZLX"],
                                       self._zone[1], self.rules)
            self.conflict_fids = [f for f, hit in zip(fids, flags) if hit]
        n = len(self.conflict_fids)
        self.conflictsButton.setText(tr("Red-line conflicts: {0} parcel(s)").format(n))
        self.conflictsButton.setEnabled(n > 0)
        self.conflictsButton.setStyleSheet("color: #b30000; font-weight: bold;" if n else "")

    def select_conflicts(self):
        layer = self.parcel_layer()
        if layer is None or not self.conflict_fids:
            return
        layer.selectByIds(self.conflict_fids)
        if self.iface is not None:
            canvas = self.iface.mapCanvas()
            if canvas is not None:
                canvas.zoomToSelected(layer)

    # ------------------------------------------------------- checks and export
    def _select_project_parcels(self, layer):
        """Select the tagged parcels of the current project (all tagged without one)."""
        self.refresh_totals()
        frame = self._frame
        if self.project_code:
            frame = frame[frame["XMBH"].map(lambda v: str(v or "").strip()) == self.project_code]
        fids = list(frame.index)
        layer.selectByIds(fids)
        return fids

    def preset_parameters(self, alg, selected_only: bool) -> dict:
        """Parameter values for `alg` from the dock: the parcel layer (its selection),
        the control-line layers, the DEM and the project fields, matched by name."""
        values = {
            "parcels": None,
            "red_line": self.redLineCombo.currentLayer(),
            "pbf": self.pbfCombo.currentLayer(),
            "udb": self.udbCombo.currentLayer(),
            "dem": self.demCombo.currentLayer(),
            "xmbh": self.project_code or None,
            "xmmc": self.project_name or None,
            "ssnd": self.project_year,
            "project_field": None,
        }
        layer = self.parcel_layer()
        if layer is not None:
            values["project_field"] = find_field(layer.fields().names(), "XMBH")
            values["parcels"] = (QgsProcessingFeatureSourceDefinition(layer.id(), True)
                                 if selected_only else layer.id())
        params = {}
        for definition in alg.parameterDefinitions():
            name = definition.name()
            for role, names in PARAMETER_ROLES.items():
                if name.upper() in names and values[role] is not None:
                    value = values[role]
                    params[name] = value.id() if hasattr(value, "id") and callable(value.id) else value
                    break
        return params

    def _open_algorithm(self, alg_id: str, selected_only: bool):
        alg = QgsApplication.processingRegistry().algorithmById(alg_id)
        if alg is None:
            self.notify(tr("The algorithm {0} is not available: it is not registered in "
                           "Processing (is the plugin's provider loaded?).").format(alg_id),
                        Qgis.Warning)
            return None
        layer = self.parcel_layer()
        if layer is None:
            self.notify(tr("Choose the parcel layer first."), Qgis.Warning)
            return None
        if selected_only and not self._select_project_parcels(layer):
            self.notify(tr("No tagged parcels in this project yet: the whole layer is checked."))
            selected_only = False
        params = self.preset_parameters(alg, selected_only)
        self.open_algorithm_dialog(alg_id, params)
        return params

    def open_control_line_check(self):
        """Open the control-line check with the project's tagged parcels and layers."""
        return self._open_algorithm(CONTROL_LINE_CHECK, selected_only=True)

    def open_declaration_export(self):
        """Open the declaration export with this project preselected."""
        return self._open_algorithm(DECLARATION_EXPORT, selected_only=False)

    # ------------------------------------------------------------------ unload
    def unload(self):
        """Disconnect from QGIS signals before the plugin goes away."""
        self._timer.stop()
        project = QgsProject.instance()
        for signal, slot in ((project.readProject, self._on_project_read),
                             (project.writeProject, self._on_project_write),
                             (project.cleared, self._on_project_cleared)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._disconnect_layer()
        if self.map_tool is not None and self.iface is not None:
            canvas = self.iface.mapCanvas()
            if canvas.mapTool() is self.map_tool:
                canvas.unsetMapTool(self.map_tool)
            self.map_tool = None
