#!/usr/bin/env python3
"""Static Qt6 / QGIS 4 check of the plugin's source, and its fixer (issue 16).

    .venv/bin/python tools/qt6_check.py [--fix] [PATH ...]  (default: qn_landconsol_plugin tests)

Prints one line per finding (file:line: [kind] what, and the replacement) and exits 1 when there
is any. --fix rewrites what has one form QGIS 3.22 (PyQt5 5.15) through QGIS 4 (PyQt6) all
accept (tools/qt6_fix.py), then prints what is left for a hand fix. Kinds:
  pyqt-import  PyQt5/PyQt6/sip imported directly             -> qgis.PyQt
  short-enum   Qt.AlignLeft, QSizePolicy.Expanding            -> Qt.AlignmentFlag.AlignLeft, ...
  moved-enum   a QGIS enum member newer QGIS renamed (QgsWkbTypes.PolygonGeometry is
               Qgis.GeometryType.Polygon from 3.30; 3.44 keeps the old name as a deprecated
               alias, QGIS 4 drops it)  -> the new name where 3.22 has it, else
               compat.GeometryType.Polygon (and the row in qgis_io/compat.py's ENUMS)
  field-type   QVariant.String (no QVariant.Type in Qt6)      -> compat.FieldType.QString
  moved-qt     QAction from QtWidgets (QtGui in Qt6)          -> from qgis_io.compat
  exec         .exec_(                                        -> .exec(
  removed      what Qt6 dropped: classes (QRegExp, QDesktopWidget, qApp ...), enum values
               (Qt.MidButton ...), str overloads of signals (activated[str] -> textActivated),
               QFontMetrics.width (-> horizontalAdvance), QApplication.desktop()
  missing      a Qt/QGIS name this QGIS does not have (newer API without a fallback)
  deprecated   a QGIS call newer QGIS deprecates (parameterAsFields, saveStyleToDatabase ...)
  resources    resources_rc or ':/' resource paths (pyrcc5 has no Qt6 counterpart)
  ui-scoped    QFrame::Shape::NoFrame in a .ui file (Qt6 Designer) -> QFrame::NoFrame, the form
               the uic of PyQt5 and of PyQt6 both read
  compat       compat.X that qgis_io/compat.py does not provide
Enum forms are found by introspection of the QGIS and PyQt5 this runs with: an attribute A.B whose
value is a member of an enum type T that is an attribute of A, and B is not T. What newer QGIS
and PyQt6 renamed or dropped comes from tools/qt6_names.json (tools/qt6_dump.py). --fix runs
only with the floor QGIS (metadata.txt's qgisMinimumVersion), which decides what that version
lacks. compat.py itself is not checked: it is the one place that knows versions.
(Over 500 lines: every check shares the one import and attribute-chain resolution of a module;
the rewriting is tools/qt6_fix.py, the names only newer QGIS and PyQt6 know tools/qt6_dump.py.)
"""
from __future__ import annotations

import argparse
import ast
import configparser
import enum
import importlib
import inspect
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qt6_fix  # noqa: E402
from qt6_fix import Edit, Source  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qn_landconsol_plugin"
COMPAT = PACKAGE / "qgis_io" / "compat.py"
NAMES = Path(__file__).resolve().parent / "qt6_names.json"
DEFAULT_PATHS = (PACKAGE, ROOT / "tests")
QGIS_MODULES = ("qgis.core", "qgis.gui", "qgis.analysis")
# signals whose str overload Qt6 dropped -> the signal Qt >= 5.14 has for it
STR_SIGNALS = {"activated": "textActivated", "highlighted": "textHighlighted",
               "currentIndexChanged": "currentTextChanged"}
