"""Base class of the plugin's algorithms: group, help, translation, dependency check, and
the guards every algorithm gets without a line of its own (qgis_io.guards):

- before a run (checkParameterValues, which the dialog shows, and prepareAlgorithm): no
  output may overwrite an input or another output; a field chosen in a field parameter
  must exist in its layer;
- around processAlgorithm (wrapped for every subclass): a run that is canceled or fails
  leaves none of the outputs it had begun (guards.OutputRun);
- a raster parameter named DEM gets a DEM_BAND parameter (the band holding the
  elevations, default 1), and parameterAsRasterLayer then gives a rasters.Dem."""
import functools
import os
import traceback

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtGui import QIcon

from ..dependencies import dependency_message
from ..translation import tr

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

    def icon(self):
        return QIcon(_ICON)

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

    # ------------------------------------------------------------------ DEM band
    def addParameter(self, definition, createOutput=True):  # noqa: N802
        """QGIS's addParameter; after a raster parameter named DEM, its band parameter."""
        added = super().addParameter(definition, createOutput)
        if isinstance(definition, QgsProcessingParameterRasterLayer) and \
                definition.name() == "DEM":
            band = QgsProcessingParameterBand(
                definition.name() + self.BAND_SUFFIX, tr("DEM band holding the elevations"),
                1, definition.name(), optional=True)
            band.setFlags(band.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
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
