"""Conversions between QGIS and the core's plain data: attribute values (QVariant/NULL
<-> Python; NaN and numpy scalars through core.values), field definitions (core
FieldSpec -> QgsField) and geometries (QgsGeometry <-> shapely)."""
from __future__ import annotations

import numpy as np
import shapely
from qgis.core import QgsField, QgsFields, QgsGeometry
from qgis.PyQt.QtCore import QVariant

from . import compat


_VARIANT = {"str": compat.FieldType.QString, "float": compat.FieldType.Double,
            "int": compat.FieldType.Int}


def python_value(value):
    """Python value of a QGIS attribute: a NULL QVariant -> None, other QVariants
    unwrapped, plain values unchanged."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


def qgs_field(spec) -> QgsField:
    """QgsField of a core FieldSpec (name, kind, length, alias, precision)."""
    field = QgsField(spec.name, _VARIANT[spec.kind], "", spec.length, spec.precision)
    field.setAlias(spec.alias)  # aliases are the 三调 Chinese names
    return field


def qgs_fields(specs) -> QgsFields:
    """QgsFields of FieldSpecs, in order."""
    fields = QgsFields()
    for spec in specs:
        fields.append(qgs_field(spec))
    return fields


def output_fields(source_fields: QgsFields, added) -> QgsFields:
    """Source fields, then the added FieldSpecs not already there (case-insensitive)."""
    fields = QgsFields(source_fields)
    existing = {f.name().upper() for f in source_fields}
    for spec in added:
        if spec.name.upper() not in existing:
            fields.append(qgs_field(spec))
    return fields


def as_shapely(qgs_geoms) -> np.ndarray:
    """Shapely geometries of QgsGeometry objects (None for empty/null ones)."""
    wkbs = [bytes(g.asWkb()) if g is not None and not g.isNull() else None for g in qgs_geoms]
    return shapely.from_wkb(wkbs)


def qgs_geometry(geom, multi: bool = False) -> QgsGeometry:
    """QgsGeometry of a shapely geometry, 2D (QGIS may load an older GEOS than shapely's);
    `multi` makes a polygon a one-part multipolygon. None or empty -> a null geometry."""
    q = QgsGeometry()
    if geom is None or geom.is_empty:
        return q
    q.fromWkb(shapely.to_wkb(geom, output_dimension=2))
    if multi:
        q.convertToMultiType()
    return q
