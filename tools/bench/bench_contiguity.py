"""Bench: farmland blocks (qnlandconsol:farmlandcontiguity, shared boundaries only) against
the native way: extract farmland -> native:dissolve -> native:multiparttosingleparts.

Both write their blocks to a GeoPackage; ours also writes the summary table. A second
line records ours with the parcel output (LP_ID/LP_MU on every parcel) as well."""
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, record, run  # noqa: E402

FARMLAND = "\"DLBM\" IN ('0101','0102','0103')"


def main():
    parcels = f"{COUNTY}|layername=dltb"
    n = os.environ.get("BENCH_PARCELS", "?")
    with tempfile.TemporaryDirectory(prefix="bench_contig_") as tmp:
        native = run("", {}, steps=[
            ["native:extractbyexpression", {"INPUT": parcels, "EXPRESSION": FARMLAND,
                                            "OUTPUT": f"{tmp}/farmland.gpkg"}],
            ["native:dissolve", {"INPUT": "@0.OUTPUT", "OUTPUT": f"{tmp}/dissolved.gpkg"}],
            ["native:multiparttosingleparts", {"INPUT": "@1.OUTPUT",
                                               "OUTPUT": f"{tmp}/native_blocks.gpkg"}],
        ])
        ours = run("qnlandconsol:farmlandcontiguity", {
            "INPUT": parcels, "BRIDGE_CODES": "", "SCENARIO": 0,
            "OUTPUT_BLOCKS": f"{tmp}/blocks.gpkg", "OUTPUT_SUMMARY": f"{tmp}/summary.gpkg"})
        record("farmlandcontiguity (blocks + summary)", ours, native,
               f"{n} parcels; native: extract + dissolve + multipart to singleparts")
        ours_all = run("qnlandconsol:farmlandcontiguity", {
            "INPUT": parcels, "BRIDGE_CODES": "", "SCENARIO": 0,
            "OUTPUT_BLOCKS": f"{tmp}/blocks2.gpkg", "OUTPUT_SUMMARY": f"{tmp}/summary2.gpkg",
            "OUTPUT": f"{tmp}/parcels2.gpkg"})
        record("farmlandcontiguity (+ every parcel with LP_ID)", ours_all, native,
               f"{n} parcels; ours also writes all parcels")


if __name__ == "__main__":
    main()
