"""Self-contained HTML reports (Chinese, no network): a page skeleton with CSS,
tables from pandas, embedded PNG images, and a matplotlib map of shapely
geometries drawn with a CJK font. Shared by every algorithm that writes a report."""
from __future__ import annotations

import base64
import datetime as _dt
import functools
import html
import io

import numpy as np
import pandas as pd
import shapely

from ..fonts import cjk_font_files

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",
 "SimHei",sans-serif;margin:24px auto;max-width:1100px;color:#222;line-height:1.55;padding:0 16px}
h1{font-size:24px;border-bottom:3px solid #2c7fb8;padding-bottom:6px}
h2{font-size:19px;margin-top:28px;border-left:5px solid #2c7fb8;padding-left:8px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #bbb;padding:3px 8px}
th{background:#eef3f8;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}
.meta{color:#555;font-size:13px}
.note{color:#666;font-size:12px}
.lv2{color:#b30000;font-weight:600}.lv1{color:#b36b00}.lv0{color:#2b7a2b}
img{max-width:100%;border:1px solid #ccc}
"""


def esc(text) -> str:
    return html.escape("" if text is None else str(text))


def page(title: str, body: str, subtitle: str = "") -> str:
    """A complete HTML document (UTF-8, inline CSS)."""
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    sub = f'<p class="meta">{esc(subtitle)}</p>' if subtitle else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<title>{esc(title)}</title><style>{_CSS}</style></head><body>'
            f'<h1>{esc(title)}</h1>{sub}<p class="meta">生成时间：{stamp}</p>'
            f'{body}</body></html>\n')


def section(title: str, *content: str) -> str:
    return f"<h2>{esc(title)}</h2>" + "".join(content)


def paragraph(text: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{esc(text)}</p>"


def table(frame: pd.DataFrame, decimals: dict | int = 2, cell_class=None) -> str:
    """An HTML table of a frame (index not shown); numbers right-aligned with
    `decimals` (per column dict or one int); `cell_class(column, value)` may
    return a CSS class for a cell."""
    if frame is None or len(frame) == 0:
        return '<p class="note">（无）</p>'
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for rec in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, rec):
            cls = []
            if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
                cls.append("num")
                if isinstance(value, (float, np.floating)):
                    d = decimals.get(col, 2) if isinstance(decimals, dict) else decimals
                    value = "" if np.isnan(value) else f"{value:,.{d}f}"
                else:
                    value = f"{value:,d}"
            extra = cell_class(col, value) if cell_class else ""
            if extra:
                cls.append(extra)
            c = f' class="{" ".join(cls)}"' if cls else ""
            cells.append(f"<td{c}>{esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def image(png: bytes, alt: str = "") -> str:
    """An <img> with the PNG embedded as a data URI."""
    if not png:
        return ""
    data = base64.b64encode(png).decode("ascii")
    return f'<p><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></p>'


# ---------------------------------------------------------------------------
# maps
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def installed_font_files() -> tuple:
    """The font files matplotlib finds on this machine (its cache and the system's folders)."""
    from matplotlib import font_manager

    return (tuple(f.fname for f in font_manager.fontManager.ttflist)
            + tuple(font_manager.findSystemFonts()))


def cjk_font():
    """matplotlib FontProperties of the first installed font of core.fonts.CJK_FONTS, the list
    the declaration map uses too (None if there is none)."""
    from matplotlib import font_manager

    for path in cjk_font_files(installed_font_files()):
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
        except (OSError, RuntimeError, ValueError):
            continue
    return None


def polygon_path(geoms):
    """One matplotlib Path holding every ring of the polygons (holes drawn as holes:
    exteriors counter-clockwise, interiors clockwise, nonzero fill). Vectorised:
    a county's 300,000 parcels take a second."""
    from matplotlib.path import Path

    geoms = np.asarray([g for g in np.asarray(geoms, dtype=object).ravel() if g is not None],
                       dtype=object)
    if len(geoms) == 0:
        return None
    polys = shapely.get_parts(geoms)
    polys = polys[(shapely.get_type_id(polys) == 3) & ~shapely.is_empty(polys)]
    if len(polys) == 0:
        return None
    exteriors = shapely.get_exterior_ring(polys)
    n_holes = shapely.get_num_interior_rings(polys)
    total = int(n_holes.sum())
    first = np.repeat(np.cumsum(n_holes) - n_holes, n_holes)
    holes = shapely.get_interior_ring(np.repeat(polys, n_holes), np.arange(total) - first)
    rings = np.concatenate([exteriors, holes]) if len(holes) else exteriors
    outer = np.r_[np.ones(len(exteriors), bool), np.zeros(len(holes), bool)]
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    if len(xy) == 0:
        return None
    counts = np.bincount(ring_of, minlength=len(rings))
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    # signed area (shoelace) per ring: > 0 counter-clockwise
    nxt = np.arange(1, len(xy) + 1)
    last = starts + counts - 1
    nxt[last[counts > 0]] = starts[counts > 0]
    cross = xy[:, 0] * xy[nxt, 1] - xy[nxt, 0] * xy[:, 1]
    signed = np.bincount(ring_of, weights=cross, minlength=len(rings))
    flip = (signed > 0) != outer
    pos = np.arange(len(xy))
    rs, rc = starts[ring_of], counts[ring_of]
    pos = np.where(flip[ring_of], rs + rc - 1 - (pos - rs), pos)
    xy = xy[pos]
    codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
    codes[starts[counts > 0]] = Path.MOVETO
    codes[last[counts > 0]] = Path.CLOSEPOLY
    return Path(xy, codes)


def map_png(layers, title: str = "", extent=None, size=(9.0, 7.5), dpi: int = 110,
            legend_loc: str = "lower right", note: str = "") -> bytes:
    """PNG bytes of a simple map. `layers`: sequence of dicts with geoms, label and
    optional facecolor, edgecolor, linewidth, alpha, zorder; drawn in order.
    Returns b'' when matplotlib is missing."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.collections import PathCollection
        from matplotlib.patches import Patch
    except ImportError:
        return b""
    font = cjk_font()
    if extent is not None:  # keep the map's proportions, within sane limits
        w, h = max(extent[2] - extent[0], 1e-9), max(extent[3] - extent[1], 1e-9)
        size = (size[0], float(np.clip(size[0] * h / w + 0.8, 4.0, 12.0)))
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    handles = []
    bounds = []
    for z, layer in enumerate(layers):
        path = polygon_path(layer["geoms"])
        if path is None:
            continue
        style = dict(facecolor=layer.get("facecolor", "none"), edgecolor=layer.get("edgecolor", "#333333"),
                     linewidth=layer.get("linewidth", 0.3), alpha=layer.get("alpha", 1.0),
                     zorder=layer.get("zorder", z))
        # a collection without autolim: limits come from the extents below, and
        # matplotlib need not walk every vertex of a county's parcels
        ax.add_collection(PathCollection([path], **style), autolim=False)
        v = path.vertices
        bounds.append((v[:, 0].min(), v[:, 1].min(), v[:, 0].max(), v[:, 1].max()))
        if layer.get("label"):
            handles.append(Patch(label=layer["label"], **{k: v for k, v in style.items() if k != "zorder"}))
    if extent is None and bounds:
        b = np.asarray(bounds)
        extent = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    if extent is not None:
        x0, y0, x1, y1 = extent
        pad = 0.03 * max(x1 - x0, y1 - y0, 1.0)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.tick_params(labelsize=7)
    if title:
        ax.set_title(title, fontproperties=font, fontsize=14)
    if handles:
        leg = ax.legend(handles=handles, loc=legend_loc, prop=font, fontsize=9, framealpha=0.9)
        if font is not None:
            for text in leg.get_texts():
                text.set_fontproperties(font)
                text.set_fontsize(9)
    if note:
        ax.text(0.01, 0.01, note, transform=ax.transAxes, fontproperties=font, fontsize=8,
                va="bottom", ha="left", color="#444444")
    _scale_bar(ax, font)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _scale_bar(ax, font):
    """A scale bar in the lower left (coordinates in metres) and a north arrow."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = (x1 - x0) / 5.0
    if span <= 0:
        return
    mag = 10 ** np.floor(np.log10(span))
    length = max(m * mag for m in (1, 2, 5) if m * mag <= span)
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.08 * (y1 - y0)
    ax.plot([bx, bx + length], [by, by], color="black", linewidth=2.5, zorder=100)
    label = f"{length / 1000:g} 千米" if length >= 1000 else f"{length:g} 米"
    ax.text(bx + length / 2, by + 0.01 * (y1 - y0), label, ha="center", va="bottom",
            fontproperties=font, fontsize=8, zorder=100)
    ax.annotate("北", xy=(0.96, 0.95), xytext=(0.96, 0.86), xycoords="axes fraction",
                ha="center", fontproperties=font, fontsize=10,
                arrowprops=dict(arrowstyle="-|>", color="black"))
