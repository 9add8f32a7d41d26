"""A synthetic but realistic Qiannan karst township: 三调 parcels (dltb), the
three control lines, village boundaries, building footprints, a 10 m DEM and a
household survey, for demos and tests.

Everything is drawn from one numpy Generator, so a seed and a parcel count give
byte-identical files. Only numpy, scipy, shapely and GDAL/OGR are used.
"""
from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.affinity
import shapely.ops
from shapely.errors import GEOSException
from osgeo import gdal, ogr, osr
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import cKDTree

from ..core.fields import DLTB_SCHEMA
from ..core.land_classes import CONSTRUCTION, FARMLAND_CODES, category_of, name_of
from ..core.slope import horn_slope, slope_grade
from ..core.units import m2_to_mu

EPSG = 4545                      # CGCS2000 / 3-degree GK CM 108E, no zone prefix
CELL = 10.0                      # DEM cell size, m
COARSE = 4                       # coarse terrain grid = COARSE x CELL
NODATA = -9999.0
MEAN_PARCEL_M2 = 8000.0
PARCELS_PER_VILLAGE = 375
VILLAGES_PER_TOWN = 10
CENTRE_LONLAT = (107.40, 26.45)
COUNTY_CODE, COUNTY_NAME = "522702", "福泉市"
FIXED_DATE = "2025-01-01T00:00:00.000Z"
SJNF = 2023
YSDM = "2001010100"

# parcel kinds (how a parcel was made; drives its land use)
GENERAL, HOMESTEAD, HAMLET_RING, TOWN, INDUSTRY, HIGHWAY, ROAD, DITCH = range(8)
HOME_SPACING, TOWN_SPACING, INDUSTRY_SPACING = 20.0, 32.0, 70.0   # seed spacing, m
SPLIT_ALLOWANCE = 0.17    # share of parcels that come from roads and ditches cutting cells
LINEAR_CODES = {HIGHWAY: "1003", ROAD: "1006", DITCH: "1107"}

# 扣除地类系数 (田坎 share) by GDLX and slope grade, Guizhou-like values
KCXS_TABLE = {     # index = slope grade (0 unused)
    "TT": (0.0, 0.0, 0.035, 0.077, 0.129, 0.174),
    "PD": (0.0, 0.0, 0.031, 0.066, 0.112, 0.152),
}
TT_SHARE = (0.0, 0.0, 0.5, 0.45, 0.35, 0.25)   # share of 梯田 among dry farmland by grade
TBXH_NAMES = {"SMGD": "石漠化耕地", "LQGD": "林区耕地"}
ZZSX_NAMES = {"LS": "种植粮食作物", "FLS": "种植非粮作物", "LYFL": "粮与非粮轮作",
              "XG": "休耕", "WG": "未耕种"}
CZCS_OF_KIND = {HOMESTEAD: "203", HAMLET_RING: "203", TOWN: "202", INDUSTRY: "202"}

# land use by terrain class: (codes, probabilities)
LAND_USE_TABLES = {
    "valley": (("0101", "0103", "0102", "0301K", "0201", "0202", "1104", "0404",
                "0301", "1201"),
               (0.62, 0.13, 0.03, 0.03, 0.04, 0.03, 0.03, 0.03, 0.05, 0.01)),
    "hollow": (("0103", "0101", "0301", "0305", "0404", "0201", "0202", "0201K"),
               (0.40, 0.12, 0.15, 0.10, 0.08, 0.06, 0.06, 0.03)),
    "gentle": (("0103", "0101", "0201", "0201K", "0202", "0301", "0301K", "0305",
                "0307", "0404"),
               (0.36, 0.04, 0.07, 0.03, 0.09, 0.17, 0.04, 0.10, 0.04, 0.06)),
    "steep": (("0103", "0301", "0305", "0307", "0202", "0201", "0404", "1206", "1207"),
              (0.18, 0.29, 0.20, 0.08, 0.05, 0.03, 0.10, 0.02, 0.05)),
    "cliff": (("0103", "0301", "0305", "0307", "0404", "1207", "1206"),
              (0.08, 0.31, 0.26, 0.08, 0.12, 0.12, 0.03)),
    "ring": (("0103", "0101", "1201", "0201", "0301", "0305", "0404", "0202", "1202",
              "1104"),
             (0.40, 0.10, 0.08, 0.08, 0.08, 0.06, 0.08, 0.04, 0.04, 0.04)),
    "town": (("05H1", "0701", "08H1", "08H2", "0810", "1004", "0601"),
             (0.34, 0.36, 0.05, 0.10, 0.03, 0.05, 0.07)),
    "industry": (("0601", "0508", "1201"), (0.80, 0.10, 0.10)),
}

NAME_HEADS = "新龙凤马双红黄金石高大小上下平摆谷者甲打牛羊茶竹桥安长兴团杨沙岩河塘"
NAME_TAILS = "场坪寨山岩井桥田坝湾关冲水河林院洞堡江坡台庄沟"
NAME_MIDS = "花狮鸡鱼木松柏桃阳云"
SURNAMES = "罗王杨吴陈张李刘黄韦潘蒙石龙莫周赵孙何胡邓冯宋岑熊谢朱唐陆雷"
GIVEN = "明华国建文光学正永德富贵昌兴祥芳英秀兰梅成发林平忠志家金海春云福寿"
FWZT_VALUES = ("正常", "危房", "倒塌", "空置")
HXLX_VALUES = ("水源涵养", "水土保持", "生物多样性维护")


class GenerationCanceled(Exception):
    """Raised when is_canceled() turns true; no output file is left behind."""


@dataclass
class _Site:
    """Administrative layout: boundary, towns, villages, hamlets, linear features."""
    boundary: shapely.Polygon
    town_codes: list
    town_names: list
    town_seat: np.ndarray          # xy of each town centre
    town_core_n: np.ndarray
    town_shape: list
    village_xy: np.ndarray
    village_town: np.ndarray
    village_codes: list            # 12-digit CUNDM
    village_names: list
    hamlet_xy: np.ndarray = None
    hamlet_n: np.ndarray = None
    hamlet_village: np.ndarray = None
    hamlet_shape: list = None
    industry_xy: np.ndarray = None
    industry_n: np.ndarray = None
    industry_town: np.ndarray = None
    industry_shape: list = None
    lines: list = field(default_factory=list)   # (LineString, width, kind)


@dataclass
class _Grid:
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


@dataclass
class _Parcels:
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


class _Steps:
    """Progress reporting and cancellation checks."""

    def __init__(self, progress, is_canceled):
        self.progress = progress
        self.is_canceled = is_canceled

    def check(self):
        if self.is_canceled is not None and self.is_canceled():
            raise GenerationCanceled("sample township generation canceled")

    def __call__(self, percent, message):
        self.check()
        if self.progress is not None:
            self.progress(float(percent), message)


# ---------------------------------------------------------------- public API

