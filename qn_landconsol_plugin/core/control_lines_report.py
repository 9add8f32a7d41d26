"""The Chinese HTML report of a control-line check (三区三线冲突检查报告): counts and 亩
by conflict level, kind and village, the worst parcels, boundary slivers, a map and
the rules applied (control_lines holds the check itself)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from . import land_classes as lc
from . import task_types
from .control_lines import (
    CONTROL_LINES,
    LEVEL_NAMES,
    _text,
    parcel_labels,
    zone_findings,
)
from .rules import Rules


def build_report(table: pd.DataFrame, result: pd.DataFrame, found: pd.DataFrame,
                 parcel_geoms=None, zones: dict | None = None, meta: dict | None = None,
                 rules: Rules | None = None, top: int = 100, labels=None) -> str:
    """The HTML report (Chinese): counts and 亩 by conflict kind and village, the
    worst parcels first, boundary slivers, a map, the rules applied.

    `table` parcel attributes (DLBM, ZLDWDM, ZLDWMC, BSM/TBBH, ZZLX/ZZZLX when
    present); `result` the output columns (HX_MJ ..., CT_DJ, CT_SM); `found` from
    `findings`; `zones` {line key: ZoneIndex or None}; `meta` {'layer', 'crs', 'min_area',
    'warnings': [more findings or Chinese text], 'repaired': {...}} (zone_findings are
    reported without being passed); `labels` the parcel ids (default parcel_labels)."""
    from .reports import html as rh
    from .units import m2_to_mu
    from .villages import village_keys, village_names

    rules = rules or Rules()
    meta = meta or {}
    zones = zones or {}
    n = len(result)
    mu = m2_to_mu
    parcel_area = shapely.area(np.asarray(parcel_geoms, dtype=object)) if parcel_geoms is not None \
        else np.zeros(n)
    parcel_area = np.nan_to_num(parcel_area)
    levels = result["CT_DJ"].to_numpy()
    judged = found[~found["sliver"]] if len(found) else found
    body = []

    # summary
    rows = [("检查图斑数", f"{n:,d}"), ("图斑总面积（亩）", f"{mu(parcel_area.sum()):,.2f}"),
            ("冲突图斑（2级）", f"{int((levels == 2).sum()):,d}"),
            ("需关注图斑（1级）", f"{int((levels == 1).sum()):,d}"),
            ("碎片阈值（平方米）", f"{meta.get('min_area', rules.overlap_min_area_m2):g}")]
    if meta.get("layer"):
        rows.insert(0, ("图斑图层", meta["layer"]))
    if meta.get("crs"):
        rows.append(("计算坐标系", meta["crs"]))
    body.append(rh.section("一、概况", rh.table(pd.DataFrame(rows, columns=["项目", "值"]))))
    line_rows = []
    for line in CONTROL_LINES:
        z = zones.get(line.key)
        col = f"{line.key}_MJ"
        if z is None or col not in result:
            line_rows.append((line.zh, "未提供", "", np.nan, 0, np.nan))
            continue
        a = result[col].to_numpy()
        line_rows.append((line.zh, f"{z.count:,d}", f"{z.repaired:,d}", mu(z.area),
                          int((a >= float(meta.get("min_area", rules.overlap_min_area_m2))).sum()),
                          mu(a.sum())))
    body.append(rh.table(pd.DataFrame(line_rows, columns=[
        "控制线", "多边形数", "修复数", "控制线面积（亩）", "涉及图斑数", "重叠面积（亩）"])))
    for note in [*zone_findings(zones), *meta.get("warnings", ())]:
        body.append(rh.paragraph("⚠ " + getattr(note, "message", note), "lv1"))
    body.append(rh.paragraph("面积为投影坐标系下的平面面积（与 QGIS“重叠分析”一致）；1 亩 = 666.67 平方米。"
                             "重叠面积小于碎片阈值的视为边界碎片，单独列出，不判为冲突。", "note"))

    # by level
    lv_rows = []
    for lv in (2, 1, 0):
        sel = levels == lv
        lv_rows.append((lv, LEVEL_NAMES[lv], int(sel.sum()), mu(parcel_area[sel].sum()),
                        *(mu(result[f"{c.key}_MJ"].to_numpy()[sel].sum()) if f"{c.key}_MJ" in result
                          else np.nan for c in CONTROL_LINES)))
    body.append(rh.section("二、按冲突等级", rh.table(pd.DataFrame(lv_rows, columns=[
        "等级", "含义", "图斑数", "图斑面积（亩）", *(f"{c.zh}内（亩）" for c in CONTROL_LINES)]),
        cell_class=_level_class)))

    # by kind
    if len(judged):
        kinds = (judged.assign(reason=judged["reason"].replace("", "（规则未涉及，无冲突）"))
                 .groupby(["line_zh", "reason", "level"], sort=False)
                 .agg(parcels=("parcel", "nunique"), area=("area", "sum")).reset_index()
                 .sort_values(["level", "area"], ascending=[False, False]))
        kinds["area"] = mu(kinds["area"])
        kinds.columns = ["控制线", "冲突类型", "等级", "图斑数", "重叠面积（亩）"]
    else:
        kinds = pd.DataFrame()
    body.append(rh.section("三、按冲突类型", rh.table(kinds, cell_class=_level_class)))

    # by village
    flagged = np.flatnonzero(levels > 0)
    if "ZLDWDM" in table and n:
        sub = table.iloc[flagged].reset_index(drop=True)
        keys = village_keys(sub["ZLDWDM"])
        names = village_names(sub["ZLDWDM"], sub["ZLDWMC"] if "ZLDWMC" in sub else None)
        frame = pd.DataFrame({"village": keys.to_numpy(), "level": levels[flagged],
                              "area": parcel_area[flagged]})
        for c in CONTROL_LINES:
            if f"{c.key}_MJ" in result:
                frame[c.key] = result[f"{c.key}_MJ"].to_numpy()[flagged]
        if len(frame):
            g = frame.groupby("village")
            vt = pd.DataFrame({
                "村代码": g.size().index,
                "村名": [names.get(k, "") for k in g.size().index],
                "冲突图斑数": g["level"].agg(lambda s: int((s == 2).sum())).to_numpy(),
                "需关注图斑数": g["level"].agg(lambda s: int((s == 1).sum())).to_numpy(),
                "图斑面积（亩）": mu(g["area"].sum().to_numpy()),
            })
            for c in CONTROL_LINES:
                if c.key in frame:
                    vt[f"{c.zh}内（亩）"] = mu(g[c.key].sum().to_numpy())
            vt = vt.sort_values(["冲突图斑数", "需关注图斑数"], ascending=False)
        else:
            vt = pd.DataFrame()
        body.append(rh.section("四、按行政村", rh.table(vt)))

    # worst parcels: the flagged ones, highest level and largest overlap first
    if labels is None:
        labels = parcel_labels(table.reset_index(drop=True)) if n else pd.Series(dtype=object)
    labels = np.asarray(labels, dtype=object)
    if n:
        overlap = sum(np.nan_to_num(result[f"{c.key}_MJ"].to_numpy(dtype=float))
                      for c in CONTROL_LINES if f"{c.key}_MJ" in result)
        order = flagged[np.lexsort((-overlap[flagged], -levels[flagged]))]
        shown = order[:top]
        worst = pd.DataFrame({"图斑": labels[shown]})
        rows = table.iloc[shown]
        if "DLBM" in table:
            worst["地类"] = [f"{_text(c)} {lc.name_of(c)}".strip() for c in rows["DLBM"]]
        for col, zh in (("ZZZLX", "整治子类型"), ("ZZLX", "整治类型")):
            if col in table:
                worst[zh] = [task_types.label(_text(c)) for c in rows[col]]
        for c in CONTROL_LINES:
            if f"{c.key}_MJ" in result:
                worst[f"{c.zh}内（平方米）"] = result[f"{c.key}_MJ"].to_numpy()[shown]
        worst["等级"] = levels[shown]
        worst["原因"] = result["CT_SM"].to_numpy()[shown]
        note = f"共 {len(order):,d} 个图斑，列出前 {len(shown):,d} 个。" if len(order) > len(shown) else ""
        body.append(rh.section("五、冲突图斑（最严重在前）", rh.table(worst, cell_class=_level_class),
                               rh.paragraph(note, "note") if note else ""))

    # slivers
    slivers = found[found["sliver"]] if len(found) else found
    if len(slivers):
        sl = pd.DataFrame({"图斑": labels[slivers["parcel"].to_numpy().astype(int)],
                           "控制线": slivers["line_zh"].to_numpy(),
                           "重叠面积（平方米）": slivers["area"].to_numpy()})
        sl = sl.sort_values("重叠面积（平方米）", ascending=False)
        sl_text = rh.paragraph(f"共 {len(sl):,d} 处边界碎片重叠（小于 "
                               f"{meta.get('min_area', rules.overlap_min_area_m2):g} 平方米），"
                               "多为控制线与图斑边界不完全重合所致，不判为冲突。", "note")
        body.append(rh.section("六、边界碎片", sl_text, rh.table(sl.head(top), decimals=4)))
    else:
        body.append(rh.section("六、边界碎片", rh.paragraph("无。", "note")))

    # map
    if parcel_geoms is not None:
        png = conflict_map(parcel_geoms, levels, zones)
        body.append(rh.section("七、冲突分布图", rh.image(png, "冲突分布图") or rh.paragraph(
            "（未安装 matplotlib，未生成地图）", "note")))

    # rules
    rule_rows = []
    for c in CONTROL_LINES:
        for what, lv, reason, *source in getattr(rules, c.rules_attr):
            rule_rows.append((c.zh, _what_zh(what), int(lv), reason, source[0] if source else ""))
    body.append(rh.section("八、判定规则", rh.table(pd.DataFrame(rule_rows, columns=[
        "控制线", "适用对象", "等级", "说明", "依据"]), cell_class=_level_class),
        rh.paragraph("同一控制线内取最具体的一条规则（整治子类型 → 整治类型 → 任一整治项目 → 现状地类 → 项目区 → 全部）；"
                     "图斑等级取三条控制线中的最高者。规则可在插件规则配置中修改。", "note")))
    return rh.page("三区三线冲突检查报告", "".join(body),
                   subtitle="生态保护红线 · 永久基本农田 · 城镇开发边界")


_WHAT_ZH = {"FARMLAND": "现状耕地", "CONSTRUCTION": "现状建设用地", "NONFARMLAND": "现状非耕地",
            "TASK": "任一整治项目", "PROJECT": "项目区图斑", "ANY": "全部图斑",
            "ADJUSTED_OUT": "已调出永久基本农田的图斑"}


def _what_zh(what: str) -> str:
    """Chinese of a rule's `what` ('NYD04:FARMLAND' -> '林耕置换 · 现状耕地')."""
    if ":" in what:
        task, land = what.split(":", 1)
        return f"{task_types.label(task)} · {_WHAT_ZH.get(land, land)}"
    return _WHAT_ZH.get(what, task_types.label(what))


