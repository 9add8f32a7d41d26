"""The input and output guards, in one place: each turns bad input, or an output that
would destroy an input, into a clear, translated error naming the layer, field or file
(QgsProcessingException) before anything is written; what is only doubtful goes to the
log as a warning.

Inputs: polygons (require_polygons), fields (field_mapping, check_field_parameters), the
CRS (layer_crs, with the user's opt-in assumption assumed_crs), parcel attributes
(parcel_table_checks: core.parcel_checks' NULL rules and plausibility checks).
Outputs (qgis_io._outputs): refuse_overwriting_inputs compares every output of an
algorithm with every input and with each other; OutputRun remembers what a run may
create and removes it when the run is canceled or fails; writable_folder.
algorithms.base.QnAlgorithm calls the output guards for every algorithm."""
from __future__ import annotations

import os
import tempfile

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsProcessingException,
    QgsProcessingParameterField,
    QgsProject,
    QgsWkbTypes,
)

from ..core import crs as gk
from ..core import layer_checks
from ..core.fields import MissingFieldError, match_fields
from ..core.messages import ERROR, WARNING, finding
from ..translation import tr
from . import compat
from ._outputs import OutputRun, overwrite_conflict  # noqa: F401 - the output guards live here

ASSUME_CRS_VARIABLE = "QN_LANDCONSOL_ASSUME_CRS"
ASSUME_CRS_SETTING = "qn_landconsol/assume_crs"
UNDEFINED_CRS_NAMES = ("undefined", "unknown")   # GeoPackage's 'Undefined … SRS' and the like


def same_file(a: str, b: str) -> bool:
    """Whether two paths name the same file (`a` may not exist yet)."""
    try:
        return os.path.samefile(a, b)
    except OSError:      # `a` does not exist yet
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def require_polygons(source, label: str, message: str | None = None):
    """A layer that must hold polygons but holds points or lines is an error (`message`:
    a translated text with {0} for the layer, {1} for what it holds, instead of the usual)."""
    kind = QgsWkbTypes.geometryType(source.wkbType())
    if kind != compat.GeometryType.Polygon:
        raise QgsProcessingException(
            (message or tr("Layer '{0}' must contain polygons, it has {1} geometries.")).format(
                label, QgsWkbTypes.geometryDisplayString(kind)))


def field_mapping(source, required=(), optional=(), label: str = "") -> dict:
    """{canonical 三调 name: the source's field name} (core.fields.match_fields); a missing
    required field is an error naming the field and the layer."""
    try:
        return match_fields(source.fields().names(), required, optional, layer=label)
    except MissingFieldError as err:
        raise QgsProcessingException(
            tr("Field {0} not found in layer '{1}'. The layer needs the 三调 field {0}.").format(
                err.field, label)) from None


def writable_folder(folder: str):
    """An output folder that cannot be made or written to is an error."""
    if not folder:
        raise QgsProcessingException(tr("No output folder given."))
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".qn_write_test_"):
            pass
    except OSError as err:
        raise QgsProcessingException(
            tr("The output folder is not writable: {0} ({1})").format(folder, err)) from None


def layer_name(layer) -> str:
    """A map layer's name as the user knows it, with the layer of a multi-layer file:
    'township|dltb'."""
    from qgis.core import QgsProviderRegistry

    name = layer.name()
    try:
        sub = QgsProviderRegistry.instance().decodeUri(layer.providerType(),
                                                       layer.source()).get("layerName")
    except (AttributeError, TypeError):
        sub = None
    return f"{name}|{sub}" if sub and sub != name else name


def layer_label(source, label: str, layer=None) -> str:
    """`label` (the layer's role: 'Parcels', 'Ecological red line'…) with the layer's own
    name when it differs: 'Parcels (township|dltb)'."""
    name = layer_name(layer) if layer is not None else (
        source.sourceName() if hasattr(source, "sourceName") else "")
    return tr("{0} ({1})").format(label, name) if name and name != label else (label or name)


# --------------------------------------------------------------------------- outputs
def refuse_overwriting_inputs(alg, parameters, context):
    """An output that names an input's file (or its layer in a GeoPackage; shapefile
    siblings and SQLite sidecars included), or the same file as another output, is an
    error naming both, raised before anything is opened for writing. A new layer in an
    input GeoPackage (ogr:dbname=… table=…) is allowed: QGIS adds it beside the others."""
    message = overwrite_conflict(alg, parameters, context)
    if message:
        raise QgsProcessingException(message)


def check_field_parameters(alg, parameters, context):
    """A field chosen in a field parameter that its layer does not have is an error naming
    the field, the parameter and the layer (the parameter's default field may be absent:
    the algorithm then does without it)."""
    for definition in alg.parameterDefinitions():
        if not isinstance(definition, QgsProcessingParameterField):
            continue
        chosen = [c for c in compat.parameter_as_strings(alg, parameters, definition.name(),
                                                         context) if c]
        parent = definition.parentLayerParameterName()
        if not chosen or not parent:
            continue
        layer = alg.parameterAsVectorLayer(parameters, parent, context)
        if layer is None:
            continue
        default = definition.defaultValue()
        defaults = {d.upper() for d in (default if isinstance(default, (list, tuple))
                                        else str(default or "").split(";")) if d}
        for name in chosen:
            if layer.fields().lookupField(name) < 0 and name.upper() not in defaults:
                raise QgsProcessingException(tr(
                    "Field {0} (parameter '{1}') is not in layer '{2}'. Its fields: {3}.")
                    .format(name, definition.description(), layer_name(layer),
                            ", ".join(layer.fields().names()[:40])))


