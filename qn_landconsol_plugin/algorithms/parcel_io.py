"""One shared reader and writer between QGIS feature sources/sinks and the core's
plain data (shapely geometries + a pandas table). Every algorithm uses these."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core import crs as gk
from ..core.fields import MissingFieldError, match_fields
from ..translation import tr

_VARIANT = {"str": QVariant.String, "float": QVariant.Double, "int": QVariant.Int}


@dataclass
class Layer:
    """Features of a source, plus their geometries as shapely in a projected CRS."""
    name: str
    features: list           # QgsFeature, geometry in the source CRS (for output)
    geoms: np.ndarray        # shapely geometries in `crs` (valid, polygonal for polygons)
    table: pd.DataFrame      # requested attributes, by canonical name
    fields: QgsFields        # the source's fields
    crs: QgsCoordinateReferenceSystem   # CRS of `geoms`
    source_crs: QgsCoordinateReferenceSystem
    repaired: int = 0

    def __len__(self):
        return len(self.features)


def working_crs(source_crs: QgsCoordinateReferenceSystem, extent, context,
                feedback=None, label="") -> QgsCoordinateReferenceSystem:
    """The CRS to compute in: the source's if projected, else the CGCS2000 3° GK
    zone (no prefix) of the extent's centre, said in the log."""
    if source_crs.isValid() and not source_crs.isGeographic():
        return source_crs
    lon = extent.center().x()
    if source_crs.isValid() and source_crs.authid() != "EPSG:4490":
        to_geo = QgsCoordinateTransform(source_crs, QgsCoordinateReferenceSystem("EPSG:4490"),
                                        context.transformContext())
        lon = to_geo.transform(extent.center()).x()
    target = QgsCoordinateReferenceSystem(f"EPSG:{gk.cgcs2000_gk_epsg_for_longitude(lon, False)}")
    if feedback is not None:
        feedback.pushInfo(tr("{0} is in a geographic CRS ({1}); areas are computed in {2} "
                             "({3}).").format(label, source_crs.authid() or "?",
                                              target.authid(), target.description()))
    return target


def as_shapely(qgs_geoms) -> np.ndarray:
    """Shapely geometries from QgsGeometry objects (None for empty/null)."""
    wkbs = [bytes(g.asWkb()) if g is not None and not g.isNull() else None for g in qgs_geoms]
    return shapely.from_wkb(wkbs)


def repair_polygons(geoms: np.ndarray):
    """(valid polygonal geometries, number repaired). Invalid rings are fixed with
    GEOS make_valid and only their polygonal parts kept; nothing is dropped."""
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    invalid = present & ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        fixed = np.array([_polygonal_part(g) for g in fixed], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = fixed
    return geoms, int(invalid.sum())


def _polygonal_part(geom):
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts)


def read_layer(source, context, feedback, label: str, required=(), optional=(),
               crs: QgsCoordinateReferenceSystem | None = None, polygons=True,
               progress=(0.0, 30.0)) -> Layer:
    """Read every feature of `source`; geometries go to `crs` (default: a projected
    working CRS chosen by `working_crs`). Missing required fields raise a clear error."""
    names = source.fields().names()
    try:
        mapping = match_fields(names, required, optional, layer=label)
    except MissingFieldError as err:
        raise QgsProcessingException(
            tr("Field {0} not found in layer '{1}'. The layer needs the 三调 field {0}.").format(
                err.field, label)) from None
    if polygons and QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise QgsProcessingException(
            tr("Layer '{0}' must contain polygons, it has {1} geometries.").format(
                label, QgsWkbTypes.geometryDisplayString(QgsWkbTypes.geometryType(source.wkbType()))))
    source_crs = source.sourceCrs()
    target = crs if crs is not None else working_crs(source_crs, source.sourceExtent(),
                                                      context, feedback, label)
    transform = None
    if source_crs.isValid() and target.isValid() and source_crs != target:
        transform = QgsCoordinateTransform(source_crs, target, context.transformContext())

    total = max(source.featureCount(), 1)
    lo, hi = progress
    features, qgeoms = [], []
    idx = [source.fields().indexOf(mapping[c]) for c in mapping]
    rows = []
    for i, feature in enumerate(source.getFeatures(QgsFeatureRequest())):
        if feedback.isCanceled():
            break
        features.append(feature)
        geom = QgsGeometry(feature.geometry())
        if transform is not None and not geom.isNull():
            geom.transform(transform)
        qgeoms.append(geom)
        attrs = feature.attributes()
        rows.append([_plain(attrs[j]) for j in idx])
        if i % 5000 == 0:
            feedback.setProgress(lo + (hi - lo) * i / total)
    table = pd.DataFrame(rows, columns=list(mapping), dtype=object) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in mapping})
    geoms = as_shapely(qgeoms)
    repaired = 0
    if polygons:
        geoms, repaired = repair_polygons(geoms)
        if repaired:
            feedback.pushWarning(tr("{0}: {1} invalid polygon(s) repaired (kept, not dropped).")
                                 .format(label, repaired))
    return Layer(label, features, geoms, table, source.fields(), target, source_crs, repaired)


