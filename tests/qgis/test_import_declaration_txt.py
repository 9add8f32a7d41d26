"""qnlandconsol:importdeclarationtxt with real QGIS on hand-edited and broken files
(issue 14): 'Stop on errors' raises naming the file and the line; without it the log
warns naming the line and every feature is a valid polygon (QGIS's own GEOS check) or
flagged in ZT/SM; never a traceback; a cancelled run writes nothing."""
import hashlib
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsVectorLayer

from ..conftest import ROOT

DATA = ROOT / "tests" / "data" / "declaration_txt"
STANDARD = (DATA / "gbk_standard.txt").read_bytes().decode("gbk").split("\r\n")[:-1]


class Log(QgsProcessingFeedback):
    """A feedback that keeps what the algorithm said, by kind."""

    def __init__(self):
        super().__init__()
        self.warnings, self.errors, self.infos = [], [], []

    def pushWarning(self, text):  # noqa: N802
        self.warnings.append(text)

    def reportError(self, text, fatal=False):  # noqa: N802
        self.errors.append(text)

    def pushInfo(self, text):  # noqa: N802
        self.infos.append(text)


def write(tmp_path, rows, name="in.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    return path


def run(path, strict=False, output="memory:", feedback=None):
    import processing

    return processing.run("qnlandconsol:importdeclarationtxt",
                          {"INPUT": str(path), "STRICT": strict, "OUTPUT": output},
                          feedback=feedback or Log())


def bow_tie(tmp_path) -> Path:
    rows = list(STANDARD)
    rows[25], rows[26] = rows[26], rows[25]          # 地块二: J1 J3 J2 J4 J1
    return write(tmp_path, rows)


def test_strict_bow_tie_names_file_line_and_block(provider, tmp_path):
    path = bow_tie(tmp_path)
    log = Log()
    with pytest.raises(QgsProcessingException) as err:
        run(path, strict=True, feedback=log)
    message = str(err.value)
    assert str(path) in message
    assert "line 25: ring 1 of 地块 '2 地块二' crosses itself (a bow-tie)" in message
    assert any(e.startswith("line 25: ring 1 of 地块 '2 地块二' crosses itself") for e in log.errors)


def test_lenient_bow_tie_is_a_valid_polygon_flagged_with_its_line(provider, tmp_path):
    log = Log()
    out = run(bow_tie(tmp_path), feedback=log)
    layer = out["OUTPUT"]
    feats = {f["DKBH"]: f for f in layer.getFeatures()}
    block = feats["2"]
    assert block.geometry().isGeosValid() and block.geometry().area() == pytest.approx(5000.0)
    assert block["ZT"] == "存疑" and "第25行：第1圈自相交" in block["SM"]
    assert feats["1"]["ZT"] == "正常" and feats["1"]["SM"] == ""
    assert feats["1"].geometry().area() == pytest.approx(9600.0)
    assert any(w.startswith("line 25: ring 1 of 地块 '2 地块二' crosses itself") and
               w.endswith("polygon repaired (make_valid)") for w in log.warnings)
    assert log.errors == []
    assert any("read as GBK/GB18030" in i for i in log.infos)


def test_truncated_file_lenient_and_strict(provider, tmp_path):
    path = write(tmp_path, STANDARD[:27])
    with pytest.raises(QgsProcessingException, match="line 27: the file ends inside 地块 '2 地块二'"):
        run(path, strict=True)
    layer = run(path)["OUTPUT"]
    block = {f["DKBH"]: f for f in layer.getFeatures()}["2"]
    assert block["ZT"] == "存疑" and block.geometry().isGeosValid()
    assert "第27行：文件在地块中间结束" in block["SM"]


def test_far_vertex_and_zone_contradiction_are_errors_in_strict_mode(provider, tmp_path):
    rows = list(STANDARD)
    rows[15] = "J3,1,1927000.0000,36440100.0000"
    with pytest.raises(QgsProcessingException, match="line 16: 地块 '1 地块一': 1 point"):
        run(write(tmp_path, rows), strict=True)
    rows = list(STANDARD)
    rows[8] = "带号=35"
    with pytest.raises(QgsProcessingException, match=r"line 14: 带号 35 \(line 9\) contradicts"):
        run(write(tmp_path, rows), strict=True)
    layer = run(write(tmp_path, rows))["OUTPUT"]
    assert layer.crs().authid() == "EPSG:4524"      # the coordinates' prefix wins


@pytest.mark.parametrize("content, match", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "not a text file"),
    (b"", "the file is empty"),
    (b"\xff\xfe" + "[属性描述]\r\n带号=36\r\n".encode("utf-16-le") + b"\x41",
     "no \\[地块坐标\\] section"),
    ("\r\n".join(STANDARD[:8] + ["带号=99"] + [r.replace(",364", ",4") for r in STANDARD[9:]])
     .encode("gbk"), "line 9: no usable 带号"),
], ids=["binary", "empty", "odd-utf16-only-attributes", "zone-99-no-prefix"])
def test_unreadable_files_are_clear_errors_in_both_modes(provider, tmp_path, content, match):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    for strict in (False, True):
        with pytest.raises(QgsProcessingException, match=match):
            run(path, strict=strict)


