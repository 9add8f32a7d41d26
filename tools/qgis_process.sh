#!/usr/bin/env bash
# Run QGIS's qgis_process.bin headless with this plugin and its Python packages.
#   tools/qgis_process.sh run qnlandconsol:sampledata -- OUTPUT_FOLDER=/tmp/town
# The environment it sets is the whole recipe (see README):
#   QGIS_PLUGINPATH   the repository root (qn_landconsol_plugin/ holds metadata.txt)
#   PYTHONPATH        the venv's site-packages (shapely 2, pandas; QGIS's own Python is /usr/bin/python3)
#   QT_QPA_PLATFORM   offscreen (no display needed)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
site="$(ls -d "$root"/.venv/lib/python3*/site-packages 2>/dev/null | head -n 1)"
export QGIS_PLUGINPATH="$root"
export PYTHONPATH="${site}${PYTHONPATH:+:$PYTHONPATH}"
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec /usr/bin/qgis_process.bin "$@"
