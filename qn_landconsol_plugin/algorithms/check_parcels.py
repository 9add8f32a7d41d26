"""qnlandconsol:checkparcels — 三调图斑质检, the parcel quality check a technician runs
first on a parcel layer: CRS, attributes, geometry and topology, per parcel and in a
summary. The checks live in core/parcel_quality.py (on core.parcel_checks, core.topology
and core.layer_checks), the report in core/reports/parcel_quality.py."""
from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ..core import parcel_quality as pq
from ..core.areas import ellipsoidal_area
from ..core.layer_checks import CRS_FINDINGS
from ..core.messages import ERROR, WARNING, finding
from ..core.reports import parcel_quality as report_pq
from ..core.rules import Rules
from ..qgis_io import compat, guards, styles
from ..qgis_io.crs import working_crs
from ..qgis_io.layer_roles import layer_name
from ..qgis_io.parcels import read_parcels, write_parcels
from ..qgis_io.tables import write_table
from .base import QnAlgorithm

READ_FIELDS = ("BSM", "TBBH", "DLBM", "ZLDWDM", "ZLDWMC", "TBMJ", "KCXS", "KCMJ", "TBDLMJ",
               "GDPDJB")


class CheckParcelsAlgorithm(QnAlgorithm):
    NAME = "checkparcels"
    GROUP_ID = "quality"
    INPUT, TOLERANCE, SLIVER = "INPUT", "TOLERANCE", "SLIVER"
    OUTPUT, OUTPUT_TOPOLOGY = "OUTPUT", "OUTPUT_TOPOLOGY"
    OUTPUT_REPORT, OUTPUT_XLSX = "OUTPUT_REPORT", "OUTPUT_XLSX"
    PROBLEM_PARCELS, GAPS, OVERLAPS = "PROBLEM_PARCELS", "GAPS", "OVERLAPS"

    def displayName(self):  # noqa: N802
        return self.tr("Check parcels (三调 quality check)")

    def groupName(self):  # noqa: N802
        return self.tr("Quality check")

    def tags(self):
        return self.tr("quality,check,topology,gap,overlap,invalid,NULL,duplicate,BSM,TBMJ,"
                       "CRS,质检,图斑,拓扑,面不重叠,面无缝隙").split(",")

    def help_text(self):
        return self.tr(
            "The check to run first on a 三调 parcel layer (DLTB). It reports, per parcel and "
            "in a summary, every problem the other algorithms would meet:\n"
            "the layer's CRS missing, undefined or contradicting the coordinates (zone "
            "prefix, degrees, swapped axes, outside Qiannan); NULLs in BSM, DLBM, ZLDWDM, "
            "TBMJ, KCMJ, TBDLMJ and, on farmland, KCXS and GDPDJB; DLBM codes that are no "
            "三调 code (of the K codes only the nine that exist); duplicate BSM; TBMJ more "
            "than the tolerance away from the ellipsoidal area; KCMJ ≠ round(TBMJ × KCXS, 2) "
            "and TBDLMJ ≠ TBMJ − KCMJ; invalid geometries (with GEOS's reason and where, "
            "e.g. a self-intersection at x, y) and features without geometry; gaps between "
            "and overlaps of parcels (面无缝隙、面不重叠), those smaller than the sliver "
            "tolerance only counted.\n"
            "A layer without a usable CRS is still checked: measured in the CRS its "
            "coordinates fit where a finding names it, else as metres (TBMJ against the "
            "planar area), and not measured when its coordinates are degrees. The input is "
            "never changed.\n"
            "Outputs: the parcels with one flag field per check (1 = problem, 0 = none, NULL "
            "= not checked), ZJ_SL (number of problems) and ZJ_SM (every problem in "
            "Chinese); the gaps and overlaps as polygons with their area and the parcels "
            "involved; an HTML report and an .xlsx workbook in Chinese (per check the "
            "parcels, their area in 亩, the first examples and how to fix them).")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (三调 DLTB)"),
            [compat.ProcessingSourceType.VectorPolygon]))
        self.addParameter(QgsProcessingParameterNumber(
            self.TOLERANCE, self.tr("TBMJ tolerance against the ellipsoidal area (%)"),
            compat.ProcessingNumberParameterType.Double, Rules().tbmj_tolerance_pct,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.SLIVER, self.tr("Sliver tolerance (m²): smaller gaps and overlaps are only "
                                 "counted"),
            compat.ProcessingNumberParameterType.Double, pq.DEFAULT_SLIVER_M2, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with quality flags"),
            compat.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_TOPOLOGY, self.tr("Topology problems (gaps, overlaps)"),
            compat.ProcessingSourceType.VectorPolygon, optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_REPORT, self.tr("Quality report (HTML)"), self.tr("HTML files (*.html)"),
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_XLSX, self.tr("Quality workbook (xlsx)"), self.tr("Excel files (*.xlsx)"),
            optional=True, createByDefault=True))
        self.addOutput(QgsProcessingOutputNumber(self.PROBLEM_PARCELS,
                                                 self.tr("Parcels with problems")))
        self.addOutput(QgsProcessingOutputNumber(self.GAPS, self.tr("Gaps")))
        self.addOutput(QgsProcessingOutputNumber(self.OVERLAPS, self.tr("Overlaps")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self._parcel_source(parameters, context, feedback, needs=())
        label = layer_name(source, self.tr("Parcels"))
        tolerance = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        sliver = self.parameterAsDouble(parameters, self.SLIVER, context)
        source_crs, crs_found, plan = self._crs(source, label, context, feedback)
        crs = working_crs(source_crs, source.sourceExtent(), context, feedback, label) \
            if plan.kind == "crs" else source_crs
        feedback.setProgressText(self.tr("Reading parcels…"))
        parcels = read_parcels(
            source, context, feedback, label, crs,
            guards.field_mapping(source, (), READ_FIELDS, label), checks=False,
            source_crs=source_crs, repair=False, progress=(0.0, 25.0),
            layer=self.parameterAsVectorLayer(parameters, self.INPUT, context))
        if feedback.isCanceled():
            return {}
        feedback.setProgressText(self.tr("Checking parcels…"))
        report = pq.check_quality(
            parcels.table, parcels.geoms, label, parcels.fids, plan,
            self._ellipsoidal(plan, parcels.crs), tolerance, sliver, crs_found,
            progress=lambda f: feedback.setProgress(25.0 + 35.0 * f))
        if feedback.isCanceled():
            return {}
        self._log(report, feedback)
        feedback.setProgressText(self.tr("Writing parcels…"))
        dest = write_parcels(self, parameters, self.OUTPUT, context, parcels, pq.OUTPUT_FIELDS,
                             report.output_columns(), feedback, progress=(60.0, 90.0))
        if dest is None:    # canceled
            return {}
        styles.style_on_load(context, dest, pq.OUTPUT_FIELDS, styles.quality_renderer)
        topo = report.topology
        outputs = {self.OUTPUT: dest,
                   self.PROBLEM_PARCELS: int((report.problems > 0).sum()),
                   self.GAPS: len(topo.gaps) if topo is not None else None,
                   self.OVERLAPS: len(topo.overlaps) if topo is not None else None}
        frame, shapes = pq.topology_table(report)
        problems = write_table(self, parameters, self.OUTPUT_TOPOLOGY, context, pq.TOPOLOGY_FIELDS,
                               frame, feedback, shapes, compat.WkbType.MultiPolygon, parcels.crs)
        if problems is not None:
            outputs[self.OUTPUT_TOPOLOGY] = problems
            styles.style_on_load(context, problems, pq.TOPOLOGY_FIELDS, styles.topology_renderer,
                                 stack=1)
        meta = {"layer": label, "crs": _crs_text(parcels.crs)}
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        if html_path:
            feedback.setProgressText(self.tr("Writing the report…"))
            with open(html_path, "w", encoding="utf-8") as f:
                f.write(report_pq.build_html(report, parcels.table, parcels.fids, meta))
            outputs[self.OUTPUT_REPORT] = html_path
        xlsx_path = self.parameterAsFileOutput(parameters, self.OUTPUT_XLSX, context)
        if xlsx_path:
            from ..core.reports.xlsx import write_workbook

            feedback.setProgressText(self.tr("Writing the workbook…"))
            write_workbook(xlsx_path, report_pq.workbook_sheets(report, parcels.table,
                                                                 parcels.fids, meta))
            outputs[self.OUTPUT_XLSX] = xlsx_path
        feedback.setProgress(100.0)
        return outputs

    def _crs(self, source, label, context, feedback):
        """(the CRS the coordinates are in, the CRS findings to report, core's
        MeasurePlan): a missing or contradicted CRS is reported, not a stop (the
        coordinates are then read as they are); the CRS the user opted to assume for
        layers without one (guards.assumed_crs) is used and said."""
        source_crs = source.sourceCrs()
        found = guards.layer_crs_findings(source_crs, source.sourceExtent(), label, context)
        judged = found
        if found and found[0].code in ("CRS_MISSING", "CRS_UNDEFINED"):
            assumed = guards.assumed_crs()
            if assumed is not None:
                source_crs = assumed
                judged = guards.layer_crs_findings(assumed, source.sourceExtent(), label,
                                                   context)
                found = found + [finding(CRS_FINDINGS, WARNING, "CRS_ASSUMED", layer=label,
                                         assumed=assumed.authid(),
                                         setting=guards.ASSUME_CRS_SETTING)] + judged
        return source_crs, found, pq.measure_plan(judged,
                                                  guards.layer_bounds(source.sourceExtent()))

    @staticmethod
    def _ellipsoidal(plan, crs):
        """Ellipsoidal areas of geometries in the coordinates read, None when there is no
        CRS to place them (the planar area then stands in)."""
        if plan.kind == "crs":
            wkt = crs.toWkt()
            return lambda geoms: ellipsoidal_area(geoms, wkt)
        if plan.kind == "suggested":
            return lambda geoms: ellipsoidal_area(geoms, plan.crs)
        return None

    def _log(self, report, feedback):
        """Every layer finding, then every check's count and area, in the log."""
        for f in report.layer_findings:
            (feedback.reportError if f.level == ERROR else feedback.pushWarning)(f.text(self.tr))
        counts = report.counts
        for check in pq.QUALITY_CHECKS:
            title = self.tr(check.title.en)
            if not report.checked.get(check.code):
                feedback.pushInfo(self.tr("{0}: not checked.").format(title))
            elif counts[check.code]:
                feedback.pushWarning(self.tr("{0}: {1} parcel(s), {2:.2f} 亩 (field {3}).").format(
                    title, counts[check.code], report.area_mu(check.code), check.field))
            else:
                feedback.pushInfo(self.tr("{0}: 0 parcels.").format(title))
        topo = report.topology
        if topo is not None:
            feedback.pushInfo(self.tr(
                "Topology: {0} gap(s) of {1:.4f} m² in all, {2} overlap(s) of {3:.4f} m² in all; "
                "{4} sliver(s) under {5:g} m² ({6:.6f} m²) only counted.").format(
                len(topo.gaps), sum(g.area for g in topo.gaps), len(topo.overlaps),
                sum(o.area for o in topo.overlaps), topo.slivers_below_tolerance,
                report.sliver_m2, topo.sliver_area_below_tolerance))
        bad = int((report.problems > 0).sum())
        feedback.pushInfo(self.tr("{0} of {1} parcels have problems.").format(bad, len(report)))


def _crs_text(crs) -> str:
    if crs is None or not crs.isValid():
        return "无（未定义坐标系）"
    return f"{crs.authid()} {crs.description()}".strip()
