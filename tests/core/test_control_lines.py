"""core.control_lines: exact overlap areas (hand-computed), the judging table, the report."""
import base64
import re

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from qn_landconsol_plugin.core import control_lines as cl
from qn_landconsol_plugin.core import control_lines_report as clr
from qn_landconsol_plugin.core.reports import html as rh
from qn_landconsol_plugin.core.rules import Rules

# two overlapping squares: their union is [0,150] x [0,100]; a square ring; a bow-tie
ZONES = [box(0, 0, 100, 100), box(50, 0, 150, 100),
         Polygon(box(300, 0, 400, 100).exterior.coords, [box(330, 30, 370, 70).exterior.coords]),
         Polygon([(500, 0), (600, 100), (600, 0), (500, 100)])]

CASES = {  # name: (parcel, hand-computed m² inside the union of ZONES)
    "fully inside": (box(10, 10, 20, 20), 100.0),
    "fully outside": (box(200, 200, 210, 210), 0.0),
    "touching along an edge": (box(150, 0, 160, 10), 0.0),
    "touching at a corner": (box(150, 100, 160, 110), 0.0),
    "crossing the boundary": (box(90, 90, 110, 110), 200.0),
    "where two zone polygons overlap": (box(60, 10, 70, 20), 100.0),
    "multipart": (MultiPolygon([box(10, 30, 20, 40), box(140, 30, 160, 40)]), 200.0),
    "parcel with a hole": (box(-20, -20, 40, 40).difference(box(10, 10, 20, 20)), 1500.0),
    "zone with a hole": (box(320, 20, 380, 80), 2000.0),
    "parcel inside the zone's hole": (box(340, 40, 360, 60), 0.0),
    "self-intersecting zone (bow-tie)": (box(500, 0, 600, 100), 5000.0),
    "equal to the zone": (box(0, 0, 150, 100), 15000.0),
}


def test_overlap_areas_match_hand_computed_cases():
    parcels = [p for p, _ in CASES.values()]
    expected = np.array([a for _, a in CASES.values()])
    got = cl.overlap_areas(parcels, ZONES)
    for name, g, e in zip(CASES, got, expected):
        assert g == pytest.approx(e, abs=1e-9), name


def test_tiles_cover_the_zone_exactly_and_small_tiles_give_the_same_areas():
    rng = np.random.default_rng(3)
    t = np.linspace(0, 2 * np.pi, 4000, endpoint=False)
    r = 1000 * (1 + 0.3 * np.sin(7 * t)) + rng.normal(0, 5, len(t))
    wiggly = Polygon(np.c_[r * np.cos(t), r * np.sin(t)]).buffer(0)
    zone = cl.ZoneIndex([wiggly], tile_vertices=64)
    assert len(zone.tiles) > 50
    assert shapely.area(zone.tiles).sum() == pytest.approx(wiggly.area, rel=1e-12)
    assert shapely.get_num_coordinates(zone.tiles).max() <= 64
    xs, ys = np.meshgrid(np.arange(-1400, 1400, 37.0), np.arange(-1400, 1400, 41.0))
    parcels = shapely.box(xs.ravel(), ys.ravel(), xs.ravel() + 35, ys.ravel() + 39)
    direct = shapely.area(shapely.intersection(parcels, wiggly))
    tiled = zone.overlap(parcels)
    np.testing.assert_allclose(tiled, direct, atol=1e-6, rtol=1e-9)
    assert (direct > 0).sum() > 1000 and ((direct > 0) & (direct < 35 * 39 - 1e-6)).sum() > 100


def test_overlap_pieces_are_the_intersections():
    parcels = [p for p, _ in CASES.values()]
    zone = cl.ZoneIndex(ZONES, tile_vertices=8)
    areas, pieces = zone.overlap(parcels, pieces=True)
    for (name, (parcel, expected)), a, piece in zip(CASES.items(), areas, pieces):
        if expected == 0:
            assert piece is None, name
        else:
            assert piece.area == pytest.approx(expected), name
            assert piece.difference(parcel).area < 1e-9, name
            assert shapely.get_num_geometries(piece) == shapely.get_num_geometries(
                parcel.intersection(zone.union)), name   # tiles dissolved again


