"""Fengcong-wadi (峰丛洼地) karst terrain: the valley-floor weight and the 10 m DEM."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from scipy import ndimage

from .site import HIGHWAY, HOME_SPACING, INDUSTRY_SPACING, ROAD, TOWN_SPACING, settlement_reach


CELL = 10.0                      # DEM cell size, m
COARSE = 4                       # coarse terrain grid = COARSE x CELL
NODATA = -9999.0


@dataclass
class Grid:
    """DEM raster geometry; row 0 is the northern edge."""
    x0: float
    y1: float
    nx: int
    ny: int
    cell: float = CELL

    @property
    def geotransform(self):
        return (self.x0, self.cell, 0.0, self.y1, 0.0, -self.cell)

    def coarse_index(self, xy):
        """(row, col) on the COARSE grid of points, clipped to the grid."""
        c = self.cell * COARSE
        col = np.clip(((xy[:, 0] - self.x0) // c).astype(int), 0, self.nx // COARSE - 1)
        row = np.clip(((self.y1 - xy[:, 1]) // c).astype(int), 0, self.ny // COARSE - 1)
        return row, col

    def index(self, xy):
        """(row, col) on the full grid of points, clipped to the grid."""
        col = np.clip(((xy[:, 0] - self.x0) // self.cell).astype(int), 0, self.nx - 1)
        row = np.clip(((self.y1 - xy[:, 1]) // self.cell).astype(int), 0, self.ny - 1)
        return row, col


def grid_for(boundary) -> Grid:
    """DEM grid covering the boundary plus 200 m, sized in whole coarse cells."""
    step = CELL * COARSE
    minx, miny, maxx, maxy = boundary.bounds
    x0 = math.floor((minx - 200) / step) * step
    y0 = math.floor((miny - 200) / step) * step
    x1 = math.ceil((maxx + 200) / step) * step
    y1 = math.ceil((maxy + 200) / step) * step
    return Grid(x0, y1, int(round((x1 - x0) / CELL)), int(round((y1 - y0) / CELL)))


def basin_field(rng, site, grid) -> np.ndarray:
    """Valley-floor weight (1 in 坝子 and along road valleys, 0 among the cones), coarse grid."""
    shape = (grid.ny // COARSE, grid.nx // COARSE)
    step = grid.cell * COARSE
    centres = np.concatenate([site.village_xy, site.hamlet_xy, site.town_seat, site.industry_xy])
    radii = np.concatenate([
        rng.uniform(280, 520, len(site.village_xy)),
        [settlement_reach(n, HOME_SPACING) + rng.uniform(60, 160) for n in site.hamlet_n],
        [settlement_reach(n, TOWN_SPACING) + 300 for n in site.town_core_n],
        [settlement_reach(n, INDUSTRY_SPACING) + 100 for n in site.industry_n]])
    s_centre = _scaled_distance(grid, shape, centres, radii)
    lines = [line for line, _, kind in site.lines if kind in (HIGHWAY, ROAD)]
    pts = shapely.get_coordinates(shapely.segmentize(np.array(lines, dtype=object), step / 2))
    width = 110.0 * (1.0 + 0.55 * smooth_noise(rng, shape, 1500.0 / step))
    s_line = _scaled_distance(grid, shape, pts, None) / np.maximum(width, 30.0)
    s = ndimage.gaussian_filter(np.minimum(s_centre, s_line), 1.0)   # no 40 m stair-steps
    return (1.0 - _smoothstep(0.8, 1.7, s)).astype(np.float32)


def _scaled_distance(grid, shape, xy, radii) -> np.ndarray:
    """Distance (m) of each coarse cell to the nearest point, divided by that point's radius."""
    row, col = grid.coarse_index(xy)
    background = np.ones(shape, bool)
    background[row, col] = False
    if radii is None:
        return ndimage.distance_transform_edt(background, sampling=grid.cell * COARSE)
    label = np.zeros(shape, np.int32)
    label[row, col] = np.arange(len(xy)) + 1
    dist, (ir, ic) = ndimage.distance_transform_edt(background, sampling=grid.cell * COARSE,
                                                    return_indices=True)
    return dist / np.asarray(radii)[label[ir, ic] - 1]


def karst_dem(rng, grid, basin, steps) -> np.ndarray:
    """Fengcong-wadi karst: conical peaks on a raised footing with closed depressions
    between them, rising from flat valley floors; Float32, about 650–1,450 m."""
    coarse_shape = basin.shape
    step = grid.cell * COARSE
    x_km = (np.arange(coarse_shape[1]) - coarse_shape[1] / 2)[None, :] * step / 1000.0
    tilt = x_km * rng.uniform(-6.0, 6.0)          # regional gradient, m per km
    base = 880.0 + 140.0 * np.tanh(smooth_noise(rng, coarse_shape, 5000.0 / step)) + tilt
    base += 1.0 * smooth_noise(rng, coarse_shape, 200.0 / step)
    footing = 55.0 + 25.0 * smooth_noise(rng, coarse_shape, 2500.0 / step)
    gradient = np.clip(0.75 + 0.2 * smooth_noise(rng, coarse_shape, 1500.0 / step), 0.45, 1.0)
    dem = _upsample(base)
    del base
    steps(9, "modelling karst cones")
    relief = _cones(rng, grid)
    relief += _upsample(footing)
    np.minimum(relief, _valley_margin_cap(basin, gradient, grid), out=relief)
    dem += relief
    del relief
    steps(15, "smoothing the DEM")
    dem = ndimage.gaussian_filter(dem, 1.5, mode="nearest")
    return np.clip(dem, 560.0, 1590.0).astype(np.float32)


