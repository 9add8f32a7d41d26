#!/usr/bin/env python3
"""Compare two output folders (e.g. two `make demo` runs) file by file; exit 1 on any
difference, printing what differs.

    .venv/bin/python tools/compare_outputs.py /work/baseline/demo-output demo-output

- GeoPackage / vector files: layers, fields (name, type, width, precision), features
  (fid, every value, geometry WKB) as GDAL reads them; the `update_time` of QGIS's
  layer_styles table is ignored and XML values (its QML/SLD) are compared canonically
  (attribute order and rule UUIDs change on every run).
- CSV, TXT, QPT, aux.xml and other text: byte for byte.
- xlsx: the value of every cell of every sheet (openpyxl).
- HTML: text equal once timestamps (YYYY-MM-DD HH:MM[:SS]) and absolute paths of the
  two folders (and of the /work/main demo they may come from) are blanked.
- PNG/TIFF rasters: size, geotransform, pixel values (GDAL); PDF: page count and text
  (pdftotext), not its bytes (it records its creation time).
- *.log (paths, timings, progress) and SQLite side files (-wal, -shm) are not compared.
"""
from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys

SKIP_SUFFIXES = (".log", "-wal", "-shm", "-journal")
VECTOR = (".gpkg", ".shp", ".geojson", ".sqlite")
RASTER = (".png", ".tif", ".tiff", ".jpg")
IGNORED_FIELDS = {"update_time"}
MAX_SHOWN = 10


def files_of(root: str) -> set:
    out = set()
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if not name.endswith(SKIP_SUFFIXES):
                out.add(os.path.relpath(os.path.join(folder, name), root))
    return out


_UUID = re.compile(r"\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}")


def _canonical_xml(text: str) -> str:
    """XML with attributes in one order and rule keys blanked (Qt writes attributes in a
    random order per run, QGIS gives every rule a new UUID)."""
    from xml.etree.ElementTree import ParseError, canonicalize

    text = _UUID.sub("{UUID}", text)
    try:
        return canonicalize(re.sub(r"^<!DOCTYPE[^>]*>", "", text.strip()))
    except ParseError:
        return text


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, str) and isinstance(b, str) and a != b and a.lstrip().startswith("<"):
        return _canonical_xml(a) == _canonical_xml(b)
    return a == b


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def vector_rows(path: str) -> dict:
    """{layer: (schema, {fid: (values, wkb)})} as GDAL reads the file."""
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    out = {}
    for i in range(ds.GetLayerCount()):
        layer = ds.GetLayer(i)
        defn = layer.GetLayerDefn()
        names = [defn.GetFieldDefn(k).GetName() for k in range(defn.GetFieldCount())]
        schema = [(d.GetName(), d.GetTypeName(), d.GetWidth(), d.GetPrecision())
                  for d in (defn.GetFieldDefn(k) for k in range(defn.GetFieldCount()))]
        srs = layer.GetSpatialRef()
        schema.append(("<geometry>", ogr.GeometryTypeToName(layer.GetGeomType()),
                       srs.ExportToWkt() if srs is not None else ""))
        rows = {}
        for feature in layer:
            values = tuple(None if n in IGNORED_FIELDS else feature.GetField(n) for n in names)
            geom = feature.GetGeometryRef()
            rows[feature.GetFID()] = (values, bytes(geom.ExportToIsoWkb()) if geom else None)
        out[layer.GetName()] = (schema, names, rows)
    return out


def compare_vector(a: str, b: str) -> list:
    la, lb = vector_rows(a), vector_rows(b)
    problems = []
    if sorted(la) != sorted(lb):
        problems.append(f"layers {sorted(la)} != {sorted(lb)}")
    for name in sorted(set(la) & set(lb)):
        (sa, names, ra), (sb, _names, rb) = la[name], lb[name]
        if sa != sb:
            problems.append(f"layer {name}: schema {sa} != {sb}")
            continue
        if set(ra) != set(rb):
            problems.append(f"layer {name}: {len(ra)} features (fids) != {len(rb)}; "
                            f"only in A {sorted(set(ra) - set(rb))[:5]}, only in B "
                            f"{sorted(set(rb) - set(ra))[:5]}")
        shown = 0
        for fid in sorted(set(ra) & set(rb)):
            (va, ga), (vb, gb) = ra[fid], rb[fid]
            diffs = [f"{n}: {_short(x)} != {_short(y)}" for n, x, y in zip(names, va, vb)
                     if not _same_value(x, y)]
            if ga != gb:
                diffs.append("geometry differs")
            if diffs:
                if shown < MAX_SHOWN:
                    problems.append(f"layer {name} fid {fid}: " + "; ".join(diffs))
                shown += 1
        if shown > MAX_SHOWN:
            problems.append(f"layer {name}: … {shown - MAX_SHOWN} more differing features")
    return problems