def generate(out_dir, n_parcels=3000, seed=1, progress=None, is_canceled=None) -> dict:
    """Write township.gpkg, dem.tif and households.csv into out_dir; return their paths."""
    if n_parcels < 100:
        raise ValueError("n_parcels must be at least 100")
    steps = _Steps(progress, is_canceled)
    rng = np.random.default_rng(seed)
    os.makedirs(out_dir, exist_ok=True)
    names = {"gpkg": "township.gpkg", "dem": "dem.tif", "households": "households.csv"}
    paths = {k: os.path.join(out_dir, v) for k, v in names.items()}
    tmp = {k: os.path.join(out_dir, f".{v}.part{os.path.splitext(v)[1]}") for k, v in names.items()}
    try:
        with _gdal_context(OGR_CURRENT_DATE=FIXED_DATE, GDAL_PAM_ENABLED="NO"):
            _build(rng, int(n_parcels), tmp, steps)
        for key in ("dem", "households", "gpkg"):
            os.replace(tmp[key], paths[key])
    except BaseException:
        _remove_files(tmp.values())
        raise
    if progress is not None:
        progress(100.0, "done")
    return paths


def summarize(gpkg_path) -> dict:
    """Parcel count, total and farmland area (m²) of the dltb layer of a generated GeoPackage."""
    with _gdal_context():
        ds = ogr.Open(str(gpkg_path))
        lyr = ds.GetLayerByName("dltb")
        total = farmland = 0.0
        count = 0
        for feat in lyr:
            area = feat.GetFieldAsDouble("TBMJ")
            total += area
            count += 1
            if feat.GetFieldAsString("DLBM") in FARMLAND_CODES:
                farmland += area
        villages = ds.GetLayerByName("cun").GetFeatureCount()
        ds = None
    return {"parcels": count, "villages": villages, "area_m2": total, "area_km2": total / 1e6,
            "area_mu": m2_to_mu(total), "farmland_m2": farmland,
            "farmland_share": farmland / total if total else 0.0}


def ellipsoidal_areas(geoms, epsg=EPSG) -> np.ndarray:
    """Ellipsoidal (CGCS2000) areas in m² of polygons in the given projected CRS."""
    # GDAL 3.6 has no geodesic area: project to a Lambert azimuthal equal-area projection
    # on the GRS80 ellipsoid (= CGCS2000's) centred on the data and take planar areas
    # there; equal-area, so exact but for treating short edges as straight.
    geoms = np.asarray(geoms)
    if len(geoms) == 0:
        return np.zeros(0)
    with _gdal_context():
        return _laea_areas(geoms, epsg)


def _laea_areas(geoms, epsg) -> np.ndarray:
    """Planar areas after projecting to LAEA/GRS80 centred on the geometries."""
    src = _srs(epsg)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    to_geo = osr.CoordinateTransformation(src, _srs(4490))
    lon, lat, _ = to_geo.TransformPoint((minx + maxx) / 2, (miny + maxy) / 2)
    laea = osr.SpatialReference()
    laea.ImportFromProj4(f"+proj=laea +lat_0={lat:.6f} +lon_0={lon:.6f} +x_0=0 +y_0=0 "
                         "+ellps=GRS80 +units=m +no_defs")
    laea.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, laea)

    def project(xy):
        if len(xy) == 0:
            return xy
        return np.asarray(ct.TransformPoints(np.ascontiguousarray(xy)))[:, :2]

    return shapely.area(shapely.transform(geoms, project))


# ---------------------------------------------------------------- pipeline

def _build(rng, n_parcels, tmp, steps):
    """All stages in order; writes the three temp files."""
    steps(0, "planning the township layout")
    site = _plan_site(rng, n_parcels)
    steps(5, "modelling karst terrain")
    grid = _grid_for(site.boundary)
    basin = _basin_field(rng, site, grid)
    dem = _dem(rng, grid, basin, steps)
    steps(20, "writing the DEM")
    _write_dem(tmp["dem"], grid, dem)
    steps(25, "tessellating parcels")
    parcels = _tessellate(rng, site, grid, basin, n_parcels, steps)
    steps(45, "computing parcel slope and elevation")
    ids = _rasterize_ids(parcels.geoms, grid)
    parcels.slope, parcels.elev = _zonal_terrain(dem, ids, parcels.geoms, grid, steps)
    parcels.basin = _sample_coarse(basin, grid, shapely.get_coordinates(
        shapely.point_on_surface(parcels.geoms)))
    del dem
    steps(55, "assigning land use")
    parcels.area = np.round(ellipsoidal_areas(parcels.geoms), 2)
    parcels.code = _assign_land_use(rng, parcels)
    _assign_groups(rng, parcels)
    order = _parcel_order(parcels)
    _reorder(parcels, order)
    ids = _renumber_ids(ids, order)
    records = _dltb_records(rng, site, parcels)
    steps(62, "drawing control lines")
    urban = _urban_boundary(rng, site)
    red = _red_line(rng, site, grid, basin)
    pbf = _basic_farmland(rng, site, grid, parcels, ids, red, urban)
    del ids
    steps(70, "village boundaries and buildings")
    villages = _village_layer(site, parcels)
    buildings = _buildings(rng, parcels)
    steps(78, "household survey")
    _write_households(tmp["households"], rng, records, parcels.geoms, buildings)
    steps(80, "writing the GeoPackage")
    layers = [("dltb", _as_multi(parcels.geoms), _dltb_fields(), records),
              ("stbhhx", red[0], _str_fields(("HXMC", 100), ("HXLX", 20)), red[1]),
              ("yjjbnt", pbf[0], _str_fields(("JBNTBH", 30)), pbf[1]),
              ("czkfbj", urban[0], _str_fields(("KFBJMC", 100)), urban[1]),
              ("cun", villages[0], _str_fields(("CUNDM", 12), ("CUNMC", 50), ("XZDM", 9),
                                               ("XZMC", 50)), villages[1]),
              ("buildings", buildings[0], _building_fields(), buildings[1])]
    _write_gpkg(tmp["gpkg"], layers, steps)


# ---------------------------------------------------------------- layout

def _plan_site(rng, n_parcels) -> _Site:
    """Boundary, towns and villages with names and codes, hamlets and linear features."""
    area = n_parcels * MEAN_PARCEL_M2
    centre = np.array(_to_gk(*CENTRE_LONLAT))
    boundary = _township_boundary(rng, centre, area)
    n_villages = max(3, round(n_parcels / PARCELS_PER_VILLAGE))
    village_xy = _spread_points(rng, boundary, n_villages)
    town_of, seat = _group_into_towns(rng, village_xy)
    town_names, village_names = _place_names(rng, len(seat), n_villages)
    town_codes, village_codes = _admin_codes(village_xy, town_of, len(seat))
    core_n = np.full(len(seat), max(15, round(0.02 * n_parcels / len(seat))))
    shapes = [_settlement_shape(rng, xy, n * TOWN_SPACING ** 2, rng.uniform(1.0, 1.6))
              for xy, n in zip(seat, core_n)]
    site = _Site(boundary, town_codes, town_names, seat, core_n, shapes, village_xy,
                town_of, village_codes, village_names)
    _place_hamlets(rng, site, n_parcels)
    _place_industry(rng, site, n_parcels)
    site.lines = _linear_features(rng, site)
    return site


