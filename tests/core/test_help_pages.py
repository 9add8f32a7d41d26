"""The help pages the plugin zip ships (tools/help_pages.py): each algorithm of the catalogue
has one, with the images it shows, and the Markdown the docs use comes out as HTML."""
import re
import sys

from qn_landconsol_plugin.algorithms.catalogue import ALGORITHMS, HELP_PAGES

from ..conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import help_pages  # noqa: E402


def test_every_algorithm_has_a_page_with_its_images():
    files = help_pages.help_files()
    for entry in ALGORITHMS:
        page = files[f"help/{HELP_PAGES.get(entry.name, entry.name)}.html"].decode("utf-8")
        assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
        for src in re.findall(r'<img [^>]*src="([^"]+)"', page):
            assert f"help/{src}" in files
    slope = files["help/slopefarmland.html"].decode("utf-8")
    assert "<h1>坡耕地识别 <code>qnlandconsol:slopefarmland</code></h1>" in slope
    assert "<th>参数</th>" in slope and "<td>THRESHOLD</td>" in slope


def test_the_markdown_the_docs_use():
    body = help_pages.to_html(
        "# Title `x`\n\nA **bold** line,\n并按行政村\n汇总 [doc](docs/dock.md#a) and "
        "[web](https://qgis.org).\n\n"
        "**Table**\n| a | b |\n|---|:-:|\n| 1 < 2 | `c|d` |\n\n- one\n  more\n- two\n\n"
        "```\ncode <b>\n```\n![pic](images/p.png)\n")
    assert "<h1>Title <code>x</code></h1>" in body
    assert ('<p>A <strong>bold</strong> line, 并按行政村汇总 <a href="dock.html#a">doc</a> and '
            '<a href="https://qgis.org">web</a>.</p>') in body
    assert "<p><strong>Table</strong></p>" in body
    assert "<table><tr><th>a</th><th>b</th></tr><tr><td>1 &lt; 2</td>" in body
    assert "<ul><li>one more</li><li>two</li></ul>" in body
    assert "<pre><code>code &lt;b&gt;</code></pre>" in body
    assert '<img alt="pic" src="images/p.png">' in body
