"""The 报部格式 declaration coordinate file (界址点坐标交换格式, TXT): its model, its exact
writer, and the entry points of its reader (REFERENCE §5).

Writing: a [属性描述] block, then [地块坐标] with one 地块 per polygon; the header
line of a 地块 is `界址点数,面积(公顷),编号,名称,面,图幅号,用途,地类编码,@`, its
point lines `J<n>,<圈号>,<X northing>,<Y easting with zone prefix>`. Outer rings
run clockwise as seen on the map (north up) starting at the point nearest their
north-west corner (the surveyors' 自西北角顺时针 habit), holes counter-clockwise,
each ring closed by repeating its first point (same number); points are numbered J1..Jn through all rings of a 地块. The area
is the planar area of the coordinates exactly as written. Lines end CRLF.

Reading (read_txt, parse_txt) lives in declaration_txt_reader (bytes and lines) and
declaration_txt_checks (rings, zone, plausibility, validity, areas); what it finds is
a TxtIssue naming its line (declaration_txt_findings), and every 地块 read has a
valid polygon or a 状态 (ZT) and 说明 (SM) saying what is wrong with it.
"""
from __future__ import annotations

import gc
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import shapely

from . import crs as gk
# the reader's names that callers of this module use are re-exported (noqa: F401)
from .declaration_txt_findings import (  # noqa: F401
    FATAL,
    STATUS_DOUBTFUL,
    STATUS_INVALID,
    STATUS_OK,
    STATUS_REPAIRED,
    TxtIssue,
)
from .fields import FieldSpec
from .cancel import Canceled  # noqa: F401 - callers catch txt.Canceled
from .ring_nesting import ring_signed_area, rings_to_polygon

ATTRIBUTE_SECTION = "属性描述"
COORDINATE_SECTION = "地块坐标"

# [属性描述] keys in file order -> TxtHeader attribute
HEADER_KEYS = (
    ("格式版本号", "version"),
    ("数据产生单位", "unit"),
    ("数据产生日期", "date"),
    ("坐标系", "crs_name"),
    ("几度分带", "zone_width"),
    ("投影类型", "projection"),
    ("计量单位", "units"),
    ("带号", "zone"),
    ("精度", "precision"),
    ("转换参数", "transform_params"),
)
# 地块 header line fields after 界址点数 and 地块面积 (8-field standard, then the
# 13-field variant's extra five)
PARCEL_TEXT_FIELDS = ("code", "name", "shape", "sheet", "use", "dlbm")
PARCEL_EXTRA_FIELDS = ("tblx", "dl", "grade_before", "grade_after", "remark")
PARCEL_FIELD_ZH = {
    "code": "地块编号", "name": "地块名称", "shape": "记录图形属性", "sheet": "图幅号",
    "use": "地块用途", "dlbm": "地类编码", "tblx": "图斑类型", "dl": "地类",
    "grade_before": "改造前等别", "grade_after": "改造后等别", "remark": "备注",
}

@dataclass
class TxtHeader:
    """[属性描述] of a declaration file."""
    unit: str = ""
    date: str = ""
    zone: int | None = None
    precision: str = "0.0001"
    version: str = "1.01版本"
    crs_name: str = "2000国家大地坐标系"
    zone_width: str = "3"
    projection: str = "高斯克吕格"
    units: str = "米"
    transform_params: str = ",,,,,,"
    extra: dict = field(default_factory=dict)       # other keys of [属性描述]
    sections: dict = field(default_factory=dict)    # sections before [属性描述]: {name: {k: v}}
    lines: dict = field(default_factory=dict)       # reading: {key: (line, value)}


@dataclass
class Ring:
    """One closed ring: 圈号 and its points (name, X northing, Y easting); the last
    point repeats the first."""
    number: int
    points: list = field(default_factory=list)
    lines: list = field(default_factory=list)       # reading: line of each point
    closed_in_file: bool = True                     # reading: False when closed on read

    @property
    def xy(self) -> np.ndarray:
        """(easting, northing) array, GIS axis order."""
        return np.array([(p[2], p[1]) for p in self.points], dtype=float).reshape(-1, 2)


@dataclass
class TxtParcel:
    """One 地块 of [地块坐标]."""
    n_points: int
    area_ha: float | None
    code: str = ""
    name: str = ""
    shape: str = "面"
    sheet: str = ""
    use: str = ""
    dlbm: str = ""
    extra: dict = field(default_factory=dict)     # 13-field variant values by PARCEL_EXTRA_FIELDS
    rings: list = field(default_factory=list)
    line: int = 0                                 # line number of its header (reading)
    area_decimals: int = 4                        # reading: decimals of the stated area
    point_lines: int = 0                          # reading: point lines that followed
    geometry: object = None                       # reading: the polygon imported (valid) or None
    status: str = ""                              # reading: 状态 (declaration_txt_findings)
    note: str = ""                                # reading: 说明, the findings in Chinese

    @property
    def point_count(self) -> int:
        return sum(len(r.points) for r in self.rings)

    def polygon(self):
        """Shapely (Multi)Polygon in (easting, northing), built vertex for vertex."""
        return rings_to_polygon([r.xy for r in self.rings])

    def area_m2(self) -> float:
        """Planar area of the coordinates as written (outer rings minus holes)."""
        return float(self.polygon().area)


