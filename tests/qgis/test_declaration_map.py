"""The declaration map's layout (issue 17 item 10): the project at a standard scale with
a margin, scale-bar labels that never meet, the scale in words, the statistics table
with its rows, the blocks of a project of several numbered on the map."""
import os
import subprocess
import unicodedata

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsNumericFormatContext,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
)
from qgis.PyQt.QtGui import QFontMetricsF, QGuiApplication

from qn_landconsol_plugin.core import declaration_stats as stats
from qn_landconsol_plugin.core import declaration_txt as dt
from qn_landconsol_plugin.qgis_io import layouts

from .test_export_declaration import exported, tagged  # noqa: F401  (fixtures)

ROWS = [["耕地", "0.7523", "11.29", "48.5%"], ["园地", "0.2078", "3.12", "13.4%"],
        ["草地", "0.3879", "5.82", "25.0%"], ["其他土地", "0.2020", "3.03", "13.0%"],
        ["合计", "1.5500", "23.25", "100%"]]


PROJECT = []     # the layouts' project lives as long as the tests


def filled(extent, page="A3L"):
    if not PROJECT:
        PROJECT.append(QgsProject())
    layout = layouts.load_layout(PROJECT[0])
    layouts.fill_layout(layout, title="测试项目区范围图",
                        crs=QgsCoordinateReferenceSystem("EPSG:4524"), extent=extent,
                        map_layers=[], overview_layers=[], overview_extent=extent,
                        table_rows=ROWS, unit="测试单位", date="2025-06-15", page=page)
    return layout


def test_the_scale_is_the_first_standard_one_that_holds_the_project_with_its_margin():
    frame = (270.0, 247.0)          # the A3 main map, mm
    assert layouts.map_scale(QgsRectangle(0, 0, 150, 100), frame) == 2000
    assert layouts.map_scale(QgsRectangle(0, 0, 1500, 400), frame) == 10000
    # 2.7 km with its margins is more than the 2.7 km of the frame at 1:10000
    assert layouts.map_scale(QgsRectangle(0, 0, 2700, 2000), frame) == 20000
    assert layouts.scale_bar_segment(2000) == 50 and layouts.scale_bar_segment(20000) == 500
    for scale in layouts.MAP_SCALES:
        assert layouts.scale_bar_segment(scale) * 1000.0 / scale >= layouts.MIN_SEGMENT_MM


@pytest.mark.parametrize("size", [150.0, 800.0, 2700.0, 9000.0])
def test_the_map_centres_the_project_with_a_margin_and_the_bar_labels_never_meet(size):
    extent = QgsRectangle(36440000, 2926000, 36440000 + size, 2926000 + 0.7 * size)
    layout = filled(extent)
    main = layout.itemById("main_map")
    assert round(main.scale()) in layouts.MAP_SCALES
    shown = main.extent()
    pad = layouts.MARGIN * size
    assert shown.xMinimum() <= extent.xMinimum() - pad
    assert shown.xMaximum() >= extent.xMaximum() + pad
    assert shown.center().x() == pytest.approx(extent.center().x())
    assert layout.itemById("scale_label").text() == f"比例尺 1:{round(main.scale())}"
    bar = layout.itemById("scalebar")
    metres = 1000.0 if bar.units() == QgsUnitTypes.DistanceUnit.DistanceKilometers else 1.0
    seg_mm = bar.unitsPerSegment() * metres * 1000.0 / main.scale()
    assert layouts.MIN_SEGMENT_MM <= seg_mm and seg_mm * bar.numberOfSegments() <= 100.5
    # the labels, centred on the segment ends, leave a gap between them
    font = bar.textFormat().font()
    font.setPointSizeF(bar.textFormat().size())
    metrics = QFontMetricsF(font)
    mm_per_px = 25.4 / QGuiApplication.primaryScreen().logicalDotsPerInchX()
    labels = [bar.numericFormat().formatDouble(k * bar.unitsPerSegment(),
                                                QgsNumericFormatContext())
              for k in range(bar.numberOfSegments() + 1)]
    assert not any("," in text for text in labels)          # 1500, not 1,500
    labels[-1] += " " + bar.unitLabel()
    widths = [metrics.horizontalAdvance(text) * mm_per_px for text in labels]
    assert all(a / 2 + b / 2 < seg_mm - 1.0 for a, b in zip(widths, widths[1:])), labels


def test_the_statistics_table_lists_its_rows():
    layout = filled(QgsRectangle(0, 0, 150, 100))
    table = layout.itemById("stats_table").multiFrame()
    assert [list(row) for row in table.contents()] == ROWS


def test_the_map_table_leaves_out_classes_that_round_to_nothing():
    import pandas as pd

    land = stats.land_class_areas(pd.Series(["0103", "1003", "0301"]),
                                  [1000.0, 400.0, 500.0], None, [1.0, 0.0001, 1.0])
    rows = stats.map_table_rows(land)
    assert [r[0] for r in rows] == ["耕地", "林地", "合计"]    # the road's 0.04 m² is left out


def test_the_exported_maps_show_scale_table_and_numbered_blocks(exported):  # noqa: F811
    folder, _ = exported
    text = {}
    for project in ("QN2025-001", "QN2025-002"):
        pdf = os.path.join(folder, f"{project}_项目区范围图.pdf")
        out = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True,
                             check=True).stdout
        text[project] = unicodedata.normalize("NFKC", out)
    for project, words in text.items():
        assert "比例尺 1:" in words and "合计" in words and "耕地" in words, project
    blocks = len(dt.read_txt(os.path.join(folder, "QN2025-001_范围.txt")).parcels)
    assert blocks >= 3        # a project of several blocks numbers them on the map
    assert all(f"地块{k}" in text["QN2025-001"] for k in range(1, blocks + 1))
    assert "地块1" not in text["QN2025-002"]                 # one block: no number
