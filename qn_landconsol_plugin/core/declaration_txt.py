"""The 报部格式 declaration coordinate file (界址点坐标交换格式, TXT): write it exactly,
read it leniently (REFERENCE §5).

Writing: a [属性描述] block, then [地块坐标] with one 地块 per polygon; the header
line of a 地块 is `界址点数,面积(公顷),编号,名称,面,图幅号,用途,地类编码,@`, its
point lines `J<n>,<圈号>,<X northing>,<Y easting with zone prefix>`. Outer rings
run clockwise as seen on the map (north up) starting at the point nearest their
north-west corner (the surveyors' 自西北角顺时针 habit), holes counter-clockwise,
each ring closed by repeating its first point (same number); points are numbered J1..Jn through all rings of a 地块. The area
is the planar area of the coordinates exactly as written. Lines end CRLF.

Reading accepts GBK/GB18030, UTF-8 with or without BOM and UTF-16; areas with a
公顷 suffix; point numbers that do not restart; sections before [属性描述];
header lines of 8 or 13 fields; swapped X/Y columns (told from the digit
count). Every malformed line is reported with its line number (TxtIssue, a
core.messages.Finding the layer above translates).

Why ~650 lines in one module: one exchange format, its model, its writer and its
lenient reader change together; the reader's tolerance for real files is most of it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import shapely

from . import crs as gk
from .fields import FieldSpec
from .messages import ERROR, WARNING, Finding, translatable
from .ring_nesting import ring_signed_area, rings_to_polygon  # noqa: F401 (re-exported)

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

NORTHING_DIGITS = 7   # X: 7 digits before the decimal point
PREFIXED_EASTING_DIGITS = 8   # Y with the zone prefix
PLAIN_EASTING_DIGITS = 6


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


@dataclass
class Ring:
    """One closed ring: 圈号 and its points (name, X northing, Y easting); the last
    point repeats the first."""
    number: int
    points: list = field(default_factory=list)

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

    @property
    def point_count(self) -> int:
        return sum(len(r.points) for r in self.rings)

    def polygon(self):
        """Shapely (Multi)Polygon in (easting, northing), built vertex for vertex."""
        return rings_to_polygon([r.xy for r in self.rings])

    def area_m2(self) -> float:
        """Planar area of the coordinates as written (outer rings minus holes)."""
        return float(self.polygon().area)


# what the reader reports: code -> English template (for the log; no Chinese document)
_ISSUES = {
    "UNKNOWN_SECTION": translatable("unknown section [{section}] ignored"),
    "TEXT_BEFORE_SECTION": translatable("text before the first section ignored"),
    "NOT_KEY_VALUE": translatable("not a key=value line: {text}"),
    "ZONE_NOT_NUMBER": translatable("带号 is not a number: {value!r}"),
    "NO_AT": translatable("地块 line does not end with @"),
    "FIELD_COUNT": translatable("地块 line has {n} fields, 8 expected"),
    "POINT_COUNT_NOT_WHOLE": translatable("界址点数 is not a whole number: {value!r}"),
    "AREA_NOT_NUMBER": translatable("地块面积 is not a number: {value!r}"),
    "POINT_FIELDS": translatable("point line needs 4 fields (点号,圈号,X,Y), has {n}"),
    "POINT_BEFORE_PARCEL": translatable("point line before any 地块 line"),
    "NOT_NUMBER": translatable("{names} not a number: {text}"),
    "NO_ATTRIBUTES": translatable("no [属性描述] section"),
    "NO_PARCELS": translatable("no 地块 in [地块坐标]"),
    "SWAPPED": translatable("X/Y columns are swapped (Y has the northing's 7 digits); read as "
                            "X=northing, Y=easting"),
    "RING_NOT_CLOSED": translatable("ring {ring} of 地块 '{block}' is not closed (its first point "
                                    "is not repeated); closed on read"),
    "RING_TOO_SHORT": translatable("ring {ring} of 地块 '{block}' has fewer than 3 distinct points"),
    "POINT_COUNT_DIFFERS": translatable("地块 '{block}': 界址点数 says {stated}, {found} point "
                                        "lines follow"),
    "NO_POINTS": translatable("地块 '{block}' has no points"),
    "PREFIX_DIFFERS": translatable("地块 '{block}': Y prefix {prefixes} differs from 带号 {zone}"),
    "AREA_DIFFERS": translatable("地块 '{block}': stated area {stated:.4f} ha, coordinates give "
                                 "{computed:.4f} ha"),
    "NO_ZONE": translatable("no 带号 and the Y coordinates carry no zone prefix"),
}


@dataclass
class TxtIssue(Finding):
    """A problem of the file (core.messages.Finding) at a line (0: the whole file)."""
    line: int = 0

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


def _issue(line: int, level: str, code: str, **values) -> TxtIssue:
    return TxtIssue(level, code, values, _ISSUES[code], "", line)


@dataclass
class DeclarationFile:
    header: TxtHeader
    parcels: list
    issues: list = field(default_factory=list)
    encoding: str = ""
    swapped_xy: bool = False

    @property
    def errors(self):
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self):
        return [i for i in self.issues if i.level == "warning"]

    @property
    def zone(self) -> gk.GKZone | None:
        """The GK zone of the coordinates: 带号, else the Y prefix; prefixed when the
        eastings carry the zone number."""
        eastings = [p[2] for parcel in self.parcels for r in parcel.rings for p in r.points[:1]]
        prefixed = bool(eastings) and all(abs(e) >= 1_000_000 for e in eastings)
        zone = self.header.zone
        if zone is None and prefixed:
            zone = gk.zone_from_easting(eastings[0])
        return gk.GKZone(int(zone), prefixed) if zone is not None else None


class TxtFormatError(ValueError):
    """A declaration file that cannot be read; str() lists the lines at fault."""

    def __init__(self, issues):
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues[:20]))


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
    """(text, encoding) of a declaration file's bytes: BOMs first, UTF-16 without BOM
    from its NUL bytes, then strict UTF-8, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8-BOM"
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16"), "UTF-16"
    head = data[:400]
    if head and head.count(b"\x00") > len(head) // 4:
        even_nuls = head[0::2].count(b"\x00")
        odd_nuls = head[1::2].count(b"\x00")
        enc = "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"
        return data.decode(enc), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "GBK"