def _group_into_towns(rng, village_xy):
    """Town of each village (k-means, ~VILLAGES_PER_TOWN each, numbered north-west first)
    and each town's seat: the village nearest its centre."""
    n_towns = max(1, math.ceil(len(village_xy) / VILLAGES_PER_TOWN))
    labels, centres = _cluster(rng, village_xy, n_towns)
    used = np.unique(labels)                       # k-means may leave a cluster empty
    centres = centres[used]
    labels = np.searchsorted(used, labels)
    order = _north_west_order(centres)
    rank = np.empty(len(used), int)
    rank[order] = np.arange(len(used))
    labels, centres = rank[labels], centres[order]
    seat = np.empty_like(centres)
    for t, members in enumerate(_index_groups(labels, len(used))):
        near = np.argmin(np.hypot(*(village_xy[members] - centres[t]).T))
        seat[t] = village_xy[members[near]]
    return labels, seat


def _admin_codes(village_xy, town_of, n_towns):
    """9-digit town codes (镇 1xx, then 乡 2xx) and 12-digit village codes (2xx)."""
    town_codes = [f"{COUNTY_CODE}{(101 + t) if t < 99 else (201 + t - 99):03d}"
                  for t in range(n_towns)]
    village_codes = [""] * len(village_xy)
    for t, members in enumerate(_index_groups(town_of, n_towns)):
        for k, v in enumerate(members[_north_west_order(village_xy[members])]):
            village_codes[v] = f"{town_codes[t]}{201 + k:03d}"
    return town_codes, village_codes


def _township_boundary(rng, centre, area) -> shapely.Polygon:
    """A smooth irregular star-shaped outline of the given planar area."""
    radius = math.sqrt(area / math.pi)
    n = int(np.clip(2 * math.pi * radius / 25.0, 400, 8000))
    poly = _blob(rng, centre, radius, n, roughness=0.16, harmonics=40)
    scale = math.sqrt(area / poly.area)
    return shapely.Polygon((shapely.get_coordinates(poly.exterior) - centre) * scale + centre)


def _blob(rng, centre, radius, n_vertices, roughness=0.15, harmonics=8) -> shapely.Polygon:
    """Closed outline r(θ) = radius·(1 + Σ a_k cos(kθ + φ_k)), amplitudes decaying with k."""
    theta = np.linspace(0.0, 2 * math.pi, n_vertices, endpoint=False)
    k = np.arange(2, harmonics + 2)
    amp = roughness * rng.standard_normal(harmonics) / k ** 1.3
    phase = rng.uniform(0, 2 * math.pi, harmonics)
    r = 1.0 + (amp[:, None] * np.cos(k[:, None] * theta + phase[:, None])).sum(axis=0)
    r = radius * np.clip(r, 0.45, None)
    return shapely.Polygon(np.column_stack([centre[0] + r * np.cos(theta),
                                            centre[1] + r * np.sin(theta)]))


def _spread_points(rng, polygon, n) -> np.ndarray:
    """n well-spread points inside polygon (k-means centres of uniform samples)."""
    samples = _uniform_in(rng, polygon, max(60 * n, 600))
    _, centres = _cluster(rng, samples, n)
    return centres


def _cluster(rng, points, k, iterations=10):
    """Plain k-means: labels of points and the k centres."""
    centres = points[rng.choice(len(points), size=k, replace=False)].copy()
    labels = np.zeros(len(points), int)
    for _ in range(iterations):
        labels = cKDTree(centres).query(points)[1]
        counts = np.bincount(labels, minlength=k)
        for axis in (0, 1):
            sums = np.bincount(labels, weights=points[:, axis], minlength=k)
            centres[:, axis] = np.where(counts > 0, sums / np.maximum(counts, 1), centres[:, axis])
    return labels, centres