def test_zone_99_with_prefix_warns_and_uses_the_prefix(provider, tmp_path):
    rows = list(STANDARD)
    rows[8] = "带号=99"
    log = Log()
    layer = run(write(tmp_path, rows), feedback=log)["OUTPUT"]
    assert layer.crs().authid() == "EPSG:4524" and layer.featureCount() == 2
    assert "line 9: 带号 99 is no CGCS2000 3-degree zone (25–45)" in log.warnings
    assert "line 9: zone 36 taken from the prefix of the Y coordinates (no usable 带号)" in log.warnings


def test_cancelled_run_writes_nothing_and_leaves_the_input(provider, tmp_path):
    path = write(tmp_path, STANDARD)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    log = Log()
    log.cancel()
    out = tmp_path / "out.gpkg"
    assert run(path, output=str(out), feedback=log) == {}
    assert not out.exists()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_many_findings_are_logged_per_kind_and_all_kept_in_sm(provider, tmp_path):
    rows = list(STANDARD[:12])
    for k in range(40):                  # 40 地块 whose stated area is wrong
        rows.append(f"5,2.0000,{k},块{k},面,,,,@")
        rows += [r for r in STANDARD[24:29]]
    log = Log()
    out = run(write(tmp_path, rows), feedback=log)
    layer = out["OUTPUT"]
    assert layer.featureCount() == 40 and out["ISSUES"] == 40
    assert sum("stated area 2.0000 ha" in w for w in log.warnings) == 30
    assert any("10 more finding(s) of this kind not shown" in w for w in log.warnings)
    assert all(f["ZT"] == "存疑" and "申报面积2.0000公顷" in f["SM"] for f in layer.getFeatures())


def test_output_to_a_geopackage_keeps_the_flags(provider, tmp_path):
    out = tmp_path / "blocks.gpkg"
    run(bow_tie(tmp_path), output=str(out))
    layer = QgsVectorLayer(str(out), "b", "ogr")
    assert layer.isValid()
    assert sorted(f["ZT"] for f in layer.getFeatures()) == ["存疑", "正常"]
    assert all(f.geometry().isGeosValid() for f in layer.getFeatures())


def test_hand_edited_file_imports_in_strict_mode_with_two_warnings(provider):
    log = Log()
    layer = run(DATA / "gbk_hand_edited.txt", strict=True, feedback=log)["OUTPUT"]
    feats = {f["DKBH"]: f for f in layer.getFeatures()}
    assert feats["1"].geometry().area() == pytest.approx(9600.0)
    assert feats["2"].geometry().area() == pytest.approx(10000.0)
    assert [f["ZT"] for f in feats.values()] == ["正常", "正常"]
    assert [w.split(":")[0] for w in log.warnings] == ["line 20", "line 32"]


@pytest.mark.parametrize("output", ["memory:", "TEMPORARY_OUTPUT"])
def test_a_temporary_output_has_the_chinese_aliases_and_no_warning_about_them(provider, output):
    """A memory layer drops field aliases (QGIS 3.40+ warns once per field): the output is
    made with plain fields and the aliases set on the layer, so the log says only the
    file's own findings."""
    log = Log()
    layer = run(DATA / "gbk_standard.txt", output=output, feedback=log)["OUTPUT"]
    assert layer.providerType() == "memory"
    aliases = {f.name(): layer.attributeAlias(i) for i, f in enumerate(layer.fields())}
    assert aliases["DKBH"] == "地块编号" and aliases["DKMJ"] == "地块面积（公顷）"
    assert aliases["ZT"] and aliases["SM"]
    assert log.warnings == [] and log.errors == []
