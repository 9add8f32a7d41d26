"""Reading declaration TXT files as they come from the field (issue 14): every problem
is a finding naming its line (and 地块); 'Stop on errors' (strict) rejects the file
naming them; the lenient reader imports each 地块 as a valid polygon or flags it in
its 状态 (ZT) and 说明 (SM). Each case is a small edit of gbk_standard.txt:

    line 9   带号=36
    line 13  10,0.9600,1,地块一,...,@   (100 m square, 20 m hole: 9600 m²)
    lines 14-18 ring 1 J1..J4,J1 ; lines 19-23 ring 2 (the hole) J5..J8,J5
    line 24  5,1.0000,2,地块二,...,@    (200 m x 50 m: 10000 m²)
    lines 25-29 J1 (0,50) J2 (200,50) J3 (200,0) J4 (0,0) J1  (easting, northing offsets)
"""
import random

import numpy as np
import pytest
import shapely

from qn_landconsol_plugin.core import declaration_txt as dt
from qn_landconsol_plugin.core.declaration_txt_reader import decode_bytes

from .test_declaration_txt import BLOCK1, BLOCK2, DATA

STANDARD = (DATA / "gbk_standard.txt").read_bytes().decode("gbk").split("\r\n")[:-1]


def lines():
    """The standard file's lines, index = line number - 1."""
    return list(STANDARD)


def text_of(rows) -> str:
    return "\r\n".join(rows) + "\r\n"


def read(tmp_path, content, strict=False, name="t.txt"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else text_of(content).encode("gbk"))
    return dt.read_txt(path, strict=strict)


def strict_error(tmp_path, content) -> str:
    with pytest.raises(dt.TxtFormatError) as err:
        read(tmp_path, content, strict=True)
    return str(err.value)


def codes(result, line=None):
    return [i.code for i in result.issues if line is None or i.line == line]


def only(result, code):
    found = [i for i in result.issues if i.code == code]
    assert len(found) == 1, [str(i) for i in result.issues]
    return found[0]


def assert_lenient_blocks_valid(result):
    """The lenient promise: a valid polygon with area, or no geometry and ZT 无效."""
    for parcel in result.parcels:
        if parcel.geometry is None:
            assert parcel.status == dt.STATUS_INVALID
        else:
            assert parcel.geometry.is_valid and parcel.geometry.area > 0


def test_standard_file_has_no_findings_and_every_block_is_ok(tmp_path):
    result = read(tmp_path, lines(), strict=True)
    assert result.issues == []
    assert [p.status for p in result.parcels] == [dt.STATUS_OK, dt.STATUS_OK]
    assert [p.note for p in result.parcels] == ["", ""]
    assert result.parcels[0].geometry.equals(BLOCK1) and result.parcels[1].geometry.equals(BLOCK2)
    assert result.encoding_note.code == "ENCODING_GBK"


# ---------------------------------------------------------------- 1. truncated files

def test_file_cut_inside_the_last_block(tmp_path):
    rows = lines()[:27]                       # 地块二 has J1..J3 of its 5 point lines
    message = strict_error(tmp_path, rows)
    assert str(tmp_path / "t.txt") in message
    assert "line 24: 地块 '2 地块二': 界址点数 says 5, 3 point lines follow" in message
    assert "line 27: the file ends inside 地块 '2 地块二' (3 of 5 points)" in message
    result = read(tmp_path, rows)
    assert only(result, "TRUNCATED").line == 27
    assert only(result, "RING_NOT_CLOSED").line == 25
    block = result.parcels[1]
    assert block.status == dt.STATUS_DOUBTFUL and "第27行：文件在地块中间结束" in block.note
    # closed on read: the triangle J1 J2 J3 (200 x 50 / 2)
    assert block.geometry.is_valid and block.geometry.area == pytest.approx(5000.0)
    assert result.parcels[0].status == dt.STATUS_OK
    assert_lenient_blocks_valid(result)


def test_file_ending_inside_a_ring_of_the_first_block(tmp_path):
    rows = lines()[:20]                       # ring 2 of 地块一 has J5, J6 only
    message = strict_error(tmp_path, rows)
    assert "line 20: the file ends inside 地块 '1 地块一' (7 of 10 points)" in message
    assert "line 19: ring 2 of 地块 '1 地块一' is not closed" in message
    result = read(tmp_path, rows)
    assert {"RING_NOT_CLOSED", "RING_TOO_SHORT"} <= set(codes(result, 19))
    # the two-point ring is left out: the block is the full square
    assert result.parcels[0].geometry.equals(shapely.Polygon(BLOCK1.exterior))
    assert result.parcels[0].status == dt.STATUS_DOUBTFUL


