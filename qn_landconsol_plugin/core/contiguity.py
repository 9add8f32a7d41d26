"""Farmland contiguity (耕地集中连片度): contiguous farmland blocks (连片) and their
indicators, for the current land use and after consolidation.

A block is a part of the dissolved farmland, as native dissolve followed by
multipart to singleparts makes it: farmland parcels joined by shared boundaries of
positive length (parcels touching at a single point stay apart). It is found fast
with a graph (identical boundary segments hashed, the few other neighbours decided
by their DE-9IM relation) and only each block is dissolved. Optionally, blocks whose
fields are separated only by a narrow linear parcel (农村道路, 沟渠) are one block.
The same functions serve the toolbox algorithm, the potential survey's report and
the dock's totals: farmland_blocks() and contiguity_indicators(). What the algorithm
writes (fields, tables) is core/contiguity_outputs.py.

Why ~700 lines in one module: the block graph (shared boundaries, bridges, slivers),
the per-block dissolve and the scenarios work on the same part arrays; apart, one
algorithm would be spread over several files.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from . import task_types
from .cancel import Canceled  # noqa: F401 - callers catch contiguity.Canceled
from .land_classes import FARMLAND_CODES, base_code, normalize_code
from .parallel import thread_map
from .units import M2_PER_MU

# Linear parcels that do not break a block when narrow enough (REFERENCE §2 codes)
DEFAULT_BRIDGE_CODES = ("1006", "1107")   # 农村道路, 沟渠

# polygons (parts) smaller than this are numerically collapsed slivers, which GEOS's
# overlay (and so a dissolve) snaps into whatever they touch (1 mm²; real 三调 parcels
# are never near it)
COLLAPSED_AREA_M2 = 1e-6

# boundaries closer than this count as touching, and edges running together within it
# for more than NEAR_EDGE_MIN_LENGTH_M as shared (floating-point noise of twice-digitised
# edges; real 三调 data has a 0.0001 m resolution)
TOUCH_TOLERANCE_M = 1e-6
NEAR_EDGE_MIN_LENGTH_M = 1e-3

CURRENT, AFTER = "current", "after"
SCENARIO_LABELS = {CURRENT: "现状", AFTER: "整治后"}
CHANGE_LABEL = "变化"
TOTAL_LABEL = "合计"

# ---------------------------------------------------------------------------
# What consolidation does to the farmland set: one table, read by farmland_after().
# (field, value, effect on a parcel that is farmland now, effect on other land)
# Values of ZZLX/ZZZLX are task codes (task_types); their Chinese labels resolve to
# the same codes. QL_LX holds the potential survey's type names, ';'-separated.
KEEP, ADD, REMOVE = "", "in", "out"
FARMLAND_CHANGES = (
    # dock tags: subtypes
    ("ZZZLX", "NYD03", KEEP, ADD),       # 宜耕后备资源开发: reserve land becomes farmland
    ("ZZZLX", "NYD04", REMOVE, ADD),     # 林耕置换: farmland goes up to forest, forest/garden comes down
    ("ZZZLX", "JSYD01", KEEP, ADD),      # 农村宅基地复垦 (to farmland)
    ("ZZZLX", "JSYD03", KEEP, ADD),      # 废弃工矿用地复垦
    ("ZZZLX", "JSYD04", KEEP, ADD),      # 废弃公共设施用地复垦
    ("ZZZLX", "CYRH01", REMOVE, KEEP),   # 农产品加工: new construction occupies farmland
    ("ZZZLX", "CYRH02", REMOVE, KEEP),   # 休闲农业与乡村旅游 facilities
    ("ZZZLX", "CYRH03", REMOVE, KEEP),
    # dock tags: a family alone (no subtype)
    ("ZZLX", "CYRH", REMOVE, KEEP),      # 产业融合 (新增建设) on farmland
    # potential survey (QL_LX)
    ("QL_LX", "宜耕后备资源开发", KEEP, ADD),
    ("QL_LX", "林耕置换（入）", KEEP, ADD),
    ("QL_LX", "林耕置换（出）", REMOVE, KEEP),
    ("QL_LX", "坡耕地退出", REMOVE, KEEP),
    ("QL_LX", "农村宅基地复垦", KEEP, ADD),
    ("QL_LX", "宅基地复垦", KEEP, ADD),
    ("QL_LX", "废弃工矿用地复垦", KEEP, ADD),
    ("QL_LX", "工矿废弃地复垦", KEEP, ADD),      # the potential survey's name for it
    ("QL_LX", "空闲地复垦", KEEP, ADD),          # village 1201 reclaimed (建设用地整理)
    ("QL_LX", "废弃公共设施用地复垦", KEEP, ADD),
    ("QL_LX", "建设占用耕地", REMOVE, KEEP),
)
CHANGE_FIELDS = ("ZZLX", "ZZZLX", "QL_LX")

# Summary indicators: key, alias (field names <= 10 characters)
INDICATORS = (
    ("GD_MU", "耕地面积（亩）"),
    ("LP_N", "连片数"),
    ("LP_PJ", "平均连片面积（亩）"),
    ("LP_JQ", "面积加权平均连片面积（亩）"),
    ("LP_MAX", "最大连片面积（亩）"),
    ("DLP_ZB", "大连片耕地占比（%）"),
    ("LP_BM", "每百亩耕地连片数"),
)


# ---------------------------------------------------------------------------
# indicators
def contiguity_indicators(block_areas_mu, large_block_mu: float = 30.0) -> dict:
    """Indicators of a set of blocks (areas in 亩): farmland 亩, number of blocks,
    mean, area-weighted mean (Σa²/Σa) and largest block 亩, share (%) of farmland
    in blocks >= `large_block_mu`, blocks per 100 亩 of farmland."""
    a = np.asarray(block_areas_mu, dtype=float).ravel()
    a = a[np.isfinite(a)]
    total = float(a.sum())
    n = int(a.size)
    if n == 0 or total <= 0:
        return {"GD_MU": total, "LP_N": n, "LP_PJ": 0.0, "LP_JQ": 0.0, "LP_MAX": 0.0,
                "DLP_ZB": 0.0, "LP_BM": 0.0}
    return {
        "GD_MU": total,
        "LP_N": n,
        "LP_PJ": total / n,
        "LP_JQ": float((a * a).sum() / total),
        "LP_MAX": float(a.max()),
        "DLP_ZB": 100.0 * float(a[a >= large_block_mu].sum()) / total,
        "LP_BM": 100.0 * n / total,
    }


def indicator_change(before: dict, after: dict) -> dict:
    """after − before for every indicator."""
    return {k: after[k] - before[k] for k, _ in INDICATORS}


# ---------------------------------------------------------------------------
# widths of linear parcels
def linear_width(geoms, xzdwkd=None) -> np.ndarray:
    """Width (m) of linear parcels: XZDWKD where given (> 0), else the width of the
    rectangle with the same area and perimeter (2·area/perimeter for long strips)."""
    geoms = np.asarray(geoms, dtype=object)
    area = shapely.area(geoms)
    half_p = shapely.length(geoms) / 2.0
    disc = np.maximum(half_p * half_p - 4.0 * area, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        width = (half_p - np.sqrt(disc)) / 2.0
    width = np.where(np.isfinite(width), width, np.inf)
    if xzdwkd is not None:
        given = pd.to_numeric(pd.Series(np.asarray(xzdwkd, dtype=object)), errors="coerce").to_numpy(float)
        width = np.where(np.isfinite(given) & (given > 0), given, width)
    return width


# ---------------------------------------------------------------------------
# adjacency
def _segment_pairs(geoms: np.ndarray, ids: np.ndarray):
    """Pairs (i < j of `ids`) of polygons that have an identical boundary segment
    (vertex-exact shared edges, as in a topological tessellation)."""
    polygons, polygon_geom = shapely.get_parts(geoms, return_index=True)   # MultiPolygons too
    rings, ring_polygon = shapely.get_rings(polygons, return_index=True)
    if len(rings) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    owner = ids[polygon_geom[ring_polygon[ring_of[:-1][same]]]]
    # order the ends of each segment so both directions give the same key
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    seg = np.empty((len(a), 4))
    seg[:, :2] = np.where(swap[:, None], b, a)
    seg[:, 2:] = np.where(swap[:, None], a, b)
    keep = (seg[:, :2] != seg[:, 2:]).any(axis=1)
    seg, owner = seg[keep] + 0.0, owner[keep]   # + 0.0: -0.0 becomes 0.0
    # one 64-bit hash per segment, sorted; equal neighbours are checked coordinate by coordinate
    bits = np.ascontiguousarray(seg).view(np.uint64)
    key = np.zeros(len(seg), dtype=np.uint64)
    for c, mult in enumerate((0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F,
                              0x165667B19E3779F9, 0x27D4EB2F165667C5)):
        key ^= bits[:, c] * np.uint64(mult)
        key = (key << np.uint64(31)) | (key >> np.uint64(33))
    order = np.argsort(key, kind="stable")
    seg, owner, key = seg[order], owner[order], key[order]
    equal = (key[1:] == key[:-1]) & (seg[1:] == seg[:-1]).all(axis=1) & (owner[1:] != owner[:-1])
    i, j = owner[:-1][equal], owner[1:][equal]
    return np.minimum(i, j), np.maximum(i, j)


def boundary_adjacency(geoms, candidates=None):
    """Pairs (i, j), i < j, of polygons that share a boundary of positive length or
    overlap: the pairs a dissolve merges into one part. Parcels touching only at
    points are not pairs. `candidates` restricts to those indices."""
    geoms = np.asarray(geoms, dtype=object)
    ids = np.arange(len(geoms)) if candidates is None else np.asarray(candidates, dtype=np.int64)
    sub = geoms[ids]
    present = ~(shapely.is_missing(sub) | shapely.is_empty(sub))
    ids, sub = ids[present], sub[present]
    if len(ids) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # 1. identical segments (fast, vertex-exact shared edges)
    si, sj = _segment_pairs(sub, ids)
    # 2. every other pair whose boxes meet: decide by the DE-9IM relation
    tree = shapely.STRtree(sub)
    left, right = tree.query(sub)
    keep = left < right
    left, right = ids[left[keep]], ids[right[keep]]
    n = len(geoms)
    if len(si):
        found = np.unique(si * n + sj)
        code = left * n + right
        rest = ~np.isin(code, found, assume_unique=False)
        left, right = left[rest], right[rest]
    if len(left):
        shapely.prepare(geoms[np.unique(left)])
        hit = shapely.dwithin(geoms[left], geoms[right], TOUCH_TOLERANCE_M)
        left, right = left[hit], right[hit]
    if len(left):
        merged = _dissolve_joins(geoms[left], geoms[right])
        left, right = left[merged], right[merged]
    i = np.concatenate([si, left]).astype(np.int64)
    j = np.concatenate([sj, right]).astype(np.int64)
    return i, j


def _dissolve_joins(a, b, chunk: int = 4096) -> np.ndarray:
    """For polygon pairs that meet (within TOUCH_TOLERANCE_M): True where they form one
    block, i.e. their interiors meet or their boundaries share a line (DE-9IM), or their
    boundaries run together within the tolerance over more than NEAR_EDGE_MIN_LENGTH_M
    (shared edges digitised twice with floating-point noise, which a dissolve snaps
    together). Where GEOS's relate fails, the pair is decided by the union itself."""
    out = np.zeros(len(a), dtype=bool)
    for start in range(0, len(a), chunk):
        out[start:start + chunk] = _exact_joins(a[start:start + chunk], b[start:start + chunk])
    # edges that run together within the tolerance, yet are not exactly coincident
    rest = np.flatnonzero(~out)
    if len(rest):
        near = shapely.intersection(
            shapely.boundary(a[rest]),
            shapely.buffer(shapely.boundary(b[rest]), TOUCH_TOLERANCE_M, quad_segs=1))
        out[rest] = shapely.length(near) > NEAR_EDGE_MIN_LENGTH_M
    return out


