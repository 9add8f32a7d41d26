#!/usr/bin/env bash
# 三调图斑质检: the sample township (passes clean), then a copy with problems a county file
# really has (a NULL DLBM, a duplicated BSM, the code 0305K, TBMJ 100× the area, a parcel
# moved 2 m onto its neighbours): the flagged parcels, the topology layer, report, workbook.
set -euo pipefail
"$QP" run qnlandconsol:checkparcels -- \
  INPUT="$TOWN|layername=dltb" OUTPUT="$DEMO_OUT/check_parcels_township.gpkg" \
  OUTPUT_TOPOLOGY="$DEMO_OUT/check_parcels_township_topology.gpkg" \
  OUTPUT_REPORT="$DEMO_OUT/check_parcels_township_report.html" \
  OUTPUT_XLSX="$DEMO_OUT/check_parcels_township.xlsx" \
  > "$DEMO_OUT/check_parcels_township.log" 2>&1 \
  || { cat "$DEMO_OUT/check_parcels_township.log"; exit 1; }
grep -E "parcels have problems" "$DEMO_OUT/check_parcels_township.log" | sed 's/^/  示例乡镇: /'
damaged="$DEMO_OUT/check_parcels_damaged_input.gpkg"
"$PY" - "$TOWN" "$damaged" <<'PY'
import sys

from osgeo import gdal, ogr
ogr.UseExceptions()
gdal.UseExceptions()

src, dst = sys.argv[1], sys.argv[2]
gdal.VectorTranslate(dst, src, layers=["dltb"], format="GPKG", accessMode="overwrite")
ds = ogr.Open(dst, 1)
layer = ds.GetLayer("dltb")
fids = [f.GetFID() for f in layer]
ds.StartTransaction()
for k, fid in enumerate(fids[100:105]):
    f = layer.GetFeature(fid)
    if k == 0:
        f.SetFieldNull("DLBM")
    elif k == 1:
        f.SetField("BSM", layer.GetFeature(fids[0]).GetField("BSM"))
    elif k == 2:
        f.SetField("DLBM", "0305K")
    elif k == 3:
        f.SetField("TBMJ", f.GetField("TBMJ") * 100.0)
    else:
        g = f.GetGeometryRef().Clone()          # moved 2 m east
        for i in range(g.GetGeometryCount()):
            for j in range(g.GetGeometryRef(i).GetGeometryCount()):
                ring = g.GetGeometryRef(i).GetGeometryRef(j)
                for p in range(ring.GetPointCount()):
                    ring.SetPoint_2D(p, ring.GetX(p) + 2.0, ring.GetY(p))
        f.SetGeometry(g)
    layer.SetFeature(f)
ds.CommitTransaction()
PY
"$QP" run qnlandconsol:checkparcels -- \
  INPUT="$damaged|layername=dltb" OUTPUT="$DEMO_OUT/check_parcels.gpkg" \
  OUTPUT_TOPOLOGY="$DEMO_OUT/check_parcels_topology.gpkg" \
  OUTPUT_REPORT="$DEMO_OUT/check_parcels_report.html" \
  OUTPUT_XLSX="$DEMO_OUT/check_parcels.xlsx" > "$DEMO_OUT/check_parcels.log" 2>&1 \
  || { cat "$DEMO_OUT/check_parcels.log"; exit 1; }
grep -E "parcel\(s\), |Topology:|parcels have problems" "$DEMO_OUT/check_parcels.log" \
  | sed 's/^/  /'
echo "  报告 (浏览器打开): $DEMO_OUT/check_parcels_report.html"
