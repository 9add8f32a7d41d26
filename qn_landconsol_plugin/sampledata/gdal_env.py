"""The township's CRS and a scoped GDAL environment (exceptions and config options set
for a block only, so the host application's settings are left as they were)."""
from __future__ import annotations

import os

from osgeo import gdal, ogr, osr


EPSG = 4545                      # CGCS2000 / 3-degree GK CM 108E, no zone prefix


def spatial_ref(epsg) -> osr.SpatialReference:
    """An EPSG spatial reference in x = easting, y = northing order."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(int(epsg))
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def to_gk(lon, lat):
    """(easting, northing) in EPSG:4545 of a CGCS2000 longitude/latitude."""
    ct = osr.CoordinateTransformation(spatial_ref(4490), spatial_ref(EPSG))
    x, y, _ = ct.TransformPoint(lon, lat)
    return x, y


class gdal_context:
    """GDAL/OGR/OSR exceptions on and some config options set for a block, the caller's
    settings restored afterwards (the host application, e.g. QGIS, keeps its own)."""

    MODULES = (gdal, ogr, osr)

    def __init__(self, **options):
        self.options = options
        self.saved_options = {}
        self.saved_exceptions = []

    def __enter__(self):
        for module in self.MODULES:
            self.saved_exceptions.append(module.GetUseExceptions())
            module.UseExceptions()
        for key, value in self.options.items():
            self.saved_options[key] = gdal.GetConfigOption(key)
            gdal.SetConfigOption(key, value)
        return self

    def __exit__(self, *exc):
        for key, value in self.saved_options.items():
            gdal.SetConfigOption(key, value)
        # error handlers form a stack: pop them in reverse order
        for module, enabled in reversed(list(zip(self.MODULES, self.saved_exceptions))):
            if not enabled:
                module.DontUseExceptions()
        self.saved_exceptions = []
        return False


def remove_files(paths):
    """Delete the given files and any SQLite side files, where present."""
    for path in paths:
        for p in (path, path + "-journal", path + "-wal", path + "-shm"):
            if os.path.exists(p):
                os.remove(p)
