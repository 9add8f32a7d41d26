#!/usr/bin/env bash
# 闲置宅基地识别 / 空心村: idle homesteads of the sample township and the village ranking.
set -euo pipefail
"$QP" run qnlandconsol:idlehomesteads -- \
  INPUT="$TOWN|layername=dltb" \
  BUILDINGS="$TOWN|layername=buildings" BUILDING_STATUS_FIELD=FWZT \
  HOUSEHOLDS="$HOUSEHOLDS" HOUSEHOLD_KEY=HH_BSM \
  DEM="$DEM" RED_LINE="$TOWN|layername=stbhhx" \
  OUTPUT="$DEMO_OUT/idle_homesteads.gpkg" \
  OUTPUT_VILLAGES="$DEMO_OUT/hollow_villages.csv" > "$DEMO_OUT/idle_homesteads.log" 2>&1 \
  || { cat "$DEMO_OUT/idle_homesteads.log"; exit 1; }
grep -oE "WARNING.*|[0-9]+ homestead .*|[0-9]+ villages, .*" "$DEMO_OUT/idle_homesteads.log" | sed "s/^/  /"
"$PY" - "$DEMO_OUT/idle_homesteads.gpkg" "$DEMO_OUT/hollow_villages.csv" <<'PY'
import collections
import csv
import sys

from osgeo import ogr
ogr.UseExceptions()

ds = ogr.Open(sys.argv[1])
layer = ds.GetLayer(0)
rows = [(f.GetField("BSM"), f.GetField("JZ_MJ"), f.GetField("JZ_FGL"), f.GetField("XZ"),
         f.GetField("XZ_YY") or "", f.GetField("XZ_MU"), f.GetField("FK_LX") or "") for f in layer]
idle = [r for r in rows if r[3] == 1]
reasons = collections.Counter(x for r in idle for x in r[4].split("、") if x)
with open(sys.argv[2], encoding="utf-8") as fh:
    villages = list(csv.DictReader(fh))
unit = villages[0]["TJDW"] if villages else "图斑"      # 宗地 with a 宅基地宗地 layer
n = "宗" if unit == "宗地" else "个图斑"
print(f"  宅基地 {len(rows)} {n}, 闲置 {len(idle)} {n}, {sum(r[5] for r in idle):.2f} 亩"
      + ("（按三调图斑计，不是户数：未提供宅基地宗地图层）" if unit != "宗地" else ""))
print("  闲置原因: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
print("  复垦方向: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(r[6] for r in idle).most_common()))
print("  示例 (BSM, 建筑面积 m², 覆盖率 %, 原因):")
for r in sorted(idle, key=lambda r: -r[5])[:5]:
    print(f"    {r[0]}  {r[1]:8.1f}  {r[2]:6.2f}  {r[4]}")
count = "宗数" if unit == "宗地" else "图斑数"
print(f"  空心化排名 (排名 村 宅基地{count} 闲置{count} 空心化率(面积)% 空心村):")
for v in villages:
    flag = "空心村" if v["KXC"] == "1" else ""
    print(f"    {v['PM']:>2} {v['CUN_MC']:<6} {v['ZJD_GS']:>4} {v['XZ_GS']:>4} "
          f"{float(v['KXL_MJ']):6.2f}  {flag}")
PY