@dataclass
class DeclarationFile:
    header: TxtHeader
    parcels: list
    issues: list = field(default_factory=list)
    encoding: str = ""
    swapped_xy: bool = False
    coordinate_zone: gk.GKZone | None = None      # reading: the zone resolved by the checks
    encoding_note: TxtIssue | None = None          # reading: which encoding was used and why

    @property
    def errors(self):
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self):
        return [i for i in self.issues if i.level == "warning"]

    @property
    def fatal(self):
        """Errors after which nothing can be imported (no text, no 地块, no zone)."""
        return [i for i in self.issues if i.code in FATAL]

    @property
    def zone(self) -> gk.GKZone | None:
        """The GK zone of the coordinates: resolved by the reader (带号 against the Y
        prefix), prefixed when the eastings carry the zone number."""
        return self.coordinate_zone


class TxtFormatError(ValueError):
    """A declaration file that cannot be read; str() lists the lines at fault."""

    def __init__(self, issues, path=""):
        self.issues = list(issues)
        self.path = str(path)
        text = "; ".join(str(i) for i in self.issues[:20])
        super().__init__(f"{self.path}: {text}" if self.path else text)


# ---------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------

def _orient_ring(xy: np.ndarray, clockwise: bool) -> np.ndarray:
    """Closed ring oriented as asked, starting at its north-westernmost point (the
    vertex nearest the north-west corner of its bounding box)."""
    open_ring = xy[:-1]
    if (ring_signed_area(xy) < 0) != clockwise:
        open_ring = open_ring[::-1]
    d2 = (open_ring[:, 0] - open_ring[:, 0].min()) ** 2 + (open_ring[:, 1] - open_ring[:, 1].max()) ** 2
    start = int(np.argmin(d2))
    open_ring = np.roll(open_ring, -start, axis=0)
    return np.vstack([open_ring, open_ring[:1]])


def _round_ring(xy: np.ndarray, decimals: int):
    """Ring rounded to the written precision, consecutive duplicates removed; None
    when fewer than three distinct points are left."""
    r = np.round(np.asarray(xy, dtype=float), decimals)
    keep = np.ones(len(r), dtype=bool)
    keep[1:] = np.any(r[1:] != r[:-1], axis=1)
    r = r[keep]
    if len(r) > 1 and np.all(r[-1] == r[0]):
        r = r[:-1]
    if len(r) < 3:
        return None
    return np.vstack([r, r[:1]])


def decimals_of(precision) -> int:
    """Decimals for a 精度 value: '0.0001' -> 4, '0.01' -> 2, '3' -> 3 (a count)."""
    text = str(precision).strip()
    value = float(text)
    if value >= 1 and value == int(value):
        return int(value)
    return max(0, int(round(-math.log10(value))))


def parcel_from_polygon(polygon, code="", name="", use="", dlbm="", sheet="",
                        decimals: int = 4, extra: dict | None = None) -> TxtParcel:
    """A 地块 from one shapely Polygon in (easting with zone prefix, northing):
    ring 1 the outer ring (clockwise), 2.. its holes (counter-clockwise), points
    J1..Jn through all rings, area from the rounded coordinates."""
    if polygon.geom_type != "Polygon":
        raise ValueError(f"one 地块 is one Polygon, got {polygon.geom_type}")
    rings = []
    outer = _round_ring(np.asarray(polygon.exterior.coords)[:, :2], decimals)
    if outer is None:
        raise ValueError("polygon collapses at the written precision")
    rings.append(_orient_ring(outer, clockwise=True))
    for hole in polygon.interiors:
        r = _round_ring(np.asarray(hole.coords)[:, :2], decimals)
        if r is not None:
            rings.append(_orient_ring(r, clockwise=False))
    parcel = TxtParcel(0, None, code=code, name=name, use=use, dlbm=dlbm, sheet=sheet,
                       extra=dict(extra or {}))
    n = 0
    for k, xy in enumerate(rings, start=1):
        ring = Ring(k)
        first = n + 1
        for e, north in xy[:-1]:
            n += 1
            ring.points.append((f"J{n}", float(north), float(e)))
        ring.points.append((f"J{first}", float(xy[-1][1]), float(xy[-1][0])))
        parcel.rings.append(ring)
    parcel.n_points = parcel.point_count
    parcel.area_ha = round(parcel.area_m2() / 10000.0, 4)   # as written: 公顷, 4 decimals
    return parcel


