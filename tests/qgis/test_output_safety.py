"""No input or earlier output is ever destroyed (issue 14, data loss): an output naming an
input in any form (the file, `path|layername=`, `ogr:dbname=… table=…`, a shapefile
sibling, a GeoPackage sidecar) or another output is refused before anything is opened
for writing, for every algorithm and every output; a new layer in an input GeoPackage is
added beside the others, which stay as they were. Proved with hashes and contents."""
import os
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException

from .conftest import Recorder
from .input_cases import (
    ALGORITHMS,
    PARCEL_ALGORITHMS,
    copy_township,
    hashes,
    layer_names,
    layer_rows,
    runs,
    shapefile,
    tag_projects,
)

LAYER_OUTPUTS = {
    "idlehomesteads": ("OUTPUT", "OUTPUT_VILLAGES"),
    "farmlandcontiguity": ("OUTPUT_BLOCKS", "OUTPUT", "OUTPUT_SUMMARY"),
    "controllinecheck": ("OUTPUT", "OUTPUT_OVERLAPS"),
    "slopefarmland": ("OUTPUT", "OUTPUT_VILLAGES"),
    "forestfarmlandswap": ("OUTPUT", "OUTPUT_BALANCE"),
    "potentialsurvey": ("OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_CHECKS"),
}
FILE_OUTPUTS = {"controllinecheck": ("OUTPUT_REPORT",),
                "potentialsurvey": ("OUTPUT_XLSX", "OUTPUT_REPORT")}


