"""Charts of the potential survey report (matplotlib, CJK font): potential by unit,
progress against the targets, the potential map. b'' when matplotlib is missing."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import shapely

from ..potential import FAMILIES, POTENTIAL_TYPES, SEPARATOR, TOTAL_CODE


def _figure(size):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=110)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def potential_chart(summary: pd.DataFrame, max_units: int = 40) -> bytes:
    """Stacked bars of potential (亩) by family for each unit (largest first)."""
    try:
        from .html import cjk_font
        font = cjk_font()
    except ImportError:
        return b""
    units = summary[summary["DW_DM"] != TOTAL_CODE].copy()
    if not len(units):
        units = summary.copy()
    units["_t"] = sum(units[f.column] for f in FAMILIES)
    units = units.sort_values("_t", ascending=False).head(max_units)
    labels = [(mc or dm) for dm, mc in zip(units["DW_DM"], units["DW_MC"])]
    fig = _figure((max(6.0, 0.45 * len(units) + 3), 4.6))
    ax = fig.add_subplot(111)
    bottom = np.zeros(len(units))
    x = np.arange(len(units))
    for f in FAMILIES:
        v = units[f.column].to_numpy(float)
        ax.bar(x, v, bottom=bottom, color=f.color, label=f.zh, width=0.7)
        bottom += v
    for xi, total in zip(x, bottom):
        ax.text(xi, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x)
    ax.set_xticklabels(labels, rotation=45 if len(units) > 6 else 0, ha="right"
                       if len(units) > 6 else "center", fontproperties=font, fontsize=8)
    ax.set_ylabel("潜力面积（亩）", fontproperties=font)
    ax.set_title("各单位整治潜力（按大类）", fontproperties=font, fontsize=13)
    leg = ax.legend(prop=font, fontsize=9)
    for text in leg.get_texts():
        text.set_fontproperties(font)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def target_chart(progress_table: pd.DataFrame) -> bytes:
    """Horizontal bars: potential against each target, with the % reached."""
    try:
        from .html import cjk_font
        font = cjk_font()
    except ImportError:
        return b""
    fig = _figure((8.0, 3.4))
    ax = fig.add_subplot(111)
    y = np.arange(len(progress_table))[::-1]
    share = progress_table["完成度（%）"].to_numpy(float)
    colors = [f.color for f in FAMILIES] + ["#6a51a3"]
    ax.barh(y, np.full(len(y), 100.0), color="#eeeeee", edgecolor="#999999", height=0.6)
    ax.barh(y, np.minimum(share, 100.0), color=colors[:len(y)], height=0.6)
    for yi, s, goal, done in zip(y, share, progress_table["目标"], progress_table["潜力"]):
        ax.text(min(s, 100.0) + 1, yi, f"{s:.1f}%（{done:,.1f} / {goal:,.0f}）", va="center",
                fontproperties=font, fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels(progress_table["指标"], fontproperties=font)
    ax.set_xlim(0, 130)
    ax.set_xlabel("占目标（%）", fontproperties=font)
    ax.set_title("潜力与 2030 年目标", fontproperties=font, fontsize=13)
    return _png(fig)


def potential_map(geoms, parcels: pd.DataFrame, max_background: int = 60000) -> bytes:
    """PNG map of the potential types (each parcel by its first type in QL_LX)."""
    from .html import map_png

    geoms = np.asarray(geoms, dtype=object)
    layers = []
    if len(geoms) <= max_background:
        layers.append(dict(geoms=geoms, facecolor="#f4f4f0", edgecolor="#c8c8c8", linewidth=0.12))
    first = np.array([s.split(SEPARATOR)[0] if s else "" for s in
                      parcels["QL_LX"].fillna("")], dtype=object)
    for t in POTENTIAL_TYPES:
        sel = first == t.zh
        if sel.any():
            layers.append(dict(geoms=geoms[sel], facecolor=t.color, edgecolor="#555555",
                               linewidth=0.15, label=f"{t.zh}（{int(sel.sum())}）"))
    present = geoms[~shapely.is_missing(geoms)]
    extent = None
    if len(present):   # room on the right for the legend
        x0, y0, x1, y1 = shapely.total_bounds(present)
        extent = (x0, y0, x1 + 0.38 * max(x1 - x0, y1 - y0), y1)
    return map_png(layers, title="整治潜力分布", extent=extent, legend_loc="center right",
                   size=(11.0, 7.5))
