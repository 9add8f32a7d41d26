"""A canceled run leaves none of the outputs it had begun (issue 14, cancel): every
algorithm, canceled at several points of its progress, with GeoPackage, shapefile and
GeoJSON outputs, the potential survey's five outputs and the declaration export's folder
included; an earlier file the run had not touched yet stays as it was."""
import os
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException

from .conftest import Recorder
from .input_cases import ALGORITHMS, PARCEL_ALGORITHMS, copy_township, runs, sha256, tag_projects


class CancelAt(Recorder):
    """Feedback that cancels the run once its progress reaches `at` %."""

    def __init__(self, at):
        super().__init__()
        self.at = at
        self.reached = None

    def setProgress(self, progress):  # noqa: N802
        super().setProgress(progress)
        if progress >= self.at and not self.isCanceled():
            self.reached = progress
            self.cancel()


@pytest.fixture(scope="module")
def inputs(township, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cancel_inputs")
    t = copy_township(township, folder)
    t["tagged"] = tag_projects(t["gpkg"], folder / "tagged.gpkg")
    return t


def _run_canceled(alg, params, at):
    import processing

    feedback = CancelAt(at)
    try:
        result = processing.run(f"qnlandconsol:{alg}", params, feedback=feedback)
    except QgsProcessingException:
        result = None
    return feedback, result


def _files(folder) -> list:
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())


@pytest.mark.parametrize("ext", ("gpkg", "shp", "geojson"))
@pytest.mark.parametrize("alg", PARCEL_ALGORITHMS)
def test_canceled_parcel_algorithm_leaves_no_output(provider, inputs, tmp_path, alg, ext):
    points = (50.0, 80.0, 97.0) if ext == "gpkg" else (85.0,)
    for at in points:
        out = tmp_path / f"at{int(at)}"
        out.mkdir()
        params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", out, ext)[alg]
        feedback, result = _run_canceled(alg, params, at)
        assert feedback.reached is not None, f"{alg} never reached {at} %"
        assert not result
        assert _files(out) == [], (alg, ext, at, _files(out))


@pytest.mark.parametrize("ext", ("gpkg", "shp", "geojson"))
def test_canceled_parcel_check_leaves_no_output(provider, inputs, tmp_path, ext):
    """checkparcels, canceled while checking, writing the parcels and writing the reports:
    none of its four outputs stays."""
    for at in (30.0, 70.0, 99.0):
        out = tmp_path / f"at{int(at)}"
        out.mkdir()
        params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", out, ext)["checkparcels"]
        feedback, result = _run_canceled("checkparcels", params, at)
        assert feedback.reached is not None, f"checkparcels never reached {at} %"
        assert not result
        assert _files(out) == [], (ext, at, _files(out))


@pytest.mark.parametrize("alg", ("exportdeclaration", "sampledata", "importdeclarationtxt"))
@pytest.mark.parametrize("at", (15.0, 60.0, 99.0))
def test_canceled_folder_and_file_algorithms_leave_no_output(provider, inputs, tmp_path, alg,
                                                             at):
    params = runs(inputs, "", tmp_path, tagged=inputs["tagged"])[alg]
    feedback, result = _run_canceled(alg, params, at)
    if feedback.reached is None:
        pytest.skip(f"{alg} reports no progress at or beyond {at} %")
    assert not result
    assert _files(tmp_path) == [], _files(tmp_path)


def test_canceled_potential_survey_removes_all_five_outputs(provider, inputs, tmp_path):
    """Issue 14: a canceled survey left 3 of its 5 outputs."""
    params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", tmp_path)["potentialsurvey"]
    outputs = [params[k] for k in ("OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_CHECKS", "OUTPUT_XLSX",
                                   "OUTPUT_REPORT")]
    feedback, result = _run_canceled("potentialsurvey", params, 99.0)
    assert feedback.reached is not None
    assert [p for p in outputs if os.path.exists(p)] == []


def test_earlier_output_not_yet_touched_stays_when_canceled_early(provider, inputs, tmp_path):
    """A file the user named as output, from an earlier run, is only replaced once the run
    writes it: canceled before that, it keeps its content."""
    import shutil

    params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", tmp_path)["controllinecheck"]
    shutil.copy(inputs["gpkg"], params["OUTPUT"])
    Path(params["OUTPUT_REPORT"]).write_text("earlier report", encoding="utf-8")
    before = sha256(params["OUTPUT"]), sha256(params["OUTPUT_REPORT"])
    feedback, result = _run_canceled("controllinecheck", params, 1.0)
    assert feedback.reached is not None and not result
    assert (sha256(params["OUTPUT"]), sha256(params["OUTPUT_REPORT"])) == before


def test_canceled_new_layer_is_dropped_from_an_existing_geopackage(provider, inputs, tmp_path):
    """A canceled run that was adding a layer to an existing GeoPackage drops that layer;
    the file's other layers stay."""
    import shutil

    from .input_cases import layer_names, layer_rows

    gpkg = str(tmp_path / "own.gpkg")
    shutil.copy(inputs["gpkg"], gpkg)
    before = {n: layer_rows(gpkg, n) for n in layer_names(gpkg)}
    params = runs(dict(inputs, gpkg=gpkg), f"{gpkg}|layername=dltb", tmp_path)[
        "slopefarmland"]
    params["OUTPUT"] = f"ogr:dbname='{gpkg}' table=\"pgd\" (geom)"
    params["OUTPUT_VILLAGES"] = f"ogr:dbname='{gpkg}' table=\"pgd_cun\" (geom)"
    feedback, result = _run_canceled("slopefarmland", params, 99.0)
    assert feedback.reached is not None and not result
    assert layer_names(gpkg) == list(before)
    for name, rows in before.items():
        assert layer_rows(gpkg, name) == rows


def test_every_algorithm_is_covered():
    assert set(ALGORITHMS) == set(PARCEL_ALGORITHMS) | {"exportdeclaration", "sampledata",
                                                        "importdeclarationtxt", "checkparcels"}


def test_a_run_that_fails_midway_leaves_no_output(provider, inputs, tmp_path, monkeypatch):
    """The same for a run that fails after writing some outputs: here the workbook writer
    fails after the three layers are written (a failure injected into the plugin's own
    writer; QGIS and GDAL run for real)."""
    import processing

    from qn_landconsol_plugin.core.reports import survey as survey_report

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(survey_report, "write_workbook", fail)
    params = runs(inputs, f"{inputs['gpkg']}|layername=dltb", tmp_path)["potentialsurvey"]
    feedback = Recorder()
    with pytest.raises(Exception) as err:
        processing.run("qnlandconsol:potentialsurvey", params, feedback=feedback)
    assert "disk full" in str(err.value) + feedback.text()
    assert "the outputs it had begun were removed" in feedback.text()
    for key in ("OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_CHECKS"):
        assert Path(params[key]).name in feedback.text()     # they had been written
    assert _files(tmp_path) == []
