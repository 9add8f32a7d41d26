"""The 报部格式 TXT (write exactly, read leniently), project boundaries, ellipsoidal
areas and the declaration statistics: pure core, no QGIS."""
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy import integrate

from qn_landconsol_plugin.core import areas
from qn_landconsol_plugin.core import declaration_stats as stats
from qn_landconsol_plugin.core.reports import declaration as declaration_report
from qn_landconsol_plugin.core import declaration_txt as dt
from qn_landconsol_plugin.core import project_boundary as pb

DATA = Path(__file__).resolve().parent.parent / "data" / "declaration_txt"

# the hand-written files: block 1 = 100 m square with a 20 m hole (9600 m²),
# block 2 = 200 m x 50 m (10000 m²), zone 36
BLOCK1 = shapely.Polygon([(36440000, 2927000), (36440100, 2927000), (36440100, 2927100),
                          (36440000, 2927100)],
                         [[(36440040, 2927040), (36440060, 2927040), (36440060, 2927060),
                           (36440040, 2927060)]])
BLOCK2 = shapely.box(36441000, 2928000, 36441200, 2928050)


def _header():
    return dt.TxtHeader(unit="黔南州自然资源局", date="2025-06-15", zone=36, precision="0.0001")


# ---------------------------------------------------------------- writing

def test_written_file_is_gbk_crlf_with_counts_closed_rings_and_stated_area(tmp_path):
    poly = shapely.Polygon([(36440000.123456, 2927000.0), (36440100.0, 2927000.0),
                            (36440100.0, 2927100.0), (36440000.0, 2927100.0)],
                           [[(36440040, 2927040), (36440060, 2927040), (36440060, 2927060),
                             (36440040, 2927060)]])
    parcels = dt.parcels_from_geometry(poly, code="QN-1", name="示范项目", use="全域土地综合整治")
    path = tmp_path / "t.txt"
    dt.write_txt(path, _header(), parcels)
    data = path.read_bytes()
    text = data.decode("gbk")                       # decodes as GBK
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")   # CRLF only
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "[属性描述]" and "[地块坐标]" in lines and "带号=36" in lines
    start = lines.index("[地块坐标]") + 1
    head = lines[start].split(",")
    points = [l.split(",") for l in lines[start + 1:]]
    assert int(head[0]) == len(points) == 10        # 4 + closing, 4 + closing
    assert head[-1] == "@" and len(head) == 9
    # rings closed by repeating the first point with its number
    ring1 = [p for p in points if p[1] == "1"]
    ring2 = [p for p in points if p[1] == "2"]
    assert ring1[0] == ring1[-1] and ring2[0] == ring2[-1]
    assert [p[0] for p in points] == ["J1", "J2", "J3", "J4", "J1", "J5", "J6", "J7", "J8", "J5"]
    for _, _, x, y in points:
        assert len(x.split(".")[0]) == 7 and len(y.split(".")[0]) == 8 and y.startswith("36")
        assert len(x.split(".")[1]) == 4
    # stated area: (100 - 0.1235) * 100 + wedge ... recomputed from the written points
    xy = [np.array([(float(p[3]), float(p[2])) for p in r]) for r in (ring1, ring2)]
    area = abs(dt.ring_signed_area(xy[0])) - abs(dt.ring_signed_area(xy[1]))
    hand = 100 * 100 - 0.5 * 0.1235 * 100 - 400       # trapezoid cut by the moved corner
    assert area == pytest.approx(hand, abs=1e-6)
    assert float(head[1]) == pytest.approx(round(hand / 10000, 4), abs=1e-12)


