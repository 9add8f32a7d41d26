"""Private fast path of styles.save_style_in_gpkg: the declaration export writes the
same six layers (same fields, aliases and renderer) into one GeoPackage per project,
771 of them for a county, and QGIS's own way (open the layer, set the aliases and the
renderer, saveStyleToDatabase) costs ~15 ms a layer. The first time QGIS writes a
layer's style, the row it stored in `layer_styles` (and that table's definition) is
remembered; for the next GeoPackage with the same layer, the row is inserted with
SQLite. The style is the same but for the rules' random ids (checked by
tests/qgis/test_export_declaration.py). Only into a new `layer_styles` or one without a
style of that layer, and only while fast paths are on (fast_paths.enabled)."""
from __future__ import annotations

import contextlib
import sqlite3

from ._gpkg_copy import sqlite_uri

STYLE_COLUMNS = ("f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                 "styleName", "styleQML", "styleSLD", "useAsDefault", "description", "owner",
                 "ui")
_REMEMBERED = {}   # key -> (table and trigger DDL, gpkg_contents row, the style row)


def insert(path: str, name: str, key) -> bool:
    """The remembered style of `key` into layer `name` of the GeoPackage `path`; False
    (nothing written) when there is none or the file already has a style for `name`."""
    remembered = _REMEMBERED.get(key)
    if remembered is None:
        return False
    ddl, contents, row = remembered
    try:
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as con:
            con.execute("BEGIN")
            has_table = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                    "name = 'layer_styles'").fetchone()
            if has_table and con.execute("SELECT 1 FROM layer_styles WHERE f_table_name = ?",
                                         (name,)).fetchone():
                con.execute("ROLLBACK")
                return False
            if not has_table:
                for statement in ddl:
                    con.execute(statement)
                con.execute(f"INSERT INTO gpkg_contents ({', '.join(contents)}) VALUES "
                            f"({', '.join('?' * len(contents))})", tuple(contents.values()))
                if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'"
                               ).fetchone():
                    con.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, "
                                "feature_count) VALUES ('layer_styles', 0)")
            con.execute(f"INSERT INTO layer_styles ({', '.join(STYLE_COLUMNS)}) VALUES "
                        f"({', '.join('?' * len(STYLE_COLUMNS))})", row)
            con.execute("COMMIT")
        return True
    except sqlite3.Error:
        return False


def remember(path: str, name: str, key) -> None:
    """Remember the style QGIS just stored for layer `name` in `path` under `key`."""
    try:
        with contextlib.closing(sqlite3.connect(sqlite_uri(path, read_only=True),
                                                uri=True)) as con:
            ddl = [sql for (sql,) in con.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'layer_styles' AND sql IS NOT "
                "NULL ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END")]
            con.row_factory = sqlite3.Row
            contents = con.execute("SELECT * FROM gpkg_contents WHERE table_name = "
                                   "'layer_styles'").fetchone()
            row = con.execute(f"SELECT {', '.join(STYLE_COLUMNS)} FROM layer_styles WHERE "
                              "f_table_name = ? AND useAsDefault ORDER BY id DESC",
                              (name,)).fetchone()
    except sqlite3.Error:
        return
    if ddl and contents is not None and row is not None:
        _REMEMBERED[key] = (ddl, {k: contents[k] for k in contents.keys()}, tuple(row))
