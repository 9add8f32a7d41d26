"""pytest plugin for the test matrix only: the tests listed in known_failures.txt are marked
xfail(strict=False) on the QGIS versions named there, with the reason given there."""
import re
from pathlib import Path

import pytest

LIST = Path(__file__).with_name("known_failures.txt")
ROOT = Path(__file__).resolve().parents[2]


def entries():
    """[(version test, 'tests/…py::name', reason)] from known_failures.txt."""
    found = []
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            versions, test, reason = line.split(None, 2)
            found.append((versions, test, reason.strip()))
    return found


def qgis_version():
    try:
        from qgis.core import Qgis
    except ImportError:
        return None
    return tuple(int(x) for x in Qgis.QGIS_VERSION.split("-")[0].split(".")[:2])


def applies(versions: str, found) -> bool:
    """'>=3.40', '3.44', '<3.44', 'all' against the QGIS found."""
    if versions == "all":
        return True
    match = re.fullmatch(r"(>=|<=|<|>|==)?(\d+)\.(\d+)", versions)
    if not match or found is None:
        raise ValueError(f"{LIST.name}: cannot read the QGIS versions {versions!r}")
    op, wanted = match.group(1) or "==", (int(match.group(2)), int(match.group(3)))
    return {"==": found == wanted, ">=": found >= wanted, "<=": found <= wanted,
            ">": found > wanted, "<": found < wanted}[op]


def pytest_collection_modifyitems(config, items):
    listed = entries()
    if not listed:
        return
    found = qgis_version()
    for item in items:
        path = Path(str(item.path)).resolve().relative_to(ROOT).as_posix()
        name = item.name.split("[")[0]
        for versions, test, reason in listed:
            if test == f"{path}::{name}" and applies(versions, found):
                item.add_marker(pytest.mark.xfail(strict=False, reason=f"matrix: {reason}"))
