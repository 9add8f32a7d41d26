"""qnlandconsol:importdeclarationtxt — 导入报部坐标TXT (read a declaration coordinate
file into polygons, one feature per 地块, in its CGCS2000 GK zone). The format lives in
core/declaration_txt.py."""
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)

from ..core import declaration_txt as txt
from ..qgis_io.tables import write_table
from .base import QnAlgorithm


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

    def help_text(self):
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
        self._input_name = os.path.splitext(os.path.basename(path))[0]
        strict = self.parameterAsBool(parameters, self.STRICT, context)
        try:
            result = txt.read_txt(path)
        except OSError as err:
            raise QgsProcessingException(self.tr("Cannot read {0}: {1}").format(path, err)) from None
        feedback.pushInfo(self.tr("Encoding: {0}; {1} block(s)").format(result.encoding,
                                                                         len(result.parcels)))
        for issue in result.issues:
            text = issue.text(self.tr)
            text = self.tr("line {0}: {1}").format(issue.line, text) if issue.line else text
            if issue.level == "error":
                feedback.reportError(text)
            else:
                feedback.pushWarning(text)
        if strict and result.errors:
            raise QgsProcessingException(self.tr("{0} error(s) in {1}; first: {2}").format(
                len(result.errors), path, result.errors[0]))
        if result.zone is None:
            raise QgsProcessingException(
                self.tr("No zone number (带号) in {0} and the Y coordinates carry no zone prefix: "
                        "the CRS cannot be known.").format(path))
        crs = QgsCoordinateReferenceSystem(f"EPSG:{result.zone.epsg}")
        feedback.pushInfo(self.tr("CRS: {0} ({1})").format(crs.authid(), crs.description()))
        blocks, polygons = txt.declared_blocks(result)
        dest = write_table(self, parameters, self.OUTPUT, context, txt.DECLARED_BLOCK_FIELDS,
                           blocks, feedback, polygons, QgsWkbTypes.MultiPolygon, crs)
        feedback.setProgress(100.0)
        return {self.OUTPUT: dest, "BLOCKS": len(result.parcels), "ISSUES": len(result.issues)}
