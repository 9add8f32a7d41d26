"""Bad inputs as a county bureau really holds them, built from the sample township with
GDAL/OGR (no QGIS): GBK shapefiles with and without .cpg, layers without a CRS, NULLs,
duplicate codes, implausible areas, odd DEMs; and every algorithm's parameters for a
run on given inputs (RUNS), for the output-safety and cancel tests."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

import numpy as np
from osgeo import gdal, ogr, osr

from ..conftest import ROOT

TXT = ROOT / "tests" / "data" / "declaration_txt" / "gbk_standard.txt"


# --------------------------------------------------------------------------- files
def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# what QGIS itself leaves beside a raster it loaded (GDAL's statistics cache), not a change
# of the input: any run that reads the DEM makes it, native algorithms too
GDAL_SIDECARS = (".aux.xml",)


def hashes(folder) -> dict:
    """{file name: sha256} of every file in `folder` (GDAL's statistics cache aside)."""
    return {p.name: sha256(p) for p in sorted(Path(folder).iterdir())
            if p.is_file() and not p.name.endswith(GDAL_SIDECARS)}


def layer_rows(path, layer) -> list:
    """Every feature of a layer as (fid, WKB, attributes): its content, whatever the file."""
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer)
    rows = []
    for f in lyr:
        g = f.GetGeometryRef()
        rows.append((f.GetFID(), bytes(g.ExportToIsoWkb()) if g else None,
                     tuple(f.GetField(i) for i in range(f.GetFieldCount()))))
    return rows


def layer_names(path) -> list:
    ds = ogr.Open(str(path))
    return [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]


def copy_township(township, folder) -> dict:
    """A copy of the sample township's files in `folder` (the session's stays untouched)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for key in ("gpkg", "dem", "households"):
        out[key] = str(folder / Path(township[key]).name)
        shutil.copy(township[key], out[key])
    return out


def tag_projects(gpkg, dest) -> str:
    """The township's parcels tagged with the two demo projects (tools/demo)."""
    spec = importlib.util.spec_from_file_location(
        "tag_demo_projects", ROOT / "tools" / "demo" / "tag_demo_projects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.tag(str(gpkg), str(dest))
    return str(dest)


def sql(path, statement):
    """Run an SQL statement on a GeoPackage through GDAL (its triggers need GDAL's
    functions)."""
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_UPDATE)
    ds.ExecuteSQL(statement)
    ds = None


# --------------------------------------------------------------------------- layers
def shapefile(gpkg, dest, layer="dltb", encoding="GBK", cpg=True, prj=True, where=None):
    """The township's `layer` as a shapefile whose text is `encoding` (with a .cpg naming
    it, or without), with or without .prj."""
    opts = gdal.VectorTranslateOptions(format="ESRI Shapefile", layerName=Path(dest).stem,
                                       layers=[layer], layerCreationOptions=[
                                           f"ENCODING={encoding}"], where=where)
    # QGIS sets SHAPE_ENCODING="" for the process, which would keep GDAL from recoding
    saved = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        gdal.VectorTranslate(str(dest), str(gpkg), options=opts)
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", saved)
    stem = str(dest)[:-4]
    if not cpg and os.path.exists(stem + ".cpg"):
        os.remove(stem + ".cpg")
    if not prj and os.path.exists(stem + ".prj"):
        os.remove(stem + ".prj")
    return str(dest)


def gpkg_layer(gpkg, dest, layer="dltb", srs=True, where=None, srs_id=None) -> str:
    """The township's `layer` alone in a new GeoPackage; without `srs` its SRS is the
    GeoPackage's 'Undefined geographic SRS' (srs_id 0), or `srs_id` (-1: Cartesian)."""
    kwargs = {} if srs else {"dstSRS": None, "reproject": False}
    opts = gdal.VectorTranslateOptions(format="GPKG", layers=[layer], where=where,
                                       layerName=layer, **kwargs)
    gdal.VectorTranslate(str(dest), str(gpkg), options=opts)
    if not srs:
        assign_srs(dest, layer, -1 if srs_id == -1 else 0)
    return str(dest)