def _exact_joins(a, b, chunk: int = 4096) -> np.ndarray:
    out = np.zeros(len(a), dtype=bool)
    for start in range(0, len(a), chunk):
        sa, sb = a[start:start + chunk], b[start:start + chunk]
        try:
            out[start:start + chunk] = _joins(shapely.relate(sa, sb))
        except shapely.errors.GEOSException:
            for k in range(len(sa)):
                try:
                    out[start + k] = _joins([shapely.relate(sa[k], sb[k])])[0]
                except shapely.errors.GEOSException:
                    union = shapely.union(sa[k], sb[k])
                    out[start + k] = len(shapely.get_parts(union)) == 1
    return out


def _joins(de9im) -> np.ndarray:
    return np.array([m[0] != "F" or m[4] == "1" for m in de9im], dtype=bool)


def bridge_pairs(geoms, is_farmland, is_bridge, max_gap: float):
    """Pairs (i, j), i < j, of farmland parcels separated only by one narrow linear
    parcel: both touch the same bridge parcel, they are 0 < distance <= `max_gap`
    apart and the middle of the shortest line between them lies in that bridge."""
    geoms = np.asarray(geoms, dtype=object)
    farm = np.flatnonzero(is_farmland)
    bridges = np.flatnonzero(is_bridge & ~np.asarray(is_farmland, bool))
    empty = (np.empty(0, np.int64), np.empty(0, np.int64))
    if len(farm) < 2 or len(bridges) == 0:
        return empty
    # farmland parcels touching each bridge
    btree = shapely.STRtree(geoms[bridges])
    f_idx, b_idx = btree.query(geoms[farm], predicate="intersects")
    if len(f_idx) == 0:
        return empty
    touch = sparse.csr_matrix((np.ones(len(f_idx), np.int8), (f_idx, b_idx)),
                              shape=(len(farm), len(bridges)))
    # farmland pairs close enough, among parcels touching some bridge
    near_farm = np.unique(f_idx)
    ftree = shapely.STRtree(geoms[farm[near_farm]])
    l, r = ftree.query(geoms[farm[near_farm]], predicate="dwithin", distance=max_gap)
    keep = l < r
    l, r = near_farm[l[keep]], near_farm[r[keep]]
    if len(l) == 0:
        return empty
    gap = shapely.distance(geoms[farm[l]], geoms[farm[r]])
    keep = gap > 0
    l, r = l[keep], r[keep]
    if len(l) == 0:
        return empty
    # a bridge both touch, containing the middle of the gap
    mids = shapely.line_interpolate_point(
        shapely.shortest_line(geoms[farm[l]], geoms[farm[r]]), 0.5, normalized=True)
    out_l, out_r = [], []
    for k in range(len(l)):
        common = np.intersect1d(touch.indices[touch.indptr[l[k]]:touch.indptr[l[k] + 1]],
                                touch.indices[touch.indptr[r[k]]:touch.indptr[r[k] + 1]],
                                assume_unique=True)
        if len(common) and shapely.intersects(geoms[bridges[common]], mids[k]).any():
            out_l.append(farm[l[k]])
            out_r.append(farm[r[k]])
    return np.asarray(out_l, np.int64), np.asarray(out_r, np.int64)


