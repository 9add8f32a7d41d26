"""Three control lines (三区三线): how much of each parcel lies inside the
ecological red line (生态保护红线), permanent basic farmland (永久基本农田) and
the urban development boundary (城镇开发边界), and what that means for the work
planned on it (REFERENCE §3).

Areas are planar (the CRS of the geometries), computed exactly as
QGIS's native:calculatevectoroverlaps does (parcel ∩ union of the zone
polygons), only faster: the zone union is cut into small tiles that cover it
exactly, parcels are matched to tiles with a vectorised STRtree query, parcels
lying properly inside a tile take their own area, and only the rest are
intersected, each with a small tile.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from . import land_classes as lc
from . import task_types
from .geometry import polygonal, repair
from .messages import WARNING, finding, translatable
from .rules import Rules

# Vertices per zone tile: small enough that an intersection is cheap, large
# enough that the tiles stay few.
DEFAULT_TILE_VERTICES = 256

LEVEL_NAMES = {0: "无冲突", 1: "需关注", 2: "冲突"}


@dataclass(frozen=True)
class ControlLine:
    key: str           # field prefix: HX_MJ, HX_BL
    zh: str            # Chinese name
    rules_attr: str    # the Rules field holding its (what, level, reason) table


CONTROL_LINES = (
    ControlLine("HX", "生态保护红线", "red_line_rules"),
    ControlLine("JBNT", "永久基本农田", "pbf_rules"),
    ControlLine("KFBJ", "城镇开发边界", "udb_rules"),
)
CONTROL_LINE_BY_KEY = {c.key: c for c in CONTROL_LINES}


# ---------------------------------------------------------------------------
# geometry: repair, tile, overlap
# ---------------------------------------------------------------------------

def _split(poly, max_vertices: int, max_depth: int = 24) -> list:
    """Cut a polygon into pieces of at most `max_vertices` vertices by recursive
    halving of its bounding box; the pieces tile the polygon exactly."""
    out, stack = [], [(poly, 0)]
    while stack:
        g, depth = stack.pop()
        if shapely.get_num_coordinates(g) <= max_vertices or depth >= max_depth:
            out.append(g)
            continue
        x0, y0, x1, y1 = g.bounds
        if x1 - x0 >= y1 - y0:
            xm = (x0 + x1) / 2.0
            boxes = (shapely.box(x0 - 1, y0 - 1, xm, y1 + 1), shapely.box(xm, y0 - 1, x1 + 1, y1 + 1))
        else:
            ym = (y0 + y1) / 2.0
            boxes = (shapely.box(x0 - 1, y0 - 1, x1 + 1, ym), shapely.box(x0 - 1, ym, x1 + 1, y1 + 1))
        for box in boxes:
            for p in shapely.get_parts(polygonal(shapely.intersection(g, box))):
                if not p.is_empty and p.area > 0:
                    stack.append((p, depth + 1))
    return out


class ZoneIndex:
    """A control line prepared for many overlap queries: its polygons repaired and
    dissolved, cut into small tiles, in an STRtree."""

    def __init__(self, zone_geoms, tile_vertices: int = DEFAULT_TILE_VERTICES):
        geoms = np.asarray([g for g in np.asarray(zone_geoms, dtype=object).ravel()
                            if g is not None], dtype=object)
        geoms, self.repaired = repair(geoms)
        geoms = np.asarray([polygonal(g) for g in geoms], dtype=object)
        geoms = geoms[~shapely.is_empty(geoms)] if len(geoms) else geoms
        self.count = len(geoms)
        self.union = shapely.union_all(geoms) if len(geoms) else shapely.Polygon()
        self.union = polygonal(self.union)
        tiles = []
        for part in shapely.get_parts(self.union):
            if not part.is_empty:
                tiles.extend(_split(part, tile_vertices))
        self.tiles = np.asarray(tiles, dtype=object)
        shapely.prepare(self.tiles)
        self.tree = shapely.STRtree(self.tiles)

    @property
    def empty(self) -> bool:
        return len(self.tiles) == 0

    @property
    def area(self) -> float:
        return float(self.union.area)

    def overlap(self, parcel_geoms, pieces: bool = False, repaired: bool = False):
        """Planar area of each parcel inside the zone (and, with `pieces`, the
        overlap geometry of each parcel, None where there is none). Invalid parcels are
        measured as repaired (GEOS make_valid); `repaired=True` says they already are."""
        parcels = np.asarray(parcel_geoms, dtype=object)
        if not repaired:
            parcels, _ = repair(parcels)     # a bow-tie's signed area is 0
        n = len(parcels)
        areas = np.zeros(n, dtype=float)
        geoms = np.full(n, None, dtype=object) if pieces else None
        if n == 0 or self.empty:
            return (areas, geoms) if pieces else areas
        usable = ~shapely.is_missing(parcels)
        usable[usable] = ~shapely.is_empty(parcels[usable])
        idx = np.flatnonzero(usable)
        pi, ti = self.tree.query(parcels[idx], predicate="intersects")
        pi = idx[pi]
        part_area = np.zeros(len(pi), dtype=float)
        parcel_area = shapely.area(parcels)
        inside = shapely.contains_properly(self.tiles[ti], parcels[pi])
        part_area[inside] = parcel_area[pi[inside]]
        rest = np.flatnonzero(~inside)
        part_geom = None
        if len(rest):
            inter = shapely.intersection(parcels[pi[rest]], self.tiles[ti[rest]])
            part_area[rest] = shapely.area(inter)
            if pieces:
                part_geom = np.empty(len(pi), dtype=object)
                part_geom[rest] = inter
        areas = np.bincount(pi, weights=part_area, minlength=n)
        # tiles meet exactly, but rounding may add 1e-9 m² on a fully covered parcel
        areas = np.minimum(areas, np.where(np.isnan(parcel_area), 0.0, parcel_area))
        if pieces:
            geoms = _assemble_pieces(n, pi, inside, part_area, part_geom, parcels)
            return areas, geoms
        return areas


def _assemble_pieces(n, pi, inside, part_area, part_geom, parcels):
    """One overlap geometry per parcel: the parcel itself when a tile holds it, else
    the union of its intersections with the tiles (None when the overlap has no area)."""
    geoms = np.full(n, None, dtype=object)
    keep = part_area > 0
    whole = np.flatnonzero(inside & keep)
    geoms[pi[whole]] = parcels[pi[whole]]
    cut = np.flatnonzero(~inside & keep)
    if len(cut):
        owner = pi[cut]
        order = np.argsort(owner, kind="stable")
        owner, cut = owner[order], cut[order]
        parts = part_geom[cut]
        bad = ~np.isin(shapely.get_type_id(parts), (3, 6))   # lines/points of a touching tile
        if bad.any():
            parts[bad] = [polygonal(g) for g in parts[bad]]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        rank = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
        # dissolve the tile parts of each parcel, one vectorised union per rank
        acc = parts[starts].copy()
        group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(owner)]))
        for r in range(1, int(rank.max()) + 1 if len(rank) else 1):
            sel = rank == r
            acc[group[sel]] = shapely.union(acc[group[sel]], parts[sel])
        geoms[owner[starts]] = acc
    return geoms


def overlap_areas(parcel_geoms, zone_geoms, tile_vertices: int = DEFAULT_TILE_VERTICES) -> np.ndarray:
    """Planar m² of each parcel inside the union of the zone polygons (both in the
    same projected CRS). Invalid zone polygons are repaired; invalid parcels too."""
    return ZoneIndex(zone_geoms, tile_vertices).overlap(parcel_geoms)


def overlap_share(areas, parcel_geoms) -> np.ndarray:
    """Overlap as % of each parcel's planar area (0 for parcels without area)."""
    total = shapely.area(np.asarray(parcel_geoms, dtype=object))
    total = np.where(np.isnan(total), 0.0, total)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 100.0 * np.asarray(areas, dtype=float) / total, 0.0)


