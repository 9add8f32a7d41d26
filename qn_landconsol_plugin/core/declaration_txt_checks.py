"""The checks of a declaration TXT after its lines are parsed: X/Y order, rings per
地块, the zone (带号 against the Y prefix), whether every point can be where it says
(REFERENCE §4), ring and polygon validity with a make_valid repair, the stated area
against the coordinates, a file cut off inside a 地块. Each problem is a finding
naming its line (declaration_txt_findings); the lenient reader's result is always a
valid polygon or a 地块 flagged in its 状态."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

from . import crs as gk
from .crs import quiet_gdal
from .declaration_txt import Ring
from .declaration_txt_findings import ERROR, WARNING, block_note, block_status, issue
from .cancel import Canceled
from .ring_nesting import polygons_from_rings

NORTHING_DIGITS = 7          # X: 7 digits before the decimal point
PREFIXED_EASTING_DIGITS = 8  # Y with the zone prefix
PLAIN_EASTING_DIGITS = 6
FAR_VERTEX_M = 100_000.0     # a point this far from its 地块's median point is a typo
# what a coordinate of a CGCS2000 3° zone over China can be: eastings (without prefix)
# within 350 km of the false easting (a 3° zone is under ±170 km wide at 18°N; data
# written in the neighbouring zone reach further), northings from the equator to 55°N
ZONE_EASTING = (150_000.0, 850_000.0)
ZONE_NORTHING = (0.0, 6_100_000.0)
ZERO_AREA_M2 = 1e-6
LISTED_LINES = 5


def block_label(parcel, k: int) -> str:
    """How messages name a 地块: its number and name, else its position in the file."""
    label = f"{parcel.code} {parcel.name}".strip()
    return label or f"#{k + 1}"


def _digits(values) -> np.ndarray:
    """Digits before the decimal point of each |value| (0 below 1)."""
    whole = np.floor(np.abs(np.asarray(values, dtype=float)))
    return np.searchsorted(10.0 ** np.arange(0, 20), whole, side="right")


def _lines_text(lines) -> str:
    lines = sorted(set(int(n) for n in lines))
    text = ", ".join(str(n) for n in lines[:LISTED_LINES])
    return text + ("…" if len(lines) > LISTED_LINES else "")


def _axis_order(a, b) -> np.ndarray:
    """Per point: +1 when (a, b) has the easting first (by digit count), -1 when the
    northing first, 0 when the digits do not tell."""
    da, db = _digits(a), _digits(b)
    eastings = (PREFIXED_EASTING_DIGITS, PLAIN_EASTING_DIGITS)
    northing_first = (da == NORTHING_DIGITS) & np.isin(db, eastings)
    easting_first = (db == NORTHING_DIGITS) & np.isin(da, eastings)
    return easting_first.astype(int) - northing_first.astype(int)


# ---------------------------------------------------------------------------
# rings
# ---------------------------------------------------------------------------

def build_rings(parcels, raw, issues, cancel=None) -> bool:
    """Rings of every 地块 from its point lines: a ring ends where its first point comes
    back or its 圈号 changes (then it is closed on read); True when the file has X and
    Y swapped. Points are stored as (点号, X northing, Y easting)."""
    a = np.fromiter((p[3] for pts in raw for p in pts), dtype=float)
    b = np.fromiter((p[4] for pts in raw for p in pts), dtype=float)
    order = _axis_order(a, b)
    swapped = bool(order.sum() > 0)
    if swapped:
        issues.append(issue(0, WARNING, "SWAPPED"))
    odd = np.flatnonzero(order == (-1 if swapped else 1))     # points against the file's order
    odd_digits = {int(i): (int(d1), int(d2)) for i, d1, d2 in
                  zip(odd, _digits(a[odd]), _digits(b[odd]))}
    index = 0
    for k, (parcel, pts) in enumerate(zip(parcels, raw)):
        if cancel is not None and cancel():
            raise Canceled()
        label = block_label(parcel, k)
        current = None

        def finish(ring):
            closed = len(ring.points) >= 4 and ring.points[-1][1:] == ring.points[0][1:]
            if not closed:
                issues.append(issue(ring.lines[0], ERROR, "RING_NOT_CLOSED", parcel=k,
                                    action="closed", ring=ring.number, first=ring.lines[0],
                                    last=ring.lines[-1], block=label))
                ring.points.append(ring.points[0])
                ring.lines.append(ring.lines[0])
            ring.closed_in_file = closed
            expected = len(parcel.rings) + 1
            if ring.number != expected:
                issues.append(issue(ring.lines[0], ERROR, "RING_ORDER", parcel=k,
                                    found=ring.number, expected=expected, block=label))
            parcel.rings.append(ring)

        first_x = first_y = None
        for line, name, ring_no, x_col, y_col in pts:      # per point: kept lean
            if swapped:
                x, y = y_col, x_col
            else:
                x, y = x_col, y_col
            if odd_digits and index in odd_digits:
                x_digits, y_digits = odd_digits[index]
                issues.append(issue(line, ERROR, "SWAPPED_POINT", parcel=k, action="swapped",
                                    x_digits=x_digits, y_digits=y_digits))
                x, y = y, x
            index += 1
            if current is not None and current.number != ring_no:
                finish(current)
                current = None
            if current is None:
                current = Ring(ring_no, [(name, x, y)], lines=[line])
                points, lines = current.points, current.lines
                first_x, first_y = x, y
                continue
            points.append((name, x, y))
            lines.append(line)
            if x == first_x and y == first_y and len(points) >= 4:
                finish(current)
                current = None
        if current is not None:
            finish(current)
        parcel.point_lines = len(pts)
    return swapped


# ---------------------------------------------------------------------------
# the zone
# ---------------------------------------------------------------------------

def resolve_zone(header, parcels, issues):
    """The GKZone of the coordinates: 带号 when it is a CGCS2000 3° zone and the Y
    prefixes agree, else the zone of the Y prefix (with a finding); None (NO_ZONE) when
    neither tells."""
    ys = np.array([p[2] for parcel in parcels for r in parcel.rings for p in r.points],
                  dtype=float)
    first_line = next((r.lines[0] for parcel in parcels for r in parcel.rings), 0)
    zone_line = header.lines.get("带号", (0, ""))[0]
    _header_texts(header, issues)
    plausible = ys[(ys >= 0) & (ys < 1e8)]
    prefixed = bool(len(plausible)) and np.mean(plausible >= 1_000_000) > 0.5
    prefix = None
    if prefixed:
        prefixes = (plausible[plausible >= 1_000_000] // 1_000_000).astype(int)
        prefix = int(np.bincount(prefixes).argmax())
        if not _known_zone(prefix):
            prefix = None
    zone = header.zone
    if zone is not None and not _known_zone(zone):
        issues.append(issue(zone_line, ERROR, "ZONE_OUT_OF_RANGE", zone=zone))
        zone = None
    if zone is not None and prefix is not None and prefix != zone:
        k, line = next(((k, r.lines[i]) for k, parcel in enumerate(parcels) for r in parcel.rings
                        for i, p in enumerate(r.points) if p[2] // 1_000_000 == prefix),
                       (0, first_line))
        issues.append(issue(line, ERROR, "ZONE_CONTRADICTS", zone=zone, zone_line=zone_line,
                            prefix=prefix, block=block_label(parcels[k], k)))
        zone = prefix
    if zone is None and prefix is not None:
        issues.append(issue(zone_line or first_line, WARNING, "ZONE_FROM_PREFIX", zone=prefix))
        zone = prefix
    if zone is None:
        if parcels:
            issues.append(issue(zone_line, ERROR, "NO_ZONE"))
        return None
    return gk.GKZone(int(zone), prefixed)


def _known_zone(zone) -> bool:
    try:
        gk.cgcs2000_gk_epsg(int(zone))
    except ValueError:
        return False
    return True


def _header_texts(header, issues):
    """几度分带, 坐标系 and 计量单位 that say the coordinates are not what is read."""
    def line(key):
        return header.lines.get(key, (0, ""))[0]

    width = re.sub(r"\D", "", header.zone_width or "")
    if width and width != "3":
        issues.append(issue(line("几度分带"), ERROR, "ZONE_WIDTH", value=header.zone_width,
                            zone=header.zone if header.zone is not None else "?"))
    name = header.crs_name or ""
    if name and "2000" not in name and "CGCS" not in name.upper():
        issues.append(issue(line("坐标系"), ERROR, "CRS_NAME", value=name))
    units = (header.units or "").strip().lower()
    if units and units not in ("米", "m", "metre", "meter", "metres", "meters", "公尺"):
        issues.append(issue(line("计量单位"), ERROR, "UNITS", value=header.units))


# ---------------------------------------------------------------------------
# points: can each be where it says?
# ---------------------------------------------------------------------------

def check_points(parcels, zone, issues, far_m: float = FAR_VERTEX_M):
    """One finding per 地块 and kind of implausible point, at its first line: a
    coordinate no map holds (the 地块 gets no geometry), a Y prefix other than the
    zone's, outside the zone, far from the 地块's other points, outside Qiannan."""
    rows = [(k, line, p[1], p[2]) for k, parcel in enumerate(parcels) for r in parcel.rings
            for line, p in zip(r.lines, r.points)]
    if not rows:
        return
    table = pd.DataFrame(rows, columns=["block", "line", "north", "east"])
    north, east = table["north"].to_numpy(), table["east"].to_numpy()
    kind = np.full(len(table), "", dtype=object)
    absurd = ~((north >= 0) & (north < 1e7) & (east >= 0) & (east < 1e8))
    kind[absurd] = "NOT_A_COORDINATE"
    extra = {}
    if zone is not None:
        prefix = east // 1_000_000
        wrong = (prefix != zone.zone) if zone.prefixed else (east >= 1_000_000)
        kind[(kind == "") & wrong] = "PREFIX_DIFFERS"
        plain = east - (zone.zone * 1e6 if zone.prefixed else 0.0)
        outside = ~((plain >= ZONE_EASTING[0]) & (plain <= ZONE_EASTING[1]) &
                    (north >= ZONE_NORTHING[0]) & (north <= ZONE_NORTHING[1]))
        kind[(kind == "") & outside] = "OUT_OF_ZONE"
        offset = zone.false_easting - 500_000.0
        extra["OUT_OF_ZONE"] = dict(zone=zone.zone, e_min=ZONE_EASTING[0] + offset,
                                    e_max=ZONE_EASTING[1] + offset, n_min=ZONE_NORTHING[0],
                                    n_max=ZONE_NORTHING[1])
    ok = kind == ""
    med = table[ok].groupby("block")[["north", "east"]].transform("median")
    dist = np.zeros(len(table))
    dist[ok] = np.hypot(table.loc[ok, "north"] - med["north"], table.loc[ok, "east"] - med["east"])
    kind[ok & (dist > far_m)] = "FAR_VERTEX"
    if zone is not None:
        todo = np.flatnonzero(kind == "")
        if len(todo):
            e36, n36 = gk.to_qiannan_zone(east[todo], north[todo], zone.epsg)
            kind[todo[~gk.in_qiannan(e36, n36)]] = "OUTSIDE_REGION"
        extra["OUTSIDE_REGION"] = dict(e_min=gk.QIANNAN_EASTING[0], e_max=gk.QIANNAN_EASTING[1],
                                       n_min=gk.QIANNAN_NORTHING[0],
                                       n_max=gk.QIANNAN_NORTHING[1])
    table["kind"], table["dist"] = kind, dist
    bad = table[table["kind"] != ""]
    for (k, code), group in bad.groupby(["block", "kind"], sort=False):
        values = dict(extra.get(code, {}))
        if code == "PREFIX_DIFFERS":
            found = sorted({int(e // 1_000_000) for e in group["east"]})
            values.update(zone=zone.zone, prefixes=", ".join(str(p) if p else "—" for p in found))
        if code == "FAR_VERTEX":
            values.update(km=far_m / 1000.0, far=group["dist"].max() / 1000.0)
        action = "dropped" if code == "NOT_A_COORDINATE" else "flagged"
        issues.append(issue(int(group["line"].min()), ERROR, code, parcel=int(k), action=action,
                            count=len(set(group["line"])), lines=_lines_text(group["line"]),
                            block=block_label(parcels[k], k), **values))


# ---------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------

_LOCATION = re.compile(r"\[\s*([-+\d.eE]+)\s+([-+\d.eE]+)")


def _fault(rings, xys, reason: str) -> dict:
    """Where a GEOS validity reason points: X (northing) and Y (easting) of the location
    and the points and lines of the edges that pass through it (else the nearest point)."""
    xy = np.concatenate(xys)
    names = [p[0] for r in rings for p in r.points]
    lines = [n for r in rings for n in r.lines]
    m = _LOCATION.search(reason)
    if not m:
        return dict(x=float(xy[0, 1]), y=float(xy[0, 0]), points=names[0], lines=str(lines[0]),
                    line=lines[0])
    east, north = float(m.group(1)), float(m.group(2))
    last = np.cumsum([len(r) for r in xys]) - 1
    start = np.setdiff1d(np.arange(len(xy) - 1), last)          # edges within each ring
    edges = shapely.linestrings(np.stack([xy[start], xy[start + 1]], axis=1))
    with np.errstate(all="ignore"):
        dist = np.nan_to_num(shapely.distance(edges, shapely.Point(east, north)), nan=np.inf)
    near = start[dist <= 1e-6 + 1e-9 * abs(east)]
    if not len(near):
        near = np.array([int(np.argmin(np.hypot(xy[:, 0] - east, xy[:, 1] - north)))])
    near = near[:4]
    return dict(x=north, y=east, points=", ".join(names[i] for i in near),
                lines=", ".join(str(lines[i]) for i in near), line=int(lines[near[0]]))


def _polygonal(geom):
    """The polygonal part of a geometry (make_valid's output), None when it has none."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    parts = [q for g in parts for q in ([g] if g.area > ZERO_AREA_M2 else [])]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _distinct_counts(coords: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Distinct points per ring."""
    ring = np.repeat(np.arange(len(counts)), counts)
    order = np.lexsort((coords[:, 1], coords[:, 0], ring))
    c, g = coords[order], ring[order]
    new = np.r_[True, (g[1:] != g[:-1]) | np.any(c[1:] != c[:-1], axis=1)]
    return np.bincount(g[new], minlength=len(counts))


def _ring_polygons(coords, counts):
    """A polygon per ring of at least 4 points (None for shorter ones)."""
    out = np.full(len(counts), None, dtype=object)
    usable = counts >= 4
    if usable.any():
        ring = np.repeat(np.arange(len(counts)), counts)
        keep = usable[ring]
        new_index = np.cumsum(usable) - 1
        out[usable] = shapely.polygons(shapely.linearrings(coords[keep],
                                                           indices=new_index[ring[keep]]))
    return out


def build_geometries(parcels, issues, skip, cancel=None):
    """The polygon of every 地块 (None where `skip` or nothing is left), vectorised over
    all rings of the file: degenerate rings left out, invalid rings and polygons found
    (with the lines of the edges at the fault) and repaired with make_valid."""
    rings = [(k, r) for k, parcel in enumerate(parcels) if not skip[k] for r in parcel.rings]
    out = np.full(len(parcels), None, dtype=object)
    for k, parcel in enumerate(parcels):
        if not parcel.rings and not skip[k]:
            issues.append(issue(parcel.line, ERROR, "NO_POINTS", parcel=k, action="dropped",
                                block=block_label(parcel, k)))
    if not rings:
        return out
    block = np.array([k for k, _ in rings])
    counts = np.array([len(r.points) for _, r in rings])
    coords = np.array([(p[2], p[1]) for _, r in rings for p in r.points], dtype=float)
    ends = np.cumsum(counts)
    xys = [coords[e - n:e] for e, n in zip(ends, counts)]
    distinct = _distinct_counts(coords, counts)
    polys = _ring_polygons(coords, counts)
    valid = np.zeros(len(polys), dtype=bool)
    usable = np.array([p is not None for p in polys], dtype=bool)
    valid[usable] = shapely.is_valid(polys[usable].astype(object))
    keep = np.ones(len(rings), dtype=bool)
    faulty = set()
    for n in np.flatnonzero((distinct < 3) | ~valid):          # the few rings at fault
        k, ring = rings[n]
        label = block_label(parcels[k], k)
        if distinct[n] < 3:
            issues.append(issue(ring.lines[0], ERROR, "RING_TOO_SHORT", parcel=k,
                                action="ring_dropped", ring=ring.number, block=label))
            keep[n] = False
        elif _polygonal(shapely.make_valid(polys[n])) is None:
            issues.append(issue(ring.lines[0], ERROR, "RING_NO_AREA", parcel=k,
                                action="ring_dropped", ring=ring.number, block=label))
            keep[n] = False
        else:
            where = _fault([ring], [xys[n]], shapely.is_valid_reason(polys[n]))
            issues.append(issue(where.pop("line"), ERROR, "RING_SELF_INTERSECTS", parcel=k,
                                action="repaired", ring=ring.number, block=label, **where))
            faulty.add(k)
    kept = np.flatnonzero(keep)
    if cancel is not None and cancel():
        raise Canceled()
    point_keep = np.repeat(keep, counts)
    out[:] = polygons_from_rings(coords[point_keep], counts[kept], block[kept], len(parcels),
                                 cancel)
    have = np.array([g is not None for g in out], dtype=bool)
    for k in np.flatnonzero(~have & ~np.asarray(skip, dtype=bool)):
        if parcels[k].rings:
            _drop_last_action(issues, int(k))
    check = np.flatnonzero(have & ~np.isin(np.arange(len(parcels)), list(faulty)))
    bad = check[~shapely.is_valid(out[check].astype(object))] if len(check) else check
    for k in bad:
        if cancel is not None and cancel():
            raise Canceled()
        mine = [n for n in kept if block[n] == k]
        reason = shapely.is_valid_reason(out[k])
        where = _fault([rings[n][1] for n in mine], [xys[n] for n in mine], reason)
        code = ("RINGS_CROSS" if "Self-intersection" in reason else
                "DISCONNECTED" if "disconnected" in reason else "POLYGON_INVALID")
        issues.append(issue(where.pop("line"), ERROR, code, parcel=int(k), action="repaired",
                            reason=re.sub(r"\[.*", "", reason),
                            block=block_label(parcels[k], k), **where))
        faulty.add(int(k))
    for k in faulty:
        if out[k] is None:
            continue
        out[k] = _polygonal(shapely.make_valid(out[k]))
        if out[k] is None:
            _drop_last_action(issues, k)
    return out


def _drop_last_action(issues, k):
    """The 地块 ends without geometry: its last geometric finding says so."""
    for i in reversed(issues):
        if i.parcel == k and i.action in ("repaired", "ring_dropped"):
            i.action = "dropped"
            return


def check_area(parcel, k, geometry, zone, issues, doubtful: bool):
    """Stated 地块面积 against the coordinates: planar, or ellipsoidal (some software
    states that), within the rounding of the stated decimals."""
    if parcel.area_ha is None or geometry is None:
        return
    computed = geometry.area / 10000.0
    tolerance = max(0.00011, 0.55 * 10.0 ** -parcel.area_decimals) + 1e-6 * computed
    if abs(computed - parcel.area_ha) <= tolerance:
        return
    if zone is not None and not doubtful:
        from .areas import ellipsoidal_area

        try:
            with np.errstate(all="ignore"), quiet_gdal():
                ell = float(ellipsoidal_area([geometry], zone.epsg)[0]) / 10000.0
        except (ValueError, RuntimeError):
            ell = None
        if ell is not None and np.isfinite(ell) and abs(ell - parcel.area_ha) <= tolerance:
            return
    issues.append(issue(parcel.line, ERROR, "AREA_DIFFERS", parcel=k, action="flagged",
                        stated=parcel.area_ha, computed=computed,
                        block=block_label(parcel, k)))


def check_file(result, raw, issues, last_line: int, cancel=None,
               far_m: float = FAR_VERTEX_M):
    """Every check after parsing; sets the rings, zone, geometry, 状态 and 说明 of each
    地块 of `result` (a DeclarationFile). `cancel()` is asked between 地块."""
    parcels = result.parcels
    result.swapped_xy = build_rings(parcels, raw, issues, cancel)
    zone = resolve_zone(result.header, parcels, issues)
    result.coordinate_zone = zone
    check_points(parcels, zone, issues, far_m)
    for k, parcel in enumerate(parcels):
        if cancel is not None and cancel():
            raise Canceled()
        label = block_label(parcel, k)
        if parcel.n_points >= 0 and parcel.n_points != parcel.point_lines:
            issues.append(issue(parcel.line, ERROR, "POINT_COUNT_DIFFERS", parcel=k,
                                action="flagged", stated=parcel.n_points,
                                found=parcel.point_lines, block=label))
        if k == len(parcels) - 1 and parcel.rings and (
                parcel.point_lines < parcel.n_points or not parcel.rings[-1].closed_in_file):
            issues.append(issue(last_line, ERROR, "TRUNCATED", parcel=k, action="flagged",
                                found=parcel.point_lines, stated=parcel.n_points, block=label))
    by_block = {}
    for i in issues:
        by_block.setdefault(i.parcel, []).append(i)
    skip = [any(i.action == "dropped" for i in by_block.get(k, [])) for k in range(len(parcels))]
    geometries = build_geometries(parcels, issues, skip, cancel)
    for k, parcel in enumerate(parcels):
        if cancel is not None and cancel():
            raise Canceled()
        parcel.geometry = geometries[k]
        doubtful = any(i.action == "flagged" for i in by_block.get(k, []))
        check_area(parcel, k, parcel.geometry, zone, issues, doubtful)
    by_block = {}
    for i in issues:
        by_block.setdefault(i.parcel, []).append(i)
    for k, parcel in enumerate(parcels):
        mine = sorted(by_block.get(k, []), key=lambda i: i.line)
        parcel.status = block_status(mine)
        parcel.note = block_note(mine)
