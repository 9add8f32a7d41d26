"""Dock responsiveness on the county-scale sample: how long the UI is frozen when a
technician tags 1,000 selected parcels and the totals refresh (in-process, with
the real dock and QGIS classes; no native counterpart).

    COUNTY=/path/township.gpkg python tools/bench/bench_dock.py
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import COUNTY, OUT  # noqa: E402

N_TAG = 1000


def main():
    from qgis.core import QgsApplication, QgsFeatureRequest, QgsProject, QgsVectorLayer

    app = QgsApplication([], True)
    app.initQgis()
    from qgis.gui import QgsMapCanvas

    from qn_landconsol_plugin.ui.consolidation_dock import ConsolidationDock

    class Iface:  # the little of QgisInterface the dock uses
        def __init__(self):
            self.canvas = QgsMapCanvas()

        def mapCanvas(self):
            return self.canvas

    work = Path(tempfile.mkdtemp(prefix="bench-dock-"))
    gpkg = work / "county.gpkg"
    shutil.copy(COUNTY, gpkg)
    layer = QgsVectorLayer(f"{gpkg}|layername=dltb", "dltb", "ogr")
    assert layer.isValid(), COUNTY
    red = QgsVectorLayer(f"{gpkg}|layername=stbhhx", "stbhhx", "ogr")
    QgsProject.instance().addMapLayers([layer, red])
    n = layer.featureCount()

    dock = ConsolidationDock(Iface())
    dock.confirm = lambda *_: True
    dock.set_parcel_layer(layer)
    dock.set_project("BENCH-01", "bench", 2026)
    dock.set_control_layers(red_line=red)   # the red-line conflict count is live too
    dock.refresh_totals()

    request = QgsFeatureRequest().setNoAttributes().setFlags(QgsFeatureRequest.NoGeometry)
    fids = sorted(f.id() for f in layer.getFeatures(request))
    step = max(len(fids) // (3 * N_TAG), 1)

    # first tagging: adds the five fields (asked once), then tags
    layer.selectByIds(fids[0:N_TAG * step:step][:N_TAG])
    dock.select_task("NYD01")
    t0 = time.perf_counter()
    dock.tag_selected()
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    dock.refresh_totals()   # full read: the fields were added
    t_full = time.perf_counter() - t0

    # the everyday case: 1,000 more parcels, then the debounced refresh
    second = fids[1:N_TAG * step:step][:N_TAG]
    layer.selectByIds(second)
    dock.select_task("JSYD01")
    t0 = time.perf_counter()
    dock.tag_selected()
    t_tag = time.perf_counter() - t0
    t0 = time.perf_counter()
    dock.refresh_totals()
    t_refresh = time.perf_counter() - t0
    assert dock.totals.parcels == 2 * N_TAG, dock.totals.parcels

    # undo of the 1,000
    t0 = time.perf_counter()
    layer.undoStack().undo()
    dock.refresh_totals()
    t_undo = time.perf_counter() - t0
    assert dock.totals.parcels == N_TAG

    # committing and re-reading every tagged parcel (after save / layer switch): on the
    # UI thread, while the land of every parcel per township (the project area's
    # farmland) is read again on a worker thread
    layer.commitChanges()
    t0 = time.perf_counter()
    dock.reload()
    dock.totals_cache.refresh()
    t_reload = time.perf_counter() - t0
    t0 = time.perf_counter()
    dock.totals_cache.land.wait(layer)
    t_land = time.perf_counter() - t0
    dock.refresh_totals()
    assert dock.totals.farmland_mu > 0

    freeze = (t_tag + t_refresh) * 1000
    print(f"parcels in layer: {n:,}")
    print(f"first tagging of {N_TAG} (adds fields): {t_first * 1000:.0f} ms; full totals read: {t_full * 1000:.0f} ms")
    print(f"tag {N_TAG} selected parcels: {t_tag * 1000:.0f} ms")
    print(f"refresh totals after it: {t_refresh * 1000:.0f} ms")
    print(f"undo + refresh: {t_undo * 1000:.0f} ms; re-read all tagged after commit: {t_reload * 1000:.0f} ms")
    print(f"land of every parcel per township, read on a worker thread after it: "
          f"{t_land * 1000:.0f} ms more (the UI goes on meanwhile)")
    print(f"UI freeze for tag + refresh: {freeze:.0f} ms")
    line = (f"| dock: tag {N_TAG} + refresh totals ({n:,} parcels) | {freeze:.0f} ms | – | – | – | "
            f"tag {t_tag * 1000:.0f} ms, refresh {t_refresh * 1000:.0f} ms, undo+refresh "
            f"{t_undo * 1000:.0f} ms, full re-read {t_reload * 1000:.0f} ms, land per township "
            f"{t_land * 1000:.0f} ms more on a worker thread (in-process) |")
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "results.md", "a", encoding="utf-8") as f:
        f.write(line + "\n")
    print(line, flush=True)
    print(f"red-line conflicts among the tagged: {len(dock.conflict_fids)}")
    dock.unload()
    dock.deleteLater()
    QgsProject.instance().removeAllMapLayers()
    shutil.rmtree(work, ignore_errors=True)
    app.processEvents()
    app.exitQgis()


if __name__ == "__main__":
    main()
