"""Shared bench plumbing: run an algorithm (ours or QGIS native) in a fresh QGIS
process and measure wall time and peak memory, and record a result line.

Each bench_*.py compares this plugin with the native way of doing the same job,
in the same run, on the county-scale sample ($COUNTY, $COUNTY_DEM)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench-output"))
COUNTY = os.environ.get("COUNTY", str(OUT / "county" / "township.gpkg"))
COUNTY_DEM = os.environ.get("COUNTY_DEM", str(OUT / "county" / "dem.tif"))

_RUNNER = r"""
import json, sys, time
from qgis.core import QgsApplication, QgsProcessingFeedback, QgsProcessingContext
app = QgsApplication([], False); app.initQgis()
sys.path.append('/usr/share/qgis/python/plugins')
from processing.core.Processing import Processing
Processing.initialize()
import qn_landconsol_plugin
_plugin = qn_landconsol_plugin.classFactory(None)  # keep alive: it owns the provider
_plugin.initProcessing()
import processing
alg, params = sys.argv[1], json.loads(sys.argv[2])
steps = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
t0 = time.perf_counter()
if steps:  # a native chain: [[alg, params], ...], "@k.OUTPUT" refers to step k's output
    results = []
    for a, p in steps:
        p = {k: (results[int(v[1:].split('.')[0])][v.split('.')[1]] if isinstance(v, str) and v.startswith('@') else v) for k, v in p.items()}
        results.append(processing.run(a, p))
else:
    processing.run(alg, params)
print('SECONDS', time.perf_counter() - t0)
import resource
print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(alg: str, params: dict, steps=None) -> tuple[float, float]:
    """(seconds of the algorithm itself, peak RSS MB of the process) in a fresh process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-c", _RUNNER, alg, json.dumps(params)]
    if steps:
        cmd.append(json.dumps(steps))
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{alg} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    seconds = float(next(l for l in proc.stdout.splitlines() if l.startswith("SECONDS")).split()[1])
    peak_kb = float(next(l for l in proc.stdout.splitlines() if l.startswith("PEAK_KB")).split()[1])
    return seconds, peak_kb / 1024.0


def record(name: str, ours: tuple, native: tuple, note: str = ""):
    """Append one result line to results.md and print it."""
    if native is None:      # no native way of doing the same job: our time only
        ratio = None
        line = f"| {name} | {ours[0]:.1f} s | – | – | {ours[1]:.0f} MB | {note} |"
    else:
        ratio = native[0] / ours[0] if ours[0] > 0 else float("inf")
        line = (f"| {name} | {ours[0]:.1f} s | {native[0]:.1f} s | **{ratio:.1f}×** | "
                f"{ours[1]:.0f} MB | {note} |")
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "results.md", "a", encoding="utf-8") as f:
        f.write(line + "\n")
    print(line, flush=True)
    return ratio


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result
