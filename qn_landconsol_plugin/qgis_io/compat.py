"""The one place that knows QGIS and Qt versions: names that moved between QGIS 3.22 and
QGIS 4 (Qt6), resolved once from the tables below so the rest of the code is written one way.

- QGIS enums newer QGIS renamed (mostly into `Qgis`): `compat.GeometryType.Polygon` is
  `Qgis.GeometryType.Polygon` where this QGIS has it (3.30+), `QgsWkbTypes.PolygonGeometry`
  before. ENUMS lists each member the plugin uses; `tools/qt6_check.py --fix` adds the rows.
- Field types: `compat.FieldType.QString` is `QMetaType.Type.QString` from QGIS 3.38 (QgsField
  takes QMetaType there, and Qt6 has no QVariant.Type), `QVariant.String` before.
- Qt classes that moved module between Qt5 and Qt6 (`compat.QAction`: QtWidgets -> QtGui).
- Calls newer QGIS deprecates whose replacement 3.22 lacks (the functions at the end).
"""
import importlib
from types import SimpleNamespace

from qgis.core import Qgis, QgsTextFormat
from qgis.PyQt.QtCore import QMetaType, QVariant

QGIS_VERSION_INT = Qgis.versionInt()   # 32216 for 3.22.16

# newest QGIS name (Qgis.<enum>.<member>) -> the long form QGIS 3.22 has
ENUMS = {
    "Qgis.DistanceUnit.Degrees": "QgsUnitTypes.DistanceUnit.DistanceDegrees",
    "Qgis.DistanceUnit.Kilometers": "QgsUnitTypes.DistanceUnit.DistanceKilometers",
    "Qgis.DistanceUnit.Meters": "QgsUnitTypes.DistanceUnit.DistanceMeters",
    "Qgis.FeatureRequestFlag.NoGeometry": "QgsFeatureRequest.Flag.NoGeometry",
    "Qgis.FieldOrigin.Provider": "QgsFields.FieldOrigin.OriginProvider",
    "Qgis.GeometryType.Polygon": "QgsWkbTypes.GeometryType.PolygonGeometry",
    "Qgis.LabelPlacement.AroundPoint": "QgsPalLayerSettings.Placement.AroundPoint",
    "Qgis.LayerFilter.PolygonLayer": "QgsMapLayerProxyModel.Filter.PolygonLayer",
    "Qgis.LayerFilter.RasterLayer": "QgsMapLayerProxyModel.Filter.RasterLayer",
    "Qgis.LayoutUnit.Millimeters": "QgsUnitTypes.LayoutUnit.LayoutMillimeters",
    "Qgis.LegendComponent.Group": "QgsLegendStyle.Style.Group",
    "Qgis.LegendComponent.Subgroup": "QgsLegendStyle.Style.Subgroup",
    "Qgis.LegendComponent.SymbolLabel": "QgsLegendStyle.Style.SymbolLabel",
    "Qgis.LegendComponent.Title": "QgsLegendStyle.Style.Title",
    "Qgis.ProcessingAlgorithmFlag.HideFromModeler":
        "QgsProcessingAlgorithm.Flag.FlagHideFromModeler",
    "Qgis.ProcessingAlgorithmFlag.NoThreading": "QgsProcessingAlgorithm.Flag.FlagNoThreading",
    "Qgis.ProcessingFeatureSourceFlag.SkipGeometryValidityChecks":
        "QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks",
    "Qgis.ProcessingFieldParameterDataType.Any": "QgsProcessingParameterField.DataType.Any",
    "Qgis.ProcessingNumberParameterType.Double": "QgsProcessingParameterNumber.Type.Double",
    "Qgis.ProcessingNumberParameterType.Integer": "QgsProcessingParameterNumber.Type.Integer",
    "Qgis.ProcessingParameterFlag.Advanced": "QgsProcessingParameterDefinition.Flag.FlagAdvanced",
    "Qgis.ProcessingParameterFlag.Optional": "QgsProcessingParameterDefinition.Flag.FlagOptional",
    "Qgis.ProcessingSourceType.Vector": "QgsProcessing.SourceType.TypeVector",
    "Qgis.ProcessingSourceType.VectorPolygon": "QgsProcessing.SourceType.TypeVectorPolygon",
    "Qgis.PropertyType.Static": "QgsProperty.Type.StaticProperty",
    "Qgis.RenderUnit.Points": "QgsUnitTypes.RenderUnit.RenderPoints",
    "Qgis.SpatialIndexPresence.Present":
        "QgsFeatureSource.SpatialIndexPresence.SpatialIndexPresent",
    "Qgis.VectorProviderCapability.AddAttributes":
        "QgsVectorDataProvider.Capability.AddAttributes",
    "Qgis.VectorProviderCapability.ChangeAttributeValues":
        "QgsVectorDataProvider.Capability.ChangeAttributeValues",
    "Qgis.WkbType.MultiPolygon": "QgsWkbTypes.Type.MultiPolygon",
    "Qgis.WkbType.NoGeometry": "QgsWkbTypes.Type.NoGeometry",
    "Qgis.WkbType.Polygon": "QgsWkbTypes.Type.Polygon",
}

