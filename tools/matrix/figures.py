"""The demo's parcel figures of two `make demo` output folders compared: feature counts,
every attribute of every feature (flags, classes, counts exactly; areas and other measures
within what a different GEOS legitimately changes), geometry areas, the CSV tables, the Excel
sheets and the declaration TXT files.
    python tools/matrix/figures.py REFERENCE_DIR OTHER_DIR [DETAILS_FILE]
Prints one summary line; the details (every difference) go to DETAILS_FILE or stdout. Exit 0
when the figures are the same within tolerance, 1 when they differ.

Tolerance, and why: a measure (REAL field, CSV number, Excel cell) may differ by one unit of
the last decimal it is written or shown with (a rounding flip of a value on the edge; an Excel
cell by its number format, e.g. '0.00') plus 1e-9 of its size (floating-point noise of a
different GEOS/GDAL); a geometry's area by 1e-9 relative. Vertex counts and ring start points may
differ (GEOS overlay/union output order): reported as notes, not differences. QGIS's own style
table (layer_styles: QML/SLD text and time written by each QGIS version) is compared by which
styles it holds only. Everything else (counts, codes, flags, text) must be equal."""
import collections
import csv
import datetime
import re
import sys
from pathlib import Path

from osgeo import gdal, ogr

ogr.UseExceptions()
gdal.PushErrorHandler("CPLQuietErrorHandler")  # e.g. QGIS's update_time format in layer_styles
REL = 1e-9
# QGIS's own style table in a GeoPackage: its QML/SLD text is written differently by each QGIS
# version, update_time is the clock; compared: which styles there are
STYLE_TABLE, STYLE_FIELDS = "layer_styles", ("f_table_name", "f_geometry_column", "styleName", "useAsDefault")
SKIP_SUFFIXES = {".html", ".pdf", ".png", ".log", ".tif", ".xml", ".qml", ".gpkg-shm", ".gpkg-wal"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"^[+-]?[\d,]*\.?\d+(e[+-]?\d+)?$", re.I)


class Comparison:
    def __init__(self):
        self.differences = []   # (file, text): figures that are not the same
        self.notes = []         # (file, text): legitimate GEOS changes, said but not failing
        self.checked = collections.Counter()

    def differ(self, where, text):
        self.differences.append((where, text))

    def note(self, where, text):
        self.notes.append((where, text))


def decimals(text: str) -> int:
    """Decimals a number is written with ('1386.59' -> 2, '3' -> 0, '1e-05' -> 10)."""
    text = text.strip().lower()
    if "e" in text:
        return 10
    return len(text.split(".")[1]) if "." in text else 0


def close(a: float, b: float, places: int) -> bool:
    unit = 10.0 ** -min(places, 10) if places < 10 else 0.0
    return abs(a - b) <= unit * 1.0000001 + REL * max(abs(a), abs(b), 1.0)


def float_places(values) -> int:
    """Decimals the REAL values of a field carry (rounded by the plugin, or full doubles: 10)."""
    places = 0
    for v in values:
        if v is None:
            continue
        text = repr(float(v))
        places = max(places, decimals(text))
        if places >= 10:
            break
    return places


# ---- GeoPackage layers --------------------------------------------------------------------------
def read_layer(layer):
    defn = layer.GetLayerDefn()
    fields = [(defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetType())
              for i in range(defn.GetFieldCount())]
    rows, geoms = [], []
    for f in layer:
        rows.append([f.GetField(i) for i in range(len(fields))])
        g = f.GetGeometryRef()
        if g is None:
            geoms.append(None)
        else:
            geoms.append((g.GetArea() if g.GetDimension() == 2 else g.Length(),
                          g.GetGeometryName(), len(g.ExportToWkb())))
    return fields, rows, geoms


def keyed(fields, rows):
    """Rows by BSM when it is a unique key, else by order."""
    names = [n for n, _t in fields]
    for key in ("BSM", "TBBH", "LP_BH", "XMBH"):
        if key in names:
            i = names.index(key)
            keys = [r[i] for r in rows]
            if None not in keys and len(set(keys)) == len(keys):
                return key, dict(zip(keys, range(len(rows))))
    return "order", {n: n for n in range(len(rows))}


