#!/usr/bin/env bash
# make demo: generate the sample township, then run every algorithm through
# qgis_process.bin headless (tools/qgis_process.sh, the README's recipe) into $1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/demo-output}")"
mkdir -p "$out"
export DEMO_OUT="$out" QP="$root/tools/qgis_process.sh" PY="$root/.venv/bin/python"
export TOWN="$out/township/township.gpkg" DEM="$out/township/dem.tif" HOUSEHOLDS="$out/township/households.csv"

# exits 1 with "Plugin is already enabled!" on later runs: that is fine
"$QP" plugins enable qn_landconsol_plugin >/dev/null 2>&1 || true
echo "== 示例乡镇 sample township (qnlandconsol:sampledata)"
"$QP" run qnlandconsol:sampledata -- OUTPUT_FOLDER="$out/township" PARCELS=3000 SEED=1 > "$out/sampledata.log"
"$PY" -m qn_landconsol_plugin.sampledata --describe "$out/township"

for step in "$root"/tools/demo/*.sh; do
  [ -e "$step" ] || continue
  echo "== $(basename "$step" .sh)"
  bash "$step"
done
echo
echo "Demo outputs in $out:"
find "$out" -maxdepth 1 -type f -newer "$out/sampledata.log" -printf '  %f\n' | sort
