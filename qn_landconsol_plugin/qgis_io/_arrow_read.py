"""The fast strategy of parcels.read_parcels: a plain OGR file layer (GeoPackage,
shapefile…) read in one GDAL Arrow stream, geometries and the named attributes, with
no QgsFeature at all (a county's 300,000 parcels in about a second instead of ten).
Same features in the same order as QGIS's iterator; `read` returns None whenever it
does not apply, and read_parcels then reads through QGIS.

Text is decoded exactly as QGIS's OGR provider decodes it: GDAL hands over the bytes the
provider gets (QGIS sets SHAPE_ENCODING="" for the process: a shapefile's bytes are
not recoded by GDAL; where GDAL recodes to UTF-8, the provider's encoding is UTF-8),
and they are decoded with the provider's encoding, i.e. the .cpg, or the data source
encoding the user set on the layer. When the provider's encoding is no Python codec,
or when the first features read differ from QGIS's own reading of them (a probe of
PROBE_FEATURES features), the fast path declines. NULLs stay NULL: the stream is read as
masked arrays (GDAL fills a NULL number with 0 otherwise)."""
from __future__ import annotations

import codecs

import numpy as np

from ._gdal import gdal_exceptions
from .fast_paths import plain_ogr_file

MIN_GDAL = 3060000     # GetArrowStreamAsNumPy
PROBE_FEATURES = 64
QT_CODECS = {"system": None, "utf-8": "utf-8", "utf8": "utf-8"}   # Qt names Python lacks


def applies(layer, source, crs, source_crs=None):
    """The file to read ((path, layer name, layer index): fast_paths.plain_ogr_file) when
    the Arrow read can stand for QGIS's: the whole file layer as it is on disk, in its
    own CRS (`source_crs`, the one assumed for it when the file has none; no
    reprojection), with GDAL ≥ 3.6 and an encoding Python can decode; else None."""
    try:
        from osgeo import gdal
    except ImportError:
        return None
    plain = plain_ogr_file(layer)
    if plain is None or int(gdal.VersionInfo()) < MIN_GDAL or codec(layer) is None:
        return None
    source_crs = source.sourceCrs() if source_crs is None else source_crs
    if crs is not None and crs.isValid() and source_crs.isValid() and source_crs != crs:
        return None
    if source_crs != source.sourceCrs() and source_crs != crs:
        return None
    return plain


def codec(layer):
    """The Python codec of the encoding QGIS's provider decodes the layer's text with;
    None when Python has no such codec (the fast path then declines)."""
    name = str(layer.dataProvider().encoding() or "UTF-8").strip()
    if name.lower() in QT_CODECS:
        return QT_CODECS[name.lower()]
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _open(path: str, encoding: str):
    """The GDAL dataset of `path`, read-only; a shapefile whose text is decoded with
    another codec than UTF-8 opened so that GDAL hands over the raw bytes, as the
    provider decodes them."""
    from osgeo import gdal

    raw = ["ENCODING="] if encoding != "utf-8" and \
        path.lower().endswith((".shp", ".dbf")) else []
    return gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=raw)


def read(plain, source, feedback, attributes=(), progress=(0.0, 30.0), layer=None):
    """(WKB list, [values per attribute], fids) of every feature of the file `plain`
    (from applies), or None when the file is not what QGIS reads (a selection or feature
    limit changes the count, no fid column, text QGIS reads otherwise) or GDAL fails;
    attributes are field names (case-insensitive, absent ones give None); text is
    decoded with the codec of `layer`'s provider (UTF-8 without a layer)."""
    encoding = codec(layer) if layer is not None else "utf-8"
    if encoding is None:
        return None
    path, name, layer_id = plain
    ds = None
    try:
        with gdal_exceptions():
            ds = _open(path, encoding)
            if ds is None:
                return None
            lyr = ds.GetLayerByName(name) if name else ds.GetLayer(layer_id)
            if lyr is None or lyr.GetFeatureCount() != source.featureCount():
                return None      # a selection or a feature limit: QGIS's own iterator knows
            defn = lyr.GetLayerDefn()
            names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
            by_upper = {n.upper(): n for n in names}
            wanted = [by_upper.get(str(a).upper()) for a in attributes]
            lyr.SetIgnoredFields([n for n in names if n not in wanted])
            # masked arrays: a NULL number is masked (unmasked it would read as 0)
            stream = lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES"])
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
                    column = next(v for k, v in batch.items()
                                  if v.dtype == object and k not in wanted)
                wkbs.extend(_wkb_values(column))
                if fid_col not in batch or fid_col in wanted:
                    return None     # no feature ids: QGIS's iterator gives them
                fids.append(np.asarray(batch[fid_col], dtype=np.int64))
                for out, field in zip(values, wanted):
                    out.extend(_arrow_values(batch[field], encoding) if field in batch
                               else [None] * len(column))
                done += len(column)
                feedback.setProgress(progress[0] + (progress[1] - progress[0]) * done / total)
            lyr.SetIgnoredFields([])
    except (RuntimeError, AttributeError, KeyError, StopIteration, ValueError):
        return None
    finally:
        ds = None
    if len(wkbs) != source.featureCount():
        return None
    fids = np.concatenate(fids) if fids else np.zeros(0, dtype=np.int64)
    if not _same_as_qgis(source, attributes, values, fids):
        return None
    return wkbs, values, fids


