"""Roads and ditches cut out of the Voronoi cells as their own parcels, drawn so that the
parcels tile the township edge to edge (no gap, no overlap, not even a sliver).

Every edge two parcels share is computed once: the cells a road, a ditch or the township
outline touches, the road and ditch buffers and the outline are noded together in one
GEOS call and polygonized; each face then goes to its cell, or to the road of highest
rank covering it. Cells nothing touches stay whole Voronoi cells, whose shared edges
match exactly. Rounding to the survey grid comes last and treats a shared vertex the
same way in every parcel holding it.
"""
from __future__ import annotations

import numpy as np
import shapely

from .site import DITCH, HIGHWAY, ROAD

ROAD_MIN_M2 = 5.0          # road and ditch pieces below this stay part of their cell
SLIVER_M2 = 30.0           # cell parts below this stay attached to the cell's largest part
RANK = (HIGHWAY, ROAD, DITCH)                 # a road over a ditch, a highway over both
RANK_OF = np.full(max(RANK) + 1, -1)
RANK_OF[list(RANK)] = np.arange(len(RANK))


def cut_linear_features(cells, site, village, extent, steps):
    """The township's parcels as (geoms, cell, kind, width): the source cell of each (of
    a road piece: the lowest-numbered cell it crosses), the linear kind (HIGHWAY, ROAD,
    DITCH; -1 for a cell's own land) and the road or ditch width (NaN for a cell's
    land). Road pieces are cut per village."""
    lines = np.array([line for line, _, _ in site.lines], dtype=object)
    widths = np.array([w for _, w, _ in site.lines], dtype=float)
    kinds = np.array([k for _, _, k in site.lines], dtype=int)
    buffers = shapely.buffer(lines, widths / 2, cap_style="flat", join_style="mitre",
                             mitre_limit=2.0)
    shapely.prepare(site.boundary)
    redraw = ~shapely.contains_properly(site.boundary, cells)
    redraw[shapely.STRtree(cells).query(buffers, predicate="intersects")[1]] = True
    redraw = np.flatnonzero(redraw)
    steps.check()
    faces = _faces(cells[redraw], buffers, site.boundary, extent)
    steps.check()
    points = shapely.point_on_surface(faces)
    # faces beyond the outline, or filling a whole cell the redrawn ones surround, go
    keep = shapely.contains_properly(site.boundary, points)
    faces, points = faces[keep], points[keep]
    face_cell = _holder(faces, points, cells, redraw)
    faces, points, face_cell = faces[face_cell >= 0], points[face_cell >= 0], \
        face_cell[face_cell >= 0]
    face_kind, face_buffer = _linear_cover(points, buffers, kinds)
    steps.check()
    road = _road_pieces(faces, points, face_cell, face_kind, face_buffer, village, steps)
    land = _cell_land(faces, face_cell, face_kind, road[4])
    whole = np.setdiff1d(np.arange(len(cells)), redraw)
    geoms = np.concatenate([cells[whole], land[0], road[0]])
    cell = np.concatenate([whole, land[1], road[1]])
    kind = np.concatenate([np.full(len(whole) + len(land[0]), -1), road[2]])
    width = np.concatenate([np.full(len(whole) + len(land[0]), np.nan), widths[road[3]]])
    return geoms, cell, kind, width


def _faces(cells, buffers, boundary, extent) -> np.ndarray:
    """Faces of the cells' edges (each once), the buffers' outlines (cut off beyond the
    DEM extent) and the township outline, noded together."""
    edges = _distinct_segments(shapely.multilinestrings(shapely.get_rings(shapely.get_parts(cells))))
    linework = np.concatenate([
        shapely.get_parts(shapely.line_merge(shapely.multilinestrings(edges))),
        shapely.get_parts(shapely.clip_by_rect(shapely.boundary(buffers), *extent)),
        [shapely.get_exterior_ring(boundary)]])
    linework = shapely.multilinestrings(shapely.get_parts(linework[~shapely.is_empty(linework)]))
    try:
        noded = shapely.node(linework)           # a quarter of the time a union takes
    except shapely.errors.GEOSException:
        noded = shapely.union_all(linework)
    return shapely.get_parts(shapely.polygonize(_distinct_segments(noded)))


