"""The one place that knows QGIS and Qt versions: names that moved between QGIS 3.22 and
QGIS 4 (Qt6), resolved once so the rest of the code is written one way."""
from qgis.core import Qgis

try:   # Qt6 moved QAction to QtGui; PyQt5 (QGIS 3) has it in QtWidgets
    from qgis.PyQt.QtGui import QAction  # noqa: F401
except ImportError:
    from qgis.PyQt.QtWidgets import QAction  # noqa: F401

QGIS_VERSION_INT = Qgis.QGIS_VERSION_INT if hasattr(Qgis, "QGIS_VERSION_INT") else Qgis.versionInt()


def geos_version() -> tuple:
    """(major, minor) of the GEOS QGIS is linked with."""
    return Qgis.geosVersionMajor(), Qgis.geosVersionMinor()