# ---------------------------------------------------------------------------
# rules: what an overlap means for a parcel
# ---------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    return str(value).strip()


def task_of(zzlx, zzzlx) -> tuple[str, str, bool]:
    """(family code, subtype code, tagged) from the ZZLX/ZZZLX values (codes or
    Chinese labels). A value that is no known code still counts as tagged."""
    fam_text, sub_text = _text(zzlx), _text(zzzlx)
    sub = task_types.subtype(sub_text) or task_types.subtype(fam_text)
    fam = task_types.family_of(fam_text) if fam_text else None
    if fam is None and sub is not None:
        fam = task_types.FAMILY_BY_CODE.get(sub.family)
    if fam is None and sub_text:
        fam = task_types.family_of(sub_text)
    return (fam.code if fam else "", sub.code if sub else "", bool(fam_text or sub_text))


def rule_keys(dlbm, family: str = "", subtype: str = "", tagged: bool = False,
              project: bool = True, adjusted_out: bool = False) -> tuple:
    """The `what` keys a parcel answers to, most specific first: ADJUSTED_OUT (marked as
    adjusted out of PBF), subtype joined to the land ('NYD04:FARMLAND'), subtype, family,
    TASK (any tagged parcel), its DLBM code (and base code, e.g. '1006'), the land
    class (FARMLAND, or CONSTRUCTION and NONFARMLAND), PROJECT (a project parcel), ANY."""
    keys = ["ADJUSTED_OUT"] if adjusted_out else []
    code = lc.normalize_code(dlbm)
    if subtype:
        keys.append(f"{subtype}:{'FARMLAND' if code and lc.is_farmland(code) else 'NONFARMLAND'}")
    keys += [k for k in (subtype, family) if k]
    if tagged:
        keys.append("TASK")
    if code:
        keys.append(code)
        if lc.base_code(code) != code:
            keys.append(lc.base_code(code))
        if lc.is_farmland(code):
            keys.append("FARMLAND")
        else:
            if lc.category_of(code) == lc.CONSTRUCTION:
                keys.append("CONSTRUCTION")
            keys.append("NONFARMLAND")
    if project:
        keys.append("PROJECT")
    keys.append("ANY")
    return tuple(keys)


