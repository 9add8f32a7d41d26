"""qnlandconsol:importdeclarationtxt — 导入报部坐标TXT (read a declaration coordinate
file into polygons, one feature per 地块, in its CGCS2000 GK zone). The format and its
checks live in core/declaration_txt*.py; this adapter logs their findings, translated."""
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
)

from ..core import declaration_txt as txt
from ..qgis_io import compat
from ..core.declaration_txt_findings import ACTIONS, issues_to_log
from ..qgis_io.tables import write_table
from .base import QnAlgorithm

LOGGED_PER_KIND = 30     # log lines per kind of finding; the SM field holds them all
ERRORS_IN_MESSAGE = 5    # errors named in the message that stops the algorithm


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
            "UTF-16 (tried in that documented order; the log says which was used); areas with a "
            "公顷 suffix; point numbers that do not restart; sections before [属性描述]; the "
            "13-field 地块 line; swapped X/Y columns (detected from the digit count); full-width "
            "commas and digits, tabs, quotes and empty trailing fields (warnings).\n"
            "Checked, each naming its line and 地块: a file cut off (fewer points than 界址点数, "
            "a ring not closed), points that cannot be where they say (a Y prefix other than "
            "带号, outside the zone or Qiannan, more than 100 km from the 地块's other points), "
            "invalid rings (self-intersecting, fewer than 3 points, no area), 带号 outside the "
            "CGCS2000 3-degree zones 25–45, the stated area against the coordinates, 圈号 out "
            "of order, bytes that are no text.\n"
            "With 'Stop on errors' any of these rejects the file. Without it each is a warning "
            "and the 地块 is imported as a valid polygon (repaired with make_valid) or flagged: "
            "ZT (状态) is 正常, 已修复, 存疑 or 无效 (no geometry) and SM (说明) lists its "
            "problems in Chinese with their line numbers.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, self.tr("Declaration TXT file"), extension="txt"))
        self.addParameter(QgsProcessingParameterBoolean(
            self.STRICT, self.tr("Stop on errors (malformed lines)"), False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Declared blocks"), compat.ProcessingSourceType.VectorPolygon))
        self.addOutput(QgsProcessingOutputNumber("BLOCKS", self.tr("Blocks read")))
        self.addOutput(QgsProcessingOutputNumber("ISSUES", self.tr("Problems reported")))

    def _line_text(self, issue, with_action: bool) -> str:
        """A finding as a translated log line: 'line N: …' (and what was done about it)."""
        text = issue.text(self.tr)
        if with_action and issue.action in ACTIONS:
            text = self.tr("{0} — {1}").format(text, self.tr(ACTIONS[issue.action].en))
        return self.tr("line {0}: {1}").format(issue.line, text) if issue.line else text

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        path = self.parameterAsFile(parameters, self.INPUT, context)
        self._input_name = os.path.splitext(os.path.basename(path))[0]
        strict = self.parameterAsBool(parameters, self.STRICT, context)
        try:
            result = txt.read_txt(path, cancel=feedback.isCanceled)
        except OSError as err:
            raise QgsProcessingException(self.tr("Cannot read {0}: {1}").format(path, err)) from None
        except txt.Canceled:
            return {}
        if result.encoding_note is not None:
            feedback.pushInfo(result.encoding_note.text(self.tr))
        feedback.pushInfo(self.tr("Encoding: {0}; {1} block(s)").format(result.encoding,
                                                                         len(result.parcels)))
        stop = strict and bool(result.errors)
        for issue in issues_to_log(result.issues, LOGGED_PER_KIND):
            if issue.level == "error" and (stop or issue.fatal):
                feedback.reportError(self._line_text(issue, False))
            else:
                feedback.pushWarning(self._line_text(issue, not stop))
        fatal = result.fatal
        if stop or fatal:
            shown = (fatal or result.errors)[:ERRORS_IN_MESSAGE]
            raise QgsProcessingException(self.tr("{0} error(s) in {1}: {2}").format(
                len(result.errors), path, "; ".join(self._line_text(i, False) for i in shown)))
        crs = QgsCoordinateReferenceSystem(f"EPSG:{result.zone.epsg}")
        feedback.pushInfo(self.tr("CRS: {0} ({1})").format(crs.authid(), crs.description()))
        blocks, polygons = txt.declared_blocks(result)
        statuses = blocks["ZT"].value_counts()
        if len(statuses) > 1 or txt.STATUS_OK not in statuses:
            feedback.pushWarning(self.tr("状态 (ZT) of the 地块: {0}").format(
                ", ".join(f"{k} {v}" for k, v in statuses.items())))
        dest = write_table(self, parameters, self.OUTPUT, context, txt.DECLARED_BLOCK_FIELDS,
                           blocks, feedback, polygons, compat.WkbType.MultiPolygon, crs)
        feedback.setProgress(100.0)
        return {self.OUTPUT: dest, "BLOCKS": len(result.parcels), "ISSUES": len(result.issues)}
