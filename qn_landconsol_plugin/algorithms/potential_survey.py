"""qnlandconsol:potentialsurvey — 整治潜力调查评估 (survey consolidation potential).

Thin adapter: reads the parcels, DEM, control lines, buildings and household
survey, and hands plain data to core.potential, which holds every rule (and
reuses the slope, idle-homestead, control-line, swap and contiguity cores)."""
from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsRendererCategory,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core import areas as core_areas
from ..core import potential as pot
from ..core.contiguity import Canceled
from ..core.reports import survey as survey_report
from ..core.rules import Rules
from ..core.units import M2_PER_MU
from . import dem_io, parcel_io
from .base import QnAlgorithm
from .household_parameters import HouseholdParameters

PARCEL_FIELDS = pot.INPUT_FIELDS
LEVEL_KEYS = ("village", "township", "county")

# post-processors must outlive processAlgorithm (QGIS keeps only a pointer)
_POST_PROCESSORS = {}


class _Style(QgsProcessingLayerPostProcessorInterface):
    """Chinese aliases; parcels coloured by their first potential type."""

    def __init__(self, specs, categorised=False, none_label=""):
        super().__init__()
        self.specs = tuple(specs)
        self.categorised = categorised
        self.none_label = none_label

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            return
        for spec in self.specs:
            index = layer.fields().lookupField(spec.name)
            if index >= 0:
                layer.setFieldAlias(index, spec.alias)
        if self.categorised:
            categories = []
            for t in pot.POTENTIAL_TYPES:
                symbol = QgsFillSymbol.createSimple({"color": t.color, "outline_color": "#555555",
                                                     "outline_width": "0.15"})
                categories.append(QgsRendererCategory(t.zh, symbol, t.zh))
            symbol = QgsFillSymbol.createSimple({"color": "240,240,240,90",
                                                 "outline_color": "#bdbdbd",
                                                 "outline_width": "0.1"})
            categories.append(QgsRendererCategory("", symbol, self.none_label))
            expression = "coalesce(array_first(string_to_array(\"QL_LX\", ';')), '')"
            layer.setRenderer(QgsCategorizedSymbolRenderer(expression, categories))
        layer.triggerRepaint()