def assign_srs(gpkg, layer, srs_id: int):
    """Set a GeoPackage layer's srs_id as a file from elsewhere would have it."""
    import sqlite3

    with sqlite3.connect(str(gpkg)) as db:
        db.execute("UPDATE gpkg_geometry_columns SET srs_id=? WHERE table_name=?",
                   (srs_id, layer))
        db.execute("UPDATE gpkg_contents SET srs_id=? WHERE table_name=?", (srs_id, layer))


def prefixed_eastings(gpkg, dest, layer="dltb", zone=36) -> str:
    """The layer with its eastings shifted by the zone prefix (x + 36 000 000) but its
    CRS still the plain zone (EPSG:4545): the CRS contradicts the coordinates."""
    src = ogr.Open(str(gpkg))
    lyr = src.GetLayerByName(layer)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(dest))
    out = ds.CreateLayer(layer, lyr.GetSpatialRef(), lyr.GetGeomType())
    defn = lyr.GetLayerDefn()
    for i in range(defn.GetFieldCount()):
        out.CreateField(defn.GetFieldDefn(i))
    out.StartTransaction()
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        _shift(g, zone * 1_000_000.0)
        nf = ogr.Feature(out.GetLayerDefn())
        nf.SetFrom(f)
        nf.SetGeometry(g)
        out.CreateFeature(nf)
    out.CommitTransaction()
    ds = None
    return str(dest)


def _shift(geom, dx):
    for i in range(geom.GetGeometryCount()):
        _shift(geom.GetGeometryRef(i), dx)
    for i in range(geom.GetPointCount()):
        x, y = geom.GetX(i), geom.GetY(i)
        geom.SetPoint_2D(i, x + dx, y)


def values(path, layer, field, where=None) -> list:
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer)
    if where:
        lyr.SetAttributeFilter(where)
    return [f.GetField(field) for f in lyr]


# --------------------------------------------------------------------------- DEMs
def dem_copy(dem, dest, transform) -> str:
    """A GeoTIFF from the township's DEM: transform(array, geotransform, nodata) returns
    (bands: list of arrays, geotransform, nodata)."""
    src = gdal.Open(str(dem))
    band = src.GetRasterBand(1)
    arrays, gt, nodata = transform(band.ReadAsArray().astype(np.float32),
                                   src.GetGeoTransform(), band.GetNoDataValue())
    rows, cols = arrays[0].shape
    out = gdal.GetDriverByName("GTiff").Create(str(dest), cols, rows, len(arrays),
                                               gdal.GDT_Float32)
    out.SetGeoTransform(gt)
    out.SetProjection(src.GetProjection())
    for i, a in enumerate(arrays):
        b = out.GetRasterBand(i + 1)
        if nodata is not None:
            b.SetNoDataValue(nodata)
        b.WriteArray(a)
    out = None
    return str(dest)


def dem_in_band_2(dem, dest) -> str:
    """Band 1 zeros (a flat placeholder), the elevations in band 2."""
    return dem_copy(dem, dest, lambda a, gt, nd: ([np.zeros_like(a), a], gt, nd))


def dem_all_nodata(dem, dest) -> str:
    return dem_copy(dem, dest, lambda a, gt, nd: ([np.full_like(a, -9999.0)], gt, -9999.0))


def dem_coarse(dem, dest, cell=3000.0) -> str:
    """A 2 × 2 DEM of `cell` m cells over the township's DEM."""
    def coarse(a, gt, nd):
        x0 = gt[0] + a.shape[1] * gt[1] / 2.0 - cell
        y0 = gt[3] + a.shape[0] * gt[5] / 2.0 + cell
        return [np.array([[900.0, 950.0], [1000.0, 1080.0]], np.float32)], \
            (x0, cell, 0.0, y0, 0.0, -cell), nd
    return dem_copy(dem, dest, coarse)


