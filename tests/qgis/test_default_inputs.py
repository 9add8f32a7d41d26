"""Inputs chosen by what the layers are (issue 17 item 4): the algorithm dialogs preselect
the parcel layer, the control lines and the DEM of a project holding buildings, villages,
parcels and control lines (the sample township, buildings first); an unset optional
control line stays unset; a layer that is no parcel layer, or a red line that is the
parcel layer itself, is refused with the layer's own name."""
import pytest
from qgis.PyQt import sip
from qgis.core import QgsApplication, QgsProcessingException, QgsProject, QgsRasterLayer

from .conftest import Recorder, township_layer

ORDER = ("buildings", "cun", "dltb", "stbhhx", "yjjbnt", "czkfbj")
LAYER_INPUTS = ("INPUT", "RED_LINE", "PBF", "UDB", "DEM", "BUILDINGS", "VILLAGES", "HOUSEHOLDS")


def run(alg_id, params, feedback=None):
    import processing

    return processing.run(f"qnlandconsol:{alg_id}", params, feedback=feedback)


def add_layers(township, names, dem=True):
    project = QgsProject.instance()
    project.clear()
    layers = {name: township_layer(township, name) for name in names}
    if dem:
        layers["dem"] = QgsRasterLayer(township["dem"], "dem")
    project.addMapLayers(list(layers.values()))
    return layers


@pytest.fixture()
def township_project(township, provider, qgis_new_project):
    yield add_layers(township, ORDER)
    QgsProject.instance().clear()


@pytest.fixture()
def parcels_and_buildings(township, provider, qgis_new_project):
    yield add_layers(township, ("buildings", "cun", "dltb"), dem=False)
    QgsProject.instance().clear()


