"""Slope of a DEM (Horn's method, exactly as QGIS 3.22's native:slope computes it),
mean slope per parcel (exactly as native:zonalstatisticsfb averages it) and the
farmland slope grades GDPDJB.

QGIS rules reproduced here (verified against QGIS 3.22.16, see tests/core/test_slope.py
and tests/qgis/test_slope_farmland.py):
- slope: QgsDerivativeFilter/QgsNineCellFilter. Cells outside the raster count as
  nodata; a DEM without a nodata value has 0 as its nodata (GDAL's C API default); a missing neighbour pair falls back to the one-sided difference with half
  weight; a cell whose own value is nodata still gets a slope from its neighbours;
  the slope is nodata only when a derivative has no usable pair at all. In the
  y-derivative's left column QGIS tests the top-right neighbour where it means the
  bottom-left one (a quirk of QgsDerivativeFilter::calcFirstDerY); reproduced.
- zonal mean: cells whose centre lies strictly inside the polygon (GEOS contains,
  boundary excluded); when that finds <= 1 valid cell, the area-weighted mean of
  every cell the polygon overlaps (weight = overlap area / cell area).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from .geometry import box_overlap_areas, polygon_parts
from .parallel import slices, thread_map

# GDPDJB upper bounds in degrees: 1: <=2, 2: (2,6], 3: (6,15], 4: (15,25], 5: >25
SLOPE_GRADE_BOUNDS = (2.0, 6.0, 15.0, 25.0)
_STRIP_ROWS = 512


def slope_grade(mean_deg):
    """GDPDJB classes 1..5 for slopes in degrees (0 where the slope is NaN)."""
    deg = np.asarray(mean_deg, dtype=float)
    grade = np.searchsorted(np.asarray(SLOPE_GRADE_BOUNDS), deg, side="left") + 1
    return np.where(np.isnan(deg), 0, grade).astype(np.int8)


@dataclass
class Grid:
    """A north-up raster window: values[row, col], top-left corner (x0, y0), positive
    cell sizes; `nodata` is the raw nodata value (None when the raster has none)."""
    values: np.ndarray
    x0: float
    y0: float
    cell_x: float
    cell_y: float
    nodata: float | None = None
    crs_wkt: str = ""

    @property
    def shape(self):
        return self.values.shape

    @property
    def extent(self):
        """(xmin, ymin, xmax, ymax)."""
        rows, cols = self.values.shape
        return (self.x0, self.y0 - rows * self.cell_y, self.x0 + cols * self.cell_x, self.y0)


# QgsNineCellFilter reads the band's nodata with GDALGetRasterNoDataValue, which gives 0
# for a band without one: native:slope then treats cells of exactly 0 as nodata
NODATA_WHEN_UNSET = 0.0


def _nodata32(nodata):
    """The float32 nodata that raw float32 values can equal, or None. QGIS compares
    the float32 value with the double nodata: a nodata not representable in float32
    never matches. No nodata means NODATA_WHEN_UNSET, as in QGIS."""
    if nodata is None:
        nodata = NODATA_WHEN_UNSET
    nd = float(nodata)
    if np.isnan(nd):
        return None
    return np.float32(nd) if float(np.float32(nd)) == nd else None


def _valid(z32: np.ndarray, nodata) -> np.ndarray:
    nd = _nodata32(nodata)
    return np.ones(z32.shape, dtype=bool) if nd is None else z32 != nd


def horn_slope(dem: np.ndarray, cell_x: float, cell_y: float, nodata=None) -> np.ndarray:
    """Slope in degrees (float32, NaN where QGIS writes nodata) of a 2-D DEM array,
    Horn's 3x3 kernel exactly as QGIS 3.22 native:slope (z factor 1)."""
    z = np.asarray(dem, dtype=np.float32)
    rows, cols = z.shape
    out = np.empty((rows, cols), dtype=np.float32)
    valid = _valid(z, nodata)

    def strip(r0):
        r1 = min(rows, r0 + _STRIP_ROWS)
        lo, hi = max(0, r0 - 1), min(rows, r1 + 1)
        pad_z = np.zeros((r1 - r0 + 2, cols + 2), dtype=np.float32)
        pad_v = np.zeros((r1 - r0 + 2, cols + 2), dtype=bool)
        top = 1 - (r0 - lo)
        pad_z[top:top + hi - lo, 1:-1] = z[lo:hi]
        pad_v[top:top + hi - lo, 1:-1] = valid[lo:hi]
        out[r0:r1] = _horn_block(pad_z, pad_v, float(cell_x), float(cell_y))

    thread_map(strip, range(0, rows, _STRIP_ROWS))
    return out


