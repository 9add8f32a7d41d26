"""exportdeclaration's files (issue 14): project numbers that give the same file name get
their own names, files already in the folder are never overwritten, over-long numbers
are cut by UTF-8 bytes and the other projects carry on, a project too small for the
coordinate precision is an error and not counted as exported."""
import os
from pathlib import Path

import pytest

from .conftest import Recorder
from .input_cases import copy_township, sha256, sql, tag_projects, values

FIRST, SECOND = "QN2025-001", "QN2025-002"


@pytest.fixture()
def tagged(township, tmp_path):
    t = copy_township(township, tmp_path / "in")
    return tag_projects(t["gpkg"], tmp_path / "in" / "tagged.gpkg")


def _export(tagged, folder, **extra):
    import processing

    feedback = Recorder()
    params = {"INPUT": f"{tagged}|layername=dltb", "DATE": "2025-06-15", "MAP": False,
              "OUTPUT_FOLDER": str(folder), **extra}
    return processing.run("qnlandconsol:exportdeclaration", params, feedback=feedback), feedback


def _txt_code(path):
    """The project of a declaration TXT (GBK): the 地块编号 of its first 地块 line, without
    the -1, -2… a multipart boundary's blocks get."""
    lines = Path(path).read_bytes().decode("gbk").split("\r\n")
    block = next(line for line in lines if line.endswith(",@")).split(",")[2]
    head, _, tail = block.rpartition("-")
    return head if tail.isdigit() and len(tail) <= 2 else block


def _retag(tagged, old, new):
    sql(tagged, f"UPDATE dltb SET XMBH = '{new}' WHERE XMBH = '{old}'")


def test_numbers_that_give_the_same_file_name_get_distinct_files(provider, tagged, tmp_path):
    _retag(tagged, FIRST, "QN/2025-001")
    _retag(tagged, SECOND, "QN:2025-001")
    out = tmp_path / "out"
    result, feedback = _export(tagged, out)
    assert result["EXPORTED"] == 2 and result["FAILED"] == 0
    names = sorted(os.listdir(out))
    assert names == sorted(["QN_2025-001_范围.txt", "QN_2025-001_地类统计表.xlsx",
                            "QN_2025-001.gpkg", "QN_2025-001_2_范围.txt",
                            "QN_2025-001_2_地类统计表.xlsx", "QN_2025-001_2.gpkg"])
    # each file holds its own project
    assert _txt_code(out / "QN_2025-001_范围.txt") == "QN/2025-001"
    assert _txt_code(out / "QN_2025-001_2_范围.txt") == "QN:2025-001"
    assert "Projects QN/2025-001 and QN:2025-001 give the same file name QN_2025-001" in \
        feedback.text()
    assert len(result["FILES"].split(";")) == 6


def test_names_differing_only_in_case_are_distinct_files(provider, tagged, tmp_path):
    """Windows and macOS do not tell QN-A from qn-a: they get distinct names too."""
    _retag(tagged, FIRST, "QN-A")
    _retag(tagged, SECOND, "qn-a")
    out = tmp_path / "out"
    result, _ = _export(tagged, out)
    assert result["EXPORTED"] == 2
    stems = {n.split("_范围")[0] for n in os.listdir(out) if n.endswith("_范围.txt")}
    assert len({s.casefold() for s in stems}) == 2


def test_files_already_in_the_folder_are_never_overwritten(provider, tagged, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / f"{FIRST}_范围.txt"
    earlier.write_text("earlier declaration", encoding="utf-8")
    before = sha256(earlier)
    result, feedback = _export(tagged, out)
    assert result["EXPORTED"] == 2
    assert sha256(earlier) == before
    assert _txt_code(out / f"{FIRST}_2_范围.txt") == FIRST
    assert (out / f"{SECOND}_范围.txt").exists()
    assert f"the folder already holds {FIRST}_范围.txt" in feedback.text()
    # a second export into the same folder numbers again, overwriting nothing
    hashes = {p.name: sha256(p) for p in out.iterdir()}
    result, _ = _export(tagged, out)
    assert result["EXPORTED"] == 2
    assert {p.name: sha256(p) for p in out.iterdir() if p.name in hashes} == hashes
    assert (out / f"{FIRST}_3_范围.txt").exists() and (out / f"{SECOND}_2_范围.txt").exists()


def test_over_long_numbers_are_cut_by_bytes_and_the_others_carry_on(provider, tagged,
                                                                    tmp_path):
    long = "黔" * 110
    _retag(tagged, FIRST, long)
    out = tmp_path / "out"
    result, feedback = _export(tagged, out, MAP=True)
    assert result["EXPORTED"] == 2 and result["FAILED"] == 0
    names = os.listdir(out)
    assert max(len(n.encode("utf-8")) for n in names) <= 255
    txts = [n for n in names if n.endswith("_范围.txt")]
    assert len(txts) == 2
    cut = next(n for n in txts if n.startswith("黔"))
    assert _txt_code(out / cut) == long            # the TXT keeps the whole number
    assert cut.encode("utf-8")[:3] == "黔".encode("utf-8")
    assert (out / f"{SECOND}_范围.txt").exists()
    assert "too long for a file name" in feedback.text()
    assert any(n.endswith("_项目区范围图.pdf") and n.startswith("黔") for n in names)


def test_project_too_small_for_the_precision_is_an_error_not_exported(provider, tagged,
                                                                      tmp_path):
    """A project whose boundary vanishes at the coordinate precision wrote an empty TXT
    and counted as exported; now it fails alone."""
    from osgeo import ogr

    ds = ogr.Open(tagged, 1)
    layer = ds.GetLayerByName("dltb")
    source = layer.GetNextFeature()
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetFrom(source)
    x, y = 438700.0, 2925300.0         # beyond the township's parcels
    feature.SetGeometry(ogr.CreateGeometryFromWkt(
        f"MULTIPOLYGON ((({x} {y}, {x + 0.004} {y}, {x} {y + 0.004}, {x} {y})))"))
    feature.SetField("XMBH", "QN-TINY")
    feature.SetField("BSM", "TINY")
    layer.CreateFeature(feature)
    ds = None
    out = tmp_path / "out"
    result, feedback = _export(tagged, out, PRECISION=0)      # 0.01 m
    assert result["EXPORTED"] == 2 and result["FAILED"] == 1
    assert not any(n.startswith("QN-TINY") for n in os.listdir(out))
    assert "Project QN-TINY is too small for the coordinate precision 0.01 m" in \
        feedback.text()
    assert values(tagged, "dltb", "XMBH", "BSM = 'TINY'") == ["QN-TINY"]
