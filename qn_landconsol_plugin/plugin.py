"""The plugin object QGIS creates: Processing provider, menu, toolbar button and dock."""
import os

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QDockWidget

from .translation import install_translator, tr

try:  # compiled from resources.qrc by `make`; the icons files are the fallback
    from . import resources_rc  # noqa: F401
except ImportError:
    resources_rc = None

PLUGIN_DIR = os.path.dirname(__file__)
PROVIDER_ID = "qnlandconsol"


def icon(name: str) -> QIcon:
    if resources_rc is not None:
        return QIcon(f":/plugins/qn_landconsol_plugin/{name}")
    return QIcon(os.path.join(PLUGIN_DIR, "icons", name))


class QnLandConsolPlugin:
    """QGIS plugin: registers the `qnlandconsol` provider; in the desktop app also
    a menu, a toolbar button and the consolidation dock."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions = []
        self.dock = None
        self.toolbar = None
        install_translator()

    @property
    def menu_name(self) -> str:
        return tr("&Land Consolidation")

    # Processing ---------------------------------------------------------
    def initProcessing(self):  # noqa: N802 (QGIS API name)
        """Register the provider once; no iface here (qgis_process has none)."""
        registry = QgsApplication.processingRegistry()
        if registry.providerById(PROVIDER_ID) is not None:
            return
        from .algorithms.provider import QnLandConsolProvider

        self.provider = QnLandConsolProvider()
        registry.addProvider(self.provider)

    # GUI ----------------------------------------------------------------
    def initGui(self):  # noqa: N802 (QGIS API name)
        self.initProcessing()
        self.toolbar = self.iface.addToolBar(tr("Land Consolidation"))
        self.toolbar.setObjectName("QnLandConsolToolbar")

        dock_action = QAction(icon("dock.svg"), tr("Consolidation tasks panel"),
                              self.iface.mainWindow())
        dock_action.setObjectName("QnLandConsolDockAction")
        dock_action.setCheckable(True)
        dock_action.toggled.connect(self.show_dock)
        self._add_action(dock_action, toolbar=True)

        toolbox_action = QAction(icon("icon.svg"), tr("Consolidation algorithms…"),
                                 self.iface.mainWindow())
        toolbox_action.setObjectName("QnLandConsolToolboxAction")
        toolbox_action.triggered.connect(self.show_toolbox)
        self._add_action(toolbox_action)
        self.dock_action = dock_action

    def _add_action(self, action, toolbar=False):
        self.iface.addPluginToMenu(self.menu_name, action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)

    def _ensure_dock(self):
        if self.dock is None:
            from .ui.consolidation_dock import ConsolidationDock

            self.dock = ConsolidationDock(self.iface, self.iface.mainWindow())
            self.dock.setObjectName("QnLandConsolDock")
            self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
            self.dock.visibilityChanged.connect(self._sync_dock_action)
        return self.dock

    def show_dock(self, visible=True):
        if not visible and self.dock is None:
            return
        self._ensure_dock().setUserVisible(bool(visible))

    def _sync_dock_action(self, visible):
        if self.dock_action.isChecked() != visible:
            self.dock_action.blockSignals(True)
            self.dock_action.setChecked(visible)
            self.dock_action.blockSignals(False)

    def show_toolbox(self):
        """Show the Processing toolbox filtered to this plugin's algorithms."""
        toolbox = self.iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
        if toolbox is not None:
            toolbox.setVisible(True)
            toolbox.raise_()
            search = getattr(toolbox, "searchBox", None)
            if search is not None:
                search.setText(PROVIDER_ID)

    def unload(self):
        for action in self.actions:
            self.iface.removePluginMenu(self.menu_name, action)
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.unload()
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
