"""The fast strategy of parcels.write_parcels: a GeoPackage output of "the input
parcels, every field kept, plus computed columns" made inside SQLite when the input is
itself a GeoPackage layer.

Writing a county's 300,000 parcels through a QGIS feature sink costs 6–8 s (each
feature is read again, converted, and written one by one). The same output can be
made inside SQLite: the new layer is created empty by GDAL (the source layer's own
schema, plus the new columns), the rows are copied from the source table joined with
the computed columns (the geometry blobs are copied as they are), and the source's
R-tree spatial index is copied node for node. About 1 s for the same file: same
features, fids, geometries and attributes as the sink writes (tests/qgis/
test_parcel_output.py compares the two files).

This module only knows GeoPackage, SQLite and GDAL (no qgis): parcels decides when it
applies (a plain .gpkg destination, an unfiltered, unedited GeoPackage source whose CRS
and fields are the file's own) and falls back to the QGIS sink otherwise; so does
`copy_with_columns` itself, by returning False, whenever the files are not what it
expects (checked before the destination is touched where possible).
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..core.values import plain_values
from ._gdal import gdal_exceptions

_SIDECARS = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class NewColumn:
    """A column to add: OGR field type name ('Integer', 'Integer64', 'Real', 'String'),
    width and precision as OGR takes them."""
    name: str
    ogr_type: str
    width: int = 0
    precision: int = 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_name(path: str, index: int):
    """The name of the index-th vector layer of a file (None if there is none)."""
    from osgeo import gdal

    try:
        with gdal_exceptions():
            ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
            layer = ds.GetLayer(index) if ds is not None else None
            return layer.GetName() if layer is not None else None
    except RuntimeError:
        return None


@dataclass(frozen=True)
class SourceTable:
    fid: str            # the fid (primary key) column
    geom: str           # the geometry column
    srs_id: int
    rows: int
    rtree: bool         # a spatial index holding every row with a geometry


def source_table(path: str, table: str):
    """SourceTable of a GeoPackage feature table, or None when it is not one."""
    try:
        con = sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT column_name, srs_id FROM gpkg_geometry_columns "
                          "WHERE lower(table_name) = lower(?)", (table,)).fetchone()
        if row is None:
            return None
        geom, srs_id = row
        pk = [r[1] for r in con.execute(f"PRAGMA table_info({_quote(table)})") if r[5] == 1]
        if len(pk) != 1:
            return None
        rows = con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
        has_rtree = con.execute("SELECT count(*) FROM gpkg_extensions WHERE lower(table_name) "
                                "= lower(?) AND extension_name = 'gpkg_rtree_index'",
                                (table,)).fetchone()[0] > 0
        if has_rtree:
            indexed = con.execute(
                f"SELECT count(*) FROM {_quote(f'rtree_{table}_{geom}_rowid')}").fetchone()[0]
            with_geom = con.execute(f"SELECT count(*) FROM {_quote(table)} "
                                    f"WHERE {_quote(geom)} IS NOT NULL").fetchone()[0]
            has_rtree = indexed == with_geom
        return SourceTable(pk[0], geom, srs_id, rows, has_rtree)
    except sqlite3.Error:
        return None
    finally:
        con.close()


def remove(path: str) -> bool:
    """Delete a GeoPackage and its SQLite side files; False when one cannot be deleted
    (e.g. open in another program on Windows)."""
    for suffix in _SIDECARS:
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
        except OSError:
            return False
    return True


def sqlite_uri(path: str, read_only: bool = False) -> str:
    """The SQLite URI of a file path (any '#', '?', '%' or non-ASCII name escaped)."""
    return Path(path).resolve().as_uri() + ("?mode=ro" if read_only else "")


def copy_with_columns(src_path: str, src_table: str, dest_path: str, dest_table: str,
                      fids, columns: dict, new_columns, is_canceled=None) -> bool:
    """Write `dest_path` (a new GeoPackage, replacing the file) holding one table
    `dest_table`: every row of `src_table` with all its columns, plus `columns`
    {name: values}, the i-th value belonging to the row whose fid is fids[i] (NaN/None
    -> NULL). `new_columns` (NewColumn) are the names of `columns` the source does not
    have; the others overwrite the source's values.

    False when this cannot give the sink's file: the source is not a GeoPackage feature
    table with a fid column named 'fid' and a complete R-tree, `fids` are not its rows
    one to one, or GDAL did not create the table as expected; also when canceled
    (is_canceled() true between steps). The destination file is left alone when the
    source does not qualify; once the copy has begun, a decline removes it (the caller
    then writes it another way)."""
    from osgeo import gdal, ogr

    info = source_table(src_path, src_table)
    if (info is None or not info.rtree or info.fid.lower() != "fid" or len(fids) == 0
            or info.rows != len(fids) or not remove(dest_path)):
        return False
    out = layer = None
    try:
        with gdal_exceptions():
            out = gdal.VectorTranslate(
                dest_path, src_path, format="GPKG", layers=[src_table], layerName=dest_table,
                options=["-limit", "0", "-preserve_fid", "-lco", "GEOMETRY_NAME=geom",
                         "-lco", "FID=fid"])
            if out is None:
                remove(dest_path)
                return False
            layer = out.GetLayerByName(dest_table)
            for column in new_columns:
                field = ogr.FieldDefn(column.name, getattr(ogr, "OFT" + column.ogr_type))
                field.SetWidth(column.width)
                field.SetPrecision(column.precision)
                layer.CreateField(field)
            out = layer = None
    except (RuntimeError, AttributeError):
        out = layer = None    # close before removing (Windows keeps open files)
        remove(dest_path)
        return False
    ok = False
    try:
        ok = _fill(src_path, src_table, info, dest_path, dest_table, fids, columns,
                   is_canceled)
    finally:
        if not ok:
            remove(dest_path)
    return ok


def _fill(src_path, src_table, info: SourceTable, dest_path, dest_table, fids, columns,
          is_canceled) -> bool:
    src_fid, src_geom, srs_id = info.fid, info.geom, info.srs_id
    try:
        con = sqlite3.connect(sqlite_uri(dest_path), uri=True, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        con.execute("ATTACH DATABASE ? AS src", (sqlite_uri(src_path, read_only=True),))
        dest = con.execute("SELECT column_name, srs_id FROM main.gpkg_geometry_columns "
                           "WHERE table_name = ?", (dest_table,)).fetchone()
        if dest is None or dest[1] != srs_id:
            return False        # the geometry blobs name their srs id: it must not change
        dest_geom = dest[0]
        dest_cols = [(r[1], r[5]) for r in con.execute(f"PRAGMA main.table_info({_quote(dest_table)})")]
        dest_fid = [name for name, pk in dest_cols if pk == 1]
        if len(dest_fid) != 1:
            return False
        src_cols = {r[1].upper(): r[1] for r in
                    con.execute(f"PRAGMA src.table_info({_quote(src_table)})")}
        computed = {name.upper(): name for name in columns}
        names, values = [], []
        for name, _pk in dest_cols:
            if name == dest_fid[0]:
                expr = "s." + _quote(src_fid)
            elif name == dest_geom:
                expr = "s." + _quote(src_geom)
            elif name.upper() in computed:
                expr = "t." + _quote(f"c{list(computed).index(name.upper())}")
            elif name.upper() in src_cols:
                expr = "s." + _quote(src_cols[name.upper()])
            else:
                return False
            names.append(_quote(name))
            values.append(expr)
        if set(computed) - {name.upper() for name, _ in dest_cols}:
            return False
        # the triggers of the R-tree (OGR's SQL functions) and the feature count are put
        # back afterwards: the index is copied whole and the count set once
        triggers = con.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' "
                               "AND tbl_name = ?", (dest_table,)).fetchall()
        con.execute("BEGIN")
        for name, _sql in triggers:
            con.execute(f"DROP TRIGGER {_quote(name)}")
        temp = ", ".join(f"c{k}" for k in range(len(computed)))
        con.execute(f"CREATE TEMP TABLE qn_values (fid INTEGER PRIMARY KEY, {temp})")
        rows = zip((int(f) for f in fids), *(plain_values(v) for v in columns.values()))
        con.executemany(f"INSERT INTO temp.qn_values VALUES (?{', ?' * len(computed)})", rows)
        if is_canceled is not None and is_canceled():
            con.execute("ROLLBACK")
            return False
        n_src = con.execute(f"SELECT count(*) FROM src.{_quote(src_table)}").fetchone()[0]
        joined = con.execute(f"SELECT count(*) FROM src.{_quote(src_table)} s JOIN "
                             f"temp.qn_values t ON t.fid = s.{_quote(src_fid)}").fetchone()[0]
        if n_src != len(fids) or joined != n_src:
            con.execute("ROLLBACK")
            return False
        con.execute(f"INSERT INTO main.{_quote(dest_table)} ({', '.join(names)}) "
                    f"SELECT {', '.join(values)} FROM src.{_quote(src_table)} s "
                    f"JOIN temp.qn_values t ON t.fid = s.{_quote(src_fid)}")
        if not _copy_rtree(con, src_table, src_geom, dest_table, dest_geom):
            con.execute("ROLLBACK")
            return False
        # the extent of what was written (the source's recorded one may be stale): the
        # R-tree's boxes, rounded outwards to float32 as SQLite keeps them
        extent = con.execute(f"SELECT min(minx), min(miny), max(maxx), max(maxy) FROM "
                             f"main.{_quote(f'rtree_{dest_table}_{dest_geom}')}").fetchone()
        if extent is not None and extent[0] is not None:
            con.execute("UPDATE main.gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, "
                        "max_y = ? WHERE table_name = ?", (*extent, dest_table))
        if con.execute("SELECT count(*) FROM main.sqlite_master WHERE name = "
                       "'gpkg_ogr_contents'").fetchone()[0]:
            con.execute("UPDATE main.gpkg_ogr_contents SET feature_count = ? WHERE "
                        "table_name = ?", (n_src, dest_table))
        for _name, sql in triggers:
            con.execute(sql)
        con.execute("COMMIT")
        con.execute("DETACH DATABASE src")
        return True
    except sqlite3.Error:
        if con.in_transaction:
            con.execute("ROLLBACK")
        return False
    finally:
        con.close()


def _copy_rtree(con, src_table, src_geom, dest_table, dest_geom) -> bool:
    """The destination's R-tree (made by GDAL, with its triggers) gets the source's nodes:
    same rows, same bounding boxes, so the same tree (SQLite's R-tree keeps it in three
    plain shadow tables). False when the destination has no R-tree."""
    src = f"rtree_{src_table}_{src_geom}"
    dest = f"rtree_{dest_table}_{dest_geom}"
    if not con.execute("SELECT count(*) FROM main.sqlite_master WHERE name = ?",
                       (dest,)).fetchone()[0]:
        return False
    for shadow in ("node", "rowid", "parent"):
        con.execute(f"DELETE FROM main.{_quote(dest + '_' + shadow)}")
        con.execute(f"INSERT INTO main.{_quote(dest + '_' + shadow)} "
                    f"SELECT * FROM src.{_quote(src + '_' + shadow)}")
    return True

