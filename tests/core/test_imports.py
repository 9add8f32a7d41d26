"""The import rule, read from the sources (ast): imports only point down,
core <- qgis_io <- algorithms, ui; algorithms and ui never import each other;
sampledata may use core only; core never imports qgis."""
import ast
from pathlib import Path

import pytest

PACKAGE = "qn_landconsol_plugin"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE
QT = {"qgis", "PyQt5", "PyQt6", "sip", "processing"}
# the package's layers each may import (besides itself and third-party packages);
# translation and dependencies are the plugin's own small helpers (Qt's translator, versions)
ALLOWED = {
    "core": set(),
    "qgis_io": {"core", "translation"},
    "algorithms": {"core", "qgis_io", "sampledata", "translation", "dependencies"},
    "ui": {"core", "qgis_io", "translation", "dependencies"},
    "sampledata": {"core"},
}
NO_QT = {"core", "sampledata"}


def layer_of(module: str) -> str:
    """'qgis_io.parcels' -> 'qgis_io'; top-level modules are their own layer."""
    return module.split(".")[0]


def imported_modules(module: str, text: str, is_package: bool = False):
    """(line, absolute module path) of every import in a module's source, relative ones
    resolved against `module` (a dotted path inside the package, e.g. 'core.areas')."""
    parts = module.split(".") if module else []
    base = parts if is_package else parts[:-1]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.lineno, node.module
                continue
            anchor = base[:len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join([PACKAGE, *anchor, *([node.module] if node.module else [])])
            if node.module is None:      # from . import x, y: each one a module
                for alias in node.names:
                    yield node.lineno, f"{target}.{alias.name}"
            else:
                yield node.lineno, target


def violations(module: str, text: str, is_package: bool = False) -> list:
    """The imports of one module that break the rule, as readable lines."""
    layer = layer_of(module)
    out = []
    for line, target in imported_modules(module, text, is_package):
        top = target.split(".")[0]
        if top == PACKAGE:
            inner = target.split(".")[1] if "." in target else ""
            if layer in ALLOWED and inner != layer and inner not in ALLOWED[layer]:
                out.append(f"{module}:{line} imports {target} ({layer} may not use {inner})")
        elif layer in NO_QT and top in QT:
            out.append(f"{module}:{line} imports {target} ({layer} never imports qgis or Qt)")
    return out


def plugin_modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        yield ".".join(parts), path, is_package


def test_every_module_follows_the_import_rule():
    found = []
    for module, path, is_package in plugin_modules():
        if module.endswith("resources_rc"):
            continue
        found += violations(module, path.read_text(encoding="utf-8"), is_package)
    assert found == []


def test_the_layers_are_there():
    layers = {layer_of(m) for m, _path, _pkg in plugin_modules() if "." in m}
    assert {"core", "qgis_io", "algorithms", "ui"} <= layers


@pytest.mark.parametrize("module, text, why", [
    ("core.areas", "import qgis.core\n", "never imports qgis"),
    ("core.areas", "from qgis.PyQt.QtCore import QVariant\n", "never imports qgis"),
    ("core.areas", "from ..qgis_io import parcels\n", "core may not use qgis_io"),
    ("core.areas", "def f():\n    from ..algorithms.base import QnAlgorithm\n",
     "core may not use algorithms"),
    ("core.areas", "from ..sampledata import generate\n", "core may not use sampledata"),
    ("qgis_io.parcels", "from ..algorithms import base\n", "qgis_io may not use algorithms"),
    ("qgis_io.parcels", "from ..ui.consolidation_dock import ConsolidationDock\n",
     "qgis_io may not use ui"),
    ("algorithms.slope_farmland", "from ..ui import consolidation_dock\n",
     "algorithms may not use ui"),
    ("ui.consolidation_dock", "from ..algorithms.parameters import HouseholdParameters\n",
     "ui may not use algorithms"),
    ("ui.consolidation_dock", "from qn_landconsol_plugin.algorithms import provider\n",
     "ui may not use algorithms"),
    ("sampledata.terrain", "from ..qgis_io import rasters\n", "sampledata may not use qgis_io"),
    ("sampledata.terrain", "import qgis\n", "never imports qgis"),
])
def test_a_planted_violation_is_found(module, text, why):
    found = violations(module, text)
    assert len(found) == 1 and why in found[0]


@pytest.mark.parametrize("module, text", [
    ("core.areas", "from .geometry import repair\nimport numpy as np\nfrom osgeo import osr\n"),
    ("qgis_io.parcels", "from ..core.geometry import repair\nfrom . import fast_paths\n"
                        "from qgis.core import QgsFeature\nfrom ..translation import tr\n"),
    ("algorithms.slope_farmland", "from ..qgis_io.parcels import read_parcels\n"
                                  "from ..core import slope\nfrom .base import QnAlgorithm\n"),
    ("ui.consolidation_dock", "from ..qgis_io import styles\nfrom ..core import task_types\n"),
    ("sampledata.terrain", "from ..core.areas import ellipsoidal_area\nfrom . import site\n"),
])
def test_imports_that_point_down_are_allowed(module, text):
    assert violations(module, text) == []


def test_long_modules_say_why_at_their_top():
    """No module over ~500 lines without a reason written in its docstring ("Why ...")."""
    unexplained = []
    for path in sorted(ROOT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 520:
            doc = ast.get_docstring(ast.parse(text)) or ""
            if "Why" not in doc:
                unexplained.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
    assert not unexplained, unexplained
