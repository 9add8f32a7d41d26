"""qgis_io/_gpkg_copy.copy_with_columns without QGIS: a GeoPackage made by GDAL,
copied with new columns inside SQLite; read back through GDAL (values, NULLs, fids,
extent) and its R-tree checked by SQLite's rtreecheck and by GDAL's spatial filter."""
import sqlite3

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from qn_landconsol_plugin.qgis_io import _gpkg_copy as go

gdal.UseExceptions()
ogr.UseExceptions()


def _source(path, n=2500, spatial_index=True, fid="fid"):
    """n squares in EPSG:4545 with BSM/DLBM/TBMJ; fids 10, 12, 14, … (not 1..n). 2,500
    rows make an R-tree of several levels (its _parent table is not empty)."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4545)
    layer = ds.CreateLayer("dltb", srs, ogr.wkbMultiPolygon,
                           [f"SPATIAL_INDEX={'YES' if spatial_index else 'NO'}", f"FID={fid}"])
    layer.CreateField(ogr.FieldDefn("BSM", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("DLBM", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("TBMJ", ogr.OFTReal))
    for k in range(n):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetFID(10 + 2 * k)
        f.SetField("BSM", f"B{k:04d}")
        f.SetField("DLBM", "0103" if k % 3 else "0301")
        f.SetField("TBMJ", 100.0 + k)
        x, y = 500000 + 20 * (k % 50), 2900000 + 20 * (k // 50)
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"MULTIPOLYGON((({x} {y},{x + 10} {y},{x + 10} {y + 10},{x} {y + 10},{x} {y})))"))
        layer.CreateFeature(f)
    ds = None
    return [10 + 2 * k for k in range(n)]


NEW = [go.NewColumn("PD_MEAN", "Real", 12, 4), go.NewColumn("PGD", "Integer", 2),
       go.NewColumn("PGD_LY", "String", 8)]


def _columns(n):
    mean = np.arange(n, dtype=float) / 2
    mean[::5] = np.nan
    ly = np.array(["DEM" if k % 2 else None for k in range(n)], dtype=object)
    return {"PD_MEAN": mean, "PGD": (np.arange(n) % 2).astype(np.int8), "PGD_LY": ly}


def _read(path):
    ds = ogr.Open(str(path))
    layer = ds.GetLayer(0)
    rows = {f.GetFID(): f.items() | {"wkt": f.GetGeometryRef().ExportToWkt()} for f in layer}
    return layer.GetName(), rows, layer.GetExtent()


def test_copy_keeps_every_row_and_adds_the_columns(tmp_path):
    tmp_path = tmp_path / "县 数据#1"         # Chinese, a space and '#' in the path
    tmp_path.mkdir()
    src = tmp_path / "src.gpkg"
    fids = _source(src)
    before = src.read_bytes()
    out = tmp_path / "out.gpkg"
    # the values come in a different order from the table's: they follow `fids`
    order = np.random.default_rng(1).permutation(len(fids))
    columns = _columns(len(fids))
    assert go.copy_with_columns(str(src), "dltb", str(out), "out",
                                np.array(fids)[order], columns, NEW)
    assert src.read_bytes() == before            # the input is never modified
    name, rows, extent = _read(out)
    _, src_rows, src_extent = _read(src)
    assert name == "out" and sorted(rows) == fids
    assert extent == pytest.approx(src_extent, abs=0.5)   # R-tree boxes are float32
    for i, k in enumerate(order):
        fid = fids[k]
        row = rows[fid]
        for field in ("BSM", "DLBM", "TBMJ", "wkt"):
            assert row[field] == src_rows[fid][field]
        mean = columns["PD_MEAN"][i]
        assert (row["PD_MEAN"] is None) if np.isnan(mean) else row["PD_MEAN"] == mean
        assert row["PGD"] == int(columns["PGD"][i])
        assert row["PGD_LY"] == columns["PGD_LY"][i]


def test_spatial_index_is_the_sources_and_stays_maintained(tmp_path):
    src = tmp_path / "src.gpkg"
    fids = _source(src)
    out = tmp_path / "out.gpkg"
    assert go.copy_with_columns(str(src), "dltb", str(out), "out", fids, _columns(len(fids)), NEW)
    con = sqlite3.connect(out)
    assert con.execute("SELECT rtreecheck('rtree_out_geom')").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM rtree_out_geom").fetchone()[0] == len(fids)
    assert con.execute("SELECT count(*) FROM rtree_out_geom_parent").fetchone()[0] > 0
    con.close()
    ds = ogr.Open(str(out), 1)
    layer = ds.GetLayer(0)
    sql = ds.ExecuteSQL("SELECT HasSpatialIndex('out', 'geom')")
    assert sql.GetNextFeature().GetField(0) == 1
    ds.ReleaseResultSet(sql)
    layer.SetSpatialFilterRect(500000, 2900000, 500035, 2900035)
    assert layer.GetFeatureCount() == 4          # squares at x, y = 0 and 20 (k = 0, 1, 50, 51)
    layer.SetSpatialFilter(None)
    # the triggers are back: GDAL's edits keep the index right
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(
        "MULTIPOLYGON(((600000 2950000,600010 2950000,600010 2950010,600000 2950000)))"))
    layer.CreateFeature(f)
    ds = None
    con = sqlite3.connect(out)
    assert con.execute("SELECT rtreecheck('rtree_out_geom')").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM rtree_out_geom").fetchone()[0] == len(fids) + 1
    assert con.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'out'"
                       ).fetchone()[0] == len(fids) + 1


def test_existing_columns_are_overwritten(tmp_path):
    src = tmp_path / "src.gpkg"
    fids = _source(src)
    out = tmp_path / "out.gpkg"
    tbmj = np.full(len(fids), 7.5)
    assert go.copy_with_columns(str(src), "dltb", str(out), "out", fids, {"tbmj": tbmj}, [])
    assert {row["TBMJ"] for row in _read(out)[1].values()} == {7.5}


@pytest.mark.parametrize("case", ["fids", "count", "no_rtree", "table", "canceled",
                                  "fid_name"])
def test_declines_without_leaving_a_file(tmp_path, case):
    src = tmp_path / "src.gpkg"
    fids = _source(src, spatial_index=case != "no_rtree",
                   fid="OBJECTID" if case == "fid_name" else "fid")
    out = tmp_path / "out.gpkg"
    out.write_bytes(b"old")          # whatever was there is replaced or removed
    columns = _columns(len(fids))
    table = "dltb"
    if case == "fids":
        fids = [f + 1 for f in fids]     # not the source's ids
    elif case == "count":
        fids, columns = fids[:-1], {k: v[:-1] for k, v in columns.items()}
    elif case == "table":
        table = "missing"
    ok = go.copy_with_columns(str(src), table, str(out), "out", fids, columns, NEW,
                              is_canceled=(lambda: True) if case == "canceled" else None)
    assert not ok
    assert not out.exists() or out.read_bytes() == b"old"
