"""Coordinate reference systems: the projected CRS to compute in (the working CRS), the
CGCS2000 Gauss–Krüger zone of a QGIS CRS and the way to it (the zone rules are
core.crs), transforms of shapely geometries, and QGIS's ellipsoidal areas."""
from __future__ import annotations

import numpy as np
import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsDistanceArea

from ..core import crs as gk
from ..core.geometry import repair
from ..translation import tr

CGCS2000 = f"EPSG:{gk.CGCS2000_GEOGRAPHIC_EPSG}"


def working_crs(source_crs: QgsCoordinateReferenceSystem, extent, transform_context,
                feedback=None, label="") -> QgsCoordinateReferenceSystem:
    """The CRS to compute areas and overlaps in: the source's if projected, else the
    CGCS2000 3° GK zone (no prefix) of the extent's centre, said in the log.
    `transform_context`: a QgsCoordinateTransformContext, or anything with a
    transformContext() (a Processing context, a QgsProject)."""
    if source_crs.isValid() and not source_crs.isGeographic():
        return source_crs
    if hasattr(transform_context, "transformContext"):
        transform_context = transform_context.transformContext()
    lon = extent.center().x()
    if source_crs.isValid() and source_crs.authid() != CGCS2000:
        to_geo = QgsCoordinateTransform(source_crs, QgsCoordinateReferenceSystem(CGCS2000),
                                        transform_context)
        lon = to_geo.transform(extent.center()).x()
    target = QgsCoordinateReferenceSystem(f"EPSG:{gk.cgcs2000_gk_epsg_for_longitude(lon, False)}")
    if feedback is not None:
        feedback.pushInfo(tr("{0} is in a geographic CRS ({1}); areas are computed in {2} "
                             "({3}).").format(label, source_crs.authid() or "?",
                                              target.authid(), target.description()))
    return target


def gk_zone(crs: QgsCoordinateReferenceSystem):
    """core.crs.GKZone when `crs` is a CGCS2000 3° GK zone, else None."""
    return gk.cgcs2000_zone(crs.authid(), crs.toProj())


def source_working_crs(source, context, feedback=None, label=""):
    """working_crs of a feature source (its CRS, checked by guards.layer_crs, and its
    recorded extent)."""
    from .guards import layer_crs, layer_label

    source_crs = layer_crs(source.sourceCrs(), source.sourceExtent(),
                           layer_label(source, label), feedback, context)
    return working_crs(source_crs, source.sourceExtent(), context, feedback, label)


def measured_areas(geometries, crs: QgsCoordinateReferenceSystem, context) -> np.ndarray:
    """QGIS's ellipsoidal area (m²) of each QgsGeometry in `crs` (QgsDistanceArea on the
    Processing context's ellipsoid, else the CRS's own)."""
    measure = QgsDistanceArea()
    measure.setSourceCrs(crs, context.transformContext())
    ellipsoid = context.ellipsoid()
    if not ellipsoid or ellipsoid.upper() == "NONE":
        ellipsoid = crs.ellipsoidAcronym()
    measure.setEllipsoid(ellipsoid)
    return np.array([measure.measureArea(g) for g in geometries], dtype=float)


def lonlat(crs: QgsCoordinateReferenceSystem, points, context) -> list:
    """(lon, lat) on CGCS2000 of (x, y) points given in `crs`."""
    to_geo = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem(CGCS2000),
                                    context.transformContext())
    return [(p.x(), p.y()) for p in (to_geo.transform(x, y) for x, y in points)]


class PrefixShift:
    """Coordinates of a plain GK zone to the same zone with its prefix: an exact shift
    of x (core.crs.prefix_shift), where a projection would round."""

    def __init__(self, dx: float):
        self.dx = dx

    def inverse(self):
        return PrefixShift(-self.dx)


def declaration_transform(from_crs, target, zone: int, context):
    """How geometries in `from_crs` go to the declaration CRS `target` of `zone`: None
    (already there), a PrefixShift, or a QgsCoordinateTransform."""
    if from_crs == target:
        return None
    dx = gk.prefix_shift(gk_zone(from_crs), zone)
    if dx is not None:
        return PrefixShift(dx)
    return QgsCoordinateTransform(from_crs, target, context.transformContext())


def inverse_transform(transform, target, from_crs, context):
    """The way back of declaration_transform."""
    if transform is None or isinstance(transform, PrefixShift):
        return None if transform is None else transform.inverse()
    return QgsCoordinateTransform(target, from_crs, context.transformContext())


def transform_geometries(geoms, transform) -> np.ndarray:
    """Shapely geometries through `transform` (None, a PrefixShift or a
    QgsCoordinateTransform), repaired (rounding at 3.6e7 may pinch a ring)."""
    from .values import as_shapely, qgs_geometry

    if transform is None:
        return np.asarray(geoms, dtype=object)
    if isinstance(transform, PrefixShift):
        shifted = shapely.transform(np.asarray(geoms, dtype=object),
                                    lambda xy: xy + np.array([transform.dx, 0.0]))
        return repair(shifted)[0]
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            out.append(g)
            continue
        q = qgs_geometry(g)
        q.transform(transform)
        out.append(as_shapely([q])[0])
    return repair(np.asarray(out, dtype=object))[0]