def _distinct_segments(lines) -> np.ndarray:
    """Each segment of the lines once (either direction), as two-point lines."""
    xy, part = shapely.get_coordinates(shapely.get_parts(lines), return_index=True)
    same = part[1:] == part[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    forward = (a[:, 0] < b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] < b[:, 1]))
    seg = np.ascontiguousarray(np.concatenate([np.where(forward[:, None], a, b),
                                               np.where(forward[:, None], b, a)], axis=1))
    _, first = np.unique(seg.view(np.dtype((np.void, 32))).ravel(), return_index=True)
    return shapely.linestrings(seg[np.sort(first)].reshape(-1, 2, 2))


def _holder(faces, points, polygons, candidates=None) -> np.ndarray:
    """Index of the polygon holding each face (the faces subdivide the polygons): the
    candidate (default: any polygon) whose interior holds the face's inner point; a face
    too thin for that point, which lies on a candidate's edge then, goes to the candidate
    sharing most of its area; -1 for a face no candidate holds."""
    candidates = np.arange(len(polygons)) if candidates is None else candidates
    holder, face_of = shapely.STRtree(points).query(polygons[candidates], predicate="contains")
    out = np.full(len(faces), -1)
    out[face_of] = candidates[holder]
    missed = np.flatnonzero(out < 0)
    if len(missed):
        tree = shapely.STRtree(polygons[candidates])
        thin = np.unique(tree.query(points[missed], predicate="intersects")[0])
        miss, near = tree.query(faces[missed[thin]], predicate="intersects")
        shared = shapely.area(shapely.intersection(faces[missed[thin]][miss],
                                                   polygons[candidates][near]))
        for k, (s, e) in zip(np.unique(miss), _runs(miss)):
            if shared[s:e].max() > 0:
                out[missed[thin[k]]] = candidates[near[s:e][np.argmax(shared[s:e])]]
    return out


def _linear_cover(points, buffers, kinds):
    """Kind of the highest-ranked buffer holding each face's inner point (-1: none), and
    that buffer (the first of its rank in line order)."""
    buffer, face_of = shapely.STRtree(points).query(buffers, predicate="contains")
    rank = RANK_OF[kinds][buffer]
    order = np.lexsort((buffer, rank, face_of))
    face_of, buffer = face_of[order], buffer[order]
    first = np.r_[True, face_of[1:] != face_of[:-1]]
    kind = np.full(len(points), -1)
    best = np.full(len(points), -1)
    kind[face_of[first]] = kinds[buffer[first]]
    best[face_of[first]] = buffer[first]
    return kind, best


def _road_pieces(faces, points, face_cell, face_kind, face_buffer, village, steps):
    """Road and ditch parcels: the faces of each kind merged per village, pieces of at
    least ROAD_MIN_M2 (smaller ones are handed back to their cells, face_kind -1 then).
    Returns (geoms, cell, kind, buffer, handed-back faces), buffer being the line
    covering most of the piece."""
    linear = np.flatnonzero(face_kind >= 0)
    key = village[face_cell[linear]] * len(RANK) + RANK_OF[face_kind[linear]]
    order = np.argsort(key, kind="stable")
    linear, key = linear[order], key[order]
    parts = [np.empty(0, dtype=object)]
    for g, (s, e) in enumerate(_runs(key)):
        if g % 200 == 0:
            steps.check()
        parts.append(shapely.get_parts(shapely.coverage_union_all(faces[linear[s:e]])))
    parts = np.concatenate(parts)
    face_of, part_of = linear, _holder(faces[linear], points[linear], parts)
    small = shapely.area(parts) < ROAD_MIN_M2
    back = (part_of < 0) | small[part_of]              # (no piece: cannot happen, but safe)
    handed_back = face_of[back]
    face_kind[handed_back] = -1
    face_of, part_of = face_of[~back], part_of[~back]
    kept = np.flatnonzero(~small)
    # per piece: its lowest cell, its kind, and the line credited with most face area
    order = np.lexsort((face_cell[face_of], part_of))
    first = np.r_[True, part_of[order][1:] != part_of[order][:-1]]
    cell = face_cell[face_of[order][first]]
    kind = face_kind[face_of[order][first]]
    credit = np.unique(np.column_stack([part_of, face_buffer[face_of]]), axis=0,
                       return_inverse=True)
    pairs, which = credit[0], np.asarray(credit[1]).ravel()
    weight = np.bincount(which, weights=shapely.area(faces[face_of]), minlength=len(pairs))
    best = np.lexsort((pairs[:, 1], -weight, pairs[:, 0]))
    best = best[np.r_[True, pairs[best][1:, 0] != pairs[best][:-1, 0]]]
    return parts[kept], cell, kind, pairs[best, 1], handed_back


