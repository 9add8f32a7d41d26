"""A README picture of an HTML report (QtWebKit, offscreen):
    python tools/screenshot_report.py demo-output/potential_report.html docs/images/potential_report.png [WIDTH HEIGHT]
Renders the page at WIDTH pixels wide and keeps its top HEIGHT pixels."""
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PyQt5.QtCore import QSize, QUrl  # noqa: E402  (a tool for Debian 12's QGIS, not plugin code)
from PyQt5.QtGui import QImage, QPainter  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402
from PyQt5.QtWebKitWidgets import QWebPage  # noqa: E402


def main(html, png, width=1200, height=1500):
    app = QApplication([])
    page = QWebPage()
    done = []
    page.mainFrame().loadFinished.connect(done.append)
    page.mainFrame().load(QUrl.fromLocalFile(str(Path(html).resolve())))
    while not done:
        app.processEvents()
    page.setViewportSize(QSize(width, height))
    image = QImage(width, height, QImage.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    page.mainFrame().render(painter)
    painter.end()
    image.save(str(png))
    print(f"wrote {png}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:5]))
