"""GDAL's Python exceptions, switched on only while the plugin's own GDAL calls run.

`gdal.UseExceptions()` is process-wide: called at import it would change how GDAL
reports errors to QGIS and every other plugin. GDAL 3.6 (Debian 12) has no
gdal.ExceptionMgr, hence this context manager; it is counted, so overlapping uses
(the DEM read on a worker thread while the parcels are read) restore the caller's
setting only when the last one ends."""
from __future__ import annotations

import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_before = None


@contextmanager
def gdal_exceptions():
    """Within the block, GDAL errors raise RuntimeError; afterwards GDAL's exception
    mode is what it was before (on or off)."""
    from osgeo import gdal

    global _depth, _before
    with _lock:
        if _depth == 0:
            _before = gdal.GetUseExceptions()
            if not _before:
                gdal.UseExceptions()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and not _before:
                gdal.DontUseExceptions()
