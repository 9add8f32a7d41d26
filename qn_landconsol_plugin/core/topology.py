"""Topology of a parcel layer (面不重叠、面无缝隙): gaps between parcels and overlaps of
parcels, as data (areas, locations, parcel indices) for a check to report.

How: every ring is oriented with the parcel on its right and cut into segments; a
segment met once in each direction (an edge two parcels share exactly) cancels out.
What is left (the layer's outline, gaps, overlaps, edges that do not match vertex for
vertex) has the same winding number as the parcels everywhere, so the number of parcels
covering a point is constant on each face of this small residue. Only the residue is
noded and polygonized (GEOS), and each face's cover is counted: 0 is a gap, 2 or more an
overlap. A clean county of 300,000 parcels costs a few seconds; the cost grows with the
residue, not with the parcels.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class Gap:
    """An area inside the layer's outline that no parcel covers (a hole in their union)."""
    area: float                      # planar, in CRS units² (m² for a projected CRS)
    location: shapely.Point          # a point inside the gap
    geometry: shapely.Geometry       # the uncovered polygon
    neighbours: tuple                # indices of the parcels touching it, ascending


@dataclass(frozen=True)
class Overlap:
    """The area two parcels both cover."""
    first: int                       # parcel index, first < second
    second: int
    area: float                      # planar, in CRS units²
    location: shapely.Point          # a point inside the shared area
    geometry: shapely.Geometry       # the shared (multi)polygon


@dataclass(frozen=True)
class TopologyFindings:
    """Gaps and overlaps at or above the sliver tolerance, and what was left aside."""
    gaps: tuple                      # of Gap, largest first
    overlaps: tuple                  # of Overlap, by (first, second)
    slivers_below_tolerance: int     # gaps and overlaps smaller than the tolerance
    sliver_area_below_tolerance: float
    not_polygons: tuple              # indices of missing, empty or non-polygonal geometries
    repaired: tuple                  # indices of invalid polygons checked after make_valid

    @property
    def clean(self) -> bool:
        """True when nothing at or above the tolerance was found."""
        return not self.gaps and not self.overlaps


def gaps_and_overlaps(geoms, sliver_tolerance_m2: float = 0.0) -> TopologyFindings:
    """Gaps between and overlaps of the polygons `geoms` (one per parcel, in a projected
    CRS); findings with an area below `sliver_tolerance_m2` are only counted.

    A gap is a hole in the union of the parcels (inside the layer's outline; a bay of the
    outline is not a gap); an overlap is a pair of parcels whose intersection has an
    area. Parcels touching along an edge or at a point, and a hole of one parcel filled
    exactly by another, are not findings. Invalid polygons are checked as make_valid
    repairs them and listed in `repaired`; other geometry types are left out and listed."""
    geoms = np.asarray(geoms, dtype=object).ravel()
    polys, not_polygons, repaired = _polygonal(geoms)
    if not any(p is not None for p in polys):
        return TopologyFindings((), (), 0, 0.0, not_polygons, repaired)
    present = np.flatnonzero(np.array([p is not None for p in polys]))
    parcels = polys[present]
    lo, hi, net = _residue(parcels)
    faces = _faces(lo, hi)
    if len(faces) == 0:
        return TopologyFindings((), (), 0, 0.0, not_polygons, repaired)
    tree = shapely.STRtree(parcels)
    cover = _cover_counts(faces, tree, lo, hi, net)
    gaps = _gaps(faces[cover == 0], tree, present)
    overlaps = _overlaps(faces[cover >= 2], parcels, tree, present)
    tolerance = float(sliver_tolerance_m2)
    small = [f.area for f in (*gaps, *overlaps) if f.area < tolerance]
    gaps = tuple(g for g in gaps if g.area >= tolerance)
    overlaps = tuple(o for o in overlaps if o.area >= tolerance)
    return TopologyFindings(gaps, overlaps, len(small), float(sum(small)), not_polygons,
                            repaired)


