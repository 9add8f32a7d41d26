"""The project's layers by role (parcels, red line, PBF, urban boundary, DEM): the rules
of core.layer_roles applied to QGIS layers. The dock fills its layer choices with
choose_roles; the algorithms preselect their inputs with project_defaults."""
from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QThread

from ..core import layer_roles as roles
from ..translation import tr

try:  # QGIS ≥ 3.30 moved the geometry types to Qgis
    POLYGON = Qgis.GeometryType.Polygon
except AttributeError:  # QGIS 3.22
    POLYGON = QgsWkbTypes.GeometryType.PolygonGeometry

ROLES = ("parcels",) + tuple(roles.CONTROL_LINES) + ("dem",)


def is_polygon_layer(layer) -> bool:
    return (isinstance(layer, QgsVectorLayer) and layer.isValid()
            and layer.geometryType() == POLYGON)


def is_parcel_layer(layer) -> bool:
    """A polygon layer with the 三调 parcel fields."""
    return is_polygon_layer(layer) and not roles.missing_parcel_fields(layer.fields().names())


def facts(layer) -> roles.LayerFacts:
    """What the role rules need to know of a map layer."""
    if is_polygon_layer(layer):
        return roles.LayerFacts(layer.id(), layer.name(), roles.POLYGON,
                                tuple(layer.fields().names()))
    if isinstance(layer, QgsRasterLayer) and layer.isValid():
        return roles.LayerFacts(layer.id(), layer.name(), roles.RASTER)
    return roles.LayerFacts(layer.id(), layer.name(), roles.OTHER)


def _pick(layers, key):
    return next((layer for layer in layers if layer.id() == key), None) if key else None


def choose_parcel_layer(layers):
    """The layer of `layers` that looks most like the parcel layer, None if none does."""
    return _pick(layers, roles.choose_parcels([facts(layer) for layer in layers]))


def choose_control_layer(layers, role: str, exclude=()):
    """The polygon layer of `layers` that is the control line `role` (by name, then
    fields), never one of `exclude` (the parcel layer)."""
    skip = tuple(layer.id() for layer in exclude if layer is not None)
    return _pick(layers, roles.choose_control_line([facts(layer) for layer in layers], role,
                                                   skip))


def choose_dem(layers):
    """The first raster layer called dem/高程/elevation/dtm, None if none is."""
    return _pick(layers, roles.choose_dem([facts(layer) for layer in layers]))


def project_layers(project) -> list:
    """The project's layers in layer-tree order (then any outside the tree)."""
    layers = [node.layer() for node in project.layerTreeRoot().findLayers() if node.layer()]
    seen = {layer.id() for layer in layers}
    return layers + [layer for layer in project.mapLayers().values() if layer.id() not in seen]


def choose_roles(layers, current: dict, keys) -> dict:
    """{role: layer} from `layers` for the roles `keys` that `current` ({role: layer or
    None}) leaves open: a parcel role not held by a parcel layer, empty control lines
    (never the parcel layer) and an empty DEM."""
    picks = {}
    parcels = current.get("parcels")
    if "parcels" in keys and not is_parcel_layer(parcels):
        pick = choose_parcel_layer(layers)
        if pick is not None:
            picks["parcels"] = parcels = pick
    for key in roles.CONTROL_LINES:
        if key in keys and current.get(key) is None:
            pick = choose_control_layer(layers, key, exclude=[parcels])
            if pick is not None:
                picks[key] = pick
    if "dem" in keys and current.get("dem") is None:
        pick = choose_dem(layers)
        if pick is not None:
            picks["dem"] = pick
    return picks


def project_defaults(project=None) -> dict:
    """{role: layer id} of the layers of `project` (default: the current project) that play
    each role, for the algorithms' dialogs; empty outside the main thread, where the
    project's layers may not be read."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() != app.thread():
        return {}
    project = project or QgsProject.instance()
    return roles.choose_roles([facts(layer) for layer in project_layers(project)], ROLES)


def layer_name(source, fallback: str = "") -> str:
    """The name of the layer the user chose for an input (`fallback` when it has none)."""
    name = source.sourceName() if source is not None and hasattr(source, "sourceName") else ""
    return name or fallback


def check_parcel_layer(source, feedback, needs=(), name: str = ""):
    """An input that should be the parcel layer but lacks the 三调 fields DLBM/TBMJ: an
    error naming the layer when the algorithm `needs` one of them, else a warning."""
    missing = roles.missing_parcel_fields(source.fields().names())
    if not missing:
        return
    name = name or layer_name(source)
    text = tr("Layer '{0}' has no 三调 field(s) {1}: is it the parcel layer (地类图斑)?").format(
        name, ", ".join(missing))
    needed = [f for f in needs if f in missing]
    if needed:
        raise QgsProcessingException(text + " " + tr(
            "This algorithm needs {0}: choose the parcel layer as input.").format(
            ", ".join(needed)))
    feedback.pushWarning(text + " " + tr("Land classes or recorded areas cannot be read "
                                         "from it."))


def same_layer(a, b) -> bool:
    """Whether two map layers are one layer or read the same data (source string)."""
    if a is None or b is None:
        return False
    return a.id() == b.id() or (a.providerType() == b.providerType()
                                and a.source() == b.source())
