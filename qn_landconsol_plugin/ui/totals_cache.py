"""Totals cache (整治任务统计): the tagged parcels of the parcel layer as a pandas frame,
kept up to date from the layer's edit signals, debounced, reading only the edited
parcels (attributes only) between full reloads, and the land of every parcel per
township (land_sums, on a worker thread) for the project area; core.task_totals
computes the totals.
"""
from __future__ import annotations

import pandas as pd
from qgis.core import QgsFeatureRequest, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..core.project_area import LAND_COLUMNS
from ..core.task_totals import OPTIONAL_COLUMNS, task_totals
from ..qgis_io import compat
from ..qgis_io.values import python_value
from .land_sums import LandSums
from .tag_writer import canonical_fields

REFRESH_DELAY_MS = 300
TOTAL_COLUMNS = ("ZZLX", "ZZZLX", "XMBH", "TBMJ") + OPTIONAL_COLUMNS


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TOTAL_COLUMNS},
                        index=pd.Index([], dtype="int64", name="fid"))


def _has_text(value) -> bool:
    return value is not None and str(value).strip() != ""


def _tagged(frame) -> pd.Series:
    def has(col):
        return frame[col].map(_has_text)
    return has("ZZLX") | has("ZZZLX") if len(frame) else pd.Series([], dtype=bool)


