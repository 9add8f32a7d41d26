"""tools/qt6_check.py: each kind of Qt6 / QGIS 4 violation, planted in a module's text, is found,
and --fix rewrites it (on the floor QGIS) to the form every supported QGIS accepts."""
import sys
import textwrap

import pytest

from ..conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import qt6_check  # noqa: E402

FLOOR = qt6_check.running_qgis() == qt6_check.floor_version()


def findings(text, package_path=("algorithms", "planted")):
    module = qt6_check.check_source(textwrap.dedent(text), "planted.py", list(package_path))
    return module.findings


def fixed(text, package_path=("algorithms", "planted")):
    return qt6_check.fix_source(textwrap.dedent(text), "planted.py", list(package_path))


# kind, planted text, its fixed text (None: no automatic fix)
PLANTED = [
    ("pyqt-import", "from PyQt5.QtCore import QTimer\n", "from qgis.PyQt.QtCore import QTimer\n"),
    ("pyqt-import", "from PyQt6.QtWidgets import QLabel\n",
     "from qgis.PyQt.QtWidgets import QLabel\n"),
    ("pyqt-import", "import sip\n", "from qgis.PyQt import sip\n"),
    ("pyqt-import", "import PyQt5.QtCore\n", None),
    ("short-enum", "from qgis.PyQt.QtCore import Qt\nA = Qt.AlignLeft | Qt.AlignTop\n",
     "from qgis.PyQt.QtCore import Qt\n"
     "A = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop\n"),
    ("short-enum", "from qgis.PyQt.QtWidgets import QSizePolicy\nP = QSizePolicy.Expanding\n",
     "from qgis.PyQt.QtWidgets import QSizePolicy\nP = QSizePolicy.Policy.Expanding\n"),
    ("short-enum", "from qgis.PyQt import QtCore\nK = QtCore.Qt.Key_Return\n",
     "from qgis.PyQt import QtCore\nK = QtCore.Qt.Key.Key_Return\n"),
    ("short-enum", "from qgis.core import Qgis\nLEVEL = Qgis.Warning\n",
     "from qgis.core import Qgis\nLEVEL = Qgis.MessageLevel.Warning\n"),
    ("short-enum", "from qgis.core import QgsLayoutItemMapGrid\nS = QgsLayoutItemMapGrid.Cross\n",
     "from qgis.core import QgsLayoutItemMapGrid\nS = QgsLayoutItemMapGrid.GridStyle.Cross\n"),
    ("moved-enum", "from qgis.core import QgsWkbTypes\n\nfrom ..core import areas\n\n"
     "LINE = QgsWkbTypes.LineGeometry\n",
     "from ..core import areas\nfrom ..qgis_io import compat\n\n"
     "LINE = compat.GeometryType.Line\n"),
    ("moved-enum", "from qgis.core import QgsProcessing\n\nT = [QgsProcessing.TypeVectorLine]\n"
     "K = QgsProcessing.TEMPORARY_OUTPUT\n",
     "from qgis.core import QgsProcessing\n\nfrom ..qgis_io import compat\n\n"
     "T = [compat.ProcessingSourceType.VectorLine]\nK = QgsProcessing.TEMPORARY_OUTPUT\n"),
    ("moved-enum", "from qgis.core import QgsCoordinateTransform\n"
     "D = QgsCoordinateTransform.ReverseTransform\n",
     "from qgis.core import Qgis\nD = Qgis.TransformDirection.Reverse\n"),
    ("field-type", "from qgis.core import QgsField\nfrom qgis.PyQt.QtCore import QVariant\n\n"
     "F = QgsField('A', QVariant.String)\nN = QVariant()\n",
     "from qgis.core import QgsField\nfrom qgis.PyQt.QtCore import QVariant\n\n"
     "from ..qgis_io import compat\n\nF = QgsField('A', compat.FieldType.QString)\n"
     "N = QVariant()\n"),
    ("moved-qt", "from qgis.PyQt.QtWidgets import QAction, QMenu\n\nfrom .base import X\n",
     "from qgis.PyQt.QtWidgets import QMenu\n\nfrom ..qgis_io.compat import QAction\n"
     "from .base import X\n"),
    ("moved-qt", "from qgis.PyQt import QtWidgets\nA = QtWidgets.QAction\n",
     "from ..qgis_io import compat\n\nA = compat.QAction\n"),
    ("exec", "def run(dialog):\n    return dialog.exec_()\n",
     "def run(dialog):\n    return dialog.exec()\n"),
    ("removed", "from qgis.PyQt.QtCore import QRegExp\n", None),
    ("removed", "from qgis.PyQt.QtWidgets import QDesktopWidget\n", None),
    ("removed", "from qgis.PyQt.QtWidgets import qApp\n", None),
    ("removed", "from qgis.PyQt.QtCore import Qt\nB = Qt.MidButton\n", None),
    ("removed", "from qgis.PyQt.QtWidgets import QApplication\n"
     "D = QApplication.desktop()\n", None),
    ("removed", "def wire(combo, slot):\n    combo.activated[str].connect(slot)\n",
     "def wire(combo, slot):\n    combo.textActivated.connect(slot)\n"),
    ("removed", "from qgis.PyQt.QtGui import QFontMetrics\n\n\ndef w(font):\n"
     "    metrics = QFontMetrics(font)\n"
     "    return metrics.width('x') + font.fontMetrics().width('y')\n",
     "from qgis.PyQt.QtGui import QFontMetrics\n\n\ndef w(font):\n"
     "    metrics = QFontMetrics(font)\n"
     "    return metrics.horizontalAdvance('x') + font.fontMetrics().horizontalAdvance('y')\n"),
    ("resources", "from . import resources_rc  # noqa: F401\n", None),
    ("resources", "from qgis.PyQt.QtGui import QIcon\nI = QIcon(':/plugins/qn/icon.svg')\n", None),
    ("compat", "from ..qgis_io import compat\nX = compat.GeometryType.Nonsense\n", None),
    ("compat", "from ..qgis_io.compat import QNothing\n", None),
    ("compat", "from .base import X\n\nF = compat.FieldType.QString\n",
     "from ..qgis_io import compat\nfrom .base import X\n\nF = compat.FieldType.QString\n"),
    ("missing", "from qgis.core import QgsVectorLayer\nX = QgsVectorLayer.NoSuchThing\n", None),
    ("deprecated", "def fields(self, parameters, context):\n"
     "    return self.parameterAsFields(parameters, 'F', context)\n",
     "from ..qgis_io import compat\n\n\ndef fields(self, parameters, context):\n"
     "    return compat.parameter_as_strings(self, parameters, 'F', context)\n"),
    ("deprecated", "def save(layer):\n    layer.saveStyleToDatabase('a', 'b', True, '')\n",
     "from ..qgis_io import compat\n\n\ndef save(layer):\n"
     "    compat.save_style_to_database(layer, 'a', 'b', True)\n"),
    ("deprecated", "def save(layer, ui):\n    layer.saveStyleToDatabase('a', 'b', True, ui)\n",
     None),
    ("deprecated", "def font(legend, c, f):\n    legend.setStyleFont(c, f)\n",
     "from ..qgis_io import compat\n\n\ndef font(legend, c, f):\n"
     "    compat.set_legend_font(legend, c, f)\n"),
]


