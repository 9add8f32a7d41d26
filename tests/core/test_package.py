"""make package: the zip QGIS's "Install from ZIP" accepts."""
import configparser
import subprocess
import sys
import zipfile

from ..conftest import ROOT


def test_package_zip_has_plugin_folder_real_metadata_compiled_files_and_no_tests(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), str(tmp_path)], check=True)
    (zip_path,) = tmp_path.glob("qn_landconsol_plugin-*.zip")
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        meta = configparser.ConfigParser()
        meta.read_string(zf.read("qn_landconsol_plugin/metadata.txt").decode("utf-8"))
    assert all(n.startswith("qn_landconsol_plugin/") for n in names)
    assert meta["general"]["hasProcessingProvider"] == "yes"
    assert "qn_landconsol_plugin/__init__.py" in names
    assert "qn_landconsol_plugin/resources_rc.py" in names
    assert "qn_landconsol_plugin/i18n/qn_landconsol_zh_CN.qm" in names
    assert not any("__pycache__" in n or n.endswith(".ts") or "/tests/" in n for n in names)
