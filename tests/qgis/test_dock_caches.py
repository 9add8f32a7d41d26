"""The dock's caches kept up to date incrementally (tagged rows, land per township,
red-line verdicts) equal a fresh read of the layer after tagging, undo, edits by hand,
commit and rollback."""
import shutil

import pandas as pd
import pytest
from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer

from qn_landconsol_plugin.qgis_io import compat
from qn_landconsol_plugin.ui.conflict_index import ConflictIndex
from qn_landconsol_plugin.ui.consolidation_dock import ConsolidationDock
from qn_landconsol_plugin.ui.totals_cache import TotalsCache


@pytest.fixture()
def town(township, tmp_path, qgis_new_project):
    gpkg = tmp_path / "township.gpkg"
    shutil.copy(township["gpkg"], gpkg)
    layers = {name: QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
              for name in ("dltb", "stbhhx")}
    assert all(layer.isValid() for layer in layers.values())
    QgsProject.instance().addMapLayers(list(layers.values()))
    return layers


@pytest.fixture()
def dock(qgis_iface, town):
    widget = ConsolidationDock(qgis_iface)
    widget.confirm = lambda title, text: True
    widget.set_parcel_layer(town["dltb"])
    widget.set_project("P-1", "", 2026)
    widget.set_control_layers(red_line=town["stbhhx"])
    yield widget
    widget.unload()
    widget.deleteLater()


def _fids(layer, expression):
    request = (QgsFeatureRequest().setNoAttributes()
               .setFlags(compat.FeatureRequestFlag.NoGeometry).setFilterExpression(expression))
    return sorted(f.id() for f in layer.getFeatures(request))


def _in_red_line(layer, red):
    """Parcels of `layer` that overlap a red-line polygon (same CRS)."""
    geoms = [f.geometry() for f in red.getFeatures()]
    return sorted(f.id() for f in layer.getFeatures()
                  if any(f.geometry().intersects(g) for g in geoms))


def _assert_as_fresh(dock, layer, red):
    """The dock's cached rows, land sums and conflicts equal those of a fresh read."""
    dock.refresh_totals()
    fresh = TotalsCache()
    fresh.set_layer(layer)
    fresh.refresh(wait=True)
    try:
        pd.testing.assert_frame_equal(dock.totals_cache.frame.sort_index(),
                                      fresh.frame.sort_index())
        pd.testing.assert_frame_equal(dock.totals_cache.land.sums, fresh.land.sums)
        rows = fresh.project_rows(dock.scope_project())
        want = ConflictIndex(dock.rules).conflicts(layer, red, rows)
        assert sorted(dock.conflict_fids) == sorted(want)
    finally:
        fresh.disconnect_layer()
    return fresh


def test_caches_after_tagging_undo_hand_edits_commit_and_rollback(dock, town):
    layer, red = town["dltb"], town["stbhhx"]
    inside = _in_red_line(layer, red)
    assert len(inside) >= 6
    farmland = [f for f in _fids(layer, "\"DLBM\" IN ('0101','0102','0103')")
                if f not in inside]
    # new construction in the red line: conflicts
    layer.selectByIds(inside[:6])
    dock.select_task("JSYD01")
    assert dock.tag_selected() == 6
    _assert_as_fresh(dock, layer, red)
    assert dock.conflict_fids                    # the comparison means something
    layer.selectByIds(farmland[:5])
    dock.select_task("NYD01")
    assert dock.tag_selected() == 5
    _assert_as_fresh(dock, layer, red)
    assert dock.totals.parcels == 11
    sums = dock.totals_cache.land.sums
    # one undo takes the second tagging back; the land is the same
    layer.undoStack().undo()
    _assert_as_fresh(dock, layer, red)
    assert dock.totals.parcels == 6
    assert dock.totals_cache.land.sums is sums
    # by hand: ZZLX cleared, ZZZLX kept: still tagged; then ZZZLX too: untagged
    zzlx, zzzlx = layer.fields().indexOf("ZZLX"), layer.fields().indexOf("ZZZLX")
    layer.changeAttributeValue(inside[0], zzlx, None)
    _assert_as_fresh(dock, layer, red)
    assert dock.totals.parcels == 6
    layer.changeAttributeValue(inside[0], zzzlx, "")
    _assert_as_fresh(dock, layer, red)
    assert dock.totals.parcels == 5
    # a tagged parcel's land class, then its task changed by hand: judged again
    layer.changeAttributeValue(inside[1], layer.fields().indexOf("DLBM"), "0702")
    _assert_as_fresh(dock, layer, red)
    before = len(dock.conflict_fids)
    layer.changeAttributeValue(inside[1], zzlx, "STXF")
    layer.changeAttributeValue(inside[1], zzzlx, "STXF03")   # restoration: allowed there
    _assert_as_fresh(dock, layer, red)
    assert len(dock.conflict_fids) == before - 1
    # saved: the land sums are the file's (read again: land was edited)
    assert layer.commitChanges()
    fresh = _assert_as_fresh(dock, layer, red)
    # a tagging-only session saved: nothing to read again, the sums are the file's
    sums = dock.totals_cache.land.sums
    layer.selectByIds(farmland[5:8])
    dock.select_task("NYD01")
    assert dock.tag_selected() == 3
    assert layer.commitChanges()
    _assert_as_fresh(dock, layer, red)
    assert dock.totals_cache.land.sums is sums
    # land edited, then discarded: back to the file's sums
    assert layer.startEditing()
    layer.changeAttributeValue(farmland[10], layer.fields().indexOf("DLBM"), "0301")
    edited = _assert_as_fresh(dock, layer, red)
    assert not edited.land.sums.equals(fresh.land.sums)
    assert layer.rollBack()
    _assert_as_fresh(dock, layer, red)
    pd.testing.assert_frame_equal(dock.totals_cache.land.sums, fresh.land.sums)