def _uniform_in(rng, polygon, n) -> np.ndarray:
    """n uniform random points inside polygon (rejection sampling)."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    out = []
    total = 0
    while total < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(2 * n, 2))
        xy = xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]
        out.append(xy)
        total += len(xy)
    return np.concatenate(out)[:n]


def _north_west_order(xy) -> np.ndarray:
    """Indices ordering points from north to south in 2 km bands, then west to east."""
    band = np.floor(-xy[:, 1] / 2000.0)
    return np.lexsort((xy[:, 0], band))


def _place_names(rng, n_towns, n_villages):
    """Distinct town (…镇) and village (…村) names built from common place-name syllables."""
    pairs = [h + t for h in NAME_HEADS for t in NAME_TAILS]
    triples = [h + m + t for h in NAME_HEADS for m in NAME_MIDS for t in NAME_TAILS]
    pool = list(rng.permutation(pairs)) + list(rng.permutation(triples))
    towns = [pool[i] + ("镇" if i % 3 else "乡") for i in range(n_towns)]
    villages = [name + "村" for name in pool[n_towns:n_towns + n_villages]]
    return towns, villages


def _place_hamlets(rng, site, n_parcels):
    """Two to four hamlets (自然寨) per village with homestead counts summing to ~14 %."""
    n_v = len(site.village_xy)
    per_village = 0.14 * n_parcels / n_v
    spacing = math.sqrt(site.boundary.area / n_v)
    taken = _DiscIndex()
    for xy, n in zip(site.town_seat, site.town_core_n):
        taken.add(xy, _reach(n, TOWN_SPACING) + 120)
    shapely.prepare(site.boundary)
    xy_out, n_out, v_out, shapes = [], [], [], []
    for v, centre in enumerate(site.village_xy):
        k = min(int(rng.integers(2, 5)), max(1, int(per_village // 8)))
        sizes = np.maximum(5, np.round(rng.dirichlet(np.full(k, 2.0)) * per_village)).astype(int)
        for size in sizes:
            reach = _reach(size, HOME_SPACING)
            spot = _free_spot(rng, site.boundary, centre, spacing, reach, taken)
            if spot is not None:
                taken.add(spot, reach + 90)
                xy_out.append(spot)
                n_out.append(size)
                v_out.append(v)
                shapes.append(_settlement_shape(rng, spot, size * HOME_SPACING ** 2,
                                                rng.uniform(1.2, 2.4)))
    site.hamlet_xy = np.array(xy_out).reshape(-1, 2)
    site.hamlet_n = np.array(n_out, int)
    site.hamlet_village = np.array(v_out, int)
    site.hamlet_shape = shapes


def _settlement_shape(rng, centre, area, aspect) -> shapely.Polygon:
    """An irregular, elongated outline of the given area around centre."""
    blob = _blob(rng, np.zeros(2), 1.0, 48, roughness=0.3, harmonics=4)
    xy = shapely.get_coordinates(blob.exterior)
    angle = rng.uniform(0, math.pi)
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[c, s], [-s, c]])
    xy = ((xy @ rot.T) * [math.sqrt(aspect), 1 / math.sqrt(aspect)]) @ rot
    xy *= math.sqrt(area / shapely.Polygon(xy).area)
    return shapely.Polygon(xy + centre)


def _reach(n, spacing) -> float:
    """Largest distance from its centre of a settlement of n cells (elongation included)."""
    return 1.6 * _core_radius(n, spacing)


def _free_spot(rng, boundary, centre, spacing, radius, taken, tries=30):
    """A point 120 m to 0.45·spacing from centre, inside boundary, clear of taken discs."""
    for _ in range(tries):
        angle = rng.uniform(0, 2 * math.pi)
        dist = rng.uniform(120.0, max(150.0, 0.45 * spacing))
        xy = centre + dist * np.array([math.cos(angle), math.sin(angle)])
        disc = shapely.Point(xy).buffer(radius + 60, quad_segs=4)
        if not boundary.contains(disc):
            continue
        if taken.is_clear(xy, radius):
            return xy
    return None


class _DiscIndex:
    """Discs bucketed on a 1 km grid, for 'is this disc clear of all others' queries."""

    def __init__(self, bucket=1000.0):
        self.bucket = bucket
        self.cells = {}

    def _key(self, xy):
        return int(xy[0] // self.bucket), int(xy[1] // self.bucket)

    def add(self, xy, radius):
        self.cells.setdefault(self._key(xy), []).append((np.asarray(xy, float), radius))

    def is_clear(self, xy, radius) -> bool:
        kx, ky = self._key(xy)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other, r in self.cells.get((kx + dx, ky + dy), ()):
                    if math.hypot(*(xy - other)) <= radius + r:
                        return False
        return True


def _place_industry(rng, site, n_parcels):
    """An industrial park 500–900 m from the first town centre (and from half the others)."""
    xy_out, n_out, t_out, shapes = [], [], [], []
    n_each = max(6, round(0.003 * n_parcels / len(site.town_seat)))
    reach = _reach(n_each, INDUSTRY_SPACING)
    taken = _DiscIndex(2000.0)
    for xy, n in zip(site.hamlet_xy, site.hamlet_n):
        taken.add(xy, _reach(n, HOME_SPACING) + 90)
    for xy, n in zip(site.town_seat, site.town_core_n):
        taken.add(xy, _reach(n, TOWN_SPACING) + 120)
    for t, seat in enumerate(site.town_seat):
        if t > 0 and rng.random() < 0.5:
            continue
        for _ in range(40):
            angle = rng.uniform(0, 2 * math.pi)
            xy = seat + rng.uniform(500, 900) * np.array([math.cos(angle), math.sin(angle)])
            disc = shapely.Point(xy).buffer(reach + 80, quad_segs=4)
            if site.boundary.contains(disc) and taken.is_clear(xy, reach):
                xy_out.append(xy)
                n_out.append(n_each)
                t_out.append(t)
                shapes.append(_settlement_shape(rng, xy, n_each * INDUSTRY_SPACING ** 2,
                                                rng.uniform(1.0, 1.5)))
                taken.add(xy, reach + 100)
                break
    site.industry_xy = np.array(xy_out).reshape(-1, 2)
    site.industry_n = np.array(n_out, int)
    site.industry_town = np.array(t_out, int)
    site.industry_shape = shapes


def _core_radius(n, spacing) -> float:
    """Radius of a disc holding n cells of spacing²."""
    return spacing * math.sqrt(n / math.pi)


def _linear_features(rng, site) -> list:
    """Highway through the town centres, village roads (MST + spurs to hamlets), ditches."""
    lines = []
    far = 4 * math.sqrt(site.boundary.area)
    angle = rng.uniform(0, math.pi)
    direction = np.array([math.cos(angle), math.sin(angle)])
    main = site.town_seat[0]
    lines.append((_wiggly(rng, main - far * direction, main + far * direction, 80, 150),
                  float(rng.choice([10.0, 12.0])), HIGHWAY))
    for a, b in _mst_edges(site.town_seat):
        lines.append((_wiggly(rng, site.town_seat[a], site.town_seat[b], 80, 200), 10.0, HIGHWAY))
    roads = []
    for a, b in _mst_edges(site.village_xy, extra_share=0.15, rng=rng):
        line = _wiggly(rng, site.village_xy[a], site.village_xy[b], 60, 120)
        roads.append(line)
        lines.append((line, float(np.round(rng.uniform(4.5, 7.0), 1)), ROAD))
    for xy, v in zip(site.hamlet_xy, site.hamlet_village):
        line = _wiggly(rng, site.village_xy[v], xy, 40, 40)
        lines.append((line, float(np.round(rng.uniform(3.0, 4.5), 1)), ROAD))
    for xy, t in zip(site.industry_xy, site.industry_town):
        lines.append((_wiggly(rng, site.town_seat[t], xy, 50, 30), 8.0, ROAD))
    lines += _ditches(rng, site, roads)
    return lines


def _ditches(rng, site, roads) -> list:
    """Irrigation ditches alongside half of the village roads and short feeders in basins."""
    out = []
    for line in roads:
        if rng.random() < 0.5 and line.length > 400:
            side = rng.choice([-1.0, 1.0]) * rng.uniform(25, 60)
            ditch = shapely.offset_curve(line, side, quad_segs=2, join_style="round")
            ditch = shapely.line_merge(ditch) if ditch.geom_type != "LineString" else ditch
            if ditch.geom_type == "LineString" and ditch.length > 200:
                part = shapely.ops.substring(ditch, 0.1 * ditch.length, 0.9 * ditch.length)
                out.append((part, float(np.round(rng.uniform(3.0, 5.0), 1)), DITCH))
    for centre in site.village_xy:
        angle = rng.uniform(0, 2 * math.pi)
        end = centre + rng.uniform(300, 700) * np.array([math.cos(angle), math.sin(angle)])
        start = centre + 40 * np.array([math.cos(angle), math.sin(angle)])
        out.append((_wiggly(rng, start, end, 40, 30), float(np.round(rng.uniform(3.0, 4.0), 1)),
                    DITCH))
    return out


def _wiggly(rng, p0, p1, step, amplitude) -> shapely.LineString:
    """A gently meandering line from p0 to p1 (smooth lateral offsets, none at the ends)."""
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    length = float(np.hypot(*(p1 - p0)))
    n = max(2, int(math.ceil(length / step)))
    t = np.linspace(0.0, 1.0, n + 1)
    noise = ndimage.gaussian_filter1d(rng.standard_normal(n + 1), 2.0, mode="nearest")
    noise /= max(np.abs(noise).max(), 1e-9)
    lateral = amplitude * np.sin(math.pi * t) * noise
    normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / max(length, 1e-9)
    pts = p0 + t[:, None] * (p1 - p0) + lateral[:, None] * normal
    return shapely.LineString(pts)


def _mst_edges(xy, extra_share=0.0, rng=None, k=8) -> list:
    """Edges of the Euclidean minimum spanning tree of points (over their k nearest
    neighbours), plus a few loop edges to second-nearest neighbours."""
    n = len(xy)
    if n < 2:
        return []
    k = min(k, n - 1)
    dist, idx = cKDTree(xy).query(xy, k=k + 1)
    graph = coo_matrix((dist[:, 1:].ravel() + 1e-9, (np.repeat(np.arange(n), k),
                                                     idx[:, 1:].ravel())), shape=(n, n))
    tree = minimum_spanning_tree(graph).tocoo()
    edges = {(min(a, b), max(a, b)) for a, b in zip(tree.row.tolist(), tree.col.tolist())}
    if extra_share > 0 and k >= 2:
        for a in range(n):
            if rng.random() < extra_share:
                b = int(idx[a, 2])
                edges.add((min(a, b), max(a, b)))
    return sorted(edges)


# ---------------------------------------------------------------- terrain

def _grid_for(boundary) -> _Grid:
    """DEM grid covering the boundary plus 200 m, sized in whole coarse cells."""
    step = CELL * COARSE
    minx, miny, maxx, maxy = boundary.bounds
    x0 = math.floor((minx - 200) / step) * step
    y0 = math.floor((miny - 200) / step) * step
    x1 = math.ceil((maxx + 200) / step) * step
    y1 = math.ceil((maxy + 200) / step) * step
    return _Grid(x0, y1, int(round((x1 - x0) / CELL)), int(round((y1 - y0) / CELL)))


def _basin_field(rng, site, grid) -> np.ndarray:
    """Valley-floor weight (1 in 坝子 and along road valleys, 0 among the cones), coarse grid."""
    shape = (grid.ny // COARSE, grid.nx // COARSE)
    step = grid.cell * COARSE
    centres = np.concatenate([site.village_xy, site.hamlet_xy, site.town_seat, site.industry_xy])
    radii = np.concatenate([
        rng.uniform(280, 520, len(site.village_xy)),
        [_reach(n, HOME_SPACING) + rng.uniform(60, 160) for n in site.hamlet_n],
        [_reach(n, TOWN_SPACING) + 300 for n in site.town_core_n],
        [_reach(n, INDUSTRY_SPACING) + 100 for n in site.industry_n]])
    s_centre = _scaled_distance(grid, shape, centres, radii)
    lines = [line for line, _, kind in site.lines if kind in (HIGHWAY, ROAD)]
    pts = shapely.get_coordinates(shapely.segmentize(np.array(lines, dtype=object), step / 2))
    width = 110.0 * (1.0 + 0.55 * _noise(rng, shape, 1500.0 / step))
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


def _dem(rng, grid, basin, steps) -> np.ndarray:
    """Fengcong-wadi karst: conical peaks on a raised footing with closed depressions
    between them, rising from flat valley floors; Float32, about 650–1,450 m."""
    coarse_shape = basin.shape
    step = grid.cell * COARSE
    x_km = (np.arange(coarse_shape[1]) - coarse_shape[1] / 2)[None, :] * step / 1000.0
    tilt = x_km * rng.uniform(-6.0, 6.0)          # regional gradient, m per km
    base = 880.0 + 140.0 * np.tanh(_noise(rng, coarse_shape, 5000.0 / step)) + tilt
    base += 1.0 * _noise(rng, coarse_shape, 200.0 / step)
    footing = 55.0 + 25.0 * _noise(rng, coarse_shape, 2500.0 / step)
    gradient = np.clip(0.75 + 0.2 * _noise(rng, coarse_shape, 1500.0 / step), 0.45, 1.0)
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


def _noise(rng, shape, sigma) -> np.ndarray:
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


def _sample_coarse(field_, grid, xy) -> np.ndarray:
    """Values of a coarse-grid field at points."""
    row, col = grid.coarse_index(xy)
    return field_[row, col]


# ---------------------------------------------------------------- parcels

PARCEL_PRECISION_M = 0.001


def _tessellate(rng, site, grid, basin, n_parcels, steps) -> _Parcels:
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
    return _Parcels(geoms=geoms,
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
        weight = 0.7 + 1.8 * _sample_coarse(basin, grid, xy)
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
    return [_union_of_coverage(geoms[idx]) for idx in _index_groups(key, n)]


def _index_groups(key, n) -> list:
    """For each key value 0..n-1, the indices holding it (ascending)."""
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(n + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(n)]


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


def _rasterize_ids(geoms, grid) -> np.ndarray:
    """Parcel index + 1 of the parcel covering each cell centre (0 outside), int32."""
    drv = ogr.GetDriverByName("Memory")
    src = drv.CreateDataSource("ids")
    lyr = src.CreateLayer("p", _srs(EPSG), ogr.wkbUnknown)
    lyr.CreateField(ogr.FieldDefn("pid", ogr.OFTInteger))
    defn = lyr.GetLayerDefn()
    for i, wkb in enumerate(shapely.to_wkb(geoms)):
        feat = ogr.Feature(defn)
        feat.SetField(0, i + 1)
        feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
        lyr.CreateFeature(feat)
    ds = gdal.GetDriverByName("MEM").Create("", grid.nx, grid.ny, 1, gdal.GDT_Int32)
    ds.SetGeoTransform(grid.geotransform)
    ds.SetProjection(_srs(EPSG).ExportToWkt())
    gdal.RasterizeLayer(ds, [1], lyr, options=["ATTRIBUTE=pid"])
    return ds.GetRasterBand(1).ReadAsArray()


def _zonal_terrain(dem, ids, geoms, grid, steps, rows_per_block=512):
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


# ---------------------------------------------------------------- attributes

def _assign_land_use(rng, parcels) -> np.ndarray:
    """DLBM of each parcel from its kind, slope and valley weight."""
    n = len(parcels.geoms)
    terrain = np.select(
        [(parcels.slope <= 6) & (parcels.basin > 0.5), parcels.slope <= 6, parcels.slope <= 15,
         parcels.slope <= 25], ["valley", "hollow", "gentle", "steep"], "cliff")
    fringe = (parcels.kind == HAMLET_RING) | ((parcels.kind == HOMESTEAD) & (parcels.area > 600))
    table_of = np.where(fringe, "ring",
                        np.where(parcels.kind == TOWN, "town",
                                 np.where(parcels.kind == INDUSTRY, "industry", terrain)))
    codes = np.empty(n, dtype=object)
    for name in LAND_USE_TABLES:
        idx = np.flatnonzero(table_of == name)
        options, probs = LAND_USE_TABLES[name]
        codes[idx] = rng.choice(np.array(options, dtype=object), size=len(idx), p=probs)
    home = (parcels.kind == HOMESTEAD) & (parcels.area >= 150) & (parcels.area <= 600)
    codes[home] = "0702"
    codes[(parcels.kind == HOMESTEAD) & (parcels.area < 150)] = "1201"
    for kind, code in LINEAR_CODES.items():
        codes[parcels.kind == kind] = code
    # 1104 ponds are small: large valley cells drawn as ponds become paddy instead
    codes[(codes == "1104") & (parcels.area > 6000)] = "0101"
    mine = np.flatnonzero((parcels.kind == GENERAL) & (parcels.slope > 12) & (parcels.slope < 35)
                          & (parcels.area > 4000) & (parcels.area < 40000))
    if len(mine):
        codes[rng.choice(mine)] = "0602"
    return codes


def _assign_groups(rng, parcels):
    """村民小组 of each parcel: nearest of a few group seeds within its village."""
    xy = shapely.get_coordinates(shapely.point_on_surface(parcels.geoms))
    group = np.zeros(len(xy), int)
    for idx in _index_groups(parcels.village, parcels.village.max() + 1):
        if len(idx) == 0:
            continue
        k = int(np.clip(round(len(idx) / 60), 2, 9))
        k = min(k, len(idx))
        seeds = xy[idx[rng.choice(len(idx), size=k, replace=False)]]
        group[idx] = cKDTree(seeds).query(xy[idx])[1]
    parcels.group = group


def _parcel_order(parcels) -> np.ndarray:
    """Parcel order: village, then north-to-south bands of 200 m, then west to east."""
    xy = shapely.get_coordinates(shapely.point_on_surface(parcels.geoms))
    return np.lexsort((xy[:, 0], np.floor(-xy[:, 1] / 200.0), parcels.village))


def _reorder(parcels, order):
    """Apply a permutation to every per-parcel array."""
    for name in ("geoms", "village", "kind", "width", "group", "slope", "elev", "basin",
                 "area", "code"):
        setattr(parcels, name, getattr(parcels, name)[order])


def _renumber_ids(ids, order) -> np.ndarray:
    """Rewrite a parcel-id raster (index + 1) after reordering the parcels."""
    lut = np.zeros(len(order) + 1, np.int32)
    lut[order + 1] = np.arange(1, len(order) + 1, dtype=np.int32)
    return lut[ids]


def _dltb_records(rng, site, parcels) -> dict:
    """Column arrays of the DLTB attributes, in DLTB_SCHEMA order."""
    n = len(parcels.geoms)
    codes = parcels.code
    cun = np.array(site.village_codes, dtype=object)[parcels.village]
    zldwdm = np.array([f"{c}{g + 1:03d}0000" for c, g in zip(cun, parcels.group)], dtype=object)
    zldwmc = np.array(site.village_names, dtype=object)[parcels.village]
    names = {c: name_of(c) for c in set(codes.tolist())}
    rec = {f.name: np.full(n, None, dtype=object) for f in DLTB_SCHEMA}
    rec["BSM"] = np.array([f"{COUNTY_CODE}21{i + 1:010d}" for i in range(n)], dtype=object)
    rec["YSDM"][:] = YSDM
    rec["TBBH"] = _numbers_per_group(parcels.village)
    rec["TBYBH"] = rec["TBBH"].copy()
    rec["DLBM"] = codes
    rec["DLMC"] = np.array([names[c] for c in codes], dtype=object)
    rec["QSXZ"][:] = "30"
    rec["QSDWDM"], rec["ZLDWDM"] = zldwdm, zldwdm.copy()
    rec["QSDWMC"], rec["ZLDWMC"] = zldwmc, zldwmc.copy()
    rec["TBMJ"] = parcels.area
    rec["SJNF"][:] = SJNF
    _farmland_fields(rng, parcels, rec)
    linear = np.isin(parcels.kind, list(LINEAR_CODES))
    rec["XZDWKD"][linear] = np.round(parcels.width[linear], 1)
    construction = np.array([category_of(c) == CONSTRUCTION for c in codes])
    for kind, czcs in CZCS_OF_KIND.items():
        rec["CZCSXM"][(parcels.kind == kind) & construction] = czcs
    rec["CZCSXM"][codes == "0702"] = "203"
    rec["CZCSXM"][codes == "0602"] = "204"
    rec["BZ"][codes == "0602"] = "废弃矿山"
    return rec


def _numbers_per_group(key) -> np.ndarray:
    """'1', '2', ... restarting for each value of key (key runs are contiguous)."""
    out = np.empty(len(key), dtype=object)
    start = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    ends = np.r_[start[1:], len(key)]
    for s, e in zip(start, ends):
        out[s:e] = [str(i) for i in range(1, e - s + 1)]
    return out


def _farmland_fields(rng, parcels, rec):
    """Slope grade (mostly right, some off by one or two), 梯田/坡地, 田坎 deduction and
    the farmland detail codes; non-farmland keeps KCXS 0 and TBDLMJ = TBMJ."""
    n = len(parcels.geoms)
    farm = np.isin(parcels.code, list(FARMLAND_CODES))
    true_grade = slope_grade(parcels.slope).astype(int)
    true_grade[true_grade == 0] = 1
    off = rng.choice([0, 1, 2], size=n, p=[0.9, 0.08, 0.02]) * rng.choice([-1, 1], size=n)
    grade = true_grade + off
    grade = np.where((grade < 1) | (grade > 5), true_grade - off, grade)
    tt_share = np.where(parcels.code == "0101", 0.9, np.asarray(TT_SHARE)[grade])
    terraced = rng.random(n) < tt_share
    gdlx = np.where(terraced, "TT", "PD")
    kcxs = np.where(terraced, np.asarray(KCXS_TABLE["TT"])[grade],
                    np.asarray(KCXS_TABLE["PD"])[grade])
    kcxs = np.where(farm, kcxs, 0.0)
    kcmj = np.round(parcels.area * kcxs, 2)
    rec["KCXS"] = kcxs
    rec["KCMJ"] = kcmj
    rec["TBDLMJ"] = np.round(parcels.area - kcmj, 2)
    rec["KCDLBM"][kcxs > 0] = "1203"
    rec["GDLX"][farm & (grade > 1)] = gdlx[farm & (grade > 1)]
    rec["GDPDJB"][farm] = grade[farm].astype(str)
    karst = farm & (parcels.slope > 15) & (parcels.basin < 0.5)
    tbxh = np.where(karst & (rng.random(n) < 0.35), "SMGD",
                    np.where(farm & (grade >= 3) & (rng.random(n) < 0.04), "LQGD", ""))
    tbxh = np.where(farm & (tbxh == "") & (grade >= 3) & (rng.random(n) < 0.05), "SMGD", tbxh)
    has = tbxh != ""
    rec["TBXHDM"][has] = tbxh[has]
    rec["TBXHMC"][has] = [TBXH_NAMES[c] for c in tbxh[has]]
    zz = rng.choice(["LS", "FLS", "LYFL", "XG", "WG", ""], size=n,
                    p=[0.55, 0.18, 0.07, 0.03, 0.05, 0.12])
    has = farm & (zz != "")
    rec["GDZZSXDM"][has] = zz[has]
    rec["GDZZSXMC"][has] = [ZZSX_NAMES[c] for c in zz[has]]
    gddb = np.clip(np.round(8.5 + 0.8 * grade + rng.normal(0, 1.0, n)), 7, 15).astype(int)
    rec["GDDB"][farm] = gddb[farm].tolist()


# ---------------------------------------------------------------- other layers

def _urban_boundary(rng, site):
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
    return _as_multi(geoms), {"KFBJMC": np.array(names, dtype=object)}


def _rounded(shape, distance) -> shapely.Polygon:
    """shape grown by distance with smooth corners, vertices every ~20 m."""
    return shapely.segmentize(shapely.simplify(shape.buffer(distance, quad_segs=8), 2.0), 20.0)


def _red_line(rng, site, grid, basin):
    """生态保护红线 over ~15 % of the township, mostly the cone zone, smooth outlines."""
    step = grid.cell * COARSE
    mountain = ndimage.gaussian_filter(1.0 - basin, 250.0 / step)
    value = mountain + mountain.std() * (0.45 * _noise(rng, basin.shape, 900.0 / step)
                                         + 0.25 * _noise(rng, basin.shape, 250.0 / step))
    row, col = grid.coarse_index(_uniform_in(rng, site.boundary, 20000))
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
    return _as_multi(parts), {"HXMC": names, "HXLX": kind}


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
    hole = _blob(rng, np.array(inner.coords[0]), 0.45 * depth, 90, roughness=0.1, harmonics=5)
    parts = parts.copy()
    parts[big] = shapely.difference(parts[big], hole)
    return parts


def _basic_farmland(rng, site, grid, parcels, ids, red, urban):
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
    return _as_multi(parts), {"JBNTBH": codes}


def _village_layer(site, parcels):
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
    return _as_multi(np.array([unions[v] for v in present], dtype=object)), attrs


def _drop_small_holes(geom, min_area):
    """geom without interior rings smaller than min_area."""
    polys = []
    for poly in shapely.get_parts(geom):
        holes = [r for r in poly.interiors if shapely.Polygon(r).area >= min_area]
        polys.append(shapely.Polygon(poly.exterior, holes))
    if not polys:
        return geom
    return shapely.multipolygons(polys) if len(polys) > 1 else polys[0]


def _buildings(rng, parcels):
    """House footprints on homesteads: none (~10 %), a tiny shed (~5 %), one or two houses;
    some straddle a parcel edge, a few overlap, one or two are invalid bow-ties."""
    homes = np.array([_largest_part(g) for g in parcels.geoms[parcels.code == "0702"]],
                     dtype=object)
    centre, axis, length = _long_axis(homes)
    angle = np.arctan2(axis[:, 1], axis[:, 0])
    area = shapely.area(homes)
    plan = _building_plan(rng, area)
    rects, status, floors = [], [], []

    def add(xy, a, theta, shed=False):
        ratio = rng.uniform(1.1, 1.8)
        w = math.sqrt(a / ratio)
        rects.append(_rectangle(xy, a / w, w, theta + rng.normal(0, 0.06)))
        status.append("正常" if shed else rng.choice(FWZT_VALUES, p=[0.80, 0.07, 0.03, 0.10]))
        floors.append(1 if shed else int(rng.choice([1, 2, 3], p=[0.35, 0.45, 0.20])))

    for i in range(len(homes)):
        if plan[i] == 1:
            add(centre[i], rng.uniform(4.0, max(4.5, min(12.0, 0.08 * area[i]))), angle[i], True)
        elif plan[i] == 2:
            add(centre[i] + rng.normal(0, 1.0, 2),
                max(60.0, min(rng.uniform(60, 250), 0.6 * area[i])), angle[i])
        elif plan[i] == 3:
            shift = axis[i] * length[i] / 4
            add(centre[i] + shift, max(60.0, min(rng.uniform(80, 200), 0.3 * area[i])), angle[i])
            add(centre[i] - shift, rng.uniform(60, 110), angle[i])
    rects, status, floors = _building_quirks(rng, np.array(rects, dtype=object),
                                             np.array(status, dtype=object), np.array(floors),
                                             homes, plan, centre)
    others = _other_buildings(rng, parcels)
    rects = np.concatenate([rects, others])
    status = np.concatenate([status, np.full(len(others), "正常", dtype=object)])
    floors = np.concatenate([floors, rng.choice([1, 2, 3, 4], size=len(others),
                                                p=[0.6, 0.2, 0.1, 0.1])])
    jzmj = np.round(shapely.area(rects) * floors, 2)
    _make_bow_ties(rng, rects)
    return rects, {"FWZT": status, "JZMJ": jzmj, "CS": floors}


# buildings off the homesteads, per m² of parcel: town blocks on construction land
TOWN_BUILDING_DENSITY = {"0701": 1 / 250, "05H1": 1 / 400, "0508": 1 / 600, "0601": 1 / 800,
                         "0602": 1 / 2000, "08H1": 1 / 500, "08H2": 1 / 500, "0809": 1 / 800,
                         "1202": 1 / 400}
# share of farmland and garden parcels with a field shed (烤烟房, 农具房, 看护房)
FIELD_SHED_SHARE = 0.8


def _other_buildings(rng, parcels) -> np.ndarray:
    """Footprints off the homesteads, as real footprint data holds them: blocks of town
    buildings on construction land and one small shed on most farmland/garden parcels."""
    geoms, codes = parcels.geoms, parcels.code
    centres, sizes = [], []
    for code, per_m2 in TOWN_BUILDING_DENSITY.items():
        for geom in geoms[codes == code]:
            part = _largest_part(geom)
            want = int(min(60, max(1, part.area * per_m2)))
            x0, y0, x1, y1 = part.bounds
            pts = shapely.points(rng.uniform(x0, x1, 4 * want), rng.uniform(y0, y1, 4 * want))
            inside = shapely.get_coordinates(pts[shapely.contains(part, pts)])[:want]
            centres.append(inside)
            sizes.append(rng.uniform(80, 400, len(inside)))
    fields = np.flatnonzero(np.isin(codes, list(FARMLAND_CODES) + ["0201", "0201K", "0202"]))
    fields = fields[rng.random(len(fields)) < FIELD_SHED_SHARE]
    centres.append(shapely.get_coordinates(shapely.point_on_surface(geoms[fields])))
    sizes.append(rng.uniform(12, 45, len(fields)))
    centres, sizes = np.concatenate(centres), np.concatenate(sizes)
    angles = rng.uniform(0, math.pi, len(sizes))
    ratios = rng.uniform(1.1, 2.0, len(sizes))
    widths = np.sqrt(sizes / ratios)
    return np.array([_rectangle(c, a / w, w, t) for c, a, w, t in
                     zip(centres, sizes, widths, angles)], dtype=object)


def _largest_part(geom):
    """The polygon of largest area in a (multi)polygon."""
    parts = shapely.get_parts(geom)
    return parts[np.argmax(shapely.area(parts))]


def _long_axis(polys):
    """Centroid, unit long-axis direction and long-axis length (oriented envelope)."""
    env = shapely.oriented_envelope(polys)
    ring = shapely.get_coordinates(shapely.get_exterior_ring(env)).reshape(len(polys), 5, 2)
    edge1, edge2 = ring[:, 1] - ring[:, 0], ring[:, 2] - ring[:, 1]
    long1 = np.hypot(*edge1.T) >= np.hypot(*edge2.T)
    axis = np.where(long1[:, None], edge1, edge2)
    length = np.hypot(*axis.T)
    axis = axis / np.maximum(length, 1e-9)[:, None]
    return shapely.get_coordinates(shapely.centroid(polys)), axis, length


def _building_plan(rng, area) -> np.ndarray:
    """Per homestead: 0 no building, 1 a shed only, 2 one house, 3 two houses (≥ 320 m²);
    every case occurs at least once, even in tiny townships."""
    u = rng.random(len(area))
    plan = np.select([u < 0.10, u < 0.15, (u < 0.62) | (area < 320)], [0, 1, 2], 3)
    for case in (0, 1, 3):
        single = np.flatnonzero(plan == 2)
        if not (plan == case).any() and len(single):
            plan[single[np.argmax(area[single])] if case == 3 else rng.choice(single)] = case
    return plan


def _building_quirks(rng, rects, status, floors, homes, plan, centre):
    """Move ~4 % of houses onto a parcel edge and add shifted duplicates of ~1.5 %."""
    owner = np.repeat(np.arange(len(homes)), np.select([plan == 3, plan > 0], [2, 1], 0))
    houses = np.flatnonzero(shapely.area(rects) >= 40)
    n_straddle = max(2, int(0.04 * len(houses)))
    for b in rng.choice(houses, size=min(n_straddle, len(houses)), replace=False):
        edge = shapely.get_exterior_ring(homes[owner[b]])
        target = shapely.get_coordinates(shapely.shortest_line(shapely.Point(centre[owner[b]]),
                                                               edge))[1]
        here = shapely.get_coordinates(shapely.centroid(rects[b]))[0]
        rects[b] = shapely.transform(rects[b], lambda xy, d=target - here: xy + d)
    n_dup = max(2, int(0.015 * len(houses)))
    dup = rng.choice(houses, size=min(n_dup, len(houses)), replace=False)
    copies = [shapely.affinity.rotate(shapely.transform(rects[b], lambda xy: xy + rng.uniform(
        1.5, 3.5, 2)), rng.uniform(-4, 4)) for b in dup]
    rects = np.concatenate([rects, np.array(copies, dtype=object)])
    return rects, np.concatenate([status, status[dup]]), np.concatenate([floors, floors[dup]])


def _make_bow_ties(rng, rects):
    """Swap two corners of one building in 800 (at least one) to make invalid bow-ties."""
    n = max(1, len(rects) // 800)
    for b in rng.choice(len(rects), size=min(n, len(rects)), replace=False):
        xy = shapely.get_coordinates(rects[b])
        rects[b] = shapely.Polygon(xy[[0, 1, 3, 2, 0]])


def _rectangle(centre, length, width, angle) -> shapely.Polygon:
    """A length × width rectangle around centre, long side at angle (radians)."""
    c, s = math.cos(angle), math.sin(angle)
    local = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * [length / 2, width / 2]
    return shapely.Polygon(local @ np.array([[c, s], [-s, c]]) + centre)


# ---------------------------------------------------------------- households

def _write_households(path, rng, records, geoms, buildings):
    """households.csv (UTF-8 with BOM): most homesteads plus a few unmatched keys."""
    homes = np.flatnonzero(records["DLBM"] == "0702")
    keys = records["BSM"][homes]
    occupied = _homes_with_living_house(geoms[homes], *buildings)
    pick = rng.random(len(homes)) < 0.92
    rows = []
    for key, occ in zip(keys[pick], occupied[pick]):
        residents = int(rng.choice(np.arange(1, 8), p=[.12, .2, .22, .2, .14, .08, .04])) if occ \
            else int(rng.random() < 0.2)
        kwh = (200 + 350 * residents * rng.lognormal(0, 0.35)) if residents else rng.uniform(0, 120)
        rows.append([key, _person_name(rng), residents, int(round(kwh))])
    n_bad = max(3, len(rows) // 100)
    last = len(records["BSM"])
    for i in range(n_bad):
        fake = f"{COUNTY_CODE}21{last + 1000 + i * 7:010d}"
        rows.append([fake, _person_name(rng), int(rng.integers(0, 5)), int(rng.integers(0, 3000))])
    rows = [rows[i] for i in rng.permutation(len(rows))]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["HH_BSM", "HZXM", "CZRK", "NYDL"])
        writer.writerows(rows)


def _homes_with_living_house(geoms, rects, attrs) -> np.ndarray:
    """Whether each homestead holds the centroid of a house (≥ 40 m²) neither 空置 nor 倒塌."""
    living = (shapely.area(rects) >= 40) & ~np.isin(attrs["FWZT"], ["空置", "倒塌"])
    tree = shapely.STRtree(geoms)
    pts = shapely.centroid(rects[living])
    _, home_idx = tree.query(pts, predicate="within")
    out = np.zeros(len(geoms), bool)
    out[home_idx] = True
    return out


def _person_name(rng) -> str:
    """A Chinese personal name: a common local surname and one or two given characters."""
    given = "".join(rng.choice(list(GIVEN), size=int(rng.integers(1, 3))))
    return str(rng.choice(list(SURNAMES))) + given


# ---------------------------------------------------------------- writers

def _dltb_fields():
    """(name, kind, width, precision) of the DLTB schema."""
    return [(f.name, f.kind, f.length, f.precision) for f in DLTB_SCHEMA]


def _str_fields(*specs):
    """String field specs from (name, width) pairs."""
    return [(name, "str", width, 0) for name, width in specs]


def _building_fields():
    """FWZT 房屋状态, JZMJ 建筑面积 (m², footprint × floors), CS 层数."""
    return [("FWZT", "str", 10, 0), ("JZMJ", "float", 12, 2), ("CS", "int", 2, 0)]


def _as_multi(geoms) -> np.ndarray:
    """Every geometry as a MultiPolygon (empty inputs are dropped)."""
    geoms = np.asarray(geoms, dtype=object)
    parts, index = shapely.get_parts(geoms, return_index=True)
    polys = shapely.get_type_id(parts) == 3
    parts, index = parts[polys], index[polys]
    out = np.full(len(geoms), None, dtype=object)
    if len(parts):
        shapely.multipolygons(parts, indices=index, out=out)
    return out


def _write_dem(path, grid, dem):
    """Tiled, deflate-compressed Float32 GeoTIFF in EPSG:4545 with nodata -9999."""
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path, grid.nx, grid.ny, 1, gdal.GDT_Float32, options=[
        "TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=3",
        "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform(grid.geotransform)
    ds.SetProjection(_srs(EPSG).ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(NODATA)
    band.WriteArray(dem)
    ds.FlushCache()
    ds = None


def _write_gpkg(path, layers, steps):
    """All vector layers into one GeoPackage (spatial index on), in EPSG:4545."""
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    total = sum(len(g) for _, g, _, _ in layers)
    done = 0
    for name, geoms, fields, records in layers:
        gtype = ogr.wkbPolygon if name == "buildings" else ogr.wkbMultiPolygon
        lyr = ds.CreateLayer(name, _srs(EPSG), gtype, options=[
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


# ---------------------------------------------------------------- helpers

def _srs(epsg) -> osr.SpatialReference:
    """An EPSG spatial reference in x = easting, y = northing order."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(int(epsg))
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _to_gk(lon, lat):
    """(easting, northing) in EPSG:4545 of a CGCS2000 longitude/latitude."""
    ct = osr.CoordinateTransformation(_srs(4490), _srs(EPSG))
    x, y, _ = ct.TransformPoint(lon, lat)
    return x, y


class _gdal_context:
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


def _remove_files(paths):
    """Delete the given files and any SQLite side files, where present."""
    for path in paths:
        for p in (path, path + "-journal", path + "-wal", path + "-shm"):
            if os.path.exists(p):
                os.remove(p)
