"""The versions a matrix row runs with, as JSON: QGIS, Python, numpy, shapely and the GEOS each
uses, GDAL, Qt/PyQt, pytest-qgis.   python tools/matrix/versions.py OUT.json"""
import json
import platform
import sys
from importlib import metadata


def versions() -> dict:
    from qgis.core import Qgis

    found = {"qgis": Qgis.QGIS_VERSION.split("-")[0], "python": platform.python_version()}
    try:
        found["qgis_geos"] = Qgis.geosVersion()
    except AttributeError:  # older than 3.20
        found["qgis_geos"] = ""
    import numpy
    import shapely
    from osgeo import gdal
    from qgis.PyQt.QtCore import PYQT_VERSION_STR, QT_VERSION_STR

    found.update(numpy=numpy.__version__, shapely=shapely.__version__,
                 shapely_geos=shapely.geos_version_string, gdal=gdal.__version__,
                 qt=QT_VERSION_STR, pyqt=PYQT_VERSION_STR,
                 shapely_from=_origin(shapely.__file__), numpy_from=_origin(numpy.__file__))
    for dist in ("pytest", "pytest-qgis", "pandas", "openpyxl"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = ""
    return found


def _origin(path: str) -> str:
    """'venv' for a pip wheel in .venv, 'debian' for a python3-* package."""
    return "venv" if f"{sys.prefix}/" in path and sys.prefix != sys.base_prefix else "debian"


if __name__ == "__main__":
    text = json.dumps(versions(), indent=1)
    print(text)
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as fh:
            fh.write(text)
