"""make package: dist/qn_landconsol_plugin-<version>.zip for QGIS's "Install from ZIP".

The zip holds the plugin folder with metadata.txt as a real file (not the link),
the compiled resources and .qm translations; no tests, caches or .ts sources."""
import configparser
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "qn_landconsol_plugin"
SKIP_DIRS = {"__pycache__"}
SKIP_SUFFIXES = {".pyc", ".ts"}


def main(out_dir: str) -> Path:
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    version = meta["general"]["version"]
    for needed in (PLUGIN / "resources_rc.py", PLUGIN / "i18n" / "qn_landconsol_zh_CN.qm"):
        if not needed.exists():
            sys.exit(f"{needed} is missing: run make first")
    target = Path(out_dir) / f"qn_landconsol_plugin-{version}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(PLUGIN.rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_dir() or SKIP_DIRS & set(rel.parts) or path.suffix in SKIP_SUFFIXES:
                continue
            zf.write(path.resolve(), rel.as_posix())  # resolve(): metadata.txt as a file
    print(f"wrote {target}")
    return target


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "dist")