@pytest.fixture(scope="module")
def inputs(township, tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    t = copy_township(township, folder)
    t["tagged"] = tag_projects(t["gpkg"], folder / "tagged.gpkg")
    t["shp"] = shapefile(t["gpkg"], folder / "dltb.shp")
    t["folder"] = str(folder)
    return t


def _refused(provider, alg, params, inputs, *names):
    """Run `alg`: it must stop before writing, with an error naming `names`; every input
    file keeps its hash and no file appears."""
    import processing

    before = hashes(inputs["folder"])
    feedback = Recorder()
    with pytest.raises(QgsProcessingException) as err:
        processing.run(f"qnlandconsol:{alg}", params, feedback=feedback)
    text = str(err.value)
    for name in names:
        assert name in text, (name, text)
    assert hashes(inputs["folder"]) == before
    return text


def _outputs(provider, alg):
    definitions = provider.algorithm(alg).destinationParameterDefinitions()
    return {d.name(): d.description() for d in definitions}


@pytest.mark.parametrize("alg", PARCEL_ALGORITHMS)
def test_output_naming_the_input_file_in_any_form_is_refused(provider, inputs, tmp_path, alg):
    gpkg = inputs["gpkg"]
    labels = _outputs(provider, alg)
    forms = (gpkg, f"{gpkg}|layername=dltb", f"ogr:dbname='{gpkg}' table=\"dltb\" (geom)",
             f"ogr:dbname='{gpkg}' table=\"DLTB\" (geom)")
    for key in LAYER_OUTPUTS[alg]:
        for form in forms:
            params = runs(inputs, f"{gpkg}|layername=dltb", tmp_path)[alg]
            params[key] = form
            text = _refused(provider, alg, params, inputs, labels[key], gpkg,
                            "would overwrite input")
            assert "nothing has been written" in text
    assert list(tmp_path.iterdir()) == []


def test_every_spelling_of_the_input_is_recognised(provider, inputs, tmp_path, monkeypatch):
    """Relative paths, '..', a symbolic link, an output definition object, the input as a
    layer object or by layer index: still the same file."""
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProperty, QgsVectorLayer

    gpkg = inputs["gpkg"]
    folder = Path(gpkg).parent
    link = tmp_path / "link.gpkg"
    link.symlink_to(gpkg)
    monkeypatch.chdir(folder)
    layer = QgsVectorLayer(f"{gpkg}|layername=dltb", "dltb", "ogr")
    cases = (
        (f"{gpkg}|layername=dltb", Path(gpkg).name),
        (f"{gpkg}|layername=dltb", f"../{folder.name}/./{Path(gpkg).name}"),
        (f"{gpkg}|layername=dltb", str(link)),
        (f"{gpkg}|layername=dltb", str(Path(gpkg).with_suffix(""))),      # QGIS adds .gpkg
        (f"{gpkg}|layername=dltb", QgsProcessingOutputLayerDefinition(gpkg)),
        (f"{gpkg}|layername=dltb", QgsProcessingOutputLayerDefinition(
            QgsProperty.fromValue(f"ogr:dbname='{gpkg}' table=\"dltb\" (geom)"))),
        (f"{gpkg}|layerid=0", f"ogr:dbname='{gpkg}' table=\"dltb\" (geom)"),
        (layer, gpkg),
    )
    for source, output in cases:
        params = {"INPUT": source, "OUTPUT_BLOCKS": output}
        _refused(provider, "farmlandcontiguity", params, inputs, "would overwrite input")


@pytest.mark.parametrize("alg", ("controllinecheck", "forestfarmlandswap", "potentialsurvey",
                                 "idlehomesteads"))
def test_output_naming_another_input_layer_of_the_geopackage_is_refused(provider, inputs,
                                                                       tmp_path, alg):
    """The red line is read from the same GeoPackage: replacing it is refused too."""
    gpkg = inputs["gpkg"]
    params = runs(inputs, f"{gpkg}|layername=dltb", tmp_path)[alg]
    params["OUTPUT"] = f"ogr:dbname='{gpkg}' table=\"stbhhx\" (geom)"
    _refused(provider, alg, params, inputs, "stbhhx", "would overwrite input")


@pytest.mark.parametrize("alg", PARCEL_ALGORITHMS)
def test_shapefile_input_and_its_siblings_are_refused_as_outputs(provider, inputs, tmp_path,
                                                                 alg):
    """A layer output written as .shp or .dbf rewrites the whole shapefile; a report written
    over any part of it (.shx, .cpg, .prj…) breaks it."""
    shp = inputs["shp"]
    stem = shp[:-4]
    for form in (shp, stem + ".dbf", stem + ".DBF"):
        params = runs(inputs, shp, tmp_path)[alg]
        params[LAYER_OUTPUTS[alg][0]] = form
        _refused(provider, alg, params, inputs, "would overwrite input", stem)
    for key in FILE_OUTPUTS.get(alg, ()):
        for form in (stem + ".shx", stem + ".cpg", stem + ".prj", stem + ".qix"):
            params = runs(inputs, shp, tmp_path)[alg]
            params[key] = form
            _refused(provider, alg, params, inputs, "would overwrite input", form)


@pytest.mark.parametrize("alg", sorted(FILE_OUTPUTS))
def test_report_or_workbook_over_an_input_is_refused(provider, inputs, tmp_path, alg):
    for key in FILE_OUTPUTS[alg]:
        for target in (inputs["households"], inputs["dem"]):
            params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", tmp_path)[alg]
            if alg == "controllinecheck":
                params["RED_LINE"] = f"{inputs['gpkg']}|layername=stbhhx"
                params["PBF"] = inputs["shp"]
                target = inputs["shp"][:-4] + ".dbf"
            params[key] = target
            _refused(provider, alg, params, inputs, "would overwrite input", target)


def test_report_over_a_geopackage_sidecar_of_an_input_is_refused(provider, inputs, tmp_path):
    gpkg = inputs["gpkg"]
    params = runs(inputs, f"{gpkg}|layername=dltb", tmp_path)["controllinecheck"]
    for sidecar in ("-wal", "-shm", "-journal"):
        params["OUTPUT_REPORT"] = gpkg + sidecar
        _refused(provider, "controllinecheck", params, inputs, gpkg + sidecar,
                 "would overwrite input")


def test_household_table_as_output_is_refused(provider, inputs, tmp_path):
    params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", tmp_path)["idlehomesteads"]
    params["OUTPUT_VILLAGES"] = inputs["households"]
    _refused(provider, "idlehomesteads", params, inputs, inputs["households"],
             "would overwrite input")


def test_two_outputs_naming_the_same_file_are_refused(provider, inputs, tmp_path):
    params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", tmp_path)["controllinecheck"]
    same = str(tmp_path / "same.gpkg")
    params["OUTPUT"] = params["OUTPUT_OVERLAPS"] = same
    text = _refused(provider, "controllinecheck", params, inputs, same)
    assert "the second would overwrite the first" in text
    assert not os.path.exists(same)


def test_import_txt_refuses_its_input_as_output(provider, inputs, tmp_path):
    import shutil

    txt = Path(inputs["folder"]) / "blocks.txt"
    shutil.copy(runs(inputs, "", tmp_path)["importdeclarationtxt"]["INPUT"], txt)
    params = {"INPUT": str(txt), "OUTPUT": f"ogr:dbname='{txt}' table=\"blocks\""}
    _refused(provider, "importdeclarationtxt", params, inputs, str(txt),
             "would overwrite input")
    txt.unlink()


@pytest.mark.parametrize("alg", PARCEL_ALGORITHMS)
def test_new_layer_in_the_input_geopackage_leaves_the_others_intact(provider, inputs,
                                                                    tmp_path, alg):
    """ogr:dbname=<input.gpkg> table=<new layer>: the layer is added, every other layer
    keeps every feature, geometry and attribute."""
    import shutil

    import processing

    gpkg = str(tmp_path / "own.gpkg")
    shutil.copy(inputs["gpkg"], gpkg)
    before = {name: layer_rows(gpkg, name) for name in layer_names(gpkg)}
    own = dict(inputs, gpkg=gpkg)
    params = runs(own, f"{gpkg}|layername=dltb", tmp_path / "out")[alg]
    os.makedirs(tmp_path / "out")
    params["OUTPUT"] = f"ogr:dbname='{gpkg}' table=\"new_{alg}\" (geom)"
    result = processing.run(f"qnlandconsol:{alg}", params, feedback=Recorder())
    assert result["OUTPUT"].endswith(f"layername=new_{alg}")
    names = layer_names(gpkg)
    assert names == list(before) + [f"new_{alg}"]
    for name, rows in before.items():
        assert layer_rows(gpkg, name) == rows, name
    assert len(layer_rows(gpkg, f"new_{alg}")) > 0


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_every_algorithm_leaves_its_inputs_byte_for_byte(provider, inputs, tmp_path, alg):
    import processing

    before = hashes(inputs["folder"])
    params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", tmp_path,
                  tagged=inputs["tagged"])[alg]
    processing.run(f"qnlandconsol:{alg}", params, feedback=Recorder())
    assert hashes(inputs["folder"]) == before
