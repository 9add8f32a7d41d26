"""qnlandconsol:forestfarmlandswap — 林耕置换候选 (forest–farmland swap candidates).
The rules live in core/farmland_swap.py (candidates, score, balance) and
core/slope_farmland.py (which farmland moves out)."""
import numpy as np
import pandas as pd
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsRendererCategory,
    QgsSymbol,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor

from ..core import farmland_swap as swap
from ..core import slope_farmland as sf
from ..core.land_classes import base_code, base_codes
from ..core.rules import Rules
from ..qgis_io import parcels as parcel_io, rasters as dem_io
from .base import QnAlgorithm
from .slope_farmland import SlopeFarmlandParameters

OPTIONAL_FIELDS = ("BSM", "GDPDJB", "TBXHDM", "TBDLMJ", "TBMJ", "ZLDWDM", "ZLDWMC", "CZCSXM",
                   "PD_MEAN")
_POST_PROCESSORS = {}


class SwapStyle(QgsProcessingLayerPostProcessorInterface):
    """Out red, selected in green, other in candidates pale green."""

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        expression = "\"ZH_LX\" || CASE WHEN \"ZH_XZ\" = 1 THEN '1' ELSE '0' END"
        cats = []
        for value, color, label in (("出1", "#d7301f", "调出：坡耕地/不稳定耕地"),
                                    ("入1", "#1a9850", "调入：入选"),
                                    ("入0", "#a6d96a", "调入：备选")):
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(QColor(color))
            cats.append(QgsRendererCategory(value, symbol, label))
        layer.setRenderer(QgsCategorizedSymbolRenderer(expression, cats))
        for spec in swap.CANDIDATE_FIELDS:
            idx = layer.fields().indexOf(spec.name)
            if idx >= 0:
                layer.setFieldAlias(idx, spec.alias)
        layer.triggerRepaint()


