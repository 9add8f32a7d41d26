"""Writing the township: layer schemas, the DEM GeoTIFF and the GeoPackage."""
from __future__ import annotations

import math

import numpy as np
import shapely
from osgeo import gdal, ogr

from ..core.fields import DLTB_SCHEMA
from .gdal_env import EPSG, spatial_ref
from .terrain import NODATA


def dltb_fields():
    """(name, kind, width, precision) of the DLTB schema."""
    return [(f.name, f.kind, f.length, f.precision) for f in DLTB_SCHEMA]


def str_fields(*specs):
    """String field specs from (name, width) pairs."""
    return [(name, "str", width, 0) for name, width in specs]


def building_fields():
    """FWZT 房屋状态, JZMJ 建筑面积 (m², footprint × floors), CS 层数."""
    return [("FWZT", "str", 10, 0), ("JZMJ", "float", 12, 2), ("CS", "int", 2, 0)]


def as_multi(geoms) -> np.ndarray:
    """Every geometry as a MultiPolygon (empty inputs are dropped)."""
    geoms = np.asarray(geoms, dtype=object)
    parts, index = shapely.get_parts(geoms, return_index=True)
    polys = shapely.get_type_id(parts) == 3
    parts, index = parts[polys], index[polys]
    out = np.full(len(geoms), None, dtype=object)
    if len(parts):
        shapely.multipolygons(parts, indices=index, out=out)
    return out


def write_dem(path, grid, dem):
    """Tiled, deflate-compressed Float32 GeoTIFF in EPSG:4545 with nodata -9999."""
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path, grid.nx, grid.ny, 1, gdal.GDT_Float32, options=[
        "TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=3",
        "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform(grid.geotransform)
    ds.SetProjection(spatial_ref(EPSG).ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(NODATA)
    band.WriteArray(dem)
    ds.FlushCache()
    ds = None


def write_gpkg(path, layers, steps):
    """All vector layers into one GeoPackage (spatial index on), in EPSG:4545."""
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    total = sum(len(g) for _, g, _, _ in layers)
    done = 0
    for name, geoms, fields, records in layers:
        gtype = ogr.wkbPolygon if name == "buildings" else ogr.wkbMultiPolygon
        if name != "buildings":             # (buildings keep their corner order: bow-ties)
            geoms = shapely.normalize(geoms)
        lyr = ds.CreateLayer(name, spatial_ref(EPSG), gtype, options=[
            "SPATIAL_INDEX=YES", "GEOMETRY_NAME=geom", "FID=fid"])
        for fname, kind, width, precision in fields:
            fd = ogr.FieldDefn(fname, {"str": ogr.OFTString, "float": ogr.OFTReal,
                                       "int": ogr.OFTInteger}[kind])
            fd.SetWidth(width)
            fd.SetPrecision(precision)
            lyr.CreateField(fd)
        columns = [_as_list(records[f[0]]) for f in fields]
        defn = lyr.GetLayerDefn()
        lyr.StartTransaction()
        for i, wkb in enumerate(shapely.to_wkb(geoms)):
            if wkb is None:
                continue
            feat = ogr.Feature(defn)
            for j, column in enumerate(columns):
                value = column[i]
                if value is not None and value != "":
                    feat.SetField(j, value)
            feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
            lyr.CreateFeature(feat)
            if i % 20000 == 19999:
                steps(80 + 19 * (done + i) / total, f"writing {name}")
        lyr.CommitTransaction()
        done += len(geoms)
    ds = None


def _as_list(column) -> list:
    """Plain Python values (None for NaN) for OGR."""
    out = np.asarray(column, dtype=object).tolist()
    return [None if isinstance(v, float) and math.isnan(v) else
            (int(v) if isinstance(v, np.integer) else v) for v in out]