def parcels_from_geometry(geom, code="", name="", decimals=4, **kw) -> list:
    """One 地块 per polygon part; with several parts codes and names get -1, -2..."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    # stable order: north to south, west to east (by the north-west corner)
    parts.sort(key=lambda p: (-p.bounds[3], p.bounds[0]))
    out = []
    for i, part in enumerate(parts, start=1):
        suffix = f"-{i}" if len(parts) > 1 else ""
        out.append(parcel_from_polygon(part, code=f"{code}{suffix}", name=f"{name}{suffix}",
                                       decimals=decimals, **kw))
    return out


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

def _clean(text) -> str:
    """A field value safe for the comma-separated format (no commas, no line breaks)."""
    s = "" if text is None else str(text)
    return re.sub(r"[,，\r\n@]", " ", s).strip()


def format_txt(header: TxtHeader, parcels, decimals: int | None = None) -> str:
    """The whole file as text, CRLF line ends."""
    d = decimals_of(header.precision) if decimals is None else decimals
    lines = []
    for name, values in header.sections.items():
        lines.append(f"[{name}]")
        lines.extend(f"{k}={_clean(v)}" for k, v in values.items())
    lines.append(f"[{ATTRIBUTE_SECTION}]")
    for zh, attr in HEADER_KEYS:
        value = getattr(header, attr)
        if attr == "transform_params":
            lines.append(f"{zh}={value if value is not None else ''}")
        else:
            lines.append(f"{zh}={_clean(value if value is not None else '')}")
    for k, v in header.extra.items():
        lines.append(f"{k}={_clean(v)}")
    lines.append(f"[{COORDINATE_SECTION}]")
    for p in parcels:
        fields = [str(p.point_count), f"{(p.area_ha or 0.0):.4f}"]
        fields += [_clean(getattr(p, f)) for f in PARCEL_TEXT_FIELDS]
        if p.extra:
            fields += [_clean(p.extra.get(f, "")) for f in PARCEL_EXTRA_FIELDS]
        lines.append(",".join(fields + ["@"]))
        for ring in p.rings:
            for name, x, y in ring.points:
                lines.append(f"{name},{ring.number},{x:.{d}f},{y:.{d}f}")
    return "\r\n".join(lines) + "\r\n"


def write_txt(path, header: TxtHeader, parcels, encoding: str = "GBK") -> str:
    """Write the file (GBK by default, or UTF-8); returns the text written. Text that
    GBK cannot encode is an error, not silently replaced."""
    text = format_txt(header, parcels)
    data = text.encode(encoding)
    with open(path, "wb") as f:
        f.write(data)
    return text


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a declaration file's bytes (declaration_txt_reader's order)."""
    from .declaration_txt_reader import decode as _decode

    return _decode(data)


def parse_txt(text: str, encoding: str = "", cancel=None, decoding_issues=()) -> DeclarationFile:
    """Read a declaration file's text; problems are in .issues with line numbers (use
    read_txt(..., strict=True) to raise on errors). `cancel()` is asked between 地块
    and while rings nest (raises Canceled)."""
    from . import declaration_txt_checks as checks      # they build on this module's model
    from . import declaration_txt_reader as reader

    with _bulk_allocation():
        header, parcels, raw, issues, last = reader.parse_lines(text, cancel)
        issues = list(decoding_issues) + issues
        result = DeclarationFile(header, parcels, issues, encoding)
        checks.check_file(result, raw, issues, last, cancel)
    issues.sort(key=lambda i: i.line)
    return result


