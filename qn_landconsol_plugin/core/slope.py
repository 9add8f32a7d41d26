"""Slope of a DEM (Horn's method, as QGIS's native:slope computes it) and the
farmland slope grades GDPDJB."""
from __future__ import annotations

import numpy as np

# GDPDJB upper bounds in degrees: 1: <=2, 2: (2,6], 3: (6,15], 4: (15,25], 5: >25
SLOPE_GRADE_BOUNDS = (2.0, 6.0, 15.0, 25.0)


def slope_grade(mean_deg):
    """GDPDJB classes 1..5 for slopes in degrees (0 where the slope is NaN)."""
    deg = np.asarray(mean_deg, dtype=float)
    grade = np.searchsorted(np.asarray(SLOPE_GRADE_BOUNDS), deg, side="left") + 1
    return np.where(np.isnan(deg), 0, grade).astype(np.int8)


def horn_slope(dem: np.ndarray, cell_x: float, cell_y: float, nodata=None) -> np.ndarray:
    """Slope in degrees (float32, NaN where undefined) of a 2-D DEM array, Horn's
    3x3 kernel with QGIS's border rule: a missing neighbour pair falls back to the
    one-sided difference with half weight."""
    z = np.asarray(dem, dtype=np.float32)
    valid = np.isfinite(z)
    if nodata is not None:
        valid &= z != np.float32(nodata)
    pad_z = np.pad(np.where(valid, z, 0).astype(np.float32), 1)
    pad_v = np.pad(valid, 1)
    rows, cols = z.shape

    def win(a, dr, dc):
        return a[1 + dr:1 + dr + rows, 1 + dc:1 + dc + cols]

    def derivative(axis_pairs, cell):
        total = np.zeros(z.shape, dtype=np.float64)
        weight = np.zeros(z.shape, dtype=np.float64)
        for (hi, lo, mid), w in axis_pairs:
            zh, zl, zm = win(pad_z, *hi), win(pad_z, *lo), win(pad_z, *mid)
            vh, vl, vm = win(pad_v, *hi), win(pad_v, *lo), win(pad_v, *mid)
            both = vh & vl
            only_lo = ~vh & vl & vm
            only_hi = vh & ~vl & vm
            total += np.where(both, w * (zh - zl), 0.0)
            total += np.where(only_lo, w * (zm - zl), 0.0)
            total += np.where(only_hi, w * (zh - zm), 0.0)
            weight += np.where(both, 2 * w, 0) + np.where(only_lo | only_hi, w, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(weight > 0, total / (weight * cell), np.nan)

    # x: east minus west per row (top, middle, bottom), weights 1,2,1
    dx = derivative([(((-1, 1), (-1, -1), (-1, 0)), 1), (((0, 1), (0, -1), (0, 0)), 2),
                     (((1, 1), (1, -1), (1, 0)), 1)], abs(cell_x))
    # y: north minus south per column
    dy = derivative([(((-1, -1), (1, -1), (0, -1)), 1), (((-1, 0), (1, 0), (0, 0)), 2),
                     (((-1, 1), (1, 1), (0, 1)), 1)], abs(cell_y))
    out = np.degrees(np.arctan(np.sqrt(dx * dx + dy * dy))).astype(np.float32)
    out[~valid] = np.nan
    return out
