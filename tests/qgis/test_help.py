""""Help" in an algorithm's dialog: helpUrl() is a local file of the plugin's documentation,
the HTML page the zip ships (help/) or, in a repository checkout, the page's Markdown."""
from pathlib import Path

from qgis.PyQt.QtCore import QUrl

from qn_landconsol_plugin.algorithms import catalogue


def test_every_algorithm_opens_its_page(provider):
    algorithms = {a.name(): a for a in provider.algorithms()}
    assert {e.name for e in catalogue.ALGORITHMS} <= set(algorithms)
    for entry in catalogue.ALGORITHMS:
        url = QUrl(algorithms[entry.name].helpUrl())
        assert url.isLocalFile(), entry.name
        path = Path(url.toLocalFile())
        assert path.is_file(), entry.name
        page = catalogue.HELP_PAGES.get(entry.name, entry.name)
        assert path.stem.lower() == page


def test_the_shipped_html_page_comes_first(tmp_path, monkeypatch):
    plugin = tmp_path / "qn_landconsol_plugin"
    (plugin / "help").mkdir(parents=True)
    (plugin / "help" / "slopefarmland.html").write_text("<html></html>", encoding="utf-8")
    monkeypatch.setattr(catalogue, "_PLUGIN_DIR", str(plugin))
    assert catalogue.help_page("slopefarmland") == str(plugin / "help" / "slopefarmland.html")
    assert catalogue.help_page("idlehomesteads") == ""   # neither shipped nor in a checkout
