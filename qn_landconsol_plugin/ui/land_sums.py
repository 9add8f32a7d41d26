"""Land of the parcel layer per township (core.project_area.land_by_unit: farmland net of
田坎 and construction land now, tagged or not), read on a worker thread so the dock never
freezes: the ≥ 5 % rule divides by the farmland of the project's townships, which the
dock's cache of tagged parcels does not hold. Read once per layer and again only when
land attributes change (DLBM, TBMJ, KCXS, KCMJ, TBDLMJ, ZLDWDM), parcels are added or
deleted, edits of those are committed or rolled back, or the user refreshes; tagging
never changes it (totals_cache decides).
"""
from __future__ import annotations

import pandas as pd
from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt.QtCore import QObject, QThread, pyqtSignal

from ..core import consolidation, project_area
from ..qgis_io.tables import layer_columns_reader
from .tag_writer import canonical_fields


def land_sums(columns: dict) -> pd.DataFrame:
    """land_by_unit of the parcels whose LAND_COLUMNS values are `columns`."""
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in columns.items()})
    farmland, construction = consolidation.land_now(frame)
    return project_area.land_by_unit(project_area.frame_units(frame), farmland, construction)


_RUNNING = set()   # reads under way: a QThread destroyed while it runs aborts the process


def _release(thread):
    """The finished read's thread let go of (on the main thread, once it has stopped)."""
    thread.wait()
    _RUNNING.discard(thread)


class _Reader(QThread):
    """One read on a Qt thread (QGIS's providers expect one: their connection pools run
    timers); `done(generation, sums or the exception)` at its end. Not a child of the dock:
    the module keeps it until it has finished, even when the dock is closed meanwhile."""

    done = pyqtSignal(int, object)

    def __init__(self, read, generation: int, parent=None):
        super().__init__(parent)
        self.read = read
        self.generation = generation
        self.result = None

    def run(self):
        try:
            self.result = self.read()
        except Exception as err:  # noqa: BLE001 - reported on the main thread
            self.result = err
        self.done.emit(self.generation, self.result)


class LandSums(QObject):
    """The per-township land of one layer (`sums`, None until first read). `ready` fires
    on the main thread when a read has finished."""

    ready = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sums = None
        self.stale = True
        self._generation = 0
        self._thread = None

    def forget(self):
        """Drop the sums (another layer): None until the next read."""
        self._generation += 1
        self.sums = None
        self.stale = True

    def invalidate(self):
        """The land changed: read again at the next start (the old sums stay meanwhile)."""
        self.stale = True

    def _running(self) -> bool:
        try:
            return self._thread is not None and self._thread.isRunning()
        except RuntimeError:        # the finished thread object was deleted
            return False

    def start(self, layer):
        """Read the land of `layer` on a worker thread when stale (and no read is running)."""
        if layer is None or not self.stale:
            return
        if self._running():
            return
        self.stale = False
        self._generation += 1
        generation = self._generation
        names = canonical_fields(layer, project_area.LAND_COLUMNS)
        reader = layer_columns_reader(layer, [names[c] for c in names])

        def read():
            values = reader()
            columns = {c: values[names[c]] for c in names}
            return land_sums(columns) if columns else None

        thread = _Reader(read, generation)
        thread.done.connect(self._on_finished)      # queued: LandSums lives on the UI thread
        thread.finished.connect(lambda: _release(thread))   # queued to this (the UI) thread
        _RUNNING.add(thread)
        self._thread = thread
        thread.start()

    def wait(self, layer=None):
        """Start a read if stale and wait for the running one; its sums are applied
        (without `ready`: the caller goes on with them)."""
        self.start(layer)
        thread = self._thread
        if thread is None:
            return
        try:
            thread.wait()
        except RuntimeError:        # finished and deleted already: its sums were applied
            return
        self._on_finished(thread.generation, thread.result, notify=False)

    def _on_finished(self, generation, result, notify=True):
        if generation != self._generation:
            return            # a read of another layer, or already applied
        self._generation += 1  # applied once (wait() and the queued signal)
        self._thread = None    # done: a start() from `ready` reads again, though the
        #                        finished thread may still be winding down
        if isinstance(result, Exception):      # the share waits for the next read
            QgsMessageLog.logMessage(f"Reading the land of the parcel layer failed: {result!r}",
                                     "qn_landconsol", Qgis.MessageLevel.Warning)
            self.stale = True
            return
        self.sums = result if result is not None else project_area.land_by_unit([], [], [])
        if notify:
            self.ready.emit()