def _plain(value):
    """Python value of a QGIS attribute (NULL QVariant -> None)."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


def qgs_field(spec) -> QgsField:
    """QgsField for a core FieldSpec (name, kind, length, alias, precision)."""
    field = QgsField(spec.name, _VARIANT[spec.kind], "", spec.length, spec.precision)
    field.setAlias(spec.alias)  # aliases are the 三调 Chinese names
    return field


def output_fields(source_fields: QgsFields, added) -> QgsFields:
    """Source fields, then the added FieldSpecs not already there (case-insensitive)."""
    fields = QgsFields(source_fields)
    existing = {f.name().upper() for f in source_fields}
    for spec in added:
        if spec.name.upper() not in existing:
            fields.append(qgs_field(spec))
    return fields


def write_features(sink, fields: QgsFields, features, columns: dict, feedback,
                   progress=(70.0, 100.0), geometries=None):
    """Write `features` with their attributes plus `columns` {field name: values}
    (NaN/None -> NULL); `geometries` optionally replaces each geometry."""
    col_idx = {name: fields.lookupField(name) for name in columns}
    missing = [n for n, i in col_idx.items() if i < 0]
    if missing:
        raise QgsProcessingException(tr("Internal error: output field(s) missing: {}")
                                     .format(", ".join(missing)))
    values = {n: list(_nullable(v)) for n, v in columns.items()}
    n_fields = fields.count()
    total = max(len(features), 1)
    lo, hi = progress
    batch = []
    for i, feature in enumerate(features):
        if feedback.isCanceled():
            return False
        out = QgsFeature(fields)
        attrs = list(feature.attributes())[:n_fields]
        attrs += [None] * (n_fields - len(attrs))
        for name, j in col_idx.items():
            attrs[j] = values[name][i]
        out.setAttributes(attrs)
        out.setGeometry(geometries[i] if geometries is not None else feature.geometry())
        batch.append(out)
        if len(batch) >= 2000:
            sink.addFeatures(batch, QgsFeatureSink.FastInsert)
            batch = []
            feedback.setProgress(lo + (hi - lo) * i / total)
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.FastInsert)
    feedback.setProgress(hi)
    return True


def write_table(sink, fields: QgsFields, frame: pd.DataFrame, feedback):
    """Write a pandas frame as geometry-less features (columns in `fields` order)."""
    names = [f.name() for f in fields]
    batch = []
    for row in frame[names].itertuples(index=False):
        feature = QgsFeature(fields)
        feature.setAttributes([_nullable_one(v) for v in row])
        batch.append(feature)
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.FastInsert)


def _nullable_one(v):
    if v is None:
        return None
    if isinstance(v, (float, np.floating)) and np.isnan(v):
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.bool_):
        return int(v)
    return v


def _nullable(values):
    for v in values:
        yield _nullable_one(v)


def table_fields(specs) -> QgsFields:
    fields = QgsFields()
    for spec in specs:
        fields.append(qgs_field(spec))
    return fields