def dialog_inputs(alg_id) -> dict:
    """{parameter: layer id or None} of the layer inputs, as Processing's own dialog
    fills them when it opens."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    alg = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
    dialog = AlgorithmDialog(alg)
    try:
        values = dialog.mainWidget().createProcessingParameters()
    finally:
        sip.delete(dialog)      # now, while the layers it lists are still loaded
    return {k: v for k, v in values.items() if k in LAYER_INPUTS}


def test_controllinecheck_dialog_preselects_parcels_and_each_control_line(township_project):
    ids = {name: layer.id() for name, layer in township_project.items()}
    assert dialog_inputs("qnlandconsol:controllinecheck") == {
        "INPUT": ids["dltb"], "RED_LINE": ids["stbhhx"], "PBF": ids["yjjbnt"],
        "UDB": ids["czkfbj"]}


def test_every_dialog_preselects_the_parcels_and_the_dem_never_the_buildings(township_project):
    ids = {name: layer.id() for name, layer in township_project.items()}
    for alg_id in ("slopefarmland", "forestfarmlandswap", "potentialsurvey"):
        inputs = dialog_inputs(f"qnlandconsol:{alg_id}")
        assert inputs["INPUT"] == ids["dltb"] and inputs["DEM"] == ids["dem"], alg_id
    for alg_id in ("farmlandcontiguity", "idlehomesteads", "exportdeclaration"):
        assert dialog_inputs(f"qnlandconsol:{alg_id}")["INPUT"] == ids["dltb"], alg_id
    # optional inputs no layer is known to play stay unset (buildings are not guessed)
    survey = dialog_inputs("qnlandconsol:potentialsurvey")
    assert survey["BUILDINGS"] is None and survey["HOUSEHOLDS"] is None
    assert survey["RED_LINE"] == ids["stbhhx"]


def test_without_control_lines_in_the_project_they_stay_unset(parcels_and_buildings):
    inputs = dialog_inputs("qnlandconsol:controllinecheck")
    assert inputs == {"INPUT": parcels_and_buildings["dltb"].id(), "RED_LINE": None,
                      "PBF": None, "UDB": None}
    assert dialog_inputs("qnlandconsol:slopefarmland")["DEM"] is None


def test_scripts_keep_the_declared_defaults(township_project):
    # the project's layers are the dialog's defaults only: processing.run and qgis_process
    # still see no default layer
    alg = QgsApplication.processingRegistry().createAlgorithmById("qnlandconsol:controllinecheck")
    for name in ("INPUT", "RED_LINE", "PBF", "UDB"):
        assert alg.parameterDefinition(name).defaultValue() is None, name
    assert alg.parameterDefinition("RED_LINE").defaultValueForGui() == \
        township_project["stbhhx"].id()


def test_controllinecheck_on_the_buildings_says_they_are_no_parcels_and_judge_nothing(
        township_project):
    feedback = Recorder()
    run("controllinecheck", {"INPUT": township_project["buildings"],
                             "RED_LINE": township_project["stbhhx"],
                             "OUTPUT": "TEMPORARY_OUTPUT"}, feedback)
    assert any("'buildings'" in w and "DLBM" in w and "TBMJ" in w and "parcel layer" in w
               for w in feedback.warnings)
    assert any("'buildings'" in w and "judge nothing" in w for w in feedback.warnings)


def test_the_parcel_layer_is_refused_as_red_line(township_project):
    dltb = township_project["dltb"]
    with pytest.raises(QgsProcessingException) as err:
        run("controllinecheck", {
            "INPUT": dltb, "RED_LINE": dltb, "OUTPUT": "TEMPORARY_OUTPUT"})
    assert "'dltb'" in str(err.value) and "parcel layer itself" in str(err.value)
    # the same file opened as a second layer is the same data
    again = township_layer({"gpkg": dltb.source().split("|")[0]}, "dltb")
    QgsProject.instance().addMapLayer(again)      # the project frees it while QGIS is up
    with pytest.raises(QgsProcessingException, match="parcel layer itself"):
        run("potentialsurvey", {
            "INPUT": dltb, "RED_LINE": again, "OUTPUT": "TEMPORARY_OUTPUT"})


def test_controllinecheck_without_any_control_line_is_an_error(township_project):
    with pytest.raises(QgsProcessingException, match="No control line given"):
        run("controllinecheck", {
            "INPUT": township_project["dltb"], "OUTPUT": "TEMPORARY_OUTPUT"})


def test_a_pbf_check_alone_measures_the_pbf_and_leaves_the_red_line_null(township_project):
    out = run("controllinecheck", {
        "INPUT": township_project["dltb"], "PBF": township_project["yjjbnt"],
        "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    values = [(f["HX_MJ"], f["JBNT_MJ"]) for f in out.getFeatures()]
    assert all(hx is None or hx != hx or str(hx) == "NULL" for hx, _ in values)
    assert sum(float(j) for _, j in values if j is not None and str(j) != "NULL") > 0


def test_an_algorithm_that_needs_land_classes_names_the_village_layer_it_was_given(
        township_project):
    for alg_id in ("slopefarmland", "farmlandcontiguity", "potentialsurvey",
                   "forestfarmlandswap"):
        with pytest.raises(QgsProcessingException) as err:
            run(alg_id, {
                "INPUT": township_project["cun"], "DEM": township_project["dem"],
                "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_BLOCKS": "TEMPORARY_OUTPUT"})
        assert "'cun'" in str(err.value) and "DLBM" in str(err.value), alg_id


def test_a_layer_without_the_survey_fields_is_warned_about_where_they_are_optional(
        township_project):
    # idle homesteads on the buildings with an expression of their own: it runs, and says
    # the layer is no parcel layer
    feedback = Recorder()
    run("idlehomesteads", {
        "INPUT": township_project["buildings"], "HOMESTEAD_EXPRESSION": "\"CS\" >= 1",
        "OUTPUT": "TEMPORARY_OUTPUT", "OUTPUT_VILLAGES": "TEMPORARY_OUTPUT"},
        feedback=feedback)
    assert any("'buildings'" in w and "DLBM" in w and "TBMJ" in w for w in feedback.warnings)
