"""qnlandconsol:idlehomesteads — 闲置宅基地识别 and 空心村 ranking.

Thin adapter: reads the homestead parcels (by expression), building footprints,
the household survey, the red line and the DEM, and hands plain data to
core.idle_homesteads, which holds every rule."""
from __future__ import annotations

import collections

import numpy as np
import shapely
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsDistanceArea,
    QgsExpression,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsRendererCategory,
    QgsWkbTypes,
)

from ..core import idle_homesteads as ih
from ..core import villages as vil
from ..core.rules import Rules
from ..core.units import M2_PER_MU
from ..qgis_io import parcels as parcel_io, rasters as dem_io
from .base import QnAlgorithm
from .household_parameters import HouseholdParameters

# post-processors must outlive processAlgorithm (QGIS keeps only a pointer)
_POST_PROCESSORS = {}

# FK_LX value -> fill colour of the output style ('' = homestead in use)
_STYLE_COLOURS = (
    ("", "#d9d9d9"),
    (ih.RECLAIM_FARMLAND, "#ffd92f"),
    (ih.RECLAIM_FOREST_GARDEN, "#41ab5d"),
    (ih.RECLAIM_UNSUITABLE, "#d7301f"),
)


def set_aliases(layer, specs):
    """Chinese aliases of the added fields on a loaded layer (providers drop them)."""
    for spec in specs:
        index = layer.fields().lookupField(spec.name)
        if index >= 0:
            layer.setFieldAlias(index, spec.alias)


class _HomesteadStyle(QgsProcessingLayerPostProcessorInterface):
    """Homesteads coloured by reclamation target; homesteads in use in grey."""

    def __init__(self, in_use_label):
        super().__init__()
        self.in_use_label = in_use_label

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if layer is None or not layer.isValid():
            return
        set_aliases(layer, ih.HOMESTEAD_FIELDS)
        categories = []
        for value, colour in _STYLE_COLOURS:
            symbol = QgsFillSymbol.createSimple({"color": colour, "outline_color": "#636363",
                                                 "outline_width": "0.2"})
            categories.append(QgsRendererCategory(value, symbol, value or self.in_use_label))
        layer.setRenderer(QgsCategorizedSymbolRenderer("FK_LX", categories))
        layer.triggerRepaint()