def test_missing_closing_point_is_an_error_and_closed_on_read(tmp_path):
    rows = lines()
    del rows[17]                              # line 18: J1 closing ring 1
    message = strict_error(tmp_path, rows)
    assert ("line 14: ring 1 of 地块 '1 地块一' is not closed (its first point is not repeated; "
            "lines 14–17)") in message
    result = read(tmp_path, rows)
    assert result.parcels[0].geometry.equals(BLOCK1)          # closed on read: same polygon
    assert only(result, "RING_NOT_CLOSED").action == "closed"
    assert "界址点数为10，实有界址点行9行" in result.parcels[0].note


# ---------------------------------------------------------------- 1. implausible points

def test_vertex_a_thousand_km_away(tmp_path):
    rows = lines()
    rows[15] = "J3,1,1927000.0000,36440100.0000"          # northing 1,000 km too small
    message = strict_error(tmp_path, rows)
    assert "line 16: 地块 '1 地块一': 1 point(s) more than 100 km from the 地块's other points" in message
    result = read(tmp_path, rows)
    far = only(result, "FAR_VERTEX")
    assert (far.line, far.values["lines"], far.action) == (16, "16", "flagged")
    assert far.values["far"] == pytest.approx(np.hypot(1_000_000 - 50, 50) / 1000, abs=0.2)
    assert result.parcels[0].status == dt.STATUS_DOUBTFUL
    assert "第16行：1个点距本地块其他点超过100千米" in result.parcels[0].note
    assert result.parcels[1].status == dt.STATUS_OK
    assert_lenient_blocks_valid(result)


def test_point_outside_its_zone_and_coordinates_no_map_holds(tmp_path):
    rows = lines()
    rows[26] = "J3,1,2928000.0000,36940000.0000"          # easting 940 km from the CM side
    rows[15] = "J3,1,99999999999999999999,36440100.0000"
    result = read(tmp_path, rows)
    absurd = only(result, "NOT_A_COORDINATE")
    assert (absurd.line, absurd.action, result.parcels[0].geometry) == (16, "dropped", None)
    assert result.parcels[0].status == dt.STATUS_INVALID
    out = only(result, "OUT_OF_ZONE")
    assert (out.line, out.values["e_min"], out.values["e_max"]) == (27, 36_150_000, 36_850_000)
    assert result.parcels[1].status == dt.STATUS_DOUBTFUL
    message = strict_error(tmp_path, rows)
    assert "line 16: 地块 '1 地块一': 1 point(s) with coordinates no map can hold" in message
    assert "line 27: 地块 '2 地块二': 1 point(s) outside zone 36" in message


def test_zone_prefix_contradicting_the_zone_number(tmp_path):
    rows = lines()
    rows[8] = "带号=35"
    message = strict_error(tmp_path, rows)
    assert ("line 14: 带号 35 (line 9) contradicts the zone prefix 36 of the Y coordinates "
            "(from 地块 '1 地块一' on)") in message
    result = read(tmp_path, rows)
    assert result.zone == dt.gk.GKZone(36, True) and result.zone.epsg == 4524
    assert result.parcels[0].geometry.equals(BLOCK1)


def test_one_point_with_another_zone_prefix(tmp_path):
    rows = lines()
    rows[26] = "J3,1,2928000.0000,37441200.0000"
    result = read(tmp_path, rows)
    hit = only(result, "PREFIX_DIFFERS")
    assert (hit.line, hit.values["prefixes"], hit.values["zone"]) == (27, "37", 36)
    assert result.parcels[1].status == dt.STATUS_DOUBTFUL
    assert "line 27: 地块 '2 地块二': Y prefix 37 differs from zone 36" in strict_error(tmp_path, rows)


