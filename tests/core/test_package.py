"""make package: the zip QGIS's "Install from ZIP" and the plugin repository accept."""
import configparser
import subprocess
import sys
import zipfile

from ..conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import package  # noqa: E402


def test_package_zip_has_plugin_folder_real_metadata_license_translations_and_no_tests(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), str(tmp_path)], check=True)
    (zip_path,) = tmp_path.glob("qn_landconsol_plugin-*.zip")
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        meta = configparser.ConfigParser()
        meta.read_string(zf.read("qn_landconsol_plugin/metadata.txt").decode("utf-8"))
        licence = zf.read("qn_landconsol_plugin/LICENSE").decode("utf-8")
    assert all(n.startswith("qn_landconsol_plugin/") for n in names)
    assert meta["general"]["hasProcessingProvider"] == "yes"
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 2" in licence
    assert "qn_landconsol_plugin/__init__.py" in names
    assert "qn_landconsol_plugin/i18n/qn_landconsol_zh_CN.qm" in names
    assert {"qn_landconsol_plugin/help/slopefarmland.html",               # "Help" in a dialog
            "qn_landconsol_plugin/help/images/dock.png"} <= set(names)
    assert not any("__pycache__" in n or n.endswith(".ts") or "/tests/" in n for n in names)
    assert package.problems(zip_path) == []


def test_repository_checks_refuse_caches_binaries_and_a_missing_licence(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("qn_landconsol_plugin/metadata.txt", "[general]\nname=x\n")
        zf.writestr("qn_landconsol_plugin/__pycache__/a.cpython-311.pyc", b"\0")
        zf.writestr("qn_landconsol_plugin/lib/fast.so", b"\0")
        zf.writestr("other/readme.txt", "x")
    found = "\n".join(package.problems(bad))
    assert "LICENSE is missing" in found
    assert "__pycache__" in found and "fast.so" in found
    assert "metadata.txt has no version" in found and "metadata.txt has no repository" in found
    assert "one folder" in found


def test_metadata_is_a_real_file_in_the_plugin_folder_with_chinese_name_first():
    path = ROOT / "qn_landconsol_plugin" / "metadata.txt"
    assert path.is_file() and not path.is_symlink()
    assert not (ROOT / "metadata.txt").exists()
    meta = configparser.ConfigParser()
    meta.read(path, encoding="utf-8")
    general = meta["general"]
    assert general["name[zh]"] == "黔南全域土地综合整治"
    assert general["description[zh]"].startswith("全域土地综合整治")
    assert general["changelog"].strip().startswith(general["version"])
