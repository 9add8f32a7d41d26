"""qnlandconsol:potentialsurvey — 整治潜力调查评估 (survey consolidation potential).

Thin adapter: reads the parcels, DEM, control lines, buildings and household
survey, and hands plain data to core.potential, which holds every rule (and
reuses the slope, idle-homestead, control-line, swap and contiguity cores)."""
from __future__ import annotations

import json

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core import areas as core_areas
from ..core import idle_homesteads as ih
from ..core import potential as pot
from ..core import survey_inputs
from ..core.contiguity import Canceled
from ..core.reports import survey as survey_report
from ..core.rules import Rules
from ..core.units import M2_PER_MU
from ..core.values import split_list
from ..qgis_io import compat, project_rules, rasters, styles
from ..qgis_io.guards import field_mapping
from ..qgis_io.layer_roles import layer_name
from ..qgis_io.parcels import read_parcels, write_parcels
from ..qgis_io.tables import read_columns, write_table
from .base import QnAlgorithm
from .parameters import HouseholdParameters

PARCEL_FIELDS = pot.INPUT_FIELDS
ZONGDI_PARCEL_KEY = "_ZD_TB"     # the parcel each 宗地's households join (not written out)
LEVEL_KEYS = ("village", "township", "county")


class PotentialSurveyAlgorithm(HouseholdParameters, QnAlgorithm):
    NAME = "potentialsurvey"
    GROUP_ID = "survey"

    INPUT, DEM, BUILDINGS, BUILDING_STATUS_FIELD = "INPUT", "DEM", "BUILDINGS", "BUILDING_STATUS_FIELD"
    RED_LINE, PBF, UDB = "RED_LINE", "PBF", "UDB"
    ABANDONED_IDS, LEVEL, SUMMARY_FIELD, TARGETS = "ABANDONED_IDS", "LEVEL", "SUMMARY_FIELD", "TARGETS"
    CONTIGUITY, RULES = "CONTIGUITY", "RULES"
    ZONGDI, ZDDM_FIELD = "ZONGDI", "ZDDM_FIELD"
    OUTPUT, OUTPUT_SUMMARY, OUTPUT_CHECKS = "OUTPUT", "OUTPUT_SUMMARY", "OUTPUT_CHECKS"
    OUTPUT_XLSX, OUTPUT_REPORT = "OUTPUT_XLSX", "OUTPUT_REPORT"

    DEFAULTS = {BUILDING_STATUS_FIELD: "FWZT", **HouseholdParameters.HOUSEHOLD_DEFAULTS}

    def displayName(self):  # noqa: N802
        return self.tr("Survey consolidation potential")

    def groupName(self):  # noqa: N802
        return self.tr("Potential survey")

    def tags(self):
        return self.tr("potential,survey,targets,new farmland,workbook,report,潜力,整治潜力").split(",")

    def help_text(self):
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
            "and after, progress against the quota of the area's county or township (the county "
            "quota table: the RULES file, else the one the dock stores in the QGIS project; "
            "TARGETS left at the prefecture's 2030 targets 73,500 / 2,300 / 3,500 亩 and 12 "
            "villages means the quota; enter four numbers of your own instead). Rule "
            "checks per township and in total: new farmland ≥ 5 % of the original farmland, "
            "construction land does not increase, no new farmland above 25° or inside the red "
            "line, PBF moved out ≤ 5 % and replaced ≥ 105 %. Writes an Excel workbook and a "
            "self-contained HTML report in Chinese with charts, a map and the farmland contiguity "
            "before and after.")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        poly = [compat.ProcessingSourceType.VectorPolygon]
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
        advanced.append(QgsProcessingParameterFeatureSource(
            self.ZONGDI, self.tr("Homestead 宗地 (宅基地宗地, ZDDM): the household table keyed by "
                                 "ZDDM"), poly, optional=True))
        advanced.append(QgsProcessingParameterField(
            self.ZDDM_FIELD, self.tr("宗地 code field (ZDDM)"), "ZDDM", self.ZONGDI,
            optional=True))
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
        advanced.append(QgsProcessingParameterFile(
            self.RULES, self.tr("Rules file (JSON: county quotas, thresholds…; default: the "
                                "county quotas stored in the QGIS project by the dock)"),
            extension="json", optional=True))
        for param in advanced:
            param.setFlags(param.flags() | compat.ProcessingParameterFlag.Advanced)
            self.addParameter(param)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with potential"),
            compat.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SUMMARY, self.tr("Potential summary"), compat.ProcessingSourceType.Vector,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_CHECKS, self.tr("Rule checks"), compat.ProcessingSourceType.Vector,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_XLSX, self.tr("Potential workbook (Excel)"), self.tr("Excel files (*.xlsx)"),
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_REPORT, self.tr("Potential report (HTML)"), self.tr("HTML files (*.html)"),
            optional=True, createByDefault=True))

    # ------------------------------------------------------------------ main
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        rules = self._rules(parameters, context, feedback)
        source = self._parcel_source(parameters, context, feedback)
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
        targets = self._targets(parameters, context, rules)
        fields = self._fields(parameters, context, source, feedback)
        parcels, background = self._parcels(parameters, context, source, dem, fields, feedback)
        if parcels is None:
            return {}
        table, geoms = parcels.table, parcels.geoms
        findings = survey_inputs.area_findings(table)
        self._log(findings, feedback)
        area_fallback = None
        if findings:
            area_fallback = core_areas.ellipsoidal_area(geoms, parcels.crs.toWkt())
        slope = self._slope(dem, parcels, rules, context, feedback, background)
        if slope is False:
            return {}
        feedback.setProgress(35.0)
        inputs = self._other_inputs(parameters, context, parcels, fields, feedback)
        if feedback.isCanceled():
            return {}
        feedback.setProgressText(self.tr("Judging the potential of every parcel"))
        result = pot.survey(geoms, table, slope, *inputs, area_fallback, rules,
                            progress=lambda f: feedback.setProgress(45.0 + 20.0 * f))
        for type_zh, reason in result.skipped:
            feedback.pushWarning(self.tr("Potential type {0} skipped: {1}").format(
                type_zh, pot.skip_reason(reason, self.tr)))
        self._log_types(result, feedback)
        if feedback.isCanceled():
            return {}
        units = survey_inputs.summary_units(table, self._level(parameters, context),
                                            fields["summary"])
        self._log(units.findings, feedback)
        findings += units.findings
        summary = pot.summarize(result, units.keys, units.names, units.level, rules, targets,
                                units.village_keys)
        feedback.pushInfo(self.tr("Progress is measured against: {0}.").format(
            summary.attrs["quota"].label))
        checks = pot.check_table(pot.rule_checks(result, units.check_keys, units.check_names,
                                                 rules))
        for row in checks[checks["DW_DM"] == pot.TOTAL_CODE].itertuples(index=False):
            feedback.pushInfo(pot.check_log_line(row, self.tr))
        feedback.setProgress(70.0)
        outputs = self._write_layers(parameters, context, parcels, result, summary, checks,
                                     feedback)
        if outputs is None:
            return {}
        meta = {"layer": source.sourceName(), "level": pot.LEVEL_ZH.get(units.level, units.level),
                "crs": f"{parcels.crs.authid()} {parcels.crs.description()}",
                "warnings": [f.message for f in parcels.findings + findings]}
        if not self._write_documents(parameters, context, parcels, result, summary, checks,
                                     targets, units, rules, meta, outputs, feedback):
            return {}
        feedback.setProgress(100.0)
        return outputs

    # ------------------------------------------------------------------ pieces
    def _rules(self, parameters, context, feedback) -> Rules:
        """The rules: the RULES file (absent keys keep their defaults; without its own
        county_quotas, the project's), else the defaults with the county quotas the QGIS
        project stores (the dock's table)."""
        path = self.parameterAsFile(parameters, self.RULES, context)
        stored = project_rules.read_quotas(context.project())
        if not path:
            if stored is not None:
                feedback.pushInfo(self.tr("County quotas from the QGIS project."))
            return project_rules.project_rules(context.project())
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            rules = Rules.from_json(text)
            has_quotas = "county_quotas" in json.loads(text or "{}")
        except (OSError, ValueError, TypeError, AttributeError) as err:
            raise QgsProcessingException(self.tr("Cannot read the rules file {0}: {1}").format(
                path, err)) from None
        if not has_quotas and stored is not None:
            rules.county_quotas = stored
        feedback.pushInfo(self.tr("Rules read from {0}.").format(path))
        return rules

    def _targets(self, parameters, context, rules):
        try:
            return pot.parse_targets(self.parameterAsString(parameters, self.TARGETS, context),
                                     rules.targets)
        except ValueError as err:
            raise QgsProcessingException(self.tr("Invalid targets: {}").format(err)) from None

    def _level(self, parameters, context):
        return LEVEL_KEYS[self.parameterAsEnum(parameters, self.LEVEL, context)]

    def _fields(self, parameters, context, source, feedback):
        """The chosen fields and optional sources, checked (a source given that cannot be
        loaded, a household table without its keys are errors)."""
        parcels_label = self.tr("Parcels")
        f = {"red": self._source(parameters, self.RED_LINE, context),
             "pbf": self._source(parameters, self.PBF, context),
             "udb": self._source(parameters, self.UDB, context),
             "buildings": self._source(parameters, self.BUILDINGS, context),
             "households": self._source(parameters, self.HOUSEHOLDS, context),
             "zongdi": self._source(parameters, self.ZONGDI, context)}
        f["summary"] = self._field(parameters, self.SUMMARY_FIELD, context, source, feedback,
                                   parcels_label)
        f["parcel_key"] = self._field(parameters, self.PARCEL_KEY, context, source, feedback,
                                      parcels_label)
        f["status"] = self._field(parameters, self.BUILDING_STATUS_FIELD, context,
                                  f["buildings"], feedback, self.tr("Building footprints"))
        f["household_key"] = self._field(parameters, self.HOUSEHOLD_KEY, context,
                                         f["households"], feedback, self.tr("Household table"))
        f["zddm"] = self._field(parameters, self.ZDDM_FIELD, context, f["zongdi"], feedback,
                                self.tr("Homestead 宗地"))
        if f["zongdi"] is not None and f["zddm"] is None:
            raise QgsProcessingException(self.tr(
                "The homestead 宗地 layer has no ZDDM field: choose its 宗地 code field "
                "(ZDDM_FIELD)."))
        if f["households"] is not None and (f["household_key"] is None or (
                f["parcel_key"] is None and f["zongdi"] is None)):
            raise QgsProcessingException(self.tr(
                "The household table '{0}' needs a key field (HOUSEHOLD_KEY) joined to a key "
                "field of layer '{1}' (PARCEL_KEY).").format(layer_name(f["households"]),
                                                             layer_name(source)))
        f["abandoned"] = split_list(self.parameterAsString(parameters, self.ABANDONED_IDS,
                                                           context))
        f["parameters"] = parameters
        return f

    def _parcels(self, parameters, context, source, dem, fields, feedback):
        """(the parcels with the 三调 fields the rules read (canonical names), the summary
        and key fields; the DEM's slope started meanwhile), (None, None) when canceled."""
        label = layer_name(source, self.tr("Parcels"))
        mapping = field_mapping(source, ("DLBM",), PARCEL_FIELDS, label)
        extra = list(dict.fromkeys(f for f in (fields["summary"], fields["parcel_key"])
                                   if f and f not in mapping.values()))
        feedback.setProgressText(self.tr("Reading parcels"))
        parcels, background = rasters.read_parcels_and_dem(
            source, dem, context, feedback, label, {**mapping, **{e: e for e in extra}},
            self.parameterAsVectorLayer(parameters, self.INPUT, context), progress=(0.0, 15.0),
            keys=(fields["parcel_key"],) if fields["households"] is not None else ())
        if feedback.isCanceled():
            return None, None
        canonical = {actual: name for name, actual in mapping.items()}
        fields["summary"] = canonical.get(fields["summary"], fields["summary"])
        fields["parcel_key"] = canonical.get(fields["parcel_key"], fields["parcel_key"])
        feedback.pushInfo(self.tr("{0} parcels read ({1} invalid polygon(s) repaired, none "
                                  "dropped).").format(len(parcels), parcels.repaired))
        if len(parcels) == 0:
            raise QgsProcessingException(self.tr("The parcel layer '{0}' has no features.")
                                         .format(label))
        return parcels, background

    def _log(self, findings, feedback):
        for finding in findings:
            feedback.pushWarning(finding.text(self.tr))

    def _slope(self, dem, parcels, rules, context, feedback, background):
        """The DEM slope of every parcel, None without a DEM, False when canceled."""
        if dem is None:
            return None
        feedback.setProgressText(self.tr("Slope of each parcel"))
        slope = rasters.parcel_slope(dem, parcels.crs, parcels.geoms, rules.slope_farmland_deg,
                                     context, feedback, background)
        if slope is None or feedback.isCanceled():
            return False
        covered = int(slope["PD_MEAN"].notna().sum())
        if covered < len(parcels):
            feedback.pushWarning(self.tr("{0} parcel(s) have no DEM value.").format(
                len(parcels) - covered))
        return slope

    def _other_inputs(self, parameters, context, parcels, fields, feedback):
        """(red line, PBF, urban boundary, buildings, building status, households,
        abandoned mine ids) as pot.survey takes them."""
        crs = parcels.crs
        red = self._zone(fields["red"], self.tr("Ecological red line"), crs, context, feedback,
                         (35, 37))
        pbf = self._zone(fields["pbf"], self.tr("Permanent basic farmland"), crs, context,
                         feedback, (37, 39))
        udb = self._zone(fields["udb"], self.tr("Urban development boundary"), crs, context,
                         feedback, (39, 41))
        buildings = status = None
        if fields["buildings"] is not None:
            status_field = fields["status"]
            blds = read_parcels(fields["buildings"], context, feedback,
                                self.tr("Building footprints"), crs,
                                (status_field,) if status_field else (), progress=(41.0, 45.0))
            buildings = blds.geoms
            status = blds.table[status_field].tolist() if status_field else None
        households = None
        if fields["households"] is not None:
            households = self._households(fields["households"], fields["household_key"],
                                          parameters, context, feedback, fields["parcel_key"])
            if fields["zongdi"] is not None:
                households = self._by_zongdi(households, parcels, fields, context, feedback)
        return red, pbf, udb, buildings, status, households, fields["abandoned"]

    def _by_zongdi(self, households, parcels, fields, context, feedback):
        """The household table keyed by ZDDM, re-keyed to the parcel holding each 宗地
        (core.idle_homesteads.households_by_zongdi): a homestead parcel's residents and
        electricity are the sums over its 宗地, its verdict stays per 图斑."""
        label = self.tr("Homestead 宗地")
        zongdi = read_parcels(fields["zongdi"], context, feedback, label, parcels.crs,
                              {"ZDDM": fields["zddm"]}, progress=(45.0, 46.0))
        parcel_of = ih.zone_of(zongdi.geoms, parcels.geoms)
        keys = [str(i) for i in range(len(parcels))]
        parcels.table[ZONGDI_PARCEL_KEY] = keys
        joined = ih.households_by_zongdi(households.keys, zongdi.table["ZDDM"].tolist(),
                                         parcel_of, keys)
        feedback.pushInfo(self.tr("{0} of {1} household rows reach a parcel through their 宗地 "
                                  "({2} 宗地 read).").format(
            sum(k is not None for k in joined), len(joined), len(zongdi)))
        return pot.Households(joined, households.residents, households.kwh, ZONGDI_PARCEL_KEY)

    def _zone(self, source, label, crs, context, feedback, progress):
        if source is None:
            return None
        layer = read_parcels(source, context, feedback, label, crs, progress=progress)
        feedback.pushInfo(self.tr("{0}: {1} polygon(s).").format(label, len(layer.geoms)))
        return layer.geoms

    def _write_layers(self, parameters, context, parcels, result, summary, checks, feedback):
        """The parcels, summary and check outputs ({name: destination}); None if canceled."""
        feedback.setProgressText(self.tr("Writing parcels"))
        dest = write_parcels(self, parameters, self.OUTPUT, context, parcels, pot.PARCEL_FIELDS,
                             {s.name: result.parcels[s.name].to_numpy() for s in pot.PARCEL_FIELDS},
                             feedback, progress=(70.0, 82.0))
        if dest is None:    # canceled
            return None
        outputs = {self.OUTPUT: dest}
        styles.style_on_load(context, dest, pot.PARCEL_FIELDS, styles.potential_renderer,
                             types=pot.POTENTIAL_TYPES, none_label=self.tr("No potential"))
        for key, specs, frame in ((self.OUTPUT_SUMMARY, pot.SUMMARY_FIELDS, summary),
                                  (self.OUTPUT_CHECKS, pot.CHECK_FIELDS, checks)):
            table_dest = write_table(self, parameters, key, context, specs, frame, feedback)
            if table_dest is not None:
                outputs[key] = table_dest
                styles.style_on_load(context, table_dest, specs)
        feedback.setProgress(84.0)
        return outputs

    def _write_documents(self, parameters, context, parcels, result, summary, checks, targets,
                         units, rules, meta, outputs, feedback) -> bool:
        """The workbook and the HTML report (with the contiguity before and after when
        asked); False when canceled."""
        xlsx = self.parameterAsFileOutput(parameters, self.OUTPUT_XLSX, context)
        report = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        contiguity_table = None
        if (xlsx or report) and self.parameterAsBool(parameters, self.CONTIGUITY, context):
            feedback.setProgressText(self.tr("Farmland contiguity before and after"))
            try:
                contiguity_table = pot.contiguity_change(parcels.geoms, parcels.table, result,
                                                         rules, units.village_keys,
                                                         units.village_names, feedback.isCanceled)
            except Canceled:
                return False
            for row in pot.contiguity_totals(contiguity_table).itertuples(index=False):
                feedback.pushInfo(self.tr("Contiguity {0}: {1} block(s), area-weighted mean "
                                          "{2:.2f} 亩.").format(row.QJ, row.LP_N, row.LP_JQ))
        if feedback.isCanceled():
            return False
        progress_table = pot.target_progress(summary, targets)
        if xlsx:
            feedback.setProgressText(self.tr("Writing the workbook"))
            survey_report.write_workbook(xlsx, summary, checks, progress_table,
                                         contiguity_table, result, rules, meta)
            outputs[self.OUTPUT_XLSX] = xlsx
        feedback.setProgress(90.0)
        if report:
            feedback.setProgressText(self.tr("Writing the report"))
            text = survey_report.build_report(summary, checks, progress_table, result,
                                              parcels.geoms, contiguity_table, rules, meta)
            with open(report, "w", encoding="utf-8") as f:
                f.write(text)
            outputs[self.OUTPUT_REPORT] = report
        return True

    def _households(self, hh_src, key_field, parameters, context, feedback, parcel_key):
        label = self.tr("Household table")
        residents_field = self._field(parameters, self.RESIDENTS_FIELD, context, hh_src, feedback,
                                      label)
        kwh_field = self._field(parameters, self.ELECTRICITY_FIELD, context, hh_src, feedback,
                                label)
        rows = read_columns(hh_src, [f for f in (key_field, residents_field, kwh_field) if f])
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