def farmland_blocks(geoms, is_farmland, bridge_mask=None, bridge_widths=None,
                    max_bridge_width: float = 8.0, return_shapes: bool = False,
                    is_canceled=None):
    """Block label of each parcel (-1 for non-farmland), labels 0..k-1 in the order of
    each block's first parcel; with `return_shapes`, also {label: dissolved geometry}.

    Blocks are the parts of the dissolved farmland (what dissolve + multipart to
    singleparts gives): parcels are grouped by shared boundaries (a fast graph), each
    group is dissolved, and a group whose union falls apart (GEOS overlay on degenerate
    slivers) is split along its union's parts. Blocks whose fields are separated only by
    a bridge parcel (`bridge_mask`, e.g. 农村道路/沟渠) no wider than `max_bridge_width` m
    are then joined (their geometry stays multipart)."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    farm_mask = np.asarray(is_farmland, dtype=bool) & ~(shapely.is_missing(geoms) |
                                                       shapely.is_empty(geoms))
    farm = np.flatnonzero(farm_mask)
    labels = np.full(n, -1, dtype=np.int64)
    shapes = {}
    if len(farm):
        i, j = boundary_adjacency(geoms, farm)
        si, sj = _sliver_pairs(geoms, farm)
        i, j = np.concatenate([i, si]), np.concatenate([j, sj])
        labels[farm] = _components(len(farm), *_positions(n, farm, i, j))
        shapes = dissolve_blocks(geoms, labels, is_canceled)
        labels, shapes = _split_by_union(geoms, labels, shapes)
        if bridge_mask is not None and max_bridge_width and max_bridge_width > 0:
            bridge = np.asarray(bridge_mask, dtype=bool)
            if bridge_widths is None:
                bridge_widths = linear_width(geoms)
            bridge = bridge & (np.asarray(bridge_widths, float) <= max_bridge_width)
            bi, bj = bridge_pairs(geoms, farm_mask, bridge, max_bridge_width)
            if len(bi):
                labels, shapes = _join_blocks(labels, shapes, labels[bi], labels[bj])
        labels, shapes = _first_appearance(labels, shapes)
    return (labels, shapes) if return_shapes else labels


def _sliver_pairs(geoms, farm):
    """Numerically collapsed slivers (area < COLLAPSED_AREA_M2) paired with every farmland
    polygon they meet, even at a point: the overlay of a dissolve snaps them into their
    neighbours, which may join fields meeting at that point."""
    empty = (np.empty(0, np.int64), np.empty(0, np.int64))
    tiny = farm[shapely.area(geoms[farm]) < COLLAPSED_AREA_M2]
    if len(tiny) == 0:
        return empty
    tree = shapely.STRtree(geoms[farm])
    t, f = tree.query(geoms[tiny], predicate="intersects")
    a, b = tiny[t], farm[f]
    keep = a != b
    return np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])


def _positions(n, farm, i, j):
    pos = np.full(n, -1, dtype=np.int64)
    pos[farm] = np.arange(len(farm))
    return pos[i], pos[j]


def _components(size, i, j) -> np.ndarray:
    graph = sparse.coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(size, size)).tocsr()
    return csgraph.connected_components(graph, directed=False)[1]


def _split_by_union(geoms, labels, shapes):
    """Give each polygon of a multipart block union a label of its own; a parcel goes to
    the polygon holding its interior point (or most of its area)."""
    labels = labels.copy()
    next_label = int(labels.max()) + 1 if len(labels) else 0
    multi = [k for k, g in shapes.items() if shapely.get_num_geometries(g) > 1]
    if not multi:
        return labels, shapes
    shapes = dict(shapes)
    involved = np.flatnonzero(np.isin(labels, multi))
    involved = involved[np.argsort(labels[involved], kind="stable")]
    cuts = np.flatnonzero(np.diff(labels[involved])) + 1
    members_of = {int(labels[g[0]]): g for g in np.split(involved, cuts)}
    for k in multi:
        members = members_of[k]
        polygons = shapely.get_parts(shapes[k])
        shapely.prepare(polygons)        # many points against each (large) polygon
        inside = shapely.point_on_surface(geoms[members])
        which = np.full(len(members), -1)
        for p, polygon in enumerate(polygons):
            hit = (which < 0) & shapely.intersects(polygon, inside)
            which[hit] = p
        for m in np.flatnonzero(which < 0):
            which[m] = int(np.argmax(shapely.area(shapely.intersection(polygons, geoms[members[m]]))))
        for p, polygon in enumerate(polygons):
            owned = members[which == p]
            if len(owned) == 0:      # a sliver of the overlay with no parcel of its own
                continue
            label = k if p == which.min() else next_label
            if label != k:
                next_label += 1
            labels[owned] = label
            shapes[label] = polygon
        shapely.destroy_prepared(polygons)   # the shapes are plain geometries again
    return labels, shapes


def _join_blocks(labels, shapes, li, lj):
    """Join blocks linked by pairs of block labels; joined geometries become multipart."""
    keys = np.array(sorted(shapes))
    index = np.full(int(keys.max()) + 1, -1, dtype=np.int64)
    index[keys] = np.arange(len(keys))
    comp = _components(len(keys), index[li], index[lj])
    new_labels = labels.copy()
    farm = labels >= 0
    new_labels[farm] = comp[index[labels[farm]]]
    grouped = {}
    for key, c in zip(keys, comp):
        grouped.setdefault(int(c), []).append(shapes[int(key)])
    new_shapes = {c: g[0] if len(g) == 1 else
                  shapely.multipolygons(np.concatenate([shapely.get_parts(x) for x in g]))
                  for c, g in grouped.items()}
    return new_labels, new_shapes


def _first_appearance(labels, shapes):
    """Labels renumbered 0..k-1 in the order of each block's first parcel."""
    farm = labels >= 0
    if not farm.any():
        return labels, {}
    uniq, first = np.unique(labels[farm], return_index=True)
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(uniq))
    out = labels.copy()
    out[farm] = rank[np.searchsorted(uniq, labels[farm])]
    return out, {int(rank[k]): shapes[int(u)] for k, u in enumerate(uniq)}