FONT_METRICS = ("QFontMetrics", "QFontMetricsF", "fontMetrics")
# QGIS methods newer QGIS deprecates (3.44 warns) -> what to call instead
# (x.method(args) -> compat.function(x, args), --fix does it; else only what to call instead)
DEPRECATED_CALLS = {
    "parameterAsFields": "compat.parameter_as_strings",
    "saveStyleToDatabase": "compat.save_style_to_database",   # without its uiFileContent ""
    "styleFont": "compat.legend_font",
    "setStyleFont": "compat.set_legend_font",
    "writeAsVectorFormat": "QgsVectorFileWriter.writeAsVectorFormatV3 (by hand)",
    "writeAsVectorFormatV2": "QgsVectorFileWriter.writeAsVectorFormatV3 (by hand)",
}
HINTS = {
    "QRegExp": ": use QRegularExpression (PyQt5 has it)",
    "QRegExpValidator": ": use QRegularExpressionValidator",
    "QDesktopWidget": ": use QScreen (QGuiApplication.primaryScreen(), widget.screen())",
    "qApp": ": use QApplication.instance()",
    "QTextCodec": ": decode with Python (bytes.decode)",
    "MidButton": ": use Qt.MouseButton.MiddleButton",
}


@dataclass
class Finding:
    path: str
    line: int
    kind: str
    message: str
    fixable: bool = False

    def __str__(self):
        return f"{self.path}:{self.line}: [{self.kind}] {self.message}"


def enum_namespace(new_name: str) -> str:
    """compat's name of the enum of a newest name: Qgis.GeometryType.Polygon -> GeometryType
    (QgsFoo.Bar.Member -> QgsFoo_Bar, for a class enum that only renamed its members)."""
    path = new_name.rsplit(".", 1)[0]
    return path[len("Qgis."):] if path.startswith("Qgis.") else path.replace(".", "_")


