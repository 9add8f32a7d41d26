"""Rasters: reading a DEM for parcel work, a GDAL window over the parcels' extent (native
grid, no resampling) or, when the DEM is in another CRS, a bilinear warp into the
parcels' working CRS, as a core.slope.Grid; and the parcels' slope from it (the
background read is a fast path, fast_paths). GDAL raises only inside these functions
(_gdal.gdal_exceptions), never for the rest of QGIS.

A DEM is a Dem: the raster layer and the band its elevations are in (every algorithm
with a DEM has a DEM_BAND parameter, algorithms.base); its CRS is checked once
(guards.layer_crs) and the window read is checked before any slope is computed
(core.layer_checks.dem_findings: missing band, all nodata, one value everywhere, too
few or too coarse cells)."""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import shapely
from osgeo import gdal, osr
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProcessingException,
    QgsRectangle,
)

from ..core import layer_checks
from ..core.messages import ERROR, finding
from ..core.rules import Rules
from ..core.slope import Grid, horn_slope, zonal_slope
from ..translation import tr
from . import fast_paths, guards
from ._gdal import gdal_exceptions

WARP_NODATA = -9999.0


class Dem:
    """A DEM raster layer and the band its elevations are in (1 unless the algorithm's
    DEM_BAND parameter says otherwise); anything else is asked of the layer."""

    def __init__(self, layer, band: int = 1):
        self.layer = layer
        self.band = int(band or 1)
        self._crs = None

    def __getattr__(self, name):
        return getattr(self.layer, name)

    def checked_crs(self, feedback=None) -> QgsCoordinateReferenceSystem:
        """The DEM's CRS, checked once (guards.layer_crs); a band the DEM does not have is
        an error too."""
        if self._crs is None:
            count = self.layer.bandCount()
            if not 1 <= self.band <= count:
                raise QgsProcessingException(finding(
                    layer_checks.DEM_FINDINGS, ERROR, "DEM_BAND_MISSING", layer=self.layer.name(),
                    bands=count, band=self.band).text(tr))
            self._crs = guards.layer_crs(self.layer.crs(), self.layer.extent(),
                                         self.layer.name(), feedback)
        return self._crs


def as_dem(raster_layer):
    """A Dem of a raster layer (band 1), a Dem as it is, None for None."""
    if raster_layer is None or isinstance(raster_layer, Dem):
        return raster_layer
    return Dem(raster_layer)


def gdal_path(raster_layer) -> str:
    """The GDAL data source of a raster layer; a clear error for other providers."""
    raster_layer = getattr(raster_layer, "layer", raster_layer)
    if raster_layer is None or not raster_layer.isValid():
        raise QgsProcessingException(tr("The DEM layer is not valid."))
    if raster_layer.providerType() != "gdal":
        raise QgsProcessingException(
            tr("The DEM must be a file raster (GDAL provider); '{0}' uses the '{1}' provider.")
            .format(raster_layer.name(), raster_layer.providerType()))
    return raster_layer.source()


def compute_crs(raster_layer, parcel_working_crs: QgsCoordinateReferenceSystem):
    """The CRS to compute slope in: the DEM's own when it is projected (its native grid,
    exactly what native:slope uses), else (or without a DEM) the parcels' working CRS."""
    if raster_layer is None:
        return parcel_working_crs
    dem_crs = as_dem(raster_layer).checked_crs()
    if dem_crs.isValid() and not dem_crs.isGeographic():
        return dem_crs
    return parcel_working_crs


