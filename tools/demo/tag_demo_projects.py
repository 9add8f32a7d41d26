"""Tag a copy of the sample township's parcels with two demo declaration projects
(osgeo.ogr + shapely, no QGIS): QN2025-001 made of three separate blocks, and
QN2025-002 a ring of parcels around an untagged one (a project with a hole).

    python tools/demo/tag_demo_projects.py township.gpkg tagged.gpkg
"""
import sys

import numpy as np
import shapely
from osgeo import ogr

ogr.UseExceptions()

PROJECTS = {
    "QN2025-001": "黔南示范乡镇全域土地综合整治一期",
    "QN2025-002": "黔南示范乡镇全域土地综合整治二期",
}
# task (ZZLX, ZZZLX) by 三调 land class group of the parcel
TASK_BY_PREFIX = (("01", "NYD", "NYD01"), ("0702", "JSYD", "JSYD01"), ("0404", "NYD", "NYD03"),
                  ("12", "NYD", "NYD03"), ("03", "STXF", "STXF01"), ("02", "NYD", "NYD04"))
DEFAULT_TASK = ("STXF", "STXF05")


def task_for(dlbm):
    code = (dlbm or "").strip()
    for prefix, fam, sub in TASK_BY_PREFIX:
        if code.startswith(prefix):
            return fam, sub
    return DEFAULT_TASK


def choose(geoms, codes):
    """{parcel index: project} for the two demo projects (ordinary parcels only:
    no roads, rivers or very large parcels)."""
    cent = shapely.centroid(geoms)
    xy = shapely.get_coordinates(cent)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    w, h = maxx - minx, maxy - miny
    area = shapely.area(geoms)
    median = float(np.median(area))
    tree = shapely.STRtree(geoms)
    ordinary = np.array([not (c or "").startswith(("10", "11")) for c in codes]) & \
        (area <= 5 * median)

    def neighbours(i):
        """i and the parcels sharing an edge (not just a corner) with it."""
        hits = tree.query(geoms[i], predicate="intersects")
        return [int(j) for j in hits if j == i or
                shapely.intersection(geoms[i].boundary, geoms[j].boundary).length > 1.0]

    out = {}
    # QN2025-002: the parcels around a central parcel, the central one left out (hole)
    centre = np.array([minx + 0.5 * w, miny + 0.5 * h])
    order = np.argsort(np.hypot(*(xy - centre).T))
    def surrounding(i):
        """Every parcel touching i (corners included): together they enclose it."""
        return [int(j) for j in tree.query(geoms[i], predicate="intersects") if j != i]

    def encloses(ring):
        union = shapely.union_all(geoms[ring])
        return union.geom_type == "Polygon" and len(union.interiors) == 1

    hole = next(i for i in order if median <= area[i] <= 4 * median and
                all(ordinary[j] for j in surrounding(i)) and encloses(surrounding(i)))
    for i in surrounding(hole):
        out[int(i)] = "QN2025-002"
    taken = shapely.union_all(geoms[list(out) + [hole]]).buffer(30.0)
    # QN2025-001: three blocks, each a parcel and its neighbours, apart from everything
    for fx, fy in ((0.3, 0.3), (0.7, 0.35), (0.35, 0.72)):
        target = np.array([minx + fx * w, miny + fy * h])
        for i in np.argsort(np.hypot(*(xy - target).T)):
            if not ordinary[i]:
                continue
            block = [j for j in neighbours(i) if ordinary[j]]
            block_geom = shapely.union_all(geoms[block])
            if not block_geom.intersects(taken):
                for j in block:
                    out[j] = "QN2025-001"
                taken = shapely.union(taken, block_geom.buffer(30.0))
                break
    return out


def tag(src, dst, layer_name="dltb"):
    ds = ogr.Open(src)
    layer = ds.GetLayerByName(layer_name)
    drv = ogr.GetDriverByName("GPKG")
    out = drv.CreateDataSource(dst)
    copy = out.CopyLayer(layer, layer_name)
    for name, width in (("ZZLX", 8), ("ZZZLX", 10), ("XMBH", 30), ("XMMC", 100)):
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(width)
        copy.CreateField(fd)
    copy.CreateField(ogr.FieldDefn("SSND", ogr.OFTInteger))
    fids, wkbs, codes = [], [], []
    for feat in copy:
        fids.append(feat.GetFID())
        wkbs.append(bytes(feat.GetGeometryRef().ExportToWkb()))
        codes.append(feat.GetField("DLBM"))
    geoms = shapely.make_valid(shapely.from_wkb(wkbs))
    chosen = choose(geoms, codes)
    out.StartTransaction()
    for i, project in chosen.items():
        feat = copy.GetFeature(fids[i])
        fam, sub = task_for(codes[i])
        feat.SetField("ZZLX", fam)
        feat.SetField("ZZZLX", sub)
        feat.SetField("XMBH", project)
        feat.SetField("XMMC", PROJECTS[project])
        feat.SetField("SSND", 2025)
        copy.SetFeature(feat)
    out.CommitTransaction()
    out = None
    return {p: sum(1 for v in chosen.values() if v == p) for p in PROJECTS}


if __name__ == "__main__":
    counts = tag(sys.argv[1], sys.argv[2])
    for project, n in counts.items():
        print(f"  {project}: {n} parcels tagged")
