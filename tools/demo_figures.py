"""Figures for the README from `make demo`'s outputs (matplotlib, CJK font):
    python tools/demo_figures.py demo-output docs/images
township.png, slope_farmland.png, idle_homesteads.png, contiguity.png."""
import sys
from pathlib import Path

import numpy as np
import shapely
from osgeo import ogr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from qn_landconsol_plugin.core.land_classes import group_of  # noqa: E402
from qn_landconsol_plugin.core.reports.html import map_png  # noqa: E402

GROUP_COLORS = {"耕地": "#f5e663", "园地": "#f4b46a", "林地": "#4f9e3c", "湿地": "#8fd0e8",
                "草地": "#b9d98a", "商服/工矿": "#c98a6b", "住宅": "#e0584f",
                "公共/特殊": "#d77fb0", "交通": "#9e9e9e", "水域": "#5b9bd5", "其他": "#d9c8a9"}


def read(path, layer=None, fields=()):
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    geoms, rows = [], []
    for f in lyr:
        g = f.GetGeometryRef()
        geoms.append(shapely.from_wkb(bytes(g.ExportToWkb())) if g else None)
        rows.append([f.GetField(n) for n in fields])
    return np.array(geoms, dtype=object), rows


def save(png, out):
    out.write_bytes(png)
    print(f"wrote {out}")


def main(demo, out):
    demo, out = Path(demo), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    town = demo / "township" / "township.gpkg"
    parcels, rows = read(town, "dltb", ("DLBM",))
    groups = np.array([group_of(r[0]) for r in rows])
    red, _ = read(town, "stbhhx")
    cun, _ = read(town, "cun")
    extent = shapely.total_bounds(parcels)
    layers = [dict(geoms=parcels[groups == g], label=g, facecolor=c, edgecolor="#777777",
                   linewidth=0.15) for g, c in GROUP_COLORS.items() if (groups == g).any()]
    layers += [dict(geoms=red, label="生态保护红线", edgecolor="#1a9850", linewidth=1.2),
               dict(geoms=cun, label="村界", edgecolor="#333333", linewidth=0.8)]
    save(map_png(layers, "示例乡镇：三调地类图斑与生态保护红线", extent), out / "township.png")

    geoms, rows = read(demo / "slope_farmland.gpkg", None, ("PGD", "BWD", "GD_MU"))
    pgd = np.array([r[0] == 1 for r in rows])
    bwd = np.array([r[1] == 1 for r in rows]) & ~pgd
    farm = np.array([(r[2] or 0) > 0 for r in rows]) & ~pgd & ~bwd
    save(map_png([dict(geoms=geoms, label="非耕地", facecolor="#eeeeee", edgecolor="#cccccc",
                       linewidth=0.1),
                  dict(geoms=geoms[farm], label="稳定耕地", facecolor="#ffffbf", linewidth=0.1),
                  dict(geoms=geoms[bwd], label="不稳定耕地", facecolor="#fdae61", linewidth=0.2),
                  dict(geoms=geoms[pgd], label="坡耕地（>25°）", facecolor="#d7301f", linewidth=0.2)],
                 "坡耕地识别（qnlandconsol:slopefarmland）", extent), out / "slope_farmland.png")

    homes, rows = read(demo / "idle_homesteads.gpkg", None, ("XZ",))
    idle = np.array([r[0] == 1 for r in rows])
    blds, _ = read(town, "buildings")
    focus = shapely.total_bounds(homes[idle][:1]) if idle.any() else extent
    cx, cy = (focus[0] + focus[2]) / 2, (focus[1] + focus[3]) / 2
    zoom = (cx - 250, cy - 200, cx + 250, cy + 200)
    window = shapely.box(*zoom)
    near = shapely.intersects(parcels, window)
    save(map_png([dict(geoms=parcels[near], label="图斑", facecolor="#f7f7f7", edgecolor="#bbbbbb",
                       linewidth=0.3),
                  dict(geoms=homes[~idle], label="宅基地（在用）", facecolor="#fddbc7", linewidth=0.4),
                  dict(geoms=homes[idle], label="闲置宅基地", facecolor="#b2182b", alpha=0.8,
                       linewidth=0.4),
                  dict(geoms=blds[shapely.intersects(blds, window)], label="建筑物", facecolor="#404040",
                       edgecolor="#000000", linewidth=0.2)],
                 "闲置宅基地识别（qnlandconsol:idlehomesteads）", zoom), out / "idle_homesteads.png")

    blocks, rows = read(demo / "contiguity_blocks.gpkg", None, ("QJ", "LP_MU"))
    rng = np.random.default_rng(3)
    palette = np.array(["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
                        "#a6761d", "#1f78b4"])
    for scenario, name in (("现状", "before"), ("整治后", "after")):
        pick = np.array([r[0] == scenario for r in rows])
        if not pick.any():
            continue
        colours = palette[rng.integers(0, len(palette), pick.sum())]
        layers = [dict(geoms=parcels, label="图斑", facecolor="#f7f7f7", edgecolor="#dddddd",
                       linewidth=0.1)]
        layers += [dict(geoms=np.array([g]), label=None, facecolor=c, edgecolor="#333333",
                        linewidth=0.3) for g, c in zip(blocks[pick], colours)]
        save(map_png(layers, f"耕地连片（{scenario}）", extent),
             out / f"contiguity_{name}.png")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo-output",
         sys.argv[2] if len(sys.argv) > 2 else "docs/images")
