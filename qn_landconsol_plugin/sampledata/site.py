"""The township's layout: boundary, towns and villages with names and codes, hamlets,
industrial parks, and the lines of highways, village roads and ditches."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import cKDTree

from .gdal_env import to_gk


MEAN_PARCEL_M2 = 8000.0
PARCELS_PER_VILLAGE = 375
VILLAGES_PER_TOWN = 10
CENTRE_LONLAT = (107.40, 26.45)
COUNTY_CODE, COUNTY_NAME = "522702", "福泉市"


# parcel kinds (how a parcel was made; drives its land use)
GENERAL, HOMESTEAD, HAMLET_RING, TOWN, INDUSTRY, HIGHWAY, ROAD, DITCH = range(8)
HOME_SPACING, TOWN_SPACING, INDUSTRY_SPACING = 20.0, 32.0, 70.0   # seed spacing, m
SPLIT_ALLOWANCE = 0.17    # share of parcels that come from roads and ditches cutting cells


NAME_HEADS = "新龙凤马双红黄金石高大小上下平摆谷者甲打牛羊茶竹桥安长兴团杨沙岩河塘"
NAME_TAILS = "场坪寨山岩井桥田坝湾关冲水河林院洞堡江坡台庄沟"
NAME_MIDS = "花狮鸡鱼木松柏桃阳云"


@dataclass
class Site:
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


def plan_site(rng, n_parcels) -> Site:
    """Boundary, towns and villages with names and codes, hamlets and linear features."""
    area = n_parcels * MEAN_PARCEL_M2
    centre = np.array(to_gk(*CENTRE_LONLAT))
    boundary = _township_boundary(rng, centre, area)
    n_villages = max(3, round(n_parcels / PARCELS_PER_VILLAGE))
    village_xy = _spread_points(rng, boundary, n_villages)
    town_of, seat = _group_into_towns(rng, village_xy)
    town_names, village_names = _place_names(rng, len(seat), n_villages)
    town_codes, village_codes = _admin_codes(village_xy, town_of, len(seat))
    core_n = np.full(len(seat), max(15, round(0.02 * n_parcels / len(seat))))
    shapes = [_settlement_shape(rng, xy, n * TOWN_SPACING ** 2, rng.uniform(1.0, 1.6))
              for xy, n in zip(seat, core_n)]
    site = Site(boundary, town_codes, town_names, seat, core_n, shapes, village_xy,
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
    for t, members in enumerate(index_groups(labels, len(used))):
        near = np.argmin(np.hypot(*(village_xy[members] - centres[t]).T))
        seat[t] = village_xy[members[near]]
    return labels, seat


def _admin_codes(village_xy, town_of, n_towns):
    """9-digit town codes (镇 1xx, then 乡 2xx) and 12-digit village codes (2xx)."""
    town_codes = [f"{COUNTY_CODE}{(101 + t) if t < 99 else (201 + t - 99):03d}"
                  for t in range(n_towns)]
    village_codes = [""] * len(village_xy)
    for t, members in enumerate(index_groups(town_of, n_towns)):
        for k, v in enumerate(members[_north_west_order(village_xy[members])]):
            village_codes[v] = f"{town_codes[t]}{201 + k:03d}"
    return town_codes, village_codes


def _township_boundary(rng, centre, area) -> shapely.Polygon:
    """A smooth irregular star-shaped outline of the given planar area."""
    radius = math.sqrt(area / math.pi)
    n = int(np.clip(2 * math.pi * radius / 25.0, 400, 8000))
    poly = blob_outline(rng, centre, radius, n, roughness=0.16, harmonics=40)
    scale = math.sqrt(area / poly.area)
    return shapely.Polygon((shapely.get_coordinates(poly.exterior) - centre) * scale + centre)


def blob_outline(rng, centre, radius, n_vertices, roughness=0.15, harmonics=8) -> shapely.Polygon:
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
    samples = uniform_in(rng, polygon, max(60 * n, 600))
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


def uniform_in(rng, polygon, n) -> np.ndarray:
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
        taken.add(xy, settlement_reach(n, TOWN_SPACING) + 120)
    shapely.prepare(site.boundary)
    xy_out, n_out, v_out, shapes = [], [], [], []
    for v, centre in enumerate(site.village_xy):
        k = min(int(rng.integers(2, 5)), max(1, int(per_village // 8)))
        sizes = np.maximum(5, np.round(rng.dirichlet(np.full(k, 2.0)) * per_village)).astype(int)
        for size in sizes:
            reach = settlement_reach(size, HOME_SPACING)
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
    blob = blob_outline(rng, np.zeros(2), 1.0, 48, roughness=0.3, harmonics=4)
    xy = shapely.get_coordinates(blob.exterior)
    angle = rng.uniform(0, math.pi)
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[c, s], [-s, c]])
    xy = ((xy @ rot.T) * [math.sqrt(aspect), 1 / math.sqrt(aspect)]) @ rot
    xy *= math.sqrt(area / shapely.Polygon(xy).area)
    return shapely.Polygon(xy + centre)


def settlement_reach(n, spacing) -> float:
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
    reach = settlement_reach(n_each, INDUSTRY_SPACING)
    taken = _DiscIndex(2000.0)
    for xy, n in zip(site.hamlet_xy, site.hamlet_n):
        taken.add(xy, settlement_reach(n, HOME_SPACING) + 90)
    for xy, n in zip(site.town_seat, site.town_core_n):
        taken.add(xy, settlement_reach(n, TOWN_SPACING) + 120)
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
        xy = shapely.get_coordinates(line)
        if rng.random() < 0.5 and _length(xy) > 400:
            side = rng.choice([-1.0, 1.0]) * rng.uniform(25, 60)
            ditch = _offset(xy, side)
            length = _length(ditch)
            if length > 200:
                part = shapely.LineString(_substring(ditch, 0.1 * length, 0.9 * length))
                out.append((part, float(np.round(rng.uniform(3.0, 5.0), 1)), DITCH))
    for centre in site.village_xy:
        angle = rng.uniform(0, 2 * math.pi)
        end = centre + rng.uniform(300, 700) * np.array([math.cos(angle), math.sin(angle)])
        start = centre + 40 * np.array([math.cos(angle), math.sin(angle)])
        out.append((_wiggly(rng, start, end, 40, 30), float(np.round(rng.uniform(3.0, 4.0), 1)),
                    DITCH))
    return out


def _length(xy) -> float:
    """Length of a polyline given as an (n, 2) array."""
    return float(np.hypot(*np.diff(xy, axis=0).T).sum())


def _offset(xy, distance) -> np.ndarray:
    """A polyline moved sideways by distance (to its left when positive), vertex by
    vertex along the mitred normals; vertices a tight bend folds back are dropped.
    (numpy rather than GEOS's offset curve, which differs between GEOS releases.)"""
    step = np.diff(xy, axis=0)
    normal = np.column_stack([-step[:, 1], step[:, 0]]) / np.hypot(*step.T)[:, None]
    vertex = np.vstack([normal[:1], normal[:-1] + normal[1:], normal[-1:]])
    vertex /= np.maximum(np.hypot(*vertex.T), 1e-12)[:, None]
    cos = np.r_[1.0, (vertex[1:-1] * normal[1:]).sum(axis=1), 1.0]
    out = xy + distance * (vertex / np.clip(cos, 0.5, None)[:, None])
    for _ in range(len(out)):
        forward = (np.diff(out, axis=0) * np.diff(xy, axis=0)).sum(axis=1) > 0
        folded = np.zeros(len(out), bool)
        folded[np.flatnonzero(~forward)] = folded[np.flatnonzero(~forward) + 1] = True
        folded[[0, -1]] = False
        if not folded.any():
            break
        out, xy = out[~folded], xy[~folded]
    return out


def _substring(xy, start, end) -> np.ndarray:
    """The stretch of a polyline between two distances along it."""
    along = np.r_[0.0, np.cumsum(np.hypot(*np.diff(xy, axis=0).T))]
    inner = xy[(along > start) & (along < end)]
    ends = np.column_stack([np.interp([start, end], along, xy[:, 0]),
                            np.interp([start, end], along, xy[:, 1])])
    return np.vstack([ends[:1], inner, ends[1:]])


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


def index_groups(key, n) -> list:
    """For each key value 0..n-1, the indices holding it (ascending)."""
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(n + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(n)]
