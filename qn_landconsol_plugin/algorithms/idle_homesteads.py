"""qnlandconsol:idlehomesteads — 闲置宅基地识别 and 空心村 ranking.

Thin adapter: reads the homestead parcels (by expression), the 宅基地宗地 when given
(then the units judged and counted are 宗地, the household survey keyed by ZDDM),
building footprints, the household survey, the red line and the DEM, and hands plain
data to core.idle_homesteads, which holds every rule.

Why ~500 lines: seven inputs (parcels, 宗地, buildings, household survey, red line, DEM,
villages), each read, matched and checked here in a short method of its own; no rule
lives here."""
from __future__ import annotations

import collections

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsExpression,
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core import idle_homesteads as ih
from ..core import villages as vil
from ..core.areas import parcel_area_m2
from ..core.rules import Rules
from ..core.units import M2_PER_MU
from ..core.values import split_list
from ..qgis_io import compat, rasters, styles
from ..qgis_io.crs import measured_areas, source_working_crs
from ..qgis_io.guards import require_polygons
from ..qgis_io.layer_roles import layer_name
from ..qgis_io.parcels import Parcels, read_parcels, write_parcels
from ..qgis_io.tables import read_columns, write_table
from .base import QnAlgorithm
from .parameters import HouseholdParameters


