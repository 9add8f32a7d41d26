"""Desktop screenshots for the docs, QGIS under a private Xvfb at 1366×768 (Chinese, fresh
profile, tools/qgis_desktop.py) with the sample township loaded as a user has it (buildings
first) and the Processing toolbox docked, the plugin's group open:

- dialog: 'Check control lines' as it opens, its inputs preselected by what the layers
  are (docs/images/controllinecheck_dialog.png);
- declaration: the tagged parcels styled by task after 'Export declaration package', the
  project boundaries loaded as red outlines (docs/images/declaration_desktop.png).

    python tools/screenshot_desktop.py dialog|declaration [--out PNG]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import qgis_desktop  # noqa: E402

OUT = {"dialog": "controllinecheck_dialog.png", "declaration": "declaration_desktop.png"}

SETUP = r'''
from qgis.core import QgsCoordinateTransform, QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import QEventLoop, Qt, QTimer
from qgis.PyQt.QtWidgets import QAbstractItemView, QDockWidget
from qn_landconsol_plugin.qgis_io import styles

GPKG, PARCELS, DEM = {gpkg!r}, {parcels!r}, {dem!r}


def wait(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


project = QgsProject.instance()
names = (("buildings", "房屋", GPKG), ("cun", "村界", GPKG), ("dltb", "某某乡地类图斑", PARCELS),
         ("stbhhx", "生态保护红线", GPKG), ("yjjbnt", "永久基本农田", GPKG),
         ("czkfbj", "城镇开发边界", GPKG))
layers = {{}}
for name, title, path in names:
    layers[name] = QgsVectorLayer(f"{{path}}|layername={{name}}", title, "ogr")
for key, colour in (("stbhhx", "#1a9850"), ("yjjbnt", "#e6ab02"), ("czkfbj", "#d7301f"),
                    ("cun", "#636363")):
    layers[key].setRenderer(styles.outline_renderer(layers[key], colour))
dem = QgsRasterLayer(DEM, "数字高程模型")
project.addMapLayer(dem)
for name in ("dltb", "buildings", "cun", "czkfbj", "yjjbnt", "stbhhx"):
    project.addMapLayer(layers[name])
project.layerTreeRoot().findLayer(dem.id()).setItemVisibilityChecked(False)
window = iface.mainWindow()
toolbox = window.findChild(QDockWidget, "ProcessingToolbox")
window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, toolbox)
window.resizeDocks([toolbox], [380], Qt.Orientation.Horizontal)
plugin.show_toolbox()
tree = toolbox.algorithmTree           # the plugin's groups open: its algorithms and icons
top = tree.currentIndex()
for row in range(tree.model().rowCount(top)):
    tree.expand(tree.model().index(row, 0, top))
tree.scrollTo(top, QAbstractItemView.ScrollHint.PositionAtTop)
browser = window.findChild(QDockWidget, "Browser")
if browser is not None:
    browser.setVisible(False)           # the layers panel gets the height
'''

DIALOG = r'''
layers["dltb"].setRenderer(styles.land_class_renderer(layers["dltb"]))
iface.mapCanvas().setExtent(layers["dltb"].extent())
iface.mapCanvas().refresh()
import processing
dialog = processing.createAlgorithmDialog("qnlandconsol:controllinecheck")
dialog.show()
dialog.resize(780, 610)
dialog.move(200, 95)
wait(3500)
grab({out!r}, screen=True)
result["inputs"] = {{k: str(v) for k, v in dialog.mainWidget().createProcessingParameters().items()
                    if k in ("INPUT", "RED_LINE", "PBF", "UDB")}}
result["ids"] = {{k: layer.id() for k, layer in layers.items()}}
'''

DECLARATION = r'''
import processing
parcels = layers["dltb"]
styles.apply_task_style(parcels)
processing.runAndLoadResults("qnlandconsol:exportdeclaration", {{
    "INPUT": parcels, "MAP": False, "UNIT": "黔南州示范县自然资源局",
    "OUTPUT_FOLDER": {folder!r}}})
boundaries = [layer for layer in project.mapLayers().values()
              if layer.source().endswith("layername=xmfw")]
for name in ("buildings", "cun"):
    project.layerTreeRoot().findLayer(layers[name].id()).setItemVisibilityChecked(False)
project.layerTreeRoot().findLayer(dem.id()).setExpanded(False)
project.layerTreeRoot().findLayer(parcels.id()).setExpanded(True)     # the task legend
wait(1000)
canvas = iface.mapCanvas()
project2 = [layer for layer in boundaries if layer.name().startswith("QN2025-002")][0]
extent = QgsCoordinateTransform(project2.crs(), canvas.mapSettings().destinationCrs(),
                                project).transformBoundingBox(project2.extent())
extent.grow(max(extent.width(), extent.height()) * 0.9)
canvas.setExtent(extent)
canvas.refresh()
wait(4000)
grab({out!r}, screen=True)
result["boundaries"] = [layer.name() for layer in boundaries]
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shot", choices=sorted(OUT))
    parser.add_argument("--out", default=None)
    parser.add_argument("--parcels", type=int, default=1500)
    args = parser.parse_args()
    out = Path(args.out or ROOT / "docs" / "images" / OUT[args.shot]).resolve()
    from qn_landconsol_plugin import sampledata

    with tempfile.TemporaryDirectory() as tmp:
        # generated here, not inside QGIS: QGIS desktop links the system GEOS, which lacks
        # the GEOS-3.12-only calls the generator makes through shapely's own GEOS
        paths = sampledata.generate(str(Path(tmp) / "town"), n_parcels=args.parcels, seed=11)
        parcels = paths["gpkg"]
        if args.shot == "declaration":
            sys.path.insert(0, str(ROOT / "tools" / "demo"))
            import tag_demo_projects

            parcels = str(Path(tmp) / "tagged.gpkg")
            tag_demo_projects.tag(paths["gpkg"], parcels)
        body = DIALOG if args.shot == "dialog" else DECLARATION
        snippet = Path(tmp) / "snippet.py"
        snippet.write_text(SETUP.format(gpkg=paths["gpkg"], parcels=parcels, dem=paths["dem"])
                           + body.format(out=str(out), folder=str(Path(tmp) / "declaration")),
                           encoding="utf-8")
        result = qgis_desktop.run(snippet, with_venv=True, timeout=300)
    if "snippet_error" in result:
        raise SystemExit(result["snippet_error"] + result.get("log", ""))
    print({k: v for k, v in result.items() if k not in ("log", "plugins")})
    print(f"screenshot: {out}")


if __name__ == "__main__":
    main()