def read_dem(raster_layer, crs: QgsCoordinateReferenceSystem, extent: QgsRectangle,
             context=None, feedback=None, margin_cells: int = 1, band: int | None = None) -> Grid:
    """The DEM over `extent` (in `crs`) plus `margin_cells` around it, as a Grid in `crs`.
    Same CRS: the raw cells of the DEM's own grid. Other CRS: warped (bilinear) to a
    grid of about the DEM's resolution. Raises QgsProcessingException when the DEM does
    not cover the extent. `band`: the Dem's band by default."""
    dem = as_dem(raster_layer)
    band = dem.band if band is None else band
    path = gdal_path(dem)
    dem_crs = dem.checked_crs(feedback)
    same = (not crs.isValid()) or dem_crs == crs
    with gdal_exceptions():
        ds = _open(path)
        if not same:
            if feedback is not None:
                feedback.pushInfo(tr("DEM is in {0}; it is reprojected (bilinear) to {1} for "
                                     "the slope.").format(dem_crs.authid() or dem_crs.description(),
                                                          crs.authid() or crs.description()))
            ds = _warp(ds, dem_crs, crs, extent, context, margin_cells, band)
            margin_cells = 0
        return _window(ds, extent, margin_cells, band, crs.toWkt(), crs.authid())


def _open(path):
    if path.lower().endswith((".tif", ".tiff")):   # compressed GeoTIFF: decode on every core
        ds = gdal.OpenEx(path, gdal.OF_RASTER, open_options=["NUM_THREADS=ALL_CPUS"])
    else:
        ds = gdal.Open(path)
    if ds is None:
        raise QgsProcessingException(tr("Cannot open the DEM: {}").format(path))
    return ds


def read_parcels_and_dem(source, dem, context, feedback, label: str, attributes=(), layer=None,
                         progress=(0.0, 30.0), keys=()):
    """(Parcels, BackgroundSlope or None): the parcels read (parcels.read_parcels) in the
    CRS the slope is computed in (compute_crs of their working CRS), while the DEM window
    and its slope are computed on a worker thread (start_slope)."""
    from .crs import source_working_crs
    from .parcels import read_parcels

    dem = as_dem(dem)
    if dem is not None:
        dem.checked_crs(feedback)
    crs = compute_crs(dem, source_working_crs(source, context, feedback, label))
    background = start_slope(dem, crs, source, feedback)
    parcels = read_parcels(source, context, feedback, label, crs, attributes, layer=layer,
                           progress=progress, keys=keys)
    return parcels, background


def start_slope(raster_layer, crs: QgsCoordinateReferenceSystem, source, feedback=None):
    """Begin reading the DEM window over `source`'s recorded extent and computing its Horn
    slope on a worker thread (GDAL and numpy release the GIL), so that it overlaps with
    reading the parcels: a BackgroundSlope for parcel_slope (a fast path, said in the
    log). None without a DEM, when the parcels or the DEM are not in `crs` (warping
    stays on the calling thread), without an extent, or with fast paths switched off.
    parcel_slope checks that the window holds the parcels' real extent."""
    if raster_layer is None or source is None or source.sourceCrs() != crs:
        return None
    dem = as_dem(raster_layer)
    extent = QgsRectangle(source.sourceExtent())
    if extent.isEmpty() or dem.checked_crs(feedback) != crs:
        return None
    path = gdal_path(raster_layer)
    if not fast_paths.allowed(feedback, tr("the DEM's slope is computed after the parcels "
                                           "are read")):
        return None
    if feedback is not None:
        feedback.pushInfo(tr("The DEM window and its slope are computed on a worker thread "
                             "while the parcels are read (fast path)."))
    wkt, authid = crs.toWkt(), crs.authid()   # plain strings: no QGIS object on the worker
    band = dem.band

    def work():
        with gdal_exceptions():
            grid = _window(_open(path), extent, 1, band, wkt, authid)
        return grid, horn_slope(grid.values, grid.cell_x, grid.cell_y, grid.nodata)

    pool = ThreadPoolExecutor(max_workers=1)
    background = BackgroundSlope(pool.submit(work))
    pool.shutdown(wait=False)
    return background


class BackgroundSlope:
    """The DEM window and slope being computed by start_slope; `take()` waits for them
    and lets go of them (a county DEM and its slope hold ~250 MB: nothing but the
    caller should keep them alive)."""

    def __init__(self, future):
        self._future = future

    def take(self):
        future, self._future = self._future, None
        return future.result() if future is not None else (None, None)