def rule_table(rules: Rules, line: ControlLine) -> dict:
    """{what: (level, reason)} of one control line (rows are (what, level, reason, source))."""
    return {str(w): (int(level), str(reason)) for w, level, reason, *_ in
            getattr(rules, line.rules_attr)}


def judge_one(keys, table: dict):
    """(level, reason) of the most specific matching rule, (0, '') when none."""
    for key in keys:
        if key in table:
            return table[key]
    return 0, ""


def findings(dlbm, zzlx=None, zzzlx=None, areas: dict | None = None, rules: Rules | None = None,
             min_area: float | None = None, adjusted_out=None) -> pd.DataFrame:
    """One row per (parcel, control line) with an overlap of at least `min_area` m²
    (or a smaller one: a boundary sliver): parcel index, line key and name, area,
    sliver flag, level and reason.

    `zzlx`/`zzzlx` None means the layer has no task field: every parcel is then a
    project parcel judged from its land class alone. `adjusted_out` (bool per parcel)
    marks parcels formally adjusted out of PBF (rule key ADJUSTED_OUT)."""
    rules = rules or Rules()
    min_area = rules.overlap_min_area_m2 if min_area is None else float(min_area)
    areas = {k: np.asarray(v, dtype=float) for k, v in (areas or {}).items() if v is not None}
    columns = ["parcel", "line", "line_zh", "area", "sliver", "level", "reason"]
    dlbm = list(dlbm)
    n = len(dlbm)
    has_tasks = zzlx is not None or zzzlx is not None
    zzlx = list(zzlx) if zzlx is not None else [None] * n
    zzzlx = list(zzzlx) if zzzlx is not None else [None] * n
    touched = np.zeros(n, dtype=bool)
    for a in areas.values():
        touched |= a > 0
    sel = np.flatnonzero(touched)
    if len(sel) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    adjusted = np.zeros(n, bool) if adjusted_out is None else np.asarray(adjusted_out, bool)
    # judge each distinct (DLBM, ZZLX, ZZZLX, adjusted out) once
    sig_codes, signatures = pd.factorize(pd.Series(
        [(dlbm[i], zzlx[i], zzzlx[i], bool(adjusted[i])) for i in sel], dtype=object))
    keys = []
    for d, z1, z2, adj in signatures:
        fam, sub, tagged = task_of(z1, z2)
        keys.append(rule_keys(d, fam, sub, tagged, tagged or not has_tasks, adj))
    frames = []
    for line in CONTROL_LINES:
        if line.key not in areas:
            continue
        table = rule_table(rules, line)
        judged = [judge_one(k, table) for k in keys]
        lv = np.array([j[0] for j in judged], dtype=int)
        rs = np.array([j[1] for j in judged], dtype=object)
        a = areas[line.key][sel]
        hit = a > 0
        codes = sig_codes[hit]
        sliver = a[hit] < min_area
        frames.append(pd.DataFrame({
            "parcel": sel[hit], "line": line.key, "line_zh": line.zh, "area": a[hit],
            "sliver": sliver, "level": np.where(sliver, 0, lv[codes]),
            "reason": np.where(sliver, "", rs[codes])}))
    frame = pd.concat(frames, ignore_index=True)
    return frame[columns]