@dataclass
class Compat:
    """What qgis_io/compat.py provides, read from its source."""
    names: set = field(default_factory=set)
    enums: dict = field(default_factory=dict)        # newest name -> 3.22's long form
    field_types: dict = field(default_factory=dict)  # QMetaType name -> QVariant name
    qt_classes: dict = field(default_factory=dict)   # name -> (Qt6 module, Qt5 module)

    TABLES = {"ENUMS": "enums", "FIELD_TYPES": "field_types", "QT_CLASSES": "qt_classes"}

    @classmethod
    def read(cls, text: str) -> "Compat":
        found = cls()
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.names.add(node.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.names.add(target.id)
                        if target.id in cls.TABLES:
                            setattr(found, cls.TABLES[target.id], ast.literal_eval(node.value))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                found.names.update(a.asname or a.name.split(".")[0] for a in node.names)
        found.names.update(found.qt_classes)
        found.names.update(enum_namespace(new) for new in found.enums)
        return found

    def provides(self, chain: list) -> bool:
        """compat.<chain> exists (enum and field-type members checked one by one)."""
        head = chain[0]
        if head == "FieldType":
            return len(chain) < 2 or chain[1] in self.field_types
        members = {new.rsplit(".", 1)[1] for new in self.enums if enum_namespace(new) == head}
        if members:
            return len(chain) < 2 or chain[1] in members
        return head in self.names


def load_names(path: Path = NAMES) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["qt6_missing_members"] = set(data["qt6_missing_members"])
    return data


def floor_version() -> tuple:
    meta = configparser.ConfigParser()
    meta.read(PACKAGE / "metadata.txt", encoding="utf-8")
    return tuple(int(p) for p in meta["general"]["qgisMinimumVersion"].split(".")[:2])


def running_qgis() -> tuple:
    from qgis.core import Qgis

    return Qgis.QGIS_VERSION_INT // 10000, Qgis.QGIS_VERSION_INT // 100 % 100


def is_enum_member(value) -> bool:
    return isinstance(value, enum.Enum) or type(type(value)).__name__ == "enumtype"


def qgis_object(path: str):
    """(module, object) at a dotted QGIS path (Qgis.GeometryType.Polygon); (None, None)."""
    head, *rest = path.split(".")
    for module_name in QGIS_MODULES:
        obj = getattr(importlib.import_module(module_name), head, None)
        if obj is not None:
            for part in rest:
                obj = getattr(obj, part, None)
            return (module_name, obj) if obj is not None else (None, None)
    return None, None


class Module:
    """One source file: its imports, findings, and the edits and imports that fix them."""

    def __init__(self, text: str, label: str, package_path, names: dict, compat: Compat,
                 floor: bool):
        self.src = Source(text)
        self.label, self.package_path = label, package_path
        self.names, self.compat, self.floor = names, compat, floor
        self.findings: list[Finding] = []
        self.edits: list[Edit] = []
        self.needed: set = set()        # imports the edits need: ('qgis.core', 'Qgis', scope)
        self.maybe_unused: set = set()  # local names some of whose uses an edit removed
        self.moved_away: set = set()    # names now imported from compat instead
        self.enum_rows: dict = {}       # rows compat's ENUMS needs: newest -> 3.22 long form
        self.bindings = self._bindings()

    def report(self, node, kind, message, replace=None, text=None):
        """A finding at `node`; replacing `replace` (a node or (start, end)) by `text` fixes it."""
        self.findings.append(Finding(self.label, node.lineno, kind, message, text is not None))
        if text is not None:
            start, end = self.src.span(replace) if isinstance(replace, ast.AST) else replace
            self.edits.append(Edit(start, end, text))

    def end_of(self, node, tail: str) -> tuple:
        """(start, end) of the last `tail` characters of `node` (an attribute's name)."""
        end = self.src.offset(node.end_lineno, node.end_col_offset)
        return end - len(tail), end

    # imports -----------------------------------------------------------------------------
    def absolute(self, node: ast.ImportFrom) -> str:
        if node.level == 0 or self.package_path is None:
            return node.module or ""
        base = ["qn_landconsol_plugin", *self.package_path[:-1]][:-(node.level - 1) or None]
        return ".".join(base + ([node.module] if node.module else []))

    def _bindings(self) -> dict:
        """{local name: (module, attribute or None, import node)} of every import."""
        found = {}
        for node in ast.walk(self.src.tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    found[alias.asname or alias.name] = (self.absolute(node), alias.name, node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    found[local] = (alias.name if alias.asname else local, None, node)
        return found

    def root_object(self, name: str):
        """The live object of a local name bound by an import from Qt or QGIS, else None."""
        module, attribute, _node = self.bindings.get(name, ("", None, None))
        if not module.startswith(("qgis", "PyQt5", "PyQt6")) or module.endswith("compat"):
            return None
        try:
            obj = importlib.import_module(module)
            if attribute is not None:
                obj = (getattr(obj, attribute) if hasattr(obj, attribute)
                       else importlib.import_module(f"{module}.{attribute}"))
        except ImportError:
            return None
        return obj

    def scope_of(self, name: str):
        """None when `name` is imported at the top of the module, else the last line of the
        function-level import that binds it (an import a fix needs goes beside it)."""
        node = self.bindings[name][2]
        return None if node in self.src.tree.body else node.end_lineno

    def is_compat(self, name: str) -> bool:
        module, attribute, _node = self.bindings.get(name, ("", None, None))
        return attribute == "compat" and module.endswith("qgis_io")

    # the checks --------------------------------------------------------------------------
    def check(self):
        tree = self.src.tree
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node
        top = set(map(id, tree.body))
        self.font_metrics = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign)
                             and self.makes_font_metrics(n.value) for t in n.targets
                             if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                self.check_import(node)
            elif isinstance(node, ast.ImportFrom):
                self.check_import_from(node, id(node) in top)
            elif isinstance(node, ast.Attribute):
                self.check_attribute(node)
            elif isinstance(node, ast.Subscript):
                self.check_signal_overload(node)
            elif isinstance(node, ast.Call):
                self.check_call(node)
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and node.value.startswith(":/")):
                self.report(node, "resources", f"Qt resource path {node.value!r}: load the "
                            "file by its path (no resources_rc in Qt6)")
        return self

    def check_import(self, node: ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] in ("PyQt5", "PyQt6"):
                self.report(node, "pyqt-import", f"import {alias.name}: import it from qgis.PyQt")
            elif alias.name == "sip":
                alone = len(node.names) == 1
                text = "from qgis.PyQt import sip" + (f" as {alias.asname}" if alias.asname
                                                      else "")
                self.report(node, "pyqt-import", f"import sip -> {text}", node if alone else None,
                            text if alone else None)
            elif alias.name.split(".")[-1] == "resources_rc":
                self.report(node, "resources", "resources_rc (pyrcc5): load icons by file path")

    def check_import_from(self, node: ast.ImportFrom, top_level: bool):
        module = self.absolute(node)
        head = module.split(".")[0]
        if node.level == 0 and head in ("PyQt5", "PyQt6", "sip"):
            new = "qgis.PyQt" + module[len(head):] if head != "sip" else None
            start = self.src.text.index(module, self.src.offset(node.lineno, node.col_offset))
            self.report(node, "pyqt-import", f"from {module} -> from {new or 'qgis.PyQt ?'}",
                        (start, start + len(module)) if new else None, new)
        if module.endswith("resources_rc") or any(a.name == "resources_rc" for a in node.names):
            self.report(node, "resources", "resources_rc (pyrcc5): load icons by file path")
        if module.endswith("qgis_io.compat"):
            for alias in node.names:
                if not self.compat.provides([alias.name]):
                    self.report(node, "compat", f"compat has no {alias.name}")
        if not module.startswith(("qgis.PyQt.", "PyQt5.", "PyQt6.")):
            return
        qt_module = module.split(".")[-1]
        for alias in node.names:
            if alias.name in self.names["qt6_missing_classes"].get(qt_module, ()):
                self.report(node, "removed", f"{qt_module}.{alias.name} is not in Qt6"
                            + HINTS.get(alias.name, ""))
            elif self.names["qt6_moved_classes"].get(alias.name, [None])[0] == qt_module:
                qt6 = self.names["qt6_moved_classes"][alias.name][1]
                fixable = (top_level and alias.asname is None
                           and alias.name in self.compat.qt_classes)
                self.report(node, "moved-qt", f"{alias.name} is in {qt6} in Qt6, {qt_module} "
                            "in Qt5: import it from qgis_io.compat")
                if fixable:
                    self.findings[-1].fixable = True
                    self.moved_away.add(alias.name)
                    self.needed.add(("compat", alias.name, None))

    def check_attribute(self, node: ast.Attribute):
        if node.attr == "exec_":
            self.report(node, "exec", "exec_ -> exec (PyQt5 >= 5.15 and PyQt6)",
                        self.end_of(node, "exec_"), "exec")
        if isinstance(getattr(node, "parent", None), ast.Attribute):
            return   # read once, as the longest chain
        chain, value = [], node
        while isinstance(value, ast.Attribute):
            chain.append(value)
            value = value.value
        if not isinstance(value, ast.Name):
            return
        chain.reverse()   # chain[i] reads root.part0 ... .part_i
        if value.id == "compat" and "compat" not in self.bindings:   # a merge dropped it
            if ("compat", None, None) not in self.needed:
                self.report(node, "compat", "compat is used but not imported")
                self.findings[-1].fixable = True
                self.needed.add(("compat", None, None))
            return
        if self.is_compat(value.id):
            parts = [link.attr for link in chain]
            if not self.compat.provides(parts):
                self.report(node, "compat", f"compat has no {'.'.join(parts[:2])}")
            return
        root = self.root_object(value.id)
        if root is not None:
            self.walk_chain(value, chain, root)

    def walk_chain(self, root_node: ast.Name, chain: list, root):
        objects = [root]
        for i, link in enumerate(chain):
            prev, part = objects[-1], link.attr
            if inspect.ismodule(prev):
                qt_module = prev.__name__.split(".")[-1]
                if part in self.names["qt6_missing_classes"].get(qt_module, ()):
                    self.report(link, "removed", f"{qt_module}.{part} is not in Qt6"
                                + HINTS.get(part, ""))
                    return
                moved = self.names["qt6_moved_classes"].get(part)
                if moved and moved[0] == qt_module and part in self.compat.qt_classes:
                    self.report(link, "moved-qt", f"{qt_module}.{part} is in {moved[1]} in "
                                f"Qt6 -> compat.{part}", link, f"compat.{part}")
                    self.needed.add(("compat", None, self.scope_of(root_node.id)))
                    self.maybe_unused.add(root_node.id)
                    return
            if not hasattr(prev, part):
                if inspect.isclass(prev) or inspect.ismodule(prev):
                    self.report(link, "missing", f"{self.src.segment(link)} is not in QGIS "
                                f"{'.'.join(map(str, running_qgis()))} / this PyQt: go "
                                "through qgis_io/compat.py")
                return
            obj = getattr(prev, part)
            if is_enum_member(obj) and inspect.isclass(prev):
                self.check_member(root_node, chain, objects, i, obj)
                return
            if not (inspect.isclass(obj) or inspect.ismodule(obj)):
                return
            objects.append(obj)

    def check_member(self, root_node, chain, objects, i, value):
        """chain[i] reads the enum member `value` from objects[-1], a class."""
        owner, link, part = objects[-1], chain[i], chain[i].attr
        etype = type(value)
        long_form = f"{etype.__qualname__}.{part}"
        written = self.src.segment(link)
        if etype.__qualname__ == "QVariant.Type":
            new = {v: k for k, v in self.compat.field_types.items()}.get(part)
            self.report(link, "field-type", f"{written}: no QVariant.Type in Qt6 -> "
                        f"compat.FieldType.{new or '?'}", link if new else None,
                        f"compat.FieldType.{new}" if new else None)
            if new:
                self.needed.add(("compat", None, self.scope_of(root_node.id)))
                self.maybe_unused.add(root_node.id)
            return
        new = self.newest_name(owner, part, value, chain, objects, i)
        if new:
            self.report_moved(root_node, link, written, new, long_form)
        elif long_form in self.names["qt6_missing_members"]:
            self.report(link, "removed", f"{written}: {long_form} is not in Qt6"
                        + HINTS.get(part, ""))
        elif owner is not etype and getattr(owner, etype.__name__, None) is etype:
            start, _end = self.end_of(link, part)
            self.report(link, "short-enum", f"{written} -> ...{etype.__name__}.{part}",
                        (start, start), f"{etype.__name__}.")

    def newest_name(self, owner, part, value, chain, objects, i) -> str | None:
        """The newest QGIS's name of this member when what is written differs from it."""
        etype = type(value)
        if isinstance(value, enum.Enum):   # a QGIS with the Python enums (3.30 on)
            qualname = etype.__qualname__
            if part != value.name:
                return f"{qualname}.{value.name}"
            if not qualname.startswith("Qgis."):
                return None
            if owner is etype:   # written Class.Enum.member: which class and enum name?
                written_type = f"{getattr(objects[-2], '__name__', '')}.{chain[i - 1].attr}"
                return None if written_type == qualname else f"{qualname}.{value.name}"
            return None if owner.__name__ == "Qgis" else f"{qualname}.{value.name}"
        owner_name = etype.__qualname__.rsplit(".", 1)[0]
        new = self.names["qgis_moved"].get(f"{owner_name}.{part}")
        return new if new and new != f"{etype.__qualname__}.{part}" else None

    def report_moved(self, root_node, link, written, new, long_form):
        if not self.floor:
            self.report(link, "moved-enum", f"{written} -> {new} (run --fix with QGIS "
                        f"{'.'.join(map(str, floor_version()))} for the replacement)")
            return
        module, obj = qgis_object(new)
        if obj is not None:    # the floor has the new name itself
            text = new
            self.needed.add((module, new.split(".")[0], self.scope_of(root_node.id)))
        else:
            text = f"compat.{enum_namespace(new)}.{new.rsplit('.', 1)[1]}"
            self.needed.add(("compat", None, self.scope_of(root_node.id)))
            if new not in self.compat.enums:
                self.enum_rows[new] = long_form
        self.maybe_unused.add(root_node.id)
        self.report(link, "moved-enum", f"{written} -> {text} (newest QGIS: {new})", link, text)

    def check_signal_overload(self, node: ast.Subscript):
        target, index = node.value, node.slice
        if (isinstance(target, ast.Attribute) and target.attr in STR_SIGNALS
                and isinstance(index, ast.Name) and index.id == "str"):
            new = STR_SIGNALS[target.attr]
            self.report(node, "removed", f"{target.attr}[str]: no str overload in Qt6 -> {new}",
                        node, f"{self.src.segment(target.value)}.{new}")

    def check_call(self, node: ast.Call):
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr == "width" and (self.makes_font_metrics(func.value) or (
                isinstance(func.value, ast.Name) and func.value.id in self.font_metrics)):
            self.report(func, "removed", "QFontMetrics.width is not in Qt6 -> horizontalAdvance",
                        self.end_of(func, "width"), "horizontalAdvance")
        elif func.attr in DEPRECATED_CALLS:
            self.check_deprecated(node)
        elif func.attr == "desktop" and not node.args:
            self.report(func, "removed", "QApplication.desktop() (QDesktopWidget) is not in Qt6"
                        + HINTS["QDesktopWidget"])

    def check_deprecated(self, node: ast.Call):
        """x.method(args) -> compat.function(x, args) for a deprecated QGIS call."""
        func, new = node.func, DEPRECATED_CALLS[node.func.attr]
        args = list(node.args)
        if func.attr == "saveStyleToDatabase":   # compat's has no uiFileContent
            ui = args[3:4] + [k.value for k in node.keywords if k.arg == "uiFileContent"]
            fixable = len(args) <= 4 and all(isinstance(a, ast.Constant) and a.value == ""
                                             for a in ui)
            args, keywords = args[:3], [k for k in node.keywords if k.arg != "uiFileContent"]
        else:
            fixable, keywords = new.startswith("compat."), node.keywords
        text = None
        if fixable and not any(isinstance(a, ast.Starred) for a in args):
            parts = [self.src.segment(func.value)] + [self.src.segment(a) for a in args]
            parts += [self.src.segment(k) for k in keywords]
            text = f"{new}({', '.join(parts)})"
            self.needed.add(("compat", None, None))
        self.report(node, "deprecated", f"{func.attr}() is deprecated in newer QGIS -> {new}",
                    node if text else None, text)

    @staticmethod
    def makes_font_metrics(node) -> bool:
        """QFontMetrics(...), QFontMetricsF(...) or x.fontMetrics()."""
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in FONT_METRICS


def check_ui(path: Path, names: dict, label: str) -> list:
    """Removed Qt classes and enum values in a Designer file, and scoped enum values: uic
    resolves short ones (Qt::AlignLeft, QFrame::NoFrame) in PyQt5 and PyQt6 alike, but PyQt5's
    uic cannot read the scoped form Qt6's Designer writes (QFrame::Shape::NoFrame)."""
    removed = {n for found in names["qt6_missing_classes"].values() for n in found}
    missing = {m.replace(".", "::") for m in names["qt6_missing_members"]}
    missing |= {f"{m.split('.')[0]}::{m.rsplit('.', 1)[1]}" for m in names["qt6_missing_members"]}
    text = path.read_text(encoding="utf-8")
    findings = []
    for element in ET.fromstring(text).iter():
        value = (element.get("class") if element.tag == "widget"
                 else element.text if element.tag in ("enum", "set") else None)
        for item in (value or "").split("|"):
            line = text.count("\n", 0, max(text.find(item), 0)) + 1
            if item in removed or item in missing:
                findings.append(Finding(label, line, "removed", f"{item} is not in Qt6"))
            elif element.tag != "widget" and qt6_fix.UI_SCOPED.fullmatch(item):
                short = qt6_fix.UI_SCOPED.sub(r"\1::\2", item)
                findings.append(Finding(label, line, "ui-scoped", f"{item}: PyQt5's uic reads "
                                        f"only {short}", True))
    return findings


# ------------------------------------------------------------------------------------------
# sources and files
# ------------------------------------------------------------------------------------------

def package_path_of(path: Path):
    try:
        return list(path.resolve().relative_to(PACKAGE).with_suffix("").parts)
    except ValueError:
        return None


def check_source(text: str, label: str = "<text>", package_path=None, names=None,
                 compat: Compat | None = None, floor: bool | None = None) -> Module:
    """One module's source checked: .findings, and the fixes (.edits, .needed ...)."""
    names = names or load_names()
    compat = compat or Compat.read(COMPAT.read_text(encoding="utf-8"))
    floor = running_qgis() == floor_version() if floor is None else floor
    return Module(text, label, package_path, names, compat, floor).check()


def fix_source(text: str, label: str = "<text>", package_path=None, names=None,
               compat: Compat | None = None) -> tuple:
    """(fixed text, {row compat's ENUMS needs}) of one module, on the floor QGIS."""
    rows, original = {}, text
    for _round in range(3):   # a fix can reveal another (a moved import's enum ...)
        module = check_source(text, label, package_path, names, compat, floor=True)
        if not any(f.fixable for f in module.findings):
            break
        rows.update(module.enum_rows)
        fixed = qt6_fix.apply(text, module.edits)
        fixed = qt6_fix.fix_imports(fixed, package_path, module.needed, module.maybe_unused,
                                    module.moved_away)
        if fixed == text:
            break
        text = fixed
    return qt6_fix.wrap_long_lines(text, original), rows


def files(paths, suffix: str) -> list:
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob(f"*{suffix}") if "__pycache__" not in p.parts)
        elif path.suffix == suffix:
            found.append(path)
    return [p for p in found if p.resolve() != COMPAT.resolve()]


