"""Which layer plays which role, by what it is, never by its place in a layer list: a
parcel layer (地类图斑) has the 三调 fields DLBM and TBMJ; a control line is known by its
name (stbhhx / 生态保护红线 …) or its own fields; a DEM is a raster called dem/高程.
The rules are plain functions of a layer's name and field names (LayerFacts), used by
the dock and by the algorithms' default inputs (qgis_io.layer_roles feeds them layers).
"""
from __future__ import annotations

from dataclasses import dataclass

from .fields import DLTB_FIELDS, find_field

PARCEL_FIELDS = ("DLBM", "TBMJ")            # what makes a parcel layer
PARCEL_NAMES = ("dltb", "地类图斑")
RED_LINE, PBF, UDB = "red_line", "pbf", "udb"
# role -> (names the layer is called by, fields that only that layer has)
CONTROL_LINES = {
    RED_LINE: (("stbhhx", "生态保护红线", "生态红线"), ("HXMC", "HXLX", "HXBH")),
    PBF: (("yjjbnt", "永久基本农田", "jbnt", "基本农田"), ("JBNTBH", "JBNTTBBH")),
    UDB: (("czkfbj", "城镇开发边界", "kfbj"), ("KFBJMC", "KFBJBH")),
}
DEM_NAMES = ("dem", "高程", "elevation", "dtm", "srtm")

POLYGON, RASTER, OTHER = "polygon", "raster", "other"


@dataclass(frozen=True)
class LayerFacts:
    """What the role rules look at: a layer's key (its id), name, kind and field names."""
    key: str
    name: str
    kind: str = POLYGON          # POLYGON, RASTER or OTHER
    fields: tuple = ()


def named(name: str, words) -> bool:
    """Whether `name` contains one of `words` (case-insensitive)."""
    low = (name or "").lower()
    return any(w in low for w in words)


def missing_parcel_fields(field_names) -> list:
    """The parcel fields (DLBM, TBMJ) a layer with `field_names` lacks."""
    return [f for f in PARCEL_FIELDS if find_field(field_names, f) is None]


def control_line_role(name: str, field_names) -> str | None:
    """'red_line', 'pbf' or 'udb' for a layer called `name` with `field_names`: by
    its name first, then by its own fields; None for anything else."""
    for role, (names, _fields) in CONTROL_LINES.items():
        if named(name, names):
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
    return score + (100 if named(name, PARCEL_NAMES) else 0)


def choose_parcels(layers) -> str | None:
    """The key of the polygon layer of `layers` (LayerFacts) that looks most like the
    parcel layer; None when none has DLBM and TBMJ."""
    best, best_score = None, 0
    for layer in layers:
        if layer.kind == POLYGON:
            score = parcel_score(layer.name, layer.fields)
            if score > best_score:
                best, best_score = layer.key, score
    return best


def choose_control_line(layers, role: str, exclude=()) -> str | None:
    """The key of the first polygon layer that is the control line `role`: by name, then
    by its fields; never a key of `exclude` (the parcel layer)."""
    candidates = [layer for layer in layers if layer.kind == POLYGON and layer.key not in exclude]
    for layer in candidates:
        if named(layer.name, CONTROL_LINES[role][0]):
            return layer.key
    for layer in candidates:
        if control_line_role("", layer.fields) == role:
            return layer.key
    return None


def choose_dem(layers) -> str | None:
    """The key of the first raster called dem/高程/elevation/dtm/srtm (an image is no DEM)."""
    for layer in layers:
        if layer.kind == RASTER and named(layer.name, DEM_NAMES):
            return layer.key
    return None


def choose_roles(layers, roles=("parcels", RED_LINE, PBF, UDB, "dem")) -> dict:
    """{role: key} of the `roles` that a layer of `layers` plays; a control line is never
    the parcel layer."""
    picks = {}
    parcels = choose_parcels(layers) if "parcels" in roles else None
    if parcels is not None:
        picks["parcels"] = parcels
    for role in CONTROL_LINES:
        if role in roles:
            key = choose_control_line(layers, role, exclude=(parcels,))
            if key is not None:
                picks[role] = key
    if "dem" in roles:
        key = choose_dem(layers)
        if key is not None:
            picks["dem"] = key
    return picks
