"""One shared reader and writer between QGIS feature sources/sinks and the core's
plain data (shapely geometries + a pandas table). Every algorithm uses these."""
from __future__ import annotations

import os
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
from ..core.geometry import from_wkb, repair
from ._gpkg_copy import python_values
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
    fids: np.ndarray | None = None   # feature ids (read_geometries), in read order

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


def repair_polygons(geoms: np.ndarray, feedback=None, label: str = ""):
    """(valid polygonal geometries, number repaired): core.geometry.repair; with
    `feedback`, a repair is a warning naming the layer `label`."""
    geoms, repaired = repair(geoms)
    if repaired and feedback is not None:
        feedback.pushWarning(tr("{0}: {1} invalid polygon(s) repaired (kept, not dropped).")
                             .format(label, repaired))
    return geoms, repaired


def field_mapping(source, required=(), optional=(), label: str = "") -> dict:
    """{canonical 三调 name: the source's field name} (core.fields.match_fields); a missing
    required field is a clear, translated error naming the field and the layer."""
    try:
        return match_fields(source.fields().names(), required, optional, layer=label)
    except MissingFieldError as err:
        raise QgsProcessingException(
            tr("Field {0} not found in layer '{1}'. The layer needs the 三调 field {0}.").format(
                err.field, label)) from None


def read_layer(source, context, feedback, label: str, required=(), optional=(),
               crs: QgsCoordinateReferenceSystem | None = None, polygons=True,
               progress=(0.0, 30.0)) -> Layer:
    """Read every feature of `source`; geometries go to `crs` (default: a projected
    working CRS chosen by `working_crs`). Missing required fields raise a clear error."""
    mapping = field_mapping(source, required, optional, label)
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
    geoms, repaired = repair_polygons(geoms, feedback, label) if polygons else (geoms, 0)
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


def table_fields(specs) -> QgsFields:
    fields = QgsFields()
    for spec in specs:
        fields.append(qgs_field(spec))
    return fields


def read_geometries(source, context, feedback, label: str, crs: QgsCoordinateReferenceSystem,
                    attributes=(), polygons=True, progress=(0.0, 30.0), keep_features=False,
                    request: QgsFeatureRequest | None = None, layer=None) -> Layer:
    """Lean reader for large layers: geometries in `crs` (reprojected by the provider)
    and only the named `attributes` (actual field names) as a table, without touching
    the other attributes; `keep_features` keeps the QgsFeatures (source CRS) for output,
    `request` filters (e.g. an expression). Invalid polygons are repaired and counted,
    never a stop (QGIS's invalid-geometry check is skipped). Given `layer`, a plain
    OGR file layer is read through GDAL's Arrow stream instead (same result, ~10× faster)."""
    if layer is not None and not keep_features and request is None:
        # `layer` (the source's QgsVectorLayer, if any) allows the GDAL Arrow fast path
        fast = read_geometries_ogr(layer, source, context, feedback, label, crs, attributes,
                                   polygons, progress)
        if fast is not None:
            return fast
    from qgis.core import QgsProcessingFeatureSource

    if polygons and QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise QgsProcessingException(
            tr("Layer '{0}' must contain polygons, it has {1} geometries.").format(
                label, QgsWkbTypes.geometryDisplayString(QgsWkbTypes.geometryType(source.wkbType()))))
    fields = source.fields()
    idx = [fields.lookupField(a) for a in attributes]
    request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
    if not keep_features:
        request.setSubsetOfAttributes([i for i in idx if i >= 0])
    source_crs = source.sourceCrs()
    transform = None
    if crs is not None and crs.isValid() and source_crs.isValid() and source_crs != crs:
        if keep_features:   # features stay in the source CRS, geometries are copied
            transform = QgsCoordinateTransform(source_crs, crs, context.transformContext())
        else:
            request.setDestinationCrs(crs, context.transformContext())
    if isinstance(source, QgsProcessingFeatureSource):
        iterator = source.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    else:
        iterator = source.getFeatures(request)
    total = max(source.featureCount(), 1)
    lo, hi = progress
    wkbs, kept, fids = [], [], []
    values = [[] for _ in idx]
    for i, feature in enumerate(iterator):
        if feedback.isCanceled():
            break
        fids.append(feature.id())
        geom = feature.geometry()
        if transform is not None and not geom.isNull():
            geom = QgsGeometry(geom)
            geom.transform(transform)
        wkbs.append(None if geom.isNull() else bytes(geom.asWkb()))
        for column, j in zip(values, idx):
            column.append(_plain(feature.attribute(j)) if j >= 0 else None)
        if keep_features:
            kept.append(feature)
        if i % 20000 == 0:
            feedback.setProgress(lo + (hi - lo) * i / total)
    geoms = from_wkb(wkbs)
    geoms, repaired = repair_polygons(geoms, feedback, label) if polygons and len(geoms) \
        else (geoms, 0)
    table = pd.DataFrame({a: pd.Series(v, dtype=object) for a, v in zip(attributes, values)})
    feedback.setProgress(hi)
    return Layer(label, kept, geoms, table, fields, crs if crs is not None else source_crs,
                 source_crs, repaired, np.asarray(fids, dtype=np.int64))


