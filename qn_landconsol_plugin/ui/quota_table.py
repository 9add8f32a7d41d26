"""The county quota table of the dock's 项目 tab (任务分解): each county's (or township's)
share of the prefecture's 2030 targets, Rules.county_quotas, editable in place; the
dock stores it in the QGIS project (qgis_io.project_rules) and measures progress against
the quota of the project's county or township (core.quotas)."""
from __future__ import annotations

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ..core.quotas import COUNTY_LENGTH, TOWNSHIP_LENGTH
from ..core.rules import QUOTA_KEYS, default_county_quotas
from ..qgis_io import project_rules
from ..translation import tr

ALIGN_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
VISIBLE_ROWS = 6


def _number_text(key: str, value) -> str:
    return f"{int(value):d}" if key == "villages" else f"{float(value):g}"


class QuotaTable(QGroupBox):
    """The quota rows (code, name, 农用地整理 / 建设用地整理 / 生态修复 亩, 和美乡村);
    `quotasChanged(dict)` after every valid edit."""

    quotasChanged = pyqtSignal(object)

    def __init__(self, parent=None):
        super().__init__(tr("County quotas (任务分解)"), parent)
        self.setToolTip(tr("Each county's (or township's) share of the prefecture's 2030 "
                           "targets. Progress is measured against the quota of the project's "
                           "county, or of its township when the table has a row for it "
                           "(9-digit code). Stored in the QGIS project."))
        # a tree without branches as the table: no corner button, rows edited in place
        self.table = QTreeWidget(self)
        self.table.setColumnCount(2 + len(QUOTA_KEYS))
        self.table.setHeaderLabels([
            tr("Code"), tr("Name"), tr("Farmland (mu)"), tr("Construction land (mu)"),
            tr("Ecological (mu)"), tr("Villages")])
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        row = self.table.fontMetrics().height() + 6
        self.table.setMinimumHeight(header.sizeHint().height() + VISIBLE_ROWS * row
                                    + 2 * self.table.frameWidth())
        self.addButton = QPushButton(tr("Add row"), self)
        self.addButton.setToolTip(tr("A township's own quota: enter its 9-digit code (county 6 "
                                     "+ township 3) and its share"))
        self.removeButton = QPushButton(tr("Remove row"), self)
        self.resetButton = QPushButton(tr("Even split"), self)
        self.resetButton.setToolTip(tr("Back to the default: the prefecture targets split evenly "
                                       "over the 12 counties/cities"))
        buttons = QHBoxLayout()
        for button in (self.addButton, self.removeButton, self.resetButton):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._filling = False
        self._quotas = {}
        self.table.itemChanged.connect(self._on_item_changed)
        self.addButton.clicked.connect(self.add_row)
        self.removeButton.clicked.connect(self.remove_selected)
        self.resetButton.clicked.connect(lambda: self.set_quotas(default_county_quotas(),
                                                                 notify=True))

    # ---------------------------------------------------------------- project
    def load(self, project) -> dict:
        """Show the table `project` stores (the even split when none) and return it."""
        self.set_quotas(project_rules.read_quotas(project) or default_county_quotas())
        return self.quotas()

    def store(self, project):
        """Keep the table in `project` (nothing stored while it is the even split)."""
        quotas = self.quotas()
        project_rules.write_quotas(project, None if quotas == default_county_quotas() else quotas)

    # ----------------------------------------------------------------- values
    def quotas(self) -> dict:
        """{code: {name, farmland_mu, construction_mu, ecological_mu, villages}}."""
        return {code: dict(row) for code, row in self._quotas.items()}

    def set_quotas(self, quotas: dict, notify: bool = False):
        """Show `quotas` (a Rules.county_quotas table)."""
        self._quotas = {str(c): dict(q) for c, q in quotas.items()}
        self._filling = True
        try:
            self.table.clear()
            for code, quota in self._quotas.items():
                self._append(code, quota)
        finally:
            self._filling = False
        if notify:
            self.quotasChanged.emit(self.quotas())

    def _append(self, code: str, quota: dict):
        values = [code, quota.get("name", "")] + [_number_text(k, quota.get(k, 0))
                                                  for k in QUOTA_KEYS]
        item = QTreeWidgetItem(values)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        for col in range(2, len(values)):
            item.setTextAlignment(col, ALIGN_NUMBER)
        self.table.addTopLevelItem(item)
        return item

    def add_row(self, code: str = "", name: str = ""):
        """A new row (zero quotas) for `code`; counted once it has a 6- or 9-digit code."""
        self._filling = True
        try:
            item = self._append(code, {"name": name, **{k: 0 for k in QUOTA_KEYS}})
        finally:
            self._filling = False
        self.table.scrollToItem(item)
        self.table.editItem(item, 0)
        return item

    def remove_selected(self):
        items = self.table.selectedItems()
        for item in items:
            self.table.takeTopLevelItem(self.table.indexOfTopLevelItem(item))
        if items:
            self._read_back()

    # ------------------------------------------------------------------ edits
    def _on_item_changed(self, item, column):
        if self._filling:
            return
        if column >= 2:
            key = QUOTA_KEYS[column - 2]
            try:
                value = float(item.text(column).replace(",", "").strip() or 0)
                if value < 0:
                    raise ValueError(value)
            except ValueError:      # not a number: the old value comes back
                old = self._quotas.get(item.text(0).strip(), {}).get(key, 0)
                self._filling = True
                item.setText(column, _number_text(key, old))
                self._filling = False
                return
        self._read_back()

    def _read_back(self):
        """The table's rows with a county (6 digits) or township (9 digits) code become the
        quotas; the change is announced."""
        quotas = {}
        for row in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(row)
            cells = [item.text(c).strip() for c in range(self.table.columnCount())]
            code = cells[0]
            if not code.isdigit() or len(code) not in (COUNTY_LENGTH, TOWNSHIP_LENGTH):
                continue
            quota = {"name": cells[1]}
            for key, text in zip(QUOTA_KEYS, cells[2:]):
                try:
                    value = float(text.replace(",", "") or 0)
                except ValueError:
                    value = 0.0
                quota[key] = int(round(value)) if key == "villages" else value
            quotas[code] = quota
        if quotas != self._quotas:
            self._quotas = quotas
            self.quotasChanged.emit(self.quotas())
