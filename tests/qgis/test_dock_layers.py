"""The dock picks its layers by what they are, on a project holding buildings, parcels
and the control lines (the sample township), buildings first in the layer list."""
import shutil

import pytest
from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer

from qn_landconsol_plugin.ui.consolidation_dock import ConsolidationDock

ORDER = ("buildings", "cun", "dltb", "stbhhx", "yjjbnt", "czkfbj")


@pytest.fixture()
def layers(township, tmp_path, qgis_new_project):
    QgsProject.instance().clear()
    gpkg = tmp_path / "township.gpkg"
    shutil.copy(township["gpkg"], gpkg)
    out = {name: QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr") for name in ORDER}
    out["dem"] = QgsRasterLayer(township["dem"], "dem")
    assert all(layer.isValid() for layer in out.values())
    yield out
    out.clear()     # layers the test did not add to the project go now, while QGIS is up


def new_dock(iface):
    dock = ConsolidationDock(iface)
    dock.confirm = lambda title, text: True
    return dock


@pytest.fixture()
def docks(qgis_iface):
    made = []
    yield lambda: made.append(new_dock(qgis_iface)) or made[-1]
    for dock in made:
        dock.unload()
        dock.deleteLater()


def test_an_open_project_gets_its_parcel_layer_and_control_lines_by_what_they_are(layers, docks):
    QgsProject.instance().addMapLayers([layers[n] for n in ORDER] + [layers["dem"]])
    dock = docks()
    assert dock.parcel_layer() is layers["dltb"]                    # not buildings, listed first
    assert dock.redLineCombo.currentLayer() is layers["stbhhx"]
    assert dock.pbfCombo.currentLayer() is layers["yjjbnt"]
    assert dock.udbCombo.currentLayer() is layers["czkfbj"]
    assert dock.demCombo.currentLayer() is layers["dem"]
    assert not dock.layerWarningLabel.isVisibleTo(dock)


def test_layers_added_after_the_dock_opened_are_chosen_by_what_they_are(layers, docks):
    dock = docks()
    assert dock.parcel_layer() is None
    QgsProject.instance().addMapLayer(layers["buildings"])
    assert dock.parcel_layer() is None                              # buildings are no parcels
    QgsProject.instance().addMapLayers([layers["dltb"], layers["stbhhx"]])
    assert dock.parcel_layer() is layers["dltb"]
    assert dock.redLineCombo.currentLayer() is layers["stbhhx"]


def test_a_parcel_layer_without_the_three_survey_fields_is_warned_about(layers, docks):
    QgsProject.instance().addMapLayers([layers[n] for n in ORDER])
    dock = docks()
    dock.set_parcel_layer(layers["buildings"])
    assert "buildings" in dock.last_message and "DLBM" in dock.last_message and "TBMJ" in dock.last_message
    assert dock.layerWarningLabel.isVisibleTo(dock) and "DLBM" in dock.layerWarningLabel.text()
    dock.set_parcel_layer(layers["dltb"])
    assert not dock.layerWarningLabel.isVisibleTo(dock)


def test_the_parcel_layer_is_refused_as_red_line(layers, docks):
    QgsProject.instance().addMapLayers([layers[n] for n in ORDER])
    dock = docks()
    dltb = layers["dltb"]
    dock.set_control_layers(red_line=dltb, pbf=layers["yjjbnt"])
    assert dock.redLineCombo.currentLayer() is None
    assert "parcel layer" in dock.last_message
    assert dock.pbfCombo.currentLayer() is layers["yjjbnt"]
    # the red-line list does not even offer it
    offered = [dock.redLineCombo.layer(i) for i in range(dock.redLineCombo.count())]
    assert dltb not in offered and layers["stbhhx"] in offered
    # making the red line the parcel layer empties the red line, and says so
    dock.set_control_layers(red_line=layers["stbhhx"])
    told = []
    dock.notify = lambda text, level=None: told.append(text)
    dock.set_parcel_layer(layers["stbhhx"])
    assert dock.redLineCombo.currentLayer() is None
    assert any("parcel layer cannot also be" in t and "red line" in t for t in told)
    assert any("stbhhx" in t and "DLBM" in t for t in told)      # and it is no parcel layer


def test_a_role_left_empty_stays_empty_after_reopening(layers, docks, tmp_path):
    project = QgsProject.instance()
    project.addMapLayers([layers[n] for n in ORDER])
    dock = docks()
    assert dock.redLineCombo.currentLayer() is layers["stbhhx"]
    dock.set_control_layers(red_line=None, pbf=layers["yjjbnt"], udb=layers["czkfbj"])
    path = str(tmp_path / "p.qgz")
    assert project.write(path)
    project.clear()
    assert project.read(path)
    assert dock.redLineCombo.currentLayer() is None
    assert dock.parcel_layer().name() == "dltb" and dock.pbfCombo.currentLayer().name() == "yjjbnt"
