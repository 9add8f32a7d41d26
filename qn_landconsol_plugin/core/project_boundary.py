"""Project boundary (项目区范围) of a declaration: the dissolve of a project's tagged
parcels with narrow gaps closed, small holes filled, and the checks a declaration
needs before it is written (REFERENCE §4–§5).

Gaps and slivers narrower than the tolerance are closed by a morphological
closing: buffer(+tol/2) then buffer(−tol/2) with mitre joins (corners stay
square), united with the exact union so no parcel edge moves.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from .crs import gk3_zone_from_longitude
from .fields import FieldSpec
from .geometry import polygonal, repair
from .messages import ERROR, WARNING, Finding, translatable
from .parcel_checks import NULL_RULES
from .rules import Rules

LEVEL_ZH = {ERROR: "错误", WARNING: "警告"}

# issue code -> Chinese label (the GPKG's check table and the log)
ISSUE_LABELS = {
    "EMPTY": "无图斑",
    "TOO_SMALL": "小于坐标精度",
    "INVALID": "图斑几何无效",
    "SELF_OVERLAP": "项目内图斑重叠",
    "OVERLAP_PROJECT": "与其他项目重叠",
    "MULTIPART": "项目范围多部件",
    "HOLES": "项目范围含洞",
    "AREA_MISMATCH": "范围面积与图斑面积不符",
    "RED_LINE": "生态保护红线冲突",
    "ZONE_SPAN": "跨投影带",
    "CRS": "坐标转换",
}


# message -> (English template for the log, Chinese for the GeoPackage's check table)
ISSUE_TEXT = {
    "EMPTY": (translatable("Project {project} has no parcels (or only empty geometries)."),
              "项目 {project} 没有图斑（或图斑几何为空）"),
    "TOO_SMALL": (translatable("Project {project} is too small for the coordinate precision "
                               "{grid:g} m: its boundary ({area:.6f} m²) vanishes when "
                               "rounded, the TXT would hold no 地块. Not exported."),
                  "项目 {project} 面积过小（{area:.6f} 平方米），按坐标精度 {grid:g} 米取整后范围"
                  "消失，TXT 将没有地块，未导出"),
    "INVALID": (translatable("Project {project}: {n} parcel geometries are invalid "
                             "(self-intersecting…); they were repaired before the dissolve."),
                "项目 {project} 有 {n} 个图斑几何无效（自相交等），已修复后参与合并"),
    "SELF_OVERLAP": (translatable("Project {project}: its parcels overlap each other by "
                                  "{area:.2f} m²; resolve the overlapping parcels first."),
                     "项目 {project} 的图斑相互重叠 {area:.2f} 平方米，请先处理重叠图斑"),
    "OVERLAP_PROJECT": (translatable("Project {project}: its boundary overlaps the parcels of "
                                     "project {other} by {area:.2f} m²."),
                        "项目 {project} 的范围与项目 {other} 的图斑重叠 {area:.2f} 平方米"),
    "MULTIPART": (translatable("Project {project}: the boundary is {n} separate blocks (each "
                               "written as its own 地块)."),
                  "项目 {project} 的范围由 {n} 个不相连的地块组成（按地块分别写出）"),
    "HOLES": (translatable("Project {project}: the boundary has {n} hole(s) of {area:.2f} m² "
                           "(written as inner rings by 圈号)."),
              "项目 {project} 的范围含 {n} 个洞，面积 {area:.2f} 平方米（按圈号写出内环）"),
    "AREA_MISMATCH": (translatable("Project {project}: the boundary's area {boundary:.2f} m² "
                                   "differs from the sum of its parcels' areas {parcels:.2f} m² "
                                   "by {diff:.2f} m², more than the gap tolerance explains "
                                   "({allowed:.2f} m²)."),
                      "项目 {project} 的范围面积 {boundary:.2f} 平方米与图斑面积之和 {parcels:.2f} "
                      "平方米相差 {diff:.2f} 平方米，超出缝隙容差可解释的 {allowed:.2f} 平方米"),
    "RED_LINE_CONFLICT": (translatable("Project {project}: {n} parcel(s) in conflict with the "
                                       "ecological red line, overlapping it by {area:.2f} m²"
                                       "{reasons}."),
                          "项目 {project} 有 {n} 个图斑与生态保护红线冲突，重叠 {area:.2f} 平方米"
                          "{reasons_zh}"),
    "RED_LINE_ATTENTION": (translatable("Project {project}: {n} parcel(s) need attention at the "
                                        "ecological red line, overlapping it by {area:.2f} m²"
                                        "{reasons}."),
                           "项目 {project} 有 {n} 个图斑与生态保护红线需关注，重叠 {area:.2f} 平方米"
                           "{reasons_zh}"),
    "ZONE_SPAN": (translatable("Project {project} spans 3° zones (longitude {lon_min:.4f}°–"
                               "{lon_max:.4f}°, zones {zones}); written in zone {zone}."),
                  "项目 {project} 跨 3 度带（经度 {lon_min:.4f}°–{lon_max:.4f}°，涉及 {zones} 带），"
                  "按 {zone} 带写出"),
    "CRS": (translatable("The layer's CRS {crs} is not a CGCS2000 3° zone: project {project} is "
                         "transformed to zone {zone} of its centre ({target})."),
            "图层坐标系 {crs} 不是 CGCS2000 3 度带，项目 {project} 按其中心所在的 {zone} 带"
            "（{target}）转换写出"),
}


@dataclass
class Issue(Finding):
    """A finding of a project check (core.messages.Finding): ERROR stops the project's
    export, WARNING does not; `code` is a key of ISSUE_LABELS, `message` the Chinese."""
    area_m2: float = 0.0

    @property
    def label(self) -> str:
        return ISSUE_LABELS.get(self.code) or INPUT_LABELS.get(self.code, self.code)


def issue(level: str, code: str, area_m2: float = 0.0, text: str | None = None,
          **values) -> Issue:
    """An Issue of `code` whose message is ISSUE_TEXT[text or code] with `values`."""
    template, template_zh = ISSUE_TEXT[text or code]
    return Issue(level, code, values, template, template_zh, area_m2)


# the input checks of the tagged parcels' layer (core.parcel_checks) in the check table
INPUT_LABELS = {**{f"NULL_{r.field}": f"{r.field} 为空" for r in NULL_RULES},
                "UNKNOWN_DLBM": "地类编码不属于三调分类", "DUPLICATE_KEY": "标识码重复",
                "TBMJ_MISMATCH": "图斑面积与几何面积不符"}


def input_issues(findings) -> list:
    """The findings of the input checks of the parcel layer (core.parcel_checks) as
    warnings of the check table."""
    return [Issue(WARNING, f.code, f.values, f.template, f.template_zh, 0.0) for f in findings]


def crs_issue(project: str, crs_name: str, zone: int, target: str) -> Issue:
    """Warning: the layer is not in a CGCS2000 zone, the project is transformed."""
    return issue(WARNING, "CRS", crs=crs_name, project=project, zone=zone, target=target)


@dataclass
class Boundary:
    geometry: object                 # Polygon or MultiPolygon (empty when no parcels)
    union_area: float = 0.0          # area of the plain union of the parcels
    gap_area: float = 0.0            # added by closing gaps narrower than the tolerance
    filled_hole_area: float = 0.0    # holes smaller than MIN_HOLE_AREA filled
    filled_holes: int = 0

    @property
    def parts(self) -> list:
        return [p for p in shapely.get_parts(self.geometry) if not p.is_empty]

    @property
    def n_holes(self) -> int:
        return sum(len(p.interiors) for p in self.parts)

    @property
    def hole_area(self) -> float:
        return float(sum(shapely.Polygon(h).area for p in self.parts for h in p.interiors))


def intersection_areas(geoms, geom, grid: float = 0.0) -> np.ndarray:
    """Area of each of `geoms` ∩ `geom`; when GEOS meets a topology error (nearly
    coincident edges), the overlay is redone with snap-rounding to `grid` (≥ 1 µm)."""
    geoms = np.asarray(geoms, dtype=object)
    try:
        return shapely.area(shapely.intersection(geoms, geom))
    except shapely.errors.GEOSException:
        return np.array([shapely.area(shapely.intersection(g, geom, grid_size=max(grid, 1e-6)))
                         for g in geoms], dtype=float)


def fill_small_holes(geom, min_hole_area: float):
    """(geometry without holes smaller than min_hole_area m², filled area, filled count)."""
    if not min_hole_area or min_hole_area <= 0 or geom.is_empty:
        return geom, 0.0, 0
    parts, filled, count = [], 0.0, 0
    for part in shapely.get_parts(geom):
        keep = []
        for hole in part.interiors:
            a = shapely.Polygon(hole).area
            if a < min_hole_area:
                filled += a
                count += 1
            else:
                keep.append(hole)
        parts.append(shapely.Polygon(part.exterior, keep))
    return polygonal(shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]), filled, count


def dissolve(geoms, gap_tolerance: float = 0.1, min_hole_area: float = 0.0,
             grid: float = 0.0) -> Boundary:
    """The project boundary of `geoms` (valid polygons, projected metres): union,
    gaps narrower than gap_tolerance closed, holes under min_hole_area filled,
    optionally snapped to a `grid` (the precision written to the TXT)."""
    geoms = np.asarray([g for g in np.atleast_1d(np.asarray(geoms, dtype=object))
                        if g is not None and not g.is_empty], dtype=object)
    if len(geoms) == 0:
        return Boundary(shapely.Polygon())
    geoms, _ = repair(geoms)
    try:
        union = polygonal(shapely.union_all(geoms))
    except shapely.errors.GEOSException:   # robustness: snap to a fine grid and retry
        union = polygonal(shapely.union_all(geoms, grid_size=grid or 1e-6))
    union_area = union.area
    result = union
    if gap_tolerance and gap_tolerance > 0:
        h = gap_tolerance / 2.0
        closed = shapely.buffer(shapely.buffer(union, h, join_style="mitre", mitre_limit=10.0),
                                -h, join_style="mitre", mitre_limit=10.0)
        gaps = polygonal(shapely.difference(closed, union))
        if not gaps.is_empty:
            result = polygonal(shapely.union(union, gaps))
    if grid and grid > 0:
        result = polygonal(shapely.set_precision(result, grid))
    if not result.is_valid:
        result = polygonal(shapely.make_valid(result))
    result, filled, n_filled = fill_small_holes(result, min_hole_area)
    gap_area = max(0.0, result.area - union_area - filled)
    return Boundary(result, union_area, gap_area, filled, n_filled)


def check_project(name: str, geoms, valid=None, boundary: Boundary | None = None,
                  gap_tolerance: float = 0.1, other_projects: dict | None = None,
                  rules: Rules | None = None, grid: float = 0.0) -> list:
    """Checks of one project before export (Issues: findings with their messages):
    errors: no parcels, parcels overlapping each other or another project's parcels,
    a boundary area that the gap tolerance and filled holes do not explain;
    warnings: invalid parcels (repaired), a multipart boundary, holes.

    `geoms` are the project's repaired parcels, `valid` the validity of the
    original geometries, `other_projects` {project: parcel geometries}, `grid` the
    precision the boundary was snapped to."""
    rules = rules or Rules()
    geoms = np.asarray([g for g in np.atleast_1d(np.asarray(geoms, dtype=object))], dtype=object)
    issues = []
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    if not present.any():
        return [issue(ERROR, "EMPTY", project=name)]
    geoms = geoms[present]
    if valid is not None:
        valid = np.asarray(valid, dtype=bool)
        n_bad = int((~valid).sum())
        if n_bad:
            issues.append(issue(WARNING, "INVALID", project=name, n=n_bad))
    boundary = boundary or dissolve(geoms, gap_tolerance)
    areas = shapely.area(geoms)
    total = float(areas.sum())
    if boundary.geometry is None or boundary.geometry.is_empty or not boundary.parts:
        return issues + [issue(ERROR, "TOO_SMALL", project=name, grid=grid, area=total)]
    self_overlap = total - boundary.union_area
    if self_overlap > rules.overlap_min_area_m2:
        issues.append(issue(ERROR, "SELF_OVERLAP", self_overlap, project=name,
                            area=self_overlap))
    for other, other_geoms in (other_projects or {}).items():
        other_geoms = np.asarray([g for g in other_geoms if g is not None and not g.is_empty],
                                 dtype=object)
        if len(other_geoms) == 0:
            continue
        tree = shapely.STRtree(other_geoms)
        hits = tree.query(boundary.geometry, predicate="intersects")
        if len(hits) == 0:
            continue
        area = float(intersection_areas(other_geoms[hits], boundary.geometry, grid).sum())
        if area > rules.overlap_min_area_m2:
            issues.append(issue(ERROR, "OVERLAP_PROJECT", area, project=name, other=other,
                                area=area))
    parts = boundary.parts
    if len(parts) > 1:
        issues.append(issue(WARNING, "MULTIPART", project=name, n=len(parts)))
    if boundary.n_holes:
        issues.append(issue(WARNING, "HOLES", boundary.hole_area, project=name,
                            n=boundary.n_holes, area=boundary.hole_area))
    # gaps narrower than the tolerance hold at most tol/2 per metre of parcel edge
    perimeter = float(shapely.length(geoms).sum())
    allowed = (0.5 * gap_tolerance + grid) * perimeter + boundary.filled_hole_area + \
        1e-6 * total + 0.01
    diff = float(boundary.geometry.area) - total
    if abs(diff) > allowed:
        issues.append(issue(ERROR, "AREA_MISMATCH", diff, project=name,
                            boundary=boundary.geometry.area, parcels=total, diff=diff,
                            allowed=allowed))
    return issues


def red_line_issues(name: str, levels, areas, reasons=()) -> list:
    """Warnings for the project's parcels judged in conflict (level 2) or needing
    attention (level 1) with the ecological red line (control_lines.judge)."""
    levels = np.asarray(levels)
    areas = np.asarray(areas, dtype=float)
    issues = []
    for level, text in ((2, "RED_LINE_CONFLICT"), (1, "RED_LINE_ATTENTION")):
        m = levels == level
        if m.any():
            why = sorted({r for r, k in zip(reasons, m) if k and r}) if len(reasons) else []
            issues.append(issue(WARNING, "RED_LINE", float(areas[m].sum()), text,
                                project=name, n=int(m.sum()), area=float(areas[m].sum()),
                                reasons=f" ({'; '.join(why)})" if why else "",
                                reasons_zh=f"（{'；'.join(why)}）" if why else ""))
    return issues


def zone_issue(name: str, lon_min: float, lon_max: float, zone: int) -> Issue | None:
    """Warning when the project reaches beyond the 3° band of the zone it is written in."""
    zones = {gk3_zone_from_longitude(lon_min), gk3_zone_from_longitude(lon_max)}
    if zones == {zone}:
        return None
    return issue(WARNING, "ZONE_SPAN", project=name, lon_min=lon_min, lon_max=lon_max,
                 zones="、".join(str(z) for z in sorted(zones)), zone=zone)


@dataclass
class ProjectCheck:
    """All issues of one project; `ok` when none is an error."""
    name: str
    issues: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.level == ERROR for i in self.issues)


# ------------------------------------------------------------------ declaration tables
# the boundary layer (xmfw) of a declaration GeoPackage: one feature per 地块 of the TXT
BOUNDARY_FIELDS = (
    FieldSpec("XMBH", "str", 30, "项目编号"),
    FieldSpec("XMMC", "str", 100, "项目名称"),
    FieldSpec("DKBH", "str", 40, "地块编号"),
    FieldSpec("DKMC", "str", 120, "地块名称"),
    FieldSpec("TFH", "str", 12, "图幅号"),
    FieldSpec("JZDS", "int", 8, "界址点数"),
    FieldSpec("QS", "int", 4, "圈数"),
    FieldSpec("DH", "int", 2, "带号"),
    FieldSpec("TQMJ", "float", 19, "椭球面积（平方米）", 2),
    FieldSpec("PMMJ", "float", 19, "平面面积（平方米）", 2),
    FieldSpec("MJ_MU", "float", 19, "面积（亩）", 4),
    FieldSpec("MJ_GQ", "float", 19, "面积（公顷）", 4),
    FieldSpec("TXT_GQ", "float", 19, "TXT地块面积（公顷）", 4),
)
# the check results (jcjg)
ISSUE_FIELDS = (
    FieldSpec("JB", "str", 4, "级别"), FieldSpec("LX", "str", 20, "类型"),
    FieldSpec("LXMC", "str", 30, "类型名称"), FieldSpec("SM", "str", 254, "说明"),
    FieldSpec("MJ", "float", 19, "面积（平方米）", 2),
)


def project_codes(table, field: str):
    """Each parcel's project number in `field` as text ('' when untagged)."""
    if field not in table:
        return np.full(len(table), "", dtype=object)
    return table[field].map(lambda v: "" if v is None else str(v).strip()).to_numpy(dtype=object)


