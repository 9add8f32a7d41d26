"""Parcels in and out: the one reader (read_parcels) and the one writer (write_parcels)
between QGIS feature sources/sinks and the core's plain data (shapely geometries in a
projected CRS and a pandas table). Every polygon layer an algorithm reads (parcels,
red line, buildings, villages) comes through read_parcels; every output that is the
input parcels with computed fields goes out through write_parcels. Their fast
strategies (_arrow_read, _gpkg_copy) give the same result and obey fast_paths.

read_parcels is also where every input layer is checked (qgis_io.guards): its CRS must
exist and fit its coordinates, and the 三调 fields it reads go through the core's NULL
rules and plausibility checks (core.parcel_checks), each finding said in the log with
the number of parcels and how they were treated, and kept in Parcels.findings for
the reports."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingFeatureSource,
)

from ..core import parcel_checks
from ..core.areas import ellipsoidal_area
from ..core.geometry import from_wkb, repair
from ..core.messages import WARNING, finding
from ..core.rules import Rules
from ..core.values import plain_values
from ..translation import tr
from . import _arrow_read, _gpkg_copy, compat, fast_paths
from .crs import working_crs
from .guards import layer_crs, layer_label, require_polygons, same_file
from .styles import output_aliases, style_on_load
from .values import output_fields, python_value


@dataclass
class Parcels:
    """The features of a polygon layer as plain data: parcels, or a red line, buildings…"""
    label: str
    geoms: np.ndarray        # shapely geometries in `crs` (repaired: valid, polygonal,
    #                          unless read with repair=False)
    table: pd.DataFrame      # the requested attributes, one row per feature
    fields: QgsFields        # the source's fields
    crs: QgsCoordinateReferenceSystem   # CRS of `geoms`
    source_crs: QgsCoordinateReferenceSystem   # the source's CRS (or the one assumed for it)
    repaired: int = 0        # invalid polygons mended (kept, never dropped)
    fids: np.ndarray | None = None      # feature ids, in read order
    features: list | None = None        # the QgsFeatures (source CRS) when kept
    source: object = None    # the feature source read (write_parcels reads it again)
    layer: object = None     # the source's QgsVectorLayer, when known (fast paths)
    findings: list = field(default_factory=list)   # what the input checks found (Findings)

    def __len__(self):
        return len(self.geoms)


def read_parcels(source, context, feedback, label: str, crs=None, attributes=(), *,
                 polygons=True, keep_features=False, request: QgsFeatureRequest | None = None,
                 layer=None, progress=(0.0, 30.0), checks=True, keys=(), source_crs=None,
                 repair=True) -> Parcels:
    """Every feature of `source` (or those `request` selects): geometries in `crs` (default:
    the working CRS, crs.working_crs) and the `attributes` as a table, without touching
    the other attributes. `attributes` are the source's field names (columns named as
    given; an absent field gives None), or {column: field name}. Invalid polygons are
    repaired and counted, never a stop (QGIS's invalid-geometry filter is skipped).
    `keep_features` keeps the QgsFeatures (source CRS) for output. Given `layer` (the
    source's QgsVectorLayer), a whole, unedited OGR file layer is read through GDAL's
    Arrow stream instead (the same result, ~10× faster). The source's CRS is checked
    (guards.layer_crs); with `checks`, the attributes read are checked and completed
    (check_attributes); `keys`: columns that join another table (the household survey),
    whose NULLs and duplicates are reported. `source_crs`: the CRS of the source's
    coordinates as the caller decided it (the parcel quality check reports a missing or
    contradicted CRS instead of stopping on it: guards.layer_crs_findings); with
    `repair=False`, invalid polygons are returned as they are (the check reports them)."""
    label = layer_label(source, label, layer)
    if polygons:
        require_polygons(source, label)
    if source_crs is None:
        source_crs = layer_crs(source.sourceCrs(), source.sourceExtent(), label, feedback,
                               context)
    if crs is None:
        crs = working_crs(source_crs, source.sourceExtent(), context, feedback, label)
    columns = list(attributes)
    names = list(attributes.values()) if isinstance(attributes, dict) else columns
    read = None
    plain = _arrow_read.applies(layer, source, crs, source_crs) if (
        layer is not None and not keep_features and request is None) else None
    if plain is not None and fast_paths.allowed(feedback,
                                                tr("{0} are read through QGIS").format(label)):
        read = _arrow_read.read(plain, source, feedback, names, progress, layer)
        if read is not None:
            feedback.pushInfo(tr("{0}: {1} features read straight from the file through "
                                 "GDAL's Arrow stream (fast path).").format(label, len(read[0])))
    kept = None
    if read is None:
        read, kept = _qgis_read(source, context, feedback, crs, names, keep_features, request,
                                progress, source_crs)
        _say_undecodable(read[1], names, layer, source, label, feedback)
    wkbs, values, fids = read
    geoms = from_wkb(wkbs)
    repaired = 0
    if polygons and repair and len(geoms):
        geoms, repaired = repair_polygons(geoms, feedback, label)
    table = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in zip(columns, values)},
                         index=pd.RangeIndex(len(geoms)))   # a row per feature, even with no column
    findings = []
    if not len(geoms) and request is None:
        feedback.pushWarning(tr("{0}: the layer has no features.").format(label))
    elif polygons and len(geoms):
        empty = int(shapely.is_missing(geoms).sum() + shapely.is_empty(geoms).sum())
        if empty:
            feedback.pushWarning(tr("{0}: {1} feature(s) have no geometry: kept in the "
                                    "outputs, left out of every spatial rule.").format(
                label, empty))
    if checks and len(table):
        table, findings = check_attributes(table, geoms, crs, fids, label, feedback, source,
                                           keys)
    feedback.setProgress(progress[1])
    return Parcels(label, geoms, table, source.fields(), crs, source_crs, repaired,
                   fids, kept, source, layer, findings)


def check_attributes(table: pd.DataFrame, geoms, crs, fids, label: str, feedback=None,
                     source=None, keys=()):
    """(the table with its NULLs treated, the findings): core.parcel_checks' NULL rules on
    the 三调 columns of `table` (TBMJ NULL: the ellipsoidal area of the geometry in
    `crs`; the areas a rule needs and `table` lacks are read from `source` for the
    parcels with NULLs), unknown DLBM codes, TBMJ far from the ellipsoidal area, and
    for the join `keys` (columns), NULL BSM and duplicate values; each finding is said
    in the log (warnings). Vectorised: ~0.1 s for a county's 300,000 parcels."""
    names = set(table.columns)
    by_upper = {str(c).upper(): c for c in table.columns}
    keys = [by_upper[str(k).upper()] for k in keys if k and str(k).upper() in by_upper]
    rules = [f for f in parcel_checks.NULL_RULE if f != "BSM" or "BSM" in keys]
    if not names & (set(rules) | {"TBMJ"}) and not keys:
        return table, []
    wkt = crs.toWkt()

    def ids():
        return parcel_checks.parcel_ids(table, fids)

    def ellipsoidal(mask):
        return ellipsoidal_area(geoms[np.asarray(mask, bool)], wkt)

    def more(mask, wanted):
        return _attributes_of(source, fids[np.asarray(mask, bool)], wanted) \
            if source is not None and fids is not None else {}

    nulls = parcel_checks.apply_null_rules(table, ellipsoidal, label, ids, fields=rules,
                                           more=more)
    table, findings = nulls.table, list(nulls.findings)
    if "DLBM" in names:
        found = parcel_checks.unknown_class(table, label)[1]
        findings += [found] if found is not None else []
    for key in keys:
        found = parcel_checks.duplicate_keys(table[key], key, label)[1]
        findings += [found] if found is not None else []
    if "TBMJ" in names:
        tolerance = Rules().tbmj_tolerance_pct
        off = parcel_checks.area_mismatch(table["TBMJ"], shapely.area(geoms), ellipsoidal,
                                          tolerance)
        if off.any():
            findings.append(finding(
                parcel_checks.CHECK_WORDING, WARNING, "TBMJ_MISMATCH",
                layer=label, count=int(off.sum()), tolerance=tolerance,
                examples=parcel_checks.examples(ids(), off)))
    if feedback is not None:
        for f in findings:
            feedback.pushWarning(f.text(tr))
    return table, findings


def _attributes_of(source, fids, canonical) -> dict:
    """{canonical 三调 name: values of the features `fids`, in that order} of the fields
    the source has (a second, small read for the parcels whose NULLs need them)."""
    from ..core.fields import find_field

    fields = source.fields()
    actual = {c: find_field(fields.names(), c) for c in canonical}
    actual = {c: a for c, a in actual.items() if a is not None}
    if not actual or not len(fids):
        return {}
    idx = {c: fields.lookupField(a) for c, a in actual.items()}
    request = QgsFeatureRequest().setFilterFids([int(f) for f in fids])
    request.setFlags(compat.FeatureRequestFlag.NoGeometry)
    request.setSubsetOfAttributes(list(idx.values()))
    by_id = {f.id(): f for f in _features(source, request)}
    return {c: [python_value(by_id[int(f)].attribute(i)) if int(f) in by_id else None
                for f in fids] for c, i in idx.items()}


def _say_undecodable(values, names, layer, source, label, feedback):
    """A warning when text read through QGIS holds characters its encoding could not
    decode (U+FFFD): a GBK shapefile without .cpg read as UTF-8, typically."""
    for name, column in zip(names, values):
        bad = sum(1 for v in column if isinstance(v, str) and "\ufffd" in v)
        if bad:
            encoding = layer.dataProvider().encoding() if layer is not None else "?"
            feedback.pushWarning(tr(
                "{0}: {1} value(s) of field {2} are not valid text in the layer's encoding "
                "{3} (shown as �). Set the layer's data source encoding (Layer Properties → "
                "Source, e.g. GBK for 三调 shapefiles without .cpg) and run again.").format(
                label, bad, name, encoding))


def _qgis_read(source, context, feedback, crs, names, keep_features, request, progress,
               source_crs=None):
    """((WKB list, [values per attribute], fids), kept features or None) through QGIS's
    feature iterator (reprojected by the provider unless features are kept, or the
    source's CRS is one assumed for it: `source_crs`)."""
    fields = source.fields()
    idx = [fields.lookupField(a) for a in names]
    request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
    if not keep_features:
        request.setSubsetOfAttributes([i for i in idx if i >= 0])
    if source_crs is None:
        source_crs = source.sourceCrs()
    transform = None
    if crs is not None and crs.isValid() and source_crs.isValid() and source_crs != crs:
        if keep_features or source_crs != source.sourceCrs():
            # features stay in the source CRS, geometries are copied
            transform = QgsCoordinateTransform(source_crs, crs, context.transformContext())
        else:
            request.setDestinationCrs(crs, context.transformContext())
    iterator = _features(source, request)
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
            column.append(python_value(feature.attribute(j)) if j >= 0 else None)
        if keep_features:
            kept.append(feature)
        if i % 20000 == 0:
            feedback.setProgress(lo + (hi - lo) * i / total)
    return (wkbs, values, np.asarray(fids, dtype=np.int64)), (kept if keep_features else None)


def _features(source, request):
    """The source's features, without Processing's invalid-geometry filter (repaired later)."""
    if isinstance(source, QgsProcessingFeatureSource):
        return source.getFeatures(request,
                                  compat.ProcessingFeatureSourceFlag.SkipGeometryValidityChecks)
    return source.getFeatures(request)


def repair_polygons(geoms: np.ndarray, feedback=None, label: str = ""):
    """(valid polygonal geometries, number repaired): core.geometry.repair; with
    `feedback`, a repair is a warning naming the layer `label`."""
    geoms, repaired = repair(geoms)
    if repaired and feedback is not None:
        feedback.pushWarning(tr("{0}: {1} invalid polygon(s) repaired (kept, not dropped).")
                             .format(label, repaired))
    return geoms, repaired


def write_parcels(alg, parameters, key, context, parcels: Parcels, added, columns: dict,
                  feedback, rows=None, progress=(70.0, 100.0)):
    """The parcel output of an algorithm into its sink parameter `key`: the parcels read
    (every feature, or those at positions `rows` of the read, in that order) with their
    own geometry and attributes, the FieldSpecs `added` after the source's fields, and
    `columns` {field name: values in read order (or in `rows` order)} set on top
    (NaN/None -> NULL). Returns the destination, or None when an optional output is not
    wanted or the run was canceled; a required output that cannot be made is an error.

    Strategies: the features kept by read_parcels; the features at `rows` fetched by id;
    the source read again feature by feature; or, for a whole, unedited GeoPackage layer
    read in full into a plain .gpkg file, a copy made inside SQLite (_gpkg_copy: the
    same file, 5× faster at county scale)."""
    source = parcels.source
    fields = output_fields(parcels.fields, added)
    if rows is None and parcels.features is None:
        dest = _copy_gpkg(alg, parameters, key, context, parcels, fields, columns, feedback,
                          progress)
        if dest is not None:
            style_on_load(context, dest, aliases=output_aliases(fields, added))
        if dest is not None or feedback.isCanceled():
            return dest
    sink, dest = open_sink(alg, parameters, key, context, fields, source.wkbType(),
                           parcels.source_crs)
    if sink is None:
        if alg.parameterDefinition(key).flags() & compat.ProcessingParameterFlag.Optional:
            return None
        raise QgsProcessingException(alg.invalidSinkError(parameters, key))
    if rows is not None:
        done = _append_columns(sink, fields, _by_id(source, parcels.fids[np.asarray(rows, int)]),
                               columns, feedback, progress)
    elif parcels.features is not None:
        done = _append_columns(sink, fields, parcels.features, columns, feedback, progress)
    else:
        done = _stream_columns(sink, source, fields, columns, feedback, progress,
                               expected=len(parcels.geoms))
    if not done:
        return None
    style_on_load(context, dest, aliases=output_aliases(fields, added))
    return dest


def _by_id(source, fids) -> list:
    """The features with ids `fids` (source CRS, every attribute), in `fids` order."""
    request = QgsFeatureRequest().setFilterFids([int(f) for f in fids])
    by_id = {f.id(): f for f in _features(source, request)}
    if len(by_id) != len(fids):
        raise QgsProcessingException(tr(
            "The input layer changed while the algorithm ran ({0} features, then {1}).")
            .format(len(fids), len(by_id)))
    return [by_id[int(f)] for f in fids]


def _column_indices(fields: QgsFields, columns: dict) -> list:
    found = [(fields.lookupField(name), name) for name in columns]
    missing = [n for i, n in found if i < 0]
    if missing:
        raise QgsProcessingException(tr("Internal error: output field(s) missing: {}")
                                     .format(", ".join(missing)))
    return found


def _append_columns(sink, fields: QgsFields, features, columns: dict, feedback, progress):
    """Write `features` with `columns` set on top of their own attributes. The source
    attributes stay in C++ (fast for wide 三调 tables); the features are modified."""
    values = [(j, plain_values(columns[name])) for j, name in _column_indices(fields, columns)]
    n_fields = fields.count()

    def with_columns():
        for i, feature in enumerate(features):
            feature.setFields(fields, False)
            feature.resizeAttributes(n_fields)
            for j, vals in values:
                feature.setAttribute(j, vals[i])
            yield feature

    return add_in_batches(sink, with_columns(), feedback, len(features), progress)


def _stream_columns(sink, source, fields: QgsFields, columns: dict, feedback, progress,
                    expected: int):
    """Read `source` again, feature by feature, and write each one with `columns` set on
    top: _append_columns without holding 300k QgsFeatures in memory. Relies on the
    source giving its features in the same order as the first read (true of file,
    memory and database providers for an unchanged layer); a different count is an error."""
    n_source = source.fields().count()
    dense, sparse = [], []
    for j, name in _column_indices(fields, columns):
        vals = plain_values(columns[name])
        if j < n_source:          # a field of the source: always overwrite
            dense.append((j, vals))
        elif any(v is None for v in vals):
            if any(v is not None for v in vals):
                sparse.append((j, vals))   # new field: padding is already NULL
        else:
            dense.append((j, vals))
    pad = fields.count() - n_source
    iterator = _features(source, QgsFeatureRequest())
    read = 0

    def with_columns():
        nonlocal read
        for i, feature in enumerate(iterator):
            read = i + 1
            if i >= expected:
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

    if not add_in_batches(sink, with_columns(), feedback, expected, progress):
        return False
    if read != expected:
        raise QgsProcessingException(
            tr("The input layer changed while the algorithm ran ({0} features, then {1}).")
            .format(expected, read))
    return True


def open_sink(alg, parameters, key, context, fields: QgsFields, wkb_type, crs):
    """alg.parameterAsSink: (sink, destination). A memory layer (a temporary output) drops
    the fields' aliases and comments, and QGIS 3.40+ warns once per field that has them:
    it is made with plain fields and given the aliases as the layer's own instead."""
    if not alg.parameterAsOutputLayer(parameters, key, context).startswith("memory:"):
        return alg.parameterAsSink(parameters, key, context, fields, wkb_type, crs)
    plain = QgsFields()
    for qfield in fields:
        qfield = QgsField(qfield)
        qfield.setAlias("")
        qfield.setComment("")
        plain.append(qfield)
    sink, dest = alg.parameterAsSink(parameters, key, context, plain, wkb_type, crs)
    layer = context.temporaryLayerStore().mapLayer(dest) if dest else None
    if layer is not None:
        for i, qfield in enumerate(fields):
            if qfield.alias():
                layer.setFieldAlias(i, qfield.alias())
    return sink, dest


def add_in_batches(sink, features, feedback, total: int, progress=(70.0, 100.0),
                   batch_size: int = 5000) -> bool:
    """sink.addFeatures over an iterable in batches, with progress (none when `progress`
    is None); False when canceled."""
    batch = []
    for i, feature in enumerate(features):
        batch.append(feature)
        if len(batch) >= batch_size:
            if feedback is not None and feedback.isCanceled():   # a check per feature costs seconds
                return False
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            batch = []
            if progress is not None:
                feedback.setProgress(progress[0] + (progress[1] - progress[0]) * i / max(total, 1))
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
    if progress is not None:
        feedback.setProgress(progress[1])
    return True


_OGR_TYPES = {compat.FieldType.Int: "Integer", compat.FieldType.LongLong: "Integer64",
              compat.FieldType.Double: "Real", compat.FieldType.QString: "String"}


def _copy_gpkg(alg, parameters, key, context, parcels: Parcels, fields: QgsFields,
               columns: dict, feedback, progress):
    """The SQLite copy of write_parcels: the destination if it was made, else None (it
    does not apply, is switched off or declined; the caller then uses the sink)."""
    source, layer = parcels.source, parcels.layer
    path = fast_paths.gpkg_destination(parameters, key)
    plain = fast_paths.plain_ogr_file(layer) if path is not None else None
    if not (path is not None and plain is not None and parcels.fids is not None
            and len(parcels.fids) == len(parcels.geoms) == source.featureCount()
            and layer.dataProvider().storageType() == "GPKG"
            and source.sourceCrs() == layer.crs() == parcels.source_crs
            and not same_file(path, plain[0])):
        return None
    new = []
    for added in list(fields)[source.fields().count():]:
        kind = _OGR_TYPES.get(added.type())
        if kind is None:
            return None
        new.append(_gpkg_copy.NewColumn(added.name(), kind, max(added.length(), 0),
                                        max(added.precision(), 0)))
    if not fast_paths.allowed(feedback, tr("the parcels are written through the QGIS sink")):
        return None
    table = os.path.basename(path).split(".")[0]   # as QgsVectorFileWriter names it
    src_table = plain[1] or _gpkg_copy.table_name(plain[0], plain[2])
    if not src_table or not _gpkg_copy.copy_with_columns(
            plain[0], src_table, path, table, parcels.fids, _as_qgis_writes(fields, columns),
            new, feedback.isCanceled):
        return None
    dest = alg.parameterAsOutputLayer(parameters, key, context)
    feedback.pushInfo(tr("{0} parcels copied with their new fields straight from the "
                         "input GeoPackage into {1} (feature ids kept).")
                      .format(len(parcels.fids), path))
    feedback.setProgress(progress[1])
    return dest


def _as_qgis_writes(fields: QgsFields, columns: dict) -> dict:
    """`columns` as QgsField.convertCompatible leaves them in the sink: doubles rounded
    half away from zero to the field's precision, strings cut to its length."""
    out = {}
    for name, values in columns.items():
        field = fields.field(fields.lookupField(name))
        arr, kind = np.asarray(values), field.type()
        if kind == compat.FieldType.Double and field.precision() > 0 and arr.dtype.kind == "f":
            scale = 10.0 ** field.precision()
            arr = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5) / scale
        elif kind == compat.FieldType.QString and field.length() > 0 and arr.dtype == object:
            arr = np.array([v[:field.length()] if isinstance(v, str) else v for v in arr],
                           dtype=object)
        out[name] = arr
    return out