class IdleHomesteadsAlgorithm(HouseholdParameters, QnAlgorithm):
    NAME = "idlehomesteads"
    GROUP_ID = "construction"

    INPUT = "INPUT"
    HOMESTEAD_EXPRESSION = "HOMESTEAD_EXPRESSION"
    BUILDINGS = "BUILDINGS"
    BUILDING_STATUS_FIELD = "BUILDING_STATUS_FIELD"
    IDLE_STATUS_VALUES = "IDLE_STATUS_VALUES"
    COVERAGE_THRESHOLD = "COVERAGE_THRESHOLD"
    MAX_RESIDENTS = "MAX_RESIDENTS"
    MIN_ELECTRICITY = "MIN_ELECTRICITY"
    ZONGDI, ZDDM_FIELD = "ZONGDI", "ZDDM_FIELD"
    VILLAGE_FIELD = "VILLAGE_FIELD"
    VILLAGES = "VILLAGES"
    VILLAGE_CODE_FIELD = "VILLAGE_CODE_FIELD"
    VILLAGE_NAME_FIELD = "VILLAGE_NAME_FIELD"
    HOLLOW_THRESHOLD = "HOLLOW_THRESHOLD"
    DEM = "DEM"
    RED_LINE = "RED_LINE"
    OUTPUT = "OUTPUT"
    OUTPUT_VILLAGES = "OUTPUT_VILLAGES"

    DEFAULT_EXPRESSION = "\"DLBM\" = '0702'"
    DEFAULTS = {BUILDING_STATUS_FIELD: "FWZT", **HouseholdParameters.HOUSEHOLD_DEFAULTS}
    # field names looked for in a villages layer when none is chosen
    VILLAGE_CODE_CANDIDATES = ("CUNDM", "XZQDM", "ZLDWDM", "DM", "CODE")
    VILLAGE_NAME_CANDIDATES = ("CUNMC", "XZQMC", "ZLDWMC", "MC", "NAME")

    def displayName(self):  # noqa: N802
        return self.tr("Flag idle homesteads")

    def groupName(self):  # noqa: N802
        return self.tr("Construction-land consolidation")

    def help_text(self):
        return self.tr(
            "Flags idle rural homesteads (闲置宅基地, DLBM 0702 by default) from building "
            "footprints (no building, low building cover, buildings all dilapidated / collapsed / "
            "vacant) and from a household survey table (no resident, low annual electricity). "
            "Building area counts overlapping footprints once and only the part of a footprint "
            "inside the parcel. Each idle parcel gets a reclamation target: farmland where the "
            "slope is at most 25° and outside the ecological red line, forest/garden land on "
            "steeper ground, not suitable inside the red line. A second output lists villages "
            "with their hollowing rate (空心化率) by count and by area, ranked; a village whose "
            "rate by area reaches the threshold is a hollow village (空心村).\n"
            "A 三调 0702 parcel (图斑) is a patch of homestead land, usually of many households: "
            "with the homestead 宗地 layer (宅基地宗地, ZDDM, from 房地一体 registration) every "
            "宗地 inside a homestead parcel is judged and counted instead (宗数, hollowing rate by "
            "宗) and the household survey is keyed by ZDDM; without it, counts and rates are per "
            "图斑 and the outputs say so (TJDW). Inside the red line an idle homestead goes back to "
            "forest or grass (林地/草地, restoration, allowed).")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        advanced = []
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (DLTB)"), [compat.ProcessingSourceType.VectorPolygon]))
        self.addParameter(QgsProcessingParameterExpression(
            self.HOMESTEAD_EXPRESSION, self.tr("Homestead parcels (expression)"),
            self.DEFAULT_EXPRESSION, self.INPUT))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.ZONGDI, self.tr("Homestead 宗地 (宅基地宗地, ZDDM): counts per 宗地"),
            [compat.ProcessingSourceType.VectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.ZDDM_FIELD, self.tr("宗地 code field (ZDDM)"), ih.ZDDM_FIELD, self.ZONGDI,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BUILDINGS, self.tr("Building footprints"), [compat.ProcessingSourceType.VectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.BUILDING_STATUS_FIELD, self.tr("Building status field"),
            self.DEFAULTS[self.BUILDING_STATUS_FIELD], self.BUILDINGS, optional=True))
        advanced.append(QgsProcessingParameterString(
            self.IDLE_STATUS_VALUES,
            self.tr("Status values meaning not lived in (comma separated)"),
            ",".join(rules.idle_building_status), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.COVERAGE_THRESHOLD, self.tr("Building cover below which a homestead is vacant (%)"),
            compat.ProcessingNumberParameterType.Double, rules.homestead_coverage_min_pct,
            minValue=0.0, maxValue=100.0))
        self.add_household_parameters(advanced)
        advanced.append(QgsProcessingParameterNumber(
            self.MAX_RESIDENTS, self.tr("Idle at or below this many residents"),
            compat.ProcessingNumberParameterType.Integer, rules.idle_max_residents, minValue=0))
        advanced.append(QgsProcessingParameterNumber(
            self.MIN_ELECTRICITY, self.tr("Idle below this annual electricity (kWh)"),
            compat.ProcessingNumberParameterType.Double, rules.idle_max_kwh_per_year,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterField(
            self.VILLAGE_FIELD,
            self.tr("Village field of the parcels (default: first 12 digits of ZLDWDM)"),
            None, self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.VILLAGES, self.tr("Village polygons (instead of a village field)"),
            [compat.ProcessingSourceType.VectorPolygon], optional=True))
        advanced.append(QgsProcessingParameterField(
            self.VILLAGE_CODE_FIELD, self.tr("Village polygons: code field"), None,
            self.VILLAGES, optional=True))
        advanced.append(QgsProcessingParameterField(
            self.VILLAGE_NAME_FIELD, self.tr("Village polygons: name field"), None,
            self.VILLAGES, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.HOLLOW_THRESHOLD, self.tr("Hollow village at or above this idle share by area (%)"),
            compat.ProcessingNumberParameterType.Double, rules.hollow_village_min_pct,
            minValue=0.0, maxValue=100.0))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.DEM, self.tr("DEM (slope decides farmland or forest/garden)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line"),
            [compat.ProcessingSourceType.VectorPolygon],
            optional=True))
        for param in advanced:
            param.setFlags(param.flags() | compat.ProcessingParameterFlag.Advanced)
            self.addParameter(param)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Homesteads (idle flagged)"),
            compat.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_VILLAGES, self.tr("Village hollowing ranking"),
            compat.ProcessingSourceType.Vector,
            optional=True, createByDefault=True))

    # ------------------------------------------------------------------ main
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        rules = Rules()
        source = self._parcel_source(parameters, context, feedback, needs=())
        expression = self._expression(parameters, context, source)
        inputs = self._inputs(parameters, context, source, rules, feedback)
        parcels = self._homesteads(parameters, context, source, expression, inputs, feedback)
        unit, parcel_of, homestead_table = ih.UNIT_TUBAN, None, parcels.table
        if inputs["zongdi"] is not None and len(parcels):
            parcels, parcel_of = self._zongdi(parcels, inputs, context, feedback)
            unit = ih.UNIT_ZONGDI
        if len(parcels) == 0:
            feedback.pushWarning(self.tr(
                "No parcel matches the homestead expression {}; the outputs are empty.").format(
                expression))
            return self._write(parameters, context, parcels, {}, pd.DataFrame(
                columns=[f.name for f in ih.village_fields(unit)]), feedback, unit)
        building_area = status = None
        if inputs["buildings"] is not None:
            building_area, status = self._buildings(parcels, inputs, context, feedback)
            if building_area is None:
                return {}
        residents = kwh = None
        if inputs["households"] is not None:
            keys = parcels.table[ih.ZDDM_FIELD].tolist() if unit == ih.UNIT_ZONGDI else \
                parcels.table[inputs["parcel_key"]].tolist()
            residents, kwh = self._households(inputs, keys, feedback, unit)
        if feedback.isCanceled():
            return {}
        flags = ih.flag_idle(
            shapely.area(parcels.geoms), building_area, status, residents, kwh, rules,
            coverage_min_pct=self.parameterAsDouble(parameters, self.COVERAGE_THRESHOLD, context),
            max_residents=self.parameterAsInt(parameters, self.MAX_RESIDENTS, context),
            min_kwh=self.parameterAsDouble(parameters, self.MIN_ELECTRICITY, context))
        idle = flags["XZ"].to_numpy().astype(bool)
        slope, red = self._slope_and_red_line(parcels, inputs, rules, context, feedback)
        if feedback.isCanceled():
            return {}
        reclaim = ih.reclaim_target(idle, slope, red, rules)
        area_m2 = parcel_area_m2(parcels.table, lambda missing: measured_areas(
            [f.geometry() for f, m in zip(parcels.features, missing) if m],
            parcels.source_crs, context), positive=True)
        codes, names = self._villages(parcels, inputs, parameters, context, feedback,
                                      (parcel_of, homestead_table))
        table = ih.village_hollowing(
            codes, idle, area_m2, reclaim, names, rules,
            hollow_min_pct=self.parameterAsDouble(parameters, self.HOLLOW_THRESHOLD, context),
            unit=unit)
        outputs = self._write(parameters, context, parcels, ih.homestead_columns(
            codes, flags, residents, kwh, slope, red, area_m2, reclaim), table, feedback, unit)
        if outputs:
            self._summary(feedback, flags, reclaim, area_m2, table, unit)
        return outputs

    def _write(self, parameters, context, parcels, columns, village_table, feedback,
               unit=ih.UNIT_TUBAN) -> dict:
        """The homesteads (图斑 or 宗地) and the village ranking (its counts per `unit`),
        styled when loaded; {} when canceled."""
        dest = write_parcels(self, parameters, self.OUTPUT, context, parcels, ih.HOMESTEAD_FIELDS,
                             columns, feedback, progress=(80.0, 98.0))
        if dest is None:
            return {}
        styles.style_on_load(context, dest, ih.HOMESTEAD_FIELDS, styles.homestead_renderer,
                             in_use_label=self.tr("Not idle"))
        outputs = {self.OUTPUT: dest}
        specs = ih.village_fields(unit)
        villages = write_table(self, parameters, self.OUTPUT_VILLAGES, context, specs,
                               village_table, feedback)
        if villages is not None:
            outputs[self.OUTPUT_VILLAGES] = villages
            styles.style_on_load(context, villages, specs)
        return outputs

    # ------------------------------------------------------------------ pieces
    def _expression(self, parameters, context, source) -> str:
        """The homestead expression, checked: it parses and names fields of the parcels."""
        expression = self.parameterAsExpression(parameters, self.HOMESTEAD_EXPRESSION, context) \
            or self.DEFAULT_EXPRESSION
        parsed = QgsExpression(expression)
        if parsed.hasParserError():
            raise QgsProcessingException(self.tr("Invalid homestead expression: {}").format(
                parsed.parserErrorString()))
        absent = [c for c in parsed.referencedColumns()
                  if c != QgsFeatureRequest.ALL_ATTRIBUTES and source.fields().lookupField(c) < 0]
        if absent:
            raise QgsProcessingException(self.tr(
                "The homestead expression uses field(s) {0} that layer '{1}' does not have.")
                .format(", ".join(sorted(absent)), layer_name(source)))
        return expression

    def _inputs(self, parameters, context, source, rules, feedback) -> dict:
        """The optional sources and fields, checked: a source given that cannot be loaded,
        building points instead of footprints, a household table without keys are errors."""
        i = {"buildings": self._source(parameters, self.BUILDINGS, context),
             "zongdi": self._source(parameters, self.ZONGDI, context),
             "households": self._source(parameters, self.HOUSEHOLDS, context),
             "villages": self._source(parameters, self.VILLAGES, context),
             "red": self._source(parameters, self.RED_LINE, context),
             "dem": self.parameterAsRasterLayer(parameters, self.DEM, context)}
        if i["buildings"] is not None:
            require_polygons(i["buildings"], self.tr("Building footprints"), self.tr(
                "{0} must be polygons; the layer has {1} geometries. Use footprint polygons, "
                "not building points or outlines."))
        i["status_field"] = self._field(parameters, self.BUILDING_STATUS_FIELD, context,
                                        i["buildings"], feedback, self.tr("Building footprints"))
        text = self.parameterAsString(parameters, self.IDLE_STATUS_VALUES, context)
        i["idle_status"] = tuple(split_list(text)) or tuple(rules.idle_building_status)
        parcels_label, table_label = self.tr("Parcels"), self.tr("Household table")
        i["parcel_key"] = self._field(parameters, self.PARCEL_KEY, context, source, feedback,
                                      parcels_label)
        i["household_key"] = self._field(parameters, self.HOUSEHOLD_KEY, context,
                                         i["households"], feedback, table_label)
        if i["households"] is not None and i["household_key"] is None:
            raise QgsProcessingException(self.tr(
                "The household table '{0}' needs a key field joined to the parcels "
                "(HOUSEHOLD_KEY).").format(layer_name(i["households"])))
        if i["households"] is not None and i["parcel_key"] is None and i["zongdi"] is None:
            raise QgsProcessingException(self.tr(
                "Layer '{0}' needs a key field to join the household table (PARCEL_KEY).")
                .format(layer_name(source)))
        if i["zongdi"] is not None:
            require_polygons(i["zongdi"], self.tr("Homestead 宗地"))
            i["zddm_field"] = self._field(parameters, self.ZDDM_FIELD, context, i["zongdi"],
                                          feedback, self.tr("Homestead 宗地")) or \
                self._guess(i["zongdi"], (ih.ZDDM_FIELD,))
            if i["zddm_field"] is None:
                raise QgsProcessingException(self.tr(
                    "The homestead 宗地 layer '{0}' has no ZDDM field: choose its 宗地 code "
                    "field (ZDDM_FIELD).").format(layer_name(i["zongdi"])))
        i["residents_field"] = self._field(parameters, self.RESIDENTS_FIELD, context,
                                           i["households"], feedback, table_label)
        i["kwh_field"] = self._field(parameters, self.ELECTRICITY_FIELD, context,
                                     i["households"], feedback, table_label)
        i["village_field"] = self._field(parameters, self.VILLAGE_FIELD, context, source,
                                         feedback, parcels_label)
        return i

    def _homesteads(self, parameters, context, source, expression, inputs, feedback):
        """The parcels the expression selects, their features kept for the output."""
        feedback.setProgressText(self.tr("Selecting homestead parcels"))
        request = QgsFeatureRequest().setFilterExpression(expression)
        request.setExpressionContext(self.createExpressionContext(parameters, context, source))
        optional = ("ZLDWDM", "ZLDWMC", "TBMJ")
        names = [source.fields().at(i).name() for i in
                 (source.fields().lookupField(f) for f in optional) if i >= 0]
        names += [f for f in (inputs["parcel_key"], inputs["village_field"])
                  if f and f not in names]
        label = layer_name(source)
        parcels = read_parcels(source, context, feedback, self.tr("Homesteads"),
                               source_working_crs(source, context, feedback, label),
                               {(n.upper() if n.upper() in optional else n): n for n in names},
                               keep_features=True, request=request, progress=(5.0, 20.0),
                               keys=() if inputs["households"] is None else
                               (inputs["parcel_key"],))
        return parcels

    def _zongdi(self, parcels, inputs, context, feedback):
        """(the 宅基地宗地 inside the homestead parcels, as Parcels with ZDDM; the index of
        each one's parcel): a 宗地 belongs to the parcel holding its representative point;
        宗地 outside every homestead parcel are left out and counted in the log."""
        label = self.tr("Homestead 宗地")
        zongdi = read_parcels(inputs["zongdi"], context, feedback, label, parcels.crs,
                              {ih.ZDDM_FIELD: inputs["zddm_field"]}, keep_features=True,
                              progress=(20.0, 25.0))
        parcel_of = ih.zone_of(zongdi.geoms, parcels.geoms)
        inside = np.flatnonzero(parcel_of >= 0)
        outside = len(zongdi) - len(inside)
        if outside:
            feedback.pushWarning(self.tr("{0} of {1} 宗地 lie in no homestead parcel (the "
                                         "expression's): left out.").format(outside, len(zongdi)))
        missing = int(sum(ih.normalize_key(k) is None
                          for k in zongdi.table[ih.ZDDM_FIELD].to_numpy()[inside]))
        if missing:
            feedback.pushWarning(self.tr("{0} 宗地 have no ZDDM: counted, but no household row "
                                         "can join them.").format(missing))
        kept = Parcels(zongdi.label, zongdi.geoms[inside],
                       zongdi.table.iloc[inside].reset_index(drop=True), zongdi.fields,
                       zongdi.crs, zongdi.source_crs, zongdi.repaired,
                       zongdi.fids[inside] if zongdi.fids is not None else None,
                       [zongdi.features[j] for j in inside], zongdi.source, zongdi.layer)
        feedback.pushInfo(self.tr("{0} homestead 宗地 in {1} homestead parcel(s): idle homesteads "
                                  "are judged and counted per 宗地.").format(
            len(inside), len(set(parcel_of[inside].tolist()))))
        return kept, parcel_of[inside]

    def _buildings(self, parcels, inputs, context, feedback):
        """(building area inside each homestead, status reasons or None); (None, None) when
        canceled."""
        feedback.setProgressText(self.tr("Reading building footprints"))
        status_field = inputs["status_field"]
        blds = read_parcels(inputs["buildings"], context, feedback, self.tr("Building footprints"),
                            parcels.crs, (status_field,) if status_field else (),
                            progress=(20.0, 45.0))
        if feedback.isCanceled():
            return None, None
        feedback.setProgressText(self.tr("Building area inside each homestead"))
        building_area = ih.building_area_in_parcels(parcels.geoms, blds.geoms)
        feedback.setProgress(60.0)
        status = None
        if status_field:
            status = ih.building_status_reasons(parcels.geoms, blds.geoms,
                                                blds.table[status_field].tolist(),
                                                inputs["idle_status"])
        feedback.pushInfo(self.tr("{0} building footprints read ({1} repaired).").format(
            len(blds.geoms), blds.repaired))
        return building_area, status

    def _households(self, inputs, parcel_keys, feedback, unit=ih.UNIT_TUBAN):
        key_field = inputs["household_key"]
        residents_field, kwh_field = inputs["residents_field"], inputs["kwh_field"]
        rows = read_columns(inputs["households"],
                            [f for f in (key_field, residents_field, kwh_field) if f])
        summary, unmatched = ih.household_summary(
            parcel_keys, rows[key_field],
            rows[residents_field] if residents_field else None,
            rows[kwh_field] if kwh_field else None)
        if unmatched:
            examples = ", ".join("NULL" if k is None else str(k) for k in unmatched[:5])
            text = self.tr("{0} of {1} household rows match no homestead 宗地 (key {2} against "
                           "ZDDM), e.g. {3}.") if unit == ih.UNIT_ZONGDI else self.tr(
                "{0} of {1} household rows match no homestead parcel (key {2}), e.g. {3}.")
            feedback.pushWarning(text.format(len(unmatched), len(rows[key_field]), key_field,
                                             examples))
        without = int((summary["HH_N"] == 0).sum())
        if without:
            feedback.pushInfo(self.tr("{} homestead parcels have no household survey row "
                                      "(household evidence unknown).").format(without))
        residents = summary["CZRK"].to_numpy() if residents_field else None
        kwh = summary["NYDL"].to_numpy() if kwh_field else None
        return residents, kwh

    def _slope_and_red_line(self, parcels, inputs, rules, context, feedback):
        """(mean slope per homestead or None, red-line area per homestead or None)."""
        slope = None
        if inputs["dem"] is not None:
            feedback.setProgressText(self.tr("Slope of each homestead"))
            frame = rasters.parcel_slope(inputs["dem"], parcels.crs, parcels.geoms,
                                         rules.new_farmland_max_slope_deg, context, feedback,
                                         must_cover=False)
            slope = None if frame is None else frame["PD_MEAN"].to_numpy(dtype=float)
            if feedback.isCanceled():
                return None, None
        if slope is None:
            feedback.pushInfo(self.tr("No DEM: slope not checked, idle homesteads outside the red "
                                      "line are taken as reclaimable to farmland."))
        red = None
        if inputs["red"] is not None:
            red_layer = read_parcels(inputs["red"], context, feedback,
                                     self.tr("Ecological red line"), parcels.crs,
                                     progress=(70.0, 75.0))
            red = ih.red_line_overlap(parcels.geoms, red_layer.geoms)
        return slope, red

    def _villages(self, parcels, inputs, parameters, context, feedback, zongdi=(None, None)):
        """(village code per homestead, {code: name}): from the village polygons, the
        village field, or the first 12 digits of ZLDWDM; a 宗地 (`zongdi`: the index of
        its homestead parcel, the parcels' table) takes its parcel's, else the village of
        its ZDDM."""
        if zongdi[0] is not None:
            return self._zongdi_villages(parcels, inputs, parameters, context, feedback, *zongdi)
        villages_src, village_field = inputs["villages"], inputs["village_field"]
        if villages_src is not None:
            code_field = self._field(parameters, self.VILLAGE_CODE_FIELD, context, villages_src,
                                     feedback, self.tr("Villages")) or \
                self._guess(villages_src, self.VILLAGE_CODE_CANDIDATES)
            name_field = self._field(parameters, self.VILLAGE_NAME_FIELD, context, villages_src,
                                     feedback, self.tr("Villages")) or \
                self._guess(villages_src, self.VILLAGE_NAME_CANDIDATES)
            zones = read_parcels(
                villages_src, context, feedback, self.tr("Villages"), parcels.crs,
                tuple(f for f in (code_field, name_field) if f), progress=(75.0, 78.0))
            zone_codes = [str(v) for v in zones.table[code_field]] if code_field else \
                [str(i + 1) for i in range(len(zones.geoms))]
            zone_names = [str(v or "") for v in zones.table[name_field]] if name_field else \
                [""] * len(zones.geoms)
            idx = ih.zone_of(parcels.geoms, zones.geoms)
            outside = int((idx < 0).sum())
            if outside:
                feedback.pushWarning(self.tr("{} homestead parcels lie in no village polygon.")
                                     .format(outside))
            codes = [zone_codes[i] if i >= 0 else "" for i in idx]
            return codes, dict(zip(zone_codes, zone_names))
        if village_field:
            codes = ["" if v is None else str(v) for v in parcels.table[village_field]]
            return codes, {}
        if "ZLDWDM" not in parcels.table:
            feedback.pushWarning(self.tr("No ZLDWDM field, village field or village polygons: "
                                         "all homesteads are counted as one village."))
            return [""] * len(parcels), {}
        zldwdm = parcels.table["ZLDWDM"]
        codes = vil.village_keys(zldwdm).tolist()
        names = vil.village_names(zldwdm, parcels.table.get("ZLDWMC"))
        return codes, names

    def _zongdi_villages(self, zongdi, inputs, parameters, context, feedback, parcel_of,
                         table):
        """Villages of the 宗地: the village polygons when given, else their parcels'."""
        if inputs["villages"] is not None:
            return self._villages(zongdi, inputs, parameters, context, feedback)
        field = inputs["village_field"] or ("ZLDWDM" if "ZLDWDM" in table else None)
        if field is None:
            return ih.village_of_zddm(zongdi.table[ih.ZDDM_FIELD]), {}
        values = table[field].to_numpy(dtype=object)[parcel_of]
        if inputs["village_field"]:
            return ["" if v is None else str(v) for v in values], {}
        zldwdm = pd.Series(values, dtype=object)
        names = table["ZLDWMC"].to_numpy(dtype=object)[parcel_of] if "ZLDWMC" in table else None
        return (vil.village_keys(zldwdm).tolist(),
                vil.village_names(zldwdm, None if names is None else pd.Series(names)))

    @staticmethod
    def _guess(source, candidates):
        for name in candidates:
            index = source.fields().lookupField(name)
            if index >= 0:
                return source.fields().at(index).name()
        return None

    def _summary(self, feedback, flags, reclaim, area_m2, table, unit=ih.UNIT_TUBAN):
        idle = flags["XZ"].to_numpy().astype(bool)
        text = self.tr("{0} homestead 宗地, {1} idle ({2:.2f} mu).") if unit == ih.UNIT_ZONGDI \
            else self.tr("{0} homestead parcels (图斑, not households: counts and rates are per "
                         "图斑), {1} idle ({2:.2f} mu).")
        feedback.pushInfo(text.format(len(flags), int(idle.sum()),
                                      float(np.nansum(area_m2[idle]) / M2_PER_MU)))
        counts = collections.Counter(
            reason for text in flags["XZ_YY"] for reason in text.split(ih.REASON_SEPARATOR) if reason)
        for reason in ih.IDLE_REASONS:
            if counts[reason]:
                feedback.pushInfo(f"  {reason}: {counts[reason]}")
        for target, _ in ih.RECLAIM_TARGETS:
            count = int((reclaim == target).sum())
            if count:
                feedback.pushInfo(f"  {target}: {count}")
        feedback.pushInfo(self.tr("{0} villages, {1} hollow villages.").format(
            len(table), int(table["KXC"].sum())))