def project_name(table, project: str) -> str:
    """A project's name: the first XMMC given on its parcels, else its number."""
    return next((str(v).strip() for v in table.get("XMMC", pd.Series(dtype=object))
                 if v is not None and str(v).strip()), project)


def boundary_table(project: str, name: str, zone: int, txt_parcels, crs):
    """(table with BOUNDARY_FIELDS, one-part multipolygons) of the 地块 of a project as
    written to its TXT (declaration_txt.TxtParcel), areas ellipsoidal on CGCS2000 from
    the coordinates in `crs`, planar, in 亩 and 公顷, and as the TXT states them."""
    from .areas import ellipsoidal_area
    from .units import m2_to_ha, m2_to_mu

    polys = [p.polygon() for p in txt_parcels]
    ell = ellipsoidal_area(polys, crs)
    rows = [[project, name, p.code, p.name, p.sheet, p.point_count, len(p.rings), zone,
             float(e), float(poly.area), float(m2_to_mu(e)), float(m2_to_ha(e)),
             round(float(p.area_ha), 4)] for p, poly, e in zip(txt_parcels, polys, ell)]
    frame = pd.DataFrame(rows, columns=[f.name for f in BOUNDARY_FIELDS], dtype=object)
    return frame, [shapely.MultiPolygon([poly]) for poly in polys]


