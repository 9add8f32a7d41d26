#!/usr/bin/env bash
# 三区三线冲突检查: a whole-township work plan (every parcel tagged by its land class, as
# a first draft would be) checked against the red line, PBF and urban boundary; the HTML
# report with its map, the parcels and the overlap pieces.
set -euo pipefail
plan="$DEMO_OUT/control_lines_plan.gpkg"
"$PY" - "$TOWN" "$plan" <<'PY'
import sys

from osgeo import gdal, ogr
ogr.UseExceptions()

gdal.UseExceptions()
src, dst = sys.argv[1], sys.argv[2]
gdal.VectorTranslate(dst, src, layers=["dltb"], format="GPKG", accessMode="overwrite")
ds = ogr.Open(dst, 1)
layer = ds.GetLayer("dltb")
for name in ("ZZLX", "ZZZLX"):
    layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
# a draft plan: task by land class (prefix of DLBM) -> (ZZLX, ZZZLX)
PLAN = (("0702", "JSYD", "JSYD01"), ("0404", "NYD", "NYD03"), ("120", "NYD", "NYD03"),
        ("01", "NYD", "NYD01"), ("03", "STXF", "STXF01"), ("06", "JSYD", "JSYD03"))
ds.StartTransaction()
for f in layer:
    code = f.GetField("DLBM") or ""
    hit = next((t for t in PLAN if code.startswith(t[0])), None)
    if hit:
        f.SetField("ZZLX", hit[1])
        f.SetField("ZZZLX", hit[2])
        layer.SetFeature(f)
ds.CommitTransaction()
PY
"$QP" run qnlandconsol:controllinecheck -- \
  INPUT="$plan|layername=dltb" RED_LINE="$TOWN|layername=stbhhx" \
  PBF="$TOWN|layername=yjjbnt" UDB="$TOWN|layername=czkfbj" MIN_AREA=1 \
  OUTPUT="$DEMO_OUT/control_lines.gpkg" OUTPUT_OVERLAPS="$DEMO_OUT/control_lines_overlaps.gpkg" \
  OUTPUT_REPORT="$DEMO_OUT/control_lines_report.html" > "$DEMO_OUT/control_lines.log" 2>&1 \
  || { cat "$DEMO_OUT/control_lines.log"; exit 1; }
grep -E "polygon\(s\)|Levels:|repaired|WARNING" "$DEMO_OUT/control_lines.log" | sed 's/^[0-9. ]*/  /'
"$PY" - "$DEMO_OUT/control_lines.gpkg" "$DEMO_OUT/control_lines_overlaps.gpkg" \
  "$DEMO_OUT/control_lines_report.html" <<'PY'
import collections
import sys

from osgeo import ogr
ogr.UseExceptions()

M2_PER_MU = 10000.0 / 15.0
parcels = ogr.Open(sys.argv[1])
levels = collections.Counter(f.GetField("CT_DJ") for f in parcels.GetLayer(0))
print(f"  图斑: 冲突(2级) {levels[2]}，需关注(1级) {levels[1]}，无冲突 {levels[0]}")
pieces = ogr.Open(sys.argv[2])
kinds = collections.defaultdict(lambda: [0, 0.0])
for f in pieces.GetLayer(0):
    if f.GetField("CT_DJ") > 0:
        k = kinds[(f.GetField("CT_DJ"), f.GetField("CT_SM"))]
        k[0] += 1
        k[1] += f.GetField("CD_MJ") / M2_PER_MU
print("  冲突类型 (等级 图斑数 重叠面积亩 说明):")
for (lv, reason), (n, mu) in sorted(kinds.items(), key=lambda kv: (-kv[0][0], -kv[1][1]))[:8]:
    print(f"    {lv}  {n:5d}  {mu:9.1f}  {reason}")
print(f"  报告 (浏览器打开): {sys.argv[3]}")
PY
