"""The files behind an algorithm's parameters, for the output guards of qgis_io.guards:
which files (and which layer of a GeoPackage) each input reads and each output writes,
with the files that go with them (a shapefile's .dbf/.shx/.prj/.cpg…, a GeoPackage's
-wal/-shm), so that an output naming an input in any of its forms (a path,
`path|layername=…`, `ogr:dbname=… table=…`, a sibling) is refused before it is opened;
and OutputRun, what a run may create, removed again when the run is canceled or fails."""
from __future__ import annotations

import contextlib
import gc
import os
import re
from dataclasses import dataclass

from qgis.core import (
    QgsDataSourceUri,
    QgsProcessing,
    QgsProcessingOutputLayerDefinition,
    QgsProperty,
    QgsProviderRegistry,
    QgsVectorFileWriter,
)

from ..translation import tr
from . import compat
from ._gdal import gdal_exceptions
from ._gpkg_copy import sqlite_uri, table_name

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qpj",
                   ".qmd", ".shp.xml", ".aih", ".ain", ".atx", ".fbn", ".fbx", ".ixs", ".mxs")
SQLITE_FILES = (".gpkg", ".sqlite", ".db", ".spatialite")
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
INPUT_TYPES = ("source", "vector", "raster", "layer", "multilayer", "file", "mesh", "pointcloud")
LAYER_OUTPUTS = ("sink", "vectorDestination")


@dataclass(frozen=True)
class FileTarget:
    """The file a parameter reads or writes; `layer`: the layer of a multi-layer file it
    is about (None: the whole file, or a single-layer format)."""
    parameter: str
    label: str
    path: str
    layer: str | None = None
    folder: bool = False

    @property
    def files(self) -> frozenset:
        return frozenset(_key(p) for p in family(self.path)) if not self.folder \
            else frozenset((_key(self.path),))

    def describe(self) -> str:
        return f"{self.path} ({tr('layer')} {self.layer})" if self.layer else self.path


def _split(path: str):
    low = path.lower()
    for ext in sorted(SHAPEFILE_PARTS, key=len, reverse=True):
        if low.endswith(ext):
            return path[:-len(ext)], ext
    root, ext = os.path.splitext(path)
    return root, ext.lower()


def family(path: str) -> list:
    """The files that go with `path`: every part of a shapefile, a SQLite file and its
    sidecars, else the file alone."""
    root, ext = _split(path)
    if ext in SHAPEFILE_PARTS:
        return [root + e for e in SHAPEFILE_PARTS]
    if ext in SQLITE_FILES:
        return [path] + [path + s for s in SQLITE_SIDECARS]
    return [path]


def _key(path: str) -> str:
    root, ext = _split(os.path.normcase(os.path.realpath(os.path.abspath(path))))
    return root + ext


def multi_layer(path: str) -> bool:
    return _split(path)[1] in SQLITE_FILES


def layer_target(name: str, label: str, layer) -> FileTarget | None:
    """The file of a map layer (None for memory or database layers)."""
    if layer is None:
        return None
    layer = getattr(layer, "layer", layer)        # a rasters.Dem
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path") or parts.get("dbname") or ""
    if not path or not os.path.exists(path):
        return None
    layer_name = None
    if multi_layer(path):
        layer_name = parts.get("layerName") or table_name(path, int(parts.get("layerId") or 0))
    return FileTarget(name, label, path, layer_name)


def input_targets(alg, parameters, context) -> list:
    """The files every input parameter of `alg` reads."""
    targets = []
    for d in alg.parameterDefinitions():
        kind, name, label = d.type(), d.name(), d.description()
        if kind not in INPUT_TYPES or parameters.get(name) in (None, ""):
            continue
        if kind == "file":
            path = alg.parameterAsFile(parameters, name, context)
            if path and os.path.isfile(path):
                targets.append(FileTarget(name, label, path))
            continue
        if kind == "multilayer":
            layers = alg.parameterAsLayerList(parameters, name, context)
        elif kind == "raster":
            path = _raster_file(parameters.get(name), context)
            if path:
                targets.append(FileTarget(name, label, path))
                continue
            layers = [alg.parameterAsRasterLayer(parameters, name, context)]
        elif kind in ("source", "vector"):
            layers = [alg.parameterAsVectorLayer(parameters, name, context)]
        else:
            layers = [alg.parameterAsLayer(parameters, name, context)]
        targets += [t for t in (layer_target(name, label, lyr) for lyr in layers) if t]
    return targets


def _raster_file(value, context):
    """The file of a raster parameter's value without loading it (loading a raster makes
    GDAL write its statistics beside it), '' when it is no plain file path."""
    if hasattr(value, "source") and hasattr(value, "providerType"):
        value = value.source() if value.providerType() == "gdal" else ""
    text = str(value or "")
    project = context.project() if context is not None else None
    if project is not None and project.mapLayer(text) is not None:
        return ""
    return text if os.path.isfile(text) else ""


