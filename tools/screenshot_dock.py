"""Screenshot of the consolidation dock in use on a 1366×768 laptop screen: QGIS desktop
under Xvfb with a fresh profile (plugin enabled, Chinese locale), the sample township
loaded, some parcels tagged and styled by task, the dock docked under the Processing
toolbox on its 进度 tab; the main window goes to docs/images/dock.png.

    python tools/screenshot_dock.py [--out docs/images/dock.png] [--lang zh-Hans] [--tab progress]
"""
from __future__ import annotations

import argparse
import os
import shutil
import site
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STARTUP = r'''
import os, shutil, sys
from qgis.core import QgsApplication, QgsProject, QgsVectorLayer, QgsRasterLayer, QgsFeatureRequest
from qgis.PyQt.QtCore import QTimer, Qt
from qgis.PyQt.QtWidgets import QDockWidget
from qgis.utils import iface, plugins

OUT = {out!r}
paths = {paths!r}
project = QgsProject.instance()
dem = QgsRasterLayer(paths["dem"], "数字高程模型 DEM")
layers = {{name: QgsVectorLayer(f"{{paths['gpkg']}}|layername={{name}}", title, "ogr")
          for name, title in (("cun", "村界"), ("czkfbj", "城镇开发边界"), ("yjjbnt", "永久基本农田"),
                              ("stbhhx", "生态保护红线"), ("dltb", "地类图斑"))}}
project.addMapLayer(dem)
for layer in layers.values():
    project.addMapLayer(layer)
for name, colour in (("stbhhx", "0,140,60"), ("yjjbnt", "230,170,0"), ("czkfbj", "200,0,0"), ("cun", "90,90,90")):
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer
    sym = QgsFillSymbol.createSimple({{"style": "no", "outline_color": colour, "outline_width": "0.6"}})
    layers[name].setRenderer(QgsSingleSymbolRenderer(sym))
project.layerTreeRoot().findLayer(dem.id()).setItemVisibilityChecked(False)
dltb = layers["dltb"]


def fids(expression, n):
    req = QgsFeatureRequest().setFilterExpression(expression).setNoAttributes()
    return [f.id() for f in dltb.getFeatures(req)][:n]


def go():
    plugin = plugins.get("qn_landconsol_plugin")
    plugin.show_dock(True)
    dock = plugin.dock
    dock.confirm = lambda *_: True
    dock.set_parcel_layer(dltb)
    dock.set_project("522701-2025-01", "示例乡镇全域土地综合整治项目", 2026)
    dock.set_control_layers(red_line=layers["stbhhx"], pbf=layers["yjjbnt"], udb=layers["czkfbj"], dem=dem)
    for task, expr, n in (
        ("NYD01", "\"DLBM\" IN ('0101','0102','0103') AND \"GDPDJB\" IN ('1','2')", 220),
        ("NYD02", "\"DLBM\" = '0103' AND \"GDPDJB\" = '3'", 60),
        ("NYD03", "\"DLBM\" IN ('0404','1206')", 40),
        ("NYD06", "\"DLBM\" = '0103' AND \"GDPDJB\" = '4'", 40),
        ("JSYD01", "\"DLBM\" = '0702'", 45),
        ("STXF02", "\"DLBM\" IN ('0305','0307')", 60),
        ("CYRH02", "\"DLBM\" IN ('0201','0202')", 25),
    ):
        dltb.selectByIds(fids(expr, n))
        dock.select_task(task)
        dock.tag_selected()
    dltb.removeSelection()
    dock.select_task("NYD03")
    dock.apply_style("subtype")
    dock.refresh_totals()
    window = iface.mainWindow()
    window.resize({width}, {height})
    toolbox = window.findChild(QDockWidget, "ProcessingToolbox")
    if toolbox is not None:
        toolbox.setVisible(True)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, toolbox)
        window.splitDockWidget(toolbox, dock, Qt.Orientation.Vertical)
        window.resizeDocks([toolbox, dock], [{toolbox_height}, {height}], Qt.Orientation.Vertical)
    window.resizeDocks([dock], [{dock_width}], Qt.Orientation.Horizontal)
    dock.tabs.setCurrentIndex({tab})
    iface.setActiveLayer(dltb)
    iface.mapCanvas().setExtent(dltb.extent())
    iface.mapCanvas().refresh()
    QTimer.singleShot({delay_ms}, shoot)


def shoot():
    iface.mainWindow().grab().save(OUT)
    print("saved", OUT, flush=True)
    QTimer.singleShot(500, QgsApplication.instance().exit)


QTimer.singleShot(3000, go)
'''


