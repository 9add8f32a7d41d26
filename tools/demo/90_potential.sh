#!/usr/bin/env bash
# 整治潜力调查评估: the potential survey of the sample township with every optional layer,
# ending with the Excel workbook and the HTML report (charts, rule checks, map).
set -euo pipefail
"$QP" run qnlandconsol:potentialsurvey -- \
  INPUT="$TOWN|layername=dltb" DEM="$DEM" \
  RED_LINE="$TOWN|layername=stbhhx" PBF="$TOWN|layername=yjjbnt" UDB="$TOWN|layername=czkfbj" \
  BUILDINGS="$TOWN|layername=buildings" BUILDING_STATUS_FIELD=FWZT \
  HOUSEHOLDS="$HOUSEHOLDS" HOUSEHOLD_KEY=HH_BSM \
  LEVEL=0 TARGETS="73500,2300,3500,12" \
  OUTPUT="$DEMO_OUT/potential_parcels.gpkg" \
  OUTPUT_SUMMARY="$DEMO_OUT/potential_summary.csv" \
  OUTPUT_CHECKS="$DEMO_OUT/potential_checks.csv" \
  OUTPUT_XLSX="$DEMO_OUT/potential.xlsx" \
  OUTPUT_REPORT="$DEMO_OUT/potential_report.html" > "$DEMO_OUT/potential.log" 2>&1 \
  || { cat "$DEMO_OUT/potential.log"; exit 1; }
grep -E "WARNING|skipped" "$DEMO_OUT/potential.log" | sed 's/^/  /' || true
"$PY" - "$DEMO_OUT/potential_summary.csv" "$DEMO_OUT/potential_checks.csv" \
  "$DEMO_OUT/potential.xlsx" "$DEMO_OUT/potential_report.html" <<'PY'
import csv
import os
import sys

with open(sys.argv[1], encoding="utf-8") as fh:
    rows = list(csv.DictReader(fh))
total = rows[-1]
f = lambda k: float(total[k] or 0)
print(f"  潜力（亩）: 农用地整理 {f('NYD_MU'):,.1f}  建设用地整理 {f('JSYD_MU'):,.1f}  "
      f"生态保护修复 {f('STXF_MU'):,.1f}")
print(f"  新增耕地 {f('XZGD_MU'):,.1f} 亩, 减少 {f('JSGD_MU'):,.1f} 亩, 净增 {f('JZGD_MU'):,.1f} 亩 "
      f"(原有耕地 {f('YGD_MU'):,.1f} 亩的 {f('JZGD_ZB'):.2f}%)")
print(f"  建设用地 {f('JSQ_MU'):,.1f} -> {f('JSH_MU'):,.1f} 亩; 候选和美乡村 {total['HMXC']} 个")
print(f"  目标完成度: 农用地整理 {f('NYD_JD'):.2f}%  建设用地整理 {f('JSYD_JD'):.2f}%  "
      f"生态修复 {f('STXF_JD'):.2f}%")
print("  各村潜力（亩, 农用地/建设用地/生态）:")
for r in rows[:-1]:
    print(f"    {r['DW_MC'] or r['DW_DM']:<6} {float(r['NYD_MU']):9.1f} {float(r['JSYD_MU']):7.1f} "
          f"{float(r['STXF_MU']):9.1f}")
with open(sys.argv[2], encoding="utf-8") as fh:
    checks = [c for c in csv.DictReader(fh) if c["DW_DM"] == "合计"]
print("  规则检查（合计）:")
for c in checks:
    print(f"    {c['GZ_DM']} {c['GZ_MC']:<22} {c['JG']}  {c['SM']}")
for path in sys.argv[3:]:
    print(f"  -> {os.path.basename(path)} ({os.path.getsize(path) / 1024:,.0f} KB)")
PY