def _zone_coordinates(rows, epsg_from, epsg_to, zone):
    from osgeo import osr

    def srs(code):
        s = osr.SpatialReference()
        s.ImportFromEPSG(code)
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        return s

    ct = osr.CoordinateTransformation(srs(epsg_from), srs(epsg_to))
    out = []
    for row in rows:
        if row.startswith("J"):
            name, ring, x, y = row.split(",")
            e, n, _ = ct.TransformPoint(float(y), float(x))
            row = f"{name},{ring},{n:.4f},{e:.4f}"
        out.append(row.replace("带号=36", f"带号={zone}"))
    return out


def test_zone_35_file_of_the_same_place_is_inside_qiannan(tmp_path):
    result = read(tmp_path, _zone_coordinates(lines(), 4524, 4523, 35), strict=True)
    assert result.issues == [] and result.zone.epsg == 4523   # the stated areas are ellipsoidal-close


def test_file_outside_qiannan_is_flagged_per_block(tmp_path):
    rows = _zone_coordinates(lines(), 4524, 4524, 36)
    rows = [r.replace(",29", ",31") if r.startswith("J") else r for r in rows]   # 200 km north
    result = read(tmp_path, rows)
    hits = [i for i in result.issues if i.code == "OUTSIDE_REGION"]
    assert [(i.line, i.values["count"]) for i in hits] == [(14, 10), (25, 5)]
    assert hits[0].values["n_max"] == 3_043_000
    assert [p.status for p in result.parcels] == [dt.STATUS_DOUBTFUL] * 2


# ---------------------------------------------------------------- 1. invalid rings

def test_bow_tie_ring_is_repaired_into_two_triangles(tmp_path):
    rows = lines()
    rows[25], rows[26] = rows[26], rows[25]      # 地块二: J1 J3 J2 J4 J1, the diagonals cross
    message = strict_error(tmp_path, rows)
    assert ("line 25: ring 1 of 地块 '2 地块二' crosses itself (a bow-tie): the edges from points "
            "J1, J2 (lines 25, 27) meet at X=2928025.0000, Y=36441100.0000") in message
    result = read(tmp_path, rows)
    block = result.parcels[1]
    # two triangles of 100 m x 50 m / 2 each, never an invalid polygon of area 0
    assert block.geometry.is_valid and block.geometry.area == pytest.approx(5000.0)
    assert block.geometry.geom_type == "MultiPolygon" and len(block.geometry.geoms) == 2
    # repaired, and its stated 1 ha no longer matches: 存疑 with both findings in SM
    assert block.status == dt.STATUS_DOUBTFUL
    assert "第25行：第1圈自相交（“8”字形）" in block.note and "（图形已修复）" in block.note
    assert "申报面积1.0000公顷，坐标计算面积0.5000公顷" in block.note


def test_ring_without_area_and_ring_of_two_points_are_left_out(tmp_path):
    rows = lines()
    rows[18:23] = ["J5,2,2927060.0000,36440040.0000", "J6,2,2927050.0000,36440050.0000",
                   "J7,2,2927040.0000,36440060.0000", "J5,2,2927060.0000,36440040.0000"]
    rows[12] = rows[12].replace("10,0.9600", "9,1.0000")
    result = read(tmp_path, rows)
    hit = only(result, "RING_NO_AREA")
    assert (hit.line, hit.action) == (19, "ring_dropped")
    assert result.parcels[0].geometry.equals(shapely.Polygon(BLOCK1.exterior))
    assert result.parcels[0].status == dt.STATUS_REPAIRED
    assert "line 19: ring 2 of 地块 '1 地块一' encloses no area" in strict_error(tmp_path, rows)
    rows[18:22] = ["J5,2,2927060.0000,36440040.0000", "J6,2,2927040.0000,36440040.0000",
                   "J5,2,2927060.0000,36440040.0000"]
    rows[12] = rows[12].replace("9,", "8,")
    result = read(tmp_path, rows)
    assert only(result, "RING_TOO_SHORT").line == 19
    assert result.parcels[0].geometry.equals(shapely.Polygon(BLOCK1.exterior))


def test_rings_crossing_each_other(tmp_path):
    rows = lines()
    rows[19] = "J6,2,2927040.0000,36439960.0000"      # the hole now reaches out of the shell
    message = strict_error(tmp_path, rows)
    assert "rings of 地块 '1 地块一' cross or overlap each other" in message
    result = read(tmp_path, rows)
    assert result.parcels[0].geometry.is_valid and result.parcels[0].status != dt.STATUS_OK


