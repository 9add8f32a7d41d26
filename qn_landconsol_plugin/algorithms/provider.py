"""The `qnlandconsol` Processing provider: every algorithm of the plugin. QGIS loads the
algorithms when the provider is registered (plugin.initProcessing), so they are plainly
imported here."""
import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..translation import tr
from .control_line_check import ControlLineCheckAlgorithm
from .export_declaration import ExportDeclarationAlgorithm
from .farmland_contiguity import FarmlandContiguityAlgorithm
from .forest_farmland_swap import ForestFarmlandSwapAlgorithm
from .idle_homesteads import IdleHomesteadsAlgorithm
from .import_declaration_txt import ImportDeclarationTxtAlgorithm
from .potential_survey import PotentialSurveyAlgorithm
from .sample_data import SampleDataAlgorithm
from .slope_farmland import SlopeFarmlandAlgorithm

# in toolbox order
ALGORITHMS = (SampleDataAlgorithm, IdleHomesteadsAlgorithm, FarmlandContiguityAlgorithm,
              ControlLineCheckAlgorithm, SlopeFarmlandAlgorithm, ForestFarmlandSwapAlgorithm,
              ExportDeclarationAlgorithm, ImportDeclarationTxtAlgorithm, PotentialSurveyAlgorithm)


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
        for cls in ALGORITHMS:
            self.addAlgorithm(cls())