def _polygonal(geoms):
    """Polygonal geometry of each input (None when missing, empty or not polygonal),
    invalid ones through make_valid; the indices left out and the ones repaired."""
    out = np.full(len(geoms), None, dtype=object)
    missing = shapely.is_missing(geoms)
    ok = ~missing
    ok[ok] = ~shapely.is_empty(geoms[ok])
    kind = np.full(len(geoms), -1)
    kind[ok] = shapely.get_type_id(geoms[ok])
    polygonal = np.isin(kind, (3, 6))                  # Polygon, MultiPolygon
    out[polygonal] = geoms[polygonal]
    invalid = np.flatnonzero(polygonal)[~shapely.is_valid(geoms[polygonal])]
    for i in invalid:
        parts = _polygons_of(shapely.make_valid(geoms[i]))
        out[i] = shapely.multipolygons(parts) if len(parts) else None
    left_out = np.flatnonzero(np.array([g is None for g in out]))
    return out, tuple(int(i) for i in left_out), tuple(int(i) for i in invalid)


def _polygons_of(geom) -> np.ndarray:
    """The polygons in a geometry (of a collection, a multipolygon or a polygon)."""
    parts = shapely.get_parts(shapely.get_parts(geom))
    return parts[shapely.get_type_id(parts) == 3]


def _residue(parcels):
    """Segments of all rings (parcel on the right) that do not cancel against a reversed
    twin: (lo, hi, net) with lo < hi lexicographically and net the number of copies
    running lo→hi minus those running hi→lo (never 0)."""
    parts = shapely.get_parts(parcels)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    a, b, seg_ring = xy[:-1][same], xy[1:][same], ring[:-1][same]
    # orientation by the shoelace sum, relative to each ring's first vertex
    first = np.searchsorted(ring, np.arange(len(rings)))
    origin = xy[first[seg_ring]]
    cross = (a[:, 0] - origin[:, 0]) * (b[:, 1] - origin[:, 1]) - \
            (b[:, 0] - origin[:, 0]) * (a[:, 1] - origin[:, 1])
    ccw = np.bincount(seg_ring, weights=cross, minlength=len(rings)) > 0
    flip = (ccw == exterior)[seg_ring]               # shells clockwise, holes anticlockwise
    a, b = np.where(flip[:, None], b, a), np.where(flip[:, None], a, b)
    forward = (a[:, 0] < b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] < b[:, 1]))
    moving = (a[:, 0] != b[:, 0]) | (a[:, 1] != b[:, 1])
    lo = np.where(forward[:, None], a, b)[moving] + 0.0     # + 0.0 turns -0.0 into 0.0
    hi = np.where(forward[:, None], b, a)[moving] + 0.0
    sign = np.where(forward, 1, -1)[moving]
    if len(lo) == 0:
        return lo, hi, sign
    order = np.lexsort((hi[:, 1], hi[:, 0], lo[:, 1], lo[:, 0]))
    key = np.column_stack([lo, hi])[order]
    start = np.r_[0, np.flatnonzero((key[1:] != key[:-1]).any(axis=1)) + 1]
    net = np.add.reduceat(sign[order], start)
    keep = start[net != 0]
    return key[keep, :2], key[keep, 2:], net[net != 0]


def _faces(lo, hi) -> np.ndarray:
    """Faces of the noded residue segments (polygons)."""
    if len(lo) == 0:
        return np.empty(0, dtype=object)
    lines = shapely.line_merge(shapely.multilinestrings(
        shapely.linestrings(np.stack([lo, hi], axis=1))))
    noded = shapely.union_all(lines)
    return shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))


def _cover_counts(faces, tree, lo, hi, net) -> np.ndarray:
    """Number of parcels covering each face: those holding a point inside it (exact
    predicates, so this holds for slivers a micrometre wide); where that point lies on
    an edge two parcels share, the winding number of the residue there."""
    points = shapely.point_on_surface(faces)
    inside = np.bincount(tree.query(points, predicate="within")[0], minlength=len(faces))
    touched = np.bincount(tree.query(points, predicate="intersects")[0], minlength=len(faces))
    count = inside.copy()
    for f in np.flatnonzero(inside != touched):
        count[f] = _winding(shapely.get_coordinates(points[f])[0], lo, hi, net)
    return count


