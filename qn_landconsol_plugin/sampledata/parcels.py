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
from .cutting import cut_linear_features, round_shared_vertices
from .gdal_env import EPSG, spatial_ref
from .site import (GENERAL, HAMLET_RING, HOME_SPACING, HOMESTEAD, INDUSTRY, INDUSTRY_SPACING,
                   SPLIT_ALLOWANCE, TOWN, TOWN_SPACING, index_groups)
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
    cut out as their own parcels; the parcels tile the township edge to edge."""
    seeds, kind = _seeds(rng, site, grid, basin, n_parcels)
    steps(30, "building Voronoi cells")
    extent = _grid_bounds(grid)
    cells = _voronoi_cells(seeds, shapely.box(*extent))
    village = _village_of(rng, site, seeds)
    steps(35, "cutting roads and ditches")
    geoms, cell, p_kind, width = cut_linear_features(cells, site, village, extent, steps)
    # vertices on a 1 mm grid, as surveyed 三调 coordinates are; rings in GEOS's normal
    # form (clockwise shells from their lowest vertex), so that nothing downstream
    # depends on where GEOS happened to start a ring
    geoms = shapely.normalize(round_shared_vertices(geoms, PARCEL_PRECISION_M))
    order = _canonical_order(geoms, cell, p_kind)
    geoms, cell, p_kind, width = geoms[order], cell[order], p_kind[order], width[order]
    p_village = village[cell]
    parcels = Parcels(geoms=geoms, village=p_village,
                      kind=np.where(p_kind >= 0, p_kind, kind[cell]), width=width)
    parcels.village_polys = list(shapely.normalize(np.array(
        _union_by(geoms, p_village, len(site.village_xy)), dtype=object)))
    return parcels


def _canonical_order(geoms, cell, kind) -> np.ndarray:
    """Parcels by source cell, a cell's own land before roads, then by inner point: an
    order that does not depend on the order GEOS returns faces and parts in."""
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    return np.lexsort((xy[:, 1], xy[:, 0], kind, cell))


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
