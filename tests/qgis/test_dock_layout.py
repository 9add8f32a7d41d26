"""The dock fits a 1366×768 laptop beside the Processing toolbox (and the Results
viewer): a small minimum height, every button reachable on its tab, the totals
readable at 520 px; in English and in the zh_CN translation."""
from pathlib import Path

import pytest
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QCoreApplication, QPoint, QRect, QSettings, Qt, QTranslator
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDockWidget,
    QMainWindow,
    QScrollArea,
    QStyleOptionViewItem,
    QTabBar,
    QToolBar,
    QLineEdit,
    QTreeView,
    QWidget,
)

from qn_landconsol_plugin.core import task_types
from qn_landconsol_plugin.ui.consolidation_dock import ConsolidationDock

from .test_dock import first_fids, town  # noqa: F401  (fixture)

QM = Path(__file__).resolve().parents[2] / "qn_landconsol_plugin" / "i18n" / "qn_landconsol_zh_CN.qm"
SCREEN = (1366, 768)
# the subtypes of the screenshot: 4 family rows + 7 subtype rows in the totals
TAGGING = (("NYD01", "0101"), ("NYD02", "0103"), ("NYD03", "0404"), ("JSYD01", "0702"),
           ("STXF02", "0305"), ("STXF01", "0301"), ("CYRH02", "0201"))


@pytest.fixture(autouse=True)
def desktop_font():
    """A desktop's UI font size (10 pt, as Linux desktops ship; QGIS on Windows uses 9 pt),
    not the 12 pt the headless platform defaults to."""
    app = QApplication.instance()
    font = app.font()
    desktop = QFont(font)
    desktop.setPointSize(10)
    app.setFont(desktop)
    yield
    app.setFont(font)


@pytest.fixture(params=["en", "zh_CN"])
def language(request):
    if request.param == "en":
        yield "en"
        return
    if not QM.exists():
        pytest.skip("zh_CN .qm not built (make setup)")
    translator = QTranslator()
    assert translator.load(str(QM))
    QCoreApplication.installTranslator(translator)
    settings = QSettings()
    before = {key: settings.value(key) for key in ("locale/userLocale", "locale/overrideFlag")}
    settings.setValue("locale/userLocale", "zh_CN")
    settings.setValue("locale/overrideFlag", True)
    yield "zh_CN"
    QCoreApplication.removeTranslator(translator)
    for key, value in before.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def laptop(dock, width=380, results_viewer=False, toolbox_tabbed=False):
    """A QGIS-like main window at 1366×768: menus, three toolbars, a status bar, the map,
    and in the right dock area the Processing toolbox with the dock under it (or in a
    tab beside it), and optionally the Results viewer under both."""
    window = QMainWindow()
    window.resize(*SCREEN)
    window.setCentralWidget(QgsMapCanvas())
    for name in ("Project", "Edit", "View", "Layer", "Settings", "Plugins", "Vector", "Raster",
                 "Database", "Web", "Mesh", "Processing", "Help"):
        window.menuBar().addMenu(name)
    for i in range(3):
        bar = QToolBar(f"toolbar {i}")
        for j in range(12):
            bar.addAction(f"a{j}")
        window.addToolBar(bar)
    window.statusBar().showMessage("ready")
    toolbox = QDockWidget("Processing Toolbox")
    toolbox.setWidget(QTreeView())
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, toolbox)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    if toolbox_tabbed:
        window.tabifyDockWidget(toolbox, dock)
    else:
        window.splitDockWidget(toolbox, dock, Qt.Orientation.Vertical)
    others = [toolbox]
    if results_viewer:
        results = QDockWidget("Results Viewer")
        results.setWidget(QTreeView())
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, results)
        window.splitDockWidget(dock, results, Qt.Orientation.Vertical)
        others.append(results)
    window.show()
    if toolbox_tabbed:
        dock.raise_()
    window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
    QCoreApplication.processEvents()
    window.others = others
    return window


@pytest.fixture()
def windows():
    made = []
    yield made
    for window in made:
        for dock in window.findChildren(ConsolidationDock):
            window.removeDockWidget(dock)
        window.close()
        window.deleteLater()
    QCoreApplication.processEvents()


@pytest.fixture()
def tagged_dock(qgis_iface, town, language):  # noqa: F811
    dock = ConsolidationDock(qgis_iface)
    dock.confirm = lambda title, text: True
    dock.set_parcel_layer(town["dltb"])
    dock.set_project("522701-2025-01", "示例整治项目", 2026)
    layer = town["dltb"]
    for task, code in TAGGING:
        layer.selectByIds(first_fids(layer, 6, f"\"DLBM\" = '{code}'"))
        dock.select_task(task)
        assert dock.tag_selected() > 0, task
    layer.removeSelection()
    dock.refresh_totals()
    yield dock
    dock.unload()
    dock.deleteLater()


def show(dock, widget):
    """Bring `widget` into view as a user would: open its tab, scroll to it."""
    parent = widget.parentWidget()
    while parent is not None and parent is not dock:
        if isinstance(parent, QScrollArea):
            scroll = parent
        if parent.parentWidget() is not None and parent.parentWidget().parentWidget() is dock.tabs:
            dock.tabs.setCurrentWidget(parent)
        parent = parent.parentWidget()
    QCoreApplication.processEvents()
    if "scroll" in locals():
        # the whole widget, not its text cursor (ensureWidgetVisible aims at a spin box's cursor)
        centre = widget.mapTo(scroll.widget(), widget.rect().center())
        scroll.ensureVisible(centre.x(), centre.y(), widget.width() // 2 + 1, widget.height() // 2 + 1)
        QCoreApplication.processEvents()


def fully_visible(widget) -> bool:
    """Shown and not clipped by any parent (scroll area viewport, tab, dock, window)."""
    if not widget.isVisible():
        return False
    window = widget.window()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        if not QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()).contains(rect):
            return False
        parent = parent.parentWidget()
    return True