def _level_class(col, value):
    if col == "等级":
        return {"2": "lv2", "1": "lv1", "0": "lv0"}.get(str(value), "")
    return ""


def conflict_map(parcel_geoms, levels, zones: dict, max_background: int = 30000) -> bytes:
    """PNG map: parcels (outlines when not too many), the three lines, and the
    parcels of level 1 and 2 filled."""
    from .reports.html import map_png

    geoms = np.asarray(parcel_geoms, dtype=object)
    levels = np.asarray(levels)
    layers, outlines = [], []
    if len(geoms) <= max_background:
        layers.append(dict(geoms=geoms, facecolor="#f4f4f0", edgecolor="#bdbdbd", linewidth=0.15))
    style = {"HX": dict(facecolor="#74c476", edgecolor="#006d2c", alpha=0.45, linewidth=0.8),
             "JBNT": dict(facecolor="#fee08b", edgecolor="#b8860b", alpha=0.45, linewidth=0.5),
             "KFBJ": dict(facecolor="none", edgecolor="#6a51a3", alpha=1.0, linewidth=1.4)}
    for c in CONTROL_LINES:
        z = zones.get(c.key)
        if z is not None and not z.empty:
            layers.append(dict(geoms=[z.union], label=c.zh, **style[c.key]))
            outlines.append(dict(geoms=[z.union], facecolor="none", edgecolor=style[c.key]["edgecolor"],
                                 linewidth=style[c.key]["linewidth"] + 0.3))
    layers.append(dict(geoms=geoms[levels == 1], facecolor="#fd8d3c", edgecolor="#a63603",
                       linewidth=0.3, label="需关注（1级）"))
    layers.append(dict(geoms=geoms[levels == 2], facecolor="#e31a1c", edgecolor="#67000d",
                       linewidth=0.4, label="冲突（2级）"))
    layers += outlines          # the lines' edges stay visible over the parcels
    present = geoms[~shapely.is_missing(geoms)]
    extent = tuple(shapely.total_bounds(present)) if len(present) else None
    return map_png(layers, title="三区三线冲突分布", extent=extent)