def test_outer_ring_clockwise_from_north_west_and_holes_counter_clockwise():
    poly = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 8)], [[(2, 2), (2, 4), (4, 4), (4, 2)]])
    p = dt.parcel_from_polygon(shapely.affinity.translate(poly, 36440000, 2927000), decimals=2)
    outer, hole = p.rings
    assert dt.ring_signed_area(outer.xy) < 0            # clockwise (x east, y north)
    assert dt.ring_signed_area(hole.xy) > 0             # counter-clockwise
    # J1 is the vertex nearest the north-west corner (0, 10) of the bounding box: (0, 8)
    assert (outer.points[0][2], outer.points[0][1]) == (36440000.0, 2927008.0)
    # clockwise: the next point is towards the north-east corner
    assert (outer.points[1][2], outer.points[1][1]) == (36440010.0, 2927010.0)
    assert hole.number == 2 and hole.points[0][0] == "J5" and hole.points[-1][0] == "J5"


def test_round_trip_multipart_with_holes_vertex_for_vertex(tmp_path):
    rng = np.random.default_rng(3)
    blob = shapely.Point(36440500, 2927500).buffer(300, 32)
    jitter = shapely.Polygon(np.asarray(blob.exterior.coords) + rng.normal(0, 3, (len(blob.exterior.coords), 2)) * [1, 1])
    jitter = shapely.Polygon(jitter.exterior.coords[:-1] + [jitter.exterior.coords[0]])
    with_holes = jitter.difference(shapely.box(36440450, 2927450, 36440480, 2927490)).difference(
        shapely.Point(36440600, 2927600).buffer(20, 8))
    geom = shapely.MultiPolygon([with_holes, shapely.box(36442000, 2929000, 36442123.45678, 2929050)])
    parcels = dt.parcels_from_geometry(geom, code="QN", name="往返")
    for enc in ("GBK", "UTF-8"):
        path = tmp_path / f"rt_{enc}.txt"
        dt.write_txt(path, _header(), parcels, enc)
        back = dt.read_txt(path, strict=True)
        assert not back.issues
        assert [p.code for p in back.parcels] == ["QN-1", "QN-2"]
        for wrote, read in zip(parcels, back.parcels):
            assert read.area_ha == pytest.approx(wrote.area_ha, abs=1e-12)
            assert read.polygon().equals_exact(wrote.polygon(), 1e-9)
            assert read.area_m2() == pytest.approx(read.area_ha * 1e4, abs=0.5)
        # within the written precision of the source geometry
        total = shapely.union_all([p.polygon() for p in back.parcels])
        assert shapely.hausdorff_distance(total, geom) < 0.0001
        assert total.area == pytest.approx(geom.area, abs=0.01)
        assert len(back.parcels[1].rings) == 3         # outer + two holes (QN-1 is the box, north)


def test_text_gbk_cannot_write_is_an_error(tmp_path):
    parcels = dt.parcels_from_geometry(BLOCK2, code="X", name="€uro")
    with pytest.raises(UnicodeEncodeError):
        dt.write_txt(tmp_path / "e.txt", _header(), parcels, "GBK")


# ---------------------------------------------------------------- reading variants

def _assert_blocks(result):
    assert [p.code for p in result.parcels] == ["1", "2"]
    a, b = result.parcels
    assert a.polygon().area == pytest.approx(9600.0)
    assert a.polygon().equals(BLOCK1)
    assert b.polygon().equals(BLOCK2)
    assert a.area_ha == pytest.approx(0.96) and b.area_ha == pytest.approx(1.0)
    assert result.zone.zone == 36 and result.zone.prefixed and result.zone.epsg == 4524


@pytest.mark.parametrize("name, encoding", [
    ("gbk_standard.txt", "GBK"),
    ("utf8_bom_hectare_suffix.txt", "UTF-8-BOM"),
    ("utf8_continuous_numbers_project_section.txt", "UTF-8"),
    ("utf16_thirteen_fields.txt", "UTF-16"),
    ("gbk_swapped_xy.txt", "GBK"),
    ("gbk_hand_edited.txt", "GBK"),
])
def test_reads_every_variant(name, encoding):
    result = dt.read_txt(DATA / name, strict=True)
    assert result.encoding == encoding
    _assert_blocks(result)
    assert result.header.unit == "黔南州自然资源局"
    assert result.header.date == "2025-06-15"