@contextmanager
def _bulk_allocation():
    """The cyclic garbage collector paused while a file's points (millions of small
    tuples, none of them cyclic) are made: its passes over them cost a quarter of the
    reading time of a large file."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_txt(path, strict: bool = False, cancel=None) -> DeclarationFile:
    """Read a declaration file from disk in any supported encoding; with `strict`, a
    TxtFormatError naming the file and its lines when it has errors."""
    from .declaration_txt_reader import decode_bytes

    with open(path, "rb") as f:
        data = f.read()
    decoded = decode_bytes(data)
    if any(i.code in FATAL for i in decoded.issues):
        result = DeclarationFile(TxtHeader(), [], decoded.issues, decoded.encoding)
    else:
        result = parse_txt(decoded.text, decoded.encoding, cancel, decoded.issues)
    result.encoding_note = decoded.note
    if strict and result.errors:
        raise TxtFormatError(result.errors, path)
    return result


# ---------------------------------------------------------------------------
# map sheets
# ---------------------------------------------------------------------------

def sheet_number_10000(lon: float, lat: float) -> str:
    """1:10 000 map sheet number (GB/T 13989-2012) of a point: e.g. 'G48G012034'."""
    row_1m = int(lat // 4.0)
    col_1m = int(lon // 6.0) + 31
    d_lon, d_lat = 3.75 / 60.0, 2.5 / 60.0
    lat_in = lat - row_1m * 4.0
    lon_in = lon - (col_1m - 31) * 6.0
    row = int(round(4.0 / d_lat)) - int(lat_in // d_lat)
    col = int(lon_in // d_lon) + 1
    return f"{chr(ord('A') + row_1m)}{col_1m:02d}G{row:03d}{col:03d}"


# the blocks of a file read back (importdeclarationtxt), one feature per 地块
DECLARED_BLOCK_FIELDS = (
    FieldSpec("DKBH", "str", 60, "地块编号"),
    FieldSpec("DKMC", "str", 120, "地块名称"),
    FieldSpec("JZDS", "int", 8, "界址点数"),
    FieldSpec("DKMJ", "float", 19, "地块面积（公顷）", 4),
    FieldSpec("JSMJ", "float", 19, "坐标计算面积（公顷）", 4),
    FieldSpec("TQMJ", "float", 19, "椭球面积（平方米）", 2),
    FieldSpec("TXSX", "str", 10, "记录图形属性"),
    FieldSpec("TFH", "str", 20, "图幅号"),
    FieldSpec("DKYT", "str", 60, "地块用途"),
    FieldSpec("DLBM", "str", 20, "地类编码"),
    FieldSpec("TBLX", "str", 30, "图斑类型"),
    FieldSpec("DL", "str", 30, "地类"),
    FieldSpec("GZQDB", "str", 10, "改造前等别"),
    FieldSpec("GZHDB", "str", 10, "改造后等别"),
    FieldSpec("BZ", "str", 254, "备注"),
    FieldSpec("SJDW", "str", 120, "数据产生单位"),
    FieldSpec("SJRQ", "str", 20, "数据产生日期"),
    FieldSpec("DH", "int", 2, "带号"),
    FieldSpec("HH", "int", 8, "行号"),
    FieldSpec("ZT", "str", 10, "状态"),        # 正常 / 已修复 / 存疑 / 无效
    FieldSpec("SM", "str", 254, "说明"),       # the 地块's findings in Chinese, with lines
)


def _ellipsoidal_areas(polys, epsg) -> list:
    """Ellipsoidal m² of each polygon; None where there is none or it spans more than
    FAR_VERTEX_M (a 地块 flagged for a far point: its area means nothing, and densified
    to 50 m edges it would take millions of points)."""
    from .areas import ellipsoidal_area
    from .crs import quiet_gdal
    from .declaration_txt_checks import FAR_VERTEX_M

    def measurable(p):
        if p is None or p.is_empty:
            return False
        x0, y0, x1, y1 = p.bounds
        return max(x1 - x0, y1 - y0) <= FAR_VERTEX_M

    out = [None] * len(polys)
    todo = [k for k, p in enumerate(polys) if measurable(p)]
    if not todo:
        return out
    try:
        with np.errstate(all="ignore"), quiet_gdal():   # points beyond the projection: NaN
            values = ellipsoidal_area([polys[k] for k in todo], epsg)
        for k, v in zip(todo, values):
            out[k] = float(v) if math.isfinite(v) else None
    except (ValueError, RuntimeError):       # far-off coordinates of a flagged 地块
        for k in todo:
            try:
                with np.errstate(all="ignore"), quiet_gdal():
                    v = float(ellipsoidal_area([polys[k]], epsg)[0])
                out[k] = v if math.isfinite(v) else None
            except (ValueError, RuntimeError):
                out[k] = None
    return out


def declared_blocks(result: DeclarationFile):
    """(table with DECLARED_BLOCK_FIELDS, polygons in the file's zone CRS) of the 地块 of
    a file read: its header fields, the stated area, the areas of the polygon imported
    (planar in 公顷, ellipsoidal in m²), its 状态 and 说明; a 地块 without a valid
    polygon has None."""
    import pandas as pd

    from .units import m2_to_ha

    polys = [p.geometry for p in result.parcels]
    ell = _ellipsoidal_areas(polys, result.zone.epsg)
    header = result.header
    rows = []
    for p, poly, e in zip(result.parcels, polys, ell):
        extra = p.extra or {}
        rows.append([p.code, p.name, p.n_points if p.n_points >= 0 else None, p.area_ha,
                     round(m2_to_ha(poly.area), 6) if poly is not None else None,
                     e, p.shape, p.sheet, p.use, p.dlbm, extra.get("tblx"),
                     extra.get("dl"), extra.get("grade_before"), extra.get("grade_after"),
                     extra.get("remark"), header.unit, header.date, result.zone.zone, p.line,
                     p.status, p.note])
    return pd.DataFrame(rows, columns=[f.name for f in DECLARED_BLOCK_FIELDS], dtype=object), polys