_FULLWIDTH = str.maketrans({"，": ",", "＝": "=", "【": "[", "】": "]", "［": "[", "］": "]",
                            "＠": "@", "\u3000": " "})
_AREA_SUFFIX = re.compile(r"\s*(公顷|ha|hm2|hm²)\s*$", re.I)


def _number(text: str):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _int_digits(value: float) -> int:
    return len(str(int(abs(value)))) if abs(value) >= 1 else 0


def parse_txt(text: str, encoding: str = "") -> DeclarationFile:
    """Read a declaration file's text; problems are in .issues with line numbers
    (use read_txt(..., strict=True) to raise on errors)."""
    header = TxtHeader(precision="", version="", crs_name="", zone_width="", projection="",
                       units="", transform_params="")
    issues: list[TxtIssue] = []
    parcels: list[TxtParcel] = []
    raw_points = []      # (parcel, line, name, ring, a, b)
    section = None
    seen_attributes = False
    text = text.lstrip("\ufeff")
    attr_by_zh = dict(HEADER_KEYS)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.translate(_FULLWIDTH).strip()
        if not line:
            continue
        m = re.fullmatch(r"\[\s*(.+?)\s*\]", line)
        if m:
            section = m.group(1)
            if section == ATTRIBUTE_SECTION:
                seen_attributes = True
            elif section != COORDINATE_SECTION and not seen_attributes:
                header.sections.setdefault(section, {})
            elif section != COORDINATE_SECTION:
                issues.append(_issue(lineno, WARNING, "UNKNOWN_SECTION", section=section))
            continue
        if section is None:
            issues.append(_issue(lineno, WARNING, "TEXT_BEFORE_SECTION"))
            continue
        if section != COORDINATE_SECTION:
            if "=" not in line:
                issues.append(_issue(lineno, WARNING, "NOT_KEY_VALUE", text=line[:40]))
                continue
            key, value = (s.strip() for s in line.split("=", 1))
            if section == ATTRIBUTE_SECTION:
                attr = attr_by_zh.get(key)
                if attr == "zone":
                    digits = re.sub(r"\D", "", value)
                    if digits:
                        header.zone = int(digits)
                    else:
                        issues.append(_issue(lineno, ERROR, "ZONE_NOT_NUMBER", value=value))
                elif attr:
                    setattr(header, attr, value)
                else:
                    header.extra[key] = value
            elif not seen_attributes:
                header.sections.setdefault(section, {})[key] = value
            continue
        # [地块坐标]
        tokens = [t.strip() for t in line.split(",")]
        if tokens[-1] == "@" or len(tokens) >= 8:
            has_at = tokens[-1] == "@"
            values = tokens[:-1] if has_at else tokens
            if not has_at:
                issues.append(_issue(lineno, WARNING, "NO_AT"))
            if len(values) < 8:
                issues.append(_issue(lineno, WARNING, "FIELD_COUNT", n=len(values)))
            values += [""] * max(0, 8 - len(values))
            count = _number(values[0])
            if count is None or count != int(count):
                issues.append(_issue(lineno, ERROR, "POINT_COUNT_NOT_WHOLE", value=values[0]))
                count = -1
            area = _number(_AREA_SUFFIX.sub("", values[1])) if values[1] else None
            if area is None:
                issues.append(_issue(lineno, ERROR, "AREA_NOT_NUMBER", value=values[1]))
            parcel = TxtParcel(int(count), area, line=lineno)
            for f, v in zip(PARCEL_TEXT_FIELDS, values[2:8]):
                setattr(parcel, f, v)
            if len(values) > 8:
                parcel.extra = dict(zip(PARCEL_EXTRA_FIELDS, values[8:]))
            parcels.append(parcel)
            continue
        if len(tokens) != 4:
            issues.append(_issue(lineno, ERROR, "POINT_FIELDS", n=len(tokens)))
            continue
        if not parcels:
            issues.append(_issue(lineno, ERROR, "POINT_BEFORE_PARCEL"))
            continue
        ring_no = _number(tokens[1])
        a, b = _number(tokens[2]), _number(tokens[3])
        bad = [n for n, v in (("圈号", ring_no), ("X", a), ("Y", b)) if v is None]
        if bad:
            issues.append(_issue(lineno, ERROR, "NOT_NUMBER", names="/".join(bad), text=line[:60]))
            continue
        raw_points.append((parcels[-1], lineno, tokens[0], int(ring_no), a, b))

    if not seen_attributes:
        issues.append(_issue(0, ERROR if not parcels else WARNING, "NO_ATTRIBUTES"))
    if not parcels:
        issues.append(_issue(0, ERROR, "NO_PARCELS"))

    swapped = _swapped(raw_points)
    if swapped:
        issues.append(_issue(0, WARNING, "SWAPPED"))
    _build_rings(raw_points, swapped, issues)

    result = DeclarationFile(header, parcels, issues, encoding, swapped)
    _check(result, issues)
    issues.sort(key=lambda i: i.line)
    return result


