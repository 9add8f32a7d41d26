"""The input guards, in one place: each turns bad input into a clear, translated error
naming the layer, field or file (QgsProcessingException), before anything is written."""
from __future__ import annotations

import os
import tempfile

from qgis.core import QgsProcessingException, QgsWkbTypes

from ..core.fields import MissingFieldError, match_fields
from ..translation import tr
from . import compat


def same_file(a: str, b: str) -> bool:
    """Whether two paths name the same file (`a` may not exist yet)."""
    try:
        return os.path.samefile(a, b)
    except OSError:      # `a` does not exist yet
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def require_polygons(source, label: str, message: str | None = None):
    """A layer that must hold polygons but holds points or lines is an error (`message`:
    a translated text with {0} for the layer, {1} for what it holds, instead of the usual)."""
    kind = QgsWkbTypes.geometryType(source.wkbType())
    if kind != compat.GeometryType.Polygon:
        raise QgsProcessingException(
            (message or tr("Layer '{0}' must contain polygons, it has {1} geometries.")).format(
                label, QgsWkbTypes.geometryDisplayString(kind)))


def field_mapping(source, required=(), optional=(), label: str = "") -> dict:
    """{canonical 三调 name: the source's field name} (core.fields.match_fields); a missing
    required field is an error naming the field and the layer."""
    try:
        return match_fields(source.fields().names(), required, optional, layer=label)
    except MissingFieldError as err:
        raise QgsProcessingException(
            tr("Field {0} not found in layer '{1}'. The layer needs the 三调 field {0}.").format(
                err.field, label)) from None


def writable_folder(folder: str):
    """An output folder that cannot be made or written to is an error."""
    if not folder:
        raise QgsProcessingException(tr("No output folder given."))
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".qn_write_test_"):
            pass
    except OSError as err:
        raise QgsProcessingException(
            tr("The output folder is not writable: {0} ({1})").format(folder, err)) from None
