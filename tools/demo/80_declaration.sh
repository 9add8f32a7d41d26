#!/usr/bin/env bash
# 申报成果导出: tag two demo projects on a copy of the sample township (QN2025-001 of
# several separate blocks, QN2025-002 with a hole), export the declaration package
# (报部格式 TXT, GeoPackage, 项目区范围图 PDF/PNG, 地类统计表 xlsx) and read the TXT back.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$DEMO_OUT/declaration"
mkdir -p "$out"
"$PY" "$here/tag_demo_projects.py" "$TOWN" "$out/tagged.gpkg"
"$QP" run qnlandconsol:exportdeclaration -- \
  INPUT="$out/tagged.gpkg|layername=dltb" RED_LINE="$TOWN|layername=stbhhx" \
  UNIT="黔南州示范县自然资源局" OUTPUT_FOLDER="$out" > "$out/exportdeclaration.log" 2>&1 \
  || { cat "$out/exportdeclaration.log"; exit 1; }
grep -E "block\(s\)|WARNING|ERROR|警告|错误|exported" "$out/exportdeclaration.log" | sed 's/^/  /'
"$QP" run qnlandconsol:importdeclarationtxt -- \
  INPUT="$out/QN2025-002_范围.txt" OUTPUT="$out/QN2025-002_imported.gpkg" > "$out/import.log" 2>&1 \
  || { cat "$out/import.log"; exit 1; }
"$PY" - "$out" <<'PY'
import glob
import os
import sys

from openpyxl import load_workbook
from osgeo import ogr
ogr.UseExceptions()

sys.path.insert(0, os.getcwd())
from qn_landconsol_plugin.core import declaration_txt as dt  # noqa: E402

out = sys.argv[1]
for txt in sorted(glob.glob(os.path.join(out, "*_范围.txt"))):
    f = dt.read_txt(txt, strict=True)
    rings = sum(len(p.rings) for p in f.parcels)
    print(f"  {os.path.basename(txt)}: {f.encoding}, 带号 {f.header.zone}, {len(f.parcels)} 地块, "
          f"{rings} 圈, {sum(p.point_count for p in f.parcels)} 界址点, "
          f"{sum(p.area_ha for p in f.parcels):.4f} 公顷 (坐标复算 "
          f"{sum(p.area_m2() for p in f.parcels) / 1e4:.4f})")
for xlsx in sorted(glob.glob(os.path.join(out, "*_地类统计表.xlsx"))):
    ws = load_workbook(xlsx)["地类统计"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] != "合计"]
    top = sorted(rows, key=lambda r: -(r[4] or 0))[:3]
    print(f"  {os.path.basename(xlsx)}: " + "，".join(f"{r[1]} {r[6]:.4f} 公顷" for r in top))
    new = {r[0]: r for r in load_workbook(xlsx)["新增耕地"].iter_rows(min_row=3, values_only=True)
           if r[0]}
    area = next(r for k, r in new.items() if k.startswith("项目区现状耕地"))
    print(f"    新增耕地 {new['新增耕地合计'][2]:,.2f} 亩 / {area[0]} {area[2]:,.2f} 亩: "
          f"{new['新增耕地占比'][4]}")
ds = ogr.Open(os.path.join(out, "QN2025-002_imported.gpkg"))
layer = ds.GetLayer(0)
feat = layer.GetNextFeature()
print(f"  导入 QN2025-002_范围.txt: {layer.GetFeatureCount()} 个地块, EPSG:"
      f"{layer.GetSpatialRef().GetAuthorityCode(None)}, 面积 {feat.GetGeometryRef().GetArea():.2f} 平方米")
for pdf in sorted(glob.glob(os.path.join(out, "*_项目区范围图.pdf"))):
    print(f"  {os.path.basename(pdf)} ({os.path.getsize(pdf) // 1024} KB) + PNG")
PY
