"""The Python packages the plugin needs beyond QGIS itself, and how a user gets them.

What is missing, the versions that fit the running QGIS (shapely's wheels bundle a GEOS
whose symbols clash with QGIS's own when it is newer; numpy stays the one QGIS's GDAL was
built with), a private folder in the user's QGIS profile that holds them, and the pip
command that fills it (`pip install --target`: no admin rights, not refused by PEP 668,
the same on Windows and Linux). No qgis import: start-up and tests use it as it is.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path


@dataclass(frozen=True)
class Requirement:
    module: str          # import name
    distribution: str    # pip / PyPI name
    minimum: str


REQUIREMENTS = (
    Requirement("numpy", "numpy", "1.20"),
    Requirement("shapely", "shapely", "2.0"),
    Requirement("pandas", "pandas", "1.3"),
    Requirement("scipy", "scipy", "1.7"),
    Requirement("openpyxl", "openpyxl", "3.0"),
    Requirement("matplotlib", "matplotlib", "3.3"),
)

# (lowest QGIS GEOS (major, minor), the shapely versions whose wheels bundle a GEOS no newer)
SHAPELY_FOR_GEOS = (
    ((3, 13), "shapely>=2.0,<2.2"),     # shapely 2.1 wheels bundle GEOS 3.13
    ((0, 0), "shapely>=2.0,<2.1"),      # shapely 2.0 wheels bundle GEOS 3.11
)

# Debian/Ubuntu releases whose own python3-* packages are new enough (shapely >= 2)
APT_PACKAGES_SUFFICE = {"debian": 13, "ubuntu": 24}

PACKAGES_FOLDER = "qn_landconsol_packages"


@dataclass(frozen=True)
class Missing:
    requirement: Requirement
    found: str | None       # the version found, None when it does not import


def version_tuple(text: str) -> tuple:
    parts = []
    for piece in str(text).split(".")[:3]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def missing_packages(importer=import_module) -> list:
    """[Missing] for every requirement that does not import or is too old."""
    missing = []
    for requirement in REQUIREMENTS:
        try:
            found = getattr(importer(requirement.module), "__version__", "0")
        except Exception:   # ImportError, or a broken install raising anything at import
            missing.append(Missing(requirement, None))
            continue
        if version_tuple(found) < version_tuple(requirement.minimum):
            missing.append(Missing(requirement, str(found)))
    return missing


def shapely_requirement(geos_version: tuple) -> str:
    for lowest, spec in SHAPELY_FOR_GEOS:
        if tuple(geos_version[:2]) >= lowest:
            return spec
    return SHAPELY_FOR_GEOS[-1][1]


def pip_requirements(missing, geos_version: tuple, numpy_version: str | None) -> list:
    """The pip requirement strings that install what is `missing` into a private folder:
    numpy pinned to QGIS's own (GDAL was built against it; the copy pip puts beside the
    others is removed afterwards), shapely matched to QGIS's GEOS."""
    specs = []
    for item in missing:
        name = item.requirement.distribution
        if name == "numpy":
            continue
        if name == "shapely":
            specs.append(shapely_requirement(geos_version))
        else:
            specs.append(f"{name}>={item.requirement.minimum}")
    if specs and numpy_version:
        specs.append(f"numpy=={numpy_version}")
    return specs


def packages_folder(profile_dir: str, version_info=sys.version_info) -> Path:
    """The plugin's private package folder in a QGIS profile, one per Python minor
    version (binary wheels are built for one)."""
    return Path(profile_dir) / "python" / PACKAGES_FOLDER / \
        f"py{version_info[0]}{version_info[1]}"


def use_packages_folder(folder) -> bool:
    """Put the private folder first on sys.path (when it exists): True when it is there."""
    folder = str(folder)
    if not os.path.isdir(folder):
        return False
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return True


