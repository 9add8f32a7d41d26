"""The plugin loads as QGIS loads it: metadata, provider, menu, toolbar, dock, unload."""
import subprocess
import sys

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QToolBar

from ..conftest import ROOT
from .conftest import plugin_metadata, register_provider


def test_metadata_declares_processing_provider_and_qgis_322():
    general = plugin_metadata()["general"]
    assert general["hasProcessingProvider"] == "yes"
    assert general["qgisMinimumVersion"] == "3.22"
    for key in ("description", "about", "tags", "version", "author", "email", "icon"):
        assert general[key].strip(), key
    assert "全域土地综合整治" in general["about"] and "consolidation" in general["about"]
    assert (ROOT / "qn_landconsol_plugin" / general["icon"]).exists()


def test_provider_registered_once_with_its_name(provider):
    assert provider is not None
    assert provider.id() == "qnlandconsol"
    assert not provider.icon().isNull()
    import qn_landconsol_plugin

    second = qn_landconsol_plugin.classFactory(None)
    second.initProcessing()  # must not register a duplicate
    ids = [p.id() for p in QgsApplication.processingRegistry().providers()]
    assert ids.count("qnlandconsol") == 1
    assert QgsApplication.processingRegistry().algorithmById("qnlandconsol:sampledata") is not None


def test_gui_adds_menu_toolbar_and_dock_and_unload_removes_them(qgis_iface, qgis_processing):
    import qn_landconsol_plugin

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("qnlandconsol")
    if existing is not None:  # the session provider fixture may have registered one
        registry.removeProvider(existing)
    window = qgis_iface.mainWindow()
    toolbars_before = len(window.findChildren(QToolBar))
    plugin = qn_landconsol_plugin.classFactory(qgis_iface)
    plugin.initGui()
    assert registry.providerById("qnlandconsol") is not None
    assert len(plugin.actions) >= 1
    assert plugin.toolbar is not None and plugin.dock_action in plugin.toolbar.actions()
    plugin.dock_action.setChecked(True)
    # the test main window is never shown, so visibility can't be asserted here:
    # the toggle creates the dock once and keeps it
    dock = plugin.dock
    assert dock is not None and not dock.isHidden()
    plugin.dock_action.setChecked(False)
    plugin.dock_action.setChecked(True)
    assert plugin.dock is dock
    plugin.unload()
    QgsApplication.processEvents()
    assert registry.providerById("qnlandconsol") is None
    assert plugin.dock is None and plugin.actions == []
    from qgis.PyQt import sip

    assert len([t for t in window.findChildren(QToolBar) if not sip.isdeleted(t)]) <= toolbars_before + 1
    # reload works and leaves exactly one provider
    plugin = qn_landconsol_plugin.classFactory(qgis_iface)
    plugin.initGui()
    assert [p.id() for p in registry.providers()].count("qnlandconsol") == 1
    plugin.unload()
    register_provider()  # leave the session's provider in place for the other tests


def test_chinese_locale_loads_the_translation():
    code = (
        "import os; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
        "from qgis.core import QgsApplication\n"
        "app = QgsApplication([], False); app.initQgis()\n"
        "from qgis.PyQt.QtCore import QSettings\n"
        "QSettings().setValue('locale/userLocale', 'zh-Hans')\n"
        "QSettings().setValue('locale/overrideFlag', True)\n"
        "from qn_landconsol_plugin import translation\n"
        "assert translation.plugin_locale() == 'zh_CN'\n"
        "assert translation.install_translator()\n"
        "print(translation.tr('Qiannan Land Consolidation'))\n"
    )
    env = {"QGIS_CUSTOM_CONFIG_PATH": str(ROOT / ".make" / "qgis-locale-test"),
           "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == "黔南全域土地综合整治"
