"""Qt6 check of the test matrix (run by /usr/bin/python3 where python3-pyqt6 is installed):
every .ui file of the plugin loaded with PyQt6.uic.loadUi (QGIS's custom widgets stood in by
their Qt base classes, since QGIS's own qgis.gui is built for Qt5 here), and every name the
plugin takes from qgis.PyQt resolved in PyQt6 as QGIS 4 maps qgis.PyQt.X to PyQt6.X.
    python3 tools/matrix/pyqt6_check.py qn_landconsol_plugin
Exit 1 when a .ui file does not load; names missing from PyQt6 are listed (the Qt6 port's
to-do list), not failed on."""
import importlib
import json
import os
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from source_names import NOT_SCANNED, uses  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PyQt6 import QtCore, QtWidgets, uic  # noqa: E402

# names QGIS 4's qgis.PyQt modules add to PyQt6's (python/PyQt/PyQt6/*.py)
QGIS_ADDITIONS = {"QtCore": {"NULL"}}


STOOD_IN = []  # (widget class, QGIS-only setter) the stand-ins accepted without checking
QGIS_OWN = {}  # widget class -> the methods QGIS adds to its Qt base class (from the Qt5 QGIS here)


def qgis_own_methods(widgets: dict) -> dict:
    """{QGIS widget: methods it has beyond its Qt base}, asked of this machine's (Qt5) QGIS in
    another process (PyQt5 and PyQt6 cannot share one); {} when there is no QGIS."""
    code = ("import json, sys\nfrom qgis import gui\nfrom qgis.PyQt import QtWidgets\n"
            "w = json.loads(sys.argv[1])\n"
            "print(json.dumps({k: sorted(set(dir(getattr(gui, k))) - set(dir(getattr(QtWidgets, b))))"
            " for k, b in w.items() if hasattr(gui, k)}))")
    run = subprocess.run([sys.executable, "-c", code, json.dumps(widgets)], capture_output=True,
                         text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        return {k: set(v) for k, v in json.loads(run.stdout.strip().splitlines()[-1]).items()}
    except (ValueError, IndexError):
        return {}


def _qgis_setter(self, name):
    """A setter QGIS adds to its widget (setCollapsed …) is QGIS's to check, not Qt6's: accepted
    when this machine's QGIS has it (any set… when there is no QGIS to ask)."""
    own = QGIS_OWN.get(type(self).__name__)
    if name.startswith("set") and (own is None or name in own):
        STOOD_IN.append((type(self).__name__, name))
        return lambda *args: None
    raise AttributeError(f"{type(self).__name__} (a {type(self).__mro__[1].__name__} in PyQt6) has no {name}")


def stand_in_qgis_widgets(ui_files):
    """A qgis.gui module whose QGIS widgets are their Qt base classes (from <customwidgets>)."""
    gui = types.ModuleType("qgis.gui")
    widgets = {w.findtext("class"): w.findtext("extends")
               for ui in ui_files for w in ET.parse(ui).getroot().iter("customwidget")}
    QGIS_OWN.update(qgis_own_methods(widgets))
    for name, base in widgets.items():
        setattr(gui, name, type(name, (getattr(QtWidgets, base),), {"__getattr__": _qgis_setter}))
    qgis = types.ModuleType("qgis")
    qgis.gui = gui
    sys.modules.update({"qgis": qgis, "qgis.gui": gui})


def load_ui(ui: Path) -> str:
    root = ET.parse(ui).getroot().find("widget")
    widget = getattr(QtWidgets, root.get("class"))()
    uic.loadUi(str(ui), widget)
    return f"{ui.name}: loads into {root.get('class')} ({len(widget.findChildren(QtWidgets.QWidget))} widgets)"


def resolve(module: str, attribute, chain):
    """None when module.attribute.chain exists in PyQt6, else the first part that does not."""
    qt_module = module.split(".")[-1] if module.startswith("qgis.PyQt.") else None
    try:
        if qt_module:
            obj = importlib.import_module(f"PyQt6.{qt_module}")
        elif module == "qgis.PyQt":
            obj = importlib.import_module("PyQt6")
        else:
            return None
    except ImportError:
        return f"module PyQt6.{qt_module}"
    path = f"PyQt6.{qt_module}" if qt_module else "PyQt6"
    for part in ([attribute] if attribute else []) + chain:
        if part in QGIS_ADDITIONS.get(qt_module, ()) and obj.__name__.startswith("PyQt6."):
            return None
        if not hasattr(obj, part):
            if isinstance(obj, types.ModuleType) and part[0].isupper():
                return f"{path}.{part}"
            if not isinstance(obj, type) and not isinstance(obj, types.ModuleType):
                return None  # an instance/function attribute: not checked here
            return f"{path}.{part}"
        obj = getattr(obj, part)
        path = f"{path}.{part}"
    return None


def where_else(name: str) -> str:
    for mod in ("QtCore", "QtGui", "QtWidgets"):
        if hasattr(importlib.import_module(f"PyQt6.{mod}"), name):
            return f" (it is in PyQt6.{mod})"
    return ""


def main(package):
    package = Path(package)
    app = QtWidgets.QApplication(sys.argv[:1])  # noqa: F841
    print(f"PyQt6 {QtCore.PYQT_VERSION_STR}, Qt {QtCore.QT_VERSION_STR}")
    ui_files = sorted(package.rglob("*.ui"))
    stand_in_qgis_widgets(ui_files)
    failed = 0
    for ui in ui_files:
        try:
            print(load_ui(ui))
        except Exception as exc:  # noqa: BLE001 (any failure of loadUi is the finding)
            failed += 1
            print(f"{ui.name}: DOES NOT LOAD with PyQt6: {type(exc).__name__}: {exc}")
    missing = {}
    for path, line, local, (module, attribute), chain in uses(package, ("qgis.PyQt",)):
        gone = resolve(module, attribute, chain)
        if gone:
            text = ".".join([local] + chain)
            hint = where_else(gone.rsplit(".", 1)[-1]) if not chain else ""
            missing.setdefault(f"{gone}{hint}", []).append(f"{path.relative_to(package.parent)}:{line} {text}")
    for widget, setter in sorted(set(STOOD_IN)):
        print(f"  ({widget}.{setter} is QGIS's own (Qt5 QGIS has it): not checked, no Qt6 QGIS here)")
    for name, places in sorted(missing.items()):
        print(f"not in PyQt6: {name}: {len(places)} use(s), e.g. {places[0]}")
    print(f"{len(ui_files) - failed} of {len(ui_files)} .ui files load with PyQt6; "
          f"{sum(len(p) for p in missing.values())} uses of {len(missing)} qgis.PyQt names "
          f"that PyQt6 lacks (not scanned: {', '.join(NOT_SCANNED)}, and `except ImportError` fallbacks)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
