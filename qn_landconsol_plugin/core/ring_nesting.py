"""(Multi)Polygons from closed rings given in any order and orientation, as the rings of
a 地块 come in a declaration file: a ring inside an odd number of others is a hole of
the smallest ring that holds it (the even-odd rule). Which rings hold which is found
through an STRtree of the rings' bounding boxes and prepared point-in-polygon tests,
so 40,000 holes in one shell nest in well under a second instead of all-pairs tests."""
from __future__ import annotations

import numpy as np
import shapely

from .cancel import Canceled

# probes queried per step: the cancel check runs between steps, and the candidate pairs
# of one step stay small even for deeply nested rings (where pairs grow as n²)
_CHUNK = 1024


def ring_signed_area(xy) -> float:
    """Shoelace area of a closed ring in (x east, y north): > 0 counter-clockwise."""
    xy = np.asarray(xy, dtype=float)
    if len(xy) < 4:
        return 0.0
    x = xy[:, 0] - xy[0, 0]
    y = xy[:, 1] - xy[0, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _abs_areas(coords: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """|shoelace area| of every ring of a flat coordinate array (rings closed)."""
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    ring = np.repeat(np.arange(len(counts)), counts)
    x = coords[:, 0] - coords[starts, 0][ring]
    y = coords[:, 1] - coords[starts, 1][ring]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    same = ring[:-1] == ring[1:]
    return np.abs(0.5 * np.bincount(ring[:-1][same], weights=cross[same],
                                    minlength=len(counts)))


def _holds_on_boundary(polys, rings, i, j) -> np.ndarray:
    """For rings i whose first vertex lies on ring j: does j hold the whole ring i (it
    covers ring i and an interior point of i)? Invalid rings that GEOS cannot relate
    are taken as not held."""
    out = np.zeros(len(i), dtype=bool)
    for k, (a, b) in enumerate(zip(i, j)):
        try:
            out[k] = bool(shapely.covers(polys[b], rings[a]) and
                          shapely.intersects(polys[b], shapely.point_on_surface(polys[a])))
        except shapely.errors.GEOSException:
            out[k] = False
    return out


def holders(coords, counts, groups, cancel=None):
    """(i, j, |areas|, linear rings): ring j holds ring i when both are of the same group
    (地块), j is larger and its area holds i's first vertex, or all of ring i when that
    vertex lies on j."""
    areas = _abs_areas(coords, counts)
    linear = shapely.linearrings(coords, indices=np.repeat(np.arange(len(counts)), counts))
    polys = shapely.polygons(linear)
    shapely.prepare(polys)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    probes = shapely.points(coords[starts])
    tree = shapely.STRtree(polys)
    found_i, found_j = [np.zeros(0, dtype=np.intp)], [np.zeros(0, dtype=np.intp)]
    for start in range(0, len(counts), _CHUNK):
        if cancel is not None and cancel():
            raise Canceled()
        i, j = tree.query(probes[start:start + _CHUNK])      # bounding boxes only
        i = i + start
        keep = (areas[j] > areas[i]) & (groups[j] == groups[i])
        i, j = i[keep], j[keep]
        inside = shapely.contains_properly(polys[j], probes[i])
        touching = ~inside & shapely.intersects(polys[j], probes[i])
        if touching.any():
            inside[touching] = _holds_on_boundary(polys, linear, i[touching], j[touching])
        found_i.append(i[inside])
        found_j.append(j[inside])
    return np.concatenate(found_i), np.concatenate(found_j), areas, linear


def polygons_from_rings(coords, counts, groups, n_groups: int, cancel=None) -> np.ndarray:
    """One (Multi)Polygon per group (地块) from the closed rings of a flat (x, y) array
    (`counts` points per ring, `groups` the group of each ring), each group's rings in
    any order and orientation; None for a group without rings. `cancel()` is asked
    between steps (raises Canceled)."""
    coords = np.asarray(coords, dtype=float)[:, :2]
    counts = np.asarray(counts)
    groups = np.asarray(groups)
    out = np.full(n_groups, None, dtype=object)
    n = len(counts)
    if n == 0:
        return out
    i, j, areas, linear = holders(coords, counts, groups, cancel)
    depth = np.bincount(i, minlength=n)
    owner = np.full(n, -1)
    if len(i):
        order = np.lexsort((areas[j], i))          # per ring, its smallest holder first
        i_s, j_s = i[order], j[order]
        first = np.r_[True, i_s[1:] != i_s[:-1]]
        owner[i_s[first]] = j_s[first]
    shell = depth % 2 == 0
    hole = ~shell
    hole[hole] = shell[owner[hole]]                 # a hole's owner must be a shell
    shell = ~hole
    part = np.full(n, -1)
    part[shell] = np.arange(int(shell.sum()))
    part[hole] = part[owner[hole]]
    order = np.lexsort((np.arange(n), hole, part))  # per part: its shell, then its holes
    parts = shapely.polygons(linear[order], indices=part[order])
    part_group = groups[shell]                      # parts are numbered in ring order
    per_group = np.bincount(part_group, minlength=n_groups)
    single = per_group[part_group] == 1
    out[part_group[single]] = parts[single]
    multi = ~single
    if multi.any():
        g = part_group[multi]
        order = np.argsort(g, kind="stable")
        used, index = np.unique(g[order], return_inverse=True)
        out[used] = shapely.multipolygons(parts[multi][order], indices=index)
    return out


def rings_to_polygon(rings, cancel=None):
    """(Multi)Polygon from closed rings (arrays of (x, y)) in any order and orientation;
    coordinates are kept as given. A hole whose smallest holder is itself a hole
    (malformed nesting) becomes a shell. `cancel()` is asked between steps (raises
    Canceled)."""
    rings = [np.asarray(r, dtype=float)[:, :2] for r in rings if len(r) >= 4]
    if not rings:
        return shapely.Polygon()
    if len(rings) == 1:
        return shapely.Polygon(rings[0])
    counts = np.array([len(r) for r in rings])
    return polygons_from_rings(np.concatenate(rings), counts, np.zeros(len(rings), dtype=int),
                               1, cancel)[0]