def _winding(p, lo, hi, net) -> int:
    """Parcels covering point p: minus the winding number of the residue (shells run
    clockwise), by crossings of a ray from p towards +x."""
    x, y = p
    up = (lo[:, 1] <= y) & (hi[:, 1] > y)              # segment runs lo→hi upwards
    down = (hi[:, 1] <= y) & (lo[:, 1] > y)
    side = (hi[:, 0] - lo[:, 0]) * (y - lo[:, 1]) - (x - lo[:, 0]) * (hi[:, 1] - lo[:, 1])
    turns = np.where(up & (side > 0), net, 0) - np.where(down & (side < 0), net, 0)
    return int(-turns.sum())


def _gaps(faces, tree, present) -> list:
    """Connected uncovered areas, largest first, with the parcels around each."""
    if len(faces) == 0:
        return []
    parts = shapely.get_parts(_union_of_faces(faces))
    which, near = tree.query(parts, predicate="intersects")
    bounds = np.searchsorted(which, np.arange(len(parts) + 1))
    points = shapely.point_on_surface(parts)
    areas = shapely.area(parts)
    out = [Gap(float(areas[i]), points[i], parts[i],
               tuple(sorted(present[near[bounds[i]:bounds[i + 1]]].tolist())))
           for i in range(len(parts))]
    return sorted(out, key=lambda g: -g.area)


def _union_of_faces(faces):
    """Union of faces of one arrangement (edge to edge, so the coverage union applies)."""
    try:
        return shapely.coverage_union_all(faces)
    except shapely.errors.GEOSException:
        return shapely.union_all(faces)


def _overlaps(faces, parcels, tree, present) -> list:
    """Pairs of parcels sharing area, by (first, second): every two parcels on a multiply
    covered face are intersected (an edge two parcels share is not in the residue, so a
    face may hold more parcels than cover it at any one point). Should an overlay
    collapse a micrometre-wide sliver that the exact predicates saw covered twice, the
    face itself is reported for the parcels holding a point inside it."""
    if len(faces) == 0:
        return []
    face_of, near = tree.query(faces, predicate="intersects")
    pairs = set()
    for s, e in _runs(face_of):
        on_face = sorted(near[s:e].tolist())
        pairs.update((a, b) for i, a in enumerate(on_face) for b in on_face[i + 1:])
    pairs = np.array(sorted(pairs), dtype=np.intp).reshape(-1, 2)
    common = shapely.intersection(parcels[pairs[:, 0]], parcels[pairs[:, 1]])
    area = shapely.area(common)
    found = {}
    for (a, b), geom, size in zip(pairs.tolist(), common, area):
        if size > 0:
            found[(a, b)] = (float(size), _polygonal_part(geom))
    points = shapely.point_on_surface(faces)
    face_of, holder = tree.query(points, predicate="within")
    for s, e in _runs(face_of):
        owners = sorted(holder[s:e].tolist())
        for i, a in enumerate(owners):
            for b in owners[i + 1:]:
                if (a, b) not in found:
                    face = faces[face_of[s]]
                    found[(a, b)] = (float(face.area), face)
    out = []
    for (a, b), (size, geom) in sorted(found.items()):
        out.append(Overlap(int(present[a]), int(present[b]), size,
                           shapely.point_on_surface(geom), geom))
    return sorted(out, key=lambda o: (o.first, o.second))


def _runs(key):
    """(start, end) of the runs of equal values of a sorted index array."""
    bounds = np.flatnonzero(np.r_[True, key[1:] != key[:-1], True]) if len(key) else [0]
    return zip(bounds[:-1], bounds[1:])


def _polygonal_part(geom):
    """The polygons of an overlay result (lines and points where parcels only touch
    dropped)."""
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = _polygons_of(geom)
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)
