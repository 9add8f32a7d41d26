"""The dock's parts on their own, without the dock widget: the tag writer (fields,
tagging, one undo step), the totals cache and the project settings."""
import shutil

import pytest
from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer

from qn_landconsol_plugin.core.rules import Rules, Targets
from qn_landconsol_plugin.qgis_io import compat
from qn_landconsol_plugin.ui import project_settings
from qn_landconsol_plugin.ui.tag_writer import ProjectTags, TagWriter
from qn_landconsol_plugin.ui.totals_cache import TotalsCache

MU = 10000.0 / 15.0
TAGS = ["ZZLX", "ZZZLX", "XMBH", "XMMC", "SSND"]


@pytest.fixture()
def parcels(township, tmp_path):
    gpkg = tmp_path / "township.gpkg"
    shutil.copy(township["gpkg"], gpkg)
    layer = QgsVectorLayer(f"{gpkg}|layername=dltb", "dltb", "ogr")
    assert layer.isValid()
    layer.path = gpkg
    return layer


def fids_where(layer, expression, n):
    request = (QgsFeatureRequest().setFilterExpression(expression).setNoAttributes()
               .setFlags(compat.FeatureRequestFlag.NoGeometry))
    return sorted(f.id() for f in layer.getFeatures(request))[:n]


def values(layer, fid, names=TAGS):
    feature = layer.getFeature(fid)
    return [feature[n] for n in names]


def test_tag_writer_tags_and_clears_without_a_dock(parcels):
    asked, told = [], []
    writer = TagWriter(lambda title, text: asked.append(text) or True,
                       lambda text, level=None: told.append(text))
    farmland = fids_where(parcels, "\"DLBM\" IN ('0101','0102','0103')", 6)
    steps = parcels.undoStack().count()
    assert writer.tag(parcels, farmland, "NYD01", ProjectTags("P-1", "甲项目", 2026)) == 6
    assert len(asked) == 1 and "ZZLX" in asked[0]                  # the fields, asked once
    assert parcels.undoStack().count() == steps + 1                # one undo step
    assert values(parcels, farmland[0]) == ["NYD", "NYD01", "P-1", "甲项目", 2026]
    assert writer.clear(parcels, farmland[:2]) == 2
    assert values(parcels, farmland[0]) == [None] * 5
    assert values(parcels, farmland[2])[:2] == ["NYD", "NYD01"]
    parcels.undoStack().undo()
    assert values(parcels, farmland[0]) == ["NYD", "NYD01", "P-1", "甲项目", 2026]
    assert told[-1]                                                # every step is told


def test_tag_writer_refuses_without_project_code_or_task(parcels):
    told = []
    writer = TagWriter(lambda *_: True, lambda text, level=None: told.append(text))
    fids = fids_where(parcels, "TRUE", 3)
    assert writer.tag(parcels, fids, "NYD01", ProjectTags("")) == 0
    assert "XMBH" in told[-1]
    assert writer.tag(parcels, fids, "NOSUCH", ProjectTags("P")) == 0
    assert parcels.fields().indexOf("ZZLX") < 0 and not parcels.isEditable()


def test_totals_cache_follows_the_layer_edits(parcels):
    cache = TotalsCache()
    cache.set_layer(parcels)
    writer = TagWriter(lambda *_: True)
    fids = fids_where(parcels, "TRUE", 8)
    writer.tag(parcels, fids, "STXF01", ProjectTags("P-1"))
    writer.tag(parcels, fids[6:], "STXF02", ProjectTags("P-2"))
    assert cache.timer.isActive()            # the edit signals scheduled a refresh
    cache.refresh()
    assert sorted(cache.frame.index) == fids
    assert sorted(cache.project_rows("P-2").index) == fids[6:]
    totals = cache.totals(Rules(), None, None)
    want = sum(parcels.getFeature(f)["TBMJ"] for f in fids) / MU
    assert totals.area_mu == pytest.approx(want, rel=1e-9)
    assert totals.subtype("STXF02").parcels == 2
    cache.disconnect_layer()


def test_project_settings_round_trip(qgis_new_project):
    project = QgsProject.instance()
    project.clear()                   # no entries left by an earlier test
    settings = project_settings.DockSettings(xmbh="522701-2025-03", xmmc="乙项目", ssnd=2029,
                                             scope="all", targets={"farmland_mu": 1234.0})
    settings.layers["red_line"] = "stbhhx_1234"
    project_settings.write(project, settings)
    back = project_settings.read(project, ["farmland_mu", "construction_mu"])
    assert (back.xmbh, back.xmmc, back.ssnd, back.scope) == ("522701-2025-03", "乙项目", 2029, "all")
    assert back.layers["red_line"] == "stbhhx_1234" and back.layers["parcels"] == ""
    project.clear()
    assert project_settings.read(project).layers["parcels"] is None    # no entry at all
    assert back.targets["farmland_mu"] == 1234.0
    assert back.targets["construction_mu"] == Targets().construction_mu   # the default
