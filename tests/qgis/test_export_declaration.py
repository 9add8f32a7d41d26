"""qnlandconsol:exportdeclaration and qnlandconsol:importdeclarationtxt with real QGIS:
the sample township's demo projects exported, re-imported and checked against
QGIS's own dissolve and ellipsoidal measure."""
import importlib.util
import os
import re
import stat
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsDistanceArea,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorLayer,
)

from qn_landconsol_plugin.core import declaration_txt as dt

from ..conftest import ROOT

DATA = ROOT / "tests" / "data" / "declaration_txt"
PROJECTS = ("QN2025-001", "QN2025-002")


def _tagger():
    spec = importlib.util.spec_from_file_location(
        "tag_demo_projects", ROOT / "tools" / "demo" / "tag_demo_projects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tagged(township, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("tagged") / "tagged.gpkg")
    counts = _tagger().tag(township["gpkg"], path)
    assert all(n > 0 for n in counts.values())
    return path


@pytest.fixture(scope="module")
def exported(provider, tagged, township, tmp_path_factory):
    import processing

    folder = str(tmp_path_factory.mktemp("declaration"))
    result = processing.run("qnlandconsol:exportdeclaration", {
        "INPUT": f"{tagged}|layername=dltb", "UNIT": "黔南州自然资源局", "DATE": "2025-06-15",
        "RED_LINE": f"{township['gpkg']}|layername=stbhhx", "OUTPUT_FOLDER": folder})
    return folder, result


def _project_parcels(tagged, project):
    layer = QgsVectorLayer(f"{tagged}|layername=dltb", "dltb", "ogr")
    layer.setSubsetString(f"\"XMBH\" = '{project}'")
    return layer


def _lines(path):
    return Path(path).read_bytes().decode("gbk").split("\r\n")[:-1]


def test_exports_every_project_with_all_files(exported):
    folder, result = exported
    assert result["EXPORTED"] == 2 and result["FAILED"] == 0
    for project in PROJECTS:
        for suffix in ("_范围.txt", ".gpkg", "_项目区范围图.pdf", "_项目区范围图.png", "_地类统计表.xlsx"):
            assert os.path.getsize(os.path.join(folder, project + suffix)) > 0


@pytest.mark.parametrize("project", PROJECTS)
def test_txt_is_a_valid_declaration_file(exported, project):
    folder, _ = exported
    lines = _lines(os.path.join(folder, f"{project}_范围.txt"))
    assert lines[0] == "[属性描述]" and "带号=36" in lines and "数据产生单位=黔南州自然资源局" in lines
    assert not any(c in l for l in lines for c in "，＝［］＠：；（）")   # ASCII punctuation only
    blocks = []
    for line in lines[lines.index("[地块坐标]") + 1:]:
        fields = line.split(",")
        if fields[-1] == "@":
            blocks.append((fields, []))
        else:
            blocks[-1][1].append(fields)
    for head, points in blocks:
        assert int(head[0]) == len(points)                       # 界址点数
        rings = {}
        for name, ring, x, y in points:
            rings.setdefault(ring, []).append((name, float(x), float(y)))
            assert len(x.split(".")[0]) == 7 and 2_767_000 <= float(x) <= 3_043_000
            assert len(y.split(".")[0]) == 8 and 36_318_000 <= float(y) <= 36_530_000
        area = 0.0
        for ring, pts in rings.items():
            assert pts[0] == pts[-1]                             # closed, same point number
            xy = np.array([(p[2], p[1]) for p in pts])
            signed = dt.ring_signed_area(xy)
            assert (signed < 0) == (ring == "1")                 # outer clockwise, holes not
            area += signed
        # outer clockwise (negative), holes counter-clockwise (positive): area = -sum
        assert float(head[1]) == pytest.approx(-area / 1e4, abs=0.00005)


def test_hole_project_has_a_second_ring_and_multiblock_project_several_blocks(exported):
    folder, _ = exported
    holes = dt.read_txt(os.path.join(folder, "QN2025-002_范围.txt"), strict=True)
    assert len(holes.parcels) == 1 and len(holes.parcels[0].rings) == 2
    blocks = dt.read_txt(os.path.join(folder, "QN2025-001_范围.txt"), strict=True)
    assert len(blocks.parcels) >= 3
    assert [p.code for p in blocks.parcels] == [f"QN2025-001-{i + 1}" for i in range(len(blocks.parcels))]


@pytest.mark.parametrize("project", PROJECTS)
def test_boundary_equals_native_dissolve_and_round_trips(provider, exported, tagged, project):
    import processing

    folder, _ = exported
    # independent reference: QGIS's dissolve of the project's parcels, in the zone-36 CRS
    dissolved = processing.run("native:dissolve", {
        "INPUT": _project_parcels(tagged, project), "OUTPUT": "memory:"})["OUTPUT"]
    reproj = processing.run("native:reprojectlayer", {
        "INPUT": dissolved, "TARGET_CRS": "EPSG:4524", "OUTPUT": "memory:"})["OUTPUT"]
    reference = shapely.from_wkb(bytes(next(reproj.getFeatures()).geometry().asWkb()))
    # import the TXT with the import algorithm
    imported = processing.run("qnlandconsol:importdeclarationtxt", {
        "INPUT": os.path.join(folder, f"{project}_范围.txt"), "OUTPUT": "memory:"})["OUTPUT"]
    assert imported.crs().authid() == "EPSG:4524"
    feats = list(imported.getFeatures())
    back = shapely.union_all([shapely.from_wkb(bytes(f.geometry().asWkb())) for f in feats])
    assert shapely.hausdorff_distance(back, reference) < 0.001
    assert back.area == pytest.approx(reference.area, abs=0.05)
    # the TXT's stated areas equal the imported polygons' areas (4 decimals of 公顷)
    for f in feats:
        assert f["DKMJ"] == pytest.approx(f.geometry().area() / 1e4, abs=0.00005)
    # vertex for vertex equal to the GeoPackage boundary
    gpkg = QgsVectorLayer(os.path.join(folder, f"{project}.gpkg") + "|layername=xmfw", "b", "ogr")
    ours = {f["DKBH"]: shapely.from_wkb(bytes(f.geometry().asWkb())) for f in gpkg.getFeatures()}
    for f in feats:
        theirs = shapely.from_wkb(bytes(f.geometry().asWkb()))
        assert shapely.normalize(theirs).equals_exact(shapely.normalize(ours[f["DKBH"]]), 1e-6)


@pytest.mark.parametrize("project", PROJECTS)
def test_gpkg_areas_match_qgis_ellipsoidal_measure(exported, project):
    folder, _ = exported
    layer = QgsVectorLayer(os.path.join(folder, f"{project}.gpkg") + "|layername=xmfw", "b", "ogr")
    assert layer.crs().authid() == "EPSG:4524"
    da = QgsDistanceArea()
    da.setSourceCrs(layer.crs(), QgsCoordinateTransformContext())
    da.setEllipsoid("EPSG:7019")     # GRS 1980 = the CGCS2000 ellipsoid
    for f in layer.getFeatures():
        # stored with 2 decimals; GeographicLib's geodesic edges vs straight GK edges: < 1e-6
        assert f["TQMJ"] == pytest.approx(da.measureArea(f.geometry()), abs=0.006 + 1e-6 * f["TQMJ"])
        assert f["PMMJ"] == pytest.approx(f.geometry().area(), abs=0.006)
        assert f["MJ_MU"] == pytest.approx(f["TQMJ"] * 15 / 10000, abs=0.0001)
        assert f["TXT_GQ"] == pytest.approx(f["PMMJ"] / 1e4, abs=0.00005)
    from osgeo import ogr

    ds = ogr.Open(os.path.join(folder, f"{project}.gpkg"))
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    assert {"xmfw", "dltb", "dltj", "zzlxtj", "xzgdtj", "jcjg"} <= set(names)
    assert layer.fields().field("TQMJ").alias() == "椭球面积（平方米）"


def test_statistics_match_the_parcels(exported, tagged):
    """The hole project's boundary holds exactly its parcels: the land-class total is
    the sum of their TBMJ, 田坎 is the sum of their KCMJ."""
    from openpyxl import load_workbook

    folder, _ = exported
    layer = _project_parcels(tagged, "QN2025-002")
    tbmj = sum(f["TBMJ"] for f in layer.getFeatures())
    kcmj = sum((f["KCMJ"] or 0.0) for f in layer.getFeatures())
    ws = load_workbook(os.path.join(folder, "QN2025-002_地类统计表.xlsx"))["地类统计"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    total = [r for r in rows if r[1] == "合计"][0]
    assert total[4] == pytest.approx(tbmj, abs=0.05)
    terrace = [r for r in rows if r[0] == "1203"]
    assert (terrace[0][4] if terrace else 0.0) == pytest.approx(kcmj, abs=0.01)
    task = load_workbook(os.path.join(folder, "QN2025-002_地类统计表.xlsx"))["整治类型统计"]
    counts = [r for r in task.iter_rows(min_row=3, values_only=True) if r[2] == "合计"][0]
    assert counts[3] == layer.featureCount()


def test_pdf_renders_with_title_legend_and_chinese_glyphs(exported, tmp_path):
    folder, _ = exported
    pdf = os.path.join(folder, "QN2025-002_项目区范围图.pdf")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    # Noto CJK maps some glyphs to Kangxi radicals (⽰ for 示): NFKC folds them back
    text = unicodedata.normalize("NFKC", text)
    assert "黔南示范乡镇全域土地综合整治二期项目区范围图" in text   # real glyphs, not boxes
    for word in ("图例", "位置示意图", "制图单位：黔南州自然资源局", "制图日期：2025-06-15", "耕地"):
        assert unicodedata.normalize("NFKC", word) in text
    assert re.search(r"\b36\d{6}\b", text)      # grid annotations: zone-prefixed eastings
    assert re.search(r"\b29\d{5}\b", text)      # and 7-digit northings
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", pdf, str(tmp_path / "p")], check=True)
    from qgis.PyQt.QtGui import QImage

    image = QImage(str(tmp_path / "p.png"))
    assert image.width() > image.height() > 100            # A3 landscape
    # the map is drawn: many non-white pixels inside the main map frame
    sample = [image.pixelColor(x, y).lightness() for x in range(50, 300, 5) for y in range(60, 300, 5)]
    assert sum(v < 240 for v in sample) > len(sample) * 0.5


def test_layer_in_geographic_crs_is_transformed_to_zone_36(provider, tagged, tmp_path, exported):
    import processing

    geo = processing.run("native:reprojectlayer", {
        "INPUT": f"{tagged}|layername=dltb", "TARGET_CRS": "EPSG:4490",
        "OUTPUT": str(tmp_path / "geo.gpkg")})["OUTPUT"]
    out = tmp_path / "out"
    result = processing.run("qnlandconsol:exportdeclaration", {
        "INPUT": geo, "PROJECTS": "QN2025-002", "MAP": False, "OUTPUT_FOLDER": str(out)})
    assert result["EXPORTED"] == 1
    back = dt.read_txt(out / "QN2025-002_范围.txt", strict=True)
    ref = dt.read_txt(Path(exported[0]) / "QN2025-002_范围.txt", strict=True)
    assert back.header.zone == 36
    assert back.parcels[0].area_ha == pytest.approx(ref.parcels[0].area_ha, abs=0.0002)
    assert shapely.hausdorff_distance(back.parcels[0].polygon(), ref.parcels[0].polygon()) < 0.01
    gpkg = QgsVectorLayer(str(out / "QN2025-002.gpkg") + "|layername=jcjg", "j", "ogr")
    assert "CRS" in [f["LX"] for f in gpkg.getFeatures()]


def _memory_project(features, crs="EPSG:4490"):
    layer = QgsVectorLayer(f"Polygon?crs={crs}&field=XMBH:string&field=XMMC:string&field=DLBM:string"
                           "&field=ZZLX:string&field=ZZZLX:string", "t", "memory")
    feats = []
    for xmbh, wkt in features:
        f = QgsFeature(layer.fields())
        f.setAttributes([xmbh, "测试项目", "0103", "NYD", "NYD01"])
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_project_spanning_two_zones_is_written_in_its_centres_zone(provider, tmp_path):
    import processing

    # 106.46–106.60°E: crosses 106.5°E (zones 35 | 36); the centre 106.53 lies in zone 36
    layer = _memory_project([("SPAN", "POLYGON((106.46 26.0, 106.53 26.0, 106.53 26.01, 106.46 26.01, 106.46 26.0))"),
                             ("SPAN", "POLYGON((106.53 26.0, 106.60 26.0, 106.60 26.01, 106.53 26.01, 106.53 26.0))")])
    result = processing.run("qnlandconsol:exportdeclaration", {
        "INPUT": layer, "MAP": False, "OUTPUT_FOLDER": str(tmp_path)})
    assert result["EXPORTED"] == 1
    txt = dt.read_txt(tmp_path / "SPAN_范围.txt", strict=True)
    assert txt.header.zone == 36 and txt.zone.epsg == 4524
    checks = QgsVectorLayer(str(tmp_path / "SPAN.gpkg") + "|layername=jcjg", "j", "ogr")
    assert {"ZONE_SPAN", "CRS"} <= {f["LX"] for f in checks.getFeatures()}


def test_overlapping_projects_are_not_exported(provider, tmp_path):
    import processing

    layer = _memory_project([
        ("A", "POLYGON((36440000 2927000, 36440100 2927000, 36440100 2927100, 36440000 2927100, 36440000 2927000))"),
        ("B", "POLYGON((36440090 2927000, 36440200 2927000, 36440200 2927100, 36440090 2927100, 36440090 2927000))"),
        ("C", "POLYGON((36441000 2927000, 36441100 2927000, 36441100 2927100, 36441000 2927100, 36441000 2927000))"),
    ], crs="EPSG:4524")
    result = processing.run("qnlandconsol:exportdeclaration", {
        "INPUT": layer, "MAP": False, "OUTPUT_FOLDER": str(tmp_path)})
    assert result["EXPORTED"] == 1 and result["FAILED"] == 2
    assert (tmp_path / "C_范围.txt").exists() and not (tmp_path / "A_范围.txt").exists()
    c = dt.read_txt(tmp_path / "C_范围.txt", strict=True)
    assert c.parcels[0].area_ha == pytest.approx(1.0)          # 100 m x 100 m


def test_project_without_parcels_is_a_clear_error(provider, tagged, tmp_path):
    import processing

    with pytest.raises(QgsProcessingException, match="None of the requested projects"):
        processing.run("qnlandconsol:exportdeclaration", {
            "INPUT": f"{tagged}|layername=dltb", "PROJECTS": "NO-SUCH", "OUTPUT_FOLDER": str(tmp_path)})


def test_unwritable_folder_fails_before_any_work(provider, tagged, tmp_path):
    import processing

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:       # root writes through the mode bits, but no one into sysfs
        if not Path("/sys/kernel").is_dir():
            pytest.skip("root can write anywhere and this is no Linux")
        locked = Path("/sys")
    with pytest.raises(QgsProcessingException, match="not writable"):
        processing.run("qnlandconsol:exportdeclaration", {
            "INPUT": f"{tagged}|layername=dltb", "OUTPUT_FOLDER": str(locked)})


def test_output_path_that_is_a_file_fails_before_any_work(provider, tagged, tmp_path):
    import processing

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(QgsProcessingException, match="not writable"):
        processing.run("qnlandconsol:exportdeclaration", {
            "INPUT": f"{tagged}|layername=dltb", "OUTPUT_FOLDER": str(blocker / "sub")})
    assert not list(tmp_path.glob("*.txt"))


@pytest.mark.parametrize("name", ["gbk_standard.txt", "utf8_bom_hectare_suffix.txt",
                                  "utf8_continuous_numbers_project_section.txt",
                                  "utf16_thirteen_fields.txt", "gbk_swapped_xy.txt"])
def test_import_algorithm_reads_hand_written_variants(provider, name):
    import processing

    out = processing.run("qnlandconsol:importdeclarationtxt", {
        "INPUT": str(DATA / name), "OUTPUT": "memory:"})["OUTPUT"]
    assert out.crs() == QgsCoordinateReferenceSystem("EPSG:4524")
    feats = {f["DKBH"]: f for f in out.getFeatures()}
    assert feats["1"].geometry().area() == pytest.approx(9600.0)
    assert feats["2"].geometry().area() == pytest.approx(10000.0)
    assert feats["1"]["DKMJ"] == pytest.approx(0.96) and feats["1"]["DH"] == 36
    assert feats["1"]["SJDW"] == "黔南州自然资源局"


def test_import_strict_rejects_malformed_file_naming_the_line(provider):
    import processing

    with pytest.raises(QgsProcessingException, match="line 15"):
        processing.run("qnlandconsol:importdeclarationtxt", {
            "INPUT": str(DATA / "gbk_malformed.txt"), "STRICT": True, "OUTPUT": "memory:"})
    lenient = processing.run("qnlandconsol:importdeclarationtxt", {
        "INPUT": str(DATA / "gbk_malformed.txt"), "OUTPUT": "memory:"})
    assert lenient["ISSUES"] >= 4 and lenient["OUTPUT"].featureCount() == 2


def test_declaration_workbook_carries_the_official_tables(exported, tagged):
    """The official tables of issue 15 follow the three statistics sheets; the structure
    table's 合计 is the project's parcels in 公顷 (TBMJ), before and after."""
    from openpyxl import load_workbook

    folder, _ = exported
    wb = load_workbook(os.path.join(folder, "QN2025-002_地类统计表.xlsx"))
    assert wb.sheetnames[:3] == ["地类统计", "整治类型统计", "新增耕地"]
    assert {"地类结构调整表", "地类转换矩阵（公顷）", "新增耕地来源表", "建设用地增减表",
            "永久基本农田调整表"} <= set(wb.sheetnames)
    layer = _project_parcels(tagged, "QN2025-002")
    tbmj = sum(f["TBMJ"] for f in layer.getFeatures())
    rows = list(wb["地类结构调整表"].iter_rows(min_row=3, values_only=True))
    total = [r for r in rows if r[1] == "合计"][0]
    assert total[2] == pytest.approx(tbmj / 10000, abs=1e-6)     # before, 公顷
    assert total[5] == pytest.approx(tbmj / 10000, abs=1e-6)     # after, 公顷


@pytest.mark.parametrize("project", PROJECTS)
def test_official_tables_reconcile_on_the_demo_projects(exported, tagged, project):
    """Every parcel inside the boundary with its share (the land table's rows): before +
    change = after per class; the transition matrix's row and column sums are the
    structure's before and after per 一级类; the sources add up to their 合计, which is
    the farmland the structure table gains (no demo task takes farmland away)."""
    from openpyxl import load_workbook

    folder, _ = exported
    wb = load_workbook(os.path.join(folder, f"{project}_地类统计表.xlsx"))
    rows = [r for r in wb["地类结构调整表"].iter_rows(min_row=3, values_only=True) if r[1]]
    for r in rows:
        assert r[2] + r[8] == pytest.approx(r[5], abs=1e-9), r[:2]        # 公顷
        assert r[3] + r[9] == pytest.approx(r[6], abs=1e-9), r[:2]        # 亩
    first = {r[0]: r for r in rows if r[0] and len(r[0]) == 2}
    total = [r for r in rows if r[1] == "合计"][0]
    # the land table (整治前, with the boundary shares) is the structure table's before
    land = [r for r in wb["地类统计"].iter_rows(min_row=3, values_only=True) if r[1] == "合计"][0]
    assert total[2] == pytest.approx(land[6], abs=1e-6)
    matrix = list(wb["地类转换矩阵（公顷）"].iter_rows(min_row=2, values_only=True))
    head, body = matrix[0], matrix[1:]
    last = [r for r in body if r[0] == "合计"][0]
    for r in body:
        if r[0] == "合计":
            continue
        level = r[0].split()[0]
        assert sum(r[1:-1]) == pytest.approx(r[-1], abs=1e-9)
        assert r[-1] == pytest.approx(first[level][2] if level in first else 0.0, abs=1e-9)
        col = head.index(r[0])
        assert last[col] == pytest.approx(first[level][5] if level in first else 0.0, abs=1e-9)
    sources = list(wb["新增耕地来源表"].iter_rows(min_row=3, values_only=True))
    body = [r for r in sources if r[0] and r[0] != "合计" and not r[0].startswith("旱改水")]
    source_total = [r for r in sources if r[0] == "合计"][0]
    assert sum(r[2] for r in body) == pytest.approx(source_total[2], abs=1e-9)
    assert source_total[2] == pytest.approx(first["01"][8], abs=1e-9)


def test_the_declaration_divides_by_the_project_area_as_the_dock_does(exported, tagged):
    """新增耕地占比 of the package = core.task_totals over the whole layer (the dock's
    figure): all farmland of the project's townships, other projects' parcels out."""
    import pandas as pd
    from openpyxl import load_workbook

    from qn_landconsol_plugin.core.task_totals import task_totals

    folder, _ = exported
    layer = QgsVectorLayer(f"{tagged}|layername=dltb", "dltb", "ogr")
    names = [n for n in ("ZZLX", "ZZZLX", "XMBH", "TBMJ", "DLBM", "KCXS", "KCMJ", "TBDLMJ",
                         "GDPDJB", "GDLX", "ZLDWDM") if layer.fields().indexOf(n) >= 0]
    frame = pd.DataFrame([[f[n] if f[n] is not None and str(f[n]) != "NULL" else None
                           for n in names] for f in layer.getFeatures()], columns=names,
                         dtype=object)
    for project in PROJECTS:
        totals = task_totals(frame, project=project)
        ws = load_workbook(os.path.join(folder, f"{project}_地类统计表.xlsx"))["新增耕地"]
        rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
        area = [r for k, r in rows.items() if k.startswith("项目区现状耕地")][0]
        assert area[2] == pytest.approx(totals.farmland_mu, abs=1e-4)       # 亩
        assert f"{100 * totals.new_farmland_share:.2f}%" in rows["新增耕地占比"][4]
        assert rows["范围线内耕地（参考）"][2] < area[2]


def _styles(gpkg):
    """{layer: its default style} of a GeoPackage, without what QGIS makes up anew for every
    layer it opens: the random ids of rules and symbol layers, and (QGIS 3.26 on) the
    elevation-profile symbols in random colours."""
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(gpkg)) as con:
        rows = con.execute("SELECT f_table_name, styleQML, styleSLD FROM layer_styles "
                           "WHERE useAsDefault").fetchall()

    def fixed(text):
        text = re.sub(r"<(profile\w*Symbol)>.*?</\1>", "", text or "", flags=re.S)
        return re.sub(r'="\{[0-9a-f]{8}-[0-9a-f-]{27}\}"', '=""', text)

    return {name: (fixed(qml), fixed(sld)) for name, qml, sld in rows}


def test_every_package_carries_the_styles_qgis_writes(provider, exported, tagged, tmp_path,
                                                      monkeypatch):
    """The second project's styles are stored with SQLite (qgis_io._gpkg_styles, a fast
    path): the same as QGIS itself stores them (fast paths off), and each layer opens with
    its Chinese aliases and renderer."""
    import processing

    from qn_landconsol_plugin.qgis_io import _gpkg_styles

    folder, _ = exported
    assert len(_gpkg_styles._REMEMBERED) >= 6    # what QGIS wrote for the first package
    first, second = (_styles(os.path.join(folder, f"{p}.gpkg")) for p in PROJECTS)
    assert set(first) == {"xmfw", "dltb", "dltj", "zzlxtj", "xzgdtj", "jcjg"}
    assert second == first
    # the fast path is taken, also in a folder whose name SQLite URIs would misread
    inserted = []
    insert = _gpkg_styles.insert
    monkeypatch.setattr(_gpkg_styles, "insert", lambda *args: inserted.append(insert(*args))
                        or inserted[-1])
    monkeypatch.setenv("QN_LANDCONSOL_FAST_PATHS", "1")
    _gpkg_styles._REMEMBERED.clear()
    odd = str(tmp_path / "项目#1 100%")
    processing.run("qnlandconsol:exportdeclaration", {
        "INPUT": f"{tagged}|layername=dltb", "MAP": False, "OUTPUT_FOLDER": odd})
    assert inserted.count(True) == 6            # the second package's six layers
    for project in PROJECTS:
        assert _styles(os.path.join(odd, f"{project}.gpkg")) == first
    monkeypatch.setenv("QN_LANDCONSOL_FAST_PATHS", "0")
    plain = str(tmp_path / "plain")
    processing.run("qnlandconsol:exportdeclaration", {
        "INPUT": f"{tagged}|layername=dltb", "MAP": False, "OUTPUT_FOLDER": plain})
    for project in PROJECTS:
        assert _styles(os.path.join(plain, f"{project}.gpkg")) == first
    gpkg = os.path.join(folder, f"{PROJECTS[1]}.gpkg")
    parcels = QgsVectorLayer(f"{gpkg}|layername=dltb", "dltb", "ogr")
    assert parcels.fields().field("DLBM").alias() == "地类编码"
    assert parcels.renderer().type() == "RuleRenderer"
    stats = QgsVectorLayer(f"{gpkg}|layername=dltj", "dltj", "ogr")
    assert all(field.alias() for field in stats.fields() if field.name() != "fid")
