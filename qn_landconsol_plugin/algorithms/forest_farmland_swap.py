"""qnlandconsol:forestfarmlandswap — 林耕置换候选 (forest–farmland swap candidates).
The rules live in core/farmland_swap.py (candidates, score, balance) and
core/slope_farmland.py (which farmland moves out)."""
import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ..core import farmland_swap as swap
from ..core import slope_farmland as sf
from ..core.fields import find_field
from ..core.land_classes import base_code, base_codes
from ..core.rules import Rules
from ..qgis_io import rasters, styles
from ..qgis_io.guards import field_mapping
from ..qgis_io.layer_roles import layer_name
from ..qgis_io.parcels import read_parcels, write_parcels
from ..qgis_io.tables import write_table
from .base import QnAlgorithm
from .parameters import SlopeFarmlandParameters

OPTIONAL_FIELDS = ("BSM", "GDPDJB", "TBXHDM", "TBDLMJ", "TBMJ", "ZLDWDM", "ZLDWMC", "CZCSXM",
                   "PD_MEAN")


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

    def help_text(self):
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
        source = self._parcel_source(parameters, context, feedback)
        red_source = self._source(parameters, self.RED_LINE, context)
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
        farmland_codes, threshold, unstable = self.slope_farmland_values(parameters, context)
        max_slope_in = self.parameterAsDouble(parameters, self.MAX_SLOPE_IN, context)
        max_distance = self.parameterAsDouble(parameters, self.MAX_DISTANCE, context)
        if dem is None and find_field(source.fields().names(), "PD_MEAN") is None:
            raise QgsProcessingException(self.tr(
                "The slope of the land moving in is needed: give a DEM, or parcels with a "
                "PD_MEAN field (the output of 'Flag slope farmland'); layer '{0}' has none.")
                .format(layer_name(source)))
        label = layer_name(source, self.tr("Parcels"))
        parcels, background = rasters.read_parcels_and_dem(
            source, dem, context, feedback, label,
            field_mapping(source, ("DLBM",), OPTIONAL_FIELDS, label),
            self.parameterAsVectorLayer(parameters, self.INPUT, context))
        if feedback.isCanceled():
            return {}
        slope = self._slope(dem, parcels, threshold, context, feedback, background)
        if slope is None:
            return {}
        feedback.setProgress(55.0)
        table = parcels.table
        flags = sf.flag_slope_farmland(table, slope, threshold, farmland_codes, unstable, True)
        farmland = np.isin(base_codes(table["DLBM"]), [base_code(c) for c in farmland_codes])
        red = self._red_line(red_source, parcels, context, feedback)
        if feedback.isCanceled():
            return {}
        feedback.setProgressText(self.tr("Ranking candidates"))
        cand = swap.find_swap_candidates(
            parcels.geoms, table, farmland, flags["BWD"].to_numpy() == 1,
            slope["PD_MEAN"].to_numpy(dtype=float), red, max_slope_in, max_distance,
            Rules().overlap_min_area_m2, farmland_mu=flags["GD_MU"].to_numpy())
        reasons = cand.attrs["reasons"]
        cand, balance = swap.balance(cand, swap.village_name_map(table))
        self._report(reasons, cand, balance, max_slope_in, max_distance, feedback)
        feedback.setProgress(70.0)
        cand = cand.sort_values(["ZH_LX", "CUNDM", "ZH_PX"], kind="stable")
        dest = write_parcels(self, parameters, self.OUTPUT, context, parcels,
                             swap.CANDIDATE_FIELDS,
                             {f.name: cand[f.name].to_numpy() for f in swap.CANDIDATE_FIELDS},
                             feedback, rows=cand["index"].to_numpy(), progress=(70.0, 98.0))
        if dest is None:
            return {}
        styles.style_on_load(context, dest, swap.CANDIDATE_FIELDS, styles.swap_renderer)
        out = {self.OUTPUT: dest}
        balance_dest = write_table(self, parameters, self.OUTPUT_BALANCE, context,
                                   swap.BALANCE_FIELDS, balance, feedback)
        if balance_dest is not None:
            out[self.OUTPUT_BALANCE] = balance_dest
        return out

    def _slope(self, dem, parcels, threshold, context, feedback, background):
        """PD_MEAN (and PD_GT) from the DEM, else from the parcels' PD_MEAN field."""
        if dem is None:
            feedback.pushInfo(self.tr("No DEM: slopes are read from the PD_MEAN field."))
            return pd.DataFrame({"PD_MEAN": pd.to_numeric(parcels.table["PD_MEAN"],
                                                          errors="coerce"), "PD_GT": np.nan})
        feedback.setProgressText(self.tr("Computing slope and zonal means"))
        return rasters.parcel_slope(dem, parcels.crs, parcels.geoms, threshold, context,
                                    feedback, background)

    def _red_line(self, red_source, parcels, context, feedback):
        if red_source is None:
            feedback.pushWarning(self.tr("No ecological red line given: candidates are not "
                                         "checked against it."))
            return None
        return read_parcels(red_source, context, feedback, self.tr("Ecological red line"),
                            parcels.crs, progress=(55.0, 60.0)).geoms

    def _report(self, r, cand, balance, max_slope_in, max_distance, feedback):
        feedback.pushInfo(self.tr(
            "{0} garden/forest/0404 parcel(s): {1} steeper than {2:g}°, {3} without slope, "
            "{4} in the red line, {5} farther than {6:g} m from farmland or a village.").format(
            r["kind"], r["too_steep"], max_slope_in, r["no_slope"], r["red_line"], r["too_far"],
            max_distance))
        total = balance.iloc[-1]
        feedback.pushInfo(self.tr(
            "Out {0:.2f} 亩 ({1} parcels), in {2:.2f} 亩 selected of {3:.2f} 亩 available; "
            "耕地总量不减少: {4}.").format(
            total["CK_MU"], int((cand["ZH_LX"] == swap.OUT).sum()), total["RK_MU"],
            total["KY_MU"], total["BJ"]))
        if total["BJ"] != "是":
            feedback.pushWarning(self.tr("Not enough land to move in: farmland would decrease "
                                         "by {0:.2f} 亩.").format(-total["CE_MU"]))
