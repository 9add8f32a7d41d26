"""The parcel tessellation: Voronoi cells of clustered seeds clipped to the township,
roads and ditches cut out as their own parcels, and each parcel's terrain figures."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from osgeo import gdal, ogr
from scipy.spatial import cKDTree
from shapely.errors import GEOSException

from ..core.slope import horn_slope
from .gdal_env import EPSG, spatial_ref
from .site import (DITCH, GENERAL, HAMLET_RING, HIGHWAY, HOME_SPACING, HOMESTEAD, INDUSTRY,
                   INDUSTRY_SPACING, ROAD, SPLIT_ALLOWANCE, TOWN, TOWN_SPACING, index_groups)
from .terrain import NODATA, sample_coarse


@dataclass
class Parcels:
    """The tessellation: one row per parcel."""
    geoms: np.ndarray
    village: np.ndarray
    kind: np.ndarray
    width: np.ndarray
    group: np.ndarray = None
    slope: np.ndarray = None
    elev: np.ndarray = None
    basin: np.ndarray = None
    area: np.ndarray = None
    code: np.ndarray = None
    village_polys: list = None     # union of each village's parcels


PARCEL_PRECISION_M = 0.001


def tessellate(rng, site, grid, basin, n_parcels, steps) -> Parcels:
    """Voronoi cells of clustered seeds, clipped to the boundary, with roads and ditches
    cut out as their own parcels."""
    seeds, kind = _seeds(rng, site, grid, basin, n_parcels)
    steps(30, "building Voronoi cells")
    cells = _voronoi_cells(seeds, shapely.box(*_grid_bounds(grid)))
    cells = _clip_to(cells, site.boundary)
    village = _village_of(rng, site, seeds)
    steps(35, "cutting roads and ditches")
    village_polys = _union_by(cells, village, len(site.village_xy))
    pieces, p_village, p_kind, p_width = _linear_pieces(site, village_polys, steps)
    cells, c_index = _cut_cells(cells, village, pieces, p_village)
    # snap to a 1 mm grid, as surveyed 三调 coordinates are: edges shared by two parcels
    # then have identical vertices instead of ones 1e-10 m apart
    geoms = shapely.set_precision(np.concatenate([cells, pieces]), PARCEL_PRECISION_M)
    return Parcels(geoms=geoms,
                   village=np.concatenate([village[c_index], p_village]),
                   kind=np.concatenate([kind[c_index], p_kind]),
                   width=np.concatenate([np.full(len(cells), np.nan), p_width]),
                   village_polys=village_polys)


def _voronoi_cells(seeds, extent) -> np.ndarray:
    """Voronoi cell of each seed, in seed order (GEOS returns them unordered before 3.12)."""
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds),
                                                       extend_to=extent))
    seed_idx, cell_idx = shapely.STRtree(cells).query(shapely.points(seeds),
                                                      predicate="intersects")
    cell_of = np.full(len(seeds), -1)
    cell_of[seed_idx] = cell_idx
    if (cell_of < 0).any():
        raise RuntimeError("Voronoi cells do not match their seeds")
    return cells[cell_of]


def _grid_bounds(grid):
    """(minx, miny, maxx, maxy) of the grid."""
    return (grid.x0, grid.y1 - grid.ny * grid.cell, grid.x0 + grid.nx * grid.cell, grid.y1)


def _seeds(rng, site, grid, basin, n_parcels):
    """Seed points and their kind: homestead and town cores with a fringe of small plots,
    industrial parks, and terrain-weighted general seeds (denser in valleys)."""
    parts, kinds, zones = [], [], []

    def settlement(shape, spacing, core_kind, fringe=True):
        core = _grid_points_in(rng, shape, spacing)
        parts.append(core)
        kinds.append(np.full(len(core), core_kind))
        zone = shape.buffer(60.0 if fringe else 30.0)
        if fringe:
            ring = _grid_points_in(rng, zone.difference(shape.buffer(0.6 * spacing)), 34.0,
                                   jitter=0.35)
            parts.append(ring)
            kinds.append(np.full(len(ring), HAMLET_RING))
        zones.append(zone.buffer(25.0))

    for shape in site.hamlet_shape:
        settlement(shape, HOME_SPACING, HOMESTEAD)
    for shape in site.town_shape:
        settlement(shape, TOWN_SPACING, TOWN)
    for shape in site.industry_shape:
        settlement(shape, INDUSTRY_SPACING, INDUSTRY, fringe=False)
    clustered = np.concatenate(parts)
    clustered_kind = np.concatenate(kinds)
    n_general = max(10, n_parcels - len(clustered) - int(SPLIT_ALLOWANCE * n_parcels))
    general = _general_seeds(rng, site, grid, basin, n_general, shapely.union_all(zones))
    seeds = np.concatenate([clustered, general])
    kind = np.concatenate([clustered_kind, np.full(len(general), GENERAL)])
    inside = shapely.contains_xy(site.boundary, seeds[:, 0], seeds[:, 1])
    seeds, kind = seeds[inside], kind[inside]
    keep = _drop_close(seeds, kind, 2.0)
    return seeds[keep], kind[keep]


def _grid_points_in(rng, shape, spacing, jitter=0.22) -> np.ndarray:
    """Jittered square-grid points (randomly offset grid) inside shape."""
    minx, miny, maxx, maxy = shape.bounds
    x = np.arange(minx, maxx + spacing, spacing) + rng.uniform(0, spacing)
    y = np.arange(miny, maxy + spacing, spacing) + rng.uniform(0, spacing)
    gx, gy = (a.ravel() for a in np.meshgrid(x, y))
    inside = shapely.contains_xy(shape, gx, gy)
    pts = np.column_stack([gx[inside], gy[inside]])
    return pts + rng.uniform(-jitter, jitter, pts.shape) * spacing


def _general_seeds(rng, site, grid, basin, n, exclusion) -> np.ndarray:
    """n seeds inside the boundary, density ∝ 0.7 + 1.8·basin, outside the settlements."""
    minx, miny, maxx, maxy = site.boundary.bounds
    shapely.prepare(site.boundary)
    shapely.prepare(exclusion)
    out, total = [], 0
    while total < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(2 * (n - total) + 1000, 2))
        weight = 0.7 + 1.8 * sample_coarse(basin, grid, xy)
        keep = rng.random(len(xy)) * 2.5 < weight
        xy = xy[keep & shapely.contains_xy(site.boundary, xy[:, 0], xy[:, 1])]
        xy = xy[~shapely.contains_xy(exclusion, xy[:, 0], xy[:, 1])]
        xy = xy[_thin(xy, 25.0)]
        out.append(xy)
        total += len(xy)
    return np.concatenate(out)[:n]


def _thin(xy, min_dist) -> np.ndarray:
    """Mask dropping the later point of every pair closer than min_dist."""
    keep = np.ones(len(xy), bool)
    pairs = cKDTree(xy).query_pairs(min_dist, output_type="ndarray")
    keep[pairs.max(axis=1)] = False
    return keep


def _drop_close(seeds, kind, min_dist) -> np.ndarray:
    """Mask removing near-duplicate seeds (general ones first) so Voronoi cells are distinct."""
    keep = np.ones(len(seeds), bool)
    pairs = cKDTree(seeds).query_pairs(min_dist, output_type="ndarray")
    for a, b in pairs:
        keep[b if kind[b] == GENERAL or kind[a] != GENERAL else a] = False
    return keep


def _clip_to(cells, boundary) -> np.ndarray:
    """Cells intersected with the boundary (only those crossing it are recomputed)."""
    shapely.prepare(boundary)
    inside = shapely.contains_properly(boundary, cells)
    out = cells.copy()
    cross = np.flatnonzero(~inside)
    out[cross] = shapely.intersection(cells[cross], boundary)
    return out


def _village_of(rng, site, seeds) -> np.ndarray:
    """Village of each seed: nearest village centre after a smooth warp of the plane."""
    spacing = math.sqrt(site.boundary.area / len(site.village_xy))
    warp = np.zeros_like(seeds)
    for axis in (0, 1):
        waves = rng.uniform(0.5, 1.5, (3, 2)) / spacing * 2 * math.pi
        phase = rng.uniform(0, 2 * math.pi, 3)
        warp[:, axis] = sum(np.sin(seeds @ w + p) for w, p in zip(waves, phase))
    warped = seeds + 0.12 * spacing * warp
    return cKDTree(site.village_xy).query(warped)[1]


def _union_by(geoms, key, n) -> list:
    """Union of geoms per key value 0..n-1 (fast coverage union, checked, else overlay)."""
    return [_union_of_coverage(geoms[idx]) for idx in index_groups(key, n)]


def _union_of_coverage(members):
    """Union of polygons that tile an area: the fast coverage union when the edges match
    exactly (checked), else the general overlay union."""
    try:
        union = shapely.coverage_union_all(members)
    except GEOSException:
        return shapely.union_all(members)
    area = shapely.area(members).sum()
    if not union.is_valid or abs(union.area - area) > 1e-9 * max(area, 1.0) + 1e-6:
        return shapely.union_all(members)
    return union


def _linear_pieces(site, village_polys, steps):
    """Roads and ditches clipped per village (highway over road over ditch), as parcels."""
    lines = np.array([l for l, _, _ in site.lines], dtype=object)
    widths = np.array([w for _, w, _ in site.lines])
    kinds = np.array([k for _, _, k in site.lines])
    buffers = shapely.buffer(lines, widths / 2, cap_style="flat", join_style="mitre",
                             mitre_limit=2.0)
    tree = shapely.STRtree(buffers)
    geoms, vill, kind, width = [], [], [], []
    for v, poly in enumerate(village_polys):
        if v % 50 == 0:
            steps.check()
        hits = tree.query(poly, predicate="intersects")
        taken = shapely.Polygon()
        for k in (HIGHWAY, ROAD, DITCH):
            sel = hits[kinds[hits] == k]
            if len(sel) == 0:
                continue
            piece = shapely.difference(shapely.intersection(shapely.union_all(buffers[sel]), poly),
                                       taken)
            taken = shapely.union(taken, piece)
            for part in shapely.get_parts(piece):
                if part.geom_type == "Polygon" and part.area >= 5.0:
                    overlap = shapely.area(shapely.intersection(part, buffers[sel]))
                    geoms.append(part)
                    vill.append(v)
                    kind.append(k)
                    width.append(widths[sel][int(np.argmax(overlap))])
    return (np.array(geoms, dtype=object), np.array(vill, int), np.array(kind, int),
            np.array(width, float))


def _cut_cells(cells, village, pieces, p_village):
    """Cells minus the linear parcels of their own village; parts of a cut cell become
    parcels, slivers under 30 m² stay attached to the largest part."""
    out = cells.copy()
    if len(pieces):
        tree = shapely.STRtree(pieces)
        c_idx, p_idx = tree.query(cells, predicate="intersects")
        same = village[c_idx] == p_village[p_idx]
        order = np.argsort(c_idx[same], kind="stable")
        c_idx, p_idx = c_idx[same][order], p_idx[same][order]
        hit, first, count = np.unique(c_idx, return_index=True, return_counts=True)
        cutters = pieces[p_idx[first]].copy()
        for k in np.flatnonzero(count > 1):
            cutters[k] = shapely.union_all(pieces[p_idx[first[k]:first[k] + count[k]]])
        out[hit] = shapely.difference(cells[hit], cutters)
    parts, index = shapely.get_parts(out, return_index=True)
    parts, index = _attach_slivers(parts, index, 30.0)
    return parts, index


def _attach_slivers(parts, index, min_area):
    """Merge parts below min_area into the largest part of the same source cell."""
    area = shapely.area(parts)
    keep = np.ones(len(parts), bool)
    small = np.flatnonzero(area < min_area)
    if len(small) == 0:
        return parts, index
    parts = parts.copy()
    for src in np.unique(index[small]):
        members = np.arange(*np.searchsorted(index, [src, src + 1]))    # index is sorted
        big = members[np.argmax(area[members])]
        tiny = [m for m in members if m != big and area[m] < min_area]
        if tiny:
            parts[big] = shapely.multipolygons([parts[big], *parts[tiny]])
            keep[tiny] = False
    return parts[keep], index[keep]


def rasterize_ids(geoms, grid) -> np.ndarray:
    """Parcel index + 1 of the parcel covering each cell centre (0 outside), int32."""
    drv = ogr.GetDriverByName("Memory")
    src = drv.CreateDataSource("ids")
    lyr = src.CreateLayer("p", spatial_ref(EPSG), ogr.wkbUnknown)
    lyr.CreateField(ogr.FieldDefn("pid", ogr.OFTInteger))
    defn = lyr.GetLayerDefn()
    for i, wkb in enumerate(shapely.to_wkb(geoms)):
        feat = ogr.Feature(defn)
        feat.SetField(0, i + 1)
        feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
        lyr.CreateFeature(feat)
    ds = gdal.GetDriverByName("MEM").Create("", grid.nx, grid.ny, 1, gdal.GDT_Int32)
    ds.SetGeoTransform(grid.geotransform)
    ds.SetProjection(spatial_ref(EPSG).ExportToWkt())
    gdal.RasterizeLayer(ds, [1], lyr, options=["ATTRIBUTE=pid"])
    return ds.GetRasterBand(1).ReadAsArray()


def zonal_terrain(dem, ids, geoms, grid, steps, rows_per_block=512):
    """Mean Horn slope (°) and mean elevation over the cells centred in each parcel,
    falling back to the cell under an inner point for parcels without a cell centre."""
    n = len(geoms) + 1
    count = np.zeros(n)
    slope_sum = np.zeros(n)
    elev_sum = np.zeros(n)
    for r0 in range(0, grid.ny, rows_per_block):
        steps.check()
        r1 = min(grid.ny, r0 + rows_per_block)
        a, b = max(0, r0 - 1), min(grid.ny, r1 + 1)
        slope = horn_slope(dem[a:b], grid.cell, grid.cell, NODATA)[r0 - a:r0 - a + (r1 - r0)]
        block_ids = ids[r0:r1].ravel()
        count += np.bincount(block_ids, minlength=n)
        slope_sum += np.bincount(block_ids, weights=slope.ravel().astype(np.float64), minlength=n)
        elev_sum += np.bincount(block_ids, weights=dem[r0:r1].ravel().astype(np.float64),
                                minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_slope = (slope_sum / count)[1:]
        mean_elev = (elev_sum / count)[1:]
    empty = np.flatnonzero(count[1:] == 0)
    if len(empty):
        row, col = grid.index(shapely.get_coordinates(shapely.point_on_surface(geoms[empty])))
        for i, r, c in zip(empty, row, col):
            window = dem[max(0, r - 1):r + 2, max(0, c - 1):c + 2]
            local = horn_slope(window, grid.cell, grid.cell, NODATA)
            mean_slope[i] = local[min(r, 1), min(c, 1)]
            mean_elev[i] = dem[r, c]
    return mean_slope, mean_elev