class _VillageTableStyle(QgsProcessingLayerPostProcessorInterface):
    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if layer is not None and layer.isValid():
            set_aliases(layer, ih.VILLAGE_FIELDS)


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
            self.OUTPUT_VILLAGES, self.tr("Village hollowing ranking"), QgsProcessing.TypeVector))

    # ------------------------------------------------------------------ main
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        rules = Rules()
        source = self._source(parameters, self.INPUT, context, required=True)
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

        buildings_src = self._source(parameters, self.BUILDINGS, context)
        if buildings_src is not None and \
                QgsWkbTypes.geometryType(buildings_src.wkbType()) != QgsWkbTypes.PolygonGeometry:
            raise QgsProcessingException(self.tr(
                "Building footprints must be polygons; the layer has {} geometries. "
                "Use footprint polygons, not building points or outlines.").format(
                QgsWkbTypes.geometryDisplayString(QgsWkbTypes.geometryType(buildings_src.wkbType()))))
        households_src = self._source(parameters, self.HOUSEHOLDS, context)
        villages_src = self._source(parameters, self.VILLAGES, context)
        red_src = self._source(parameters, self.RED_LINE, context)
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)

        status_field = self._field(parameters, self.BUILDING_STATUS_FIELD, context, buildings_src,
                                   feedback, self.tr("Building footprints"))
        idle_status = self._idle_status(parameters, context, rules)
        parcel_key = self._field(parameters, self.PARCEL_KEY, context, source, feedback,
                                 self.tr("Parcels"))
        hh_key = self._field(parameters, self.HOUSEHOLD_KEY, context, households_src, feedback,
                             self.tr("Household table"))
        if households_src is not None and hh_key is None:
            raise QgsProcessingException(self.tr(
                "The household table needs a key field joined to the parcels (HOUSEHOLD_KEY)."))
        if households_src is not None and parcel_key is None:
            raise QgsProcessingException(self.tr(
                "The parcels need a key field to join the household table (PARCEL_KEY)."))
        residents_field = self._field(parameters, self.RESIDENTS_FIELD, context, households_src,
                                      feedback, self.tr("Household table"))
        kwh_field = self._field(parameters, self.ELECTRICITY_FIELD, context, households_src,
                                feedback, self.tr("Household table"))
        village_field = self._field(parameters, self.VILLAGE_FIELD, context, source, feedback,
                                    self.tr("Parcels"))

        # -- homestead parcels
        feedback.setProgressText(self.tr("Selecting homestead parcels"))
        request = QgsFeatureRequest().setFilterExpression(expression)
        request.setExpressionContext(self.createExpressionContext(parameters, context, source))
        optional = ("ZLDWDM", "ZLDWMC", "TBMJ")
        names = [source.fields().at(i).name() for i in
                 (source.fields().lookupField(f) for f in optional) if i >= 0]
        names += [f for f in (parcel_key, village_field) if f and f not in names]
        parcels = parcel_io.read_geometries(
            source, context, feedback, self.tr("Homesteads"),
            self._working_crs(source, context, feedback), attributes=tuple(names),
            progress=(5.0, 20.0), keep_features=True, request=request)
        parcels.table.columns = [c.upper() if c.upper() in optional else c
                                 for c in parcels.table.columns]
        n = len(parcels)

        out_fields = parcel_io.output_fields(source.fields(), ih.HOMESTEAD_FIELDS)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, out_fields,
                                          source.wkbType(), source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        village_fields = parcel_io.table_fields(ih.VILLAGE_FIELDS)
        vsink, vdest = self.parameterAsSink(parameters, self.OUTPUT_VILLAGES, context,
                                            village_fields, QgsWkbTypes.NoGeometry)
        if vsink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT_VILLAGES))
        self._set_style(context, dest, vdest)
        if n == 0:
            feedback.pushWarning(self.tr(
                "No parcel matches the homestead expression {}; the outputs are empty.").format(
                expression))
            return {self.OUTPUT: dest, self.OUTPUT_VILLAGES: vdest}

        # -- buildings
        building_area = status = None
        if buildings_src is not None:
            feedback.setProgressText(self.tr("Reading building footprints"))
            blds = parcel_io.read_geometries(
                buildings_src, context, feedback, self.tr("Building footprints"), parcels.crs,
                attributes=(status_field,) if status_field else (), progress=(20.0, 45.0))
            if feedback.isCanceled():
                return {}
            feedback.setProgressText(self.tr("Building area inside each homestead"))
            building_area = ih.building_area_in_parcels(parcels.geoms, blds.geoms)
            feedback.setProgress(60.0)
            if status_field:
                status = ih.building_status_reasons(parcels.geoms, blds.geoms,
                                                    blds.table[status_field].tolist(), idle_status)
            feedback.pushInfo(self.tr("{0} building footprints read ({1} repaired).").format(
                len(blds.geoms), blds.repaired))

        # -- households
        residents = kwh = None
        if households_src is not None:
            residents, kwh = self._households(households_src, hh_key, residents_field, kwh_field,
                                              parcels.table[parcel_key].tolist(), feedback)
        if feedback.isCanceled():
            return {}

        # -- idle flags
        planar = shapely.area(parcels.geoms)
        flags = ih.flag_idle(
            planar, building_area, status, residents, kwh, rules,
            coverage_min_pct=self.parameterAsDouble(parameters, self.COVERAGE_THRESHOLD, context),
            max_residents=self.parameterAsInt(parameters, self.MAX_RESIDENTS, context),
            min_kwh=self.parameterAsDouble(parameters, self.MIN_ELECTRICITY, context))
        idle = flags["XZ"].to_numpy().astype(bool)

        # -- reclamation target
        slope = self._slope(dem, parcels, context, feedback) if dem is not None else None
        if feedback.isCanceled():
            return {}
        if slope is None:
            feedback.pushInfo(self.tr("No DEM: slope not checked, idle homesteads outside the red "
                                      "line are taken as reclaimable to farmland."))
        red = None
        if red_src is not None:
            red_layer = parcel_io.read_geometries(red_src, context, feedback,
                                                  self.tr("Ecological red line"), parcels.crs,
                                                  progress=(70.0, 75.0))
            red = ih.red_line_overlap(parcels.geoms, red_layer.geoms)
        reclaim = ih.reclaim_target(idle, slope, red, rules)

        # -- villages
        area_m2 = self._report_area(parcels, source, context)
        codes, names = self._villages(parcels, village_field, villages_src, parameters, context,
                                      feedback)
        table = ih.village_hollowing(
            codes, idle, area_m2, reclaim, names, rules,
            hollow_min_pct=self.parameterAsDouble(parameters, self.HOLLOW_THRESHOLD, context))

        columns = {
            "CUN_DM": codes,
            "JZ_MJ": np.round(flags["JZ_MJ"].to_numpy(), 2),
            "JZ_FGL": np.round(flags["JZ_FGL"].to_numpy(), 2),
            "CZRK": residents if residents is not None else [None] * n,
            "NYDL": kwh if kwh is not None else [None] * n,
            "PD_MEAN": np.round(slope, 2) if slope is not None else [None] * n,
            "HX_MJ": np.round(red, 2) if red is not None else [None] * n,
            "XZ": flags["XZ"].to_numpy(),
            "XZ_YY": flags["XZ_YY"].tolist(),
            "XZ_MU": np.round(np.where(idle, area_m2 / M2_PER_MU, 0.0), 4),
            "FK_LX": reclaim,
        }
        columns["CZRK"] = [None if v is None or np.isnan(v) else int(v) for v in columns["CZRK"]]
        if not parcel_io.append_columns(sink, out_fields, parcels.features, columns, feedback,
                                        progress=(80.0, 98.0)):
            return {}
        parcel_io.write_table(vsink, village_fields, table, feedback)
        self._summary(feedback, flags, reclaim, area_m2, table)
        return {self.OUTPUT: dest, self.OUTPUT_VILLAGES: vdest}

    # ------------------------------------------------------------------ pieces
    def _idle_status(self, parameters, context, rules):
        text = self.parameterAsString(parameters, self.IDLE_STATUS_VALUES, context)
        if not text or not text.strip():
            return tuple(rules.idle_building_status)
        return tuple(v.strip() for v in text.replace("，", ",").replace("、", ",").split(",")
                     if v.strip())

    @staticmethod
    def _working_crs(source, context, feedback):
        return parcel_io.working_crs(source.sourceCrs(), source.sourceExtent(), context, feedback,
                                     source.sourceName() if hasattr(source, "sourceName") else "")

    def _households(self, households_src, key_field, residents_field, kwh_field, parcel_keys,
                    feedback):
        names = [f for f in (key_field, residents_field, kwh_field) if f]
        fields = households_src.fields()
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
        request.setSubsetOfAttributes([fields.lookupField(f) for f in names])
        rows = {f: [] for f in names}
        for feature in households_src.getFeatures(request):
            for f in names:
                rows[f].append(parcel_io._plain(feature[f]))
        summary, unmatched = ih.household_summary(
            parcel_keys, rows[key_field],
            rows[residents_field] if residents_field else None,
            rows[kwh_field] if kwh_field else None)
        n_rows = len(rows[key_field])
        if unmatched:
            examples = ", ".join("NULL" if k is None else str(k) for k in unmatched[:5])
            feedback.pushWarning(self.tr(
                "{0} of {1} household rows match no homestead parcel (key {2}), e.g. {3}.").format(
                len(unmatched), n_rows, key_field, examples))
        without = int((summary["HH_N"] == 0).sum())
        if without:
            feedback.pushInfo(self.tr("{} homestead parcels have no household survey row "
                                      "(household evidence unknown).").format(without))
        residents = summary["CZRK"].to_numpy() if residents_field else None
        kwh = summary["NYDL"].to_numpy() if kwh_field else None
        return residents, kwh

    def _slope(self, dem, parcels, context, feedback):
        feedback.setProgressText(self.tr("Slope of each homestead"))
        frame = dem_io.parcel_slope(dem, parcels.crs, parcels.geoms,
                                    Rules().new_farmland_max_slope_deg, context, feedback)
        return None if frame is None else frame["PD_MEAN"].to_numpy(dtype=float)

    @staticmethod
    def _report_area(parcels, source, context):
        """m² for 亩 figures: TBMJ (official, ellipsoidal) where present, else the
        ellipsoidal area of the geometry."""
        area = np.full(len(parcels), np.nan)
        if "TBMJ" in parcels.table:
            area = np.array([float(v) if v not in (None, "") else np.nan
                             for v in parcels.table["TBMJ"]], dtype=float)
        missing = ~(area > 0)
        if missing.any():
            measure = QgsDistanceArea()
            crs = source.sourceCrs()
            measure.setSourceCrs(crs, context.transformContext())
            ellipsoid = context.ellipsoid()
            if not ellipsoid or ellipsoid.upper() == "NONE":
                ellipsoid = crs.ellipsoidAcronym()
            measure.setEllipsoid(ellipsoid)
            for i in np.flatnonzero(missing):
                area[i] = measure.measureArea(parcels.features[i].geometry())
        return area

    def _villages(self, parcels, village_field, villages_src, parameters, context, feedback):
        """(village code per homestead, {code: name})."""
        if villages_src is not None:
            code_field = self._field(parameters, self.VILLAGE_CODE_FIELD, context, villages_src,
                                     feedback, self.tr("Villages")) or \
                self._guess(villages_src, self.VILLAGE_CODE_CANDIDATES)
            name_field = self._field(parameters, self.VILLAGE_NAME_FIELD, context, villages_src,
                                     feedback, self.tr("Villages")) or \
                self._guess(villages_src, self.VILLAGE_NAME_CANDIDATES)
            zones = parcel_io.read_geometries(
                villages_src, context, feedback, self.tr("Villages"), parcels.crs,
                attributes=tuple(f for f in (code_field, name_field) if f), progress=(75.0, 78.0))
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

    def _set_style(self, context, dest, vdest):
        for layer_id, make in ((dest, lambda: _HomesteadStyle(self.tr("Not idle"))),
                               (vdest, _VillageTableStyle)):
            if layer_id and context.willLoadLayerOnCompletion(layer_id):
                processor = make()
                _POST_PROCESSORS[layer_id] = processor
                context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(processor)

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