# ---------------------------------------------------------------------------
# polygon parts: a multipart parcel's separate parts can fall into different blocks,
# as they do in a dissolve followed by multipart to singleparts
def explode(geoms, areas_m2, *more_areas_m2):
    """(parts, parent parcel index, farmland m² of each part): single polygons of every
    parcel, the parcel's area shared between its parts in proportion to planar area.
    Further area arrays (e.g. the farmland after consolidation) are shared the same way
    and returned after the first."""
    geoms = np.asarray(geoms, dtype=object)
    areas_m2 = np.asarray(areas_m2, float)
    more = [np.asarray(a, float) for a in more_areas_m2]
    multi = np.flatnonzero(shapely.get_num_geometries(geoms) > 1)
    if len(multi) == 0:   # no multipart parcel: the parcels as they are
        return (geoms, np.arange(len(geoms)), areas_m2.copy(), *[a.copy() for a in more])
    # each multipart parcel: first part in its place, the others appended
    extra, extra_parent = shapely.get_parts(geoms[multi], return_index=True)
    extra_parent = multi[extra_parent]
    first = np.r_[True, extra_parent[1:] != extra_parent[:-1]]
    parts = geoms.copy()
    parts[extra_parent[first]] = extra[first]
    parts = np.concatenate([parts, extra[~first]])
    parent = np.concatenate([np.arange(len(geoms)), extra_parent[~first]])
    part_area = shapely.area(parts)
    whole = np.bincount(parent, weights=part_area, minlength=len(geoms))
    count = np.bincount(parent, minlength=len(geoms))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(whole[parent] > 0, part_area / whole[parent], 1.0 / count[parent])
    return (parts, parent, areas_m2[parent] * share, *[a[parent] * share for a in more])


