"""The declaration map's font: the first family of core.fonts.CJK_FONTS that Qt lists here, set
on every text item of the layout (labels, legend, scale bar, grid, table)."""
from qgis.core import QgsLayoutItemLabel, QgsLayoutItemLegend, QgsProject
from qgis.PyQt.QtGui import QFontDatabase

from qn_landconsol_plugin.core.fonts import cjk_family
from qn_landconsol_plugin.qgis_io import compat, layouts


def test_the_map_uses_the_first_family_of_the_list_installed_here():
    expected = cjk_family(QFontDatabase().families())
    assert layouts.cjk_font_family() == expected
    if "Noto Sans CJK SC" in QFontDatabase().families():   # Debian's fonts-noto-cjk
        assert expected == "Noto Sans CJK SC"


def test_every_text_item_gets_the_family():
    layout = layouts.build_layout(QgsProject.instance())
    layouts._apply_font(layout, "Noto Serif CJK SC")
    labels = [i for i in layout.items() if isinstance(i, QgsLayoutItemLabel)]
    legend = next(i for i in layout.items() if isinstance(i, QgsLayoutItemLegend))
    assert labels and {compat.label_font(i).family() for i in labels} == {"Noto Serif CJK SC"}
    title = next(i for i in labels if i.id() == "title")
    assert compat.label_font(title).pointSizeF() == 24 and compat.label_font(title).bold()
    for component in (compat.LegendComponent.Title, compat.LegendComponent.SymbolLabel):
        assert compat.legend_font(legend, component).family() == "Noto Serif CJK SC"
    assert compat.legend_font(legend, compat.LegendComponent.Title).pointSizeF() == 12