def dem_without_crs(dem, dest) -> str:
    path = dem_copy(dem, dest, lambda a, gt, nd: ([a], gt, nd))
    ds = gdal.Open(path, gdal.GA_Update)
    ds.SetProjection("")
    ds = None
    aux = path + ".aux.xml"
    if os.path.exists(aux):
        os.remove(aux)
    return path


# --------------------------------------------------------------------------- runs
def runs(t: dict, parcels: str, out, ext: str = "gpkg", tagged: str | None = None) -> dict:
    """{algorithm id: parameters} of a run of every algorithm on the township `t` (paths
    of gpkg, dem, households) with the parcels `parcels`, outputs into folder `out`."""
    g = t["gpkg"]
    red, pbf = f"{g}|layername=stbhhx", f"{g}|layername=yjjbnt"
    o = f"{out}/{{}}.{ext}"
    return {
        "idlehomesteads": {
            "INPUT": parcels, "BUILDINGS": f"{g}|layername=buildings",
            "HOUSEHOLDS": t["households"], "DEM": t["dem"], "RED_LINE": red,
            "OUTPUT": o.format("ih"), "OUTPUT_VILLAGES": o.format("ih_cun")},
        "farmlandcontiguity": {
            "INPUT": parcels, "OUTPUT_BLOCKS": o.format("lp"), "OUTPUT": o.format("lp_tb"),
            "OUTPUT_SUMMARY": o.format("lp_hz")},
        "controllinecheck": {
            "INPUT": parcels, "RED_LINE": red, "PBF": pbf, "OUTPUT": o.format("ct"),
            "OUTPUT_OVERLAPS": o.format("ct_dd"), "OUTPUT_REPORT": f"{out}/ct.html"},
        "slopefarmland": {
            "INPUT": parcels, "DEM": t["dem"], "OUTPUT": o.format("pgd"),
            "OUTPUT_VILLAGES": o.format("pgd_cun")},
        "forestfarmlandswap": {
            "INPUT": parcels, "DEM": t["dem"], "RED_LINE": red, "OUTPUT": o.format("zh"),
            "OUTPUT_BALANCE": o.format("zh_ph")},
        "potentialsurvey": {
            "INPUT": parcels, "DEM": t["dem"], "RED_LINE": red, "PBF": pbf,
            "BUILDINGS": f"{g}|layername=buildings", "HOUSEHOLDS": t["households"],
            "OUTPUT": o.format("ql"), "OUTPUT_SUMMARY": o.format("ql_hz"),
            "OUTPUT_CHECKS": o.format("ql_jc"), "OUTPUT_XLSX": f"{out}/ql.xlsx",
            "OUTPUT_REPORT": f"{out}/ql.html"},
        "exportdeclaration": {
            "INPUT": f"{tagged or g}|layername=dltb", "MAP": True, "DATE": "2025-06-15",
            "RED_LINE": red, "OUTPUT_FOLDER": f"{out}/declaration"},
        "importdeclarationtxt": {"INPUT": str(TXT), "OUTPUT": o.format("txt_blocks")},
        "sampledata": {"PARCELS": 150, "SEED": 3, "OUTPUT_FOLDER": f"{out}/sample"},
        "checkparcels": {
            "INPUT": parcels, "OUTPUT": o.format("zj"), "OUTPUT_TOPOLOGY": o.format("zj_tp"),
            "OUTPUT_REPORT": f"{out}/zj.html", "OUTPUT_XLSX": f"{out}/zj.xlsx"},
    }


ALGORITHMS = ("idlehomesteads", "farmlandcontiguity", "controllinecheck", "slopefarmland",
              "forestfarmlandswap", "potentialsurvey", "exportdeclaration",
              "importdeclarationtxt", "sampledata", "checkparcels")
PARCEL_ALGORITHMS = ALGORITHMS[:6]