def test_invalid_and_missing_parcels_and_empty_zones():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # two triangles of 25 m²
    got = cl.overlap_areas([bowtie, None, Polygon()], [box(-5, -5, 20, 20)])
    np.testing.assert_allclose(got, [50.0, 0.0, 0.0])
    assert cl.overlap_areas([box(0, 0, 1, 1)], []).tolist() == [0.0]
    assert cl.overlap_areas([box(0, 0, 1, 1)], [None, Polygon()]).tolist() == [0.0]
    assert cl.ZoneIndex([]).empty and cl.ZoneIndex([Polygon()]).empty
    # ZoneIndex.overlap on an unrepaired invalid parcel still answers (repairs on the way)
    assert cl.ZoneIndex([box(-5, -5, 20, 20)]).overlap([bowtie])[0] == pytest.approx(50.0)
    res = cl.check([bowtie], ["0103"], zones={"HX": cl.ZoneIndex([box(-5, -5, 20, 20)])}).result
    assert (res["HX_MJ"][0], res["HX_BL"][0]) == (pytest.approx(50.0), pytest.approx(100.0))
    # duplicate vertices and a spike: repaired, the area of the real ring is kept
    dup = Polygon([(0, 0), (0, 0), (10, 0), (10, 10), (10, 10), (0, 10), (0, 0)])
    assert cl.overlap_areas([box(5, 5, 15, 15)], [dup])[0] == pytest.approx(25.0)
    zone = cl.ZoneIndex([Polygon([(0, 0), (10, 0), (10, 10), (0, 10), (0, 20), (0, 0)])])
    assert zone.repaired == 1


def test_share_is_percent_of_parcel_area():
    parcels = [box(0, 0, 10, 10), Polygon()]
    np.testing.assert_allclose(cl.overlap_share([25.0, 0.0], parcels), [25.0, 0.0])


def _judge(dlbm, zzlx=None, zzzlx=None, hx=None, jbnt=None, kfbj=None, **kw):
    return cl.judge(dlbm, zzlx, zzzlx, hx, jbnt, kfbj, **kw)


def test_red_line_levels_follow_the_rule_table():
    dlbm = ["0301", "0702", "1206", "0103", "0103", "0301", "0702", "0103"]
    zzlx = ["STXF", "JSYD", "NYD", "", None, "", "", "CYRH"]
    zzzlx = ["STXF02", "JSYD01", "NYD03", "", None, "", "", ""]
    hx = [100.0] * 8
    levels, reasons = _judge(dlbm, zzlx, zzzlx, hx)
    assert levels.tolist() == [0, 2, 2, 1, 1, 0, 1, 2]
    assert reasons[0] == "生态保护修复位于生态保护红线内（允许）"
    assert reasons[1] == "建设用地整理（复垦为耕地）位于生态保护红线内"
    assert reasons[2] == "宜耕后备资源开发位于生态保护红线内"
    assert reasons[3] == reasons[4] == "现状耕地位于生态保护红线内（有序退出）"
    assert reasons[5] == ""                       # untagged forest: nothing to say
    assert reasons[6] == "现状建设用地位于生态保护红线内（核实）"
    assert reasons[7] == "产业融合（新增建设）位于生态保护红线内"


def test_task_labels_and_subtype_only_values_are_understood():
    levels, reasons = _judge(["1206", "0702"], [None, None], ["宜耕后备资源开发", "JSYD01"], [50.0, 50.0])
    assert levels.tolist() == [2, 2]
    assert reasons == ["宜耕后备资源开发位于生态保护红线内", "建设用地整理（复垦为耕地）位于生态保护红线内"]