def _same_as_qgis(source, attributes, values, fids) -> bool:
    """Whether the first PROBE_FEATURES features' text values equal QGIS's own reading of
    them (the check that the text is decoded as the provider decodes it)."""
    from qgis.core import QgsFeatureRequest
    from . import compat

    from .values import python_value

    text = [i for i, column in enumerate(values) if any(isinstance(v, str) for v in
                                                         column[:PROBE_FEATURES])]
    if not text or not len(fids):
        return True
    fields = source.fields()
    idx = [fields.lookupField(str(attributes[i])) for i in text]
    request = QgsFeatureRequest().setFilterFids([int(f) for f in fids[:PROBE_FEATURES]])
    request.setFlags(compat.FeatureRequestFlag.NoGeometry)
    request.setSubsetOfAttributes([j for j in idx if j >= 0])
    position = {int(f): k for k, f in enumerate(fids[:PROBE_FEATURES])}
    for feature in source.getFeatures(request):
        k = position.get(feature.id())
        if k is None:
            return False
        for i, j in zip(text, idx):
            theirs = python_value(feature.attribute(j)) if j >= 0 else None
            if (theirs or None) != (values[i][k] or None):
                return False
    return True


def _wkb_values(column) -> list:
    if isinstance(column, np.ma.MaskedArray):       # features without geometry
        mask = np.ma.getmaskarray(column)
        values = _wkb_values(column.data)
        return [None if m else v for v, m in zip(values, mask)]
    return _plain_wkb_values(column)


def _plain_wkb_values(column) -> list:
    """WKB bytes of an Arrow geometry column: GDAL hands a batch whose geometries all have
    the same size over as fixed-size binary (numpy void, or bytes that lost trailing NULs)."""
    if column.dtype.kind == "V":
        return [value.tobytes() for value in column]
    if column.dtype.kind == "S":
        width = column.dtype.itemsize
        return [value.ljust(width, b"\0") for value in column.tolist()]
    return list(column)


def _replace_byte(error):
    """Undecodable bytes replaced one by one with U+FFFD, as Qt's codecs do (Python's
    'replace' takes a whole invalid sequence at once): the same text as QGIS shows."""
    return "\ufffd", error.start + 1


REPLACE_AS_QT = "qn_landconsol_replace_as_qt"
codecs.register_error(REPLACE_AS_QT, _replace_byte)


def _decoded(array, encoding: str) -> list:
    """The texts of a fixed-width bytes column ('' -> None): ASCII-only columns (codes,
    BSM) decoded as ASCII, the others once per distinct value (a county's village names
    repeat: decoding GBK is slow, looking a value up is not)."""
    if _ascii_compatible(encoding) and array.dtype.itemsize:
        try:
            ascii_only = array.view(np.uint8).max(initial=0) < 128
        except ValueError:      # not contiguous
            ascii_only = False
        if ascii_only:
            return [v.decode("ascii") or None for v in array.tolist()]
    cache = {}
    out = []
    for v in array.tolist():
        text = cache.get(v)
        if text is None and v not in cache:
            text = cache[v] = v.decode(encoding, REPLACE_AS_QT) or None
        out.append(text)
    return out


def _ascii_compatible(encoding: str) -> bool:
    try:
        return b"AZaz09 -_".decode(encoding) == "AZaz09 -_"
    except (LookupError, UnicodeDecodeError):
        return False


def _arrow_values(array, encoding: str = "utf-8") -> list:
    """Python values of one Arrow column (bytes decoded with `encoding`; NULL (masked), ''
    and NaN -> None)."""
    if isinstance(array, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(array)
        values = _arrow_values(array.data, encoding)
        if not mask.any() or (array.dtype.kind == "S" and (array.data[mask] == b"").all()):
            return values       # a NULL text is b'' underneath: already None
        out = np.empty(len(values), dtype=object)
        out[:] = values
        out[mask] = None
        return out.tolist()
    if array.dtype.kind == "S":
        return _decoded(array, encoding)
    if array.dtype.kind == "f":
        return [None if v != v else v for v in array.tolist()]
    if array.dtype == object:
        return [v.decode(encoding, REPLACE_AS_QT) if isinstance(v, bytes) else v for v in array]
    return array.tolist()


def read_columns(plain, attributes, count: int, encoding: str | None = "utf-8"):
    """{attribute: values} of every feature of the file `plain` (from
    fast_paths.plain_ogr_file), attributes only (field names, case-insensitive; an absent
    one gives None; NULL -> None, numbers too); text decoded with `encoding` (codec() of
    the layer); None when the file does not hold `count` features, the encoding is no
    Python codec or GDAL fails. Opens its own dataset: may run on a worker thread."""
    from osgeo import gdal

    if int(gdal.VersionInfo()) < MIN_GDAL or encoding is None:
        return None
    path, name, layer_id = plain
    ds = None
    try:
        with gdal_exceptions():
            ds = _open(path, encoding)
            if ds is None:
                return None
            lyr = ds.GetLayerByName(name) if name else ds.GetLayer(layer_id)
            if lyr is None or lyr.GetFeatureCount() != count:
                return None
            defn = lyr.GetLayerDefn()
            names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
            by_upper = {n.upper(): n for n in names}
            wanted = [by_upper.get(str(a).upper()) for a in attributes]
            ignored = [n for n in names if n not in wanted] + ["OGR_GEOMETRY"]
            lyr.SetIgnoredFields(ignored)
            values = {a: [] for a in attributes}
            done = 0
            # masked arrays: a NULL number is masked (unmasked it would read as 0)
            for batch in lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES"]):
                size = len(next(iter(batch.values()))) if batch else 0
                for a, field in zip(attributes, wanted):
                    values[a].extend(_arrow_values(batch[field], encoding) if field in batch
                                     else [None] * size)
                done += size
            lyr.SetIgnoredFields([])
    except (RuntimeError, AttributeError, KeyError, StopIteration, ValueError):
        return None
    finally:
        ds = None
    return values if done == count else None