def test_variant_details_are_kept():
    sections = dt.read_txt(DATA / "utf8_continuous_numbers_project_section.txt")
    assert sections.header.sections["项目信息"]["项目编号"] == "QN2025-009"
    assert sections.parcels[1].rings[0].points[0][0] == "J9"     # numbering did not restart
    thirteen = dt.read_txt(DATA / "utf16_thirteen_fields.txt")
    assert thirteen.parcels[0].dlbm == "0103"
    assert thirteen.parcels[0].extra == {"tblx": "整治图斑", "dl": "旱地", "grade_before": "10",
                                         "grade_after": "9", "remark": "无"}
    swapped = dt.read_txt(DATA / "gbk_swapped_xy.txt")
    assert swapped.swapped_xy and any("swapped" in i.text() for i in swapped.warnings)
    assert any("X、Y列互换" in i.message for i in swapped.warnings)     # the Chinese wording


def test_hand_edited_file_warns_only_where_it_leaves_the_format():
    """gbk_hand_edited.txt: a [项目信息] section, LF and CRLF mixed, blank lines, spaces and
    tabs around fields, a 公顷 suffix, continuous point numbers, full-width commas on line
    20, a spreadsheet's empty fields on line 32, trailing blanks and a Ctrl-Z at the end."""
    result = dt.read_txt(DATA / "gbk_hand_edited.txt", strict=True)
    assert [(i.line, i.code, i.level) for i in result.issues] == [
        (20, "FULLWIDTH", "warning"), (32, "TRAILING_FIELDS", "warning")]
    assert result.header.sections == {"项目信息": {"项目名称": "示范项目（手工编辑）"}}
    assert [p.status for p in result.parcels] == [dt.STATUS_OK, dt.STATUS_OK]
    assert result.parcels[1].rings[0].points[0][0] == "J9"
    assert [p.line for p in result.parcels] == [17, 29]


def test_malformed_lines_are_reported_by_number():
    result = dt.read_txt(DATA / "gbk_malformed.txt")
    by_line = {}
    for issue in result.issues:
        by_line.setdefault(issue.line, []).append(issue)
    # .text() is the English log text, .message the Chinese of documents (core.messages)
    assert by_line[15][0].level == "error" and "X" in by_line[15][0].text()
    assert by_line[25][0].level == "error" and "4 fields" in by_line[25][0].text()
    assert any("界址点数 says 7" in i.text() for i in by_line[24])
    assert any("not closed" in i.text() for i in by_line[26])
    # block 1 lost its J2 (bad line): the stated area no longer matches
    assert any("stated area" in i.text() for i in by_line[13])
    assert by_line[15][0].message == "X不是数字：J2,1,29x7100.0000,36440100.0000"
    assert any(i.message == "界址点数为7，实有界址点行4行" for i in by_line[24])
    with pytest.raises(dt.TxtFormatError) as err:
        dt.read_txt(DATA / "gbk_malformed.txt", strict=True)
    assert "line 15" in str(err.value)


def test_decode_utf16_without_bom_and_fullwidth_commas():
    text = (DATA / "gbk_standard.txt").read_bytes().decode("gbk").replace(",", "，", 3)
    got, enc = dt.decode(text.encode("utf-16-le"))
    assert enc == "UTF-16"
    _assert_blocks(dt.parse_txt(got))


def test_island_inside_a_hole_is_a_separate_shell():
    outer = shapely.box(0, 0, 100, 100).exterior.coords
    hole = shapely.box(20, 20, 80, 80).exterior.coords
    island = shapely.box(40, 40, 60, 60).exterior.coords
    poly = dt.rings_to_polygon([island, hole, outer])
    assert poly.geom_type == "MultiPolygon"
    assert poly.area == pytest.approx(100 * 100 - 60 * 60 + 20 * 20)


