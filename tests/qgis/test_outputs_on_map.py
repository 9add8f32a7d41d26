"""Outputs on the map (issue 17 item 9): the exported project boundary loads as an
outline, the outputs of a batch of runs tell which input they come from, the sample
township loads styled with the buildings on top, and every algorithm has an icon of its
own."""
import os

import pytest
from qgis.core import QgsApplication, QgsLayerTreeLayer, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtSvg import QSvgRenderer

from qn_landconsol_plugin.algorithms.catalogue import ALGORITHMS

from .test_export_declaration import _tagger


def run_and_load(alg_id, params):
    import processing

    return processing.runAndLoadResults(f"qnlandconsol:{alg_id}", params)


@pytest.fixture()
def project(provider, qgis_new_project):
    QgsProject.instance().clear()
    yield QgsProject.instance()
    QgsProject.instance().clear()


def test_the_exported_project_boundary_loads_as_a_red_outline_without_fill(
        project, township, tmp_path):
    tagged = str(tmp_path / "tagged.gpkg")
    _tagger().tag(township["gpkg"], tagged)
    run_and_load("exportdeclaration", {"INPUT": f"{tagged}|layername=dltb", "MAP": False,
                                       "OUTPUT_FOLDER": str(tmp_path / "out")})
    boundaries = [layer for layer in project.mapLayers().values()
                  if layer.source().endswith("layername=xmfw")]
    assert len(boundaries) == 2
    for layer in boundaries:
        symbol = layer.renderer().symbol()
        assert symbol.symbolLayer(0).brushStyle() == Qt.BrushStyle.NoBrush
        assert symbol.symbolLayer(0).strokeColor().name() == "#e31a1c"
        assert layer.fields().field("XMBH").alias() == "项目编号"


def test_outputs_of_runs_on_two_inputs_are_named_after_their_input(project, township):
    names = []
    for title in ("甲乡图斑", "乙乡图斑"):
        layer = QgsVectorLayer(f"{township['gpkg']}|layername=dltb", title, "ogr")
        project.addMapLayer(layer)
        result = run_and_load("slopefarmland", {"INPUT": layer, "DEM": township["dem"],
                                                "OUTPUT": "TEMPORARY_OUTPUT",
                                                "OUTPUT_VILLAGES": "TEMPORARY_OUTPUT"})
        names.append({key: project.mapLayer(result[key]).name()
                      for key in ("OUTPUT", "OUTPUT_VILLAGES")})
    assert names[0]["OUTPUT"].endswith(" - 甲乡图斑") and names[1]["OUTPUT"].endswith(" - 乙乡图斑")
    assert names[0]["OUTPUT"].replace("甲", "乙") == names[1]["OUTPUT"]
    assert names[0]["OUTPUT_VILLAGES"].endswith(" - 甲乡图斑")
    assert len({n for run in names for n in run.values()}) == 4


def test_the_sample_township_loads_styled_with_the_buildings_on_top(project, tmp_path):
    run_and_load("sampledata", {"PARCELS": 200, "SEED": 3, "OUTPUT_FOLDER": str(tmp_path)})
    order = [node.layer().source().rsplit("=", 1)[-1].rsplit("/", 1)[-1]
             for node in project.layerTreeRoot().children()
             if isinstance(node, QgsLayerTreeLayer)]
    assert order == ["buildings", "stbhhx", "yjjbnt", "czkfbj", "cun", "dltb", "dem.tif"]
    layers = {layer.source().rsplit("=", 1)[-1]: layer for layer in project.mapLayers().values()}
    assert layers["dltb"].name() == "Parcels (DLTB)"            # not the file's layer name
    red = layers["stbhhx"].renderer().symbol().symbolLayer(0)
    assert red.brushStyle() == Qt.BrushStyle.NoBrush             # the parcels show through
    assert layers["dltb"].fields().field("DLBM").alias() == "地类编码"


def test_every_algorithm_has_its_own_legible_icon(provider):
    paths = {}
    for entry in ALGORITHMS:
        alg = QgsApplication.processingRegistry().algorithmById(f"qnlandconsol:{entry.name}")
        path = alg.svgIconPath()
        assert path == entry.icon_path and os.path.isfile(path), entry.name
        assert QSvgRenderer(path).isValid(), path
        assert not alg.icon().pixmap(16, 16).isNull()
        paths[entry.name] = path
    assert len(set(paths.values())) == len(ALGORITHMS)
    assert not any(p.endswith("icon.svg") for p in paths.values())   # not the plugin's icon