def test_the_plugin_and_its_tests_are_qt6_clean():
    """The whole source: run `.venv/bin/python tools/qt6_check.py --fix` (QGIS 3.22), then
    fix by hand what it lists."""
    assert [str(f) for f in qt6_check.run(qt6_check.DEFAULT_PATHS)] == []


def test_metadata_lets_qgis_4_and_qt6_builds_load_it():
    """What the clean source allows: QGIS 4 (Qt6) and the Qt6 builds of QGIS 3."""
    import configparser

    meta = configparser.ConfigParser()
    meta.read(ROOT / "qn_landconsol_plugin" / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["qgisMaximumVersion"] == "4.99"
    assert general.getboolean("supportsQt6")


@pytest.mark.parametrize("kind, text, _fixed", PLANTED, ids=[f"{k}-{i}" for i, (k, _t, _f)
                                                              in enumerate(PLANTED)])
def test_each_kind_of_violation_is_found(kind, text, _fixed):
    kinds = {f.kind for f in findings(text)}
    assert kind in kinds


# A moved enum is fixed to its new name where the floor QGIS has it, else to compat: the
# fixer asks the QGIS it runs with, so that fix is right only on the floor (--fix refuses
# any other QGIS). Every other fix is the same text on every QGIS and is tested on each.
ON_THE_FLOOR_ONLY = pytest.mark.skipif(
    not FLOOR, reason="a moved enum's fix asks the QGIS it runs with what the floor QGIS "
                      "(qgisMinimumVersion) has: --fix runs only there")


@pytest.mark.parametrize("kind, text, expected", [
    pytest.param(k, t, f, id=f"{k}-{i}", marks=[ON_THE_FLOOR_ONLY] if k == "moved-enum" else [])
    for i, (k, t, f) in enumerate(PLANTED) if f is not None])
def test_fix_rewrites_it_and_leaves_nothing(kind, text, expected):
    text, rows = fixed(text)
    assert text == expected
    compat = qt6_check.COMPAT.read_text(encoding="utf-8")
    compat = qt6_check.Compat.read(qt6_check.qt6_fix.add_enum_rows(compat, rows))
    assert qt6_check.check_source(text, "planted.py", ["algorithms", "planted"],
                                  compat=compat).findings == []


@ON_THE_FLOOR_ONLY
def test_fix_adds_the_rows_compat_lacks():
    _text, rows = fixed("from qgis.core import QgsWkbTypes\nLINE = QgsWkbTypes.LineGeometry\n")
    assert rows == {"Qgis.GeometryType.Line": "QgsWkbTypes.GeometryType.LineGeometry"}
    compat = qt6_check.COMPAT.read_text(encoding="utf-8")
    new = qt6_check.qt6_fix.add_enum_rows(compat, rows)
    assert qt6_check.Compat.read(new).enums["Qgis.GeometryType.Line"] == (
        "QgsWkbTypes.GeometryType.LineGeometry")
    assert qt6_check.qt6_fix.add_enum_rows(new, rows) == new   # idempotent


def test_fix_imports_compat_the_way_each_place_can():
    holder = qt6_check.qt6_fix.compat_module
    assert holder(["algorithms", "base"]) == "..qgis_io"
    assert holder(["qgis_io", "parcels"]) == "."
    assert holder(["plugin"]) == ".qgis_io"
    assert holder(None) == "qn_landconsol_plugin.qgis_io"


def test_scoped_forms_and_compat_names_are_clean():
    clean = """\
        from qgis.core import Qgis, QgsProcessing
        from qgis.PyQt.QtCore import Qt

        from ..qgis_io import compat

        A = Qt.AlignmentFlag.AlignLeft
        L = Qgis.MessageLevel.Warning
        K = QgsProcessing.TEMPORARY_OUTPUT
        F = compat.FieldType.QString
        Q = compat.QAction
        """
    assert findings(clean) == []


def test_scoped_enum_values_in_ui_files_are_found_and_shortened(tmp_path):
    ui = tmp_path / "planted.ui"
    ui.write_text('<?xml version="1.0"?><ui version="4.0"><widget class="QFrame" name="f">'
                  '<property name="frameShape"><enum>QFrame::Shape::NoFrame</enum></property>'
                  '<property name="alignment"><set>Qt::AlignmentFlag::AlignLeft|Qt::AlignTop</set>'
                  '</property></widget></ui>', encoding="utf-8")
    found = qt6_check.check_ui(ui, qt6_check.load_names(), "planted.ui")
    assert [f.kind for f in found] == ["ui-scoped", "ui-scoped"]
    short = qt6_check.qt6_fix.fix_ui(ui.read_text(encoding="utf-8"))
    assert "<enum>QFrame::NoFrame</enum>" in short
    assert "<set>Qt::AlignLeft|Qt::AlignTop</set>" in short
    ui.write_text(short, encoding="utf-8")
    assert qt6_check.check_ui(ui, qt6_check.load_names(), "planted.ui") == []


def test_ui_files_with_removed_classes_are_found(tmp_path):
    ui = tmp_path / "planted.ui"
    ui.write_text('<?xml version="1.0"?><ui version="4.0"><widget class="QDesktopWidget" '
                  'name="w"><property name="alignment"><set>Qt::AlignLeft|Qt::AlignTop</set>'
                  '</property></widget></ui>', encoding="utf-8")
    found = qt6_check.check_ui(ui, qt6_check.load_names(), "planted.ui")
    assert [f.kind for f in found] == ["removed"]
    assert "QDesktopWidget" in found[0].message


@ON_THE_FLOOR_ONLY
def test_fix_keeps_a_function_level_import_in_its_function():
    text, rows = fixed("""\
        def plain(layer):
            from qgis.core import QgsFields, QgsProviderRegistry

            return layer.fields().fieldOrigin(0) != QgsFields.OriginJoin, QgsProviderRegistry
        """, ("qgis_io", "planted"))
    assert text == textwrap.dedent("""\
        def plain(layer):
            from qgis.core import QgsProviderRegistry
            from . import compat

            return layer.fields().fieldOrigin(0) != compat.FieldOrigin.Join, QgsProviderRegistry
        """)
    assert rows == {"Qgis.FieldOrigin.Join": "QgsFields.FieldOrigin.OriginJoin"}
