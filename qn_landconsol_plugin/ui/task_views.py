"""The dock's views of the task catalogue (core.task_types): the task palette, the
totals tree and the progress bars with their targets; built and filled here, wired
by the dock.
"""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QIcon, QPixmap
from qgis.PyQt.QtWidgets import QDoubleSpinBox, QHeaderView, QLabel, QProgressBar, QTreeWidgetItem

from ..core import task_types
from ..core.task_totals import FAMILY_TARGET
from ..translation import tr

ALIGN_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TASK_ROLE = Qt.ItemDataRole.UserRole


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


# ------------------------------------------------------------------ task palette
def fill_task_tree(tree):
    """The four families and their subtypes, each with its colour; the first subtype current."""
    tree.clear()
    first = None
    for family in task_types.FAMILIES:
        item = QTreeWidgetItem([family.zh])
        item.setData(0, TASK_ROLE, family.code)
        item.setIcon(0, swatch(family.color))
        item.setToolTip(0, f"{family.code} · {family.en}")
        tree.addTopLevelItem(item)
        for sub in family.subtypes:
            child = QTreeWidgetItem([sub.zh])
            child.setData(0, TASK_ROLE, sub.code)
            child.setIcon(0, swatch(sub.color))
            tip = f"{sub.code} · {sub.en}"
            if sub.new_farmland:
                tip += " · " + tr("adds farmland")
            child.setToolTip(0, tip)
            item.addChild(child)
            first = first or child
    tree.expandAll()
    tree.setCurrentItem(first)


def current_task(tree) -> str:
    item = tree.currentItem()
    return item.data(0, TASK_ROLE) if item is not None else ""


def select_task(tree, code: str) -> bool:
    """Make the task `code` (family or subtype) current; False if it is not in the tree."""
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for item in [top] + [top.child(j) for j in range(top.childCount())]:
            if item.data(0, TASK_ROLE) == code:
                tree.setCurrentItem(item)
                return True
    return False


# ------------------------------------------------------------------ totals tree
def fill_totals_tree(tree) -> dict:
    """One row per family and subtype; returns {task code: tree item}."""
    header = tree.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    tree.setColumnWidth(0, 150)
    for col in (1, 2, 3):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        tree.headerItem().setTextAlignment(col, ALIGN_NUMBER)
    items = {}
    for family in task_types.FAMILIES:
        item = QTreeWidgetItem([family.zh, "", "", ""])
        item.setIcon(0, swatch(family.color))
        item.setToolTip(0, family.zh)
        tree.addTopLevelItem(item)
        items[family.code] = item
        for sub in family.subtypes:
            child = QTreeWidgetItem([sub.zh, "", "", ""])
            child.setIcon(0, swatch(sub.color))
            child.setToolTip(0, sub.zh)
            item.addChild(child)
            items[sub.code] = child
    tree.expandAll()
    return items


def show_totals(items: dict, totals):
    """Parcels, 亩 and new farmland per row; subtypes without parcels hidden."""
    for t in totals.families + totals.subtypes:
        item = items[t.code]
        item.setText(1, f"{t.parcels:,}" if t.parcels else "")
        item.setText(2, f"{t.area_mu:,.2f}" if t.parcels else "")
        item.setText(3, f"{t.new_farmland_mu:,.2f}" if t.new_farmland_mu else "")
        for col in (1, 2, 3):
            item.setTextAlignment(col, ALIGN_NUMBER)
        if t.family:
            item.setHidden(t.parcels == 0)


# ------------------------------------------------------------- targets, progress
def add_target_rows(layout, targets) -> tuple[dict, dict]:
    """A label, a progress bar and a target spin box per targeted family, in grid
    `layout`; returns ({family: bar}, {family: spin})."""
    bars, spins = {}, {}
    for row, family in enumerate(f for f in task_types.FAMILIES if f.code in FAMILY_TARGET):
        label = QLabel(family.zh)
        bar = QProgressBar()
        bar.setRange(0, 1000)
        bar.setTextVisible(True)
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 10_000_000.0)
        spin.setDecimals(0)
        spin.setSuffix(" " + tr("mu"))
        spin.setToolTip(tr("Target (mu); the default is the prefecture's 2030 target"))
        spin.setMaximumWidth(100)
        label.setToolTip(family.en)
        label.setMinimumWidth(label.sizeHint().width())
        bar.setMinimumWidth(80)
        spin.setValue(getattr(targets, FAMILY_TARGET[family.code]))
        layout.addWidget(label, row, 0)
        layout.addWidget(bar, row, 1)
        layout.addWidget(spin, row, 2)
        bars[family.code] = bar
        spins[family.code] = spin
    layout.setColumnStretch(1, 1)
    return bars, spins


def show_progress(bars: dict, progress):
    """Each bar at its family's share of the target (capped at 100 %), the 亩 as text."""
    for p in progress:
        bar = bars[p.family]
        bar.setValue(int(round(min(p.share, 1.0) * 1000)))
        bar.setFormat(f"{p.share:.1%} · {p.done_mu:,.0f} " + tr("mu"))
        bar.setToolTip(tr("{0}: {1:,.2f} of {2:,.0f} mu tagged ({3:.1%})").format(
            task_types.label(p.family), p.done_mu, p.target_mu, p.share))


def summary_text(totals, rules, has_layer: bool, project) -> str:
    """The line under the totals: what is tagged, the new farmland and the 5 % rule."""
    if not has_layer:
        return tr("No parcel layer.")
    if project is not None and not project:
        return tr("Enter the project code (XMBH) to follow a project.")
    text = tr("{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu")\
        .format(totals.parcels, totals.area_mu, totals.new_farmland_mu)
    if totals.farmland_mu > 0:
        text += tr(" ({0:.1%} of the farmland tagged, at least {1:.0%} required)")\
            .format(totals.new_farmland_share, rules.new_farmland_min_share)
    text += "."
    if totals.unknown_codes:
        text += " " + tr("Unknown task codes (not counted): {0}.").format(", ".join(totals.unknown_codes))
    return text