def label_of(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def run(paths, fix: bool = False) -> list:
    names = load_names()
    floor = running_qgis() == floor_version()
    if fix and not floor:
        sys.exit(f"--fix needs QGIS {'.'.join(map(str, floor_version()))} (qgisMinimumVersion); "
                 f"this is QGIS {'.'.join(map(str, running_qgis()))}")
    findings = []
    for path in files(paths, ".py"):
        compat = Compat.read(COMPAT.read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        try:
            compile(text, str(path), "exec", ast.PyCF_ONLY_AST)
        except SyntaxError as error:   # a merge gone wrong: nothing else to read in it
            findings.append(Finding(label_of(path), error.lineno or 0, "syntax", error.msg))
            continue
        if fix:
            fixed, rows = fix_source(text, label_of(path), package_path_of(path), names, compat)
            if rows:
                COMPAT.write_text(qt6_fix.add_enum_rows(COMPAT.read_text(encoding="utf-8"),
                                                        rows), encoding="utf-8")
                compat = Compat.read(COMPAT.read_text(encoding="utf-8"))
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                text = fixed
        findings += check_source(text, label_of(path), package_path_of(path), names, compat,
                                 floor).findings
    for path in files(paths, ".ui"):
        if fix:
            text = path.read_text(encoding="utf-8")
            if qt6_fix.fix_ui(text) != text:
                path.write_text(qt6_fix.fix_ui(text), encoding="utf-8")
        findings += check_ui(path, names, label_of(path))
    return findings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(p) for p in DEFAULT_PATHS])
    parser.add_argument("--fix", action="store_true", help="rewrite what has one fix")
    args = parser.parse_args(argv)
    findings = run(args.paths, args.fix)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)" + (" left for a hand fix" if args.fix else ""))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
