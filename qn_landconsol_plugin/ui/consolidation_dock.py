"""The consolidation dock (整治任务面板): a QgsDockWidget built from consolidation_dock.ui.

Technicians choose the parcel layer and the project, pick a task from the
catalogue (core.task_types) and tag the selected parcels (one undo step each);
the totals per task, the new farmland against the project area's farmland
(core.project_area) and the progress against the county's or township's quota
(core.quotas) follow every edit, debounced.

The widget only wires its parts together: tag_writer (fields, tagging, undo, the
questions), totals_cache (the tagged rows, debounced), conflict_index (red-line
conflicts), project_settings (QgsProject entries), qgis_io.layer_roles (which layer is what),
task_views (palette, totals tree, progress bars), quota_table (county quotas) and
algorithm_presets (Processing dialogs, by algorithm id).

Why ~500 lines: one slot per control of the .ui (four tabs) and the wiring between
the parts; each job itself lives in its part.
"""
from __future__ import annotations

import os

from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtWidgets import QMenu, QMessageBox, QSizePolicy

from ..core.rules import Rules, Targets
from ..core.task_totals import FAMILY_TARGET
from ..translation import tr
from ..core.layer_roles import missing_parcel_fields
from ..qgis_io import compat, layer_roles, styles
from ..qgis_io.compat import QAction
from . import project_settings, task_views
from .algorithm_presets import (
    CONTROL_LINE_CHECK,
    DECLARATION_EXPORT,
    exec_algorithm_dialog,
    preset_parameters,
    role_values,
)
from .conflict_index import ConflictIndex
from .quota_table import QuotaTable
from .tag_writer import ProjectTags, TagWriter
from .totals_cache import TotalsCache

