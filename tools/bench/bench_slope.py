"""Bench: qnlandconsol:slopefarmland against the native chain producing the same fields:
native:slope, native:zonalstatisticsfb (mean), native:reclassifybytable (slope > 25) +
native:zonalstatisticsfb (share of steep cells), then native:fieldcalculator for PDJB_JS,
PGD, BWD, PGD_LY and GD_MU. Both write a GeoPackage."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, COUNTY_DEM, OUT, record, run  # noqa: E402

FARM = "\"DLBM\" IN ('0101','0102','0103')"
UNSTABLE = "\"TBXHDM\" IN ('HDGD','HQGD','LQGD','MQGD','SHGD','HHGD','SMGD')"


def _calc(src, name, ftype, formula, out="TEMPORARY_OUTPUT"):
    return ["native:fieldcalculator", {"INPUT": src, "FIELD_NAME": name, "FIELD_TYPE": ftype,
                                       "FIELD_LENGTH": 10, "FIELD_PRECISION": 4,
                                       "FORMULA": formula, "OUTPUT": out}]


def main():
    work = OUT / "slope"
    work.mkdir(parents=True, exist_ok=True)
    for name in ("ours.gpkg", "native.gpkg", "villages.csv", "swap.gpkg", "balance.csv"):
        (work / name).unlink(missing_ok=True)
    dltb = f"{COUNTY}|layername=dltb"
    ours = run("qnlandconsol:slopefarmland", {
        "INPUT": dltb, "DEM": COUNTY_DEM, "OUTPUT": str(work / "ours.gpkg"),
        "OUTPUT_VILLAGES": str(work / "villages.csv")})
    steps = [
        ["native:slope", {"INPUT": COUNTY_DEM, "Z_FACTOR": 1, "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:zonalstatisticsfb", {"INPUT": dltb, "INPUT_RASTER": "@0.OUTPUT",
                                      "RASTER_BAND": 1, "COLUMN_PREFIX": "PD_",
                                      "STATISTICS": [2], "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:reclassifybytable", {"INPUT_RASTER": "@0.OUTPUT", "RASTER_BAND": 1,
                                      "TABLE": ["-1000", "25", "0", "25", "1000", "100"],
                                      "RANGE_BOUNDARIES": 1, "NO_DATA": -9999,
                                      "DATA_TYPE": 5, "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:zonalstatisticsfb", {"INPUT": "@1.OUTPUT", "INPUT_RASTER": "@2.OUTPUT",
                                      "RASTER_BAND": 1, "COLUMN_PREFIX": "GT_",
                                      "STATISTICS": [2], "OUTPUT": "TEMPORARY_OUTPUT"}],
        _calc("@3.OUTPUT", "PDJB_JS", 1, "CASE WHEN \"PD_mean\" IS NULL THEN NULL WHEN "
              "\"PD_mean\" <= 2 THEN 1 WHEN \"PD_mean\" <= 6 THEN 2 WHEN \"PD_mean\" <= 15 "
              "THEN 3 WHEN \"PD_mean\" <= 25 THEN 4 ELSE 5 END"),
        _calc("@4.OUTPUT", "PGD", 1, f"CASE WHEN {FARM} AND (\"PD_mean\" > 25 OR "
              "(\"PD_mean\" IS NULL AND \"GDPDJB\" = '5')) THEN 1 ELSE 0 END"),
        _calc("@5.OUTPUT", "BWD", 1, f"CASE WHEN {FARM} AND (\"PGD\" = 1 OR {UNSTABLE}) "
              "THEN 1 ELSE 0 END"),
        _calc("@6.OUTPUT", "PGD_LY", 2, f"CASE WHEN NOT {FARM} THEN NULL WHEN \"PD_mean\" IS "
              "NOT NULL THEN 'DEM' WHEN \"GDPDJB\" IS NOT NULL THEN 'GDPDJB' END"),
        _calc("@7.OUTPUT", "GD_MU", 0, f"CASE WHEN {FARM} THEN \"TBDLMJ\" / (10000.0 / 15) "
              "ELSE 0 END", str(work / "native.gpkg")),
    ]
    native = run("native-chain", {}, steps)
    n = os.environ.get("BENCH_PARCELS", "?")
    record("slopefarmland (坡耕地)", ours, native,
           f"{n} parcels; native: slope+zonal mean+reclassify+zonal+5 field calculators")
    swap = run("qnlandconsol:forestfarmlandswap", {
        "INPUT": dltb, "DEM": COUNTY_DEM, "RED_LINE": f"{COUNTY}|layername=stbhhx",
        "OUTPUT": str(work / "swap.gpkg"), "OUTPUT_BALANCE": str(work / "balance.csv")})
    record("forestfarmlandswap (林耕置换候选)", swap, None,
           f"{n} parcels, with the DEM and the red line; no native equivalent (time only)")


if __name__ == "__main__":
    main()