def judge(dlbm, zzlx=None, zzzlx=None, hx_mj=None, jbnt_mj=None, kfbj_mj=None,
          rules: Rules | None = None, min_area: float | None = None, adjusted_out=None):
    """(levels, reasons) per parcel: CT_DJ 0 no conflict / 1 attention / 2 conflict,
    the highest over the three lines, and CT_SM their reasons joined with '；'.
    Overlaps under `min_area` m² (default Rules.overlap_min_area_m2) are slivers,
    not judged."""
    dlbm = list(dlbm)
    frame = findings(dlbm, zzlx, zzzlx, {"HX": hx_mj, "JBNT": jbnt_mj, "KFBJ": kfbj_mj},
                     rules, min_area, adjusted_out)
    return summarize(frame, len(dlbm))[:2]


def summarize(frame: pd.DataFrame, n: int):
    """(levels int8, reasons list[str], sliver int8) per parcel from `findings`."""
    levels = np.zeros(n, dtype=np.int8)
    sliver = np.zeros(n, dtype=np.int8)
    reasons = [""] * n
    if len(frame):
        judged = frame[~frame["sliver"]]
        if len(judged):
            top = judged.groupby("parcel")["level"].max()
            levels[top.index.to_numpy()] = top.to_numpy()
            said = judged[judged["reason"] != ""]
            parcel = said["parcel"].to_numpy().astype(int)
            many = pd.Series(parcel).duplicated(keep=False).to_numpy()
            for i, text in zip(parcel[~many], said["reason"].to_numpy()[~many]):
                reasons[i] = text          # one reason: most parcels, no groupby needed
            if many.any():
                texts = said[many].groupby("parcel", sort=False)["reason"].agg("；".join)
                for i, text in texts.items():
                    reasons[int(i)] = text
        sl = frame.loc[frame["sliver"], "parcel"].to_numpy()
        sliver[sl] = 1
    return levels, reasons, sliver


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------