def test_pbf_and_udb_need_attention_and_levels_take_the_highest_line():
    dlbm = ["0103", "0702", "0103", "0702"]
    zzlx = ["", "", "NYD", "JSYD"]
    jbnt = [500.0, 40.0, 500.0, 0.0]
    kfbj = [0.0, 0.0, 0.0, 30.0]
    hx = [0.0, 0.0, 0.0, 30.0]
    levels, reasons = _judge(dlbm, zzlx, None, hx, jbnt, kfbj)
    assert levels.tolist() == [0, 1, 1, 2]
    assert reasons[0] == ""                      # farmland in PBF, no work: the normal case
    assert reasons[1] == "永久基本农田内现状非耕地（永久基本农田调整）"
    assert reasons[2] == "农用地整理涉及永久基本农田（数量不减、质量不降）"
    assert reasons[3] == "建设用地整理（复垦为耕地）位于生态保护红线内；项目区涉及城镇开发边界"


def test_without_task_fields_every_parcel_is_a_project_parcel():
    # no task columns: the UDB concerns every parcel; with an empty task column only tagged ones
    levels, reasons = _judge(["0301"], None, None, [0.0], [0.0], [10.0])
    assert levels.tolist() == [1] and reasons == ["项目区涉及城镇开发边界"]
    levels, reasons = _judge(["0301"], [""], None, [0.0], [0.0], [10.0])
    assert levels.tolist() == [0] and reasons == [""]


def test_overlaps_below_min_area_are_slivers_not_conflicts():
    frame = cl.findings(["0702", "0702"], ["JSYD", "JSYD"], None, {"HX": [0.4, 1.0]}, Rules())
    levels, reasons, sliver = cl.summarize(frame, 2)
    assert levels.tolist() == [0, 2] and sliver.tolist() == [1, 0] and reasons[0] == ""
    levels, _ = _judge(["0702"], ["JSYD"], None, [3.0], min_area=5.0)
    assert levels.tolist() == [0]


def test_rules_are_data_a_county_may_change():
    rules = Rules.from_json('{"red_line_rules": [["JSYD", 1, "复垦需论证"]], '
                            '"udb_rules": [["PROJECT", 2, "城镇开发边界内不得立项"]]}')
    assert Rules.from_json(rules.to_json()) == rules
    assert Rules.from_json(Rules().to_json()).pbf_rules == Rules().pbf_rules
    levels, reasons = _judge(["0702", "0301"], ["JSYD", "CYRH"], None, [9.0, 0.0], None, [0.0, 9.0],
                             rules=rules)
    assert levels.tolist() == [1, 2] and reasons == ["复垦需论证", "城镇开发边界内不得立项"]


def test_check_gives_output_columns():
    parcels = [box(0, 0, 10, 10), box(100, 100, 110, 110)]
    res = cl.check(parcels, ["0103", "0301"], None, None,
                   {"HX": cl.ZoneIndex([box(5, 0, 20, 10)]), "JBNT": None, "KFBJ": None})
    r = res.result
    assert [c.name for c in cl.OUTPUT_FIELDS] == list(r.columns)
    assert r["HX_MJ"].tolist() == [50.0, 0.0] and r["HX_BL"].tolist() == [50.0, 0.0]
    assert r["JBNT_MJ"].tolist() == [0.0, 0.0] and r["CT_DJ"].tolist() == [1, 0]
    assert all(len(c.name) <= 10 for c in cl.OUTPUT_FIELDS + cl.OVERLAP_FIELDS)


