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
import shapely

from .geometry import polygonal, repair
from .crs import gk3_zone_from_longitude
from .rules import Rules

ERROR, WARNING = "error", "warning"
LEVEL_ZH = {ERROR: "错误", WARNING: "警告"}

# issue code -> Chinese label (the GPKG's check table and the log)
ISSUE_LABELS = {
    "EMPTY": "无图斑",
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


@dataclass
class Issue:
    level: str           # ERROR stops the project's export, WARNING does not
    code: str            # key of ISSUE_LABELS
    message: str         # Chinese, for the user
    area_m2: float = 0.0

    @property
    def label(self) -> str:
        return ISSUE_LABELS.get(self.code, self.code)


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
    """Checks of one project before export (Chinese messages):
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
        return [Issue(ERROR, "EMPTY", f"项目 {name} 没有图斑（或图斑几何为空）")]
    geoms = geoms[present]
    if valid is not None:
        valid = np.asarray(valid, dtype=bool)
        n_bad = int((~valid).sum())
        if n_bad:
            issues.append(Issue(WARNING, "INVALID",
                                f"项目 {name} 有 {n_bad} 个图斑几何无效（自相交等），已修复后参与合并"))
    boundary = boundary or dissolve(geoms, gap_tolerance)
    areas = shapely.area(geoms)
    total = float(areas.sum())
    self_overlap = total - boundary.union_area
    if self_overlap > rules.overlap_min_area_m2:
        issues.append(Issue(ERROR, "SELF_OVERLAP",
                            f"项目 {name} 的图斑相互重叠 {self_overlap:.2f} 平方米，请先处理重叠图斑",
                            self_overlap))
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
            issues.append(Issue(ERROR, "OVERLAP_PROJECT",
                                f"项目 {name} 的范围与项目 {other} 的图斑重叠 {area:.2f} 平方米", area))
    parts = boundary.parts
    if len(parts) > 1:
        issues.append(Issue(WARNING, "MULTIPART",
                            f"项目 {name} 的范围由 {len(parts)} 个不相连的地块组成（按地块分别写出）"))
    if boundary.n_holes:
        issues.append(Issue(WARNING, "HOLES",
                            f"项目 {name} 的范围含 {boundary.n_holes} 个洞，面积 {boundary.hole_area:.2f} "
                            f"平方米（按圈号写出内环）", boundary.hole_area))
    # gaps narrower than the tolerance hold at most tol/2 per metre of parcel edge
    perimeter = float(shapely.length(geoms).sum())
    allowed = (0.5 * gap_tolerance + grid) * perimeter + boundary.filled_hole_area + \
        1e-6 * total + 0.01
    diff = float(boundary.geometry.area) - total
    if abs(diff) > allowed:
        issues.append(Issue(ERROR, "AREA_MISMATCH",
                            f"项目 {name} 的范围面积 {boundary.geometry.area:.2f} 平方米与图斑面积之和 "
                            f"{total:.2f} 平方米相差 {diff:.2f} 平方米，超出缝隙容差可解释的 "
                            f"{allowed:.2f} 平方米", diff))
    return issues


def red_line_issues(name: str, levels, areas, reasons=()) -> list:
    """Warnings for the project's parcels judged in conflict (level 2) or needing
    attention (level 1) with the ecological red line (control_lines.judge)."""
    levels = np.asarray(levels)
    areas = np.asarray(areas, dtype=float)
    issues = []
    for level, word in ((2, "冲突"), (1, "需关注")):
        m = levels == level
        if m.any():
            why = sorted({r for r, k in zip(reasons, m) if k and r}) if len(reasons) else []
            issues.append(Issue(WARNING, "RED_LINE",
                                f"项目 {name} 有 {int(m.sum())} 个图斑与生态保护红线{word}，"
                                f"重叠 {areas[m].sum():.2f} 平方米" + (f"（{'；'.join(why)}）" if why else ""),
                                float(areas[m].sum())))
    return issues


def zone_issue(name: str, lon_min: float, lon_max: float, zone: int) -> Issue | None:
    """Warning when the project reaches beyond the 3° band of the zone it is written in."""
    zones = {gk3_zone_from_longitude(lon_min), gk3_zone_from_longitude(lon_max)}
    if zones == {zone}:
        return None
    return Issue(WARNING, "ZONE_SPAN",
                 f"项目 {name} 跨 3 度带（经度 {lon_min:.4f}°–{lon_max:.4f}°，涉及 "
                 f"{'、'.join(str(z) for z in sorted(zones))} 带），按 {zone} 带写出")


@dataclass
class ProjectCheck:
    """All issues of one project; `ok` when none is an error."""
    name: str
    issues: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.level == ERROR for i in self.issues)
