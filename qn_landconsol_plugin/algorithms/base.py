"""Base class of the plugin's algorithms: group, help, translation, dependency check."""
import os

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtGui import QIcon

from ..dependencies import dependency_message
from ..translation import tr

_ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icons", "icon.svg")


class QnAlgorithm(QgsProcessingAlgorithm):
    """Common plumbing; subclasses set NAME, and implement displayName/initAlgorithm/processAlgorithm."""

    NAME = ""
    GROUP_ID = ""

    def name(self):
        return self.NAME

    def group(self):
        return self.groupName()

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def groupName(self):  # noqa: N802 - subclasses override with a translated name
        return ""

    def icon(self):
        return QIcon(_ICON)

    def tr(self, text):
        return tr(text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802
        message = dependency_message()
        if message:
            raise QgsProcessingException(tr("Missing Python package: {}").format(message))
        return True
