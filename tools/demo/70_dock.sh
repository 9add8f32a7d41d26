#!/usr/bin/env bash
# 整治任务面板 (dock): tag parcels of a copy of the sample township as a technician would
# (real dock, QGIS offscreen), undo one step, print the live totals, save the layer.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cp "$TOWN" "$DEMO_OUT/dock_township.gpkg"
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" QT_QPA_PLATFORM=offscreen "$PY" - "$DEMO_OUT/dock_township.gpkg" <<'PY' 2> >(grep -v "Application path\|XDG_RUNTIME" >&2)
import sys

from qgis.core import QgsApplication, QgsFeatureRequest, QgsProject, QgsVectorLayer

app = QgsApplication([], True)
app.initQgis()
from qgis.gui import QgsMapCanvas

from qn_landconsol_plugin.ui.consolidation_dock import ConsolidationDock


class Iface:
    canvas = QgsMapCanvas()

    def mapCanvas(self):
        return self.canvas


gpkg = sys.argv[1]
layers = {n: QgsVectorLayer(f"{gpkg}|layername={n}", n, "ogr") for n in ("dltb", "stbhhx", "yjjbnt", "czkfbj")}
QgsProject.instance().addMapLayers(list(layers.values()))
dltb = layers["dltb"]
dock = ConsolidationDock(Iface())
dock.confirm = lambda *_: True            # "add the ZZLX… fields?" -> yes
dock.set_parcel_layer(dltb)
dock.set_project("522701-2025-01", "示例乡镇全域土地综合整治项目", 2026)
dock.set_control_layers(layers["stbhhx"], layers["yjjbnt"], layers["czkfbj"])


def pick(expr, n):
    return [f.id() for f in dltb.getFeatures(QgsFeatureRequest().setFilterExpression(expr).setNoAttributes())][:n]


for task, expr, n in (("NYD01", "\"DLBM\" IN ('0101','0102','0103') AND \"GDPDJB\" IN ('1','2')", 200),
                      ("NYD03", "\"DLBM\" IN ('0404','1206','1207')", 40),
                      ("NYD06", "\"DLBM\" = '0103' AND \"GDPDJB\" = '4'", 30),
                      ("JSYD01", "\"DLBM\" = '0702'", 40),
                      ("STXF02", "\"DLBM\" IN ('0305','0307')", 50),
                      ("CYRH02", "\"DLBM\" IN ('0201','0202')", 20)):
    dltb.selectByIds(pick(expr, n))
    dock.select_task(task)
    dock.tag_selected()
    print("  " + dock.last_message)
stack = dltb.undoStack()
print(f"  撤销一步 (undo): {stack.text(stack.index() - 1)}")
stack.undo()
dock.refresh_totals()
t = dock.totals
print(f"  项目 {dock.project_code}: {t.parcels} 个图斑, {t.area_mu:,.2f} 亩, 预计新增耕地 {t.new_farmland_mu:,.2f} 亩 "
      f"(占项目区现状耕地 {t.new_farmland_share:.1%}, 要求 ≥ {dock.rules.new_farmland_min_share:.0%})")
for fam in t.families:
    if fam.parcels:
        print(f"    {fam.zh:<8} {fam.parcels:>4} 个 {fam.area_mu:>10,.2f} 亩  新增耕地 {fam.new_farmland_mu:>8,.2f} 亩")
        for sub in t.subtypes:
            if sub.family == fam.code and sub.parcels:
                print(f"      · {sub.zh:<12} {sub.parcels:>4} 个 {sub.area_mu:>10,.2f} 亩")
print(f"  项目区 (5% 规则的分母): 乡镇 {'、'.join(t.area_units) or '图层全部图斑'} 的全部现状耕地 "
      f"{t.farmland_mu:,.2f} 亩 (扣除田坎, 不论是否标注)")
print(f"  目标: {t.quota_label}")
for p in t.progress:
    print(f"    目标 {p.zh}: {p.done_mu:,.1f} / {p.target_mu:,.0f} 亩 ({p.share:.2%})")
print(f"  生态保护红线冲突: {len(dock.conflict_fids)} 个图斑")
dltb.commitChanges()
print(f"  已保存: {sys.argv[1]} (dltb: ZZLX ZZZLX XMBH XMMC SSND)")
dock.unload()
PY
