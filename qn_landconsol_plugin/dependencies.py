"""Python packages the plugin needs beyond QGIS, checked once with a clear message."""
from importlib import import_module

# module -> (minimum version, pip name)
REQUIRED = {"numpy": ("1.20", "numpy"), "shapely": ("2.0", "shapely"),
            "pandas": ("1.3", "pandas")}


def _version_tuple(text: str):
    parts = []
    for piece in str(text).split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def missing_dependencies() -> list:
    """[(module, found version or None, minimum)] of every unmet requirement."""
    missing = []
    for module, (minimum, _pip) in REQUIRED.items():
        try:
            found = import_module(module).__version__
        except ImportError:
            missing.append((module, None, minimum))
            continue
        if _version_tuple(found) < _version_tuple(minimum):
            missing.append((module, found, minimum))
    return missing


def dependency_message() -> str:
    """English explanation of what is missing and how to install it, '' when all is fine."""
    missing = missing_dependencies()
    if not missing:
        return ""
    items = ", ".join(f"{m} >= {minimum} (found {found or 'none'})" for m, found, minimum in missing)
    pips = " ".join(f"'{REQUIRED[m][1]}>={minimum}'" for m, _f, minimum in missing)
    return (f"This plugin needs {items}. Install it into the Python that QGIS uses, "
            f"e.g. from the OSGeo4W shell or a terminal: python -m pip install {pips}")