class TotalsCache(QObject):
    """Tagged rows of one parcel layer (`frame`, indexed by feature id).

    `refreshed` fires after every refresh and when the land of the layer has been read
    (`land`, per township); `geometriesChanged(fids)` when parcel geometries change or go
    (None: all may have), for caches of geometry."""

    refreshed = pyqtSignal()
    geometriesChanged = pyqtSignal(object)

    _LAYER_SIGNALS = (
        ("attributeValueChanged", "_on_attribute_changed"),
        ("featureAdded", "_on_feature_added"),
        ("featuresDeleted", "_on_features_deleted"),
        ("geometryChanged", "_on_geometry_changed"),
        ("afterCommitChanges", "_on_committed"),
        ("afterRollBack", "_on_rolled_back"),
        ("updatedFields", "_on_fields_updated"),
        ("dataSourceChanged", "reload"),
        ("editCommandEnded", "schedule"),
        ("willBeDeleted", "_on_layer_deleted"),
    )

    def __init__(self, parent=None, delay_ms: int = REFRESH_DELAY_MS):
        super().__init__(parent)
        self.layer = None             # the parcel layer whose signals are connected
        self.frame = _empty_frame()
        self._dirty = set()           # parcels to read again at the next refresh
        self._changed = {}            # fid -> {ZZLX/ZZZLX: new value}: attributes changed
        self._tag_indexes = {}        # field index -> ZZLX/ZZZLX
        self._full_reload = True
        self._land_indexes = set()
        self._land_edited = False     # land changed in the edit buffer (this session)
        self.land = LandSums(self)
        self.land.ready.connect(self._on_land_ready)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.refresh)

    # ------------------------------------------------------------------ layer
    def set_layer(self, layer):
        """Follow `layer` (a QgsVectorLayer, or None)."""
        layer = layer if isinstance(layer, QgsVectorLayer) else None
        if layer is self.layer:
            return
        self.disconnect_layer()
        self.layer = layer
        self.land.forget()
        # edits made before: the land is read with them, a rollback discards them
        self._land_edited = layer is not None and layer.isEditable() and layer.isModified()
        if layer is not None:
            for signal, slot in self._LAYER_SIGNALS:
                getattr(layer, signal).connect(getattr(self, slot))
        self.reload()

    def disconnect_layer(self):
        if self.layer is None:
            return
        for signal, slot in self._LAYER_SIGNALS:
            try:
                getattr(self.layer, signal).disconnect(getattr(self, slot))
            except (TypeError, RuntimeError):
                pass
        self.layer = None

    def _on_layer_deleted(self):
        self.disconnect_layer()
        self.frame = _empty_frame()
        self.land.forget()
        self.refreshed.emit()

    def _on_attribute_changed(self, fid, index, value):
        if index in self._land_indexes:
            self._land_changed()
        changed = self._changed.setdefault(fid, {})
        tag = self._tag_indexes.get(index)
        if tag is not None:
            changed[tag] = python_value(value)
        self.schedule()

    def _on_feature_added(self, fid):
        self._land_changed()
        self.mark_dirty([fid])

    def _on_features_deleted(self, fids):
        self._land_changed()
        self.frame = self.frame.drop(index=[f for f in fids if f in self.frame.index])
        self.geometriesChanged.emit(list(fids))
        self.schedule()

    def _on_geometry_changed(self, fid, _geom):
        self.geometriesChanged.emit([fid])
        self.schedule()

    # --------------------------------------------------------------- refresh
    def mark_dirty(self, fids):
        """Re-read parcels `fids` at the next refresh (debounced)."""
        self._dirty.update(fids)
        self.schedule()

    def schedule(self, *_args):
        self.timer.start()

    def _land_changed(self):
        self._land_edited = True
        self.land.invalidate()

    def reload(self, *_args):
        """Re-read every tagged parcel and the land (layer or data source change, the
        user's refresh)."""
        self.land.invalidate()
        self._reload_tags()

    def _on_committed(self):
        """Edits saved: the tagged parcels are read again; the land only when land was
        edited (the sums were read with the edit buffer, which is now the file: a
        tagging-only session leaves them as they are)."""
        self._after_edit_session()

    def _on_rolled_back(self):
        """Edits discarded: the tagged parcels are read again; the land only when land was
        edited (the sums held those edits)."""
        self._after_edit_session()

    def _after_edit_session(self):
        if self._land_edited:
            self.land.invalidate()
        self._land_edited = False
        self._reload_tags()

    def _on_fields_updated(self):
        """Fields added or removed (the tag fields, typically): the tagged parcels are read
        again, the land only when its fields are not where they were."""
        before = self._land_indexes
        self._reload_tags()
        if self._land_indexes != before:
            self.land.invalidate()

    def _reload_tags(self):
        self._full_reload = True
        if self.layer is not None:
            names = canonical_fields(self.layer, LAND_COLUMNS)
            fields = self.layer.fields()
            self._land_indexes = {fields.indexOf(n) for n in names.values()}
            tags = canonical_fields(self.layer, ("ZZLX", "ZZZLX"))
            self._tag_indexes = {fields.indexOf(n): c for c, n in tags.items()}
        self.geometriesChanged.emit(None)
        self.schedule()

    def _on_land_ready(self):
        self.refreshed.emit()
        self.land.start(self.layer)      # land edited during the read: once more

    @property
    def land_ready(self) -> bool:
        """Whether the land of the project areas is known (read at least once)."""
        return self.land.sums is not None

    def refresh(self, wait: bool = False):
        """Bring the cached rows up to date (whole layer or just the edited parcels) and
        read the land when it changed: `wait` for it (tests, scripts), else start it on
        the worker thread once the rows are read and shown (its Python work would hold
        the GIL against this thread's meanwhile)."""
        self.timer.stop()
        if wait:
            self.land.wait(self.layer)
        layer = self.layer
        if layer is None:
            self.frame = _empty_frame()
        elif self._full_reload:
            self.frame = self._read_rows(layer)
        elif self._dirty or self._changed:
            untagged = self._untagged_now()
            dirty = list(self._dirty | (set(self._changed) - untagged))
            rows = self._read_rows(layer, dirty) if dirty else _empty_frame()
            rows = rows[_tagged(rows)]
            gone = set(dirty) | untagged
            kept = self.frame.drop(index=[f for f in gone if f in self.frame.index])
            self.frame = pd.concat([kept, rows]) if len(rows) else kept
        self._dirty.clear()
        self._changed.clear()
        self._full_reload = False
        self.refreshed.emit()
        if not wait:
            self.land.start(self.layer)

    def _untagged_now(self) -> set:
        """Parcels whose attribute changes (self._changed, not also in self._dirty) leave
        them untagged: their cached tags (none for a parcel not cached: untagged) with the
        changed ZZLX/ZZZLX values over them. Those need no read (an undone tagging of
        1,000 parcels: none); the others are read again."""
        fids = [f for f in self._changed if f not in self._dirty]
        cached = self.frame.reindex(fids)      # NaN for parcels not cached
        untagged = set()
        for fid, zzlx, zzzlx in zip(fids, cached["ZZLX"].tolist(), cached["ZZZLX"].tolist()):
            tags = self._changed[fid]
            values = (tags.get("ZZLX", zzlx), tags.get("ZZZLX", zzzlx))
            if not any(_has_text(v) and v == v for v in values):     # v != v: NaN
                untagged.add(fid)
        return untagged

    def _read_rows(self, layer, fids=None) -> pd.DataFrame:
        """Tagged parcels (or parcels `fids`) with the totals columns, no geometry."""
        names = canonical_fields(layer, TOTAL_COLUMNS)
        fields = layer.fields()
        cols = [c for c in TOTAL_COLUMNS if c in names]
        idx = [fields.indexOf(names[c]) for c in cols]
        request = (QgsFeatureRequest().setFlags(compat.FeatureRequestFlag.NoGeometry)
                   .setSubsetOfAttributes(idx))
        if fids is not None:
            request.setFilterFids(list(fids))
        else:
            tags = [names[c] for c in ("ZZLX", "ZZZLX") if c in names]
            if not tags:
                return _empty_frame()
            request.setFilterExpression(" OR ".join(
                f"(\"{n}\" IS NOT NULL AND \"{n}\" <> '')" for n in tags))
        ids, rows = [], []
        for feature in layer.getFeatures(request):
            attrs = feature.attributes()
            ids.append(feature.id())
            rows.append([python_value(attrs[i]) for i in idx])
        frame = pd.DataFrame(rows, columns=cols, index=pd.Index(ids, dtype="int64", name="fid"),
                             dtype=object)
        for c in TOTAL_COLUMNS:
            if c not in frame:
                frame[c] = None
        return frame[list(TOTAL_COLUMNS)]

    # ---------------------------------------------------------------- queries
    def project_rows(self, project: str | None) -> pd.DataFrame:
        """The cached rows of project XMBH `project` (all rows for None)."""
        frame = self.frame
        if project is None:
            return frame
        return frame[frame["XMBH"].map(lambda v: str(v or "").strip()) == project]

    def totals(self, rules, project, targets):
        """core.task_totals over the cached rows and the land of the layer's townships
        (the tagged rows alone until it has been read: see land_ready)."""
        return task_totals(self.frame, rules, project, targets, land=self.land.sums)