def compare_layer(cmp, where, ref, other, only_fields=None):
    (f1, r1, g1), (f2, r2, g2) = ref, other
    cmp.checked["layers"] += 1
    if len(r1) != len(r2):
        cmp.differ(where, f"features: {len(r1)} vs {len(r2)}")
    names1, names2 = [n for n, _ in f1], [n for n, _ in f2]
    if names1 != names2:
        cmp.differ(where, f"fields differ: only in reference {sorted(set(names1) - set(names2))}, "
                          f"only in other {sorted(set(names2) - set(names1))}")
    key, index1 = keyed(f1, r1)
    if key == "order":
        index2 = {n: n for n in range(len(r2))}
    else:
        column = names2.index(key) if key in names2 else None
        index2 = {} if column is None else {r[column]: i for i, r in enumerate(r2)}
    common = [k for k in index1 if k in index2]
    missing = len(index1) - len(common)
    if missing:
        cmp.differ(where, f"{missing} features of the reference (by {key}) missing")
    for j, (name, ftype) in enumerate(f1):
        if name not in names2 or (only_fields and name not in only_fields):
            continue
        j2 = names2.index(name)
        pairs = [(r1[index1[k]][j], r2[index2[k]][j2], k) for k in common]
        cmp.checked["values"] += len(pairs)
        if ftype == ogr.OFTReal:
            places = float_places(a for a, _b, _k in pairs)
            bad = [(a, b, k) for a, b, k in pairs
                   if (a is None) != (b is None) or (a is not None and not close(a, b, places))]
            if bad:
                worst = max(bad, key=lambda t: abs((t[0] or 0) - (t[1] or 0)))
                cmp.differ(where, f"{name}: {len(bad)} of {len(pairs)} values differ beyond "
                                  f"tolerance, largest at {key} {worst[2]}: {worst[0]} vs {worst[1]}")
            else:
                tiny = sum(1 for a, b, _k in pairs if a != b)
                if tiny:
                    cmp.note(where, f"{name}: {tiny} values differ within tolerance "
                                    f"(max {max(abs((a or 0) - (b or 0)) for a, b, _k in pairs):.3g})")
        else:
            bad = [(a, b, k) for a, b, k in pairs if a != b and not (isinstance(a, str) and DATE.match(a or ""))]
            if bad:
                changes = collections.Counter((a, b) for a, b, _k in bad)
                shown = ", ".join(f"{a!r}->{b!r} x{n}" for (a, b), n in changes.most_common(6))
                cmp.differ(where, f"{name}: {len(bad)} features differ ({shown}), e.g. {key} {bad[0][2]}")
    # geometry: area (or length) per feature; vertex count only noted
    area_bad, size_diff = [], 0
    for k in common:
        a, b = g1[index1[k]], g2[index2[k]]
        if (a is None) != (b is None):
            area_bad.append(k)
        elif a is not None:
            if not close(a[0], b[0], 10) or a[1] != b[1]:
                area_bad.append(k)
            elif a[2] != b[2]:
                size_diff += 1
    if area_bad:
        cmp.differ(where, f"geometry area/type differs for {len(area_bad)} features, e.g. {key} {area_bad[0]}")
    if size_diff:
        cmp.note(where, f"{size_diff} geometries have another vertex count (same area, type)")


def compare_gpkg(cmp, where, path1, path2):
    ds1, ds2 = ogr.Open(str(path1)), ogr.Open(str(path2))
    names1 = [ds1.GetLayer(i).GetName() for i in range(ds1.GetLayerCount())]
    names2 = [ds2.GetLayer(i).GetName() for i in range(ds2.GetLayerCount())]
    if names1 != names2:
        cmp.differ(where, f"layers {names1} vs {names2}")
    for name in names1:
        if name in names2:
            compare_layer(cmp, f"{where}:{name}", read_layer(ds1.GetLayerByName(name)),
                          read_layer(ds2.GetLayerByName(name)),
                          STYLE_FIELDS if name == STYLE_TABLE else None)


# ---- tables -----------------------------------------------------------------------------------
def compare_cells(cmp, where, rows1, rows2, formats=None):
    """Cells equal; numbers within one unit of the decimals they are shown with (a CSV's text,
    an Excel cell's number format, e.g. '0.00') plus 1e-9 relative."""
    if len(rows1) != len(rows2):
        cmp.differ(where, f"rows: {len(rows1)} vs {len(rows2)}")
    bad = []
    for i, (a_row, b_row) in enumerate(zip(rows1, rows2)):
        if len(a_row) != len(b_row):
            bad.append(f"row {i + 1}: {len(a_row)} vs {len(b_row)} cells")
            continue
        for j, (a, b) in enumerate(zip(a_row, b_row)):
            cmp.checked["values"] += 1
            if a == b:
                continue
            if isinstance(a, (datetime.date, datetime.datetime)) or DATE.match(str(a)):
                continue
            sa, sb = str(a).strip(), str(b).strip()
            if NUMBER.match(sa) and NUMBER.match(sb):
                fa, fb = float(sa.replace(",", "")), float(sb.replace(",", ""))
                if formats is not None:
                    places = shown_decimals(formats[i][j])
                else:
                    places = min(decimals(sa), decimals(sb))
                if close(fa, fb, places):
                    continue
            bad.append(f"row {i + 1} col {j + 1}: {a!r} vs {b!r} ({a_row[:2]})")
    if bad:
        cmp.differ(where, f"{len(bad)} cells differ: " + "; ".join(bad[:5]))


