"""Screenshot of a first start without the plugin's Python packages: QGIS desktop under Xvfb
(1366×768, Chinese), the plugin installed from its zip into a fresh profile, the message bar
and the installer dialog; saved to docs/images/dependencies.png.

    python tools/screenshot_dependencies.py [--out docs/images/dependencies.png]
"""
import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import package  # noqa: E402
import qgis_desktop  # noqa: E402

SNIPPET = """
from qgis.PyQt.QtCore import QEventLoop, QTimer
dialog = plugin.show_dependencies()
dialog.move(300, 200)
loop = QEventLoop(); QTimer.singleShot(1500, loop.quit); loop.exec()
grab({out!r}, screen=True)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "images" / "dependencies.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        zip_path = package.main(tmp)
        snippet = Path(tmp) / "snippet.py"
        snippet.write_text(SNIPPET.format(out=str(Path(args.out).resolve())), encoding="utf-8")
        result = qgis_desktop.run(snippet, zip_path)
    if "snippet_error" in result:
        raise SystemExit(result["snippet_error"])
    print(f"screenshot: {args.out}")


if __name__ == "__main__":
    main()
