"""make package: dist/qn_landconsol_plugin-<version>.zip for QGIS's "Install from ZIP" and
the QGIS plugin repository.

The zip holds the plugin folder (metadata.txt, LICENSE, icons, .ui files, the compiled .qm
translations) and help/, the docs as HTML pages (tools/help_pages.py) that each algorithm's
"Help" opens; no tests, caches or .ts sources. It is checked as the plugin repository
checks an upload: one top folder, the mandatory metadata, a LICENSE, no compiled or binary
files, no __pycache__, at most 25 MB."""
import configparser
import sys
import zipfile
from pathlib import Path

import help_pages

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "qn_landconsol_plugin"
SKIP_DIRS = {"__pycache__"}
SKIP_SUFFIXES = {".pyc", ".ts"}
MANDATORY = ("name", "qgisMinimumVersion", "description", "about", "version", "author",
             "email", "repository")
FORBIDDEN_SUFFIXES = {".pyc", ".pyo", ".so", ".dll", ".dylib", ".exe", ".bat", ".sh"}
MAX_BYTES = 25 * 1024 * 1024


def problems(zip_path: Path) -> list:
    """What the plugin repository would refuse in `zip_path` ([] when nothing)."""
    found = []
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        tops = {n.split("/")[0] for n in names}
        if tops != {PLUGIN.name}:
            found.append(f"the zip must hold one folder {PLUGIN.name}/, it holds {sorted(tops)}")
        meta_name = f"{PLUGIN.name}/metadata.txt"
        if meta_name not in names:
            found.append("metadata.txt is missing")
        else:
            meta = configparser.ConfigParser()
            meta.read_string(archive.read(meta_name).decode("utf-8"))
            for key in MANDATORY:
                if not meta.has_option("general", key) or not meta["general"][key].strip():
                    found.append(f"metadata.txt has no {key}")
        if f"{PLUGIN.name}/LICENSE" not in names:
            found.append("LICENSE is missing")
        for name in names:
            parts = name.split("/")
            if "__pycache__" in parts or "__MACOSX" in parts or ".git" in parts:
                found.append(f"{name}: cache or VCS folder")
            elif Path(name).suffix.lower() in FORBIDDEN_SUFFIXES:
                found.append(f"{name}: compiled or binary file")
        for info in archive.infolist():
            if info.external_attr >> 16 & 0o111 and not info.is_dir():
                found.append(f"{info.filename}: executable file")
    if zip_path.stat().st_size > MAX_BYTES:
        found.append(f"the zip is {zip_path.stat().st_size} bytes, more than {MAX_BYTES}")
    return found


def main(out_dir: str) -> Path:
    meta = configparser.ConfigParser()
    meta.read(PLUGIN / "metadata.txt", encoding="utf-8")
    version = meta["general"]["version"]
    for needed in (PLUGIN / "metadata.txt", PLUGIN / "LICENSE",
                   PLUGIN / "i18n" / "qn_landconsol_zh_CN.qm"):
        if not needed.exists():
            sys.exit(f"{needed} is missing: run make first")
    target = Path(out_dir) / f"qn_landconsol_plugin-{version}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(PLUGIN.rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_dir() or SKIP_DIRS & set(rel.parts) or path.suffix in SKIP_SUFFIXES:
                continue
            info = zipfile.ZipInfo.from_file(path, rel.as_posix())
            info.external_attr = 0o644 << 16          # no executable bits
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
        for rel, data in help_pages.help_files().items():   # what "Help" in a dialog opens
            info = zipfile.ZipInfo(f"{PLUGIN.name}/{rel}")
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    found = problems(target)
    if found:
        sys.exit("the plugin zip would be refused:\n  " + "\n  ".join(found))
    print(f"wrote {target}")
    return target


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dist")
