"""The matrix's table from the rows' result folders (written by row.sh):
    python tools/matrix/report.py OUTPUT_DIR host 3.40 3.44
One line per QGIS: versions, test counts, demo, the demo's parcel figures against the host's
(figures.py) and the PyQt6 check; then what failed, the deprecation warnings and the QGIS enum
names each QGIS keeps only as deprecated aliases. Written to OUTPUT_DIR/summary.txt as well.
Exit 1 when a row's tests, demo or PyQt6 .ui check failed or its figures differ."""
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figures  # noqa: E402

SUMMARY = re.compile(r"^(?:=+ )?((?:\d+ \w+(?:, )?)+) in [\d.]+s")
WARNING = re.compile(r"(\w*DeprecationWarning): (.*)")


def rc(folder: Path, step: str):
    path = folder / f"{step}.rc"
    return int(path.read_text().split()[0]) if path.exists() else None


def seconds(folder: Path, step: str) -> int:
    path = folder / f"{step}.rc"
    return int(path.read_text().split()[1]) if path.exists() else 0


def pytest_counts(log: Path) -> list:
    """[Counter(passed=…, failed=…)] of each pytest run in a log, in order."""
    runs = []
    if log.exists():
        for line in log.read_text(errors="replace").splitlines():
            match = SUMMARY.match(line.strip())
            if match:
                runs.append(collections.Counter({w: int(n) for n, w in
                                                 (p.split() for p in match.group(1).split(", "))}))
    return runs


def counts_text(c) -> str:
    if c is None:
        return "not run"
    order = ("passed", "failed", "error", "errors", "skipped", "xfailed", "xpassed")
    return " ".join(f"{c[k]} {k}" for k in order if c.get(k)) or "0"