def shown_decimals(number_format: str) -> int:
    """Decimals an Excel number format shows ('0.00' -> 2, '#,##0' -> 0, 'General' -> all: 10)."""
    if not number_format or number_format == "General":
        return 10
    part = number_format.split(";")[0]
    return len(part.split(".")[1].rstrip("%")) if "." in part else 0


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def compare_xlsx(cmp, where, path1, path2):
    from openpyxl import load_workbook

    wb1, wb2 = load_workbook(path1, data_only=True), load_workbook(path2, data_only=True)
    if wb1.sheetnames != wb2.sheetnames:
        cmp.differ(where, f"sheets {wb1.sheetnames} vs {wb2.sheetnames}")
    for name in wb1.sheetnames:
        if name in wb2.sheetnames:
            rows1 = list(wb1[name].iter_rows())
            compare_cells(cmp, f"{where}[{name}]", [[c.value for c in r] for r in rows1],
                          [[c.value for c in r] for r in wb2[name].iter_rows()],
                          formats=[[c.number_format for c in r] for r in rows1])


def read_txt(path):
    """Declaration TXT: header (no date), parcel lines, and each parcel's points as a multiset."""
    text = Path(path).read_bytes().decode("gbk", errors="replace")
    header, parcels = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("数据产生日期"):
            continue
        if line.endswith("@"):
            parcels.append([line, []])
        elif parcels and re.match(r"^J\d+,", line):
            parcels[-1][1].append(line.split(",", 1)[1])
        else:
            header.append(line)
    return header, parcels


def compare_txt(cmp, where, path1, path2):
    (h1, p1), (h2, p2) = read_txt(path1), read_txt(path2)
    if h1 != h2:
        cmp.differ(where, f"header differs: {sorted(set(h1) ^ set(h2))[:4]}")
    if len(p1) != len(p2):
        cmp.differ(where, f"parcels: {len(p1)} vs {len(p2)}")
    for (line1, pts1), (line2, pts2) in zip(p1, p2):
        cmp.checked["values"] += len(pts1) + 1
        if line1 != line2:
            cmp.differ(where, f"parcel line {line1!r} vs {line2!r}")
        rings1 = collections.Counter(p.split(",")[0] for p in pts1)
        rings2 = collections.Counter(p.split(",")[0] for p in pts2)
        if rings1 != rings2 or len(pts1) != len(pts2):
            cmp.differ(where, f"{line1.split(',')[2]}: points per ring {dict(rings1)} vs {dict(rings2)}")
        elif pts1 != pts2:
            if collections.Counter(pts1) == collections.Counter(pts2):
                cmp.note(where, f"{line1.split(',')[2]}: same boundary points, another start/order")
            else:
                moved = len(collections.Counter(pts1) - collections.Counter(pts2))
                cmp.differ(where, f"{line1.split(',')[2]}: {moved} boundary points differ")


def compare_dirs(ref: Path, other: Path, skip=()) -> Comparison:
    """Every figure of the files in ref (but those under a `skip` prefix) against other's."""
    cmp = Comparison()
    files1 = {p.relative_to(ref).as_posix() for p in ref.rglob("*") if p.is_file()}
    files1 = {f for f in files1 if not f.startswith(tuple(skip))}
    files2 = {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    wanted = sorted(f for f in files1 if Path(f).suffix.lower() not in SKIP_SUFFIXES)
    for name in sorted(f for f in wanted if f not in files2):
        cmp.differ(name, "missing in the other output")
    # the sample township first: a difference there explains the ones after it
    wanted.sort(key=lambda f: (not f.startswith("township/"), f))
    for name in wanted:
        if name not in files2:
            continue
        path1, path2 = ref / name, other / name
        suffix = path1.suffix.lower()
        cmp.checked["files"] += 1
        if suffix == ".gpkg":
            compare_gpkg(cmp, name, path1, path2)
        elif suffix == ".csv":
            compare_cells(cmp, name, read_csv(path1), read_csv(path2))
        elif suffix == ".xlsx":
            compare_xlsx(cmp, name, path1, path2)
        elif suffix == ".txt":
            compare_txt(cmp, name, path1, path2)
        else:
            cmp.checked["files"] -= 1
    return cmp


def summary(cmp: Comparison) -> str:
    c = cmp.checked
    if not cmp.differences:
        return (f"same ({c['files']} files, {c['layers']} layers, {c['values']:,} values"
                + (f"; {len(cmp.notes)} GEOS notes)" if cmp.notes else ")"))
    files = sorted({w.split(":")[0].split("[")[0] for w, _t in cmp.differences})
    township = any(f.startswith("township/") for f in files)
    return (f"DIFFERENT in {len(files)} of {c['files']} files"
            + (" (starting with the sample township itself)" if township else "")
            + f": {', '.join(files[:4])}{' ...' if len(files) > 4 else ''}")


def main(argv):
    ref, other = Path(argv[1]), Path(argv[2])
    cmp = compare_dirs(ref, other)
    lines = [f"demo figures: {other} against {ref}", summary(cmp), ""]
    lines += [f"DIFFERENT {w}: {t}" for w, t in cmp.differences]
    lines += [f"note      {w}: {t}" for w, t in cmp.notes]
    text = "\n".join(lines) + "\n"
    if len(argv) > 3:
        Path(argv[3]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(summary(cmp))
    return 1 if cmp.differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
