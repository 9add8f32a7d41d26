#!/usr/bin/env bash
# 坡耕地识别 + 林耕置换: slope farmland of the sample township, its village table, and the
# forest–farmland swap candidates with their balance.
set -euo pipefail
"$QP" run qnlandconsol:slopefarmland -- \
  INPUT="$TOWN|layername=dltb" DEM="$DEM" \
  OUTPUT="$DEMO_OUT/slope_farmland.gpkg" \
  OUTPUT_VILLAGES="$DEMO_OUT/slope_farmland_villages.csv" > "$DEMO_OUT/slope_farmland.log" 2>&1 \
  || { cat "$DEMO_OUT/slope_farmland.log"; exit 1; }
grep -E "Farmland |Verdict|computed slope grade|have a DEM slope" "$DEMO_OUT/slope_farmland.log" | sed 's/^/  /'
"$QP" run qnlandconsol:forestfarmlandswap -- \
  INPUT="$DEMO_OUT/slope_farmland.gpkg" DEM="$DEM" RED_LINE="$TOWN|layername=stbhhx" \
  OUTPUT="$DEMO_OUT/forest_farmland_swap.gpkg" \
  OUTPUT_BALANCE="$DEMO_OUT/forest_farmland_swap_balance.csv" > "$DEMO_OUT/forest_farmland_swap.log" 2>&1 \
  || { cat "$DEMO_OUT/forest_farmland_swap.log"; exit 1; }
grep -E "garden/forest|Out .* 亩|WARNING" "$DEMO_OUT/forest_farmland_swap.log" | sed 's/^/  /'
"$PY" - "$DEMO_OUT/slope_farmland.gpkg" "$DEMO_OUT/slope_farmland_villages.csv" \
  "$DEMO_OUT/forest_farmland_swap.gpkg" "$DEMO_OUT/forest_farmland_swap_balance.csv" <<'PY'
import collections
import csv
import sys

from osgeo import ogr
ogr.UseExceptions()

ds = ogr.Open(sys.argv[1])
layer = ds.GetLayer(0)
grades = collections.Counter()
for f in layer:
    if (f.GetField("GD_MU") or 0) > 0 and f.GetField("PDJB_JS") is not None:
        grades[f.GetField("PDJB_JS")] += f.GetField("GD_MU")
print("  耕地按计算坡度级别 (亩): " + ", ".join(f"{k}级 {grades[k]:.1f}" for k in sorted(grades)))
print("  坡耕地 by village (村 耕地亩 坡耕地亩 不稳定耕地亩 坡耕地占比%):")
with open(sys.argv[2], encoding="utf-8") as fh:
    for v in csv.DictReader(fh):
        print(f"    {v['CUNMC']:<6} {float(v['GD_MU']):9.1f} {float(v['PGD_MU']):9.1f} "
              f"{float(v['BWD_MU']):9.1f} {float(v['PGD_ZB']):6.1f}")
ds = ogr.Open(sys.argv[3])
layer = ds.GetLayer(0)
best = sorted((f for f in layer if f.GetField("ZH_LX") == "入"), key=lambda f: -f.GetField("ZH_PF"))
print("  best move-in candidates (BSM 地类 坡度° 距离m 亩 评分):")
for f in best[:5]:
    print(f"    {f.GetField('BSM')} {f.GetField('DLBM'):<5} {f.GetField('PD_MEAN'):5.1f} "
          f"{f.GetField('ZH_JL'):6.1f} {f.GetField('ZH_MU'):6.2f} {f.GetField('ZH_PF'):6.2f}")
print("  林耕置换 balance (村 调出亩 调入亩 可调入亩 耕地总量不减少):")
with open(sys.argv[4], encoding="utf-8") as fh:
    for v in csv.DictReader(fh):
        print(f"    {v['CUNMC']:<6} {float(v['CK_MU']):8.1f} {float(v['RK_MU']):8.1f} "
              f"{float(v['KY_MU']):8.1f}  {v['BJ']}")
PY
