"""The `qnlandconsol` Processing provider: the algorithms of algorithms/catalogue, imported
when QGIS loads them (at registration, plugin.initProcessing), or placeholders that say
what to install when Python packages are missing."""
import os
from importlib import import_module

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..translation import tr
from .catalogue import ALGORITHMS


def algorithm_classes():
    """The algorithm classes of the catalogue (importing them needs numpy, shapely, pandas)."""
    return [getattr(import_module(f"{__package__}.{entry.module}"), entry.class_name)
            for entry in ALGORITHMS]


class QnLandConsolProvider(QgsProcessingProvider):
    """The provider; with `missing` Python packages (dependencies.missing_packages) it lists
    every algorithm as a placeholder that explains what to install instead of failing."""

    def __init__(self, missing=()):
        super().__init__()
        self.missing = list(missing)

    def id(self):
        return "qnlandconsol"

    def name(self):
        return tr("Qiannan Land Consolidation")

    def longName(self):  # noqa: N802
        return tr("Qiannan comprehensive land consolidation (黔南全域土地综合整治)")

    def icon(self):
        return QIcon(os.path.join(os.path.dirname(os.path.dirname(__file__)), "icons", "icon.svg"))

    def loadAlgorithms(self):  # noqa: N802
        if self.missing:
            from .unavailable import placeholders

            for alg in placeholders(self.missing):
                self.addAlgorithm(alg)
            return
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
