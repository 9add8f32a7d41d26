"""The dock's views of the task catalogue (core.task_types): the task palette, the
totals tree and the progress bars with their targets; built and filled here, wired
by the dock.
"""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QIcon, QPixmap
from qgis.PyQt.QtWidgets import (
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QTreeWidgetItem,
)

from ..core import land_classes, task_types
from ..core.task_totals import FAMILY_TARGET
from ..translation import plugin_locale, tr
from .tag_writer import sentences

ALIGN_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TASK_ROLE = Qt.ItemDataRole.UserRole
TOTALS_ROWS = 8          # rows the totals tree shows without scrolling: families + tagged subtypes


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


# ------------------------------------------------------------------ task palette
def applies_text(codes) -> str:
    """The land classes of `codes`, by 三调 group: a whole group by its name, else the
    group with its codes ('耕地；林地（0301K、0307K）')."""
    codes = set(codes)
    if codes >= set(land_classes.LAND_CLASSES):
        return tr("every land class")
    parts = []
    for group in land_classes.GROUPS:
        members = land_classes.codes_in_group(group)
        have = [c for c in members if c in codes]
        if not have:
            continue
        if len(have) == len(members):
            parts.append(group)
        else:
            names = tr(", ").join(f"{c} {land_classes.name_of(c)}" for c in have)
            parts.append(tr("{0} ({1})").format(group, names))
    return tr("; ").join(parts)


def task_tooltip(task) -> str:
    """Code and name (the English name too outside a Chinese UI), whether the work adds
    farmland, and the land classes it applies to."""
    name = task.zh if plugin_locale() == "zh_CN" else f"{task.zh} ({task.en})"
    lines = [f"{task.code} · {name}"]
    if getattr(task, "new_farmland", False):
        lines.append(tr("Adds farmland (新增耕地)."))
    lines.append(tr("Applies to: {0}.").format(applies_text(task_types.land_classes_of(task.code))))
    return "\n".join(lines)


def _fill(tree, columns: int) -> dict:
    """A row per family and, under it, per subtype: colour, Chinese name, tooltip and the
    task code (TASK_ROLE); returns {task code: item}."""
    items = {}
    for family in task_types.FAMILIES:
        for task in (family,) + family.subtypes:
            item = QTreeWidgetItem([task.zh] + [""] * (columns - 1))
            item.setData(0, TASK_ROLE, task.code)
            item.setIcon(0, swatch(task.color))
            item.setToolTip(0, task_tooltip(task))
            if task is family:
                tree.addTopLevelItem(item)
            else:
                items[family.code].addChild(item)
            items[task.code] = item
    tree.expandAll()
    return items


def fill_task_tree(tree):
    """The four families and their subtypes, each with its colour; the first subtype current."""
    tree.clear()
    _fill(tree, 1)
    tree.setCurrentItem(tree.topLevelItem(0).child(0))


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
    """One row per family and subtype; returns {task code: tree item}. Task names are
    never cut (the name column fits its text), numbers are right-aligned, and the tree
    is tall enough for TOTALS_ROWS rows."""
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    for col in (1, 2, 3):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        tree.headerItem().setTextAlignment(col, ALIGN_NUMBER)
    tree.setTextElideMode(Qt.TextElideMode.ElideNone)
    tree.setIndentation(14)               # one level of subtypes: a narrow indent is enough
    items = _fill(tree, 4)
    row = tree.sizeHintForRow(0) if tree.topLevelItemCount() else tree.fontMetrics().height() + 4
    frame = 2 * tree.frameWidth()
    tree.setMinimumHeight(header.sizeHint().height() + TOTALS_ROWS * row + frame)
    policy = tree.sizePolicy()
    policy.setVerticalPolicy(QSizePolicy.Policy.Expanding)
    tree.setSizePolicy(policy)
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
def add_target_rows(progress_layout, targets_layout, targets) -> tuple[dict, dict]:
    """Per targeted family: its name and progress bar in grid `progress_layout`, its name
    and target spin box in grid `targets_layout`. Returns ({family: bar}, {family: spin})."""
    bars, spins = {}, {}
    for row, family in enumerate(f for f in task_types.FAMILIES if f.code in FAMILY_TARGET):
        label = QLabel(family.zh)
        label.setToolTip(tr("{0}: tagged area against the target").format(family.zh))
        bar = QProgressBar()
        bar.setRange(0, 1000)
        bar.setTextVisible(True)
        bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.setMinimumWidth(bar.fontMetrics().horizontalAdvance(progress_text(1.0, 99_999)) + 24)
        progress_layout.addWidget(label, row, 0)
        progress_layout.addWidget(bar, row, 1)
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 999_999.0)
        spin.setDecimals(0)
        spin.setGroupSeparatorShown(True)
        spin.setSuffix(" " + tr("mu"))
        spin.setToolTip(tr("Your own target (mu). Left at the prefecture's 2030 target, progress "
                           "is measured against the quota of the project's county or township "
                           "(the county quota table below)"))
        spin.setValue(getattr(targets, FAMILY_TARGET[family.code]))
        targets_layout.addWidget(QLabel(family.zh), row, 0)
        targets_layout.addWidget(spin, row, 1)
        bars[family.code] = bar
        spins[family.code] = spin
    progress_layout.setColumnStretch(1, 1)
    targets_layout.setColumnStretch(1, 1)
    return bars, spins