def free_display() -> int:
    for n in range(99, 140):
        if not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "images" / "dock.png"))
    parser.add_argument("--lang", default="zh-Hans")
    parser.add_argument("--delay", type=int, default=6000, help="ms between styling and the grab")
    parser.add_argument("--timeout", type=int, default=180)
    parser.add_argument("--parcels", type=int, default=1500)
    parser.add_argument("--size", default="1366x768", help="screen (and window) size, WxH")
    parser.add_argument("--dock-width", type=int, default=430)
    parser.add_argument("--toolbox-height", type=int, default=230,
                        help="height of the Processing toolbox above the dock (px)")
    parser.add_argument("--tab", choices=("project", "tagging", "progress"), default="progress")
    args = parser.parse_args()

    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    tmp = Path(tempfile.mkdtemp(prefix="qn-dock-shot-"))
    profile = tmp / "profiles" / "profiles" / "default" / "QGIS"
    profile.mkdir(parents=True)
    (profile / "QGIS3.ini").write_text(
        "[PythonPlugins]\nqn_landconsol_plugin=true\nprocessing=true\n\n"
        f"[locale]\noverrideFlag=true\nuserLocale={args.lang}\n\n"
        "[qgis]\nshowTips=false\nshowTips322=false\ncheckVersion=false\n"
        "allowVersionCheck=false\nnewProjectDefault=false\n", encoding="utf-8")
    script = tmp / "startup.py"
    # the township is generated here, not inside QGIS: QGIS desktop links the system
    # GEOS, which clashes with the GEOS bundled in the shapely 2 wheel for the
    # GEOS-3.12-only calls (contains_xy) the generator uses
    sys.path.insert(0, str(ROOT))
    from qn_landconsol_plugin import sampledata as sample_township

    paths = sample_township.generate(str(tmp / "township"), n_parcels=args.parcels, seed=11)
    width, height = (int(v) for v in args.size.lower().split("x"))
    script.write_text(STARTUP.format(out=str(out), paths=paths, delay_ms=args.delay, width=width,
                                     height=height, dock_width=args.dock_width,
                                     toolbox_height=args.toolbox_height,
                                     tab=("project", "tagging", "progress").index(args.tab)),
                      encoding="utf-8")

    display = free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    sites = [p for p in site.getsitepackages() if "site-packages" in p]
    env.update({
        "DISPLAY": f":{display}",
        "QGIS_PLUGINPATH": str(ROOT),
        "PYTHONPATH": os.pathsep.join(sites + [env.get("PYTHONPATH", "")]).strip(os.pathsep),
        "XDG_RUNTIME_DIR": env.get("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}"),
    })
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    qgis = None
    try:
        time.sleep(1.5)
        qgis = subprocess.Popen(
            ["qgis", "--profiles-path", str(tmp / "profiles"), "--lang", args.lang, "--nologo",
             "--noversioncheck", "--skipbadlayers", "--code", str(script)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            log, _ = qgis.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            qgis.kill()
            log, _ = qgis.communicate()
        if not out.exists():
            sys.stderr.write(log[-5000:])
            raise SystemExit(f"no screenshot written ({out})")
        print(f"screenshot: {out}")
    finally:
        if qgis is not None and qgis.poll() is None:
            qgis.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
