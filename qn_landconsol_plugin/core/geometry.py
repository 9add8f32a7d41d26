"""Geometry repair shared by every reader and overlay: invalid polygons are mended with
GEOS make_valid and only their polygonal part is kept; nothing is dropped."""
from __future__ import annotations

import numpy as np
import shapely

from .parallel import slices, thread_map


def polygonal(geom):
    """The polygonal part of a geometry (an empty Polygon when there is none)."""
    if geom is None:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def from_wkb(wkbs) -> np.ndarray:
    """shapely.from_wkb of many WKB values, on a few threads."""
    wkbs = np.asarray(wkbs, dtype=object)
    return np.concatenate([np.empty(0, dtype=object)] + thread_map(
        lambda part: shapely.from_wkb(wkbs[part]), slices(len(wkbs), minimum=20000)))


def repair(geoms):
    """(valid polygonal geometries, number repaired): invalid ones (self-intersecting
    rings, ...) through GEOS make_valid, keeping their polygonal part; None stays None."""
    geoms = np.asarray(geoms, dtype=object)
    invalid = np.concatenate([np.zeros(0, dtype=bool)] + thread_map(
        lambda part: ~shapely.is_valid(geoms[part]) & ~shapely.is_missing(geoms[part]),
        slices(len(geoms), minimum=20000)))
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = [polygonal(g) for g in shapely.make_valid(geoms[invalid])]
    return geoms, int(invalid.sum())
