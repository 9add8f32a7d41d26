"""The consolidation dock (整治任务面板): a QgsDockWidget built from consolidation_dock.ui."""
import os

from qgis.gui import QgsDockWidget
from qgis.PyQt import uic

FORM_CLASS, _ = uic.loadUiType(os.path.join(os.path.dirname(__file__), "consolidation_dock.ui"))


class ConsolidationDock(QgsDockWidget, FORM_CLASS):
    """Dock where technicians tag parcels and follow the targets."""

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setupUi(self)

    def unload(self):
        """Disconnect from QGIS signals before the plugin goes away."""