def parcel_slope(raster_layer, crs: QgsCoordinateReferenceSystem, geoms, threshold: float,
                 context, feedback, background=None, must_cover: bool = True):
    """Slope per parcel with core.slope.zonal_slope's columns (PD_MEAN, PD_GT, PD_N,
    PD_EXACT), exactly as native:slope + native:zonalstatisticsfb: the DEM window over
    the parcels' extent, or the one `background` (start_slope) read meanwhile when it
    holds every cell needed; the window is said in the log. None when canceled; with
    `must_cover`, a DEM without a value under any parcel is an error."""
    if len(geoms) == 0:     # no parcels: no slope to compute, nothing to read
        return pd.DataFrame({"PD_MEAN": np.zeros(0), "PD_GT": np.zeros(0),
                             "PD_N": np.zeros(0, dtype=np.int64), "PD_EXACT": np.zeros(0, bool)})
    bounds = shapely.total_bounds(geoms)
    if np.isnan(bounds).any():
        raise QgsProcessingException(tr("The parcels have no geometry."))
    extent = QgsRectangle(*bounds)
    grid = slope = None
    if background is not None:
        try:
            grid, slope = background.take()
        except Exception:  # noqa: BLE001 - read again below, for the error about the parcels
            grid = None
        if grid is not None and not covers(grid, raster_layer, extent):
            grid = slope = None     # the layer's recorded extent was short of the parcels
            if feedback is not None:
                feedback.pushInfo(tr("The parcels reach beyond their layer's recorded extent: "
                                     "the DEM is read again over their real extent."))
    if grid is None:
        grid = read_dem(raster_layer, crs, extent, context, feedback)
        check_window(raster_layer, grid, geoms, feedback)
        slope = horn_slope(grid.values, grid.cell_x, grid.cell_y, grid.nodata)
    else:
        check_window(raster_layer, grid, geoms, feedback)
    if feedback is not None:
        feedback.pushInfo(tr("DEM window: {0} × {1} cells of {2:g} × {3:g} m in {4}.").format(
            grid.shape[1], grid.shape[0], grid.cell_x, grid.cell_y, crs.authid()))
        if feedback.isCanceled():
            return None
    result = zonal_slope(slope, grid, geoms, threshold,
                         feedback.isCanceled if feedback is not None else None)
    if must_cover and result is not None and result["PD_MEAN"].isna().all():
        raise QgsProcessingException(tr(
            "The DEM has no values under the parcels: it does not cover them."))
    return result


def check_window(raster_layer, grid: Grid, geoms, feedback=None):
    """The DEM window read for the parcels, checked (core.layer_checks.dem_findings): an
    error for a window that cannot give slopes, a warning for one too coarse."""
    dem = as_dem(raster_layer)
    areas = shapely.area(np.asarray(geoms, dtype=object))
    areas = areas[np.isfinite(areas) & (areas > 0)]
    for f in layer_checks.dem_findings(grid.values, grid.nodata, grid.cell_x, grid.cell_y,
                                       dem.band, dem.layer.bandCount(), dem.layer.name(),
                                       float(np.median(areas)) if len(areas) else None,
                                       Rules().dem_max_cell_m):
        if f.level == ERROR:
            raise QgsProcessingException(f.text(tr))
        if feedback is not None:
            feedback.pushWarning(f.text(tr))


def covers(grid: Grid, raster_layer, extent: QgsRectangle, margin_cells: int = 1) -> bool:
    """Whether `grid` (read from the DEM on its own grid) holds every cell read_dem
    would read for `extent`."""
    path = gdal_path(raster_layer)
    with gdal_exceptions():
        ds = _open(path)
        gt = ds.GetGeoTransform()
        width, height = ds.RasterXSize, ds.RasterYSize
    c0, c1, r0, r1 = _cells(gt, width, height, extent, margin_cells)
    g0 = round((grid.x0 - gt[0]) / gt[1])
    h0 = round((gt[3] - grid.y0) / -gt[5])
    rows, cols = grid.shape
    return g0 <= c0 and h0 <= r0 and g0 + cols >= c1 and h0 + rows >= r1