def _cell_land(faces, face_cell, face_kind, handed_back):
    """Each cut cell's own land: its faces not in a road or ditch parcel, every part a
    parcel but slivers under SLIVER_M2, which join the cell's largest part. A cell's
    land faces only meet at points, unless a road piece was handed back between them:
    only such cells need a union. Returns (geoms, cell)."""
    land = np.flatnonzero(face_kind < 0)
    merge = np.isin(face_cell[land], face_cell[handed_back])
    parts = [faces[land[~merge]]]
    owner = [face_cell[land[~merge]]]
    land = land[merge][np.argsort(face_cell[land[merge]], kind="stable")]
    for s, e in _runs(face_cell[land]):
        union = shapely.get_parts(shapely.coverage_union_all(faces[land[s:e]]))
        parts.append(union)
        owner.append(np.full(len(union), face_cell[land[s]]))
    return _attach_slivers(np.concatenate(parts), np.concatenate(owner))


def _attach_slivers(parts, owner):
    """Parts of the cells as parcels: those under SLIVER_M2 joined to their cell's largest
    part as one multipolygon. Returns (geoms, cell)."""
    area = shapely.area(parts)
    order = np.lexsort((-area, owner))                 # each cell's largest part first
    parts, owner, area = parts[order], owner[order], area[order]
    largest = np.r_[True, owner[1:] != owner[:-1]]
    tiny = ~largest & (area < SLIVER_M2)
    joins = np.isin(owner, owner[tiny]) & (largest | tiny)
    alone = ~joins
    if not joins.any():
        return parts, owner
    group = np.cumsum(largest)[joins] - 1
    merged = shapely.multipolygons(parts[joins], indices=np.unique(group, return_inverse=True)[1])
    merged_owner = owner[joins][np.r_[True, group[1:] != group[:-1]]]
    return np.concatenate([parts[alone], merged]), np.concatenate([owner[alone], merged_owner])


def _runs(key):
    """(start, end) of each run of equal values in a sorted array."""
    bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1], True]) if len(key) else [0]
    return list(zip(bounds[:-1], bounds[1:]))


def round_shared_vertices(geoms, step) -> np.ndarray:
    """Vertices rounded to a grid of `step` metres. Parcels that share an edge hold the
    same vertices, rounded alike, so they still share it; a parcel rounding would make
    invalid keeps its exact vertices, and so do the parcels it shares them with."""
    decimals = int(round(-np.log10(step)))
    xy, owner = shapely.get_coordinates(geoms, return_index=True)
    target = np.round(xy, decimals)
    key = np.ascontiguousarray(xy).view(np.complex128).ravel()
    out = shapely.remove_repeated_points(shapely.set_coordinates(geoms.copy(), target))
    redo = np.arange(len(geoms))
    for _ in range(10):
        bad = redo[~shapely.is_valid(out[redo])]
        if len(bad) == 0:
            return out
        exact = np.isin(key, key[np.isin(owner, bad)])
        target[exact] = xy[exact]
        redo = np.unique(owner[exact])
        mine = np.isin(owner, redo)
        out[redo] = shapely.remove_repeated_points(
            shapely.set_coordinates(geoms[redo].copy(), target[mine]))
    raise RuntimeError("rounding the parcels to the survey grid keeps making them invalid")
