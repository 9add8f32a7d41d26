"""Base class of the plugin's algorithms: group, help, translation, dependency check."""
import html
import os

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtGui import QIcon

from ..core.layer_roles import CONTROL_LINES
from ..dependencies import dependency_message
from ..qgis_io.layer_roles import (check_parcel_layer, layer_name, project_defaults,
                                   same_layer)
from ..translation import tr
from .catalogue import BY_NAME
from .parameters import INPUT_ROLES, preselect, role_label

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

    def help_text(self) -> str:
        """The algorithm's help as plain text (subclasses: translated, lines as paragraphs)."""
        return ""

    def shortHelpString(self):  # noqa: N802
        """help_text as the HTML Processing shows it: '<XMBH>_范围.txt' stays literal."""
        return html.escape(self.help_text(), quote=False)

    def icon(self):
        return QIcon(self.svgIconPath())

    def svgIconPath(self):  # noqa: N802
        """The algorithm's own icon (catalogue), the plugin's for one without."""
        entry = BY_NAME.get(self.NAME)
        return entry.icon_path if entry is not None else _ICON

    def tr(self, text):
        return tr(text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def addParameter(self, definition, createOutput=True):  # noqa: N802, N803
        """Every parameter; a layer input preselects the project's layer of its role."""
        if not hasattr(self, "_project_roles"):    # once per instance: per dialog opened
            self._project_roles = project_defaults()
        preselect(definition, self._project_roles)
        return super().addParameter(definition, createOutput)

    def _source(self, parameters, name, context, required=False):
        """The feature source of parameter `name`; None when an optional one is unset, a
        clear error when one was given (or is required) but cannot be loaded."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None and (required or parameters.get(name)):
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        if source is not None and INPUT_ROLES.get(name) in CONTROL_LINES and same_layer(
                self.parameterAsVectorLayer(parameters, name, context),
                self.parameterAsVectorLayer(parameters, "INPUT", context)):
            raise QgsProcessingException(tr(
                "The layer '{0}' given as the {1} is the parcel layer itself: choose the {1} "
                "layer, or leave it empty.").format(layer_name(source),
                                                     role_label(INPUT_ROLES[name])))
        return source

    def _parcel_source(self, parameters, context, feedback, needs=("DLBM",)):
        """The parcels (INPUT), checked to be a parcel layer: an error naming the layer
        when it lacks a field of `needs`, a warning when it lacks DLBM or TBMJ."""
        source = self._source(parameters, "INPUT", context, required=True)
        check_parcel_layer(source, feedback, needs)
        self._input_name = layer_name(source)
        return source

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        """Name the outputs loaded on the map after the input parcels too ("坡耕地识别结果 -
        某某乡图斑"): the runs of a batch load layers that tell which input they are of."""
        name = getattr(self, "_input_name", "")
        outputs = {p.name() for p in self.destinationParameterDefinitions()}
        for dest, details in context.layersToLoadOnCompletion().items():
            if name and details.outputName in outputs and details.name and \
                    not details.name.endswith(name):
                context.layerToLoadOnCompletionDetails(dest).name = tr("{0} - {1}").format(
                    details.name, name)
        return {}

    def _field(self, parameters, name, context, source, feedback, label):
        """Actual field name chosen for `name` on `source`, None when unset or when the
        default field (DEFAULTS) is absent; a chosen field that is absent is an error."""
        if source is None:
            return None
        label = layer_name(source, label)
        chosen = self.parameterAsFields(parameters, name, context)
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
