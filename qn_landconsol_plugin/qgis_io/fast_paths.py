"""The one switch over every fast path, and what they share.

Four fast paths give the same result as the plain QGIS way, faster at county scale:
the GDAL Arrow read of parcels (parcels.read_parcels), the SQLite copy of a GeoPackage
output (parcels.write_parcels) and the DEM slope computed on a worker thread while
the parcels are read (rasters.start_slope). Each one is said in the log when it is
taken, but for the smallest: a GeoPackage layer's style that QGIS has already written
once in this session (same layer name, fields and renderer) is stored again with SQLite
(_gpkg_styles; per layer, not logged). All are off when the environment variable
QN_LANDCONSOL_FAST_PATHS is 0 (or false/no/off), or, without that variable, when the QGIS setting
`qn_landconsol/fast_paths` is false; the log then says so. A way out if a fast path
ever misbehaves on someone's data, and the way to check that it does not."""
from __future__ import annotations

ENVIRONMENT_VARIABLE = "QN_LANDCONSOL_FAST_PATHS"
SETTING = "qn_landconsol/fast_paths"
_OFF = {"0", "false", "no", "off"}


def enabled() -> bool:
    """Whether fast paths may be taken: the environment variable when set, else the
    QGIS setting (default on)."""
    import os

    value = os.environ.get(ENVIRONMENT_VARIABLE)
    if value is not None and value.strip():
        return value.strip().lower() not in _OFF
    from qgis.PyQt.QtCore import QSettings

    setting = QSettings().value(SETTING, True)
    return str(setting).strip().lower() not in _OFF


def allowed(feedback, instead: str) -> bool:
    """enabled(); when switched off, the log says what happens `instead` of a fast path
    that would have applied."""
    if enabled():
        return True
    if feedback is not None:
        from ..translation import tr

        feedback.pushInfo(tr("Fast paths are switched off ({0}=0 or the setting {1}): {2}.")
                          .format(ENVIRONMENT_VARIABLE, SETTING, instead))
    return False


def plain_ogr_file(layer):
    """(path, layer name or None, layer index) of a vector layer that is a whole OGR
    file layer exactly as it is on disk (no subset, no unsaved edits, no CRS set over
    the file's, no virtual or joined fields), else None: only then may GDAL or SQLite
    read the file instead of QGIS."""
    from qgis.core import QgsProviderRegistry
    from . import compat

    if layer is None or layer.providerType() != "ogr" or layer.subsetString():
        return None
    if layer.isEditable() and layer.isModified():
        return None          # the edit buffer is not in the file
    if layer.crs() != layer.dataProvider().crs():
        return None          # a CRS set in QGIS over the file's own
    fields = layer.fields()
    if any(fields.fieldOrigin(i) != compat.FieldOrigin.Provider for i in range(fields.count())):
        return None          # virtual (expression) or joined fields are not in the file
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    if not parts.get("path") or parts.get("subset"):
        return None
    return parts["path"], parts.get("layerName") or None, int(parts.get("layerId") or 0)


def gpkg_destination(parameters, key) -> str | None:
    """The .gpkg file a sink parameter names, when it names just a file (no layer
    options, no field remapping, not memory or a database)."""
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProperty
    from . import compat

    value = parameters.get(key)
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        # the dialog always sets a file encoding, which a GeoPackage ignores (UTF-8)
        if set(value.createOptions) - {"fileEncoding"} or value.useRemapping():
            return None
        value = value.sink
    if isinstance(value, QgsProperty):
        if value.propertyType() != compat.PropertyType.Static:
            return None
        value = value.staticValue()
    if not isinstance(value, str) or not value.lower().endswith(".gpkg") or "|" in value:
        return None
    if value.startswith(("memory:", "ogr:", "postgis:", "spatialite:")):
        return None
    return value