def failed_tests(folder: Path) -> list:
    found = []
    for log in sorted(folder.glob("test*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith(("FAILED ", "ERROR ")):
                found.append(line)
    return found


LOCATED = re.compile(r"^\s*(\S+?):(\d+): (\w*Warning): (.*)$")
HEADER = re.compile(r"^(\S+\.py)(::\S+)?(?:: (\d+) warnings?)?$")


def deprecations(folder: Path) -> collections.Counter:
    """Deprecation (and GDAL Future) warnings in a row's logs: {(category, message, where): n}.
    pytest's warnings summary counts each ('file.py: 12 warnings' or one test id per line)."""
    found = collections.Counter()
    for log in sorted(folder.glob("*.log")):
        pending = 0
        for line in log.read_text(errors="replace").splitlines():
            header = HEADER.match(line)
            if header:
                pending += int(header.group(3) or 1)
                continue
            located = LOCATED.match(line)
            if located and ("Deprecation" in located.group(3) or "Future" in located.group(3)):
                where = re.sub(r"^.*?/(qn_landconsol_plugin|tests|tools)/", r"\1/", located.group(1))
                where = where if where.startswith(("qn_landconsol_plugin", "tests", "tools")) \
                    else Path(where).name
                found[(located.group(3), located.group(4).strip()[:120], f"{where}:{located.group(2)}")] \
                    += max(pending, 1)
            if not line.startswith(" "):
                pending = 0
    return found


def known_differences() -> list:
    """[(versions, path prefix, reason)] of 'demo:' lines in known_failures.txt."""
    import known_failures

    return [(v, t[len("demo:"):], r) for v, t, r in known_failures.entries() if t.startswith("demo:")]


def compare(reference: Path, other: Path, folder: Path, name: str, version, skip=(), prefix=""):
    """figures.compare_dirs, its details written to folder/name.txt; the differences that
    known_failures.txt explains (by demo-output path, `prefix` + file) split off."""
    import known_failures

    cmp = figures.compare_dirs(reference, other, skip=skip)
    known = [(start, reason) for versions, start, reason in known_differences()
             if version and known_failures.applies(versions, version)]
    unexplained = [(w, t) for w, t in cmp.differences
                   if not any((prefix + w).startswith(k) for k, _r in known)]
    explained = sorted({r for w, _t in cmp.differences for k, r in known if (prefix + w).startswith(k)})
    detail = [f"DIFFERENT {w}: {t}" for w, t in cmp.differences]
    detail += [f"note      {w}: {t}" for w, t in cmp.notes]
    (folder / f"{name}.txt").write_text("\n".join([figures.summary(cmp), ""] + detail) + "\n",
                                        encoding="utf-8")
    return cmp, unexplained, explained, detail


def row(out: Path, name: str, reference: Path) -> dict:
    folder = out / name
    v = {}
    if (folder / "versions.json").exists():
        v = json.loads((folder / "versions.json").read_text())
    r = {"name": name, "folder": folder, "v": v, "problems": []}
    if rc(folder, "setup") not in (0,):
        r["problems"].append(f"make setup failed (exit {rc(folder, 'setup')}): {folder}/setup.log")
    if (folder / "test.log").exists():
        runs = pytest_counts(folder / "test.log")
        r["core"], r["qgis"] = (runs + [None, None])[:2]
    else:
        r["core"] = (pytest_counts(folder / "test-core.log") or [None])[-1]
        r["qgis"] = (pytest_counts(folder / "test-qgis.log") or [None])[-1]
    for part in ("core", "qgis"):
        c = r[part]
        if c is None or c.get("failed") or c.get("error") or c.get("errors"):
            r["problems"].append(f"{part} tests: {counts_text(c)}")
    r["failed_tests"] = failed_tests(folder)
    r["demo"] = {0: "ok", None: "not run"}.get(rc(folder, "demo"), f"FAILED ({rc(folder, 'demo')})")
    r["demo_s"] = seconds(folder, "demo")
    if r["demo"] != "ok":
        r["problems"].append(f"make demo {r['demo']}: {folder}/demo.log")
    r["township"] = r["algorithms"] = "reference"
    r["figure_lines"] = []
    version = tuple(int(x) for x in v["qgis"].split(".")[:2]) if v.get("qgis") else None
    if name != "host":
        r["township"] = r["algorithms"] = "not run"
        if (folder / "demo-output" / "township").is_dir() and (reference / "township").is_dir():
            cmp, bad, known, detail = compare(reference / "township", folder / "demo-output" / "township",
                                              folder, "figures-township", version, prefix="township/")
            r["township"] = _verdict(cmp, bad, known)
            r["figure_lines"].append(f"sample township (make demo's sampledata) against 3.22's: "
                                     f"{figures.summary(cmp)}" + (f" [known: {'; '.join(known)}]" if known else ""))
            r["figure_lines"] += detail[:8]
            if bad:
                r["problems"].append(f"sample township differs from 3.22's: {folder}/figures-township.txt")
        if (folder / "demo-ref-output").is_dir() and reference.is_dir():
            cmp, bad, known, detail = compare(reference, folder / "demo-ref-output", folder,
                                              "figures-algorithms", version, skip=("township/",))
            r["algorithms"] = _verdict(cmp, bad, known)
            r["figure_lines"].append(f"the demo's algorithms on 3.22's township against 3.22's: "
                                     f"{figures.summary(cmp)}" + (f" [known: {'; '.join(known)}]" if known else ""))
            r["figure_lines"] += detail[:12]
            if bad:
                r["problems"].append(f"the algorithms' figures differ on the same township: "
                                     f"{folder}/figures-algorithms.txt")
        if rc(folder, "demo-ref") not in (0, None):
            r["problems"].append(f"the demo on 3.22's township failed: {folder}/demo-ref.log")
    pyqt6 = rc(folder, "pyqt6")
    r["pyqt6"] = {0: "loads", None: "n/a"}.get(pyqt6, "FAILED")
    if pyqt6 not in (0, None):
        r["problems"].append(f"PyQt6 .ui check failed: {folder}/pyqt6.log")
    r["deprecations"] = deprecations(folder)
    enums = folder / "enums.txt"
    r["enums"] = enums.read_text(encoding="utf-8").splitlines() if enums.exists() else []
    return r


def _verdict(cmp, bad, known) -> str:
    if not cmp.differences:
        return "same"
    return "DIFFERENT" if bad else "differs (known)"


def table(rows) -> str:
    head = ("QGIS", "Python", "numpy", "shapely (its GEOS)", "QGIS GEOS", "GDAL", "core tests",
            "QGIS tests", "demo", "township vs 3.22", "algorithms vs 3.22", "PyQt6 .ui")
    lines = [head]
    for r in rows:
        v = r["v"]
        shapely = f"{v.get('shapely', '?')} {v.get('shapely_from', '')} ({v.get('shapely_geos', '?')})"
        lines.append((v.get("qgis", r["name"]) + (" (host)" if r["name"] == "host" else ""),
                      v.get("python", "?"), f"{v.get('numpy', '?')} {v.get('numpy_from', '')}",
                      shapely, v.get("qgis_geos", "?").split("-")[0], v.get("gdal", "?"),
                      counts_text(r["core"]), counts_text(r["qgis"]), r["demo"], r["township"],
                      r["algorithms"], r["pyqt6"]))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    fmt = lambda line: "| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |"
    return "\n".join([fmt(lines[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [fmt(line) for line in lines[1:]])


def on_host(line: str) -> str:
    """' (3.22 has it)' when the new enum name of an enums.txt line exists in this QGIS."""
    new = line.split(" -> ", 1)[1].split(":", 1)[0] if " -> " in line else ""
    try:
        import qgis.core as core
        from qgis.core import Qgis

        obj = core
        for part in new.split("."):
            obj = getattr(obj, part)
        return f"  [{Qgis.QGIS_VERSION.split('-')[0]} has it]"
    except (ImportError, AttributeError):
        return "  [not in this QGIS: needs a fallback]"


def main(argv):
    out, names = Path(argv[1]), argv[2:]
    reference = out / "host" / "demo-output"
    rows = [row(out, n, reference) for n in names]
    text = ["", "Test matrix (make test-matrix)", "", table(rows), ""]
    for r in rows:
        label = r["v"].get("qgis", r["name"])
        if r["figure_lines"]:
            text.append(f"QGIS {label} demo figures:")
            text += [f"    {d}" for d in r["figure_lines"]]
        for t in r["failed_tests"]:
            text.append(f"QGIS {label}: {t}")
        if r["deprecations"]:
            text.append(f"QGIS {label}: {sum(r['deprecations'].values())} deprecation warnings "
                        f"at {len(r['deprecations'])} places (tests, demo):")
            text += [f"    {n:5d}x {w}: {c}: {m}" for (c, m, w), n in
                     sorted(r["deprecations"].items(), key=lambda kv: (kv[0][2].startswith("tests"), -kv[1]))]
        if r["enums"]:
            text.append(f"QGIS {label}: {r['enums'][0]} ({r['folder']}/enums.txt)")
            if r is rows[-1]:
                text += [f"    {line}{on_host(line)}" for line in r["enums"][1:]]
        pyqt6 = r["folder"] / "pyqt6.log"
        if pyqt6.exists():
            lines = pyqt6.read_text(errors="replace").splitlines()
            text.append(f"QGIS {label} PyQt6 check: " + (lines[-1] if lines else "no output")
                        + f" ({pyqt6})")
    problems = [f"QGIS {r['v'].get('qgis', r['name'])}: {p}" for r in rows for p in r["problems"]]
    text += ["", "Matrix: " + ("all rows pass" if not problems else f"{len(problems)} problem(s)")]
    text += [f"  {p}" for p in problems]
    result = "\n".join(text) + "\n"
    (out / "summary.txt").write_text(result, encoding="utf-8")
    print(result)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
