"""The control lines (城镇开发边界, 生态保护红线, 永久基本农田) and the village boundaries."""
from __future__ import annotations

import numpy as np
import shapely
import shapely.ops
from osgeo import gdal, ogr
from scipy import ndimage

from ..core.land_classes import FARMLAND_CODES
from .site import COUNTY_CODE, COUNTY_NAME, blob_outline, uniform_in
from .terrain import COARSE, smooth_noise
from .writers import as_multi


HXLX_VALUES = ("水源涵养", "水土保持", "生物多样性维护")


def urban_boundary(rng, site):
    """城镇开发边界: a compact outline around each town centre and the first industrial park."""
    geoms, names = [], []
    for t, shape in enumerate(site.town_shape):
        geoms.append(_rounded(shape, rng.uniform(140, 200)))
        names.append(f"{site.town_names[t]}城镇开发边界")
        parks = np.flatnonzero(site.industry_town == t)
        if t == 0 and len(parks):
            geoms.append(_rounded(site.industry_shape[parks[0]], rng.uniform(60, 90)))
            names.append(f"{site.town_names[t]}工业园区城镇开发边界")
    geoms = shapely.intersection(np.array(geoms, dtype=object), site.boundary)
    return as_multi(geoms), {"KFBJMC": np.array(names, dtype=object)}


def _rounded(shape, distance) -> shapely.Polygon:
    """shape grown by distance with smooth corners, vertices every ~20 m."""
    return shapely.segmentize(shapely.simplify(shape.buffer(distance, quad_segs=8), 2.0), 20.0)


def red_line(rng, site, grid, basin):
    """生态保护红线 over ~15 % of the township, mostly the cone zone, smooth outlines."""
    step = grid.cell * COARSE
    mountain = ndimage.gaussian_filter(1.0 - basin, 250.0 / step)
    value = mountain + mountain.std() * (0.45 * smooth_noise(rng, basin.shape, 900.0 / step)
                                         + 0.25 * smooth_noise(rng, basin.shape, 250.0 / step))
    row, col = grid.coarse_index(uniform_in(rng, site.boundary, 20000))
    level = float(np.quantile(value[row, col], 0.84))
    # contoured at half the coarse step for denser, smoother outlines
    fine = ndimage.zoom(value.astype(np.float32), 2, order=3, grid_mode=True, mode="nearest")
    region = shapely.intersection(_contour_above(fine, level, grid, step / 2), site.boundary)
    parts = shapely.get_parts(region)
    min_area = min(max(20000.0, 0.004 * site.boundary.area), 200000.0)
    parts = parts[shapely.area(parts) >= min_area]
    parts = _ensure_hole(rng, parts)
    kind = rng.choice(np.array(HXLX_VALUES, dtype=object), size=len(parts))
    names = np.array([f"{COUNTY_NAME}{k}生态保护红线{i + 1}号区" for i, k in enumerate(kind)],
                     dtype=object)
    return as_multi(parts), {"HXMC": names, "HXLX": kind}


def _contour_above(value, level, grid, step, tile=256):
    """Polygons where a raster on the coarse grid exceeds level: GDAL contour polygons per
    tile (one shared row/column, cut along its cell centres), then merged."""
    pieces = []
    ny, nx = value.shape
    for r0 in range(0, ny - 1, tile):
        for c0 in range(0, nx - 1, tile):
            block = value[r0:min(ny, r0 + tile + 1), c0:min(nx, c0 + tile + 1)]
            if block.max() <= level:
                continue
            x0, y1 = grid.x0 + c0 * step, grid.y1 - r0 * step
            found = _contour_block(block, level, (x0, step, 0.0, y1, 0.0, -step))
            inner = shapely.box(x0 + step / 2, y1 - (block.shape[0] - 0.5) * step,
                                x0 + (block.shape[1] - 0.5) * step, y1 - step / 2)
            pieces.append(shapely.intersection(found, inner))
    if not pieces:
        return shapely.Polygon()
    return shapely.make_valid(shapely.union_all(pieces))