def _cells(gt, width, height, extent, margin):
    """(first col, end col, first row, end row) of the DEM cells over extent + margin."""
    csx, csy = gt[1], -gt[5]
    c0 = math.floor((extent.xMinimum() - gt[0]) / csx) - margin
    c1 = math.floor((extent.xMaximum() - gt[0]) / csx) + 1 + margin
    r0 = math.floor((gt[3] - extent.yMaximum()) / csy) - margin
    r1 = math.floor((gt[3] - extent.yMinimum()) / csy) + 1 + margin
    return max(c0, 0), min(c1, width), max(r0, 0), min(r1, height)


def _window(ds, extent, margin, band_no, crs_wkt: str, crs_name: str) -> Grid:
    gt = ds.GetGeoTransform()
    if abs(gt[2]) > 1e-12 or abs(gt[4]) > 1e-12:
        raise QgsProcessingException(tr("Rotated DEM grids are not supported; warp the DEM "
                                        "to a north-up grid first (gdalwarp)."))
    csx, csy = gt[1], -gt[5]
    if csy <= 0:
        raise QgsProcessingException(tr("The DEM grid must be north-up (negative y pixel size)."))
    width, height = ds.RasterXSize, ds.RasterYSize
    c0, c1, r0, r1 = _cells(gt, width, height, extent, margin)
    if c1 <= c0 or r1 <= r0:
        raise QgsProcessingException(
            tr("The DEM does not cover the parcels: DEM extent {0:.1f}, {1:.1f} – {2:.1f}, "
               "{3:.1f}; parcels {4:.1f}, {5:.1f} – {6:.1f}, {7:.1f} (in {8}).").format(
                gt[0], gt[3] - height * csy, gt[0] + width * csx, gt[3],
                extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum(),
                crs_name))
    band = ds.GetRasterBand(band_no)
    values = band.ReadAsArray(c0, r0, c1 - c0, r1 - r0, buf_type=gdal.GDT_Float32)
    nodata = band.GetNoDataValue()
    return Grid(values=np.asarray(values, dtype=np.float32), x0=gt[0] + c0 * csx,
                y0=gt[3] - r0 * csy, cell_x=csx, cell_y=csy, nodata=nodata,
                crs_wkt=crs_wkt)


def _warp(ds, dem_crs, crs, extent, context, margin, band=1):
    transform_context = context.transformContext() if context is not None else None
    to_dem = QgsCoordinateTransform(crs, dem_crs, transform_context) if transform_context \
        is not None else QgsCoordinateTransform(crs, dem_crs, QgsCoordinateTransform().context())
    # the DEM's cell size in the target CRS, measured at the extent's centre
    gt = ds.GetGeoTransform()
    centre = extent.center()
    try:
        p = to_dem.transform(centre)
        back = to_dem.transform(p.x() + gt[1], p.y(), Qgis.TransformDirection.Reverse)
        res = math.hypot(back.x() - centre.x(), back.y() - centre.y())
    except Exception:  # noqa: BLE001 - outside the DEM CRS's area of use
        res = 0.0
    if not res > 0:
        raise QgsProcessingException(tr("The DEM does not cover the parcels (cannot relate "
                                        "the DEM's CRS to the parcels' position)."))
    pad = (margin + 2) * res
    bounds = (math.floor((extent.xMinimum() - pad) / res) * res,
              math.floor((extent.yMinimum() - pad) / res) * res,
              math.ceil((extent.xMaximum() + pad) / res) * res,
              math.ceil((extent.yMaximum() + pad) / res) * res)
    srs = osr.SpatialReference()
    srs.ImportFromWkt(crs.toWkt())
    src_nodata = ds.GetRasterBand(band).GetNoDataValue()
    out = gdal.Warp("", ds, format="MEM", dstSRS=srs.ExportToWkt(), outputBounds=bounds,
                    xRes=res, yRes=res, resampleAlg="bilinear", outputType=gdal.GDT_Float32,
                    srcNodata=src_nodata, dstNodata=WARP_NODATA if src_nodata is None
                    else src_nodata)
    return out
