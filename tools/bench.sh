#!/usr/bin/env bash
# make bench: county-scale sample (300,000 parcels), then each tools/bench/*.py, which
# times this plugin against the QGIS native way in the same run and appends to results.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/bench-output}")"
mkdir -p "$out"
export BENCH_OUT="$out" BENCH_PARCELS="${BENCH_PARCELS:-300000}"
export COUNTY="$out/county/township.gpkg" COUNTY_DEM="$out/county/dem.tif"
if [ ! -s "$COUNTY" ] || [ "$(cat "$out/county/.parcels" 2>/dev/null)" != "$BENCH_PARCELS" ]; then
  echo "== generating county-scale sample ($BENCH_PARCELS parcels)"
  "$root/.venv/bin/python" -m qn_landconsol_plugin.sampledata --out "$out/county" --parcels "$BENCH_PARCELS" --seed 2025
  echo "$BENCH_PARCELS" > "$out/county/.parcels"
fi
: > "$out/results.md"
for b in "$root"/tools/bench/bench_*.py; do
  [ -e "$b" ] || continue
  echo "== $(basename "$b" .py)"
  "$root/.venv/bin/python" "$b"
done
echo; cat "$out/results.md"