def _horn_block(pad_z, pad_v, cell_x, cell_y):
    """Slope of the inner cells of a padded block: the plain Horn formula where all nine
    cells are valid, QGIS's fallback rules (on the gathered cells) elsewhere."""
    rows, cols = pad_z.shape[0] - 2, pad_z.shape[1] - 2

    def w(a, d):
        return a[1 + d[0]:1 + d[0] + rows, 1 + d[1]:1 + d[1] + cols]

    f0 = np.float32(2)
    dx = (w(pad_z, (-1, 1)) - w(pad_z, (-1, -1))).astype(np.float64)
    dx += f0 * (w(pad_z, (0, 1)) - w(pad_z, (0, -1)))
    dx += w(pad_z, (1, 1)) - w(pad_z, (1, -1))
    dx /= 8 * abs(cell_x)
    dy = (w(pad_z, (-1, -1)) - w(pad_z, (1, -1))).astype(np.float64)
    dy += f0 * (w(pad_z, (-1, 0)) - w(pad_z, (1, 0)))
    dy += w(pad_z, (-1, 1)) - w(pad_z, (1, 1))
    dy /= 8 * abs(cell_y)
    dx, dy = dx.astype(np.float32), dy.astype(np.float32)
    complete = np.ones((rows, cols), dtype=bool)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            complete &= w(pad_v, (dr, dc))
    rr, cc = np.nonzero(~complete)
    if len(rr):
        dx[rr, cc], dy[rr, cc] = _horn_fallback(pad_z, pad_v, rr, cc, cell_x, cell_y)
    with np.errstate(invalid="ignore"):
        return (np.arctan(np.sqrt(dx * dx + dy * dy)) * (180.0 / np.pi)).astype(np.float32)