def _destination(value, context):
    """(path, layer name or None) a destination parameter's value names; None for a
    temporary, memory or database output."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    if isinstance(value, QgsProperty):
        value = value.staticValue() if value.propertyType() == compat.PropertyType.Static \
            else value.valueAsString(context.expressionContext())
        if isinstance(value, tuple):        # PyQGIS: (value, ok)
            value = value[0]
    text = str(value or "").strip()
    if not text or text == QgsProcessing.TEMPORARY_OUTPUT or text.startswith("memory:"):
        return None
    provider = re.match(r"^(.{3,}?):(.*)$", text)
    if provider and not re.match(r"^[A-Za-z]:[\\/]", text):
        if provider.group(1) not in ("ogr", "spatialite"):
            return None
        uri = QgsDataSourceUri(provider.group(2))
        if uri.database():
            return uri.database(), uri.table() or None
        text = provider.group(2)
    path, _, rest = text.partition("|")
    layer = re.search(r"layername=([^|]+)", rest)
    return path, (layer.group(1) if layer else None)


def output_targets(alg, parameters, context) -> list:
    """The files every destination parameter of `alg` writes (a vector output without a
    known extension gets .gpkg, as QGIS does)."""
    targets = []
    for d in alg.parameterDefinitions():
        if not d.isDestination():
            continue
        found = _destination(parameters.get(d.name(), d.defaultValue()), context)
        if found is None:
            continue
        path, layer = found
        path = os.path.abspath(path)
        if d.type() == "folderDestination":
            targets.append(FileTarget(d.name(), d.description(), path, folder=True))
            continue
        if d.type() in LAYER_OUTPUTS:
            ext = os.path.splitext(path)[1].lstrip(".")
            if not ext or not QgsVectorFileWriter.driverForExtension(ext):
                path += ".gpkg"
        targets.append(FileTarget(d.name(), d.description(), path,
                                  layer if multi_layer(path) else None))
    return targets


def _clash(a: FileTarget, b: FileTarget) -> bool:
    if not (a.files & b.files):
        return False
    if a.folder or b.folder or a.layer is None or b.layer is None:
        return True
    return a.layer.casefold() == b.layer.casefold()


def overwrite_conflict(alg, parameters, context) -> str:
    """The translated error when an output of `alg` would overwrite an input or another
    output, '' when none does."""
    outputs = output_targets(alg, parameters, context)
    if not outputs:
        return ""
    for inp in input_targets(alg, parameters, context):
        for out in outputs:
            if _clash(out, inp):
                return tr("Output '{0}' ({1}) would overwrite input '{2}' ({3}). Choose "
                          "another file or layer name; nothing has been written.").format(
                    out.label, out.describe(), inp.label, inp.describe())
    for i, a in enumerate(outputs):
        for b in outputs[i + 1:]:
            if _clash(a, b) and not (a.folder or b.folder):
                return tr("Outputs '{0}' and '{1}' are both {2}: the second would overwrite "
                          "the first. Choose different files; nothing has been written.")\
                    .format(a.label, b.label, a.describe())
    return ""


# --------------------------------------------------------------------------- cancel
def _stat(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _listing(folder):
    try:
        return {e.path: _stat(e.path) for e in os.scandir(folder) if e.is_file()}
    except OSError:
        return {}


def _gpkg_layers(path) -> dict:
    """{layer name (case-folded): its last change} of a GeoPackage (gpkg_contents)."""
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(sqlite_uri(path, read_only=True),
                                                uri=True)) as db:
            rows = db.execute("SELECT table_name, last_change FROM gpkg_contents").fetchall()
    except sqlite3.Error:
        return {}
    return {str(name).casefold(): change for name, change in rows}


class OutputRun:
    """What the outputs of one run may create, as it was before the run: `discard()`
    (when the run was canceled or failed) removes the files the run made or rewrote,
    the layers it added to an existing GeoPackage and the files it made in an output
    folder, and drops them from the layers QGIS would load."""

    def __init__(self, targets):
        self.targets = targets
        self.files, self.folders, self.layers = {}, {}, {}
        for t in targets:
            if t.folder:
                self.folders[t.path] = _listing(t.path)
            elif t.layer is not None and os.path.exists(t.path):
                self.layers[(t.path, t.layer)] = _gpkg_layers(t.path).get(t.layer.casefold())
            else:
                for path in family(t.path):
                    for variant in {path, _upper_ext(path)}:
                        self.files[variant] = _stat(variant)

    @classmethod
    def start(cls, alg, parameters, context) -> "OutputRun":
        return cls(output_targets(alg, parameters, context))

    def discard(self, context=None, feedback=None) -> list:
        """Remove what the run made; the paths removed (layers as 'path|layername=…')."""
        gc.collect()      # let go of sinks and writers still held by the run's frames
        removed = []
        for path, before in self.files.items():
            if _stat(path) is not None and _stat(path) != before and _remove(path):
                removed.append(path)
        for folder, before in self.folders.items():
            for path, now in _listing(folder).items():
                if before.get(path) != now and _remove(path):
                    removed.append(path)
        for (path, layer), before in self.layers.items():
            now = _gpkg_layers(path).get(layer.casefold())
            if now is not None and now != before and _drop_layer(path, layer):
                removed.append(f"{path}|layername={layer}")
        if removed:
            if context is not None:
                _forget(context, removed)
            if feedback is not None:
                feedback.pushInfo(tr("Run not completed: the outputs it had begun were "
                                     "removed: {0}").format(", ".join(removed)))
        return removed


def _upper_ext(path):
    root, ext = _split(path)
    return root + ext.upper()


def _remove(path) -> bool:
    try:
        os.remove(path)
        return True
    except OSError:
        return False


def _drop_layer(path, layer) -> bool:
    from osgeo import gdal

    try:
        with gdal_exceptions():
            ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
            for i in range(ds.GetLayerCount()):
                if ds.GetLayer(i).GetName().casefold() == layer.casefold():
                    ds.DeleteLayer(i)
                    ds = None
                    return True
    except RuntimeError:
        return False
    return False


def _forget(context, removed):
    """Drop the removed outputs from the layers QGIS loads when the run completes."""
    keys = {_key(p.split("|")[0]) for p in removed}
    layers = context.layersToLoadOnCompletion()
    kept = {k: v for k, v in layers.items()
            if not isinstance(k, str) or _key(k.split("|")[0]) not in keys}
    if len(kept) != len(layers):
        context.setLayersToLoadOnCompletion(kept)