def dock_buttons(dock):
    return [b for b in dock.dockContents.findChildren(QAbstractButton)
            if not isinstance(b.parentWidget(), QTabBar)]      # the tab bar's own arrows


@pytest.mark.parametrize("results_viewer", [False, True])
def test_the_dock_fits_a_laptop_beside_the_toolbox_and_every_button_is_reachable(
        tagged_dock, windows, results_viewer):
    dock = tagged_dock
    assert dock.minimumSizeHint().height() <= 480
    window = laptop(dock, results_viewer=results_viewer)
    windows.append(window)
    assert (window.width(), window.height()) == SCREEN           # nothing forced it to grow
    buttons = dock_buttons(dock)
    names = {b.objectName() for b in buttons}
    assert {"tagButton", "clearButton", "mapToolButton", "styleButton", "refreshButton",
            "conflictsButton", "checkButton", "exportButton"} <= names
    for button in buttons:
        show(dock, button)
        assert fully_visible(button), button.objectName()
        text = button.text()
        if text:                                                  # its label is not cut
            assert button.width() >= button.fontMetrics().horizontalAdvance(text), button.objectName()


def test_tabs_are_project_tagging_progress(tagged_dock, language):
    names = [tagged_dock.tabs.tabText(i) for i in range(tagged_dock.tabs.count())]
    assert names == (["项目", "标注", "进度"] if language == "zh_CN" else ["Project", "Tagging", "Progress"])


# codes and names a Chinese UI keeps as they are
LATIN_KEPT = {"XMBH", "XMMC", "SSND", "DLBM", "TBMJ", "DLTB", "ZZLX", "ZZZLX", "Ctrl", "DEM"} | \
    {family.code for family in task_types.FAMILIES}          # task codes (NYD04 …) are data


@pytest.mark.parametrize("language", ["zh_CN"], indirect=True)
def test_the_chinese_dock_has_no_english_left(tagged_dock, language):
    import re

    dock = tagged_dock
    texts = [dock.windowTitle()] + [dock.tabs.tabText(i) for i in range(dock.tabs.count())]
    for widget in dock.findChildren(QWidget):
        texts.append(widget.toolTip())
        for attr in ("text", "title", "placeholderText", "suffix"):
            value = getattr(widget, attr, None)
            if callable(value) and not isinstance(widget, QLineEdit):
                texts.append(value())
    for tree in (dock.taskTree, dock.totalsTree):
        texts += [tree.headerItem().text(c) for c in range(tree.columnCount())]
        for item in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive):
            texts += [item.text(0), item.toolTip(0)]
    for action in dock.styleButton.menu().actions():
        texts.append(action.text())
    leftovers = {word for text in texts if isinstance(text, str)
                 for word in re.findall(r"[A-Za-z]{3,}", text)} - LATIN_KEPT
    assert not leftovers, leftovers
    assert "NYD04 · 林耕置换" in dock._total_items["NYD04"].toolTip(0)
    # no Western full stop, colon, comma … right after Chinese text
    chinese = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    bad = [t for t in texts if isinstance(t, str) and re.search(chinese + r"[.:;,!?](\s|$)", t)]
    assert not bad, bad


def visible_rows(tree) -> list:
    """Items of `tree` whose whole row is on screen (inside the tree's viewport and not
    clipped by the scroll area around the tree)."""
    seen = tree.viewport().visibleRegion().boundingRect()
    rows = []
    iterator = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    for top in list(iterator):
        iterator += [top.child(j) for j in range(top.childCount())]
    for item in iterator:
        rect = tree.visualItemRect(item)
        if not item.isHidden() and rect.isValid() and seen.contains(QRect(0, rect.y(), 1, rect.height())):
            rows.append(item)
    return rows


@pytest.mark.parametrize("toolbox_tabbed", [False, True])
def test_totals_and_progress_are_readable_at_520_px(tagged_dock, windows, toolbox_tabbed):
    dock = tagged_dock
    window = laptop(dock, width=520, toolbox_tabbed=toolbox_tabbed)
    windows.append(window)
    assert abs(dock.width() - 520) <= 2
    tree = dock.totalsTree
    show(dock, tree)
    shown = [item for item in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
             if not item.isHidden()]
    assert len(shown) == 4 + len(TAGGING)
    rows = visible_rows(tree)
    # under the toolbox the page scrolls to the tree and shows several rows; with the
    # dock alone in the right area all the rows are there at once
    assert len(rows) >= (len(shown) if toolbox_tabbed else 6), len(rows)
    # no name or number is cut: every cell is as wide as the delegate wants it
    delegate = tree.itemDelegate()
    for item in shown:
        for col in range(4):
            index = tree.indexFromItem(item, col)
            option = QStyleOptionViewItem()
            option.initFrom(tree)
            option.decorationSize = tree.iconSize() if not tree.iconSize().isEmpty() else option.decorationSize
            need = delegate.sizeHint(option, index).width()
            assert tree.visualRect(index).width() >= need, (item.text(0), col)
    assert tree.horizontalScrollBar().maximum() == 0             # all four columns in view
    for code, bar in dock.progress_bars.items():
        show(dock, bar)
        assert fully_visible(bar), code
        assert bar.width() >= bar.fontMetrics().horizontalAdvance(bar.text()) + 8, bar.text()
        spin = dock.target_spins[code]
        show(dock, spin)
        assert fully_visible(spin) and spin.width() >= spin.sizeHint().width(), code
    label = dock.summaryLabel
    show(dock, label)
    assert label.height() >= label.heightForWidth(label.width())    # the whole summary shows
