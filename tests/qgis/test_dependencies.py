"""Without its Python packages the plugin still loads: placeholders in the toolbox, a message
naming what is missing, and an installer that puts the packages in the user's profile."""
import sys
from pathlib import Path

import pytest
from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback
from qgis.PyQt.QtWidgets import QApplication

from qn_landconsol_plugin import dependencies as deps
from qn_landconsol_plugin.algorithms import catalogue
from qn_landconsol_plugin.algorithms.provider import QnLandConsolProvider, algorithm_classes

from ..conftest import ROOT


def _missing(*names):
    return [deps.Missing(next(r for r in deps.REQUIREMENTS if r.distribution == n), None)
            for n in names]


def test_catalogue_names_titles_and_groups_are_the_algorithms_own(qgis_app):
    titles, groups = catalogue.titles(), catalogue.group_titles()
    for entry, cls in zip(catalogue.ALGORITHMS, algorithm_classes()):
        alg = cls()
        assert (alg.name(), alg.groupId()) == (entry.name, entry.group_id)
        assert alg.displayName() == titles[entry.name]
        assert alg.group() == groups[entry.group_id]


def test_missing_packages_give_placeholders_that_cannot_run_and_say_why(qgis_app):
    provider = QnLandConsolProvider(_missing("shapely", "pandas"))
    provider.refreshAlgorithms()
    algs = {a.name(): a for a in provider.algorithms()}
    assert sorted(algs) == sorted(e.name for e in catalogue.ALGORITHMS)
    alg = algs["slopefarmland"]
    ok, message = alg.canExecute()
    assert not ok and "shapely" in message and "pandas" in message
    assert alg.group() == catalogue.group_titles()["farmland"]
    with pytest.raises(QgsProcessingException, match="shapely"):
        alg.processAlgorithm({}, QgsProcessingContext(), QgsProcessingFeedback())


def test_dialog_shows_the_command_and_installs_importable_packages_into_the_profile(qgis_app,
                                                                                  tmp_path):
    from qn_landconsol_plugin.ui.dependencies_dialog import DependenciesDialog

    from qgis.core import Qgis

    dialog = DependenciesDialog(_missing("shapely"), profile_dir=str(tmp_path))
    folder = deps.packages_folder(str(tmp_path))
    command = dialog.command_box.toPlainText()
    # shapely whose wheels bundle a GEOS no newer than QGIS's: 2.0 wheels GEOS 3.11 (Debian 12's
    # QGIS 3.22), 2.1 wheels GEOS 3.13 (Debian 13's QGIS 3.40/3.44)
    geos = tuple(int(x) for x in Qgis.geosVersion().split("-")[0].split(".")[:2])
    expected = {(3, 11): '"shapely>=2.0,<2.1"', (3, 12): '"shapely>=2.0,<2.1"',
                (3, 13): '"shapely>=2.0,<2.2"'}[geos]
    assert "--target" in command and str(folder) in command and expected in command
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == command
    dialog.install_button.click()
    ok = dialog.wait()
    output = dialog.command_box.toPlainText()
    if not ok and ("No matching distribution" in output or "connection" in output.lower()):
        pytest.skip("no package index reachable: " + output[-300:])
    assert ok, output[-2000:]
    assert (folder / "shapely").is_dir() and not (folder / "numpy").exists()
    ok, printed = deps.importable_in(folder, ["shapely", "numpy"], python="/usr/bin/python3")
    assert ok, printed
    lines = dict(line.split(" ", 1) for line in printed.splitlines())
    assert lines["shapely"].split()[1].startswith(str(folder))     # from the private folder
    assert not lines["numpy"].split()[1].startswith(str(folder))   # QGIS's own numpy


HIDE_SHAPELY_AND_PANDAS = """
import sys


class _NotInstalled:
    \"\"\"shapely and pandas absent from this QGIS's Python, as on a fresh Debian 12 (Debian 13's
    python3-shapely and python3-pandas, which `make` installs, are hidden).\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("shapely", "pandas"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="QGIS desktop under Xvfb")
def test_a_fresh_profile_without_packages_gets_a_message_and_no_traceback(tmp_path, monkeypatch):
    """QGIS desktop as a user has it (system Python only: no shapely, no pandas on Debian 12;
    on Debian 13, whose python3-shapely and python3-pandas this machine may have, QGIS's
    start-up script hides them), the plugin installed from its zip."""
    import shutil

    if not shutil.which("qgis") or not shutil.which("Xvfb"):
        pytest.skip("QGIS desktop or Xvfb not installed")
    startup = tmp_path / "startup.py"
    startup.write_text(HIDE_SHAPELY_AND_PANDAS, encoding="utf-8")
    monkeypatch.setenv("PYQGIS_STARTUP", str(startup))   # run by QGIS before any plugin
    sys.path.insert(0, str(ROOT / "tools"))
    import package
    import qgis_desktop

    zip_path = package.main(str(tmp_path))
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from qgis.core import QgsApplication\n"
        "algs = [a for a in QgsApplication.processingRegistry().algorithms()\n"
        "        if a.provider().id() == 'qnlandconsol']\n"
        "result['algorithms'] = sorted(a.id() for a in algs)\n"
        "result['can_execute'] = [a.canExecute()[0] for a in algs]\n"
        "result['missing'] = [m.requirement.distribution for m in plugin.missing]\n"
        "plugin.dock_action.trigger()\n"
        "dialog = plugin.dependencies_dialog\n"
        "result['dialog_command'] = dialog.command_box.toPlainText()\n"
        "result['dock'] = plugin.dock is not None\n", encoding="utf-8")
    result = qgis_desktop.run(snippet, zip_path)
    assert "snippet_error" not in result, result.get("snippet_error")
    assert "qn_landconsol_plugin" in result["plugins"]
    assert result["python_errors"] == [], result["python_errors"]
    assert "Traceback" not in result["log"]
    assert {"shapely", "pandas"} <= set(result["missing"])
    ours = [text for title, text in result["message_bar"] if "shapely" in text]
    assert ours and "pandas" in ours[0]
    assert len(result["algorithms"]) == len(catalogue.ALGORITHMS)
    assert not any(result["can_execute"])
    assert "--target" in result["dialog_command"] and "qn_landconsol_packages" in result["dialog_command"]
    assert result["dock"] is False      # the dock button opened the installer instead