def parcel_labels(table: pd.DataFrame) -> pd.Series:
    """A readable id per parcel: BSM, else TBBH, else the row number (#1, #2…)."""
    label = pd.Series([f"#{i + 1}" for i in range(len(table))], index=table.index, dtype=object)
    for col in ("TBBH", "BSM"):
        if col in table:
            text = table[col].astype(object).where(table[col].notna(), "").astype(str).str.strip()
            text = text.where(~text.isin(("nan", "None", "NULL")), "")
            label = text.where(text != "", label)
    return label


# what a check finds about the control lines themselves: code -> (English log, Chinese report)
ZONE_FINDINGS = {
    "EMPTY_LINE": (translatable("{line}: the layer has no polygons; its overlap areas are all 0."),
                   "{line_zh}图层无多边形，重叠面积均为 0。"),
}


def zone_findings(zones: dict) -> list:
    """Warnings about the control lines given ({key: ZoneIndex or None}): a layer
    without polygons (its overlaps are all 0)."""
    return [finding(ZONE_FINDINGS, WARNING, "EMPTY_LINE", key=key, line=key,
                    line_zh=CONTROL_LINE_BY_KEY[key].zh)
            for key, zone in zones.items() if zone is not None and zone.empty]


# ---------------------------------------------------------------------------
# output schema
# ---------------------------------------------------------------------------

def _output_fields():
    from .fields import FieldSpec

    specs = []
    for c in CONTROL_LINES:
        specs.append(FieldSpec(f"{c.key}_MJ", "float", 19, f"{c.zh}内面积（平方米）", 2))
        specs.append(FieldSpec(f"{c.key}_BL", "float", 8, f"{c.zh}内比例（%）", 2))
    specs += [FieldSpec("CT_DJ", "int", 1, "冲突等级"),
              FieldSpec("CT_SM", "str", 254, "冲突说明"),
              FieldSpec("CT_SL", "int", 1, "边界碎片")]
    return tuple(specs)


def _overlap_fields():
    from .fields import FieldSpec

    return (FieldSpec("TB_ID", "str", 30, "图斑"),
            FieldSpec("TB_XH", "int", 10, "图斑序号"),
            FieldSpec("KZX", "str", 4, "控制线代码"),
            FieldSpec("KZXMC", "str", 20, "控制线"),
            FieldSpec("CD_MJ", "float", 19, "重叠面积（平方米）", 2),
            FieldSpec("CD_BL", "float", 8, "占图斑比例（%）", 2),
            FieldSpec("CT_DJ", "int", 1, "冲突等级"),
            FieldSpec("CT_SM", "str", 254, "冲突说明"),
            FieldSpec("CT_SL", "int", 1, "边界碎片"))


OUTPUT_FIELDS = _output_fields()
OVERLAP_FIELDS = _overlap_fields()


@dataclass
class CheckResult:
    result: pd.DataFrame     # one row per parcel, the OUTPUT_FIELDS columns
    found: pd.DataFrame      # `findings`: one row per (parcel, line) overlap
    pieces: dict             # line key -> overlap geometry per parcel (None: none), if asked


def check(parcel_geoms, dlbm=None, zzlx=None, zzzlx=None, zones: dict | None = None,
          rules: Rules | None = None, min_area: float | None = None, pieces: bool = False,
          progress=None) -> CheckResult:
    """The whole check: overlap areas and shares with each given line (`zones`
    {key: ZoneIndex or None}; absent lines give NULL-free zeros), levels and reasons.
    `progress(fraction)` is called between lines."""
    rules = rules or Rules()
    zones = zones or {}
    geoms, _ = repair(np.asarray(parcel_geoms, dtype=object))
    n = len(geoms)
    dlbm = list(dlbm) if dlbm is not None else [None] * n
    areas, geom_pieces = {}, {}
    result = pd.DataFrame(index=range(n))
    for k, c in enumerate(CONTROL_LINES):
        z = zones.get(c.key)
        if z is None:
            a = np.zeros(n)
            areas[c.key] = None
        elif pieces:
            a, geom_pieces[c.key] = z.overlap(geoms, pieces=True, repaired=True)
            areas[c.key] = a
        else:
            a = areas[c.key] = z.overlap(geoms, repaired=True)
        result[f"{c.key}_MJ"] = a
        result[f"{c.key}_BL"] = overlap_share(a, geoms)
        if progress:
            progress((k + 1) / (len(CONTROL_LINES) + 1))
    found = findings(dlbm, zzlx, zzzlx, areas, rules, min_area)
    levels, reasons, sliver = summarize(found, n)
    result["CT_DJ"] = levels.astype(int)
    result["CT_SM"] = reasons
    result["CT_SL"] = sliver.astype(int)
    return CheckResult(result, found, geom_pieces)