def _horn_fallback(pad_z, pad_v, rr, cc, cell_x, cell_y):
    """QgsDerivativeFilter's derivatives for cells with missing neighbours (NaN where
    QGIS writes nodata)."""
    def w(a, d):
        return a[1 + rr + d[0], 1 + cc + d[1]]

    def derivative(terms, cell):
        # per line of three cells (a, m, b): both ends valid -> f*(b-a), weight 2f; else b
        # missing and a, m valid -> f*(m-a), weight f; else `guard` missing and b, m valid
        # -> f*(b-m), weight f
        total = np.zeros(len(rr), dtype=np.float64)
        weight = np.zeros(len(rr), dtype=np.int32)
        for a, m, b, guard, f in terms:
            za, zm, zb = w(pad_z, a), w(pad_z, m), w(pad_z, b)
            va, vm, vb, vg = w(pad_v, a), w(pad_v, m), w(pad_v, b), w(pad_v, guard)
            ff = np.float32(f)
            both = va & vb
            only_a = ~both & ~vb & va & vm
            only_b = ~both & ~only_a & ~vg & vb & vm
            total += np.where(both, ff * (zb - za), np.float32(0))
            total += np.where(only_a, ff * (zm - za), np.float32(0))
            total += np.where(only_b, ff * (zb - zm), np.float32(0))
            weight += np.where(both, 2 * f, 0) + np.where(only_a | only_b, f, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(weight > 0, total / (weight * abs(cell)), np.nan).astype(np.float32)

    # x: each row (top, middle, bottom), a = west, b = east, weights 1, 2, 1
    dx = derivative([((r, -1), (r, 0), (r, 1), (r, -1), f) for r, f in ((-1, 1), (0, 2), (1, 1))],
                    cell_x)
    # y: each column (left, middle, right), a = south, b = north; QGIS's left-column
    # fallback tests the top-right cell instead of the bottom-left one
    dy = derivative([((1, c), (0, c), (-1, c), (-1, 1) if c == -1 else (1, c), f)
                     for c, f in ((-1, 1), (0, 2), (1, 1))], cell_y)
    bad = np.isnan(dx) | np.isnan(dy)
    dx[bad] = np.nan
    dy[bad] = np.nan
    return dx, dy


# --- cell-centre rasterisation -------------------------------------------------

def centre_runs(geoms, grid: Grid):
    """Runs of cells whose centre lies strictly inside each polygon:
    (parcel index, row, first col, end col exclusive) as int64 arrays. A scanline
    fill on the row centre lines, even-odd over all rings, boundary excluded."""
    rows, cols = grid.shape
    empty = (np.zeros(0, np.int64),) * 4
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return empty
    polys, pidx = polygon_parts(geoms)
    if len(polys) == 0:
        return empty
    rings, ridx = shapely.get_rings(polys, return_index=True)
    coords, cidx = shapely.get_coordinates(rings, return_index=True)
    if len(coords) < 2:
        return empty
    u = (coords[:, 0] - grid.x0) / grid.cell_x
    v = (grid.y0 - coords[:, 1]) / grid.cell_y
    same = cidx[:-1] == cidx[1:]
    u1, v1, u2, v2 = u[:-1][same], v[:-1][same], u[1:][same], v[1:][same]
    owner = pidx[ridx[cidx[:-1][same]]].astype(np.int64)
    vmin, vmax = np.minimum(v1, v2), np.maximum(v1, v2)
    # rows whose centre line v = r + 0.5 lies in [vmin, vmax)
    r_start = np.clip(np.ceil(vmin - 0.5), 0, rows).astype(np.int64)
    r_end = np.clip(np.ceil(vmax - 0.5), 0, rows).astype(np.int64)
    n = np.maximum(r_end - r_start, 0)
    total = int(n.sum())
    if total == 0:
        return empty
    e = np.repeat(np.arange(len(n)), n)
    first = np.repeat(np.cumsum(n) - n, n)
    row = r_start[e] + (np.arange(total) - first)
    vc = row + 0.5
    x = u1[e] + (vc - v1[e]) * (u2[e] - u1[e]) / (v2[e] - v1[e])
    par = owner[e]
    order = np.lexsort((x, row, par))
    par, row, x = par[order], row[order], x[order]
    # every (parcel, row) group holds an even number of crossings: pair them
    runs = (par[0::2], row[0::2], x[0::2], x[1::2])
    c0 = np.clip(np.floor(runs[2] - 0.5) + 1, 0, cols).astype(np.int64)
    c1 = np.clip(np.ceil(runs[3] - 0.5), 0, cols).astype(np.int64)
    ok = c1 > c0
    par_r, row_r, c0, c1 = runs[0][ok], runs[1][ok], c0[ok], c1[ok]
    # cells whose centre is on (or within rounding of) the boundary are decided by GEOS:
    # centres near a crossing, on a horizontal edge along a centre line, or on a vertex
    near = np.round(x - 0.5)
    amb = np.abs(x - 0.5 - near) < _EPS
    a_par, a_row, a_col = [par[amb]], [row[amb]], [near[amb].astype(np.int64)]
    on_line = np.abs(v1 - 0.5 - np.round(v1 - 0.5)) < _EPS
    flat = on_line & (np.abs(v2 - v1) < _EPS)
    if flat.any():
        lo = np.ceil(np.minimum(u1[flat], u2[flat]) - 0.5 - _EPS).astype(np.int64)
        hi = np.floor(np.maximum(u1[flat], u2[flat]) - 0.5 + _EPS).astype(np.int64) + 1
        k = np.maximum(hi - lo, 0)
        a_par.append(np.repeat(owner[flat], k))
        a_row.append(np.repeat(np.round(v1[flat] - 0.5).astype(np.int64), k))
        a_col.append(np.repeat(lo, k) + (np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)))
    corner = on_line & (np.abs(u1 - 0.5 - np.round(u1 - 0.5)) < _EPS)
    if corner.any():
        a_par.append(owner[corner])
        a_row.append(np.round(v1[corner] - 0.5).astype(np.int64))
        a_col.append(np.round(u1[corner] - 0.5).astype(np.int64))
    a_par, a_row, a_col = (np.concatenate(a) for a in (a_par, a_row, a_col))
    inside = (a_row >= 0) & (a_row < rows) & (a_col >= 0) & (a_col < cols)
    if inside.any():
        return _resolve_cells(par_r, row_r, c0, c1, a_par[inside], a_row[inside],
                              a_col[inside], geoms, grid)
    return par_r, row_r, c0, c1