def python_executable() -> str:
    """The interpreter of the running Python. Inside QGIS sys.executable is QGIS itself, or
    whatever `python3` comes first on PATH (an embedded Python guesses it), so the
    interpreter beside the running standard library comes first."""
    major, minor = sys.version_info[:2]
    if os.name == "nt":
        candidates = [os.path.join(sys.exec_prefix, "python.exe"),
                      os.path.join(sys.exec_prefix, "python3.exe")]
    else:
        candidates = [os.path.join(sys.exec_prefix, "bin", f"python{major}.{minor}"),
                      os.path.join(sys.exec_prefix, "bin", "python3")]
    if os.path.basename(sys.executable).lower().startswith("python"):
        candidates.append(sys.executable)
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    return shutil.which(f"python{major}.{minor}") or shutil.which("python3") or "python3"


def install_command(folder, specs, python: str | None = None) -> list:
    """pip's argument list that installs `specs` (pip_requirements) into `folder`."""
    return [python or python_executable(), "-m", "pip", "install", "--disable-pip-version-check",
            "--upgrade", "--only-binary=:all:", "--target", str(folder), *specs]


def shell_command(args) -> str:
    """`args` as one line to paste into a terminal / the OSGeo4W shell."""
    quoted = []
    for arg in args:
        text = str(arg)
        if any(ch in text for ch in " <>=,&|;()") or not text:
            text = f'"{text}"'
        quoted.append(text)
    return " ".join(quoted)


def os_release(path="/etc/os-release") -> dict:
    values = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                key, sep, value = line.strip().partition("=")
                if sep:
                    values[key] = value.strip().strip('"')
    except OSError:
        pass
    return values


def platform_kind(platform=sys.platform, release=None) -> str:
    """'windows', 'apt' (a Debian/Ubuntu whose own packages suffice), 'linux' or 'macos'."""
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    release = os_release() if release is None else release
    distro = release.get("ID", "").lower()
    major = version_tuple(release.get("VERSION_ID", "0"))[0]
    if distro in APT_PACKAGES_SUFFICE and major >= APT_PACKAGES_SUFFICE[distro]:
        return "apt"
    return "linux"


def apt_command(missing) -> str:
    names = sorted({f"python3-{m.requirement.distribution}" for m in missing})
    return "sudo apt install " + " ".join(names)


def install_into(folder, specs, python: str | None = None, run=subprocess.run):
    """Run pip into `folder`, then drop the numpy copy pip put there (QGIS's own numpy
    must win). Returns (ok, pip's output)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    result = run(install_command(folder, specs, python), capture_output=True, text=True)
    output = (result.stdout or "") + (result.stderr or "")
    if result.returncode == 0:
        remove_distribution(folder, "numpy")
    return result.returncode == 0, output


def remove_distribution(folder, name: str) -> None:
    """Delete one distribution (package, .libs and .dist-info) from a --target folder."""
    root = Path(folder)
    for path in list(root.glob(f"{name}")) + list(root.glob(f"{name}.libs")) + \
            list(root.glob(f"{name}-*.dist-info")):
        shutil.rmtree(path, ignore_errors=True)
    scripts = root / "bin"
    for script in scripts.glob("f2py*") if name == "numpy" and scripts.is_dir() else ():
        script.unlink(missing_ok=True)


def importable_in(folder, modules, python: str | None = None) -> tuple:
    """(ok, output) of importing `modules` in a fresh interpreter with `folder` first on
    sys.path: proves an install without disturbing the running QGIS."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import importlib\n"
            "for m in sys.argv[2:]:\n"
            "    mod = importlib.import_module(m); print(m, getattr(mod, '__version__', '?'),"
            " getattr(mod, '__file__', ''))\n")
    result = subprocess.run([python or python_executable(), "-c", code, str(folder), *modules],
                            capture_output=True, text=True)
    return result.returncode == 0, (result.stdout or "") + (result.stderr or "")


def dependency_message() -> str:
    """English one-paragraph summary of what is missing, '' when nothing is."""
    missing = missing_packages()
    if not missing:
        return ""
    items = ", ".join(f"{m.requirement.distribution} >= {m.requirement.minimum} "
                      f"(found {m.found or 'none'})" for m in missing)
    return f"This plugin needs {items}: see Plugins ▸ Land Consolidation ▸ Python packages."
