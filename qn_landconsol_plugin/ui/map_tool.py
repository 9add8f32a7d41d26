"""Map tool of the dock: click a parcel or drag a rectangle over parcels to tag them
with the current task (Ctrl held: clear their tags)."""
from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsGeometry, QgsRectangle
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import QPoint, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from ..qgis_io.layer_roles import POLYGON


class TagParcelsMapTool(QgsMapTool):
    """Emits `parcelsPicked(fids, clear)` for the parcels of `layer` under a click or
    inside/crossing a dragged rectangle."""

    parcelsPicked = pyqtSignal(list, bool)

    DRAG_PIXELS = 4

    def __init__(self, canvas, layer_getter):
        super().__init__(canvas)
        self._layer_getter = layer_getter
        self._start = None
        self._band = None
        self.setCursor(Qt.CursorShape.CrossCursor)

    def _new_band(self):
        band = QgsRubberBand(self.canvas(), POLYGON)
        band.setColor(QColor(255, 140, 0, 60))
        band.setStrokeColor(QColor(255, 140, 0, 220))
        band.setWidth(1)
        return band

    def canvasPressEvent(self, event):  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._start = event.pos()
        self._reset_band()

    def canvasMoveEvent(self, event):  # noqa: N802
        if self._start is None or not self._dragging(event.pos()):
            return
        if self._band is None:
            self._band = self._new_band()
        rect = self._map_rect(self._start, event.pos())
        self._band.setToGeometry(QgsGeometry.fromRect(rect), None)

    def canvasReleaseEvent(self, event):  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._start is None:
            return
        start, self._start = self._start, None
        self._reset_band()
        layer = self._layer_getter()
        if layer is None:
            return
        if self._dragging(event.pos(), start):
            rect = self._map_rect(start, event.pos())
        else:
            rect = self._map_rect(event.pos() - QPoint(1, 1), event.pos() + QPoint(1, 1))
        fids = self.parcels_in(layer, rect, point=not self._dragging(event.pos(), start))
        clear = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if fids:
            self.parcelsPicked.emit(fids, clear)

    def _dragging(self, pos, start=None):
        start = self._start if start is None else start
        return (pos - start).manhattanLength() >= self.DRAG_PIXELS

    def _map_rect(self, a, b) -> QgsRectangle:
        t = self.toMapCoordinates
        pa, pb = t(a), t(b)
        return QgsRectangle(pa, pb)

    def parcels_in(self, layer, rect: QgsRectangle, point: bool = False) -> list:
        """Ids of the parcels intersecting `rect` (map CRS); for a click, only the ones
        containing its centre."""
        layer_rect = self.toLayerCoordinates(layer, rect)
        geom = QgsGeometry.fromRect(layer_rect)
        if point:
            geom = QgsGeometry.fromPointXY(layer_rect.center())
        request = QgsFeatureRequest().setFilterRect(layer_rect).setNoAttributes()
        return [f.id() for f in layer.getFeatures(request) if f.geometry().intersects(geom)]

    def _reset_band(self):
        if self._band is not None:
            self._band.reset(POLYGON)
            self.canvas().scene().removeItem(self._band)
            self._band = None

    def deactivate(self):
        self._reset_band()
        self._start = None
        super().deactivate()