def _swapped(raw_points) -> bool:
    """True when most points have the northing (7 digits) in the Y column."""
    votes = 0
    for _, _, _, _, a, b in raw_points:
        da, db = _int_digits(a), _int_digits(b)
        if da == NORTHING_DIGITS and db in (PREFIXED_EASTING_DIGITS, PLAIN_EASTING_DIGITS):
            votes -= 1
        elif db == NORTHING_DIGITS and da in (PREFIXED_EASTING_DIGITS, PLAIN_EASTING_DIGITS):
            votes += 1
    return votes > 0


def _build_rings(raw_points, swapped, issues):
    """Group point lines into closed rings per 地块: a ring ends where its first point
    comes back (or its 圈号 changes: then it is closed on read, with a warning)."""
    current = None        # (parcel, Ring, first line)

    def finish():
        if current is None:
            return
        parcel, ring, first_line = current
        pts = ring.points
        if len(pts) >= 2 and pts[-1][1:] == pts[0][1:]:
            pass
        else:
            issues.append(_issue(first_line, WARNING, "RING_NOT_CLOSED", ring=ring.number,
                                 block=parcel.code))
            if pts:
                pts.append(pts[0])
        if len(pts) < 4:
            issues.append(_issue(first_line, ERROR, "RING_TOO_SHORT", ring=ring.number,
                                 block=parcel.code))
        parcel.rings.append(ring)

    for parcel, lineno, name, ring_no, a, b in raw_points:
        x, y = (b, a) if swapped else (a, b)
        point = (name, x, y)
        if current is not None and (current[0] is not parcel or current[1].number != ring_no):
            finish()
            current = None
        if current is None:
            current = (parcel, Ring(ring_no, [point]), lineno)
            continue
        ring = current[1]
        ring.points.append(point)
        if len(ring.points) >= 4 and point[1:] == ring.points[0][1:]:
            finish()
            current = None
    finish()