def _valley_margin_cap(basin, gradient, grid) -> np.ndarray:
    """Largest height above the valley floor: 0 on valley floors (basin > 0.9), rising at
    slopes of atan(gradient) (about 25–45°) with the distance from them; full grid."""
    valley = _upsample(basin) > 0.9
    if not valley.any():
        return np.full(valley.shape, 1e4, np.float32)
    dist = ndimage.distance_transform_edt(~valley, sampling=grid.cell).astype(np.float32)
    del valley
    dist *= _upsample(gradient)
    return dist


def _cones(rng, grid, spacing=400.0, rows_per_block=256) -> np.ndarray:
    """Cone heights (m) over the full grid: the highest cone reaching each cell; where
    none reaches, closed depressions (洼地) open up."""
    # Peaks sit on a jittered lattice and reach < 1.35 lattice steps from their node, so
    # within each of the 9 lattice classes (i mod 3, j mod 3) only the node nearest by
    # index can reach a cell: the field is a vectorised max over 9 passes.
    i0 = math.floor(grid.x0 / spacing) - 2
    j0 = math.floor((grid.y1 - grid.ny * grid.cell) / spacing) - 2
    n_i = int(math.ceil(grid.nx * grid.cell / spacing)) + 5
    n_j = int(math.ceil(grid.ny * grid.cell / spacing)) + 5
    jj, ii = np.meshgrid(np.arange(n_j) + j0, np.arange(n_i) + i0, indexing="ij")
    px = ((ii + rng.uniform(-0.45, 0.45, ii.shape)) * spacing).astype(np.float32)
    py = ((jj + rng.uniform(-0.45, 0.45, jj.shape)) * spacing).astype(np.float32)
    height = rng.uniform(50.0, 180.0, ii.shape).astype(np.float32)
    height[rng.random(ii.shape) < 0.12] = 0.0          # missing cones widen depressions
    reach = (spacing * rng.uniform(0.55, 0.9, ii.shape)).astype(np.float32)
    xs = (grid.x0 + (np.arange(grid.nx) + 0.5) * grid.cell).astype(np.float32)
    ys = (grid.y1 - (np.arange(grid.ny) + 0.5) * grid.cell).astype(np.float32)
    out = np.zeros((grid.ny, grid.nx), np.float32)
    for a in range(3):
        col_node = _class_nearest(xs / spacing - i0, a, n_i)
        for b in range(3):
            row_node = _class_nearest(ys / spacing - j0, b, n_j)
            for r0 in range(0, grid.ny, rows_per_block):
                rows = slice(r0, min(grid.ny, r0 + rows_per_block))
                node = (row_node[rows][:, None], col_node[None, :])
                d = np.hypot(xs[None, :] - px[node], ys[rows][:, None] - py[node])
                t = np.clip(1.0 - d / reach[node], 0.0, 1.0)
                # smoothstep profile: rounded summit, steepest mid-flank, concave foot
                np.maximum(out[rows], height[node] * t * t * (3 - 2 * t), out=out[rows])
    return out


def _class_nearest(u, a, n) -> np.ndarray:
    """Index of the lattice node of class a (index mod 3 == a) nearest to coordinates u."""
    return np.clip(a + 3 * np.round((u - a) / 3.0), 0, n - 1).astype(np.intp)


def smooth_noise(rng, shape, sigma) -> np.ndarray:
    """Stationary smooth Gaussian noise of unit variance (in expectation, so a small grid
    varies less than a large one); sigma in cells, large ones computed on a coarser grid."""
    factor = max(1, int(sigma // 3))
    s = sigma / factor
    pad = int(math.ceil(3 * s))
    small = (shape[0] // factor + 3 + 2 * pad, shape[1] // factor + 3 + 2 * pad)
    field = ndimage.gaussian_filter(rng.standard_normal(small), s, mode="wrap")
    field = field[pad:-pad, pad:-pad] * (2.0 * math.sqrt(math.pi) * s)
    if factor > 1:
        field = ndimage.zoom(field, factor, order=3, grid_mode=True, mode="reflect")
    return field[:shape[0], :shape[1]]


def _upsample(coarse) -> np.ndarray:
    """Bilinear COARSE-fold enlargement (cell areas aligned), float32."""
    return ndimage.zoom(np.asarray(coarse, np.float32), COARSE, order=1, grid_mode=True,
                        mode="nearest")


def _smoothstep(lo, hi, x):
    """0 below lo, 1 above hi, a smooth cubic between."""
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def sample_coarse(field_, grid, xy) -> np.ndarray:
    """Values of a coarse-grid field at points."""
    row, col = grid.coarse_index(xy)
    return field_[row, col]
