"""Shared test setup: the repository root on sys.path, real-data locations."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# ../shared/realdata beside the clone (CI lays shared/ next to it); override with QN_REALDATA
REALDATA = Path(os.environ.get("QN_REALDATA", ROOT.parent / "shared" / "realdata"))


def realdata(*parts) -> Path:
    """Path of a real-data file, skipping the test with a clear reason when absent."""
    import pytest

    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not found: {path} (set QN_REALDATA to ../shared/realdata)")
    return path


def plane_dem(rows: int, cols: int, cell: float, slope_deg: float, aspect_deg: float = 0.0,
              z0: float = 100.0):
    """A tilted plane of known slope: rises towards `aspect_deg` (0 = north, 90 = east)."""
    import numpy as np

    g = np.tan(np.radians(slope_deg))
    a = np.radians(aspect_deg)
    yy, xx = np.mgrid[0:rows, 0:cols]
    east, north = xx * cell, -yy * cell
    return (z0 + g * (east * np.sin(a) + north * np.cos(a))).astype(np.float64)
