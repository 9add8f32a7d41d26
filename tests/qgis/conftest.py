"""Fixtures with real QGIS (pytest-qgis): the plugin loaded as QGIS loads it, Processing,
and a small sample township generated once per session."""
import configparser

import pytest
from qgis.core import QgsApplication, QgsProcessingFeedback, QgsRasterLayer, QgsVectorLayer

from ..conftest import ROOT

PARCELS_FOR_TESTS = 800


def plugin_metadata() -> configparser.ConfigParser:
    meta = configparser.ConfigParser()
    meta.read(ROOT / "qn_landconsol_plugin" / "metadata.txt", encoding="utf-8")
    return meta


_SESSION_PLUGINS = []  # plugin objects own their provider: keep them alive


def register_provider():
    """Register the plugin's provider through initProcessing, as qgis_process does (once)."""
    import qn_landconsol_plugin

    registry = QgsApplication.processingRegistry()
    if registry.providerById("qnlandconsol") is None:
        plugin = qn_landconsol_plugin.classFactory(None)
        plugin.initProcessing()
        _SESSION_PLUGINS.append(plugin)
    return registry.providerById("qnlandconsol")


@pytest.fixture(scope="session")
def provider(qgis_processing):
    """The plugin's Processing provider, registered as qgis_process registers it."""
    return register_provider()


@pytest.fixture(scope="session")
def township(tmp_path_factory):
    """Paths of a small sample township (generated once)."""
    from qn_landconsol_plugin import sampledata as sample_township

    folder = tmp_path_factory.mktemp("township")
    return sample_township.generate(str(folder), n_parcels=PARCELS_FOR_TESTS, seed=7)


@pytest.fixture()
def parcels_layer(township):
    layer = QgsVectorLayer(f"{township['gpkg']}|layername=dltb", "dltb", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture()
def dem_layer(township):
    layer = QgsRasterLayer(township["dem"], "dem")
    assert layer.isValid()
    return layer


def township_layer(township, name):
    layer = QgsVectorLayer(f"{township['gpkg']}|layername={name}", name, "ogr")
    assert layer.isValid(), name
    return layer


@pytest.fixture(autouse=True, scope="session")
def complete_iface(qgis_iface):
    """pytest-qgis's stub QgisInterface lacks parts of QGIS's real interface: 2.1 (QGIS < 3.34)
    has no removePluginMenu and removeDockWidget; every version lacks a layer-tree view and a
    browser model, which 2.1 leaves missing and 3.0+ answers with a MagicMock. Processing hands
    both to C++, which refuses a MagicMock: QGIS 3.44's runAndLoadResults the layer-tree view,
    the algorithm dialog's parameter panel (3.40, 3.44) iface.browserModel(). Give the stub a
    real view of the project's layer tree and a real browser model, as QGIS's main window has."""
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsBrowserGuiModel, QgsLayerTreeView

    if not hasattr(qgis_iface, "removePluginMenu"):
        qgis_iface.removePluginMenu = lambda name, action: None
    if not hasattr(qgis_iface, "removeDockWidget"):
        qgis_iface.removeDockWidget = qgis_iface.mainWindow().removeDockWidget
    view = getattr(qgis_iface, "layerTreeView", None)
    if view is None or not isinstance(view(), QgsLayerTreeView):
        tree_view = QgsLayerTreeView(qgis_iface.mainWindow())
        tree_view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), tree_view))
        qgis_iface.layerTreeView = lambda: tree_view
    model = getattr(qgis_iface, "browserModel", None)
    if model is None or not isinstance(model(), QgsBrowserGuiModel):
        browser = QgsBrowserGuiModel(qgis_iface.mainWindow())
        browser.initialize()
        qgis_iface.browserModel = lambda: browser
    return qgis_iface


QGIS_PROCESS = str(ROOT / "tools" / "qgis_process.sh")


def qgis_process(*args, check=True, timeout=600):
    """Run the README's headless recipe (tools/qgis_process.sh: qgis_process.bin with the
    plugin path, the venv's packages and offscreen Qt), the plugin enabled first.
    qgis_process.bin exits 1 with 'already enabled' on a second enable: that is fine."""
    import subprocess

    enabled = subprocess.run([QGIS_PROCESS, "plugins", "enable", "qn_landconsol_plugin"],
                             capture_output=True, text=True, timeout=timeout)
    assert enabled.returncode == 0 or "already enabled" in enabled.stdout + enabled.stderr, \
        enabled.stdout + enabled.stderr
    return subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True,
                          check=check, timeout=timeout)


class Recorder(QgsProcessingFeedback):
    """Processing feedback that keeps what an algorithm said: every message in
    `messages` (info, warnings, errors, in order), the warnings also in `warnings`."""

    def __init__(self):
        super().__init__()
        self.messages = []
        self.warnings = []

    def pushInfo(self, info):  # noqa: N802
        self.messages.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):  # noqa: N802
        self.messages.append(warning)
        self.warnings.append(warning)
        super().pushWarning(warning)

    def reportError(self, error, fatalError=False):  # noqa: N802
        self.messages.append(error)
        super().reportError(error, fatalError)

    def text(self):
        return "\n".join(self.messages)
