"""Bench: qnlandconsol:idlehomesteads against the native chain computing the same
building area per homestead (extract by expression, intersection with the footprints,
dissolve per parcel, $area, join back, join-by-location summary of building states)."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COUNTY, OUT, record, run  # noqa: E402

EXPRESSION = "\"DLBM\" = '0702'"


def main():
    work = OUT / "homesteads"
    work.mkdir(parents=True, exist_ok=True)
    for name in ("ours.gpkg", "native.gpkg", "villages.csv"):
        (work / name).unlink(missing_ok=True)
    dltb, buildings = f"{COUNTY}|layername=dltb", f"{COUNTY}|layername=buildings"

    ours = run("qnlandconsol:idlehomesteads", {
        "INPUT": dltb, "HOMESTEAD_EXPRESSION": EXPRESSION, "BUILDINGS": buildings,
        "BUILDING_STATUS_FIELD": "FWZT", "OUTPUT": str(work / "ours.gpkg"),
        "OUTPUT_VILLAGES": str(work / "villages.csv")})
    steps = [  # footprints have invalid rings: native overlay stops on them unless fixed
        ["native:fixgeometries", {"INPUT": buildings, "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:extractbyexpression", {"INPUT": dltb, "EXPRESSION": EXPRESSION,
                                        "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:intersection", {"INPUT": "@1.OUTPUT", "OVERLAY": "@0.OUTPUT",
                                 "INPUT_FIELDS": ["BSM"], "OVERLAY_FIELDS": ["FWZT"],
                                 "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:dissolve", {"INPUT": "@2.OUTPUT", "FIELD": ["BSM"], "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:fieldcalculator", {"INPUT": "@3.OUTPUT", "FIELD_NAME": "JZ_MJ", "FIELD_TYPE": 0,
                                    "FIELD_LENGTH": 19, "FIELD_PRECISION": 2, "FORMULA": "$area",
                                    "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["native:joinattributestable", {"INPUT": "@1.OUTPUT", "FIELD": "BSM", "INPUT_2": "@4.OUTPUT",
                                        "FIELD_2": "BSM", "FIELDS_TO_COPY": ["JZ_MJ"], "METHOD": 1,
                                        "OUTPUT": "TEMPORARY_OUTPUT"}],
        ["qgis:joinbylocationsummary", {"INPUT": "@5.OUTPUT", "JOIN": "@0.OUTPUT", "PREDICATE": [0],
                                          "JOIN_FIELDS": ["FWZT"], "SUMMARIES": [0, 3],
                                          "DISCARD_NONMATCHING": False,
                                          "OUTPUT": str(work / "native.gpkg")}],
    ]
    native = run("native-chain", {}, steps)
    n = os.environ.get("BENCH_PARCELS", "?")
    record("idlehomesteads (闲置宅基地)", ours, native,
           f"{n} parcels; native: fixgeometries+extract+intersection+dissolve+$area+join+join-by-location summary")


if __name__ == "__main__":
    main()
