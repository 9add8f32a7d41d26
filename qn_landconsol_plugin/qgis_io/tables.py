"""Tables: the reader of geometry-less tables (read_columns: the household survey) and
the table writer: rows the core made (summaries, blocks, overlap pieces, declared
blocks), optionally with new geometries, into a Processing sink (write_table) or a
layer of a GeoPackage file (write_gpkg_layer). The input parcels themselves go out
through parcels.write_parcels."""
from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsProcessingException,
    QgsVectorFileWriter,
)

from ..core.values import plain_values
from ..translation import tr
from . import compat
from .parcels import add_in_batches, open_sink
from .styles import save_style_in_gpkg, style_on_load
from .values import python_value, qgs_field, qgs_fields, qgs_geometry


def read_columns(source, names) -> dict:
    """{field name: values} of the named fields of every feature of a table or layer,
    without geometries (NULL -> None)."""
    request = QgsFeatureRequest().setFlags(compat.FeatureRequestFlag.NoGeometry)
    request.setSubsetOfAttributes([source.fields().lookupField(f) for f in names])
    rows = {f: [] for f in names}
    for feature in source.getFeatures(request):
        for f in names:
            rows[f].append(python_value(feature[f]))
    return rows


def layer_columns_reader(layer, names):
    """A function reading the fields `names` of every feature of `layer` as {name: values}
    (NULL -> None, an absent field None), attributes only, that may run on a worker
    thread; made on the main thread. A whole, unedited OGR file layer is read straight
    from the file through GDAL's Arrow stream (a fast path: a county's 300,000 parcels in
    about a second instead of ten), else a snapshot of the layer (edit buffer included)."""
    from qgis.core import QgsVectorLayerFeatureSource

    from . import _arrow_read, fast_paths

    names = list(names)
    fields = layer.fields()
    idx = [fields.lookupField(n) for n in names]
    plain = fast_paths.plain_ogr_file(layer) if fast_paths.enabled() else None
    encoding = _arrow_read.codec(layer) if plain is not None else None
    count = layer.featureCount()
    snapshot = QgsVectorLayerFeatureSource(layer)

    def read() -> dict:
        if plain is not None:
            values = _arrow_read.read_columns(plain, names, count, encoding)
            if values is not None:
                return values
        request = QgsFeatureRequest().setFlags(compat.FeatureRequestFlag.NoGeometry)
        request.setSubsetOfAttributes([i for i in idx if i >= 0])
        rows = {n: [] for n in names}
        for feature in snapshot.getFeatures(request):
            attrs = feature.attributes()
            for n, i in zip(names, idx):
                rows[n].append(python_value(attrs[i]) if i >= 0 else None)
        return rows

    return read


def add_rows(sink, fields: QgsFields, frame, feedback=None, geometries=None,
             multi: bool = True) -> bool:
    """Write the rows of a pandas frame (its columns named as `fields`, in that order) as
    features, NaN/None -> NULL; with `geometries` (shapely, one per row; None or empty
    -> no geometry), polygons made multipart when `multi`. False when canceled."""
    names = [f.name() for f in fields]
    columns = [plain_values(frame[name].to_numpy()) for name in names]
    shapes = None if geometries is None else np.asarray(geometries, dtype=object)
    rows = zip(*columns) if columns else [()] * len(frame)

    def features():
        for i, values in enumerate(rows):
            feature = QgsFeature(fields)
            feature.setAttributes(list(values))
            if shapes is not None:
                geom = qgs_geometry(shapes[i], multi)
                if not geom.isNull():
                    feature.setGeometry(geom)
            yield feature

    return add_in_batches(sink, features(), feedback, len(frame), progress=None)


def write_table(alg, parameters, key, context, specs, frame, feedback, geometries=None,
                wkb_type=compat.WkbType.NoGeometry, crs=None):
    """The rows of `frame` (FieldSpecs `specs`) into the sink parameter `key`; the
    destination, or None when an optional output is not wanted (a required one that
    cannot be made is an error)."""
    fields = qgs_fields(specs)
    sink, dest = open_sink(alg, parameters, key, context, fields, wkb_type,
                           crs if crs is not None else QgsCoordinateReferenceSystem())
    if sink is None:
        if alg.parameterDefinition(key).flags() & compat.ProcessingParameterFlag.Optional:
            return None
        raise QgsProcessingException(alg.invalidSinkError(parameters, key))
    add_rows(sink, fields, frame, feedback, geometries)
    style_on_load(context, dest, specs)
    return dest


def write_gpkg_layer(path: str, name: str, fields, frame, context, geometries=None,
                     wkb_type=compat.WkbType.NoGeometry, crs=None, first=False, style=None,
                     multi=True):
    """Layer `name` of the GeoPackage `path` (a new file when `first`, else added or
    replaced): the rows of `frame` with `fields` (QgsFields, QgsField list or FieldSpecs)
    and `geometries`; the Chinese aliases, and with `style` that default style
    (styles.declaration_renderer), are stored in the file."""
    if not isinstance(fields, QgsFields):
        specs, fields = list(fields), QgsFields()
        for item in specs:
            fields.append(item if isinstance(item, QgsField) else qgs_field(item))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    action = QgsVectorFileWriter.ActionOnExistingFile
    options.actionOnExistingFile = (action.CreateOrOverwriteFile if first
                                    else action.CreateOrOverwriteLayer)
    writer = QgsVectorFileWriter.create(path, fields, wkb_type,
                                        crs if crs is not None else QgsCoordinateReferenceSystem(),
                                        context.transformContext(), options)
    if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
        raise QgsProcessingException(tr("Cannot write layer {0} to {1}: {2}")
                                     .format(name, path, writer.errorMessage()))
    add_rows(writer, fields, frame, None, geometries, multi)
    del writer
    save_style_in_gpkg(path, name, fields, style)