FORM_CLASS, _ = uic.loadUiType(os.path.join(os.path.dirname(__file__), "consolidation_dock.ui"))


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
        self.open_algorithm_dialog = exec_algorithm_dialog
        self.last_message = ""
        self.totals = None
        self.conflict_fids = []
        self.map_tool = None
        self._restoring = False
        # the parts; the writer asks and tells through self.confirm / self.notify as they
        # are at the time (tests replace them)
        self.tag_writer = TagWriter(lambda title, text: self.confirm(title, text),
                                    lambda text, level=Qgis.MessageLevel.Info: self.notify(text, level))
        self.totals_cache = TotalsCache(self)
        self.conflict_index = ConflictIndex(self.rules)
        self.totals_cache.refreshed.connect(self._update_totals_view)
        self.totals_cache.geometriesChanged.connect(self.conflict_index.forget)

        self._setup_widgets()
        self._connect_widgets()
        project = QgsProject.instance()
        project.readProject.connect(self._on_project_read)
        project.writeProject.connect(self._on_project_write)
        project.cleared.connect(self._on_project_cleared)
        project.layersAdded.connect(self._on_layers_added)
        self.restore_settings()

    @property
    def _timer(self):
        """The debounce timer of the totals (tests check it is running after an edit)."""
        return self.totals_cache.timer

    # ------------------------------------------------------------------ setup
    def _setup_widgets(self):
        polygons = compat.LayerFilter.PolygonLayer
        for combo in self._layer_combos().values():
            combo.setFilters(polygons)
            combo.setAllowEmptyLayer(True)
            combo.setLayer(None)
        self.demCombo.setFilters(compat.LayerFilter.RasterLayer)
        self.projectLayout.setColumnStretch(1, 1)
        self.tabs.setCurrentWidget(self.tagTab)
        task_views.fill_task_tree(self.taskTree)
        self.scopeCombo.addItem(tr("Current project"), "project")
        self.scopeCombo.addItem(tr("All projects"), "all")
        self._total_items = task_views.fill_totals_tree(self.totalsTree)
        self.progress_bars, self.target_spins = task_views.add_target_rows(
            self.progressLayout, self.targetsLayout, self.targets)
        self.quota_table = QuotaTable(self.projectPage)
        self.quota_table.set_quotas(self.rules.county_quotas)
        self.projectPageLayout.insertWidget(self.projectPageLayout.count() - 1, self.quota_table)

        menu = QMenu(self.styleButton)
        self.styleBySubtypeAction = QAction(tr("Style by task subtype"), menu)
        self.styleByFamilyAction = QAction(tr("Style by task family"), menu)
        self.styleByLandClassAction = QAction(tr("Style by land class (DLBM)"), menu)
        for action in (self.styleBySubtypeAction, self.styleByFamilyAction, self.styleByLandClassAction):
            menu.addAction(action)
        self.styleButton.setMenu(menu)
        for button in (self.tagButton, self.clearButton, self.mapToolButton, self.styleButton):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.conflictsButton.setEnabled(False)

    def _connect_widgets(self):
        self.layerCombo.layerChanged.connect(self._on_parcel_layer_changed)
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
        self.quota_table.quotasChanged.connect(self._on_quotas_changed)
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
    def notify(self, text: str, level=Qgis.MessageLevel.Info):
        """Tell the user (message bar); the last text is kept for tests."""
        self.last_message = text
        if self.iface is not None and hasattr(self.iface, "messageBar"):
            self.iface.messageBar().pushMessage(tr("Land consolidation"), text, level, 6)

    def _ask(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(self, title, text, buttons, QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

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

    def project_tags(self) -> ProjectTags:
        return ProjectTags(self.project_code, self.project_name, self.project_year)

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
        """Set the control-line layers and the DEM; the parcel layer itself is refused."""
        for combo, layer in ((self.redLineCombo, red_line), (self.pbfCombo, pbf),
                             (self.udbCombo, udb), (self.demCombo, dem)):
            if layer is not None and layer is self.parcel_layer():
                self._refuse_parcel_layer(combo)
                layer = None
            combo.setLayer(layer)
        self.save_settings()

    def _on_project_edited(self):
        self.save_settings()
        self._update_project_title()
        self._update_totals_view()

    def _update_project_title(self):
        code = self.project_code
        title = tr("Land consolidation tasks")
        self.setWindowTitle(tr("{0}: {1}").format(title, code) if code else title)

    # ------------------------------------------------------------ layer roles
    def _choose_layers(self, layers, keys=project_settings.LAYER_KEYS):
        """Fill the open roles `keys` from `layers` by what the layers are (layer_roles)."""
        combos = self._layer_combos()
        current = {key: combo.currentLayer() for key, combo in combos.items()}
        for key, layer in layer_roles.choose_roles(layers, current, keys).items():
            combos[key].setLayer(layer)

    def _on_layers_added(self, layers):
        if not self._restoring:
            self._choose_layers(layers)

    def _on_parcel_layer_changed(self, layer):
        """Follow the new parcel layer: totals, control lines that may not be it, and a
        warning when it lacks the 三调 parcel fields."""
        layer = layer if isinstance(layer, QgsVectorLayer) else None
        for combo in (self.redLineCombo, self.pbfCombo, self.udbCombo):
            if layer is not None and combo.currentLayer() is layer:
                self._refuse_parcel_layer(combo)
                combo.setLayer(None)
            combo.setExceptedLayerList([layer] if layer is not None else [])
        self.totals_cache.set_layer(layer)
        missing = missing_parcel_fields(layer.fields().names()) if layer else []
        warning = ""
        if missing:
            warning = tr("Layer '{0}' has no 三调 field(s) {1}: is it the parcel layer (地类图斑)? "
                         "Its areas and land classes cannot be counted.").format(
                layer.name(), tr(", ").join(missing))
            if not self._restoring:
                self.notify(warning, Qgis.MessageLevel.Warning)
        self.layerWarningLabel.setText(warning)
        self.layerWarningLabel.setVisible(bool(warning))

    def _refuse_parcel_layer(self, combo):
        label = {self.redLineCombo: self.redLineLabel, self.pbfCombo: self.pbfLabel,
                 self.udbCombo: self.udbLabel, self.demCombo: self.demLabel}[combo].text()
        self.notify(tr("The parcel layer cannot also be the {0} layer: that role is left empty.")
                    .format(label), Qgis.MessageLevel.Warning)

    def _layer_combos(self) -> dict:
        return {"parcels": self.layerCombo, "red_line": self.redLineCombo, "pbf": self.pbfCombo,
                "udb": self.udbCombo, "dem": self.demCombo}

    def save_settings(self):
        """Write the dock's settings to the QGIS project (layers by id)."""
        if self._restoring:
            return
        layers = {}
        for key, combo in self._layer_combos().items():
            layer = combo.currentLayer()
            layers[key] = layer.id() if layer is not None else ""
        settings = project_settings.DockSettings(
            layers=layers, xmbh=self.project_code, xmmc=self.project_name, ssnd=self.project_year,
            scope=self.scopeCombo.currentData() or "project",
            targets={FAMILY_TARGET[c]: spin.value() for c, spin in self.target_spins.items()})
        project_settings.write(QgsProject.instance(), settings)
        self.quota_table.store(QgsProject.instance())

    def restore_settings(self):
        """Read the dock's settings back from the current QGIS project."""
        project = QgsProject.instance()
        settings = project_settings.read(project, [FAMILY_TARGET[c] for c in self.target_spins])
        self._restoring = True
        try:
            open_roles = []
            for key, combo in self._layer_combos().items():
                layer = project_settings.stored_layer(project, settings, key)
                if layer is not None:
                    combo.setLayer(layer)
                elif settings.layers[key] == "" and key != "parcels":
                    combo.setLayer(None)            # the user left this role empty
                else:
                    open_roles.append(key)          # never set, or its layer is gone
            self._choose_layers(layer_roles.project_layers(project), open_roles)
            self.projectCodeEdit.setText(settings.xmbh)
            self.projectNameEdit.setText(settings.xmmc)
            if settings.ssnd:
                self.projectYearSpin.setValue(settings.ssnd)
            self.scopeCombo.setCurrentIndex(max(self.scopeCombo.findData(settings.scope), 0))
            for code, spin in self.target_spins.items():
                attr = FAMILY_TARGET[code]
                spin.setValue(settings.targets[attr])
                setattr(self.targets, attr, spin.value())
            self.rules.county_quotas = self.quota_table.load(project)
        finally:
            self._restoring = False
        self._update_project_title()
        self._on_parcel_layer_changed(self.layerCombo.currentLayer())
        self.conflict_index.forget_red_line()
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
            self.rules.county_quotas = self.quota_table.load(None)
        finally:
            self._restoring = False
        self.targets = Targets()
        self._update_project_title()
        self._on_parcel_layer_changed(None)

    def _on_red_line_changed(self, _layer):
        self.conflict_index.forget_red_line()
        self.totals_cache.schedule()

    def _on_scope_changed(self):
        self.save_settings()
        self._update_totals_view()

    def _on_target_changed(self, code, value):
        setattr(self.targets, FAMILY_TARGET[code], float(value))
        if not self._restoring:
            self.save_settings()
            self._update_totals_view()

    def _on_quotas_changed(self, quotas):
        self.rules.county_quotas = quotas
        if not self._restoring:
            self.save_settings()
            self._update_totals_view()

    # ----------------------------------------------------------------- tagging
    def current_task(self) -> str:
        return task_views.current_task(self.taskTree)

    def select_task(self, code: str) -> bool:
        return task_views.select_task(self.taskTree, code)

    def tag_selected(self, task: str | None = None) -> int:
        """Tag the selected parcels with `task` (default: the palette's) and the project."""
        layer = self.parcel_layer()
        return self.tag_features(layer, layer.selectedFeatureIds() if layer else [],
                                 task or self.current_task())

    def clear_selected(self) -> int:
        layer = self.parcel_layer()
        return self.tag_features(layer, layer.selectedFeatureIds() if layer else [], None, clear=True)

    def tag_features(self, layer, fids, task: str | None, clear: bool = False) -> int:
        """Write the task and project tags (or NULLs with `clear`) to parcels `fids`
        as one undo step; returns the number of parcels changed."""
        fids = list(fids)
        if clear:
            done = self.tag_writer.clear(layer, fids)
        else:
            done = self.tag_writer.tag(layer, fids, task, self.project_tags())
        if done:
            self.totals_cache.mark_dirty(fids)
        return done

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
            self.notify(tr("Choose the parcel layer first."), Qgis.MessageLevel.Warning)
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
    def reload(self, *_args):
        """Re-read every tagged parcel (layer change, commit, rollback, fields)."""
        self.totals_cache.reload()

    def refresh_totals(self):
        """Bring the cached tagged rows and the land of the project areas up to date
        (waiting for it) and recompute the totals now."""
        self.totals_cache.refresh(wait=True)

    def scope_project(self):
        """The XMBH the totals are filtered on (None: all projects)."""
        return self.project_code if self.scopeCombo.currentData() == "project" else None

    def _update_totals_view(self):
        project = self.scope_project()
        self.totals = totals = self.totals_cache.totals(self.rules, project, self.targets)
        task_views.show_totals(self._total_items, totals)
        task_views.show_progress(self.progress_bars, totals.progress, totals.quota_label)
        self.summaryLabel.setText(task_views.summary_text(
            totals, self.rules, self.totals_cache.layer is not None, project,
            self.totals_cache.land_ready))
        self.summaryLabel.setToolTip(task_views.summary_tooltip(totals))
        self._update_conflicts(project)

    # ---------------------------------------------------------------- conflicts
    def _update_conflicts(self, project):
        red = self.redLineCombo.currentLayer()
        layer = self.totals_cache.layer
        self.conflict_fids = []
        if red is None or layer is None or not red.isValid():
            self.conflictsButton.setText(tr("Red-line conflicts: set the red line layer"))
            self.conflictsButton.setEnabled(False)
            return
        rows = self.totals_cache.project_rows(project)
        self.conflict_fids = self.conflict_index.conflicts(layer, red, rows)
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
        fids = list(self.totals_cache.project_rows(self.project_code or None).index)
        layer.selectByIds(fids)
        return fids

    def preset_parameters(self, alg, selected_only: bool) -> dict:
        """Parameter values for `alg` from the dock: the parcel layer (its selection),
        the control-line layers, the DEM and the project fields, matched by name."""
        layers = {key: combo.currentLayer() for key, combo in self._layer_combos().items()}
        layers["parcels"] = self.parcel_layer()
        return preset_parameters(alg, role_values(layers, self.project_tags(), selected_only))

    def _open_algorithm(self, alg_id: str, selected_only: bool):
        alg = QgsApplication.processingRegistry().algorithmById(alg_id)
        if alg is None:
            self.notify(tr("The algorithm {0} is not available: it is not registered in "
                           "Processing (is the plugin's provider loaded?).").format(alg_id),
                        Qgis.MessageLevel.Warning)
            return None
        layer = self.parcel_layer()
        if layer is None:
            self.notify(tr("Choose the parcel layer first."), Qgis.MessageLevel.Warning)
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
        self.totals_cache.timer.stop()
        project = QgsProject.instance()
        for signal, slot in ((project.readProject, self._on_project_read),
                             (project.writeProject, self._on_project_write),
                             (project.cleared, self._on_project_cleared),
                             (project.layersAdded, self._on_layers_added)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self.totals_cache.disconnect_layer()
        if self.map_tool is not None and self.iface is not None:
            canvas = self.iface.mapCanvas()
            if canvas.mapTool() is self.map_tool:
                canvas.unsetMapTool(self.map_tool)
            self.map_tool = None
