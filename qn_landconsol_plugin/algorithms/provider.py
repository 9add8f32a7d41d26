"""The `qnlandconsol` Processing provider: every algorithm of the plugin."""
import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..translation import tr


def algorithm_classes():
    """The algorithm classes, imported lazily so the provider loads fast."""
    from .sample_data import SampleDataAlgorithm
    from .farmland_contiguity import FarmlandContiguityAlgorithm
    from .idle_homesteads import IdleHomesteadsAlgorithm
    from .control_line_check import ControlLineCheckAlgorithm
    from .slope_farmland import SlopeFarmlandAlgorithm
    from .forest_farmland_swap import ForestFarmlandSwapAlgorithm
    from .export_declaration import ExportDeclarationAlgorithm
    from .import_declaration_txt import ImportDeclarationTxtAlgorithm
    from .potential_survey import PotentialSurveyAlgorithm

    return [SampleDataAlgorithm, IdleHomesteadsAlgorithm, FarmlandContiguityAlgorithm,
            ControlLineCheckAlgorithm, SlopeFarmlandAlgorithm, ForestFarmlandSwapAlgorithm,
            ExportDeclarationAlgorithm, ImportDeclarationTxtAlgorithm,
            PotentialSurveyAlgorithm]


class QnLandConsolProvider(QgsProcessingProvider):
    def id(self):
        return "qnlandconsol"

    def name(self):
        return tr("Qiannan Land Consolidation")

    def longName(self):  # noqa: N802
        return tr("Qiannan comprehensive land consolidation (黔南全域土地综合整治)")

    def icon(self):
        return QIcon(os.path.join(os.path.dirname(os.path.dirname(__file__)), "icons", "icon.svg"))

    def loadAlgorithms(self):  # noqa: N802
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