def parcel_labels(part_labels, parent, part_areas, n: int) -> np.ndarray:
    """Block label of each of `n` parcels: the block of its largest farmland part."""
    part_labels = np.asarray(part_labels)
    labels = np.full(n, -1, dtype=np.int64)
    farm = np.flatnonzero(part_labels >= 0)
    order = farm[np.lexsort((-np.asarray(part_areas, float)[farm], parent[farm]))]
    first = np.r_[True, parent[order][1:] != parent[order][:-1]] if len(order) else order
    labels[parent[order][first]] = part_labels[order][first]
    return labels


# ---------------------------------------------------------------------------
# blocks
def block_table(labels, areas_m2, villages=None, parcel_ids=None) -> pd.DataFrame:
    """One row per block: LP_ID (1 = largest), LP_MU (farmland 亩), LP_TBS (parcels,
    counted by `parcel_ids` when parts are given), main village (most farmland) when
    `villages` is given; index = label."""
    labels = np.asarray(labels)
    farm = labels >= 0
    ids = np.arange(len(labels)) if parcel_ids is None else np.asarray(parcel_ids)
    frame = pd.DataFrame({"label": labels[farm],
                          "mu": np.asarray(areas_m2, float)[farm] / M2_PER_MU,
                          "p": ids[farm]})
    grouped = frame.groupby("label")
    table = pd.DataFrame({"LP_MU": grouped["mu"].sum(), "LP_TBS": grouped["p"].nunique()})
    order = np.lexsort((table.index.to_numpy(), -table["LP_MU"].to_numpy()))
    table["LP_ID"] = 0
    table.iloc[order, table.columns.get_loc("LP_ID")] = np.arange(1, len(table) + 1)
    if villages is not None:
        frame["v"] = np.asarray(villages, dtype=object)[farm]
        by_v = frame.groupby(["label", "v"])["mu"].sum().reset_index()
        by_v = by_v.sort_values(["label", "mu"], ascending=[True, False]).drop_duplicates("label")
        table["CJ_DM"] = by_v.set_index("label")["v"].reindex(table.index)
    return table