def compare_xlsx(a: str, b: str) -> list:
    from openpyxl import load_workbook

    wa, wb = load_workbook(a, data_only=True), load_workbook(b, data_only=True)
    problems = []
    if wa.sheetnames != wb.sheetnames:
        return [f"sheets {wa.sheetnames} != {wb.sheetnames}"]
    for name in wa.sheetnames:
        ca = [[c.value for c in row] for row in wa[name].iter_rows()]
        cb = [[c.value for c in row] for row in wb[name].iter_rows()]
        if ca == cb:
            continue
        if len(ca) != len(cb):
            problems.append(f"sheet {name}: {len(ca)} rows != {len(cb)}")
        for r, (ra, rb) in enumerate(zip(ca, cb), start=1):
            if ra != rb:
                problems.append(f"sheet {name} row {r}: {ra} != {rb}")
                if len(problems) >= MAX_SHOWN:
                    return problems
    return problems


def _first_difference(ta: str, tb: str, label: str) -> list:
    la, lb = ta.splitlines(), tb.splitlines()
    for k, (x, y) in enumerate(zip(la, lb), start=1):
        if x != y:
            return [f"{label} line {k}: {x[:200]!r} != {y[:200]!r}"]
    return [f"{label}: {len(la)} lines != {len(lb)} lines"]


def compare_bytes(a: str, b: str) -> list:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        da, db = fa.read(), fb.read()
    if da == db:
        return []
    return _first_difference(da.decode("utf-8", "replace") if b"\0" not in da else repr(da),
                             db.decode("utf-8", "replace") if b"\0" not in db else repr(db),
                             "bytes differ at")


_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")


def compare_html(a: str, b: str, roots) -> list:
    texts = []
    for path in (a, b):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for root in roots:
            text = text.replace(root, "<DIR>")
        texts.append(_STAMP.sub("<TIME>", text))
    return [] if texts[0] == texts[1] else _first_difference(*texts, "html")


def compare_raster(a: str, b: str) -> list:
    import numpy as np
    from osgeo import gdal

    gdal.UseExceptions()
    da, db = gdal.Open(a), gdal.Open(b)
    if (da.RasterXSize, da.RasterYSize, da.RasterCount) != (db.RasterXSize, db.RasterYSize,
                                                            db.RasterCount):
        return ["raster size differs"]
    if da.GetGeoTransform() != db.GetGeoTransform():
        return ["geotransform differs"]
    if not np.array_equal(da.ReadAsArray(), db.ReadAsArray(), equal_nan=True):
        return ["pixel values differ"]
    return []


def compare_pdf(a: str, b: str) -> list:
    texts = []
    for path in (a, b):
        try:
            texts.append(subprocess.run(["pdftotext", "-layout", path, "-"], check=True,
                                        capture_output=True, text=True).stdout)
        except (OSError, subprocess.CalledProcessError) as err:
            return [f"pdftotext failed: {err}"]
    return [] if texts[0] == texts[1] else _first_difference(*texts, "pdf text")


def compare_file(a: str, b: str, roots) -> list:
    lower = a.lower()
    if lower.endswith(VECTOR):
        return compare_vector(a, b)
    if lower.endswith(".xlsx"):
        return compare_xlsx(a, b)
    if lower.endswith((".html", ".htm")):
        return compare_html(a, b, roots)
    if lower.endswith(RASTER):
        return compare_raster(a, b)
    if lower.endswith(".pdf"):
        return compare_pdf(a, b)
    return compare_bytes(a, b)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir_a")
    parser.add_argument("dir_b")
    args = parser.parse_args(argv)
    a, b = os.path.abspath(args.dir_a), os.path.abspath(args.dir_b)
    roots = sorted({a, b, os.path.realpath(a), os.path.realpath(b), "/work/main/demo-output"},
                   key=len, reverse=True)
    fa, fb = files_of(a), files_of(b)
    failed = False
    for rel in sorted(fa ^ fb):
        print(f"ONLY IN {'A' if rel in fa else 'B'}: {rel}")
        failed = True
    for rel in sorted(fa & fb):
        try:
            problems = compare_file(os.path.join(a, rel), os.path.join(b, rel), roots)
        except Exception as err:  # noqa: BLE001 - an unreadable file is a difference
            problems = [f"cannot compare: {type(err).__name__}: {err}"]
        if problems:
            failed = True
            print(f"DIFFERS: {rel}")
            for p in problems:
                print(f"    {p}")
        else:
            print(f"same:    {rel}")
    print("DIFFERENT" if failed else "ALL EQUAL")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
