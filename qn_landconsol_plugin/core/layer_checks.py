"""Checks of a whole input layer, as data (core.messages Findings): does its CRS exist and
fit its coordinates (REFERENCE §4: CGCS2000 3° Gauss–Krüger zones, with or without the
zone prefix; Qiannan's ranges are core.crs's), and is a DEM usable for parcel slopes
(cells, values, band). qgis_io.guards turns the errors into a stop naming the layer; the
parcel quality check reports them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .crs import (CGCS2000_GEOGRAPHIC_EPSG, QIANNAN_EASTING, QIANNAN_NORTHING, GKZone,
                  cgcs2000_gk_epsg, in_qiannan, to_qiannan_zone)
from .messages import ERROR, WARNING, finding, translatable

# China's 3° zones (25..45) and plausible Gauss–Krüger coordinates there: northings from
# Hainan (≈ 18° N) to Heilongjiang (≈ 54° N), eastings within ±400 km of the 500 km
# false easting (a zone is ±160 km wide at 18° N; layers may reach into the next zone).
NORTHING_RANGE = (1_900_000.0, 6_000_000.0)
EASTING_RANGE = (100_000.0, 900_000.0)
FIRST_ZONE, LAST_ZONE = 25, 45

CRS_FINDINGS = {
    "CRS_MISSING": (translatable(
        "Layer '{layer}' has no coordinate reference system (a shapefile without .prj, "
        "or no CRS in the file){hint}. Set the layer's CRS in QGIS (Layer Properties → "
        "Source, or 'Assign projection') and run again."),
        "图层“{layer}”没有坐标参考系（如缺少 .prj 的 shapefile）{hint_zh}。请在 QGIS 中设置"
        "图层坐标系（图层属性 → 源，或“指定投影”）后重新运行。"),
    "CRS_UNDEFINED": (translatable(
        "Layer '{layer}' has an undefined coordinate reference system ({crs}){hint}. Set "
        "the layer's CRS in QGIS (Layer Properties → Source, or 'Assign projection') and "
        "run again."),
        "图层“{layer}”的坐标参考系未定义（{crs}）{hint_zh}。请在 QGIS 中设置图层坐标系后"
        "重新运行。"),
    "CRS_DEGREES_OUT_OF_RANGE": (translatable(
        "Layer '{layer}' is in a geographic CRS ({crs}) but its coordinates ({x:.0f}, "
        "{y:.0f}) are not degrees{hint}: the CRS does not fit the coordinates. Set the "
        "right CRS on the layer."),
        "图层“{layer}”为地理坐标系（{crs}），但坐标（{x:.0f}，{y:.0f}）不是经纬度{hint_zh}，"
        "坐标系与坐标不符。请为图层设置正确的坐标系。"),
    "CRS_PREFIX_UNEXPECTED": (translatable(
        "Layer '{layer}': its eastings ({x:.0f}) carry the zone prefix {zone_found} but "
        "its CRS {crs} has none: the CRS contradicts the coordinates. Set the layer's CRS "
        "to {suggested} (zone {zone_found} with prefix)."),
        "图层“{layer}”的横坐标（{x:.0f}）带有带号 {zone_found}，但其坐标系 {crs} 不带带号，"
        "坐标系与坐标矛盾。请将图层坐标系设为 {suggested}（{zone_found} 带，带带号）。"),
    "CRS_PREFIX_MISSING": (translatable(
        "Layer '{layer}': its CRS {crs} has the zone prefix {zone} but its eastings "
        "({x:.0f}) have none: the CRS contradicts the coordinates. Set the layer's CRS "
        "to {suggested} (zone {zone} without prefix)."),
        "图层“{layer}”的坐标系 {crs} 带带号 {zone}，但横坐标（{x:.0f}）不带带号，坐标系与"
        "坐标矛盾。请将图层坐标系设为 {suggested}（{zone} 带，不带带号）。"),
    "CRS_ZONE_MISMATCH": (translatable(
        "Layer '{layer}': its eastings ({x:.0f}) carry zone {zone_found} but its CRS {crs} "
        "is zone {zone}: the CRS contradicts the coordinates. Set the layer's CRS to "
        "{suggested}."),
        "图层“{layer}”的横坐标（{x:.0f}）带号为 {zone_found}，但其坐标系 {crs} 为 {zone} 带，"
        "坐标系与坐标矛盾。请将图层坐标系设为 {suggested}。"),
    "CRS_AXES_SWAPPED": (translatable(
        "Layer '{layer}': its x coordinates ({x:.0f}) look like northings and its y "
        "coordinates ({y:.0f}) like eastings in {crs}: X and Y are swapped. Swap them "
        "(e.g. with 'Swap X and Y coordinates') before running."),
        "图层“{layer}”在 {crs} 下的 x 坐标（{x:.0f}）像纵坐标（北向），y 坐标（{y:.0f}）像横"
        "坐标：X、Y 颠倒。请先交换 X、Y 坐标再运行。"),
    "CRS_GK_OUT_OF_RANGE": (translatable(
        "Layer '{layer}': its coordinates ({x:.0f}, {y:.0f}) lie outside China in its "
        "Gauss–Krüger CRS {crs} (eastings {e_min:.0f}–{e_max:.0f}, northings "
        "{n_min:.0f}–{n_max:.0f}): check the CRS."),
        "图层“{layer}”的坐标（{x:.0f}，{y:.0f}）在其高斯-克吕格坐标系 {crs} 下不在我国范围内"
        "（横坐标 {e_min:.0f}–{e_max:.0f}，纵坐标 {n_min:.0f}–{n_max:.0f}），请核对坐标系。"),
    "CRS_NOT_TRANSFORMABLE": (translatable(
        "Layer '{layer}': its coordinates ({x:.0f}, {y:.0f}) cannot be placed on the earth "
        "in its CRS {crs}: the CRS does not fit the coordinates."),
        "图层“{layer}”的坐标（{x:.0f}，{y:.0f}）在其坐标系 {crs} 下无法换算为经纬度，坐标系"
        "与坐标不符。"),
    "CRS_OUTSIDE_QIANNAN": (translatable(
        "Layer '{layer}' lies at {lon:.3f}°E, {lat:.3f}°N, outside Qiannan (zone-36 "
        "eastings {e_min:.0f}–{e_max:.0f}, northings {n_min:.0f}–{n_max:.0f}): check its CRS."),
        "图层“{layer}”位于东经 {lon:.3f}°、北纬 {lat:.3f}°，不在黔南州范围内（36 带横坐标 "
        "{e_min:.0f}–{e_max:.0f}，纵坐标 {n_min:.0f}–{n_max:.0f}），请核对坐标系。"),
    "CRS_ASSUMED": (translatable(
        "Layer '{layer}' has no usable CRS: {assumed} is assumed, as the setting "
        "{setting} says."),
        "图层“{layer}”没有可用的坐标系，按设置 {setting} 假定为 {assumed}。"),
}
# parts of the messages above ({hint}/{hint_zh}, {other_bands}/{other_bands_zh}): the
# translated template of a finding uses the Chinese part, the English one the English
HINT_WORDING = {
    "prefixed": (" (its eastings carry zone prefix {zone}: probably {epsg})",
                 "（横坐标带带号 {zone}，应为 {epsg}）"),
    "plain": (" (its coordinates look like a Gauss–Krüger zone without prefix: in Qiannan "
              "EPSG:4545, zone 36, CM 108°E, or EPSG:4544, zone 35, CM 105°E)",
              "（坐标像不带带号的高斯-克吕格 3 度带：黔南为 EPSG:4545（36 带，中央经线 108°）"
              "或 EPSG:4544（35 带，中央经线 105°））"),
    "degrees": (" (its coordinates look like longitude/latitude: probably EPSG:4490, "
                "CGCS2000)",
                "（坐标像经纬度，应为 EPSG:4490 CGCS2000）"),
}


@dataclass(frozen=True)
class CrsFacts:
    """What matters of a layer's CRS for these checks (filled in by qgis_io)."""
    valid: bool                  # a CRS is set
    defined: bool = True         # it can place coordinates on the earth (not a GPKG
    #                              'Undefined … SRS' or a local engineering CS)
    name: str = ""               # authority id or description, for the messages
    degrees: bool = False        # coordinates are longitude/latitude
    zone: GKZone | None = None   # a 3° Gauss–Krüger zone (any datum), with or without prefix