def parcel_blocks(labels, table: pd.DataFrame):
    """(LP_ID, LP_MU) of each parcel from its block label (NaN for non-farmland)."""
    labels = np.asarray(labels)
    lp_id = np.full(len(labels), np.nan)
    lp_mu = np.full(len(labels), np.nan)
    farm = labels >= 0
    lp_id[farm] = table["LP_ID"].to_numpy(float)[_row(table, labels[farm])]
    lp_mu[farm] = table["LP_MU"].to_numpy(float)[_row(table, labels[farm])]
    return lp_id, lp_mu


def _row(table, labels):
    return table.index.get_indexer(labels)


def dissolve_blocks(geoms, labels, is_canceled=None) -> dict:
    """{label: dissolved geometry} of each block: the union of its parcels. A block of a
    clean tessellation (shared edges vertex for vertex) is merged by the fast coverage
    union, kept only when it is one valid polygon of the parcels' total area; any other
    block by the full overlay union (on several threads). Raises Canceled when
    is_canceled() says so."""
    geoms = np.asarray(geoms, dtype=object)
    labels = np.asarray(labels)
    farm = np.flatnonzero(labels >= 0)
    if len(farm) == 0:
        return {}
    order = farm[np.argsort(labels[farm], kind="stable")]
    lab = labels[order]
    starts = np.r_[0, np.flatnonzero(lab[1:] != lab[:-1]) + 1]
    ends = np.r_[starts[1:], len(lab)]
    out = {}
    merged, merged_label, merged_area, merged_span = [], [], [], []
    part_area = shapely.area(geoms)
    for s, e in zip(starts, ends):
        if is_canceled is not None and is_canceled():
            raise Canceled
        members = geoms[order[s:e]]
        if e - s == 1:
            out[int(lab[s])] = members[0]
            continue
        try:
            merged.append(shapely.coverage_union_all(members))
        except shapely.errors.GEOSException:
            merged.append(None)
        merged_label.append(int(lab[s]))
        merged_area.append(part_area[order[s:e]].sum())
        merged_span.append((s, e))
    if merged:
        merged = np.array(merged, dtype=object)
        ok = ~shapely.is_missing(merged)
        ok[ok] = (shapely.get_type_id(merged[ok]) == 3) & shapely.is_valid(merged[ok])
        area = np.asarray(merged_area)
        ok[ok] = np.abs(shapely.area(merged[ok]) - area[ok]) <= 1e-9 * area[ok] + 1e-6
        def overlay_union(k):
            """The full overlay union of block k (its parcels belong to no other block,
            so blocks can be unioned on several threads)."""
            if is_canceled is not None and is_canceled():
                return None
            s, e = merged_span[k]
            union = shapely.union_all(geoms[order[s:e]])
            if shapely.get_num_geometries(union) > 1:   # noise gaps: snap-round them
                snapped = shapely.union_all(geoms[order[s:e]], grid_size=TOUCH_TOLERANCE_M)
                if shapely.get_num_geometries(snapped) < shapely.get_num_geometries(union):
                    union = snapped
            return union

        rest = np.flatnonzero(~ok)
        # the largest blocks first, so the threads finish together
        rest = rest[np.argsort([-(merged_span[k][1] - merged_span[k][0]) for k in rest],
                               kind="stable")]
        for k, union in zip(rest, thread_map(overlay_union, rest)):
            if union is None:
                raise Canceled
            merged[k] = union
        for k, label in enumerate(merged_label):    # in label order, as before
            out[label] = merged[k]
    return out


