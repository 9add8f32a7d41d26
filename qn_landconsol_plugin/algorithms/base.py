"""Base class of the plugin's algorithms: group, help, icon, translation, dependency check,
the layer inputs preselected by what the project's layers are, and the guards every
algorithm gets without a line of its own (qgis_io.guards):

- before a run (checkParameterValues, which the dialog shows, and prepareAlgorithm): no
  output may overwrite an input or another output; a field chosen in a field parameter
  must exist in its layer;
- around processAlgorithm (wrapped for every subclass): a run that is canceled or fails
  leaves none of the outputs it had begun (guards.OutputRun);
- a raster parameter named DEM gets a DEM_BAND parameter (the band holding the
  elevations, default 1), and parameterAsRasterLayer then gives a rasters.Dem."""
import functools
import html
import os
import traceback

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QIcon

from ..core.layer_roles import CONTROL_LINES
from ..dependencies import dependency_message
from ..qgis_io import compat
from ..qgis_io.layer_roles import (check_parcel_layer, layer_name, project_defaults,
                                   same_layer)
from ..translation import tr
from .catalogue import BY_NAME, help_page
from .parameters import INPUT_ROLES, preselect, role_label

_ICON = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icons", "icon.svg")


class QnAlgorithm(QgsProcessingAlgorithm):
    """Common plumbing; subclasses set NAME, and implement displayName/initAlgorithm/processAlgorithm."""

    NAME = ""
    GROUP_ID = ""
    DEFAULTS = {}   # parameter name -> default field name (see _field)
    BAND_SUFFIX = "_BAND"   # DEM -> DEM_BAND

    def __init_subclass__(cls, **kwargs):
        """Wrap a subclass's own processAlgorithm in _run_guarded."""
        super().__init_subclass__(**kwargs)
        body = cls.__dict__.get("processAlgorithm")
        if body is None or getattr(body, "_guarded", False):
            return

        @functools.wraps(body)
        def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
            return self._run_guarded(body, parameters, context, feedback)

        processAlgorithm._guarded = True
        cls.processAlgorithm = processAlgorithm

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

    # ------------------------------------------------------------------ guards
    def checkParameterValues(self, parameters, context):  # noqa: N802
        """QGIS's checks, then the output and field guards (the dialog shows the message
        before anything runs)."""
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        try:
            self._guard_parameters(parameters, context)
        except QgsProcessingException as err:
            return False, str(err)
        return True, ""

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802
        message = dependency_message()
        if message:
            raise QgsProcessingException(tr("Missing Python package: {}").format(message))
        self._guard_parameters(parameters, context)
        from ..qgis_io.guards import OutputRun

        self._output_run = OutputRun.start(self, parameters, context)
        return True

    def _guard_parameters(self, parameters, context):
        from ..qgis_io import guards

        guards.refuse_overwriting_inputs(self, parameters, context)
        guards.check_field_parameters(self, parameters, context)

    def _run_guarded(self, body, parameters, context, feedback):
        """body (the subclass's processAlgorithm); when it is canceled or raises, the
        outputs it had begun are removed (a canceled run returns no results)."""
        from ..qgis_io.guards import OutputRun

        run = getattr(self, "_output_run", None)
        if run is None:      # called without prepareAlgorithm (tests, other callers)
            self._guard_parameters(parameters, context)
            run = OutputRun.start(self, parameters, context)
        self._output_run = None
        try:
            results = body(self, parameters, context, feedback)
        except BaseException as err:
            traceback.clear_frames(err.__traceback__)   # let go of the sinks it held
            run.discard(context, feedback)
            raise
        if feedback is not None and feedback.isCanceled():
            run.discard(context, feedback)
            return {}
        return results

    # ------------------------------------------------------------------ parameters
    def addParameter(self, definition, createOutput=True):  # noqa: N802, N803
        """QGIS's addParameter; a layer input preselects the project's layer of its role
        (dialogs only), and a raster parameter named DEM is followed by its band parameter."""
        if not hasattr(self, "_project_roles"):    # once per instance: per dialog opened
            self._project_roles = project_defaults()
        preselect(definition, self._project_roles)
        added = super().addParameter(definition, createOutput)
        if isinstance(definition, QgsProcessingParameterRasterLayer) and \
                definition.name() == "DEM":
            band = QgsProcessingParameterBand(
                definition.name() + self.BAND_SUFFIX, tr("DEM band holding the elevations"),
                1, definition.name(), optional=True)
            band.setFlags(band.flags() | compat.ProcessingParameterFlag.Advanced)
            super().addParameter(band, createOutput)
        return added

    def parameterAsRasterLayer(self, parameters, name, context):  # noqa: N802
        """The raster layer of `name`; for a DEM with a band parameter, a rasters.Dem
        (the layer and its band)."""
        layer = super().parameterAsRasterLayer(parameters, name, context)
        band_name = name + self.BAND_SUFFIX
        if layer is None or self.parameterDefinition(band_name) is None:
            return layer
        from ..qgis_io.rasters import Dem

        return Dem(layer, self.parameterAsInt(parameters, band_name, context) or 1)
