"""Conflict index (红线冲突): which tagged parcels conflict with the ecological red line,
by core.task_totals.red_line_conflicts; red-line polygons and parcel geometries are
cached in the working CRS so a refresh reads only parcels it has not seen, and each
parcel's verdict is kept with the land class and task it was judged on, so a refresh
judges only parcels that are new or changed (the verdict of one parcel depends on its
geometry, DLBM, ZZLX and ZZZLX alone).
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
        self._verdicts = {}   # fid -> ((DLBM, ZZLX, ZZZLX), conflict) against self._zone

    def forget(self, fids=None):
        """Drop the cached geometries (and verdicts) of parcels `fids` (None: all)."""
        if fids is None:
            self._geoms.clear()
            self._verdicts.clear()
        else:
            for fid in fids:
                self._geoms.pop(fid, None)
                self._verdicts.pop(fid, None)

    def forget_red_line(self):
        self._zone = None
        self._verdicts.clear()

    def conflicts(self, layer, red_line, rows) -> list:
        """Feature ids of the parcels in `rows` (tagged rows with ZZLX, ZZZLX, DLBM,
        indexed by fid) whose task is not allowed where they meet `red_line`."""
        target = working_crs(layer.crs(), layer.extent(), QgsProject.instance())
        key = (red_line.id(), target.authid())
        if self._zone is None or self._zone[0] != key:
            _ids, zone_geoms = _shapely(red_line, None, target)
            self._zone = (key, ZoneIndex(zone_geoms))
            self._verdicts.clear()
        fids = list(rows.index)
        missing = [f for f in fids if f not in self._geoms]
        if missing:
            ids, geoms = _shapely(layer, missing, target)
            self._geoms.update(zip(ids, geoms))
        fids = [f for f in fids if f in self._geoms]
        if not fids:
            return []
        rows = rows.loc[fids]
        keys = list(zip(rows["DLBM"], rows["ZZLX"], rows["ZZZLX"]))
        todo = [i for i, (f, k) in enumerate(zip(fids, keys))
                if f not in self._verdicts or self._verdicts[f][0] != k]
        if todo:
            judged = rows.iloc[todo]
            geoms = np.array([self._geoms[fids[i]] for i in todo], dtype=object)
            flags = red_line_conflicts(geoms, judged["DLBM"], judged["ZZLX"], judged["ZZZLX"],
                                       self._zone[1], self.rules)
            for i, hit in zip(todo, flags):
                self._verdicts[fids[i]] = (keys[i], bool(hit))
        return [f for f in fids if self._verdicts[f][1]]
