"""qnlandconsol:controllinecheck — 三区三线冲突检查 (check parcels against the
ecological red line, permanent basic farmland and the urban development boundary).
The check and its report live in core/control_lines.py and core/control_lines_report.py."""
import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ..core import control_lines as cl
from ..core.control_lines_report import build_report
from ..core.fields import match_fields
from ..core.rules import Rules
from ..qgis_io import compat, styles
from ..qgis_io.parcels import read_parcels, write_parcels
from ..qgis_io.tables import write_table
from .base import QnAlgorithm

PARCEL_FIELDS = ("DLBM", "ZLDWDM", "ZLDWMC", "BSM", "TBBH")
TASK_FIELDS = ("ZZLX", "ZZZLX")


class ControlLineCheckAlgorithm(QnAlgorithm):
    NAME = "controllinecheck"
    GROUP_ID = "controllines"
    INPUT, RED_LINE, PBF, UDB = "INPUT", "RED_LINE", "PBF", "UDB"
    TASK_FIELD, MIN_AREA = "TASK_FIELD", "MIN_AREA"
    OUTPUT, OUTPUT_OVERLAPS, OUTPUT_REPORT = "OUTPUT", "OUTPUT_OVERLAPS", "OUTPUT_REPORT"

    def displayName(self):  # noqa: N802
        return self.tr("Check control lines (red line, basic farmland, urban boundary)")

    def groupName(self):  # noqa: N802
        return self.tr("Control lines")

    def tags(self):
        return self.tr("red line,ecological,PBF,permanent basic farmland,urban development boundary,"
                       "overlap,conflict,三区三线,生态保护红线").split(",")

    def help_text(self):
        return self.tr(
            "Measures how much of each parcel lies inside the ecological red line, the permanent "
            "basic farmland (PBF) and the urban development boundary (UDB), and judges each parcel "
            "by the work planned on it (task fields ZZLX/ZZZLX) or, without them, by its land class: "
            "ecological restoration inside the red line is allowed (0); new farmland, reclamation "
            "to farmland or construction inside it is a conflict (2); existing farmland inside it "
            "and work touching the PBF or the UDB need attention (1). Overlaps smaller than the "
            "minimum area are boundary slivers, reported separately.\n\n"
            "Areas are planar (m², in the parcels' projected CRS) and equal those of QGIS's "
            "'Overlap analysis'. Control lines in another CRS are reprojected; invalid polygons "
            "are repaired.\n\nOutputs: the parcels with HX_MJ/HX_BL, JBNT_MJ/JBNT_BL, "
            "KFBJ_MJ/KFBJ_BL (NULL for a line that was not given), CT_DJ (level), CT_SM (reason), "
            "CT_SL (sliver); the overlap pieces; an HTML report in Chinese with a map.")

    def initAlgorithm(self, config=None):  # noqa: N802
        poly = [compat.ProcessingSourceType.VectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (DLTB, or the tagged project parcels)"), poly))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line"), poly, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PBF, self.tr("Permanent basic farmland"), poly, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.UDB, self.tr("Urban development boundary"), poly, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.TASK_FIELD, self.tr("Task-type field (default ZZLX with ZZZLX)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_AREA, self.tr("Minimum overlap area (m²); smaller ones are slivers"),
            compat.ProcessingNumberParameterType.Double, Rules().overlap_min_area_m2,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with control-line check")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_OVERLAPS, self.tr("Control-line overlaps"),
            compat.ProcessingSourceType.VectorPolygon,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_REPORT, self.tr("Control-line report (HTML)"), self.tr("HTML files (*.html)"),
            optional=True, createByDefault=True))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        task_field = self.parameterAsString(parameters, self.TASK_FIELD, context)
        # overlaps are measured on any polygon layer; the levels need DLBM or tasks
        source = self._parcel_source(parameters, context, feedback, needs=())
        zone_sources = {"HX": self._source(parameters, self.RED_LINE, context),
                        "JBNT": self._source(parameters, self.PBF, context),
                        "KFBJ": self._source(parameters, self.UDB, context)}
        if all(z is None for z in zone_sources.values()):
            raise QgsProcessingException(self.tr(
                "No control line given: choose the ecological red line, the permanent basic "
                "farmland or the urban development boundary (at least one)."))
        min_area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        rules = Rules()
        # parcels and their task fields (lean read: geometries + the named fields)
        mapping = match_fields(source.fields().names(), optional=PARCEL_FIELDS + (
            (task_field,) if task_field else TASK_FIELDS) + ("ZZZLX",))
        feedback.setProgressText(self.tr("Reading parcels…"))
        parcels = read_parcels(source, context, feedback, source.sourceName() or self.tr("parcels"),
                               attributes=mapping, progress=(0.0, 25.0),
                               layer=self.parameterAsVectorLayer(parameters, self.INPUT, context))
        if feedback.isCanceled():
            return {}
        table = parcels.table if len(mapping) else pd.DataFrame(index=range(len(parcels)))
        zzlx, zzzlx = cl.task_columns(table, task_field)
        self._say_what_is_judged(table, zzlx, zzzlx, feedback, source.sourceName())
        zones = self._zones(zone_sources, parcels, context, feedback)
        if zones is None:
            return {}
        feedback.setProgressText(self.tr("Measuring overlaps…"))
        result = cl.check(parcels.geoms, table["DLBM"].tolist() if "DLBM" in table else None,
                          zzlx, zzzlx, zones, rules, min_area, pieces=True,
                          progress=lambda f: feedback.setProgress(37.0 + 20.0 * f))
        if feedback.isCanceled():
            return {}
        self._say_levels(result.result, feedback)
        feedback.setProgressText(self.tr("Writing parcels…"))
        dest = write_parcels(self, parameters, self.OUTPUT, context, parcels, cl.OUTPUT_FIELDS,
                             cl.output_columns(result.result, zones), feedback,
                             progress=(57.0, 85.0))
        if dest is None:    # canceled
            return {}
        styles.style_on_load(context, dest, (), styles.conflict_level_renderer)
        outputs = {self.OUTPUT: dest}
        labels = cl.parcel_labels(table).to_numpy()
        pieces, shapes = cl.overlap_pieces(result, parcels.geoms, labels)
        overlaps = write_table(self, parameters, self.OUTPUT_OVERLAPS, context, cl.OVERLAP_FIELDS,
                               pieces, feedback, shapes, compat.WkbType.MultiPolygon, parcels.crs)
        if overlaps is not None:
            outputs[self.OUTPUT_OVERLAPS] = overlaps
            styles.style_on_load(context, overlaps, (), styles.control_line_renderer)
        report = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        if report:
            feedback.setProgressText(self.tr("Writing the report…"))
            meta = {"layer": source.sourceName(), "min_area": min_area,
                    "crs": f"{parcels.crs.authid()} {parcels.crs.description()}",
                    "warnings": parcels.findings}
            self._write_report(report, table, result, parcels, zones, meta, rules, labels)
            outputs[self.OUTPUT_REPORT] = report
        feedback.setProgress(100.0)
        return outputs

    @staticmethod
    def _write_report(path, table, result, parcels, zones, meta, rules, labels):
        with open(path, "w", encoding="utf-8") as f:
            f.write(build_report(table, result.result, result.found, parcels.geoms, zones, meta,
                                 rules, labels=labels))

    def _say_levels(self, result, feedback):
        counts = np.bincount(result["CT_DJ"].to_numpy(), minlength=3)
        feedback.pushInfo(self.tr("Levels: {0} conflict(s), {1} need attention, {2} without "
                                  "conflict; {3} boundary sliver(s).").format(
            counts[2], counts[1], counts[0], int(result["CT_SL"].sum())))

    def _say_what_is_judged(self, table, zzlx, zzzlx, feedback, source_name):
        no_tasks = zzlx is None and zzzlx is None
        if "DLBM" not in table and no_tasks:
            feedback.pushWarning(self.tr(
                "Layer '{0}' has neither the land-use code DLBM nor task fields (ZZLX/ZZZLX): "
                "its levels CT_DJ judge nothing, only the overlap areas are measured.").format(
                source_name))
        elif "DLBM" not in table:
            feedback.pushWarning(self.tr("The parcels have no land-use code field DLBM: only planned "
                                         "work decides the levels."))
        elif no_tasks:
            feedback.pushInfo(self.tr("No task-type field (ZZLX/ZZZLX): every parcel is judged "
                                      "as a project parcel from its land class (DLBM) alone."))

    def _zones(self, zone_sources, parcels, context, feedback):
        """{line key: core ZoneIndex} of the lines given, in the parcels' working CRS;
        None when canceled."""
        labels = {"HX": self.tr("Ecological red line"), "JBNT": self.tr("Permanent basic farmland"),
                  "KFBJ": self.tr("Urban development boundary")}
        zones = {}
        for k, (key, zsrc) in enumerate(zone_sources.items()):
            if zsrc is None:
                continue
            feedback.setProgressText(self.tr("Preparing {}…").format(labels[key]))
            layer = read_parcels(zsrc, context, feedback, labels[key], parcels.crs,
                                 progress=(25.0 + 4 * k, 29.0 + 4 * k))
            zone = cl.ZoneIndex(layer.geoms)
            zone.repaired = max(zone.repaired, layer.repaired)
            if not zone.empty:
                feedback.pushInfo(self.tr("{0}: {1} polygon(s), {2:.2f} ha, cut into {3} tiles.")
                                  .format(labels[key], zone.count, zone.area / 10000.0,
                                          len(zone.tiles)))
            zones[key] = zone
            if feedback.isCanceled():
                return None
        for finding in cl.zone_findings(zones):
            feedback.pushWarning(finding.text(self.tr, line=labels[finding.values["key"]]))
        return zones
