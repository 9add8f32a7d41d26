#!/usr/bin/env bash
# 耕地集中连片度: farmland blocks before and after consolidation. The sample township has
# no tags yet, so a copy is tagged here: farmland on >25° (GDPDJB 5) goes up to forest
# (林耕置换 out, NYD04) and 其他草地 (0404) bordering farmland becomes farmland
# (宜耕后备资源开发, NYD03).
set -euo pipefail
tagged="$DEMO_OUT/contiguity_tagged.gpkg"
"$PY" - "$TOWN" "$tagged" <<'PY'
import sys

import numpy as np
import shapely
from osgeo import gdal, ogr
ogr.UseExceptions()

gdal.UseExceptions()
gdal.VectorTranslate(sys.argv[2], sys.argv[1], layers=["dltb"], format="GPKG")
ds = ogr.Open(sys.argv[2], 1)
layer = ds.GetLayer("dltb")
for name, width in (("ZZLX", 8), ("ZZZLX", 10)):
    field = ogr.FieldDefn(name, ogr.OFTString)
    field.SetWidth(width)
    layer.CreateField(field)
rows = [(f.GetFID(), f.GetField("DLBM"), f.GetField("GDPDJB"),
         shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb()))) for f in layer]
fids = np.array([r[0] for r in rows])
codes = np.array([r[1] for r in rows], dtype=object)
geoms = np.array([r[3] for r in rows])
farm = np.isin(codes, ["0101", "0102", "0103"])
tree = shapely.STRtree(geoms[farm])
grass = np.flatnonzero(codes == "0404")
touch = tree.query(geoms[grass], predicate="touches")
reserve = set(fids[grass[np.unique(touch[0])]])
steep = {r[0] for r in rows if r[1] in ("0101", "0102", "0103") and r[2] == "5"}
ds.StartTransaction()
for fid in sorted(reserve | steep):
    feature = layer.GetFeature(int(fid))
    feature.SetField("ZZLX", "NYD")
    feature.SetField("ZZZLX", "NYD03" if fid in reserve else "NYD04")
    layer.SetFeature(feature)
ds.CommitTransaction()
print(f"  tagged a copy: {len(steep)} steep farmland parcels 林耕置换 (out), "
      f"{len(reserve)} 其他草地 parcels 宜耕后备资源开发 (in)")
PY
"$QP" run qnlandconsol:farmlandcontiguity -- \
  INPUT="$tagged|layername=dltb" SCENARIO=2 LARGE_BLOCK=30 \
  BRIDGE_CODES=1006,1107 BRIDGE_WIDTH=8 \
  OUTPUT_BLOCKS="$DEMO_OUT/contiguity_blocks.gpkg" \
  OUTPUT="$DEMO_OUT/contiguity_parcels.gpkg" \
  OUTPUT_SUMMARY="$DEMO_OUT/contiguity_summary.csv" > "$DEMO_OUT/contiguity.log" 2>&1 \
  || { cat "$DEMO_OUT/contiguity.log"; exit 1; }
grep -E "WARNING|become farmland|road/ditch" "$DEMO_OUT/contiguity.log" | sed 's/^/  /'
"$PY" - "$DEMO_OUT/contiguity_summary.csv" <<'PY'
import csv
import sys

with open(sys.argv[1], encoding="utf-8") as fh:
    rows = list(csv.DictReader(fh))
head = ("情景", "耕地亩", "连片数", "平均亩", "加权平均亩", "最大亩", "≥30亩占比%", "每百亩片数")
keys = ("GD_MU", "LP_N", "LP_PJ", "LP_JQ", "LP_MAX", "DLP_ZB", "LP_BM")
print("  全乡镇 耕地集中连片度 (township total):")
print("    " + "  ".join(f"{h:>9}" for h in head))
for r in rows:
    if r["CJ_MC"] == "合计":
        print("    " + f"{r['QJ']:>9}" + "".join(f"  {float(r[k]):>9.2f}" for k in keys))
villages = [r for r in rows if r["CJ_MC"] != "合计" and r["QJ"] == "变化"]
villages.sort(key=lambda r: -float(r["LP_JQ"]))
print("  加权平均连片面积变化最大的村 (villages, change of area-weighted mean block 亩):")
for r in villages[:5]:
    print(f"    {r['CJ_MC'] or r['CJ_DM']:<8} {float(r['LP_JQ']):+9.2f} 亩, 连片数 {int(float(r['LP_N'])):+d}, "
          f"耕地 {float(r['GD_MU']):+.2f} 亩")
PY