# ---------------------------------------------------------------------------
# what goes out
# ---------------------------------------------------------------------------

def task_columns(table: pd.DataFrame, task_field: str | None = None):
    """(ZZLX values, ZZZLX values) the judgement reads, None for an absent one: the
    chosen task field (with ZZZLX beside it unless it is ZZZLX itself), else ZZLX and
    ZZZLX. Without either, every parcel is judged by its land class alone."""
    if task_field:
        zzlx = table[task_field].tolist()
        zzzlx = table["ZZZLX"].tolist() if "ZZZLX" in table and task_field.upper() != "ZZZLX" \
            else None
        return zzlx, zzzlx
    return (table["ZZLX"].tolist() if "ZZLX" in table else None,
            table["ZZZLX"].tolist() if "ZZZLX" in table else None)


def output_columns(result: pd.DataFrame, zones: dict) -> dict:
    """The OUTPUT_FIELDS values of every parcel: no reason is NULL, not '', and the
    areas of a line that was not given are NULL (not checked), not 0."""
    columns = {spec.name: result[spec.name].to_numpy() for spec in OUTPUT_FIELDS}
    columns["CT_SM"] = np.array([r or None for r in result["CT_SM"]], dtype=object)
    for line in CONTROL_LINES:
        if line.key not in zones:
            for name in (f"{line.key}_MJ", f"{line.key}_BL"):
                columns[name] = np.full(len(result), None, dtype=object)
    return columns


def overlap_pieces(check_result: CheckResult, parcel_geoms, labels):
    """(table with OVERLAP_FIELDS, multipolygons) of the overlap pieces of a check made
    with pieces=True: one row per parcel and line it overlaps, pieces without area left out."""
    found = check_result.found
    columns = [f.name for f in OVERLAP_FIELDS]
    if not len(found):
        return pd.DataFrame(columns=columns), np.zeros(0, dtype=object)
    parcel = found["parcel"].to_numpy().astype(int)
    line = found["line"].to_numpy()
    geoms = np.full(len(found), None, dtype=object)
    for key, pieces in check_result.pieces.items():
        sel = line == key
        geoms[sel] = pieces[parcel[sel]]
    keep = ~shapely.is_missing(geoms)
    keep[keep] = ~shapely.is_empty(geoms[keep])
    parts, owner = shapely.get_parts(geoms[keep], return_index=True)
    multi = shapely.multipolygons(parts, indices=owner)
    share = overlap_share(found["area"].to_numpy(), np.asarray(parcel_geoms, dtype=object)[parcel])
    frame = pd.DataFrame({
        "TB_ID": np.asarray(labels, dtype=object)[parcel], "TB_XH": parcel + 1, "KZX": line,
        "KZXMC": found["line_zh"].to_numpy(), "CD_MJ": found["area"].to_numpy(float),
        "CD_BL": share, "CT_DJ": found["level"].to_numpy(int), "CT_SM": found["reason"].to_numpy(),
        "CT_SL": found["sliver"].to_numpy(bool).astype(int)}, columns=columns)
    return frame[keep].reset_index(drop=True), multi