# ---------------------------------------------------------------- 1. zone numbers

@pytest.mark.parametrize("zone", ["99", "24", "0"])
def test_zone_number_that_is_no_cgcs2000_zone(tmp_path, zone):
    rows = lines()
    rows[8] = f"带号={zone}"
    assert f"line 9: 带号 {zone} is no CGCS2000 3-degree zone (25–45)" in strict_error(tmp_path, rows)
    result = read(tmp_path, rows)
    assert codes(result, 9) == ["ZONE_OUT_OF_RANGE", "ZONE_FROM_PREFIX"]
    assert result.zone.epsg == 4524 and not result.fatal


def test_zone_99_without_prefix_leaves_no_crs(tmp_path):
    rows = lines()
    rows[8] = "带号=99"
    rows = [r.replace(",364", ",4") if r.startswith("J") else r for r in rows]
    result = read(tmp_path, rows)
    assert [(i.line, i.code) for i in result.fatal] == [(9, "NO_ZONE")]
    assert result.zone is None


# ---------------------------------------------------------------- 1. stated areas, 圈号

def test_stated_area_against_the_coordinates(tmp_path):
    rows = lines()
    rows[23] = rows[23].replace("5,1.0000", "5,1.2000")
    assert "line 24: 地块 '2 地块二': stated area 1.2000 ha, coordinates give 1.0000 ha" in \
        strict_error(tmp_path, rows)
    result = read(tmp_path, rows)
    assert result.parcels[1].status == dt.STATUS_DOUBTFUL
    assert result.parcels[1].geometry.equals(BLOCK2)


def test_stated_area_to_its_own_decimals_or_ellipsoidal_is_accepted(tmp_path):
    from qn_landconsol_plugin.core.areas import ellipsoidal_area

    rows = lines()
    rows[12] = rows[12].replace("10,0.9600", "10,0.96")      # 2 decimals: ± 0.005 ha
    assert read(tmp_path, rows, strict=True).issues == []
    # a 2 km square 85 km west of the CM: ellipsoidal and planar differ by 0.034 ha
    square = shapely.box(36440000, 2927000, 36442000, 2929000)
    ellipsoidal = ellipsoidal_area([square], 4524)[0] / 1e4
    assert abs(ellipsoidal - 400.0) > 0.01
    head = ["[属性描述]", "带号=36", "[地块坐标]"]
    points = ["J1,1,2929000.0000,36440000.0000", "J2,1,2929000.0000,36442000.0000",
              "J3,1,2927000.0000,36442000.0000", "J4,1,2927000.0000,36440000.0000",
              "J1,1,2929000.0000,36440000.0000"]
    for stated in (f"{ellipsoidal:.4f}", "400.0000"):           # other software states ellipsoidal
        result = read(tmp_path, head + [f"5,{stated},1,大,面,,,,@"] + points, strict=True)
        assert result.issues == []
    result = read(tmp_path, head + [f"5,{ellipsoidal + 0.01:.4f},1,大,面,,,,@"] + points)
    assert only(result, "AREA_DIFFERS").line == 4


def test_ring_numbers_out_of_order(tmp_path):
    rows = [r.replace(",2,", ",3,") if r.startswith("J") else r for r in lines()]
    message = strict_error(tmp_path, rows)
    assert "line 19: 地块 '1 地块一': 圈号 3 where 2 was expected" in message
    result = read(tmp_path, rows)
    assert result.parcels[0].geometry.equals(BLOCK1)
    rows[13] = "J1,0,2927100.0000,36440000.0000"
    assert only(read(tmp_path, rows), "RING_NUMBER").line == 14


# ---------------------------------------------------------------- 2. bytes that are no good text

def test_undecodable_bytes_name_their_line(tmp_path):
    data = text_of(lines()).encode("gbk").replace("地块一".encode("gbk"), b"\xff\x80\xff", 1)
    message = strict_error(tmp_path, data)
    assert "line 13: bytes that are not GBK replaced by �" in message
    result = read(tmp_path, data)
    assert result.parcels[0].name == "\ufffd\ufffd\ufffd" and result.parcels[0].geometry.equals(BLOCK1)
    assert result.encoding_note.code == "ENCODING_DAMAGED"


