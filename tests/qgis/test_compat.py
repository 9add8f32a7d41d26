"""qgis_io.compat on the QGIS it runs with: every ENUMS row is the member it names (on QGIS
3.22 its old long form, from 3.30 the new name, and both the same member where a QGIS has both),
field types that QgsField keeps, the moved Qt classes, and the replacements of deprecated calls
doing what the old call did."""
import pytest
from qgis.core import (
    QgsField,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsPrintLayout,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QFont

from qn_landconsol_plugin.qgis_io import compat


@pytest.mark.parametrize("new, old", sorted(compat.ENUMS.items()))
def test_every_enum_row_is_the_member_it_names(new, old):
    value = getattr(getattr(compat, compat._enum_name(new.rsplit(".", 1)[0])),
                    new.rsplit(".", 1)[1])
    newest, oldest = compat._qgis(new), compat._qgis(old)
    assert newest is not None or oldest is not None, f"neither {new} nor {old} in this QGIS"
    if newest is not None and oldest is not None:   # 3.30 … 3.44 keep the old name as an alias
        assert newest == oldest
    assert value == (newest if newest is not None else oldest)
    if compat.QGIS_VERSION_INT < 32300:   # the floor has every old long form
        assert oldest is not None


def test_an_enum_whose_members_this_qgis_has_is_the_newest_enum_itself():
    spaces = compat._enums({"Qgis.GeometryType.Polygon":
                            "QgsWkbTypes.GeometryType.PolygonGeometry"})
    newest = compat._qgis("Qgis.GeometryType")
    if newest is not None:
        assert spaces["GeometryType"] is newest
    else:
        assert spaces["GeometryType"].Polygon == compat._qgis(
            "QgsWkbTypes.GeometryType.PolygonGeometry")


@pytest.mark.parametrize("name", sorted(compat.FIELD_TYPES))
def test_field_types_are_kept_by_qgsfield(name):
    kind = getattr(compat.FieldType, name)
    field = QgsField("F", kind)
    assert field.type() == kind
    if compat.QGIS_VERSION_INT < compat.FIELD_TYPES_FROM:   # PyQt5: the QVariant.Type value
        from qgis.PyQt.QtCore import QVariant

        assert kind == getattr(QVariant, compat.FIELD_TYPES[name])


def test_field_types_make_the_fields_a_layer_stores():
    layer = QgsVectorLayer("None", "t", "memory")
    layer.dataProvider().addAttributes([QgsField("S", compat.FieldType.QString),
                                        QgsField("D", compat.FieldType.Double),
                                        QgsField("I", compat.FieldType.Int),
                                        QgsField("L", compat.FieldType.LongLong)])
    layer.updateFields()
    kinds = compat.FieldType
    assert [f.type() for f in layer.fields()] == [kinds.QString, kinds.Double, kinds.Int,
                                                  kinds.LongLong]


@pytest.mark.parametrize("name", sorted(compat.QT_CLASSES))
def test_moved_qt_classes_resolve(name):
    cls = getattr(compat, name)
    assert cls is not None and cls.__name__ == name


def test_label_font_round_trip():
    layout = QgsPrintLayout(QgsProject.instance())
    label = QgsLayoutItemLabel(layout)
    font = QFont("Noto Sans CJK SC")
    font.setPointSizeF(13.5)
    font.setBold(True)
    compat.set_label_font(label, font)
    got = compat.label_font(label)
    assert (got.family(), got.pointSizeF(), got.bold()) == ("Noto Sans CJK SC", 13.5, True)


def test_legend_font_round_trip_per_component():
    layout = QgsPrintLayout(QgsProject.instance())
    legend = QgsLayoutItemLegend(layout)
    spaces = compat._enums({"Qgis.LegendComponent.Title": "QgsLegendStyle.Style.Title",
                            "Qgis.LegendComponent.Group": "QgsLegendStyle.Style.Group"})
    title, group = spaces["LegendComponent"].Title, spaces["LegendComponent"].Group
    font = QFont("Noto Sans CJK SC")
    font.setPointSizeF(12)
    compat.set_legend_font(legend, title, font)
    other = QFont("Noto Serif CJK SC")
    other.setPointSizeF(9)
    compat.set_legend_font(legend, group, other)
    got, got_group = compat.legend_font(legend, title), compat.legend_font(legend, group)
    assert (got.family(), got.pointSizeF()) == ("Noto Sans CJK SC", 12)
    assert (got_group.family(), got_group.pointSizeF()) == ("Noto Serif CJK SC", 9)


def test_save_style_to_database_stores_the_style(tmp_path):
    path = tmp_path / "t.gpkg"
    layer = QgsVectorLayer("Polygon?crs=EPSG:4490&field=A:string", "t", "memory")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProject.instance()
                                              .transformContext(), options)
    stored = QgsVectorLayer(f"{path}|layername=t", "t", "ogr")
    assert stored.isValid()
    assert compat.save_style_to_database(stored, "t", "qn_landconsol", True) == ""
    again = QgsVectorLayer(f"{path}|layername=t", "t", "ogr")
    count, _ids, names, _descriptions, _error = again.listStylesInDatabase()
    assert count == 1 and names == ["t"]