def append_columns(sink, fields: QgsFields, features, columns: dict, feedback,
                   progress=(70.0, 100.0)):
    """Write `features` with `columns` {field name: values} set on top of their own
    attributes (NaN/None -> NULL). The source attributes stay in C++ (fast for wide 三调
    tables); the features are modified in place."""
    col_idx = {name: fields.lookupField(name) for name in columns}
    missing = [n for n, i in col_idx.items() if i < 0]
    if missing:
        raise QgsProcessingException(tr("Internal error: output field(s) missing: {}")
                                     .format(", ".join(missing)))
    values = [(col_idx[n], python_values(vals)) for n, vals in columns.items()]
    n_fields = fields.count()

    def with_columns():
        for i, feature in enumerate(features):
            feature.setFields(fields, False)
            feature.resizeAttributes(n_fields)
            for j, vals in values:
                feature.setAttribute(j, vals[i])
            yield feature

    return add_in_batches(sink, with_columns(), feedback, len(features), progress)


def add_in_batches(sink, features, feedback, total: int, progress=(70.0, 100.0),
                   batch_size: int = 5000) -> bool:
    """sink.addFeatures over an iterable in batches, with progress; False when canceled."""
    lo, hi = progress
    batch = []
    for i, feature in enumerate(features):
        batch.append(feature)
        if len(batch) >= batch_size:
            if feedback.isCanceled():   # once a batch: a check per feature costs seconds
                return False
            sink.addFeatures(batch, QgsFeatureSink.FastInsert)
            batch = []
            feedback.setProgress(lo + (hi - lo) * i / max(total, 1))
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.FastInsert)
    feedback.setProgress(hi)
    return True


