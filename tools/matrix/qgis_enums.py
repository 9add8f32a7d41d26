"""QGIS enum names the plugin uses that the running QGIS keeps only as deprecated aliases of a
newer enum (3.44: `QgsWkbTypes.Polygon` is `Qgis.WkbType.Polygon`), found by resolving every
`Qgs…`/`Qgis` attribute chain of the source in this QGIS.
    python tools/matrix/qgis_enums.py qn_landconsol_plugin OUT.txt
OUT.txt: a summary line, then `old -> new: uses, e.g. file:line` per name. On QGIS before the
Python-enum change (3.22) nothing is an alias and the list is empty."""
import enum
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from source_names import NOT_SCANNED, uses  # noqa: E402

QGIS_MODULES = ("qgis.core", "qgis.gui", "qgis.analysis", "qgis._core", "qgis._gui")


def resolve(module, attribute, chain):
    import importlib

    obj = importlib.import_module(module)
    parts = ([attribute] if attribute else []) + chain
    for i, part in enumerate(parts):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            return None, parts[:i + 1]
        if isinstance(obj, enum.Enum):
            return obj, parts[:i + 1]
    return None, parts


def aliases(package: Path) -> dict:
    """{'QgsWkbTypes.Polygon': ('Qgis.WkbType.Polygon', ['file:line', …])}"""
    found = {}
    for path, line, _local, (module, attribute), chain in uses(package, QGIS_MODULES):
        if not chain and not attribute:
            continue
        value, used = resolve(module, attribute, chain)
        if value is None:
            continue
        written = ".".join(used)
        canonical = f"{type(value).__qualname__}.{value.name}"
        if written != canonical:
            found.setdefault(written, (canonical, []))[1].append(
                f"{path.relative_to(package.parent)}:{line}")
    return found


def main(package, out=None):
    from qgis.core import Qgis

    package = Path(package)
    found = aliases(package)
    version = Qgis.QGIS_VERSION.split("-")[0]
    lines = [f"{sum(len(p) for _n, p in found.values())} uses of {len(found)} QGIS enum names "
             f"that QGIS {version} keeps only as aliases of a newer enum (not scanned: "
             f"{', '.join(NOT_SCANNED)}, and `except AttributeError/ImportError` fallbacks)"]
    for written, (canonical, places) in sorted(found.items()):
        lines.append(f"{written} -> {canonical}: {len(places)} use(s), e.g. {places[0]}")
    text = "\n".join(lines) + "\n"
    if out:
        Path(out).write_text(text, encoding="utf-8")
    print(lines[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