def test_report_counts_villages_and_embeds_a_png_map():
    parcels = np.array([box(0, 0, 10, 10), box(10, 0, 20, 10), box(20, 0, 30, 10), box(40, 0, 50, 10)])
    table = pd.DataFrame({"DLBM": ["0702", "0103", "0301", "0301"],
                          "ZLDWDM": ["5227010010010000000", "5227010010010000000",
                                     "5227010010020000000", "5227010010020000000"],
                          "ZLDWMC": ["甲村", "甲村", "乙村", "乙村"],
                          "BSM": ["A1", "A2", "A3", "A4"], "ZZLX": ["JSYD", "", "STXF", ""]})
    zones = {"HX": cl.ZoneIndex([box(0, 0, 35, 10)]), "JBNT": None, "KFBJ": cl.ZoneIndex([])}
    res = cl.check(parcels, table["DLBM"], table["ZZLX"], None, zones)
    assert res.result["CT_DJ"].tolist() == [2, 1, 0, 0]
    page = clr.build_report(table, res.result, res.found, parcels, zones, {"layer": "dltb"})
    assert "三区三线冲突检查报告" in page and "甲村" in page
    assert "建设用地整理（复垦为耕地）位于生态保护红线内" in page
    # by level: one conflict parcel of 100 m² = 0.15 亩
    assert re.search(r"<td class=\"num lv2\">2</td><td>冲突</td><td class=\"num\">1</td>"
                     r"<td class=\"num\">0.15</td>", page)
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    assert "http" not in page.split("<body>")[1]     # nothing fetched from the network


def test_cjk_font_is_found_for_maps():
    pytest.importorskip("matplotlib")
    assert rh.cjk_font() is not None


def test_html_table_escapes_and_formats():
    html = rh.table(pd.DataFrame({"名称": ["<b>"], "面积": [1234.5678], "数": [3]}), decimals=1)
    assert "&lt;b&gt;" in html and "1,234.6" in html and ">3<" in html


def test_farm_roads_and_ridges_in_pbf_need_no_adjustment_but_forest_does():
    levels, reasons = _judge(["1006", "1203", "0301K", "0702"], ["", "", "", ""], None,
                             [0.0] * 4, [80.0] * 4)
    assert levels.tolist() == [0, 0, 1, 1]
    assert reasons[:2] == ["", ""] and reasons[2] == reasons[3] == "永久基本农田内现状非耕地（永久基本农田调整）"


def test_control_line_refinements_of_issue_15():
    # red line: 危房 repair is attention, reclaiming to farmland a conflict, restoration allowed
    levels, _ = _judge(["0702", "0702", "0301"], ["JSYD", "JSYD", "STXF"],
                       ["JSYD05", "JSYD01", "STXF01"], [50.0, 50.0, 50.0])
    assert levels.tolist() == [1, 2, 0]
    # PBF: 高标准农田 is what PBF is for (no flag); any new construction is a conflict;
    # 林耕置换 out of PBF farmland is a conflict unless the parcel is adjusted out; the
    # swap's forest coming down onto PBF is attention
    dlbm = ["0103", "0103", "0103", "0103", "0301"]
    zzlx = ["NYD", "CYRH", "NYD", "NYD", "NYD"]
    zzzlx = ["NYD01", "CYRH01", "NYD04", "NYD04", "NYD04"]
    pbf = [40.0] * 5
    levels, reasons = _judge(dlbm, zzlx, zzzlx, None, pbf,
                             adjusted_out=[False, False, False, True, False])
    assert levels.tolist() == [0, 2, 2, 1, 1]
    assert "须先依法调整出永久基本农田" in reasons[2] and "已依法调整出" in reasons[3]


def test_every_control_line_rule_names_its_policy_source():
    rules = Rules()
    for table in (rules.red_line_rules, rules.pbf_rules, rules.udb_rules):
        for what, level, reason, source in table:
            assert source, what
    assert any("自然资发〔2022〕142号" in r[3] for r in rules.red_line_rules)
    assert any("土地管理法" in r[3] for r in rules.pbf_rules)
    # a county's three-element rows still load (no source)
    old = Rules.from_json('{"pbf_rules": [["CYRH", 1, "产业融合需论证"]]}')
    assert old.pbf_rules == (("CYRH", 1, "产业融合需论证", ""),)