# --------------------------------------------------------------------------- CRS
def assumed_crs():
    """The CRS the user asked to assume for layers without a usable one: the environment
    variable QN_LANDCONSOL_ASSUME_CRS, else the QGIS setting qn_landconsol/assume_crs
    (e.g. 'EPSG:4545'); None when neither is set (the default: no guessing)."""
    value = os.environ.get(ASSUME_CRS_VARIABLE, "").strip()
    if not value:
        from qgis.PyQt.QtCore import QSettings

        value = str(QSettings().value(ASSUME_CRS_SETTING, "") or "").strip()
    if not value:
        return None
    crs = QgsCoordinateReferenceSystem(value)
    if not crs.isValid() or not crs_facts(crs).defined:
        raise QgsProcessingException(tr(
            "The CRS to assume for layers without one ({0} = {1}) is no CRS QGIS knows.")
            .format(ASSUME_CRS_VARIABLE + " / " + ASSUME_CRS_SETTING, value))
    return crs


def crs_facts(crs: QgsCoordinateReferenceSystem) -> layer_checks.CrsFacts:
    """core.layer_checks.CrsFacts of a QGIS CRS."""
    if crs is None or not crs.isValid():
        return layer_checks.CrsFacts(False)
    proj = crs.toProj()
    description = crs.description() or ""
    defined = bool(proj) and not description.lower().startswith(UNDEFINED_CRS_NAMES)
    name = crs.authid() or description or "?"
    return layer_checks.CrsFacts(True, defined, name,
                                 crs.mapUnits() == compat.DistanceUnit.Degrees,
                                 gk.zone_from_crs(crs.authid(), proj))


def layer_crs(crs, extent, label: str, feedback=None, transform_context=None):
    """The CRS to read a layer's coordinates in: its own when it has one that fits its
    coordinates (`extent`, a QgsRectangle); without one (or with an undefined one) the
    CRS the user opted into (assumed_crs, said in the log), else an error naming the
    layer and the CRS the coordinates look like. A CRS its coordinates contradict (a
    zone prefix where it has none, degrees out of range, X/Y swapped…) is an error,
    coordinates outside China a warning (core.layer_checks.crs_findings)."""
    bounds = _bounds(extent)
    findings = _crs_findings(crs, bounds, label, transform_context)
    if findings and findings[0].code in ("CRS_MISSING", "CRS_UNDEFINED"):
        assumed = assumed_crs()
        if assumed is None:
            raise QgsProcessingException(findings[0].text(tr))
        if feedback is not None:
            feedback.pushWarning(finding(layer_checks.CRS_FINDINGS, WARNING, "CRS_ASSUMED",
                                         layer=label, assumed=assumed.authid(),
                                         setting=ASSUME_CRS_SETTING).text(tr))
        crs = assumed
        findings = _crs_findings(crs, bounds, label, transform_context)
    for f in findings:
        if f.level == ERROR:
            raise QgsProcessingException(f.text(tr))
        if feedback is not None:
            feedback.pushWarning(f.text(tr))
    return crs


def layer_crs_findings(crs, extent, label: str, transform_context, qiannan: bool = True):
    """What core.layer_checks.crs_findings finds about a layer's CRS and its coordinates
    (`extent`, a QgsRectangle), Qiannan's ranges included, as Findings, without stopping
    or assuming anything: the parcel quality check reports them (layer_crs stops)."""
    return _crs_findings(crs, _bounds(extent), label, transform_context, qiannan)


def layer_bounds(extent):
    """(xmin, ymin, xmax, ymax) of a QgsRectangle, None when it is null or not finite."""
    return _bounds(extent)


def _crs_findings(crs, bounds, label, transform_context, qiannan=False):
    facts = crs_facts(crs)
    lonlat = None
    if facts.valid and facts.defined and bounds is not None and not facts.degrees and \
            (facts.zone is None or qiannan):
        lonlat = _lonlat(crs, bounds, transform_context)
    return layer_checks.crs_findings(facts, bounds, label, lonlat, qiannan)


def _bounds(extent):
    if extent is None or extent.isNull():
        return None
    bounds = np.array([extent.xMinimum(), extent.yMinimum(), extent.xMaximum(),
                       extent.yMaximum()], dtype=float)
    if not np.all(np.isfinite(bounds)) or bounds[0] > bounds[2] or bounds[1] > bounds[3]:
        return None
    return bounds


def _lonlat(crs, bounds, transform_context):
    """(lon, lat) on CGCS2000 of the centre of `bounds` in `crs`; None when the CRS
    cannot place it on the earth."""
    context = transform_context if transform_context is not None else \
        QgsProject.instance().transformContext()
    if hasattr(context, "transformContext"):
        context = context.transformContext()
    try:
        to_geo = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem("EPSG:4490"), context)
        p = to_geo.transform((bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0)
    except QgsCsException:
        return None
    lon, lat = p.x(), p.y()
    if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 360 and -90 <= lat <= 90):
        return None
    return lon, lat