def _check(result: DeclarationFile, issues):
    zone_hdr = result.header.zone
    for parcel in result.parcels:
        n = parcel.point_count
        if parcel.n_points >= 0 and parcel.n_points != n:
            issues.append(_issue(parcel.line, WARNING, "POINT_COUNT_DIFFERS", block=parcel.code,
                                 stated=parcel.n_points, found=n))
        if not parcel.rings:
            issues.append(_issue(parcel.line, ERROR, "NO_POINTS", block=parcel.code))
            continue
        prefixes = {gk.zone_from_easting(p[2]) for r in parcel.rings for p in r.points}
        if zone_hdr is not None and prefixes != {None} and prefixes != {zone_hdr}:
            issues.append(_issue(parcel.line, WARNING, "PREFIX_DIFFERS", block=parcel.code,
                                 prefixes=sorted(p for p in prefixes if p), zone=zone_hdr))
        if parcel.area_ha is not None:
            computed = parcel.area_m2() / 10000.0
            if abs(computed - parcel.area_ha) > 0.00011 + 1e-6 * computed:
                issues.append(_issue(parcel.line, WARNING, "AREA_DIFFERS", block=parcel.code,
                                     stated=parcel.area_ha, computed=computed))
    if result.header.zone is None and result.zone is None and result.parcels:
        issues.append(_issue(0, ERROR, "NO_ZONE"))


def read_txt(path, strict: bool = False) -> DeclarationFile:
    """Read a declaration file from disk (any supported encoding)."""
    with open(path, "rb") as f:
        data = f.read()
    text, encoding = decode(data)
    result = parse_txt(text, encoding)
    if strict and result.errors:
        raise TxtFormatError(result.errors)
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
)


def declared_blocks(result: DeclarationFile):
    """(table with DECLARED_BLOCK_FIELDS, polygons in the file's zone CRS) of the 地块 of
    a file read: its header fields, the stated area and the areas of its coordinates
    (planar in 公顷, ellipsoidal in m²)."""
    import pandas as pd

    from .areas import ellipsoidal_area
    from .units import m2_to_ha

    polys = [p.polygon() for p in result.parcels]
    ell = ellipsoidal_area(polys, result.zone.epsg) if polys else []
    header = result.header
    rows = []
    for p, poly, e in zip(result.parcels, polys, ell):
        extra = p.extra or {}
        rows.append([p.code, p.name, p.n_points, p.area_ha, round(m2_to_ha(poly.area), 6),
                     float(e), p.shape, p.sheet, p.use, p.dlbm, extra.get("tblx"),
                     extra.get("dl"), extra.get("grade_before"), extra.get("grade_after"),
                     extra.get("remark"), header.unit, header.date, result.zone.zone, p.line])
    return pd.DataFrame(rows, columns=[f.name for f in DECLARED_BLOCK_FIELDS], dtype=object), polys