def crs_hint(bounds) -> tuple:
    """(English, Chinese) hint of the CRS the coordinates `bounds` (xmin, ymin, xmax,
    ymax) look like, ('', '') when they tell nothing."""
    if bounds is None or not np.all(np.isfinite(bounds)):
        return "", ""
    x, y = (bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0
    zone = int(x // 1_000_000)
    if FIRST_ZONE <= zone <= LAST_ZONE and NORTHING_RANGE[0] <= y <= NORTHING_RANGE[1]:
        en, zh = HINT_WORDING["prefixed"]
        epsg = f"EPSG:{cgcs2000_gk_epsg(zone, True)}"
        return en.format(zone=zone, epsg=epsg), zh.format(zone=zone, epsg=epsg)
    if 0 < x < 1_000_000 and NORTHING_RANGE[0] <= y <= NORTHING_RANGE[1]:
        return HINT_WORDING["plain"]
    if -180.0 <= x <= 180.0 and -90.0 <= y <= 90.0:
        return HINT_WORDING["degrees"]
    return "", ""


def crs_findings(facts: CrsFacts, bounds, layer: str = "", lonlat=None,
                 qiannan: bool = False) -> list:
    """Findings about a layer's CRS against its coordinates `bounds` (xmin, ymin, xmax,
    ymax; None or NaN when the layer is empty): ERROR when there is no CRS, an undefined
    one, or one the coordinates contradict (degrees out of range, a zone prefix where
    the CRS has none or the reverse, another zone's prefix, X/Y swapped); a WARNING for
    Gauss–Krüger coordinates outside China. `lonlat` (lon, lat of the centre; None when
    a projected CRS that is no GK zone cannot place it) gives CRS_NOT_TRANSFORMABLE when
    None; with `qiannan`, a WARNING when the centre lies outside Qiannan."""
    has_bounds = bounds is not None and bool(np.all(np.isfinite(bounds)))
    hint, hint_zh = crs_hint(bounds) if has_bounds else ("", "")
    if not facts.valid:
        return [finding(CRS_FINDINGS, ERROR, "CRS_MISSING", layer=layer, hint=hint,
                        hint_zh=hint_zh)]
    if not facts.defined:
        return [finding(CRS_FINDINGS, ERROR, "CRS_UNDEFINED", layer=layer, crs=facts.name,
                        hint=hint, hint_zh=hint_zh)]
    if not has_bounds:
        return []
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    x, y = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
    values = dict(layer=layer, crs=facts.name, x=x, y=y)
    if facts.degrees:
        if not (-180.0 <= xmin and xmax <= 360.0 and -90.0 <= ymin and ymax <= 90.0):
            return [finding(CRS_FINDINGS, ERROR, "CRS_DEGREES_OUT_OF_RANGE", hint=hint,
                            hint_zh=hint_zh, **values)]
        return _qiannan((x, y), layer) if qiannan else []
    if facts.zone is not None:
        found = _gk_findings(facts.zone, xmin, ymin, xmax, ymax, values)
        if found:
            return found
    elif lonlat is None:
        return [finding(CRS_FINDINGS, ERROR, "CRS_NOT_TRANSFORMABLE", **values)]
    return _qiannan(lonlat, layer) if qiannan and lonlat is not None else []


def _gk_findings(zone: GKZone, xmin, ymin, xmax, ymax, values) -> list:
    x, y = values["x"], values["y"]

    def prefix_of(v):
        z = int(v // 1_000_000) if v >= 1_000_000 else None
        return z if z is not None and FIRST_ZONE <= z <= LAST_ZONE else None

    x_zone, y_zone = prefix_of(x), prefix_of(y)
    if NORTHING_RANGE[0] <= x <= NORTHING_RANGE[1] and (0 < y < 1_000_000 or y_zone):
        return [finding(CRS_FINDINGS, ERROR, "CRS_AXES_SWAPPED", **values)]
    if not zone.prefixed and x_zone is not None:
        return [finding(CRS_FINDINGS, ERROR, "CRS_PREFIX_UNEXPECTED", zone_found=x_zone,
                        suggested=f"EPSG:{cgcs2000_gk_epsg(x_zone, True)}", **values)]
    if zone.prefixed and 0 < x < 1_000_000:
        return [finding(CRS_FINDINGS, ERROR, "CRS_PREFIX_MISSING", zone=zone.zone,
                        suggested=f"EPSG:{cgcs2000_gk_epsg(zone.zone, False)}", **values)]
    if zone.prefixed and x_zone is not None and x_zone != zone.zone:
        return [finding(CRS_FINDINGS, ERROR, "CRS_ZONE_MISMATCH", zone=zone.zone,
                        zone_found=x_zone, suggested=f"EPSG:{cgcs2000_gk_epsg(x_zone, True)}",
                        **values)]
    offset = zone.zone * 1_000_000.0 if zone.prefixed else 0.0
    e_min, e_max = EASTING_RANGE[0] + offset, EASTING_RANGE[1] + offset
    n_min, n_max = NORTHING_RANGE
    if xmin < e_min or xmax > e_max or ymin < n_min or ymax > n_max:
        return [finding(CRS_FINDINGS, WARNING, "CRS_GK_OUT_OF_RANGE", e_min=e_min, e_max=e_max,
                        n_min=n_min, n_max=n_max, **values)]
    return []


def _qiannan(lonlat, layer) -> list:
    """A warning when the point `lonlat` (CGCS2000 degrees) lies outside Qiannan's zone-36
    ranges (core.crs.in_qiannan)."""
    lon, lat = (float(v) for v in lonlat)
    east, north = to_qiannan_zone(lon, lat, CGCS2000_GEOGRAPHIC_EPSG)
    if in_qiannan(east, north).all():
        return []
    return [finding(CRS_FINDINGS, WARNING, "CRS_OUTSIDE_QIANNAN", layer=layer, lon=lon,
                    lat=lat, e_min=QIANNAN_EASTING[0], e_max=QIANNAN_EASTING[1],
                    n_min=QIANNAN_NORTHING[0], n_max=QIANNAN_NORTHING[1])]


# --------------------------------------------------------------------------- DEM
DEM_FINDINGS = {
    "DEM_BAND_MISSING": (translatable(
        "DEM '{layer}' has {bands} band(s): band {band} does not exist."),
        "DEM“{layer}”只有 {bands} 个波段，不存在第 {band} 波段。"),
    "DEM_ALL_NODATA": (translatable(
        "DEM '{layer}', band {band}: every cell under the parcels is nodata{other_bands}."),
        "DEM“{layer}”第 {band} 波段在图斑范围内全为无数据（nodata）{other_bands_zh}。"),
    "DEM_FLAT": (translatable(
        "DEM '{layer}', band {band}: every cell under the parcels has the value {value:g}: "
        "these are no elevations{other_bands}."),
        "DEM“{layer}”第 {band} 波段在图斑范围内所有像元均为 {value:g}，不是高程"
        "{other_bands_zh}。"),
    "DEM_TOO_FEW_CELLS": (translatable(
        "DEM '{layer}' has only {cols} × {rows} cells of {cell_x:g} × {cell_y:g} m over the "
        "parcels: a slope needs at least 3 × 3 cells. Use a DEM of finer resolution (e.g. "
        "{max_cell:g} m or finer)."),
        "DEM“{layer}”在图斑范围内只有 {cols} × {rows} 个 {cell_x:g} × {cell_y:g} 米的像元，"
        "计算坡度至少需要 3 × 3 个像元。请使用更高分辨率的 DEM（如 {max_cell:g} 米或更细）。"),
    "DEM_COARSE": (translatable(
        "DEM '{layer}': its cells of {cell_x:g} × {cell_y:g} m are coarser than {max_cell:g} m "
        "and larger than the median parcel ({median:.0f} m²): most parcels' slopes come "
        "from one or two cells. Use a finer DEM for parcel slopes."),
        "DEM“{layer}”像元为 {cell_x:g} × {cell_y:g} 米，粗于 {max_cell:g} 米且大于图斑面积"
        "中位数（{median:.0f} 平方米），多数图斑的坡度仅来自一两个像元。请使用更高分辨率的 DEM。"),
}
OTHER_BANDS_WORDING = (" (the DEM has {bands} bands: choose the band that holds the elevations, "
                       "parameter DEM_BAND)",
                       "（该 DEM 有 {bands} 个波段，请选择存放高程的波段，参数 DEM_BAND）")


def dem_findings(values, nodata, cell_x: float, cell_y: float, band: int = 1,
                 band_count: int = 1, layer: str = "", median_parcel_m2: float | None = None,
                 max_cell_m: float = 30.0) -> list:
    """Findings about the DEM window `values` (2-D) read for the parcels: ERROR when the
    band does not exist, when it holds fewer than 3 × 3 cells, only nodata or one value
    everywhere (not elevations: another band?); WARNING when its cells are coarser than
    `max_cell_m` and larger than the median parcel."""
    if band < 1 or band > band_count:
        return [finding(DEM_FINDINGS, ERROR, "DEM_BAND_MISSING", layer=layer, bands=band_count,
                        band=band)]
    grid = np.asarray(values)
    rows, cols = grid.shape if grid.ndim == 2 else (0, 0)
    common = dict(layer=layer, band=band, cell_x=float(cell_x), cell_y=float(cell_y))
    if band_count > 1:
        other = (OTHER_BANDS_WORDING[0].format(bands=band_count),
                 OTHER_BANDS_WORDING[1].format(bands=band_count))
    else:
        other = ("", "")
    if rows < 3 or cols < 3:
        return [finding(DEM_FINDINGS, ERROR, "DEM_TOO_FEW_CELLS", rows=rows, cols=cols,
                        max_cell=max_cell_m, **common)]
    valid = _valid_cells(grid, nodata)
    if valid is None:
        return [finding(DEM_FINDINGS, ERROR, "DEM_ALL_NODATA", other_bands=other[0],
                        other_bands_zh=other[1], **common)]
    lo, hi = valid
    if lo == hi:
        return [finding(DEM_FINDINGS, ERROR, "DEM_FLAT", value=lo, other_bands=other[0],
                        other_bands_zh=other[1], **common)]
    found = []
    if median_parcel_m2 is not None and max(cell_x, cell_y) > max_cell_m and \
            cell_x * cell_y > median_parcel_m2:
        found.append(finding(DEM_FINDINGS, WARNING, "DEM_COARSE", max_cell=max_cell_m,
                             median=float(median_parcel_m2), **common))
    return found


def _valid_cells(grid, nodata):
    """(min, max) of the cells that hold a value, None when none does; a thinned grid
    answers first (a county DEM window holds 10⁸ cells), the full one only when the
    thinned one is all nodata or flat."""
    for sample in (grid[::7, ::7], grid):
        mask = np.isfinite(sample)
        if nodata is not None and np.isfinite(nodata):
            mask &= sample != nodata
        if mask.any():
            lo, hi = float(sample[mask].min()), float(sample[mask].max())
            if lo != hi or sample is grid:
                return lo, hi
    return None
