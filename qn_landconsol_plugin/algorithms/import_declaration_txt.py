"""qnlandconsol:importdeclarationtxt — 导入报部坐标TXT (read a declaration coordinate
file into polygons, one feature per 地块, in its CGCS2000 GK zone)."""
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)

from ..core import areas as area_calc
from ..core import declaration_txt as txt
from ..core.fields import FieldSpec
from ..core.units import m2_to_ha
from .base import QnAlgorithm
from ..qgis_io.parcels import table_fields

OUTPUT_FIELDS = (
    FieldSpec("DKBH", "str", 60, "地块编号"),
    FieldSpec("DKMC", "str", 120, "地块名称"),
    FieldSpec("JZDS", "int", 8, "界址点数"),
    FieldSpec("DKMJ", "float", 19, "地块面积（公顷）", 4),
    FieldSpec("JSMJ", "float", 19, "坐标计算面积（公顷）", 4),
    FieldSpec("TQMJ", "float", 19, "椭球面积（平方米）", 2),
    FieldSpec("TXSX", "str", 10, "记录图形属性"),
    FieldSpec("TFH", "str", 20, "图幅号"),
    FieldSpec("DKYT", "str", 60, "地块用途"),
    FieldSpec("DLBM", "str", 20, "地类编码"),
    FieldSpec("TBLX", "str", 30, "图斑类型"),
    FieldSpec("DL", "str", 30, "地类"),
    FieldSpec("GZQDB", "str", 10, "改造前等别"),
    FieldSpec("GZHDB", "str", 10, "改造后等别"),
    FieldSpec("BZ", "str", 254, "备注"),
    FieldSpec("SJDW", "str", 120, "数据产生单位"),
    FieldSpec("SJRQ", "str", 20, "数据产生日期"),
    FieldSpec("DH", "int", 2, "带号"),
    FieldSpec("HH", "int", 8, "行号"),
)


class ImportDeclarationTxtAlgorithm(QnAlgorithm):
    NAME = "importdeclarationtxt"
    GROUP_ID = "declaration"
    INPUT, STRICT, OUTPUT = "INPUT", "STRICT", "OUTPUT"

    def displayName(self):  # noqa: N802
        return self.tr("Import declaration coordinate TXT")

    def groupName(self):  # noqa: N802
        return self.tr("Declaration")

    def tags(self):
        return self.tr("declaration,import,TXT,coordinates,boundary,报部格式,界址点").split(",")

    def shortHelpString(self):  # noqa: N802
        return self.tr(
            "Reads a boundary coordinate file in the ministry's exchange format (报部格式: "
            "[属性描述] and [地块坐标]) into polygons, one feature per 地块 with its header fields, "
            "in the CGCS2000 3-degree Gauss-Krüger CRS of its zone number (带号), with the zone "
            "prefix when the Y coordinates carry it. Rings are assembled by 圈号; a ring inside "
            "another becomes its hole. Accepted variants: GBK, UTF-8 (with or without BOM) and "
            "UTF-16; areas with a 公顷 suffix; point numbers that do not restart; sections before "
            "[属性描述]; the 13-field 地块 line; swapped X/Y columns (detected from the digit "
            "count). Every malformed line is reported with its line number; with 'Stop on "
            "errors' a malformed file is rejected.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, self.tr("Declaration TXT file"), extension="txt"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.STRICT, self.tr("Stop on errors (malformed lines)"), False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Declared blocks"), QgsProcessing.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputNumber("BLOCKS", self.tr("Blocks read")))
        self.addOutput(QgsProcessingOutputNumber("ISSUES", self.tr("Problems reported")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        path = self.parameterAsFile(parameters, self.INPUT, context)
        strict = self.parameterAsBool(parameters, self.STRICT, context)
        try:
            result = txt.read_txt(path)
        except OSError as err:
            raise QgsProcessingException(self.tr("Cannot read {0}: {1}").format(path, err)) from None
        feedback.pushInfo(self.tr("Encoding: {0}; {1} block(s)").format(result.encoding,
                                                                         len(result.parcels)))
        for issue in result.issues:
            text = self.tr("line {0}: {1}").format(issue.line, issue.message) if issue.line \
                else issue.message
            if issue.level == "error":
                feedback.reportError(text)
            else:
                feedback.pushWarning(text)
        if strict and result.errors:
            raise QgsProcessingException(self.tr("{0} error(s) in {1}; first: {2}").format(
                len(result.errors), path, result.errors[0]))
        zone = result.zone
        if zone is None:
            raise QgsProcessingException(
                self.tr("No zone number (带号) in {0} and the Y coordinates carry no zone prefix: "
                        "the CRS cannot be known.").format(path))
        crs = QgsCoordinateReferenceSystem(f"EPSG:{zone.epsg}")
        feedback.pushInfo(self.tr("CRS: {0} ({1})").format(crs.authid(), crs.description()))
        fields = table_fields(OUTPUT_FIELDS)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.MultiPolygon, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        header = result.header
        polys = [p.polygon() for p in result.parcels]
        ell = area_calc.ellipsoidal_area(polys, zone.epsg) if polys else []
        total = max(len(polys), 1)
        for i, (p, poly) in enumerate(zip(result.parcels, polys)):
            if feedback.isCanceled():
                break
            f = QgsFeature(fields)
            if not poly.is_empty:
                parts = list(shapely.get_parts(poly))
                geom = QgsGeometry()
                geom.fromWkb(shapely.to_wkb(shapely.MultiPolygon(parts), output_dimension=2))
                f.setGeometry(geom)
            extra = p.extra or {}
            f.setAttributes([
                p.code, p.name, p.n_points, p.area_ha, round(m2_to_ha(poly.area), 6),
                float(ell[i]), p.shape, p.sheet, p.use, p.dlbm,
                extra.get("tblx"), extra.get("dl"), extra.get("grade_before"),
                extra.get("grade_after"), extra.get("remark"),
                header.unit, header.date, zone.zone, p.line])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
            feedback.setProgress(100.0 * (i + 1) / total)
        return {self.OUTPUT: dest, "BLOCKS": len(result.parcels), "ISSUES": len(result.issues)}