# QgsField types: QMetaType.Type name (QGIS >= 3.38, Qt6) -> QVariant.Type name (before)
FIELD_TYPES = {
    "Bool": "Bool", "Int": "Int", "UInt": "UInt", "LongLong": "LongLong",
    "ULongLong": "ULongLong", "Double": "Double", "QString": "String", "QStringList": "StringList",
    "QDate": "Date", "QTime": "Time", "QDateTime": "DateTime", "QByteArray": "ByteArray",
    "QVariantMap": "Map", "QVariantList": "List",
}
FIELD_TYPES_FROM = 33800

# Qt classes that moved: name -> (module in Qt6, module in Qt5)
QT_CLASSES = {
    "QAction": ("QtGui", "QtWidgets"),
    "QActionGroup": ("QtGui", "QtWidgets"),
    "QShortcut": ("QtGui", "QtWidgets"),
    "QFileSystemModel": ("QtGui", "QtWidgets"),
    "QUndoCommand": ("QtGui", "QtWidgets"),
    "QUndoGroup": ("QtGui", "QtWidgets"),
    "QUndoStack": ("QtGui", "QtWidgets"),
}


def _qgis(path: str):
    """The object at a dotted path of qgis.core (qgis.gui), None when this QGIS has none."""
    head, *rest = path.split(".")
    for module in ("qgis.core", "qgis.gui"):
        obj = getattr(importlib.import_module(module), head, None)
        if obj is not None:
            break
    for part in rest:
        obj = getattr(obj, part, None)
    return obj


def _enum_name(enum_path: str) -> str:
    """compat's name of an enum: Qgis.GeometryType -> GeometryType (QgsFoo.Bar -> QgsFoo_Bar
    for a class enum that only renamed its members)."""
    return (enum_path[len("Qgis."):] if enum_path.startswith("Qgis.")
            else enum_path.replace(".", "_"))


def _enums(table: dict) -> dict:
    """{compat name: the newest enum when this QGIS has every member of the table in it, else
    a namespace of the members, each the newest where it exists and 3.22's otherwise}."""
    members, newest = {}, {}
    for new, old in table.items():
        enum_path, member = new.rsplit(".", 1)
        value = _qgis(new)
        newest[enum_path] = newest.get(enum_path, True) and value is not None
        members.setdefault(enum_path, {})[member] = _qgis(old) if value is None else value
    return {_enum_name(path): _qgis(path) if newest[path] else SimpleNamespace(**found)
            for path, found in members.items()}


def _qt_class(name: str, qt6: str, qt5: str):
    for module in (qt6, qt5):
        obj = getattr(importlib.import_module(f"qgis.PyQt.{module}"), name, None)
        if obj is not None:
            return obj
    return None


globals().update(_enums(ENUMS))
globals().update({name: _qt_class(name, *where) for name, where in QT_CLASSES.items()})
FieldType = (QMetaType.Type if QGIS_VERSION_INT >= FIELD_TYPES_FROM else
             SimpleNamespace(**{new: getattr(QVariant, old) for new, old in FIELD_TYPES.items()}))


def geos_version() -> tuple:
    """(major, minor) of the GEOS QGIS is linked with."""
    return Qgis.geosVersionMajor(), Qgis.geosVersionMinor()


def parameter_as_strings(algorithm, parameters, name, context) -> list:
    """The field names chosen in a field parameter (parameterAsFields is deprecated from
    QGIS 3.40; parameterAsStrings is there from 3.32)."""
    if hasattr(algorithm, "parameterAsStrings"):
        return algorithm.parameterAsStrings(parameters, name, context)
    return algorithm.parameterAsFields(parameters, name, context)


def save_style_to_database(layer, name: str, description: str, default: bool) -> str:
    """Store the layer's style in its data source; the error message ('' when saved).
    saveStyleToDatabaseV2 (QGIS 3.44 on) replaces the deprecated saveStyleToDatabase."""
    if hasattr(layer, "saveStyleToDatabaseV2"):
        return layer.saveStyleToDatabaseV2(name, description, default, "")[1]
    return layer.saveStyleToDatabase(name, description, default, "")


# Layout text: label and legend fonts are text formats from QGIS 3.24 (labels) and 3.30
# (legends); the QFont setters are deprecated from 3.40.
def _with_font(fmt: QgsTextFormat, font) -> QgsTextFormat:
    sized = QgsTextFormat.fromQFont(font)   # the font's size, in points
    fmt.setFont(font)
    fmt.setSize(sized.size())
    fmt.setSizeUnit(sized.sizeUnit())
    return fmt


def label_font(label):
    """The QFont (with its size) of a QgsLayoutItemLabel."""
    return label.textFormat().toQFont() if hasattr(label, "textFormat") else label.font()


def set_label_font(label, font):
    if hasattr(label, "setTextFormat"):
        label.setTextFormat(_with_font(label.textFormat(), font))
    else:
        label.setFont(font)


def legend_font(legend, component):
    """The QFont (with its size) of one component (title, group ...) of a QgsLayoutItemLegend."""
    style = legend.style(component)
    return (style.textFormat().toQFont() if hasattr(style, "textFormat")
            else legend.styleFont(component))


def set_legend_font(legend, component, font):
    style = legend.style(component)
    if hasattr(style, "setTextFormat"):
        style.setTextFormat(_with_font(style.textFormat(), font))
        legend.setStyle(component, style)
    else:
        legend.setStyleFont(component, font)