def _cells(nx, ny, cell=10.0):
    """A shell around nx × ny cells, each with a 6 m hole holding a 2 m island: 2·nx·ny + 1
    rings, given shuffled, half of them reversed."""
    rng = np.random.default_rng(5)
    rings = [np.asarray(shapely.box(0, 0, nx * cell, ny * cell).exterior.coords)]
    for i in range(nx):
        for j in range(ny):
            x, y = i * cell, j * cell
            rings.append(np.asarray(shapely.box(x + 2, y + 2, x + 8, y + 8).exterior.coords))
            rings.append(np.asarray(shapely.box(x + 4, y + 4, x + 6, y + 6).exterior.coords))
    rings = [r[::-1] if rng.random() < 0.5 else r for r in rings]
    return [rings[k] for k in rng.permutation(len(rings))]


def test_forty_thousand_rings_nest_through_the_index():
    """Issue 14: ring nesting was all-pairs (3,600 rings 5 s, 40,000 a hang); holes and
    islands in holes of 40,001 rings in any order: the shell gets every hole, each
    island is its own part (timing: tools/bench/bench_declaration_txt.py)."""
    nx, ny = 200, 100
    poly = dt.rings_to_polygon(_cells(nx, ny))
    assert poly.geom_type == "MultiPolygon" and len(poly.geoms) == 1 + nx * ny
    shell = max(poly.geoms, key=lambda p: p.area)
    assert len(shell.interiors) == nx * ny
    assert sum(len(p.interiors) for p in poly.geoms) == nx * ny
    assert poly.area == pytest.approx(2000 * 1000 - nx * ny * 36 + nx * ny * 4)
    assert poly.is_valid


def test_ring_nesting_asks_cancel_and_stops():
    from qn_landconsol_plugin.core.ring_nesting import Canceled

    asked = []
    with pytest.raises(Canceled):
        dt.rings_to_polygon(_cells(50, 50), cancel=lambda: asked.append(1) or True)
    assert asked == [1]


def test_one_canceled_exception_for_ring_nesting_and_contiguity_without_scipy():
    """core.cancel.Canceled is what ring nesting and farmland blocks raise: one except
    clause catches both, and ring nesting (the TXT importer) loads no scipy."""
    import subprocess
    import sys

    from qn_landconsol_plugin.core import cancel, contiguity, ring_nesting

    assert ring_nesting.Canceled is contiguity.Canceled is dt.Canceled is cancel.Canceled
    code = ("import sys; from qn_landconsol_plugin.core import ring_nesting, declaration_txt; "
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- map sheets, areas

def test_sheet_number_10000_by_hand():
    # 107.5E 26.3N: 1:1M sheet G48 (24-28N, 102-108E); row 96 - floor(2.3 / (2.5/60)) = 41;
    # column floor(5.5 / (3.75/60)) + 1 = 89
    assert dt.sheet_number_10000(107.5, 26.3) == "G48G041089"
    assert dt.sheet_number_10000(102.0001, 27.9999) == "G48G001001"


def test_ellipsoidal_area_of_a_lat_lon_cell_equals_the_surface_integral():
    a, f = 6378137.0, 1 / 298.257222101
    e2 = f * (2 - f)

    def dA(phi):  # M * N * cos(phi)
        w = 1 - e2 * math.sin(phi) ** 2
        return a * (1 - e2) / w ** 1.5 * a / math.sqrt(w) * math.cos(phi)

    exact = integrate.quad(dA, math.radians(26), math.radians(26.01))[0] * math.radians(0.01)
    cell = shapely.box(107.0, 26.0, 107.01, 26.01)
    assert areas.ellipsoidal_area([cell], 4490, max_segment=0)[0] == pytest.approx(exact, rel=1e-9)


def test_ellipsoidal_area_agrees_with_an_equal_area_projection():
    # independent: planar area in a Lambert azimuthal equal-area projection on GRS80
    from osgeo import osr

    polys = [shapely.Point(36440000 + 3000 * i, 2927000 + 2000 * i).buffer(150 + 40 * i, 16)
             for i in range(5)]
    polys[2] = polys[2].difference(shapely.Point(36446000, 2931000).buffer(50))
    src = osr.SpatialReference()
    src.ImportFromEPSG(4524)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    laea = osr.SpatialReference()
    laea.ImportFromProj4("+proj=laea +lat_0=26.45 +lon_0=107.4 +ellps=GRS80 +units=m +no_defs")
    laea.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, laea)
    dense = shapely.segmentize(np.asarray(polys, dtype=object), 5.0)
    ref = shapely.area(shapely.transform(dense, lambda xy: np.asarray(ct.TransformPoints(xy))[:, :2]))
    got = areas.ellipsoidal_area(polys, 4524)
    np.testing.assert_allclose(got, ref, rtol=1e-7)
    # and differs from the planar area by the GK scale factor (≈ -1.6e-3 here, 85 km west of CM)
    planar = shapely.area(np.asarray(polys, dtype=object))
    assert np.all(got < planar)


