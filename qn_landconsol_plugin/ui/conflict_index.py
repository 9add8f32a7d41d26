"""Conflict index (红线冲突): which tagged parcels conflict with the ecological red line,
by core.task_totals.red_line_conflicts; red-line polygons and parcel geometries are
cached in the working CRS so a refresh reads only parcels it has not seen.
"""
from __future__ import annotations

import numpy as np
from qgis.core import QgsCoordinateTransform, QgsFeatureRequest, QgsProject

from ..qgis_io.crs import working_crs
from ..qgis_io.values import as_shapely
from ..core.control_lines import ZoneIndex
from ..core.task_totals import red_line_conflicts


def _shapely(layer, fids, target):
    """(feature ids, shapely geometries in `target`) of `layer`'s features `fids` (all: None)."""
    transform = None
    if layer.crs() != target:
        transform = QgsCoordinateTransform(layer.crs(), target, QgsProject.instance())
    request = QgsFeatureRequest().setNoAttributes()
    if fids is not None:
        request.setFilterFids(list(fids))
    ids, geoms = [], []
    for feature in layer.getFeatures(request):
        geom = feature.geometry()
        if transform is not None and not geom.isNull():
            geom.transform(transform)
        ids.append(feature.id())
        geoms.append(geom)
    return ids, as_shapely(geoms)


class ConflictIndex:
    """Red-line conflicts among tagged parcels; `forget` what changed, `conflicts` to ask."""

    def __init__(self, rules):
        self.rules = rules
        self._geoms = {}      # fid -> shapely geometry (working CRS) of the parcel layer
        self._zone = None     # ((red line layer id, CRS authid), ZoneIndex)

    def forget(self, fids=None):
        """Drop the cached geometries of parcels `fids` (None: all of them)."""
        if fids is None:
            self._geoms.clear()
        else:
            for fid in fids:
                self._geoms.pop(fid, None)

    def forget_red_line(self):
        self._zone = None

    def conflicts(self, layer, red_line, rows) -> list:
        """Feature ids of the parcels in `rows` (tagged rows with ZZLX, ZZZLX, DLBM,
        indexed by fid) whose task is not allowed where they meet `red_line`."""
        target = working_crs(layer.crs(), layer.extent(), QgsProject.instance())
        key = (red_line.id(), target.authid())
        if self._zone is None or self._zone[0] != key:
            _ids, zone_geoms = _shapely(red_line, None, target)
            self._zone = (key, ZoneIndex(zone_geoms))
        fids = list(rows.index)
        missing = [f for f in fids if f not in self._geoms]
        if missing:
            ids, geoms = _shapely(layer, missing, target)
            self._geoms.update(zip(ids, geoms))
        fids = [f for f in fids if f in self._geoms]
        if not fids:
            return []
        rows = rows.loc[fids]
        geoms = np.array([self._geoms[f] for f in fids], dtype=object)
        flags = red_line_conflicts(geoms, rows["DLBM"], rows["ZZLX"], rows["ZZZLX"],
                                   self._zone[1], self.rules)
        return [f for f, hit in zip(fids, flags) if hit]