def issue_table(issues):
    """The check results as a table with ISSUE_FIELDS (level, code, label, the Chinese
    message, area)."""
    return pd.DataFrame([{"JB": LEVEL_ZH[i.level], "LX": i.code, "LXMC": i.label,
                          "SM": i.message, "MJ": float(i.area_m2)} for i in issues],
                        columns=[f.name for f in ISSUE_FIELDS])


def share_inside(geoms, boundary, min_area_m2: float = 0.0) -> np.ndarray:
    """The share (0–1) of each polygon's planar area inside `boundary`: 1 for polygons it
    covers, the intersection's share for polygons it cuts (a class in the statistics
    counts with that share of its area), 0 for a polygon it only grazes: less than
    `min_area_m2` inside and most of it outside. That is a neighbour touching the boundary
    (≈0.01 m² of a road where the boundary's vertices are rounded), not land of the
    project, and its size changes with the GEOS version."""
    geoms = np.asarray(geoms, dtype=object)
    share = np.ones(len(geoms))
    cut = ~shapely.covered_by(geoms, boundary)
    if cut.any():
        whole = shapely.area(geoms[cut])
        part = intersection_areas(geoms[cut], boundary)
        share[cut] = np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), 0.0)
        sliver = (part < min_area_m2) & (share[cut] < 0.5)
        share[np.flatnonzero(cut)[sliver]] = 0.0
    return share


def parcels_inside(geoms, boundary, min_area_m2: float = 0.0):
    """(positions, shares) of the polygons that are land of the project, the rows of every
    declaration table: those with a share inside `boundary` (share_inside), slivers of
    neighbours under `min_area_m2` left out, count and area alike."""
    share = share_inside(geoms, boundary, min_area_m2)
    positions = np.flatnonzero(share > 0)
    return positions, share[positions]