# ---------------------------------------------------------------- project boundary

def test_dissolve_closes_gaps_narrower_than_the_tolerance_only():
    a = shapely.box(0, 0, 10, 10)
    b = shapely.box(10.05, 0, 20, 10)          # 5 cm gap
    c = shapely.box(20.5, 0, 30, 10)           # 50 cm gap
    boundary = pb.dissolve([a, b, c], gap_tolerance=0.1)
    parts = sorted(boundary.parts, key=lambda p: p.bounds[0])
    assert len(parts) == 2
    assert parts[0].area == pytest.approx(200.0)           # 0.05 x 10 gap filled
    assert boundary.gap_area == pytest.approx(0.5)
    assert pb.dissolve([a, b, c], gap_tolerance=0.0).geometry.area == pytest.approx(10 * 10 + 9.95 * 10 + 9.5 * 10)


def test_small_holes_filled_large_holes_kept():
    ring = shapely.box(0, 0, 100, 100).difference(shapely.box(10, 10, 10.5, 10.5)).difference(
        shapely.box(50, 50, 70, 70))
    boundary = pb.dissolve([ring], gap_tolerance=0.1, min_hole_area=1.0)
    assert boundary.n_holes == 1 and boundary.filled_holes == 1
    assert boundary.filled_hole_area == pytest.approx(0.25)
    assert boundary.geometry.area == pytest.approx(10000 - 400)


def test_checks_errors_and_warnings():
    a, b = shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)
    far = shapely.box(100, 0, 110, 10)
    ok = pb.check_project("P", [a, b, far], [True, False, True], gap_tolerance=0.1)
    codes = {i.code: i.level for i in ok}
    assert codes == {"INVALID": pb.WARNING, "MULTIPART": pb.WARNING}
    # a parcel of another project overlapping this one: 5 m² > 1 m² -> error
    other = {"Q": [shapely.box(19.5, 0, 25, 10)]}
    issues = pb.check_project("P", [a, b], other_projects=other)
    hit = [i for i in issues if i.code == "OVERLAP_PROJECT"][0]
    assert hit.level == pb.ERROR and hit.area_m2 == pytest.approx(5.0)
    # overlapping own parcels -> error, and the area no longer matches their sum
    dup = pb.check_project("P", [a, shapely.box(5, 0, 15, 10)])
    assert {"SELF_OVERLAP", "AREA_MISMATCH"} <= {i.code for i in dup if i.level == pb.ERROR}
    assert pb.check_project("P", [])[0].code == "EMPTY"


def test_zone_span_warning():
    assert pb.zone_issue("P", 107.0, 107.3, 36) is None
    issue = pb.zone_issue("P", 106.45, 106.6, 36)
    assert issue.level == pb.WARNING and "35、36" in issue.message


# ---------------------------------------------------------------- statistics

def test_land_class_areas_split_terrace_and_weight_by_share():
    table = stats.land_class_areas(["0103", "0103", "0301", "0702"],
                                   [1000.0, 500.0, 2000.0, 300.0],
                                   [100.0, 0.0, 0.0, None], [1.0, 0.5, 1.0, 1.0])
    got = dict(zip(table["DLBM"], table["MJ"]))
    assert got["0103"] == pytest.approx(900 + 250)
    assert got["1203"] == pytest.approx(100)
    assert got["0301"] == pytest.approx(2000) and got["0702"] == pytest.approx(300)
    total = table.iloc[-1]
    assert total["DLMC"] == "合计" and total["MJ"] == pytest.approx(3550)
    assert total["MJ_MU"] == pytest.approx(3550 * 15 / 10000)
    assert table.loc[table["DLBM"] == "0301", "BL"].iloc[0] == pytest.approx(100 * 2000 / 3550)


