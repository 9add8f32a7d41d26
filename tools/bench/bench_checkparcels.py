"""Bench: qnlandconsol:checkparcels (三调图斑质检) against the nearest native way of finding
the same geometry problems, same run, on the county sample.

Native (QGIS has no topology checker in Processing): check validity (GEOS; qgis: up to
3.42, native: from 3.44) for invalid geometries; overlaps by native:intersection of the layer with itself, which gives
every overlap piece with the attributes of both parcels, as our topology layer does (a
one-layer native:union gives the pieces without saying whose they are and needs a
duplicate-geometry search on top); gaps by native:dissolve -> native:deleteholes ->
native:difference (the holes of the union). Ours also checks the CRS and every attribute
(NULLs, codes, BSM, TBMJ, KCMJ, TBDLMJ) and writes every parcel with its flags and the
HTML report. Both found counts are compared (pieces at or above our sliver tolerance)."""
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import shapely
from osgeo import ogr

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, record, run  # noqa: E402

ogr.UseExceptions()
SLIVER_M2 = 0.0001      # checkparcels' default (core.parcel_quality.DEFAULT_SLIVER_M2)


def check_validity_id() -> str:
    """Check validity is Python (qgis:) up to QGIS 3.42 and C++ (native:) from 3.44 on."""
    from qgis.core import Qgis

    return "native:checkvalidity" if Qgis.QGIS_VERSION_INT >= 34400 else "qgis:checkvalidity"


def main():
    dltb = f"{COUNTY}|layername=dltb"
    n = os.environ.get("BENCH_PARCELS", "?")
    with tempfile.TemporaryDirectory(prefix="bench_checkparcels_") as tmp:
        ours = run("qnlandconsol:checkparcels", {
            "INPUT": dltb, "OUTPUT": f"{tmp}/checked.gpkg",
            "OUTPUT_TOPOLOGY": f"{tmp}/topology.gpkg", "OUTPUT_REPORT": f"{tmp}/report.html"})
        native = run("native-chain", {}, steps=[
            [check_validity_id(), {"INPUT_LAYER": dltb, "METHOD": 2,
                                      "VALID_OUTPUT": f"{tmp}/valid.gpkg",
                                      "INVALID_OUTPUT": f"{tmp}/invalid.gpkg",
                                      "ERROR_OUTPUT": f"{tmp}/errors.gpkg"}],
            ["native:intersection", {"INPUT": dltb, "OVERLAY": dltb,
                                     "OUTPUT": f"{tmp}/pairs.gpkg"}],
            ["native:dissolve", {"INPUT": dltb, "OUTPUT": f"{tmp}/union.gpkg"}],
            ["native:deleteholes", {"INPUT": "@2.OUTPUT", "MIN_AREA": 0.0,
                                    "OUTPUT": f"{tmp}/filled.gpkg"}],
            ["native:difference", {"INPUT": "@3.OUTPUT", "OVERLAY": "@2.OUTPUT",
                                   "OUTPUT": f"{tmp}/gaps.gpkg"}],
        ])
        agree = compare(tmp)
        record("checkparcels (三调图斑质检)", ours, native,
               f"{n} parcels; native: checkvalidity + intersection with itself (overlaps) + "
               f"dissolve, deleteholes, difference (gaps); ours also: CRS, every attribute "
               f"check, flagged parcels, HTML report; {agree}")


def _features(path):
    """Every feature of the first layer of `path` (the dataset kept open while they are
    read: an OGR layer outliving its dataset crashes)."""
    ds = ogr.Open(path)
    return list(ds.GetLayer(0))


def _parts(path):
    """Polygons of every feature of the first layer (shapely)."""
    geoms = [shapely.from_wkb(bytes(f.GetGeometryRef().ExportToIsoWkb()))
             for f in _features(path) if f.GetGeometryRef() is not None]
    parts = shapely.get_parts(np.asarray(geoms, dtype=object)) if geoms else np.empty(0)
    return parts[shapely.get_type_id(parts) == 3] if len(parts) else parts


def compare(tmp) -> str:
    """What each found: gaps, overlaps (pairs of different parcels), invalid geometries."""
    kinds = [f.GetField("LX") for f in _features(f"{tmp}/topology.gpkg")]
    ours_gaps, ours_overlaps = kinds.count("缝隙"), kinds.count("重叠")
    ours_invalid = sum(1 for f in _features(f"{tmp}/checked.gpkg") if f.GetField("JH_WX") == 1)
    gaps = _parts(f"{tmp}/gaps.gpkg")
    native_gaps = int((shapely.area(gaps) >= SLIVER_M2).sum()) if len(gaps) else 0
    ds = ogr.Open(f"{tmp}/pairs.gpkg")
    pairs = ds.GetLayer(0)
    pairs.SetAttributeFilter("BSM <> BSM_2")
    native_overlaps = sum(1 for f in pairs if f.GetGeometryRef() is not None and
                          f.GetGeometryRef().GetArea() >= SLIVER_M2) // 2   # a∩b and b∩a
    native_invalid = len(_features(f"{tmp}/invalid.gpkg"))
    return (f"found: gaps {ours_gaps} (native {native_gaps}), overlapping pairs "
            f"{ours_overlaps} (native {native_overlaps}), invalid {ours_invalid} "
            f"(native {native_invalid}), pieces ≥ {SLIVER_M2:g} m²")


if __name__ == "__main__":
    main()