# ---------------------------------------------------------------------------
# the after-consolidation farmland set
def _clean(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip().replace("(", "（").replace(")", "）")


def _tag_code(value) -> str:
    """Task code of a ZZLX/ZZZLX value given as code or Chinese label."""
    text = _clean(value)
    if not text:
        return ""
    sub = task_types.subtype(text)
    if sub is not None:
        return sub.code
    family = task_types.family_of(text)
    return family.code if family is not None else text.upper()


def farmland_change(is_farmland_now, table: pd.DataFrame, changes=FARMLAND_CHANGES) -> np.ndarray:
    """Change of each parcel: 'in' (becomes farmland), 'out' (leaves farmland) or ''.
    Reads the columns of `table` named in `changes` (ZZLX, ZZZLX, QL_LX) when present."""
    now = np.asarray(is_farmland_now, dtype=bool)
    n = len(now)
    effect_now = {}
    effect_other = {}
    for fld, value, on_farm, on_other in changes:
        key = (fld, _clean(value))
        effect_now[key] = on_farm
        effect_other[key] = on_other
    removed = np.zeros(n, dtype=bool)
    added = np.zeros(n, dtype=bool)
    for fld in {c[0] for c in changes}:
        if fld not in table.columns:
            continue
        values = table[fld].to_numpy(dtype=object)
        for k, raw in enumerate(values):
            text = _clean(raw)
            if not text:
                continue
            if fld == "QL_LX":
                items = [_clean(t) for t in text.replace("；", ";").split(";")]
            else:
                items = [_tag_code(text)]
            for item in items:
                key = (fld, item)
                if now[k] and effect_now.get(key) == REMOVE:
                    removed[k] = True
                elif not now[k] and effect_other.get(key) == ADD:
                    added[k] = True
    change = np.full(n, KEEP, dtype=object)
    change[removed] = REMOVE
    change[added] = ADD
    return change


def farmland_after(is_farmland_now, change) -> np.ndarray:
    """Farmland after consolidation: now minus 'out' plus 'in'."""
    change = np.asarray(change, dtype=object)
    return (np.asarray(is_farmland_now, bool) & (change != REMOVE)) | (change == ADD)


def is_farmland_code(dlbm, farmland_codes=FARMLAND_CODES) -> np.ndarray:
    """Mask of DLBM values in `farmland_codes` (K/A variants resolve to their base code)."""
    codes = {normalize_code(c) for c in farmland_codes}
    values = pd.Series(np.asarray(dlbm, dtype=object))
    uniques = values.dropna().unique()
    hit = {v: (base_code(v) in codes or normalize_code(v) in codes) for v in uniques}
    return values.map(hit).eq(True).to_numpy(dtype=bool)   # NULL and unmapped: False


def farmland_area_m2(table: pd.DataFrame, planar_area_m2) -> np.ndarray:
    """Farmland area (m², 田坎 deducted) of each parcel: TBDLMJ; where absent or empty,
    TBMJ − KCMJ, else TBMJ·(1 − KCXS), else the planar area·(1 − KCXS)."""
    def col(name):
        if name not in table.columns:
            return np.full(len(table), np.nan)
        return pd.to_numeric(table[name], errors="coerce").to_numpy(float)

    tbmj, kcmj, kcxs = col("TBMJ"), col("KCMJ"), col("KCXS")
    kcxs = np.where(np.isfinite(kcxs), kcxs, 0.0)
    area = col("TBDLMJ")
    area = np.where(np.isfinite(area), area, tbmj - kcmj)
    area = np.where(np.isfinite(area), area, tbmj * (1.0 - kcxs))
    return np.where(np.isfinite(area), area, np.asarray(planar_area_m2, float) * (1.0 - kcxs))


# ---------------------------------------------------------------------------
# one scenario end to end, and the summary table
@dataclass
class ScenarioBlocks:
    """Blocks of one scenario. Part arrays run over the polygon parts of the parcels
    (see explode); `labels` gives each parcel its block (-1 for non-farmland)."""
    labels: np.ndarray        # per parcel
    table: pd.DataFrame       # per block (block_table), index = label
    part_labels: np.ndarray   # per part
    shapes: dict              # label -> dissolved block geometry


def scenario_blocks(parts, parent, part_areas_m2, is_farmland, villages=None,
                    bridge_mask=None, bridge_widths=None, max_bridge_width: float = 8.0,
                    n_parcels: int | None = None, is_canceled=None) -> ScenarioBlocks:
    """Blocks of one scenario's farmland (`is_farmland`, `villages`, `bridge_mask`,
    `bridge_widths` per parcel; parts, parent, part areas from explode)."""
    n = int(parent.max()) + 1 if n_parcels is None and len(parent) else (n_parcels or 0)
    farm = np.asarray(is_farmland, bool)[parent]
    bridge = None if bridge_mask is None else np.asarray(bridge_mask, bool)[parent]
    widths = None if bridge_widths is None else np.asarray(bridge_widths, float)[parent]
    part_labels, shapes = farmland_blocks(parts, farm, bridge, widths, max_bridge_width,
                                          return_shapes=True, is_canceled=is_canceled)
    village = None if villages is None else np.asarray(villages, dtype=object)[parent]
    table = block_table(part_labels, part_areas_m2, village, parent)
    return ScenarioBlocks(parcel_labels(part_labels, parent, part_areas_m2, n), table,
                          part_labels, shapes)


def summary(results: dict, areas_m2, villages, village_names=None,
            large_block_mu: float = 30.0) -> pd.DataFrame:
    """Indicators per village and in total for each scenario in `results`
    {scenario: block labels of the parcels (or parts)}, plus a change row (after − before)
    when both are there. `areas_m2`: the farmland of the parcels (or parts), or
    {scenario: farmland} when it differs after consolidation. Village rows count each
    block's part inside the village; the total row counts whole blocks. Columns: CJ_DM,
    CJ_MC, QJ, then INDICATORS."""
    by_scenario = areas_m2 if isinstance(areas_m2, dict) else {}
    villages = np.array(["" if pd.isna(v) else str(v) for v in np.asarray(villages, dtype=object)],
                        dtype=object)   # NULL village -> "" (no fillna downcasting)
    village_names = village_names or {}
    keys = sorted(set(villages))
    per = {}   # (village key, scenario) -> indicators
    for scenario, labels in results.items():
        areas_mu = np.asarray(by_scenario.get(scenario, areas_m2), float) / M2_PER_MU
        labels = np.asarray(labels)
        farm = labels >= 0
        whole = pd.Series(areas_mu[farm]).groupby(labels[farm]).sum().to_numpy()
        per[("", scenario)] = contiguity_indicators(whole, large_block_mu)
        pieces = pd.DataFrame({"v": villages[farm], "b": labels[farm], "a": areas_mu[farm]})
        pieces = pieces.groupby(["v", "b"], sort=False)["a"].sum()
        by_village = {k: g.to_numpy() for k, g in pieces.groupby(level=0)}
        for key in keys:
            per[(key, scenario)] = contiguity_indicators(by_village.get(key, []), large_block_mu)
    rows = []
    for vkey, vname in [("", TOTAL_LABEL)] + [(k, village_names.get(k, "")) for k in keys]:
        for scenario in (CURRENT, AFTER):
            if scenario in results:
                rows.append({"CJ_DM": vkey, "CJ_MC": vname, "QJ": SCENARIO_LABELS[scenario],
                             **per[(vkey, scenario)]})
        if len(results) == 2:
            rows.append({"CJ_DM": vkey, "CJ_MC": vname, "QJ": CHANGE_LABEL,
                         **indicator_change(per[(vkey, CURRENT)], per[(vkey, AFTER)])})
    return pd.DataFrame(rows, columns=["CJ_DM", "CJ_MC", "QJ"] + [k for k, _ in INDICATORS])
