"""Land of the parcel layer per township (core.project_area.land_by_unit: farmland net of
田坎 and construction land now, tagged or not), read on a worker thread so the dock never
freezes: the ≥ 5 % rule divides by the farmland of the project's townships, which the
dock's cache of tagged parcels does not hold. Read once per layer and again only when
land attributes change (DLBM, TBMJ, KCXS, KCMJ, TBDLMJ, ZLDWDM), parcels are added or
deleted, or edits are committed or rolled back; tagging never changes it.
"""
from __future__ import annotations

import threading

import pandas as pd
from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core import consolidation, project_area
from ..qgis_io.tables import layer_columns_reader
from .tag_writer import canonical_fields


def land_sums(columns: dict) -> pd.DataFrame:
    """land_by_unit of the parcels whose LAND_COLUMNS values are `columns`."""
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in columns.items()})
    farmland, construction = consolidation.land_now(frame)
    return project_area.land_by_unit(project_area.frame_units(frame), farmland, construction)


class LandSums(QObject):
    """The per-township land of one layer (`sums`, None until first read). `ready` fires
    on the main thread when a read has finished."""

    ready = pyqtSignal()
    _finished = pyqtSignal(int, object)      # (generation, sums) from the worker

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sums = None
        self.stale = True
        self._generation = 0
        self._thread = None
        self._result = None
        self._finished.connect(self._on_finished)

    def forget(self):
        """Drop the sums (another layer): None until the next read."""
        self._generation += 1
        self.sums = None
        self.stale = True

    def invalidate(self):
        """The land changed: read again at the next start (the old sums stay meanwhile)."""
        self.stale = True

    def start(self, layer):
        """Read the land of `layer` on a worker thread when stale (and no read is running)."""
        if layer is None or not self.stale:
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self.stale = False
        self._generation += 1
        generation = self._generation
        names = canonical_fields(layer, project_area.LAND_COLUMNS)
        reader = layer_columns_reader(layer, [names[c] for c in names])

        def run():
            try:
                values = reader()
                columns = {c: values[names[c]] for c in names}
                result = land_sums(columns) if columns else None
            except Exception as err:  # noqa: BLE001 - reported on the main thread
                result = err
            self._result = (generation, result)
            try:
                self._finished.emit(generation, result)
            except RuntimeError:      # the dock went away meanwhile
                pass

        self._thread = threading.Thread(target=run, name="qn-landconsol-land", daemon=True)
        self._thread.start()

    def wait(self, layer=None):
        """Start a read if stale and wait for the running one; its sums are applied
        (without `ready`: the caller goes on with them)."""
        self.start(layer)
        if self._thread is not None:
            self._thread.join()
            if self._result is not None:
                self._on_finished(*self._result, notify=False)

    def _on_finished(self, generation, result, notify=True):
        self._result = None
        if generation != self._generation:
            return            # a read of another layer, or already applied
        self._generation += 1  # applied once (wait() and the queued signal)
        if isinstance(result, Exception):      # the share waits for the next read
            QgsMessageLog.logMessage(f"Reading the land of the parcel layer failed: {result!r}",
                                     "qn_landconsol", Qgis.MessageLevel.Warning)
            self.stale = True
            return
        self.sums = result if result is not None else project_area.land_by_unit([], [], [])
        if notify:
            self.ready.emit()
