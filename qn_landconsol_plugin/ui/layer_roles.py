"""Which project layer plays which role in the dock, by what it is, never by its place
in the layer list: a parcel layer (地类图斑) has the 三调 fields DLBM and TBMJ; a
control line is known by its name (stbhhx / 生态保护红线 …) or its fields; a DEM by
its name. The rules are plain functions of a layer's name and field names.
"""
from __future__ import annotations

from qgis.core import QgsRasterLayer, QgsVectorLayer

from ..core.fields import DLTB_FIELDS, find_field
from ..qgis_io import compat

POLYGON = compat.GeometryType.Polygon

PARCEL_FIELDS = ("DLBM", "TBMJ")            # what makes a parcel layer
PARCEL_NAMES = ("dltb", "地类图斑")
# role -> (names the layer is called by, fields that only that layer has)
CONTROL_LINES = {
    "red_line": (("stbhhx", "生态保护红线", "生态红线"), ("HXMC", "HXLX", "HXBH")),
    "pbf": (("yjjbnt", "永久基本农田", "jbnt", "基本农田"), ("JBNTBH", "JBNTTBBH")),
    "udb": (("czkfbj", "城镇开发边界", "kfbj"), ("KFBJMC", "KFBJBH")),
}
DEM_NAMES = ("dem", "高程", "elevation", "dtm")


def _named(name: str, words) -> bool:
    low = (name or "").lower()
    return any(w in low for w in words)


def missing_parcel_fields(field_names) -> list:
    """The parcel fields (DLBM, TBMJ) a layer with `field_names` lacks."""
    return [f for f in PARCEL_FIELDS if find_field(field_names, f) is None]


def control_line_role(name: str, field_names) -> str | None:
    """'red_line', 'pbf' or 'udb' for a layer called `name` with `field_names`: by
    its name first, then by its own fields; None for anything else."""
    for role, (names, _fields) in CONTROL_LINES.items():
        if _named(name, names):
            return role
    for role, (_names, fields) in CONTROL_LINES.items():
        if any(find_field(field_names, f) for f in fields):
            return role
    return None


def parcel_score(name: str, field_names) -> int:
    """How much a layer looks like the 三调 parcel layer: 0 without DLBM and TBMJ or
    when it is a control line (a PBF layer carries DLBM too); else the number of DLTB
    fields it has, plus 100 when it is called dltb/地类图斑."""
    if missing_parcel_fields(field_names) or control_line_role(name, field_names):
        return 0
    score = sum(find_field(field_names, f) is not None for f in DLTB_FIELDS)
    return score + (100 if _named(name, PARCEL_NAMES) else 0)


def is_polygon_layer(layer) -> bool:
    return (isinstance(layer, QgsVectorLayer) and layer.isValid()
            and layer.geometryType() == POLYGON)


def is_parcel_layer(layer) -> bool:
    """A polygon layer with the 三调 parcel fields."""
    return is_polygon_layer(layer) and not missing_parcel_fields(layer.fields().names())


def choose_parcel_layer(layers):
    """The layer of `layers` that looks most like the parcel layer, None if none does."""
    best, best_score = None, 0
    for layer in layers:
        if is_polygon_layer(layer):
            score = parcel_score(layer.name(), layer.fields().names())
            if score > best_score:
                best, best_score = layer, score
    return best


def choose_control_layer(layers, role: str, exclude=()):
    """The first polygon layer of `layers` that is the control line `role` (by name, then
    fields), never one of `exclude` (the parcel layer)."""
    skip = {layer.id() for layer in exclude if layer is not None}
    candidates = [layer for layer in layers if is_polygon_layer(layer) and layer.id() not in skip]
    for by_name in (True, False):
        for layer in candidates:
            if by_name and _named(layer.name(), CONTROL_LINES[role][0]):
                return layer
            if not by_name and control_line_role("", layer.fields().names()) == role:
                return layer
    return None


def choose_dem(layers):
    """The first raster layer called dem/高程/elevation/dtm, None if none is."""
    for layer in layers:
        if isinstance(layer, QgsRasterLayer) and layer.isValid() and _named(layer.name(), DEM_NAMES):
            return layer
    return None


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
    for key in CONTROL_LINES:
        if key in keys and current.get(key) is None:
            pick = choose_control_layer(layers, key, exclude=[parcels])
            if pick is not None:
                picks[key] = pick
    if "dem" in keys and current.get("dem") is None:
        pick = choose_dem(layers)
        if pick is not None:
            picks["dem"] = pick
    return picks