def test_a_neighbours_sliver_is_no_land_of_the_project_in_any_table():
    """A road 0.2 mm over the boundary (0.01 m² inside, its size depends on the GEOS
    version) counts in no table, neither as a parcel nor by area; a parcel cut in half
    counts with half its area; a tiny parcel inside counts whole."""
    from qn_landconsol_plugin.core import official_tables as ot
    from qn_landconsol_plugin.core.rules import Rules

    boundary = shapely.box(0, 0, 100, 100)
    geoms = [shapely.box(0, 0, 100, 50),            # dry land, inside
             shapely.box(0, 50, 90, 100),           # homestead, inside
             shapely.box(90, 50, 110, 100),         # homestead, half inside
             shapely.box(99.9998, 0, 130, 50),      # road: a 0.0002 m x 50 m sliver inside
             shapely.box(10, 10, 10.5, 10.5)]       # 0.25 m² of dry land, inside
    frame = pd.DataFrame({"DLBM": ["0103", "0702", "0702", "1003", "0103"],
                          "TBMJ": [5000.0, 4500.0, 1000.0, 1500.01, 0.25]})
    rules = Rules()
    assert pb.share_inside(geoms, boundary, rules.overlap_min_area_m2).tolist() == \
        pytest.approx([1.0, 1.0, 0.5, 0.0, 1.0])
    assert pb.share_inside(geoms, boundary)[3] == pytest.approx(0.01 / 1500.01)  # no threshold
    rows, share = pb.parcels_inside(geoms, boundary, rules.overlap_min_area_m2)
    assert rows.tolist() == [0, 1, 2, 4]
    inside = frame.iloc[rows].reset_index(drop=True)
    land = stats.land_class_areas(inside["DLBM"], inside["TBMJ"], None, share)
    got = dict(zip(land["DLBM"], land["MJ"]))
    assert "1003" not in got
    assert got["0103"] == pytest.approx(5000.25) and got["0702"] == pytest.approx(5000.0)
    assert land.iloc[-1]["MJ"] == pytest.approx(10000.25)
    outcome = stats.project_outcome(inside, share=share, rules=rules)
    change = ot.construction_change(outcome, rules)
    before = change[change["KIND"] == "before"].iloc[0]
    assert before["PARCELS"] == 2 and before["AREA"] == pytest.approx(4500.0 + 500.0)
    structure = ot.structure_table(outcome)
    assert "1003" not in set(structure["CODE"])
    assert structure.iloc[-1]["BEFORE"] == pytest.approx(10000.25)


def test_new_farmland_share_against_the_five_percent_rule(tmp_path):
    frame = pd.DataFrame({"ZZLX": ["NYD", "JSYD"], "ZZZLX": ["NYD03", "JSYD01"],
                          "TBMJ": [1000.0, 200.0], "DLBM": ["0404", "0702"]})
    table = stats.new_farmland_summary(frame, farmland_m2=10000.0)
    total = table.loc[table["XM"] == "新增耕地合计", "MJ"].iloc[0]
    # TBMJ × (1 − KCXS) with the slope unknown: the largest 梯田 coefficient of grades 2-4,
    # 0.129 (issue 15 item 4; was × 0.85 and × 0.90)
    assert total == pytest.approx((1000 + 200) * (1 - 0.129))
    assert "10.45%" in table.iloc[-1]["SM"] and "满足" in table.iloc[-1]["SM"]
    path = tmp_path / "s.xlsx"
    declaration_report.write_tables(path, "T", [("新增耕地", "新增耕地统计表", table, stats.NEW_FARMLAND_COLUMNS)])
    from openpyxl import load_workbook

    ws = load_workbook(path)["新增耕地"]
    assert ws["A2"].value == "项目" and ws.cell(row=3 + 2, column=2).value == pytest.approx(total)
