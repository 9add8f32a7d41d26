"""What the plugin needs beyond QGIS, and the pip command that gets it (no QGIS here)."""
from pathlib import Path

import pytest

from qn_landconsol_plugin import dependencies as deps


def _requirement(name):
    return next(r for r in deps.REQUIREMENTS if r.distribution == name)


def test_every_third_party_package_the_plugin_imports_is_checked():
    checked = {r.module for r in deps.REQUIREMENTS}
    assert {"numpy", "shapely", "pandas", "scipy", "openpyxl", "matplotlib"} <= checked


def test_missing_and_too_old_packages_are_found():
    class Old:
        __version__ = "1.8.5"

    def importer(name):
        if name == "pandas":
            raise ImportError(name)
        if name == "shapely":
            return Old()
        return __import__(name)

    missing = {m.requirement.module: m.found for m in deps.missing_packages(importer)}
    assert missing == {"pandas": None, "shapely": "1.8.5"}


@pytest.mark.parametrize("geos, spec", [((3, 10), "shapely>=2.0,<2.1"),
                                        ((3, 11), "shapely>=2.0,<2.1"),
                                        ((3, 12), "shapely>=2.0,<2.1"),
                                        ((3, 13), "shapely>=2.0,<2.2"),
                                        ((3, 14), "shapely>=2.0,<2.2")])
def test_shapely_is_never_newer_than_the_geos_qgis_links(geos, spec):
    assert deps.shapely_requirement(geos) == spec


def test_pip_requirements_keep_qgis_numpy_and_match_shapely_to_geos():
    missing = [deps.Missing(_requirement("shapely"), "1.8.5"), deps.Missing(_requirement("pandas"), None)]
    assert deps.pip_requirements(missing, (3, 11), "1.24.2") == [
        "shapely>=2.0,<2.1", "pandas>=1.3", "numpy==1.24.2"]
    assert deps.pip_requirements([], (3, 11), "1.24.2") == []


def test_private_folder_is_in_the_profile_one_per_python_minor_version(tmp_path):
    folder = deps.packages_folder(str(tmp_path), (3, 12, 4))
    assert folder == tmp_path / "python" / "qn_landconsol_packages" / "py312"


def test_install_command_targets_the_private_folder_with_wheels_only(tmp_path):
    args = deps.install_command(tmp_path, ["pandas>=1.3"], python="/usr/bin/python3")
    assert args[:4] == ["/usr/bin/python3", "-m", "pip", "install"]
    assert args[args.index("--target") + 1] == str(tmp_path)
    assert "--only-binary=:all:" in args and args[-1] == "pandas>=1.3"
    line = deps.shell_command(args)
    assert '"pandas>=1.3"' in line and line.startswith("/usr/bin/python3 -m pip install")


@pytest.mark.parametrize("platform, release, kind", [
    ("win32", {}, "windows"), ("darwin", {}, "macos"),
    ("linux", {"ID": "debian", "VERSION_ID": "12"}, "linux"),
    ("linux", {"ID": "debian", "VERSION_ID": "13"}, "apt"),
    ("linux", {"ID": "ubuntu", "VERSION_ID": "24.04"}, "apt"),
    ("linux", {"ID": "ubuntu", "VERSION_ID": "22.04"}, "linux")])
def test_platform_advice_follows_the_system(platform, release, kind):
    assert deps.platform_kind(platform, release) == kind


def test_numpy_copy_is_removed_from_the_private_folder(tmp_path):
    for name in ("numpy", "numpy.libs", "numpy-1.24.2.dist-info", "pandas", "pandas-2.2.3.dist-info"):
        (tmp_path / name).mkdir()
    deps.remove_distribution(tmp_path, "numpy")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pandas", "pandas-2.2.3.dist-info"]


def test_private_folder_goes_first_on_sys_path(tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "path", list(sys.path))
    assert not deps.use_packages_folder(tmp_path / "absent")
    assert deps.use_packages_folder(tmp_path)
    assert sys.path[0] == str(tmp_path)
    assert Path(sys.path[0]).is_dir()