def _contour_block(block, level, geotransform):
    """Union of the GDAL contour polygons above level of one raster block."""
    ds = gdal.GetDriverByName("MEM").Create("", block.shape[1], block.shape[0], 1,
                                            gdal.GDT_Float32)
    ds.SetGeoTransform(geotransform)
    ds.GetRasterBand(1).WriteArray(block.astype(np.float32))
    out = ogr.GetDriverByName("Memory").CreateDataSource("contour")
    lyr = out.CreateLayer("c", None, ogr.wkbMultiPolygon)
    for name, kind in (("ID", ogr.OFTInteger), ("LO", ogr.OFTReal), ("HI", ogr.OFTReal)):
        lyr.CreateField(ogr.FieldDefn(name, kind))
    gdal.ContourGenerateEx(ds.GetRasterBand(1), lyr, options=[
        f"FIXED_LEVELS={level!r}", "POLYGONIZE=YES", "ID_FIELD=0", "ELEV_FIELD_MIN=1",
        "ELEV_FIELD_MAX=2"])
    geoms = [shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb()))
             for f in lyr if f.GetFieldAsDouble("LO") >= level - 1e-9]
    return shapely.make_valid(shapely.union_all(geoms)) if geoms else shapely.Polygon()


def _ensure_hole(rng, parts) -> np.ndarray:
    """Punch a smooth enclave into the largest polygon when none has a hole."""
    if len(parts) == 0 or shapely.get_num_interior_rings(parts).sum() > 0:
        return parts
    big = int(np.argmax(shapely.area(parts)))
    inner = shapely.ops.polylabel(parts[big], tolerance=10.0)
    depth = parts[big].exterior.distance(inner)
    hole = blob_outline(rng, np.array(inner.coords[0]), 0.45 * depth, 90, roughness=0.1, harmonics=5)
    parts = parts.copy()
    parts[big] = shapely.difference(parts[big], hole)
    return parts


def basic_farmland(rng, site, grid, parcels, ids, red, urban):
    """永久基本农田: smoothed outline of flat farmland (slope grade ≤ 2 by the DEM), minus the
    red line and the urban boundary; its edges follow no parcel edge."""
    flat = np.isin(parcels.code, list(FARMLAND_CODES)) & (parcels.slope <= 6.0)
    lut = np.r_[False, flat].astype(np.float32)
    mask = lut[ids]
    share = mask.reshape(grid.ny // COARSE, COARSE, grid.nx // COARSE, COARSE).mean(axis=(1, 3))
    share = ndimage.gaussian_filter(share, 0.8)
    step = grid.cell * COARSE
    region = shapely.intersection(_contour_above(share, 0.42, grid, step), site.boundary)
    exclude = shapely.union_all(np.concatenate([red[0], urban[0]]))
    region = shapely.difference(region, exclude)
    parts = shapely.get_parts(region)
    parts = parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) >= 3000.0)]
    codes = np.array([f"{COUNTY_CODE}JB{i + 1:06d}" for i in range(len(parts))], dtype=object)
    return as_multi(parts), {"JBNTBH": codes}


def village_layer(site, parcels):
    """村界: the union of each village's parcels (= of its Voronoi cells, which roads and
    ditches only subdivide), pin holes from rounding removed."""
    n = len(site.village_xy)
    unions = [_drop_small_holes(g, 1.0) for g in parcels.village_polys]
    present = [v for v in range(n) if not unions[v].is_empty]
    town = site.village_town[present]
    attrs = {"CUNDM": np.array([site.village_codes[v] for v in present], dtype=object),
             "CUNMC": np.array([site.village_names[v] for v in present], dtype=object),
             "XZDM": np.array([site.town_codes[t] for t in town], dtype=object),
             "XZMC": np.array([site.town_names[t] for t in town], dtype=object)}
    return as_multi(np.array([unions[v] for v in present], dtype=object)), attrs


def _drop_small_holes(geom, min_area):
    """geom without interior rings smaller than min_area."""
    polys = []
    for poly in shapely.get_parts(geom):
        holes = [r for r in poly.interiors if shapely.Polygon(r).area >= min_area]
        polys.append(shapely.Polygon(poly.exterior, holes))
    if not polys:
        return geom
    return shapely.multipolygons(polys) if len(polys) > 1 else polys[0]
