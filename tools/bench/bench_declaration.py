"""Bench: declaration export (qnlandconsol:exportdeclaration) against the native way of
getting project boundaries: native:dissolve by project number -> native:reprojectlayer
to the zone-prefixed CGCS2000 GK CRS (EPSG:4524), written to a GeoPackage.

Every parcel of the county sample is given a project number: its village code
(ZLDWDM, 12 characters), so there are as many projects as villages. Ours writes per
project the TXT, the GeoPackage (boundary, parcels, statistics, checks) and the xlsx,
and runs all checks; the map (PDF/PNG) is off here and timed separately on 3 projects."""
import os
import sys
import tempfile
from pathlib import Path

from osgeo import gdal

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, record, run  # noqa: E402


def tag_by_village(src: str, dst: str):
    """A copy of dltb with XMBH = village code and XMMC = village name, ZZLX/ZZZLX set."""
    gdal.UseExceptions()
    sql = ("SELECT *, substr(ZLDWDM, 1, 12) AS XMBH, ZLDWMC AS XMMC, "
           "'NYD' AS ZZLX, 'NYD01' AS ZZZLX FROM dltb")
    gdal.VectorTranslate(dst, src, SQLStatement=sql, SQLDialect="SQLite", layerName="dltb",
                         format="GPKG")


def main():
    n = os.environ.get("BENCH_PARCELS", "?")
    with tempfile.TemporaryDirectory(prefix="bench_decl_") as tmp:
        tagged = f"{tmp}/tagged.gpkg"
        tag_by_village(COUNTY, tagged)
        parcels = f"{tagged}|layername=dltb"
        native = run("", {}, steps=[
            ["native:dissolve", {"INPUT": parcels, "FIELD": ["XMBH"], "OUTPUT": f"{tmp}/dissolved.gpkg"}],
            ["native:reprojectlayer", {"INPUT": "@0.OUTPUT", "TARGET_CRS": "EPSG:4524",
                                       "OUTPUT": f"{tmp}/native_boundaries.gpkg"}],
        ])
        ours = run("qnlandconsol:exportdeclaration", {
            "INPUT": parcels, "MAP": False, "OUTPUT_FOLDER": f"{tmp}/ours"})
        projects = len(list(Path(f"{tmp}/ours").glob("*_范围.txt")))
        record("exportdeclaration (TXT + GPKG + xlsx + checks, no map)", ours, native,
               f"{n} parcels, {projects} projects (one per village); native: dissolve by XMBH + "
               f"reproject to EPSG:4524")
        some = ",".join(sorted(p.name.split("_")[0] for p in Path(f"{tmp}/ours").glob("*_范围.txt"))[:3])
        ours_map = run("qnlandconsol:exportdeclaration", {
            "INPUT": parcels, "PROJECTS": some, "MAP": True, "OUTPUT_FOLDER": f"{tmp}/maps"})
        record("exportdeclaration, 3 projects with the A3 map (PDF + PNG)", ours_map, native,
               f"{n} parcels; native: the same full dissolve (no map)")


if __name__ == "__main__":
    main()
