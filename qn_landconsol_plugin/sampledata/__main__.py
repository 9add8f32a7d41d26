"""Write the synthetic sample township (parcels, control lines, DEM, household survey).

    python -m qn_landconsol_plugin.sampledata --out DIR [--parcels N] [--seed S]
    python -m qn_landconsol_plugin.sampledata --describe DIR   # summary of a written township

Runs without QGIS: only the pure-Python core is imported.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from . import generate, summarize


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m qn_landconsol_plugin.sampledata",
        description="Generate a synthetic Qiannan karst township (三调 dltb, 三区三线, "
                    "village boundaries, buildings, 10 m DEM, household survey).")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", help="output directory (created if missing)")
    what.add_argument("--describe", metavar="DIR",
                      help="print the summary of a township already written to DIR")
    parser.add_argument("--parcels", type=int, default=3000,
                        help="approximate number of parcels, ~8,000 m² each (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    return parser


def _print_progress(percent: float, message: str) -> None:
    print(f"{percent:5.1f}%  {message}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    """Generate, then print the files written and a short summary."""
    args = _parser().parse_args(argv)
    if args.describe:
        gpkg = os.path.join(args.describe, "township.gpkg")
        _print_summary({"gpkg": gpkg, "dem": os.path.join(args.describe, "dem.tif"),
                        "households": os.path.join(args.describe, "households.csv")})
        return 0
    if args.parcels < 100:
        print("--parcels must be at least 100", file=sys.stderr)
        return 2
    start = time.perf_counter()
    paths = generate(args.out, args.parcels, args.seed,
                     progress=None if args.quiet else _print_progress)
    elapsed = time.perf_counter() - start
    _print_summary(paths)
    print(f"Time       : {elapsed:.1f} s (seed {args.seed})")
    return 0


def _print_summary(paths: dict) -> None:
    info = summarize(paths["gpkg"])
    print(f"GeoPackage : {paths['gpkg']}")
    print(f"DEM        : {paths['dem']}")
    print(f"Households : {paths['households']}")
    print(f"Parcels    : {info['parcels']} in {info['villages']} villages")
    print(f"Area       : {info['area_mu']:,.1f} 亩 ({info['area_km2']:.3f} km²)")
    print(f"Farmland   : {info['farmland_share']:.1%} of the area")


if __name__ == "__main__":
    sys.exit(main())