class ForestFarmlandSwapAlgorithm(SlopeFarmlandParameters, QnAlgorithm):
    NAME = "forestfarmlandswap"
    GROUP_ID = "farmland"
    INPUT, DEM, RED_LINE = "INPUT", "DEM", "RED_LINE"
    MAX_SLOPE_IN, MAX_DISTANCE = "MAX_SLOPE_IN", "MAX_DISTANCE"
    OUTPUT, OUTPUT_BALANCE = "OUTPUT", "OUTPUT_BALANCE"

    def displayName(self):  # noqa: N802
        return self.tr("Forest–farmland swap candidates")

    def groupName(self):  # noqa: N802
        return self.tr("Farmland")

    def shortHelpString(self):  # noqa: N802
        return self.tr(
            "Finds 林耕置换 candidates. Out (出): slope farmland and unstable farmland, as "
            "'Flag slope farmland' defines them. In (入): garden, forest and other grassland "
            "(0404) parcels with mean slope at most MAX_SLOPE_IN, outside the ecological red "
            "line, within MAX_DISTANCE of farmland that stays or of a village settlement "
            "(CZCSXM 203 or 0702).\n"
            "Each move-in parcel gets a score ZH_PF (0–100): 35 for flatness (1 − slope / max "
            "slope), 25 for nearness (1 − distance / max distance), 15 for size (full from "
            "10 亩), 15 for contiguity (share of its boundary shared with farmland, full from "
            "50 %), 10 for a 可调整 (K) code. Move-in parcels are selected best-ranked first "
            "until each village's move-out area is matched (ZH_XZ = 1), then township-wide for "
            "villages short of candidates. The balance table gives per village and in total "
            "the 亩 out, 亩 in, 亩 available and whether 耕地总量不减少 holds.\n"
            "Slope comes from the DEM when one is given (as in 'Flag slope farmland'), else "
            "from the parcels' PD_MEAN field.")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.DEM, self.tr("DEM"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.add_slope_farmland_parameters(rules)
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_SLOPE_IN, self.tr("Maximum mean slope of land moving in (degrees)"),
            QgsProcessingParameterNumber.Double, rules.swap_in_max_slope_deg,
            minValue=0.0, maxValue=90.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_DISTANCE, self.tr("Maximum distance to farmland or a village (m)"),
            QgsProcessingParameterNumber.Double, rules.swap_max_distance_m, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Swap candidates"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_BALANCE, self.tr("Swap balance by village"), QgsProcessing.TypeVector,
            optional=True, createByDefault=True))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
        red_source = self.parameterAsSource(parameters, self.RED_LINE, context)
        farmland_codes, threshold, unstable = self.slope_farmland_values(parameters, context)
        max_slope_in = self.parameterAsDouble(parameters, self.MAX_SLOPE_IN, context)
        max_distance = self.parameterAsDouble(parameters, self.MAX_DISTANCE, context)
        names = source.fields().names()
        has_pd = any(n.upper() == "PD_MEAN" for n in names)
        if dem is None and not has_pd:
            raise QgsProcessingException(self.tr(
                "The slope of the land moving in is needed: give a DEM, or parcels with a "
                "PD_MEAN field (the output of 'Flag slope farmland')."))

        work = parcel_io.working_crs(source.sourceCrs(), source.sourceExtent(), context,
                                     feedback, self.tr("Parcels"))
        crs = dem_io.compute_crs(dem, work) if dem is not None else work
        names = parcel_io.field_mapping(source, ("DLBM",), OPTIONAL_FIELDS, self.tr("Parcels"))
        background = dem_io.start_slope(dem, crs, source)
        layer = parcel_io.read_geometries(
            source, context, feedback, self.tr("Parcels"), crs, attributes=tuple(names.values()),
            progress=(0.0, 30.0), layer=self.parameterAsVectorLayer(parameters, self.INPUT, context))
        if feedback.isCanceled():
            return {}
        layer.table.columns = list(names)   # canonical names
        table, geoms = layer.table, layer.geoms
        if dem is not None:
            feedback.setProgressText(self.tr("Computing slope and zonal means"))
            slope = dem_io.parcel_slope(dem, layer.crs, geoms, threshold, context, feedback,
                                        background)
            if slope is None:
                return {}
            if slope["PD_MEAN"].isna().all():
                raise QgsProcessingException(self.tr(
                    "The DEM has no values under the parcels: it does not cover them."))
        else:
            feedback.pushInfo(self.tr("No DEM: slopes are read from the PD_MEAN field."))
            slope = pd.DataFrame({"PD_MEAN": pd.to_numeric(table["PD_MEAN"], errors="coerce"),
                                  "PD_GT": np.nan})
        feedback.setProgress(55.0)
        flags = sf.flag_slope_farmland(table, slope, threshold, farmland_codes, unstable, True)
        farmland = np.isin(base_codes(table["DLBM"]), [base_code(c) for c in farmland_codes])
        moving_out = flags["BWD"].to_numpy() == 1

        red = None
        if red_source is not None:
            red_layer = parcel_io.read_geometries(red_source, context, feedback,
                                                  self.tr("Ecological red line"), layer.crs,
                                                  progress=(55.0, 60.0))
            red = red_layer.geoms
        else:
            feedback.pushWarning(self.tr("No ecological red line given: candidates are not "
                                         "checked against it."))
        if feedback.isCanceled():
            return {}
        feedback.setProgressText(self.tr("Ranking candidates"))
        cand = swap.find_swap_candidates(
            geoms, table, farmland, moving_out, slope["PD_MEAN"].to_numpy(dtype=float), red,
            max_slope_in, max_distance, Rules().overlap_min_area_m2,
            farmland_mu=flags["GD_MU"].to_numpy())
        r = cand.attrs["reasons"]
        feedback.pushInfo(self.tr(
            "{0} garden/forest/0404 parcel(s): {1} steeper than {2:g}°, {3} without slope, "
            "{4} in the red line, {5} farther than {6:g} m from farmland or a village.").format(
            r["kind"], r["too_steep"], max_slope_in, r["no_slope"], r["red_line"], r["too_far"],
            max_distance))
        cand, balance = swap.balance(cand, swap.village_name_map(table))
        total = balance.iloc[-1]
        feedback.pushInfo(self.tr(
            "Out {0:.2f} 亩 ({1} parcels), in {2:.2f} 亩 selected of {3:.2f} 亩 available; "
            "耕地总量不减少: {4}.").format(
            total["CK_MU"], int((cand["ZH_LX"] == swap.OUT).sum()), total["RK_MU"],
            total["KY_MU"], total["BJ"]))
        if total["BJ"] != "是":
            feedback.pushWarning(self.tr("Not enough land to move in: farmland would decrease "
                                         "by {0:.2f} 亩.").format(-total["CE_MU"]))
        feedback.setProgress(70.0)

        fields = parcel_io.output_fields(layer.fields, swap.CANDIDATE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          source.wkbType(), source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        cand = cand.sort_values(["ZH_LX", "CUNDM", "ZH_PX"], kind="stable")
        features = self._features(source, layer.fids[cand["index"].to_numpy()])
        columns = {f.name: cand[f.name].to_numpy() for f in swap.CANDIDATE_FIELDS}
        if not parcel_io.append_columns(sink, fields, features, columns, feedback,
                                        progress=(70.0, 98.0)):
            return {}
        out = {self.OUTPUT: dest}
        if context.willLoadLayerOnCompletion(dest):
            _POST_PROCESSORS[dest] = SwapStyle()
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(_POST_PROCESSORS[dest])
        bfields = parcel_io.table_fields(swap.BALANCE_FIELDS)
        bsink, bdest = self.parameterAsSink(parameters, self.OUTPUT_BALANCE, context, bfields,
                                            QgsWkbTypes.NoGeometry)
        if bsink is not None:
            parcel_io.write_table(bsink, bfields, balance, feedback)
            out[self.OUTPUT_BALANCE] = bdest
        return out

    def _features(self, source, fids):
        """The candidates' own features (source CRS, every attribute), in `fids` order."""
        request = QgsFeatureRequest().setFilterFids([int(f) for f in fids])
        by_id = {f.id(): f for f in source.getFeatures(
            request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)}
        if len(by_id) != len(fids):
            raise QgsProcessingException(self.tr(
                "The input layer changed while the algorithm ran ({0} features, then {1}).")
                .format(len(fids), len(by_id)))
        return [by_id[int(f)] for f in fids]
