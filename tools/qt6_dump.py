#!/usr/bin/env python3
"""Writes tools/qt6_names.json, the names tools/qt6_check.py cannot learn from QGIS 3.22: which
QGIS enum members newer QGIS renamed (3.44 keeps the old names as deprecated aliases, QGIS 4
drops them) and what PyQt6 lacks of PyQt5 (classes removed or moved, enum values removed).

Run by the newest QGIS of the test matrix, a Debian 13 chroot with QGIS 3.44 (PyQt5) and
python3-pyqt6 (each Qt binding is asked in its own process):
    python3 tools/qt6_dump.py > tools/qt6_names.json
"""
import enum
import importlib
import inspect
import json
import subprocess
import sys

QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtXml", "QtNetwork", "QtPrintSupport", "QtSql",
              "QtSvg")
QGIS_MODULES = ("qgis.core", "qgis.gui", "qgis.analysis")


def is_enum_type(value) -> bool:
    return inspect.isclass(value) and (issubclass(value, enum.Enum)
                                       or type(value).__name__ == "enumtype")


def qt_names(package: str) -> dict:
    """{'classes': {module: [names]}, 'members': ['Class.Enum.Member', ...]} of PyQt5/PyQt6."""
    classes, members = {}, set()
    for module_name in QT_MODULES:
        try:
            module = importlib.import_module(f"{package}.{module_name}")
        except ImportError:
            continue
        classes[module_name] = sorted(n for n in dir(module) if not n.startswith("_"))
        for cls in vars(module).values():
            if not inspect.isclass(cls):
                continue
            for attr in dir(cls):
                try:
                    value = getattr(cls, attr)
                except Exception:  # noqa: BLE001 (some descriptors raise on the class)
                    continue
                if is_enum_type(value) and hasattr(value, "__members__"):   # PyQt6
                    members.update(f"{value.__qualname__}.{m}" for m in value.__members__)
                elif type(type(value)).__name__ == "enumtype":               # PyQt5
                    members.add(f"{type(value).__qualname__}.{attr}")
    return {"classes": classes, "members": sorted(members)}


def qgis_moved() -> dict:
    """{old short name: newest name} of every QGIS enum member this QGIS keeps as an alias
    (QgsWkbTypes.PolygonGeometry: Qgis.GeometryType.Polygon)."""
    moved = {}
    for module_name in QGIS_MODULES:
        module = importlib.import_module(module_name)
        for cls_name, cls in sorted(vars(module).items()):
            if not inspect.isclass(cls) or not cls_name.startswith(("Qgs", "Qgis")):
                continue
            for attr, value in list(vars(cls).items()):
                if not isinstance(value, enum.Enum):
                    continue
                new = f"{type(value).__qualname__}.{value.name}"
                if new != f"{cls_name}.{type(value).__name__}.{attr}":
                    moved[f"{cls_name}.{attr}"] = new
    return moved


def names() -> dict:
    from qgis.core import Qgis

    def ask(package):
        run = subprocess.run([sys.executable, __file__, package], capture_output=True, text=True,
                             check=True)
        return json.loads(run.stdout)

    qt5, qt6 = ask("PyQt5"), ask("PyQt6")
    where6 = {}
    for module_name, found in qt6["classes"].items():
        for name in found:
            where6.setdefault(name, module_name)
    moved_classes, missing_classes = {}, {}
    for module_name, found in qt5["classes"].items():
        if module_name not in qt6["classes"]:
            continue   # that PyQt6 module is not installed: nothing known
        for name in found:
            if name in qt6["classes"][module_name]:
                continue
            if name in where6:
                moved_classes[name] = [module_name, where6[name]]
            else:
                missing_classes.setdefault(module_name, []).append(name)
    known6 = {m.split(".")[0] for m in qt6["members"]}
    members6 = set(qt6["members"])
    return {
        "about": "written by tools/qt6_dump.py in the test matrix's newest QGIS (Debian 13 "
                 "chroot with python3-pyqt6); read by tools/qt6_check.py",
        "qgis": Qgis.QGIS_VERSION,
        "qgis_moved": qgis_moved(),
        "qt6_moved_classes": moved_classes,
        "qt6_missing_classes": missing_classes,
        "qt6_missing_members": sorted(m for m in qt5["members"]
                                      if m not in members6 and m.split(".")[0] in known6),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(qt_names(sys.argv[1])))
    else:
        print(json.dumps(names(), indent=1, sort_keys=True, ensure_ascii=False))
