"""Building footprints: houses on homesteads with their quirks (straddling an edge,
overlapping, invalid bow-ties), town buildings and field sheds."""
from __future__ import annotations

import math

import numpy as np
import shapely
import shapely.affinity

from ..core.land_classes import FARMLAND_CODES


FWZT_VALUES = ("正常", "危房", "倒塌", "空置")


def building_footprints(rng, parcels):
    """House footprints on homesteads: none (~10 %), a tiny shed (~5 %), one or two houses;
    some straddle a parcel edge, a few overlap, one or two are invalid bow-ties."""
    homes = np.array([_largest_part(g) for g in parcels.geoms[parcels.code == "0702"]],
                     dtype=object)
    centre, axis, length = _long_axis(homes)
    angle = np.arctan2(axis[:, 1], axis[:, 0])
    area = shapely.area(homes)
    plan = _building_plan(rng, area)
    rects, status, floors = [], [], []           # rects: (centre x, y, length, width, angle)

    def add(xy, a, theta, shed=False):
        ratio = rng.uniform(1.1, 1.8)
        w = math.sqrt(a / ratio)
        rects.append((xy[0], xy[1], a / w, w, theta + rng.normal(0, 0.06)))
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
    rects = _rectangles(*np.array(rects, dtype=float).reshape(-1, 5).T)
    rects, status, floors = _building_quirks(rng, rects,
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
    return _rectangles(centres[:, 0], centres[:, 1], sizes / widths, widths, angles)


def _largest_part(geom):
    """The polygon of largest area in a (multi)polygon."""
    parts = shapely.get_parts(geom)
    return parts[np.argmax(shapely.area(parts))]


def _long_axis(polys):
    """Centroid, unit long-axis direction and long-axis length of each polygon's
    minimum-area enclosing rectangle (one of whose sides lies on a convex hull edge)."""
    hull = shapely.get_exterior_ring(shapely.convex_hull(polys))
    xy, owner = shapely.get_coordinates(hull, return_index=True)
    same = owner[1:] == owner[:-1]
    start, edge, edge_owner = xy[:-1][same], (xy[1:] - xy[:-1])[same], owner[:-1][same]
    size = np.hypot(*edge.T)
    start, edge_owner = start[size > 0], edge_owner[size > 0]
    u = edge[size > 0] / size[size > 0][:, None]
    # every hull vertex of a polygon against every hull edge of it, in the edge's frame
    n_vertex = np.bincount(owner, minlength=len(polys))
    first_vertex = np.r_[0, np.cumsum(n_vertex)[:-1]]
    per_edge = n_vertex[edge_owner]
    pair_edge = np.repeat(np.arange(len(u)), per_edge)
    offset = np.arange(len(pair_edge)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    d = xy[first_vertex[edge_owner][pair_edge] + offset] - start[pair_edge]
    along = (d * u[pair_edge]).sum(axis=1)
    across = d[:, 1] * u[pair_edge, 0] - d[:, 0] * u[pair_edge, 1]
    bounds = np.r_[0, np.cumsum(per_edge)[:-1]]
    span_u = np.maximum.reduceat(along, bounds) - np.minimum.reduceat(along, bounds)
    span_v = np.maximum.reduceat(across, bounds) - np.minimum.reduceat(across, bounds)
    order = np.lexsort((span_u * span_v, edge_owner))
    best = order[np.r_[True, edge_owner[order][1:] != edge_owner[order][:-1]]]
    lengthwise = span_u[best] >= span_v[best]
    axis = np.where(lengthwise[:, None], u[best], np.column_stack([-u[best, 1], u[best, 0]]))
    length = np.where(lengthwise, span_u[best], span_v[best])
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
        ring = shapely.get_coordinates(shapely.get_exterior_ring(homes[owner[b]]))
        target = _nearest_on_ring(ring, centre[owner[b]])
        here = shapely.get_coordinates(rects[b])[:4].mean(axis=0)
        rects[b] = shapely.transform(rects[b], lambda xy, d=target - here: xy + d)
    n_dup = max(2, int(0.015 * len(houses)))
    dup = rng.choice(houses, size=min(n_dup, len(houses)), replace=False)
    copies = [shapely.affinity.rotate(shapely.transform(rects[b], lambda xy: xy + rng.uniform(
        1.5, 3.5, 2)), rng.uniform(-4, 4)) for b in dup]
    rects = np.concatenate([rects, np.array(copies, dtype=object)])
    return rects, np.concatenate([status, status[dup]]), np.concatenate([floors, floors[dup]])


def _nearest_on_ring(ring, point) -> np.ndarray:
    """The point of a closed ring (coordinates) nearest to point."""
    a, ab = ring[:-1], np.diff(ring, axis=0)
    t = np.clip(((point - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-18),
                0.0, 1.0)
    near = a + t[:, None] * ab
    return near[np.argmin(np.hypot(*(near - point).T))]


def _make_bow_ties(rng, rects):
    """Swap two corners of one building in 800 (at least one) to make invalid bow-ties."""
    n = max(1, len(rects) // 800)
    for b in rng.choice(len(rects), size=min(n, len(rects)), replace=False):
        xy = shapely.get_coordinates(rects[b])
        rects[b] = shapely.Polygon(xy[[0, 1, 3, 2, 0]])


def _rectangles(x, y, length, width, angle) -> np.ndarray:
    """length × width rectangles around (x, y), the long side at angle (radians)."""
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    corner = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], dtype=float)
    lx = corner[None, :, 0] * (np.asarray(length) / 2)[:, None]
    ly = corner[None, :, 1] * (np.asarray(width) / 2)[:, None]
    ring = np.stack([lx * c - ly * s + np.asarray(x)[:, None],
                     lx * s + ly * c + np.asarray(y)[:, None]], axis=-1)
    return shapely.polygons(ring)
