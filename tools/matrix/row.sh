#!/usr/bin/env bash
# One row of the test matrix, run from a tree's root (a copy inside a chroot, or the host's tree):
#   bash tools/matrix/row.sh OUTDIR [TEST_LOG]
# The README's commands: make setup, make test (as test-core and test-qgis, so one failing does
# not hide the other; TEST_LOG: take the results of a `make test` already run instead), make demo;
# then the versions, and where PyQt6 is installed the dock's .ui loaded with PyQt6. With
# MATRIX_REFERENCE_TOWNSHIP (the host's sample township), the demo's algorithms run once more on
# that very township (demo-ref), so that their figures compare apart from the generator's. Each
# step's output is OUTDIR/<step>.log, its exit status and seconds OUTDIR/<step>.rc.
set -uo pipefail
out=$1
test_log=${2:-}
mkdir -p "$out"
# tests marked xfail only in the matrix (tools/matrix/known_failures.txt, see its header)
if [ "${MATRIX_XFAIL:-1}" != 0 ] && [ -z "$test_log" ]; then
  export PYTHONPATH="$PWD/tools/matrix${PYTHONPATH:+:$PYTHONPATH}"
  export PYTEST_ADDOPTS="-p known_failures ${PYTEST_ADDOPTS:-}"
fi

step() {  # step NAME COMMAND...
  local name=$1 t0=$SECONDS rc; shift
  printf '  %-8s ... ' "$name"
  "$@" > "$out/$name.log" 2>&1
  rc=$?
  echo "$rc $((SECONDS - t0))" > "$out/$name.rc"
  [ "$rc" = 0 ] && echo "ok ($((SECONDS - t0)) s)" || echo "FAILED, exit $rc ($((SECONDS - t0)) s): $out/$name.log"
  return $rc
}

# tools/demo.sh's steps (tools/demo/*.sh, with the environment demo.sh gives them) on a given township
demo_on_township() {  # demo_on_township TOWNSHIP_DIR OUTPUT_DIR
  local out
  out=$(realpath -m "$2")
  rm -rf "$out" && mkdir -p "$out" && cp -a "$1" "$out/township" || return 1
  export DEMO_OUT="$out" QP="$PWD/tools/qgis_process.sh" PY="$PWD/.venv/bin/python"
  export TOWN="$out/township/township.gpkg" DEM="$out/township/dem.tif"
  export HOUSEHOLDS="$out/township/households.csv" QGIS_PLUGINPATH="$PWD" QT_QPA_PLATFORM=offscreen
  "$QP" plugins enable qn_landconsol_plugin > /dev/null 2>&1 || true
  local s
  for s in tools/demo/*.sh; do
    echo "== $(basename "$s" .sh)"
    bash "$s" || return 1
  done
}

step setup make setup || { echo "  setup failed: nothing else can run"; exit 1; }
step versions .venv/bin/python tools/matrix/versions.py "$out/versions.json"
if [ -n "$test_log" ]; then
  cp "$test_log" "$out/test.log" && echo "0 0" > "$out/test.rc"
  echo "  test     ... results of the make test already run ($test_log)"
else
  step test-core make test-core
  step test-qgis make test-qgis
fi
rm -rf demo-output
step demo make demo
[ -d demo-output ] && cp -a demo-output "$out/demo-output"
if [ -n "${MATRIX_REFERENCE_TOWNSHIP:-}" ] && [ -d "$MATRIX_REFERENCE_TOWNSHIP" ]; then
  step demo-ref demo_on_township "$MATRIX_REFERENCE_TOWNSHIP" "$out/demo-ref-output"
fi
step enums .venv/bin/python tools/matrix/qgis_enums.py qn_landconsol_plugin "$out/enums.txt"
if /usr/bin/python3 -c 'import PyQt6.uic' 2>/dev/null; then
  step pyqt6 /usr/bin/python3 tools/matrix/pyqt6_check.py qn_landconsol_plugin
fi
exit 0
