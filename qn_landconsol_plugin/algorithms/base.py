"""Base class of the plugin's algorithms: group, help, translation, dependency check."""
import os

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QIcon

from ..dependencies import dependency_message
from ..qgis_io import compat
from ..translation import tr
from .catalogue import help_page

_ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icons", "icon.svg")


class QnAlgorithm(QgsProcessingAlgorithm):
    """Common plumbing; subclasses set NAME, and implement displayName/initAlgorithm/processAlgorithm."""

    NAME = ""
    GROUP_ID = ""
    DEFAULTS = {}   # parameter name -> default field name (see _field)

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

    def helpUrl(self):  # noqa: N802
        """The algorithm's page of the plugin's documentation, a local file (catalogue)."""
        path = help_page(self.NAME)
        return QUrl.fromLocalFile(path).toString() if path else ""

    def tr(self, text):
        return tr(text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def _source(self, parameters, name, context, required=False):
        """The feature source of parameter `name`; None when an optional one is unset, a
        clear error when one was given (or is required) but cannot be loaded."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None and (required or parameters.get(name)):
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def _field(self, parameters, name, context, source, feedback, label):
        """Actual field name chosen for `name` on `source`, None when unset or when the
        default field (DEFAULTS) is absent; a chosen field that is absent is an error."""
        if source is None:
            return None
        chosen = compat.parameter_as_strings(self, parameters, name, context)
        value = chosen[0] if chosen else ""
        if not value:
            return None
        index = source.fields().lookupField(value)
        if index < 0:
            if value == self.DEFAULTS.get(name):
                feedback.pushInfo(tr("{0} has no field {1}; not used.").format(label, value))
                return None
            raise QgsProcessingException(tr("Field {0} not found in {1}.").format(value, label))
        return source.fields().at(index).name()

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802
        message = dependency_message()
        if message:
            raise QgsProcessingException(tr("Missing Python package: {}").format(message))
        return True