class PotentialSurveyAlgorithm(HouseholdParameters, QnAlgorithm):
    NAME = "potentialsurvey"
    GROUP_ID = "survey"

    INPUT, DEM, BUILDINGS, BUILDING_STATUS_FIELD = "INPUT", "DEM", "BUILDINGS", "BUILDING_STATUS_FIELD"
    RED_LINE, PBF, UDB = "RED_LINE", "PBF", "UDB"
    ABANDONED_IDS, LEVEL, SUMMARY_FIELD, TARGETS = "ABANDONED_IDS", "LEVEL", "SUMMARY_FIELD", "TARGETS"
    CONTIGUITY = "CONTIGUITY"
    OUTPUT, OUTPUT_SUMMARY, OUTPUT_CHECKS = "OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_CHECKS"
    OUTPUT_XLSX, OUTPUT_REPORT = "OUTPUT_XLSX", "OUTPUT_REPORT"

    DEFAULTS = {BUILDING_STATUS_FIELD: "FWZT", **HouseholdParameters.HOUSEHOLD_DEFAULTS}

    def displayName(self):  # noqa: N802
        return self.tr("Survey consolidation potential")

    def groupName(self):  # noqa: N802
        return self.tr("Potential survey")

    def tags(self):
        return self.tr("potential,survey,targets,new farmland,workbook,report,潜力,整治潜力").split(",")

    def shortHelpString(self):  # noqa: N802
        return self.tr(
            "The first step of a consolidation project: finds every parcel's consolidation "
            "potential (QL_LX, one or more types separated by ';'), its family (农用地整理 / "
            "建设用地整理 / 生态保护修复), its area (QL_MJ m², QL_MU 亩) and the new farmland it "
            "brings (XZGD_MJ m², negative where farmland leaves).\n"
            "Types: 田坎归并 (terraced farmland whose KCXS is above the target of its slope grade: "
            "TBMJ × (KCXS − target)); 宜耕后备资源开发 (0404, 1204–1207 and village 1201, mean "
            "slope ≤ 25°, outside the red line and the urban boundary: TBMJ × 0.85); 旱改水 (0103 "
            "of slope grade ≤ 2); 林耕置换 in and out and 坡耕地退出 (as 'Forest–farmland swap "
            "candidates' and 'Flag slope farmland' decide them); 宅基地复垦 (idle homesteads as "
            "'Flag idle homesteads' decides them, TBMJ × 0.9 when reclaimable to farmland); "
            "工矿废弃地复垦 and 矿山生态修复 (0602 with 废弃 in BZ or listed by BSM); 石漠化治理; "
            "水土流失治理 (farmland > 25°). Every threshold comes from the plugin's rules.\n"
            "Types whose inputs are missing (DEM, red line, buildings and household survey) are "
            "skipped, and the report says which and why.\n"
            "Summaries per village, township or county (ZLDWDM, or a chosen field): potential in "
            "亩 by family and type, new farmland, original farmland, PBF, construction land before "
            "and after, progress against the targets (default: the prefecture's 2030 targets "
            "73,500 / 2,300 / 3,500 亩 and 12 villages; enter your own as four numbers). Rule "
            "checks per township and in total: new farmland ≥ 5 % of the original farmland, "
            "construction land does not increase, no new farmland above 25° or inside the red "
            "line, PBF moved out ≤ 5 % and replaced ≥ 105 %. Writes an Excel workbook and a "
            "self-contained HTML report in Chinese with charts, a map and the farmland contiguity "
            "before and after.")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        poly = [QgsProcessing.TypeVectorPolygon]
        advanced = []
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (三调 DLTB)"), poly))
        self.addParameter(QgsProcessingParameterRasterLayer(self.DEM, self.tr("DEM"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line"), poly, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PBF, self.tr("Permanent basic farmland"), poly, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.UDB, self.tr("Urban development boundary"), poly, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BUILDINGS, self.tr("Building footprints"), poly, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.BUILDING_STATUS_FIELD, self.tr("Building status field"),
            self.DEFAULTS[self.BUILDING_STATUS_FIELD], self.BUILDINGS, optional=True))
        self.add_household_parameters(advanced)
        advanced.append(QgsProcessingParameterString(
            self.ABANDONED_IDS, self.tr("BSM of abandoned mining parcels (comma separated)"),
            "", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.LEVEL, self.tr("Summarise by"),
            [self.tr("Village"), self.tr("Township"), self.tr("County")], defaultValue=0))
        self.addParameter(QgsProcessingParameterField(
            self.SUMMARY_FIELD, self.tr("Summarise by this field instead (e.g. without ZLDWDM)"),
            None, self.INPUT, optional=True))
        t = rules.targets
        self.addParameter(QgsProcessingParameterString(
            self.TARGETS, self.tr("Targets: 农用地整理 亩, 建设用地整理 亩, 生态修复 亩, 和美乡村"),
            f"{t.farmland_mu:g},{t.construction_mu:g},{t.ecological_mu:g},{t.villages:d}"))
        advanced.append(QgsProcessingParameterBoolean(
            self.CONTIGUITY, self.tr("Farmland contiguity before/after in the report"), True))
        for param in advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(param)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with potential"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SUMMARY, self.tr("Potential summary"), QgsProcessing.TypeVector))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_CHECKS, self.tr("Rule checks"), QgsProcessing.TypeVector,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_XLSX, self.tr("Potential workbook (Excel)"), self.tr("Excel files (*.xlsx)"),
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_REPORT, self.tr("Potential report (HTML)"), self.tr("HTML files (*.html)"),
            optional=True, createByDefault=True))

    # ------------------------------------------------------------------ helpers
    def _zone(self, source, label, crs, context, feedback, progress):
        if source is None:
            return None
        layer = parcel_io.read_geometries(source, context, feedback, label, crs, progress=progress)
        feedback.pushInfo(self.tr("{0}: {1} polygon(s).").format(label, len(layer.geoms)))
        return layer.geoms

    # ------------------------------------------------------------------ main
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        rules = Rules()
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
        red_src = self._source(parameters, self.RED_LINE, context)
        pbf_src = self._source(parameters, self.PBF, context)
        udb_src = self._source(parameters, self.UDB, context)
        bld_src = self._source(parameters, self.BUILDINGS, context)
        hh_src = self._source(parameters, self.HOUSEHOLDS, context)
        try:
            targets = pot.parse_targets(self.parameterAsString(parameters, self.TARGETS, context),
                                        rules.targets)
        except ValueError as err:
            raise QgsProcessingException(self.tr("Invalid targets: {}").format(err)) from None
        level = LEVEL_KEYS[self.parameterAsEnum(parameters, self.LEVEL, context)]
        parcels_label = self.tr("Parcels")
        summary_field = self._field(parameters, self.SUMMARY_FIELD, context, source, feedback,
                                    parcels_label)
        parcel_key = self._field(parameters, self.PARCEL_KEY, context, source, feedback,
                                 parcels_label)
        status_field = self._field(parameters, self.BUILDING_STATUS_FIELD, context, bld_src,
                                   feedback, self.tr("Building footprints"))
        hh_key = self._field(parameters, self.HOUSEHOLD_KEY, context, hh_src, feedback,
                             self.tr("Household table"))
        if hh_src is not None and (hh_key is None or parcel_key is None):
            raise QgsProcessingException(self.tr(
                "The household table needs a key field (HOUSEHOLD_KEY) joined to a parcel key "
                "field (PARCEL_KEY)."))
        abandoned = [v.strip() for v in self.parameterAsString(parameters, self.ABANDONED_IDS,
                                                               context).replace("，", ",").split(",")
                     if v.strip()]

        # parcels: geometries + the 三调 fields the rules read
        mapping = parcel_io.field_mapping(source, ("DLBM",), PARCEL_FIELDS, parcels_label)
        extra = list(dict.fromkeys(f for f in (summary_field, parcel_key)
                                   if f and f not in mapping.values()))
        work = parcel_io.working_crs(source.sourceCrs(), source.sourceExtent(), context, feedback,
                                     parcels_label)
        crs = dem_io.compute_crs(dem, work) if dem is not None else work
        feedback.setProgressText(self.tr("Reading parcels"))
        input_layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        background = dem_io.start_slope(dem, crs, source)
        layer = parcel_io.read_geometries(source, context, feedback, parcels_label, crs,
                                          attributes=tuple(mapping.values()) + tuple(extra),
                                          progress=(0.0, 15.0), layer=input_layer)
        if feedback.isCanceled():
            return {}
        table = layer.table
        table.columns = list(mapping) + extra
        canonical = {actual: name for name, actual in mapping.items()}
        summary_field = canonical.get(summary_field, summary_field)
        parcel_key = canonical.get(parcel_key, parcel_key)
        geoms = layer.geoms
        n = len(geoms)
        feedback.pushInfo(self.tr("{0} parcels read ({1} invalid polygon(s) repaired, none "
                                  "dropped).").format(n, layer.repaired))
        if n == 0:
            raise QgsProcessingException(self.tr("The parcel layer has no features."))
        warnings = []
        area_fallback = None
        if "TBMJ" not in table.columns or table["TBMJ"].isna().any():
            feedback.pushWarning(self.tr("TBMJ is missing for some parcels: their ellipsoidal "
                                         "area is used."))
            warnings.append("部分图斑无图斑面积 TBMJ，采用椭球面积。")
            area_fallback = core_areas.ellipsoidal_area(geoms, layer.crs.toWkt())

        # slope
        slope = None
        if dem is not None:
            feedback.setProgressText(self.tr("Slope of each parcel"))
            slope = dem_io.parcel_slope(dem, layer.crs, geoms, rules.slope_farmland_deg,
                                        context, feedback, background)
            if slope is None or feedback.isCanceled():
                return {}
            covered = int(slope["PD_MEAN"].notna().sum())
            if covered == 0:
                raise QgsProcessingException(self.tr(
                    "The DEM has no values under the parcels: it does not cover them."))
            if covered < n:
                feedback.pushWarning(self.tr("{0} parcel(s) have no DEM value.").format(n - covered))
        feedback.setProgress(35.0)

        # control lines, buildings, households
        red = self._zone(red_src, self.tr("Ecological red line"), crs, context, feedback, (35, 37))
        pbf = self._zone(pbf_src, self.tr("Permanent basic farmland"), crs, context, feedback,
                         (37, 39))
        udb = self._zone(udb_src, self.tr("Urban development boundary"), crs, context, feedback,
                         (39, 41))
        buildings = status = None
        if bld_src is not None:
            blds = parcel_io.read_geometries(bld_src, context, feedback,
                                             self.tr("Building footprints"), crs,
                                             attributes=(status_field,) if status_field else (),
                                             progress=(41.0, 45.0))
            buildings = blds.geoms
            status = blds.table[status_field].tolist() if status_field else None
        households = None
        if hh_src is not None:
            households = self._households(hh_src, hh_key, parameters, context, feedback, parcel_key)
        if feedback.isCanceled():
            return {}

        # the survey
        feedback.setProgressText(self.tr("Judging the potential of every parcel"))
        result = pot.survey(geoms, table, slope, red, pbf, udb, buildings, status, households,
                            abandoned, area_fallback, rules,
                            progress=lambda f: feedback.setProgress(45.0 + 20.0 * f))
        for type_zh, reason in result.skipped:
            feedback.pushWarning(self.tr("Potential type {0} skipped: {1}").format(
                type_zh, pot.skip_reason(reason, self.tr)))
        self._log_types(result, feedback)
        if feedback.isCanceled():
            return {}

        # summaries and checks
        keys, names, used_level, warning = pot.unit_keys(table, level, summary_field)
        if warning:
            feedback.pushWarning(self.tr("The parcels have no ZLDWDM field and no summary field "
                                         "was chosen: only a total is given."))
            warnings.append(warning)
        village_keys = pot.unit_keys(table, "village")[0] if "ZLDWDM" in table.columns else None
        summary = pot.summarize(result, keys, names, used_level, rules, targets, village_keys)
        if "ZLDWDM" in table.columns and not summary_field:
            town_keys, town_names = pot.unit_keys(table, "township")[:2]
        else:
            town_keys, town_names = keys, names
        checks = pot.check_table(pot.rule_checks(result, town_keys, town_names, rules))
        progress_table = pot.target_progress(summary, targets)
        for row in checks[checks["DW_DM"] == pot.TOTAL_CODE].itertuples(index=False):
            feedback.pushInfo(pot.check_log_line(row, self.tr))
        feedback.setProgress(70.0)

        # parcels out
        fields = parcel_io.output_fields(source.fields(), pot.PARCEL_FIELDS)
        columns = {s.name: result.parcels[s.name].to_numpy() for s in pot.PARCEL_FIELDS}
        feedback.setProgressText(self.tr("Writing parcels"))
        dest = parcel_io.write_parcels(self, parameters, self.OUTPUT, context, source,
                                       input_layer, layer, fields, columns, feedback,
                                       progress=(70.0, 82.0))
        if dest is None:    # canceled
            return {}
        outputs = {self.OUTPUT: dest}
        self._style(context, dest, _Style(pot.PARCEL_FIELDS, True, self.tr("No potential")))

        sfields = parcel_io.table_fields(pot.SUMMARY_FIELDS)
        ssink, sdest = self.parameterAsSink(parameters, self.OUTPUT_SUMMARY, context, sfields,
                                            QgsWkbTypes.NoGeometry)
        if ssink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT_SUMMARY))
        parcel_io.write_table(ssink, sfields, summary, feedback)
        outputs[self.OUTPUT_SUMMARY] = sdest
        self._style(context, sdest, _Style(pot.SUMMARY_FIELDS))
        cfields = parcel_io.table_fields(pot.CHECK_FIELDS)
        csink, cdest = self.parameterAsSink(parameters, self.OUTPUT_CHECKS, context, cfields,
                                            QgsWkbTypes.NoGeometry)
        if csink is not None:
            parcel_io.write_table(csink, cfields, checks, feedback)
            outputs[self.OUTPUT_CHECKS] = cdest
            self._style(context, cdest, _Style(pot.CHECK_FIELDS))
        feedback.setProgress(84.0)

        # contiguity, workbook, report
        xlsx = self.parameterAsFileOutput(parameters, self.OUTPUT_XLSX, context)
        report = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        contiguity_table = None
        if (xlsx or report) and self.parameterAsBool(parameters, self.CONTIGUITY, context):
            feedback.setProgressText(self.tr("Farmland contiguity before and after"))
            vnames = pot.unit_keys(table, "village")[1] if village_keys is not None else {}
            try:
                contiguity_table = pot.contiguity_change(geoms, table, result, rules, village_keys,
                                                         vnames, feedback.isCanceled)
            except Canceled:
                return {}
            tot = pot.contiguity_totals(contiguity_table)
            for row in tot.itertuples(index=False):
                feedback.pushInfo(self.tr("Contiguity {0}: {1} block(s), area-weighted mean "
                                          "{2:.2f} 亩.").format(row.QJ, row.LP_N, row.LP_JQ))
        if feedback.isCanceled():
            return {}
        meta = {"layer": source.sourceName(), "level": pot.LEVEL_ZH.get(used_level, used_level),
                "crs": f"{layer.crs.authid()} {layer.crs.description()}", "warnings": warnings}
        if xlsx:
            feedback.setProgressText(self.tr("Writing the workbook"))
            survey_report.write_workbook(xlsx, summary, checks, progress_table,
                                         contiguity_table, result, rules, meta)
            outputs[self.OUTPUT_XLSX] = xlsx
        feedback.setProgress(90.0)
        if report:
            feedback.setProgressText(self.tr("Writing the report"))
            text = survey_report.build_report(summary, checks, progress_table, result, geoms,
                                              contiguity_table, rules, meta)
            with open(report, "w", encoding="utf-8") as f:
                f.write(text)
            outputs[self.OUTPUT_REPORT] = report
        feedback.setProgress(100.0)
        return outputs

    # ------------------------------------------------------------------ pieces
    def _households(self, hh_src, key_field, parameters, context, feedback, parcel_key):
        label = self.tr("Household table")
        residents_field = self._field(parameters, self.RESIDENTS_FIELD, context, hh_src, feedback,
                                      label)
        kwh_field = self._field(parameters, self.ELECTRICITY_FIELD, context, hh_src, feedback,
                                label)
        names = [f for f in (key_field, residents_field, kwh_field) if f]
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
        request.setSubsetOfAttributes([hh_src.fields().lookupField(f) for f in names])
        rows = {f: [] for f in names}
        for feature in hh_src.getFeatures(request):
            for f in names:
                rows[f].append(parcel_io._plain(feature[f]))
        feedback.pushInfo(self.tr("{0} household rows read.").format(len(rows[key_field])))
        return pot.Households(rows[key_field], rows[residents_field] if residents_field else None,
                              rows[kwh_field] if kwh_field else None, parcel_key)

    def _log_types(self, result, feedback):
        items = result.items
        for t in pot.POTENTIAL_TYPES:
            sel = items[items["type"] == t.zh]
            if len(sel):
                feedback.pushInfo(self.tr("{0}: {1} parcel(s), {2:.2f} 亩, new farmland {3:.2f} 亩.")
                                  .format(t.zh, len(sel), sel["area_m2"].sum() / M2_PER_MU,
                                          sel["new_m2"].sum() / M2_PER_MU))
        for note in result.notes:
            feedback.pushInfo(note.text(self.tr))

    @staticmethod
    def _style(context, dest, processor):
        if dest and context.willLoadLayerOnCompletion(dest):
            _POST_PROCESSORS[dest] = processor
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(processor)
