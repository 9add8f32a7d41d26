"""Bench: qnlandconsol:potentialsurvey (the whole survey: slope, idle homesteads, control
lines, swap, contiguity, workbook and report) against running the separate algorithms it
reuses one after another on the same data (slope farmland, idle homesteads, control-line
check, forest–farmland swap, farmland contiguity). The survey must not be slower."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, COUNTY_DEM, OUT, record, run  # noqa: E402


def main():
    work = OUT / "potential"
    work.mkdir(parents=True, exist_ok=True)
    for old in work.iterdir():
        old.unlink()
    layer = lambda name: f"{COUNTY}|layername={name}"  # noqa: E731
    households = str(Path(COUNTY).parent / "households.csv")
    common = {"INPUT": layer("dltb"), "DEM": COUNTY_DEM}
    lines = {"RED_LINE": layer("stbhhx"), "PBF": layer("yjjbnt"), "UDB": layer("czkfbj")}
    evidence = {"BUILDINGS": layer("buildings"), "BUILDING_STATUS_FIELD": "FWZT",
                "HOUSEHOLDS": households, "HOUSEHOLD_KEY": "HH_BSM"}

    ours = run("qnlandconsol:potentialsurvey", {
        **common, **lines, **evidence, "LEVEL": 0,
        "OUTPUT": str(work / "ours.gpkg"), "OUTPUT_SUMMARY": str(work / "summary.csv"),
        "OUTPUT_CHECKS": str(work / "checks.csv"), "OUTPUT_XLSX": str(work / "potential.xlsx"),
        "OUTPUT_REPORT": str(work / "report.html")})
    steps = [
        ["qnlandconsol:slopefarmland", {**common, "OUTPUT": str(work / "slope.gpkg"),
                                        "OUTPUT_VILLAGES": str(work / "slope_villages.csv")}],
        ["qnlandconsol:idlehomesteads", {"INPUT": layer("dltb"), "DEM": COUNTY_DEM,
                                         "RED_LINE": layer("stbhhx"), **evidence,
                                         "OUTPUT": str(work / "homesteads.gpkg"),
                                         "OUTPUT_VILLAGES": str(work / "hollow.csv")}],
        ["qnlandconsol:controllinecheck", {"INPUT": layer("dltb"), **lines,
                                           "OUTPUT": str(work / "lines.gpkg"),
                                           "OUTPUT_OVERLAPS": str(work / "overlaps.gpkg"),
                                           "OUTPUT_REPORT": str(work / "lines.html")}],
        ["qnlandconsol:forestfarmlandswap", {**common, "RED_LINE": layer("stbhhx"),
                                             "OUTPUT": str(work / "swap.gpkg"),
                                             "OUTPUT_BALANCE": str(work / "swap.csv")}],
        ["qnlandconsol:farmlandcontiguity", {"INPUT": str(work / "ours.gpkg"), "SCENARIO": 2,
                                             "OUTPUT_BLOCKS": str(work / "blocks.gpkg"),
                                             "OUTPUT": str(work / "blocks_parcels.gpkg"),
                                             "OUTPUT_SUMMARY": str(work / "contiguity.csv")}],
    ]
    separate = run("separate-algorithms", {}, steps)
    n = os.environ.get("BENCH_PARCELS", "?")
    record("potentialsurvey (整治潜力调查评估)", ours, separate,
           f"{n} parcels; reference: slopefarmland + idlehomesteads + controllinecheck + "
           "forestfarmlandswap + farmlandcontiguity run one after another (not native)")


if __name__ == "__main__":
    main()