def quota_text(quota_label: str) -> str:
    return tr("Targets: {0}").format(quota_label) if quota_label else ""


def progress_text(share: float, done_mu: float) -> str:
    return f"{share:.1%} · {done_mu:,.0f} " + tr("mu")


def show_progress(bars: dict, progress, quota_label: str = ""):
    """Each bar at its family's share of the target (capped at 100 %), the 亩 as text, the
    quota measured against in the tooltip."""
    for p in progress:
        bar = bars[p.family]
        bar.setValue(int(round(min(p.share, 1.0) * 1000)))
        bar.setFormat(progress_text(p.share, p.done_mu))
        tip = tr("{0}: {1:,.2f} of {2:,.0f} mu tagged ({3:.1%})").format(
            task_types.label(p.family), p.done_mu, p.target_mu, p.share)
        bar.setToolTip(sentences(tip, quota_text(quota_label)) if quota_label else tip)


def area_text(units) -> str:
    """The project area in words: its townships, or every parcel of the layer."""
    units = [u for u in units if u]
    if not units:
        return tr("all parcels of the layer")
    return tr("township(s) {0}").format(tr(", ").join(units))


def summary_text(totals, rules, has_layer: bool, project, land_ready: bool = True) -> str:
    """The line under the totals: what is tagged, the new farmland and the 5 % rule
    against all farmland of the project area (its townships, tagged or not: area_text
    says which, in the label's tooltip), and the quota the progress is measured against."""
    if not has_layer:
        return tr("No parcel layer.")
    if project is not None and not project:
        return tr("Enter the project code (XMBH) to follow a project.")
    args = (totals.parcels, totals.area_mu, totals.new_farmland_mu)
    if totals.parcels and not land_ready:
        text = tr("{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu (reading "
                  "the farmland of the project area…).").format(*args)
    elif totals.farmland_mu > 0:
        text = tr("{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu ({3:.1%} of "
                  "the project area's {4:,.2f} mu of farmland, at least {5:.0%} required).").format(
            *args, totals.new_farmland_share, totals.farmland_mu, rules.new_farmland_min_share)
    else:
        text = tr("{0:,} parcels, {1:,.2f} mu tagged; estimated new farmland {2:,.2f} mu.").format(*args)
    if totals.parcels and totals.quota_label:
        text = sentences(text, tr("Targets: {0}.").format(totals.quota_label))
    if totals.unknown_codes:
        text = sentences(text, tr("Unknown task codes (not counted): {0}.").format(
            tr(", ").join(totals.unknown_codes)))
    return text


def summary_tooltip(totals) -> str:
    """What the project area of the 5 % rule is, for the summary's tooltip."""
    return tr("Project area of the 5 % rule: {0}; all their farmland counts, tagged or not, "
              "net of 田坎 (parcels tagged for another project count in that project's area)."
              ).format(area_text(totals.area_units))