_EPS = 1e-7   # in cell units
_TOUCH = 1e-10   # overlap (share of a cell) below which a cell is only touched, not covered
_RUN_CHUNK = 40_000  # parcels per centre_runs call: bounds the vertex arrays' memory


def _centre_runs_in_chunks(geoms, grid: Grid, chunk: int = _RUN_CHUNK):
    """centre_runs over slices of `geoms` (same runs, parcel indices offset back), so a
    county's millions of vertices are never all expanded at once."""
    def piece(start):
        par, row, c0, c1 = centre_runs(geoms[start:start + chunk], grid)
        return par + start, row, c0, c1

    pieces = thread_map(piece, range(0, len(geoms), chunk))
    if not pieces:
        return centre_runs(geoms, grid)
    return tuple(np.concatenate(column) for column in zip(*pieces))


def _resolve_cells(par, row, c0, c1, a_par, a_row, a_col, geoms, grid):
    """Take the ambiguous cells out of the runs, then put back those whose centre GEOS
    finds strictly inside (QGIS's QgsGeos::contains)."""
    rows, cols = grid.shape
    key = np.unique((a_par * rows + a_row) * cols + a_col)
    a_par, rest = np.divmod(key, rows * cols)
    a_row, a_col = np.divmod(rest, cols)
    group = par * rows + row
    touched = np.isin(group, np.unique(a_par * rows + a_row))
    length = c1[touched] - c0[touched]
    s = np.repeat(np.cumsum(length) - length, length)
    cell_col = np.repeat(c0[touched], length) + (np.arange(int(length.sum())) - s)
    cell_par, cell_row = np.repeat(par[touched], length), np.repeat(row[touched], length)
    keep = ~np.isin((cell_par * rows + cell_row) * cols + cell_col, key)
    cx = grid.x0 + (a_col + 0.5) * grid.cell_x
    cy = grid.y0 - (a_row + 0.5) * grid.cell_y
    geoms = np.asarray(geoms, dtype=object)
    back = shapely.contains_xy(geoms[a_par], cx, cy)
    par = np.concatenate([par[~touched], cell_par[keep], a_par[back]])
    row = np.concatenate([row[~touched], cell_row[keep], a_row[back]])
    first = np.concatenate([c0[~touched], cell_col[keep], a_col[back]])
    end = np.concatenate([c1[~touched], cell_col[keep] + 1, a_col[back] + 1])
    return par, row, first, end


# --- zonal statistics of the slope ------------------------------------------------

