"""Bench: qnlandconsol:controllinecheck against QGIS's native:calculatevectoroverlaps
(the native way to get the area of each parcel inside the red line), same run.

The red line is one of real complexity, made here over the county sample's extent:
40 polygons of 4,000 vertices each (the sample's own red line is simpler). Ours also
judges every parcel and writes the overlap pieces and the HTML report; native only
writes the areas."""
import os
import sys
from pathlib import Path

import numpy as np
import shapely
from osgeo import ogr, osr

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, OUT, record, run  # noqa: E402

ogr.UseExceptions()


def complex_red_line(path: Path, n_polygons=40, vertices=4000, seed=11):
    """Write `n_polygons` wiggly polygons of `vertices` vertices over the parcels' extent
    (layer 'redline', the parcels' CRS); returns the share of the extent they cover."""
    ds = ogr.Open(COUNTY)
    dltb = ds.GetLayer("dltb")
    x0, x1, y0, y1 = dltb.GetExtent()
    srs = dltb.GetSpatialRef()
    rng = np.random.default_rng(seed)
    size = min(x1 - x0, y1 - y0)
    polys = []
    t = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    for k in range(n_polygons):
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = rng.uniform(size / 30, size / 10)
        walk = np.cumsum(rng.standard_normal(vertices)) / np.sqrt(vertices)
        rr = r * (1 + 0.25 * np.sin(5 * t + k) + 0.12 * np.sin(17 * t) + 0.1 * (walk - walk.mean()))
        polys.append(shapely.Polygon(np.c_[cx + rr * np.cos(t), cy + rr * np.sin(t)]))
    path.unlink(missing_ok=True)
    out = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = out.CreateLayer("redline", osr.SpatialReference(srs.ExportToWkt()), ogr.wkbMultiPolygon)
    out.StartTransaction()
    for p in polys:
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.multipolygons([p]))))
        layer.CreateFeature(f)
    out.CommitTransaction()
    out = None
    covered = shapely.union_all(shapely.make_valid(np.array(polys))).area
    return covered / ((x1 - x0) * (y1 - y0))


def main():
    work = OUT / "control_lines"
    work.mkdir(parents=True, exist_ok=True)
    for name in ("ours.gpkg", "ours_overlaps.gpkg", "report.html", "native.gpkg", "redline_fixed.gpkg"):
        (work / name).unlink(missing_ok=True)
    red = work / "redline.gpkg"
    share = complex_red_line(red)
    dltb, redline = f"{COUNTY}|layername=dltb", f"{red}|layername=redline"

    params = {"INPUT": dltb, "RED_LINE": redline, "OUTPUT": str(work / "ours.gpkg"),
              "OUTPUT_OVERLAPS": None, "OUTPUT_REPORT": str(work / "report.html")}
    ours = run("qnlandconsol:controllinecheck", params)
    # the red line self-intersects here and there, as real ones do: native needs it fixed
    fixed = work / "redline_fixed.gpkg"
    steps = [["native:fixgeometries", {"INPUT": redline, "OUTPUT": str(fixed)}],
             ["native:calculatevectoroverlaps", {"INPUT": dltb, "LAYERS": [str(fixed)],
                                                 "OUTPUT": str(work / "native.gpkg")}]]
    native = run("native-chain", {}, steps)
    n = os.environ.get("BENCH_PARCELS", "?")
    agree = compare(work / "ours.gpkg", work / "native.gpkg")
    what = f"{n} parcels vs 40 red-line polygons × 4,000 vertices ({share:.0%} of the extent)"
    record("controllinecheck (三区三线冲突检查)", ours, native,
           f"{what}; native: fixgeometries+calculatevectoroverlaps; ours: areas + levels + "
           f"HTML report; {agree}")
    (work / "ours.gpkg").unlink(missing_ok=True)
    # the same with the overlap pieces layer as well (native has no equivalent)
    ours_all = run("qnlandconsol:controllinecheck",
                   dict(params, OUTPUT_OVERLAPS=str(work / "ours_overlaps.gpkg")))
    record("controllinecheck + overlap pieces", ours_all, native,
           f"{what}; same native time; ours also writes the overlap pieces layer")


def compare(ours_path, native_path) -> str:
    """Largest difference of HX_MJ from native's area, over every parcel."""
    ours = ogr.Open(str(ours_path))
    native = ogr.Open(str(native_path))
    a = np.array([f.GetField("HX_MJ") for f in ours.GetLayer(0)], dtype=float)
    layer = native.GetLayer(0)
    name = next(layer.GetLayerDefn().GetFieldDefn(i).GetName()
                for i in range(layer.GetLayerDefn().GetFieldCount())
                if layer.GetLayerDefn().GetFieldDefn(i).GetName().endswith("_area"))
    b = np.array([f.GetField(name) or 0.0 for f in layer], dtype=float)
    if len(a) != len(b):
        return f"COUNT MISMATCH {len(a)} vs {len(b)}"
    tol = np.maximum(0.01, 1e-6 * np.abs(b))
    bad = int((np.abs(a - b) > tol).sum())
    return f"max |Δarea| {np.abs(a - b).max():.4f} m², {bad} parcels beyond tolerance"


if __name__ == "__main__":
    main()
