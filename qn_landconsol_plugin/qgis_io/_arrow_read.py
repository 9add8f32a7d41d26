"""The fast strategy of parcels.read_parcels: a plain OGR file layer (GeoPackage,
shapefile…) read in one GDAL Arrow stream, geometries and the named attributes, with
no QgsFeature at all (a county's 300,000 parcels in about a second instead of ten).
Same features in the same order as QGIS's iterator; `read` returns None whenever it
does not apply, and read_parcels then reads through QGIS."""
from __future__ import annotations

import numpy as np

from ._gdal import gdal_exceptions
from .fast_paths import plain_ogr_file

MIN_GDAL = 3060000     # GetArrowStreamAsNumPy


def applies(layer, source, crs):
    """The file to read ((path, layer name, layer index): fast_paths.plain_ogr_file) when
    the Arrow read can stand for QGIS's: the whole file layer as it is on disk, in its
    own CRS (no reprojection), with GDAL ≥ 3.6; else None."""
    try:
        from osgeo import gdal
    except ImportError:
        return None
    plain = plain_ogr_file(layer)
    if plain is None or int(gdal.VersionInfo()) < MIN_GDAL:
        return None
    source_crs = source.sourceCrs()
    if crs is not None and crs.isValid() and source_crs.isValid() and source_crs != crs:
        return None
    return plain


def read(plain, source, feedback, attributes=(), progress=(0.0, 30.0)):
    """(WKB list, [values per attribute], fids) of every feature of the file `plain`
    (from applies), or None when the file is not what QGIS reads (a selection or feature limit changes the count, no fid
    column) or GDAL fails; attributes are field names (case-insensitive, absent ones
    give None)."""
    from osgeo import gdal

    path, name, layer_id = plain
    ds = None
    try:
        with gdal_exceptions():
            ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
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
                    column = next(v for k, v in batch.items()
                                  if v.dtype == object and k not in wanted)
                wkbs.extend(_wkb_values(column))
                if fid_col not in batch or fid_col in wanted:
                    return None     # no feature ids: QGIS's iterator gives them
                fids.append(np.asarray(batch[fid_col], dtype=np.int64))
                for out, field in zip(values, wanted):
                    out.extend(_arrow_values(batch[field]) if field in batch
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
    return wkbs, values, np.concatenate(fids) if fids else np.zeros(0, dtype=np.int64)


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


def read_columns(plain, attributes, count: int):
    """{attribute: values} of every feature of the file `plain` (from
    fast_paths.plain_ogr_file), attributes only (field names, case-insensitive; an absent
    one gives None); None when the file does not hold `count` features or GDAL fails.
    Opens its own dataset: may run on a worker thread."""
    from osgeo import gdal

    if int(gdal.VersionInfo()) < MIN_GDAL:
        return None
    path, name, layer_id = plain
    ds = None
    try:
        with gdal_exceptions():
            ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
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
            for batch in lyr.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"]):
                size = len(next(iter(batch.values()))) if batch else 0
                for a, field in zip(attributes, wanted):
                    values[a].extend(_arrow_values(batch[field]) if field in batch
                                     else [None] * size)
                done += size
            lyr.SetIgnoredFields([])
    except (RuntimeError, AttributeError, KeyError, StopIteration, ValueError):
        return None
    finally:
        ds = None
    return values if done == count else None