def zonal_slope(slope: np.ndarray, grid: Grid, geoms, threshold: float,
                is_canceled=None) -> pd.DataFrame:
    """Per parcel: PD_MEAN (mean slope, degrees), PD_GT (% of cells steeper than
    `threshold`), PD_N (cells counted: centre cells, or the summed overlap weights for a
    parcel with <= 1 centre cell, as QGIS zonal statistics counts them), PD_EXACT
    (True where the area-weighted rule was used). NaN where no valid cell."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    rows, cols = slope.shape
    par, row, c0, c1 = _centre_runs_in_chunks(geoms, grid)
    total = np.zeros(n)
    count = np.zeros(n)
    steep = np.zeros(n)
    order = np.argsort(row, kind="stable")
    par, row, c0, c1 = par[order], row[order], c0[order], c1[order]
    bounds = np.searchsorted(row, np.arange(0, rows + _STRIP_ROWS, _STRIP_ROWS))

    def strip(k):
        r0 = k * _STRIP_ROWS
        i0, i1 = bounds[k], bounds[k + 1]
        if i1 <= i0 or (is_canceled is not None and is_canceled()):
            return None
        block = slope[r0:r0 + _STRIP_ROWS]
        good = ~np.isnan(block)
        cum_v = _row_cumsum(np.where(good, block, 0.0).astype(np.float64))
        cum_n = _row_cumsum(good.astype(np.int32))
        cum_g = _row_cumsum((good & (block > threshold)).astype(np.int32))
        rr = row[i0:i1] - r0
        p = par[i0:i1]
        a, b = c0[i0:i1], c1[i0:i1]
        return (np.bincount(p, cum_v[rr, b] - cum_v[rr, a], minlength=n),
                np.bincount(p, cum_n[rr, b] - cum_n[rr, a], minlength=n),
                np.bincount(p, cum_g[rr, b] - cum_g[rr, a], minlength=n))

    for sums in thread_map(strip, range(len(bounds) - 1)):
        if sums is not None:
            total += sums[0]
            count += sums[1]
            steep += sums[2]
    if is_canceled is not None and is_canceled():
        return None
    exact = (count <= 1) & ~shapely.is_missing(geoms)
    if exact.any():
        idx = np.flatnonzero(exact)
        for part, sums in zip(slices(len(idx)), thread_map(
                lambda part: area_weighted(slope, grid, geoms[idx[part]], threshold),
                slices(len(idx)))):
            total[idx[part]], count[idx[part]], steep[idx[part]] = sums
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
        share = np.where(count > 0, 100.0 * steep / count, np.nan)
    return pd.DataFrame({"PD_MEAN": mean, "PD_GT": share, "PD_N": count, "PD_EXACT": exact})


def _row_cumsum(a):
    out = np.zeros((a.shape[0], a.shape[1] + 1), dtype=np.float64 if a.dtype.kind == "f"
                   else np.int64)
    np.cumsum(a, axis=1, out=out[:, 1:])
    return out


def area_weighted(slope: np.ndarray, grid: Grid, geoms, threshold: float):
    """(Σ value·weight, Σ weight, Σ weight of steep cells) per polygon over the cells
    of its bounding box, weight = overlap area / cell area (QGIS's precise rule)."""
    rows, cols = slope.shape
    xmin, ymin, xmax, ymax = grid.extent
    b = shapely.bounds(geoms)
    ok = ~np.isnan(b[:, 0])
    b = np.where(ok[:, None], b, 0.0)
    ix0 = np.maximum(b[:, 0], xmin)
    iy1 = np.minimum(b[:, 3], ymax)
    ix1 = np.minimum(b[:, 2], xmax)
    iy0 = np.maximum(b[:, 1], ymin)
    ok &= (ix1 >= ix0) & (iy1 >= iy0)
    off_x = np.floor((ix0 - xmin) / grid.cell_x).astype(np.int64)
    off_y = np.floor((ymax - iy1) / grid.cell_y).astype(np.int64)
    max_c = np.floor((ix1 - xmin) / grid.cell_x).astype(np.int64) + 1
    max_r = np.floor((ymax - iy0) / grid.cell_y).astype(np.int64) + 1
    max_c, max_r = np.minimum(max_c, cols), np.minimum(max_r, rows)
    nx, ny = np.where(ok, max_c - off_x, 0).clip(0), np.where(ok, max_r - off_y, 0).clip(0)
    ncell = nx * ny
    k = len(geoms)
    total, weight, steep = np.zeros(k), np.zeros(k), np.zeros(k)
    if ncell.sum() == 0:
        return total, weight, steep
    owner = np.repeat(np.arange(k), ncell)
    local = np.arange(int(ncell.sum())) - np.repeat(np.cumsum(ncell) - ncell, ncell)
    col = off_x[owner] + local % nx[owner]
    row = off_y[owner] + local // nx[owner]
    value = slope[row, col]
    good = ~np.isnan(value)
    owner, row, col, value = owner[good], row[good], col[good], value[good]
    x0 = xmin + col * grid.cell_x
    y1 = ymax - row * grid.cell_y
    area = box_overlap_areas(geoms, owner, x0, y1 - grid.cell_y, x0 + grid.cell_x, y1)
    w = area / (grid.cell_x * grid.cell_y)
    pos = w > _TOUCH
    owner, value, w = owner[pos], value[pos].astype(np.float64), w[pos]
    total = np.bincount(owner, value * w, minlength=k)
    weight = np.bincount(owner, w, minlength=k)
    steep = np.bincount(owner, w * (value > threshold), minlength=k)
    return total, weight, steep


def parcel_slope(grid: Grid, geoms, threshold: float = 25.0, is_canceled=None) -> pd.DataFrame:
    """Mean Horn slope per parcel as native:slope + native:zonalstatisticsfb give it:
    DataFrame[PD_MEAN, PD_GT, PD_N, PD_EXACT], one row per geometry (in grid's CRS)."""
    slope = horn_slope(grid.values, grid.cell_x, grid.cell_y, grid.nodata)
    if is_canceled is not None and is_canceled():
        return None
    return zonal_slope(slope, grid, geoms, threshold, is_canceled)
