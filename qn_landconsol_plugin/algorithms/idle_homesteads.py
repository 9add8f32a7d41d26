"""qnlandconsol:idlehomesteads — 闲置宅基地识别 and 空心村 ranking.

Thin adapter: reads the homestead parcels (by expression), building footprints,
the household survey, the red line and the DEM, and hands plain data to
core.idle_homesteads, which holds every rule."""
from __future__ import annotations

import collections

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsExpression,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
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
from ..qgis_io import rasters, styles
from ..qgis_io.crs import measured_areas, source_working_crs
from ..qgis_io.guards import require_polygons
from ..qgis_io.parcels import read_parcels, write_parcels
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

    def shortHelpString(self):  # noqa: N802
        return self.tr(
            "Flags idle rural homesteads (闲置宅基地, DLBM 0702 by default) from building "
            "footprints (no building, low building cover, buildings all dilapidated / collapsed / "
            "vacant) and from a household survey table (no resident, low annual electricity). "
            "Building area counts overlapping footprints once and only the part of a footprint "
            "inside the parcel. Each idle parcel gets a reclamation target: farmland where the "
            "slope is at most 25° and outside the ecological red line, forest/garden land on "
            "steeper ground, not suitable inside the red line. A second output lists villages "
            "with their hollowing rate (空心化率) by count and by area, ranked; a village whose "
            "rate by area reaches the threshold is a hollow village (空心村).")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        advanced = []
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterExpression(
            self.HOMESTEAD_EXPRESSION, self.tr("Homestead parcels (expression)"),
            self.DEFAULT_EXPRESSION, self.INPUT))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BUILDINGS, self.tr("Building footprints"), [QgsProcessing.TypeVectorPolygon],
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
            QgsProcessingParameterNumber.Double, rules.homestead_coverage_min_pct,
            minValue=0.0, maxValue=100.0))
        self.add_household_parameters(advanced)
        advanced.append(QgsProcessingParameterNumber(
            self.MAX_RESIDENTS, self.tr("Idle at or below this many residents"),
            QgsProcessingParameterNumber.Integer, rules.idle_max_residents, minValue=0))
        advanced.append(QgsProcessingParameterNumber(
            self.MIN_ELECTRICITY, self.tr("Idle below this annual electricity (kWh)"),
            QgsProcessingParameterNumber.Double, rules.idle_max_kwh_per_year, minValue=0.0))
        self.addParameter(QgsProcessingParameterField(
            self.VILLAGE_FIELD,
            self.tr("Village field of the parcels (default: first 12 digits of ZLDWDM)"),
            None, self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.VILLAGES, self.tr("Village polygons (instead of a village field)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        advanced.append(QgsProcessingParameterField(
            self.VILLAGE_CODE_FIELD, self.tr("Village polygons: code field"), None,
            self.VILLAGES, optional=True))
        advanced.append(QgsProcessingParameterField(
            self.VILLAGE_NAME_FIELD, self.tr("Village polygons: name field"), None,
            self.VILLAGES, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.HOLLOW_THRESHOLD, self.tr("Hollow village at or above this idle share by area (%)"),
            QgsProcessingParameterNumber.Double, rules.hollow_village_min_pct,
            minValue=0.0, maxValue=100.0))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.DEM, self.tr("DEM (slope decides farmland or forest/garden)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        for param in advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(param)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Homesteads (idle flagged)"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_VILLAGES, self.tr("Village hollowing ranking"), QgsProcessing.TypeVector,
            optional=True, createByDefault=True))

    # ------------------------------------------------------------------ main
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        rules = Rules()
        source = self._source(parameters, self.INPUT, context, required=True)
        expression = self._expression(parameters, context, source)
        inputs = self._inputs(parameters, context, source, rules, feedback)
        parcels = self._homesteads(parameters, context, source, expression, inputs, feedback)
        if len(parcels) == 0:
            feedback.pushWarning(self.tr(
                "No parcel matches the homestead expression {}; the outputs are empty.").format(
                expression))
            return self._write(parameters, context, parcels, {},
                               pd.DataFrame(columns=[f.name for f in ih.VILLAGE_FIELDS]), feedback)
        building_area = status = None
        if inputs["buildings"] is not None:
            building_area, status = self._buildings(parcels, inputs, context, feedback)
            if building_area is None:
                return {}
        residents = kwh = None
        if inputs["households"] is not None:
            residents, kwh = self._households(inputs, parcels.table[inputs["parcel_key"]].tolist(),
                                              feedback)
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
            source.sourceCrs(), context), positive=True)
        codes, names = self._villages(parcels, inputs, parameters, context, feedback)
        table = ih.village_hollowing(
            codes, idle, area_m2, reclaim, names, rules,
            hollow_min_pct=self.parameterAsDouble(parameters, self.HOLLOW_THRESHOLD, context))
        outputs = self._write(parameters, context, parcels, ih.homestead_columns(
            codes, flags, residents, kwh, slope, red, area_m2, reclaim), table, feedback)
        if outputs:
            self._summary(feedback, flags, reclaim, area_m2, table)
        return outputs

    def _write(self, parameters, context, parcels, columns, village_table, feedback) -> dict:
        """The homesteads and the village ranking, styled when loaded; {} when canceled."""
        dest = write_parcels(self, parameters, self.OUTPUT, context, parcels, ih.HOMESTEAD_FIELDS,
                             columns, feedback, progress=(80.0, 98.0))
        if dest is None:
            return {}
        styles.style_on_load(context, dest, ih.HOMESTEAD_FIELDS, styles.homestead_renderer,
                             in_use_label=self.tr("Not idle"))
        outputs = {self.OUTPUT: dest}
        villages = write_table(self, parameters, self.OUTPUT_VILLAGES, context, ih.VILLAGE_FIELDS,
                               village_table, feedback)
        if villages is not None:
            outputs[self.OUTPUT_VILLAGES] = villages
            styles.style_on_load(context, villages, ih.VILLAGE_FIELDS)
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
                "The homestead expression uses field(s) {0} that the parcel layer does not have.")
                .format(", ".join(sorted(absent))))
        return expression

    def _inputs(self, parameters, context, source, rules, feedback) -> dict:
        """The optional sources and fields, checked: a source given that cannot be loaded,
        building points instead of footprints, a household table without keys are errors."""
        i = {"buildings": self._source(parameters, self.BUILDINGS, context),
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
                "The household table needs a key field joined to the parcels (HOUSEHOLD_KEY)."))
        if i["households"] is not None and i["parcel_key"] is None:
            raise QgsProcessingException(self.tr(
                "The parcels need a key field to join the household table (PARCEL_KEY)."))
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
        label = source.sourceName() if hasattr(source, "sourceName") else ""
        parcels = read_parcels(source, context, feedback, self.tr("Homesteads"),
                               source_working_crs(source, context, feedback, label),
                               {(n.upper() if n.upper() in optional else n): n for n in names},
                               keep_features=True, request=request, progress=(5.0, 20.0),
                               keys=() if inputs["households"] is None else
                               (inputs["parcel_key"],))
        return parcels

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

    def _households(self, inputs, parcel_keys, feedback):
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
            feedback.pushWarning(self.tr(
                "{0} of {1} household rows match no homestead parcel (key {2}), e.g. {3}.").format(
                len(unmatched), len(rows[key_field]), key_field, examples))
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

    def _villages(self, parcels, inputs, parameters, context, feedback):
        """(village code per homestead, {code: name}): from the village polygons, the
        village field, or the first 12 digits of ZLDWDM."""
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

    @staticmethod
    def _guess(source, candidates):
        for name in candidates:
            index = source.fields().lookupField(name)
            if index >= 0:
                return source.fields().at(index).name()
        return None

    def _summary(self, feedback, flags, reclaim, area_m2, table):
        idle = flags["XZ"].to_numpy().astype(bool)
        feedback.pushInfo(self.tr("{0} homesteads, {1} idle ({2:.2f} mu).").format(
            len(flags), int(idle.sum()), float(np.nansum(area_m2[idle]) / M2_PER_MU)))
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
