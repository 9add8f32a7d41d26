"""Independent pieces of array work on a few threads. numpy, shapely and GDAL release
the GIL inside their vectorised calls, so strips of a raster or slices of a parcel
array run side by side on a county machine's cores.

Only for pieces that share no GEOS object: shapely's prepared geometries (e.g. the
control-line tiles) are not safe to use from two threads at once."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

MAX_WORKERS = 4


def workers() -> int:
    """Threads to use: the machine's cores, at most MAX_WORKERS (memory grows with each)."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def thread_map(func, items) -> list:
    """[func(item) for item in items], run on workers() threads, results in order."""
    items = list(items)
    n = min(workers(), len(items))
    if n <= 1:
        return [func(item) for item in items]
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(func, items))


def slices(n: int, pieces: int | None = None, minimum: int = 1000) -> list:
    """[slice, ...] cutting range(n) into about `pieces` (default workers()) parts of at
    least `minimum` items."""
    pieces = pieces or workers()
    pieces = max(1, min(pieces, n // max(minimum, 1)))
    bounds = [n * k // pieces for k in range(pieces + 1)]
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
