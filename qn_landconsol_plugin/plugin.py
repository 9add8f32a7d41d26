"""The plugin object QGIS creates: Processing provider, menu, toolbar button and dock.

Start-up must work without the plugin's Python packages (shapely, pandas …): nothing here
imports them. When some are missing the provider lists placeholders, and the menu, the
toolbar button and a message bar say what is missing and offer to install it."""
import os

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QDockWidget, QPushButton

from . import dependencies
from .qgis_io.compat import QAction
from .translation import install_translator, tr

PLUGIN_DIR = os.path.dirname(__file__)
PROVIDER_ID = "qnlandconsol"

# packages the plugin installed into the user's profile come first on sys.path
dependencies.use_packages_folder(
    dependencies.packages_folder(QgsApplication.qgisSettingsDirPath()))


def icon(name: str) -> QIcon:
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
        self.dock_action = None
        self.dependencies_dialog = None
        self.missing = dependencies.missing_packages()
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

        self.provider = QnLandConsolProvider(self.missing)
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
        self.dock_action = dock_action

        toolbox_action = QAction(icon("icon.svg"), tr("Consolidation algorithms…"),
                                 self.iface.mainWindow())
        toolbox_action.setObjectName("QnLandConsolToolboxAction")
        toolbox_action.triggered.connect(self.show_toolbox)
        self._add_action(toolbox_action)

        packages_action = QAction(tr("Install Python packages…"), self.iface.mainWindow())
        packages_action.setObjectName("QnLandConsolPackagesAction")
        packages_action.triggered.connect(self.show_dependencies)
        self._add_action(packages_action)
        if self.missing:
            self._warn_missing()

    def _add_action(self, action, toolbar=False):
        self.iface.addPluginToMenu(self.menu_name, action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)

    # Missing Python packages -------------------------------------------
    def _warn_missing(self):
        """A message bar item naming what is missing, with a button to the installer."""
        names = tr(", ").join(m.requirement.distribution for m in self.missing)
        bar = self.iface.messageBar()
        item = bar.createMessage(tr("Land consolidation"),
                                 tr("The plugin needs Python packages that this QGIS does not "
                                    "have: {0}.").format(names))
        button = QPushButton(tr("Install…"), item)
        button.setObjectName("QnLandConsolInstallButton")
        button.clicked.connect(self.show_dependencies)
        item.layout().addWidget(button)
        bar.pushWidget(item, Qgis.MessageLevel.Warning, 0)
        self.missing_message = item

    def show_dependencies(self):
        from .ui.dependencies_dialog import DependenciesDialog

        missing = self.missing or dependencies.missing_packages()
        if not missing:
            self.iface.messageBar().pushMessage(
                tr("Land consolidation"), tr("Every Python package the plugin needs is "
                                             "installed."), Qgis.MessageLevel.Success, 5)
            return None
        self.dependencies_dialog = DependenciesDialog(missing, self.iface.mainWindow())
        self.dependencies_dialog.show()
        return self.dependencies_dialog

    # Dock ---------------------------------------------------------------
    def _ensure_dock(self):
        if self.dock is None:
            from .ui.consolidation_dock import ConsolidationDock

            self.dock = ConsolidationDock(self.iface, self.iface.mainWindow())
            self.dock.setObjectName("QnLandConsolDock")
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            self.dock.visibilityChanged.connect(self._sync_dock_action)
        return self.dock

    def show_dock(self, visible=True):
        if visible and self.missing:
            self._sync_dock_action(False)
            self.show_dependencies()
            return
        if not visible and self.dock is None:
            return
        self._ensure_dock().setUserVisible(bool(visible))

    def _sync_dock_action(self, visible):
        if self.dock_action.isChecked() != visible:
            self.dock_action.blockSignals(True)
            self.dock_action.setChecked(visible)
            self.dock_action.blockSignals(False)

    def show_toolbox(self):
        """Show the Processing toolbox with this plugin's group expanded (the search box
        is left as the user had it)."""
        toolbox = self.iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
        if toolbox is None:
            return
        toolbox.setVisible(True)
        toolbox.raise_()
        tree = getattr(toolbox, "algorithmTree", None)
        if tree is None or self.provider is None:
            return
        model = tree.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if model.data(index) == self.provider.name():
                tree.expand(index)
                tree.scrollTo(index)
                tree.setCurrentIndex(index)
                break

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