def stream_columns(sink, source, fields: QgsFields, columns: dict, feedback,
                   progress=(70.0, 100.0), expected: int | None = None):
    """Read `source` again, feature by feature, and write each feature (its own
    geometry and attributes) with `columns` {field name: values in read order} set on
    top (NaN/None -> NULL). The same output as append_columns over
    read_geometries(keep_features=True), without holding 300k QgsFeatures in memory.
    Relies on the source giving its features in the same order as the first read
    (true of file, memory and database providers for an unchanged layer);
    `expected` (the first read's count) turns a mismatch into a clear error."""
    from qgis.core import QgsProcessingFeatureSource

    col_idx = [(fields.lookupField(name), name) for name in columns]
    missing = [n for i, n in col_idx if i < 0]
    if missing:
        raise QgsProcessingException(tr("Internal error: output field(s) missing: {}")
                                     .format(", ".join(missing)))
    n_source = source.fields().count()
    dense, sparse = [], []
    for j, name in col_idx:
        vals = python_values(columns[name])
        if j < n_source:          # a field of the source: always overwrite
            dense.append((j, vals))
        elif any(v is None for v in vals):
            if any(v is not None for v in vals):
                sparse.append((j, vals))   # new field: padding is already NULL
        else:
            dense.append((j, vals))
    pad = fields.count() - n_source
    if isinstance(source, QgsProcessingFeatureSource):
        iterator = source.getFeatures(QgsFeatureRequest(),
                                      QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    else:
        iterator = source.getFeatures(QgsFeatureRequest())
    read = 0

    def with_columns():
        nonlocal read
        for i, feature in enumerate(iterator):
            read = i + 1
            if expected is not None and i >= expected:
                return
            if pad > 0:
                feature.padAttributes(pad)
            for j, vals in dense:
                feature.setAttribute(j, vals[i])
            for j, vals in sparse:
                v = vals[i]
                if v is not None:
                    feature.setAttribute(j, v)
            yield feature

    if not add_in_batches(sink, with_columns(), feedback, expected or source.featureCount(),
                          progress):
        return False
    if expected is not None and read != expected:
        raise QgsProcessingException(
            tr("The input layer changed while the algorithm ran ({0} features, then {1}).")
            .format(expected, read))
    return True


def read_geometries_ogr(layer, source, context, feedback, label: str,
                        crs: QgsCoordinateReferenceSystem, attributes=(), polygons=True,
                        progress=(0.0, 30.0)):
    """Fast path of read_geometries for a plain OGR file layer (GeoPackage, shapefile…):
    geometries and the named `attributes` in one GDAL Arrow stream, no QgsFeature at all
    (a county's 300,000 parcels in about a second). Same result as read_geometries
    (same features, same order); returns None when the fast path does not apply (not an
    OGR layer, a subset/selection/limit, a reprojection, or GDAL < 3.6), so callers fall
    back to read_geometries when it returns None (test `is None`: a Layer without
    kept features has len() 0)."""
    try:
        from osgeo import gdal
    except ImportError:
        return None
    plain = _plain_ogr_file(layer)
    if plain is None:
        return None
    if int(gdal.VersionInfo()) < 3060000:
        return None
    source_crs = source.sourceCrs()
    if crs is not None and crs.isValid() and source_crs.isValid() and source_crs != crs:
        return None
    path, name, layer_id = plain
    try:
        ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
        if ds is None:
            return None
        lyr = ds.GetLayerByName(name) if name else ds.GetLayer(layer_id)
        if lyr is None or lyr.GetFeatureCount() != source.featureCount():
            return None      # a selection or a feature limit: QGIS's own iterator knows
        if polygons and QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
            return None      # let read_geometries say what is wrong
        defn = lyr.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        by_upper = {n.upper(): n for n in names}
        wanted = [by_upper.get(str(a).upper()) for a in attributes]
        lyr.SetIgnoredFields([n for n in names if n not in wanted])
        stream = lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"])
        geom_col = lyr.GetGeometryColumn() or "wkb_geometry"
        fid_col = lyr.GetFIDColumn() or "OGC_FID"
        wkbs, values, fids = [], [[] for _ in attributes], []
        total = max(source.featureCount(), 1)
        done = 0
        for batch in stream:
            if feedback.isCanceled():
                break
            column = batch.get(geom_col)
            if column is None:
                column = next(v for k, v in batch.items() if v.dtype == object and k not in wanted)
            wkbs.extend(_wkb_values(column))
            if fid_col not in batch or fid_col in wanted:
                return None     # no feature ids: QGIS's iterator gives them
            fids.append(np.asarray(batch[fid_col], dtype=np.int64))
            for out, name in zip(values, wanted):
                out.extend(_arrow_values(batch[name]) if name in batch else [None] * len(column))
            done += len(column)
            feedback.setProgress(progress[0] + (progress[1] - progress[0]) * done / total)
        lyr.SetIgnoredFields([])
    except (RuntimeError, AttributeError, KeyError, StopIteration, ValueError):
        return None
    finally:
        ds = None
    if len(wkbs) != source.featureCount():
        return None
    geoms = from_wkb(wkbs)
    geoms, repaired = repair_polygons(geoms, feedback, label) if polygons and len(geoms) \
        else (geoms, 0)
    table = pd.DataFrame({a: pd.Series(v, dtype=object) for a, v in zip(attributes, values)})
    feedback.setProgress(progress[1])
    return Layer(label, [], geoms, table, source.fields(), crs if crs is not None else source_crs,
                 source_crs, repaired,
                 np.concatenate(fids) if fids else np.zeros(0, dtype=np.int64))


def _plain_ogr_file(layer):
    """(path, layer name or None, layer id) of a vector layer that is a whole OGR file
    layer as it is on disk (no subset, no unsaved edits), else None."""
    from qgis.core import QgsProviderRegistry

    if layer is None or layer.providerType() != "ogr" or layer.subsetString():
        return None
    if layer.isEditable() and layer.isModified():
        return None          # the edit buffer is not in the file
    if layer.crs() != layer.dataProvider().crs():
        return None          # a CRS set in QGIS over the file's own
    fields = layer.fields()
    if any(fields.fieldOrigin(i) != QgsFields.OriginProvider for i in range(fields.count())):
        return None          # virtual (expression) or joined fields are not in the file
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    if not parts.get("path") or parts.get("subset"):
        return None
    return parts["path"], parts.get("layerName") or None, int(parts.get("layerId") or 0)


_OGR_TYPES = {QVariant.Int: "Integer", QVariant.LongLong: "Integer64",
              QVariant.Double: "Real", QVariant.String: "String"}


def _gpkg_destination(alg, parameters, key) -> str | None:
    """The .gpkg file a sink parameter names, when it names just a file."""
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProperty

    value = parameters.get(key)
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        # the dialog always sets a file encoding, which a GeoPackage ignores (UTF-8)
        if set(value.createOptions) - {"fileEncoding"} or value.useRemapping():
            return None
        value = value.sink
    if isinstance(value, QgsProperty):
        if value.propertyType() != QgsProperty.StaticProperty:
            return None
        value = value.staticValue()
    if not isinstance(value, str) or not value.lower().endswith(".gpkg") or "|" in value:
        return None
    if value.startswith(("memory:", "ogr:", "postgis:", "spatialite:")):
        return None
    return value


def _as_qgis_writes(fields: QgsFields, columns: dict) -> dict:
    """`columns` as QgsField.convertCompatible leaves them in the sink: doubles rounded
    half away from zero to the field's precision, strings cut to its length."""
    out = {}
    for name, values in columns.items():
        field = fields.field(fields.lookupField(name))
        arr = np.asarray(values)
        if field.type() == QVariant.Double and field.precision() > 0 and arr.dtype.kind == "f":
            scale = 10.0 ** field.precision()
            arr = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5) / scale
        elif field.type() == QVariant.String and field.length() > 0 and arr.dtype == object:
            arr = np.array([v[:field.length()] if isinstance(v, str) else v for v in arr],
                           dtype=object)
        out[name] = arr
    return out


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:      # `a` does not exist yet
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def write_parcels(alg, parameters, key, context, source, input_layer, parcels: Layer,
                  fields: QgsFields, columns: dict, feedback, progress=(70.0, 100.0)):
    """The parcel output of an algorithm: every feature of `source` with its own geometry
    and attributes, `columns` {field name: values in read order} set on top (NaN/None ->
    NULL), into the sink parameter `key` with `fields` (output_fields). Returns the
    destination, or None when the output is not wanted (an optional sink left empty) or
    the run was canceled; a required sink that cannot be made is an error.

    When the destination is a plain .gpkg file and the input a whole, unedited GeoPackage
    layer read through GDAL (parcels.fids known), the file is made inside SQLite by
    gpkg_output.copy_with_columns (same features and fids, 5× faster at county scale);
    otherwise, or if that declines, through the QGIS sink (stream_columns)."""
    path = _gpkg_destination(alg, parameters, key)
    plain = _plain_ogr_file(input_layer) if path is not None else None
    if (path is not None and plain is not None and parcels.fids is not None
            and len(parcels.fids) == len(parcels.geoms) == source.featureCount()
            and input_layer.dataProvider().storageType() == "GPKG"
            and source.sourceCrs() == input_layer.crs()
            and not _same_file(path, plain[0])):
        from . import _gpkg_copy as gpkg_output

        n_source = source.fields().count()
        new = []
        for field in list(fields)[n_source:]:
            kind = _OGR_TYPES.get(field.type())
            if kind is None:
                new = None
                break
            new.append(gpkg_output.NewColumn(field.name(), kind, max(field.length(), 0),
                                             max(field.precision(), 0)))
        table = os.path.basename(path).split(".")[0]   # as QgsVectorFileWriter names it
        src_table = plain[1] or gpkg_output.table_name(plain[0], plain[2])
        if new is not None and src_table and gpkg_output.copy_with_columns(
                plain[0], src_table, path, table, parcels.fids, _as_qgis_writes(fields, columns),
                new,
                feedback.isCanceled):
            dest = alg.parameterAsOutputLayer(parameters, key, context)
            feedback.pushInfo(tr("{0} parcels copied with their new fields straight from the "
                                 "input GeoPackage into {1} (feature ids kept).")
                              .format(len(parcels.fids), path))
            feedback.setProgress(progress[1])
            return dest
        if feedback.isCanceled():
            return None
    sink, dest = alg.parameterAsSink(parameters, key, context, fields, source.wkbType(),
                                     source.sourceCrs())
    if sink is None:
        from qgis.core import QgsProcessingParameterDefinition

        if alg.parameterDefinition(key).flags() & QgsProcessingParameterDefinition.FlagOptional:
            return None
        raise QgsProcessingException(alg.invalidSinkError(parameters, key))
    if not stream_columns(sink, source, fields, columns, feedback, progress,
                          expected=len(parcels.geoms)):
        return None
    return dest


def _wkb_values(column) -> list:
    """WKB bytes of an Arrow geometry column: GDAL hands a batch whose geometries all have
    the same size over as fixed-size binary (numpy void, or bytes that lost trailing NULs)."""
    if column.dtype.kind == "V":
        return [value.tobytes() for value in column]
    if column.dtype.kind == "S":
        width = column.dtype.itemsize
        return [value.ljust(width, b"\0") for value in column.tolist()]
    return list(column)


def _arrow_values(array) -> list:
    """Python values of one Arrow column (bytes decoded as UTF-8, '' and NaN -> None)."""
    if array.dtype.kind == "S":
        return [v.decode("utf-8", "replace") or None for v in array.tolist()]
    if array.dtype.kind == "f":
        return [None if v != v else v for v in array.tolist()]
    if array.dtype == object:
        return [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in array]
    return array.tolist()