def test_binary_file_is_no_text(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    result = read(tmp_path, png)
    assert [i.code for i in result.fatal] == ["BINARY"] and result.parcels == []
    assert "not a text file: control byte 0x00 at byte 9" in str(result.fatal[0])
    assert "BINARY" in [i.code for i in read(tmp_path, b"PK\x03\x04\x14\x00\x06\x00" * 64).fatal]


def test_odd_length_utf16(tmp_path):
    data = b"\xff\xfe" + text_of(lines()).encode("utf-16-le") + b"\x0a"
    result = read(tmp_path, data)
    odd = only(result, "ODD_UTF16")
    assert odd.line == 29 and odd.level == "error"
    assert result.parcels[1].geometry.equals(BLOCK2)
    assert "line 29: the UTF-16 file has an odd number of bytes" in strict_error(tmp_path, data)


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\x1a"])
def test_empty_files(tmp_path, data):
    result = read(tmp_path, data)
    assert [i.code for i in result.fatal] == ["EMPTY"]


def test_file_with_only_the_attribute_section(tmp_path):
    result = read(tmp_path, lines()[:11])
    assert [(i.line, i.code) for i in result.fatal] == [(11, "NO_COORDINATES")]
    result = read(tmp_path, lines()[:12])
    assert [i.code for i in result.fatal] == ["NO_PARCELS"]


def test_utf8_and_gbk_ambiguity_follows_the_documented_order():
    # valid as UTF-8 and as GB18030: the section name reads correctly only in UTF-8
    both = "[地块坐标]\r\n5,1.0000,2,地块,,,,,@\r\n".encode("utf-8")
    assert both.decode("gb18030") != both.decode("utf-8")
    decoded = decode_bytes(both)
    assert decoded.encoding == "UTF-8" and decoded.note.code == "ENCODING_BOTH_SECTIONS"
    undecided = decode_bytes("地块".encode("utf-8"))
    assert undecided.encoding == "UTF-8" and undecided.note.code == "ENCODING_BOTH_FIRST"
    assert decode_bytes(text_of(lines()).encode("gbk")).encoding == "GBK"


@pytest.mark.parametrize("value, code", [("1e400", "NOT_NUMBER"), ("nan", "NOT_NUMBER"),
                                         ("inf", "NOT_NUMBER"), ("2927100。0000", "NOT_NUMBER"),
                                         ("2.9271E+06", "EXPONENT"), ("1_000", "NOT_NUMBER")])
def test_numbers_that_are_not_coordinates(tmp_path, value, code):
    rows = lines()
    rows[14] = f"J2,1,{value},36440100.0000"
    result = read(tmp_path, rows)
    hit = [i for i in result.issues if i.line == 15][0]
    assert hit.code == code and hit.level == "error"
    assert_lenient_blocks_valid(result)
    assert "line 15: " in strict_error(tmp_path, rows)


def test_chinese_punctuation_in_point_lines(tmp_path):
    rows = lines()
    rows[13] = "J1，1，2927100.0000，36440000.0000"    # full-width commas: read, one warning
    result = read(tmp_path, rows, strict=True)
    assert [(i.line, i.code, i.level) for i in result.issues] == [(14, "FULLWIDTH", "warning")]
    assert result.parcels[0].geometry.equals(BLOCK1)
    rows[14] = "J2：1,2927100.0000,36440100.0000"      # a colon is no separator
    hit = only(read(tmp_path, rows), "POINT_FIELDS")
    assert hit.line == 15 and hit.values["n"] == 3


def test_trailing_garbage_after_the_last_block(tmp_path):
    rows = lines() + ["END", "------", "共2个地块"]
    result = read(tmp_path, rows)
    assert [(i.line, i.code) for i in result.issues] == [(30, "POINT_FIELDS"), (31, "POINT_FIELDS"),
                                                        (32, "POINT_FIELDS")]
    assert [p.status for p in result.parcels] == [dt.STATUS_OK] * 2
    assert "line 30: point line needs 4 fields (点号,圈号,X,Y), has 1: END" in strict_error(tmp_path, rows)


def test_control_characters_in_a_line(tmp_path):
    data = text_of(lines()).encode("gbk").replace(b"J3,1,2927000", b"J3,1,29\x00\x0727000", 1)
    hit = only(read(tmp_path, data), "CONTROL_CHARS")
    assert hit.line == 16 and "\\x00\\x07" in hit.values["text"]


# ---------------------------------------------------------------- 3. speed and cancel

def _grid_text(n_side=200, cell=10.0, hole=4.0):
    """One 地块: a shell around n_side² - 1 square holes (n_side² rings in all)."""
    x0, y0 = 36440000.0, 2927000.0
    size = n_side * cell
    rings = [[(x0, y0 + size), (x0 + size, y0 + size), (x0 + size, y0), (x0, y0)]]
    for i in range(n_side):
        for j in range(n_side):
            a, b = x0 + i * cell + 3, y0 + j * cell + 3
            rings.append([(a, b), (a, b + hole), (a + hole, b + hole), (a + hole, b)])
    rings = rings[:n_side * n_side]
    points, n = [], 0
    for k, ring in enumerate(rings, 1):
        for e, north in ring + ring[:1]:
            n += 1
            points.append(f"J{n},{k},{north:.4f},{e:.4f}")
    area = (size * size - (len(rings) - 1) * hole * hole) / 1e4
    head = ["[属性描述]", "带号=36", "[地块坐标]", f"{len(points)},{area:.4f},1,网格,面,,,,@"]
    return text_of(head + points), size * size - (len(rings) - 1) * hole * hole


def test_forty_thousand_rings_in_one_block_are_read(tmp_path):
    """Issue 14: this hung (all-pairs nesting); now seconds (tools/bench/bench_declaration_txt.py)."""
    text, area = _grid_text(200)
    result = dt.parse_txt(text)
    assert result.issues == []
    (block,) = result.parcels
    assert len(block.rings) == 40_000 and block.status == dt.STATUS_OK
    assert block.geometry.geom_type == "Polygon" and len(block.geometry.interiors) == 39_999
    assert block.geometry.area == pytest.approx(area)


def test_reading_asks_cancel_between_blocks(tmp_path):
    text, _ = _grid_text(20)
    asked = []
    with pytest.raises(dt.Canceled):
        dt.parse_txt(text + text.split("[地块坐标]\r\n")[1], cancel=lambda: asked.append(1) or True)
    assert asked == [1]


# ---------------------------------------------------------------- 4. hand-edited files

@pytest.mark.parametrize("edit", [
    lambda rows: "\n".join(rows[:10]) + "\r\n" + "\r\n\r\n".join(rows[10:20]) + "\n" + "\r".join(rows[20:]),
    lambda rows: text_of([r.replace(",", " \t, ") if r.startswith("J") else r for r in rows]),
    lambda rows: text_of(rows) + "\x1a",                                     # DOS end-of-file mark
    lambda rows: text_of([r.replace("带号=36", "带号=36带") for r in rows]),
    lambda rows: text_of([r.replace(",10,", ",10.0,") for r in rows]),
], ids=["mixed-line-breaks-and-blank-lines", "tabs-and-spaces-around-commas", "ctrl-z",
        "zone-with-带", "count-10.0"])
def test_editor_variants_read_without_findings(tmp_path, edit):
    result = read(tmp_path, edit(lines()).encode("gbk"), strict=True)
    assert result.issues == []
    assert result.parcels[0].geometry.equals(BLOCK1) and result.parcels[1].geometry.equals(BLOCK2)


@pytest.mark.parametrize("edit, code, line", [
    (lambda r: r.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，")) if r.startswith("J") else r,
     "FULLWIDTH", 14),
    (lambda r: r + ",,,,," if r.startswith("J") else r, "TRAILING_FIELDS", 14),
    (lambda r: '"' + r.replace(",", '","') + '"' if r.startswith("J") else r, "QUOTED", 14),
    (lambda r: r.replace(",", "\t") if r.startswith("J") else r, "TAB_SEPARATED", 14),
    (lambda r: r.replace("带号=", "带号：") if r.startswith("带号") else r, "KEY_SEPARATOR", 9),
    (lambda r: r[:-2] if r.endswith(",@") else r, "NO_AT", 13),
], ids=["full-width-digits", "spreadsheet-empty-fields", "quotes", "tab-separated",
        "chinese-colon-key", "no-@"])
def test_tolerated_variants_warn_once_and_read_the_same(tmp_path, edit, code, line):
    result = read(tmp_path, [edit(r) for r in lines()], strict=True)   # warnings only
    assert {i.code for i in result.issues} == {code}
    assert result.issues[0].line == line and result.issues[0].level == "warning"
    assert result.parcels[0].geometry.equals(BLOCK1) and result.parcels[1].geometry.equals(BLOCK2)
    assert result.zone.epsg == 4524


def test_chinese_punctuation_in_header_values_is_kept(tmp_path):
    rows = lines()
    rows[2] = "数据产生单位=黔南州，自然资源局（测绘）"
    rows[3] = "数据产生日期＝2025-06-15"
    result = read(tmp_path, rows, strict=True)
    assert result.header.unit == "黔南州，自然资源局（测绘）"
    assert result.header.date == "2025-06-15"
    assert [(i.line, i.code) for i in result.issues] == [(4, "KEY_SEPARATOR")]


def test_one_line_with_x_and_y_swapped(tmp_path):
    rows = lines()
    name, ring, x, y = rows[15].split(",")
    rows[15] = ",".join([name, ring, y, x])
    assert "line 16: X and Y swapped on this line only (X has 8 digits, Y 7)" in strict_error(tmp_path, rows)
    result = read(tmp_path, rows)
    assert result.parcels[0].geometry.equals(BLOCK1)          # swapped back
    assert result.parcels[0].status == dt.STATUS_REPAIRED


def test_two_files_joined_and_a_key_given_twice(tmp_path):
    result = read(tmp_path, lines() + lines())
    assert [(i.line, i.code) for i in result.issues] == [(30, "DUPLICATE_SECTION"),
                                                        (41, "DUPLICATE_SECTION")]
    assert len(result.parcels) == 4
    rows = lines()
    rows.insert(9, "带号=35")
    hit = only(read(tmp_path, rows), "DUPLICATE_KEY")
    assert hit.line == 10 and hit.values["first"] == 9 and read(tmp_path, rows).zone.zone == 36


@pytest.mark.parametrize("row, key, line", [(5, "几度分带=6", 6), (4, "坐标系=1980西安坐标系", 5),
                                            (7, "计量单位=千米", 8)])
def test_header_that_says_the_coordinates_are_something_else(tmp_path, row, key, line):
    rows = lines()
    rows[row] = key
    result = read(tmp_path, rows)
    assert [(i.line, i.level) for i in result.issues] == [(line, "error")]
    assert f"line {line}: " in strict_error(tmp_path, rows)


def test_spreadsheet_exponent_loses_digits(tmp_path):
    rows = lines()
    rows[24] = "J1,1,2.92805E+06,3.6441E+07"
    hit = [i for i in read(tmp_path, rows).issues if i.line == 25][0]
    assert hit.code == "EXPONENT" and hit.values["names"] == "X/Y"


# ---------------------------------------------------------------- the lenient promise, fuzzed

def test_mutated_files_never_raise_and_blocks_are_valid_or_flagged(tmp_path):
    """200 random edits (bytes, lines, digits, garbage) of the fixture files: no exception,
    every finding has its texts, every 地块 a valid polygon or ZT 无效 without one."""
    rng = random.Random(14)
    sources = [p.read_bytes() for p in sorted(DATA.glob("*.txt"))]
    junk = [b",", b"\r\n", b"\t", b"1e400", b"nan", "，".encode("gbk"), b"\x00", b"@", b"[",
            b"]", b"=", b"-", b"99", b"\xff", b"J1,1,"]
    for k in range(200):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(max(1, len(data)))
            op = rng.random()
            if op < 0.3:
                data[i:i + 1] = bytes([rng.randrange(256)])
            elif op < 0.5:
                del data[i:i + rng.randint(1, 40)]
            elif op < 0.7:
                data[i:i] = rng.choice(junk)
            elif op < 0.85:
                digit = rng.choice(b"0123456789")
                data = bytearray(bytes(data).replace(bytes([digit]), b"7", rng.randint(1, 3)))
            else:
                data = data[:i]
        path = tmp_path / f"m{k}.txt"
        path.write_bytes(bytes(data))
        result = dt.read_txt(path)
        for issue in result.issues:
            assert issue.text() and issue.message and issue.note()
        if not result.fatal:
            table, polygons = dt.declared_blocks(result)
            assert len(table) == len(result.parcels)
            assert_lenient_blocks_valid(result)
        try:
            dt.read_txt(path, strict=True)
        except dt.TxtFormatError as err:
            assert str(path) in str(err)
