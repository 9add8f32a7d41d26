"""qnlandconsol:slopefarmland — 坡耕地识别 (flag slope farmland and unstable farmland).
Slope and rules live in core/slope.py and core/slope_farmland.py."""
import shapely
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterRasterLayer,
)

from ..core import slope_farmland as sf
from ..core.fields import find_field
from ..core.rules import Rules
from ..qgis_io import rasters, styles
from ..qgis_io.guards import field_mapping
from ..qgis_io.layer_roles import layer_name
from ..qgis_io.parcels import write_parcels
from ..qgis_io.tables import write_table
from .base import QnAlgorithm
from .parameters import SlopeFarmlandParameters

OPTIONAL_FIELDS = ("BSM", "GDPDJB", "TBXHDM", "TBDLMJ", "ZLDWDM", "ZLDWMC")
MAX_LISTED = 30


class SlopeFarmlandAlgorithm(SlopeFarmlandParameters, QnAlgorithm):
    NAME = "slopefarmland"
    GROUP_ID = "farmland"
    INPUT, DEM, USE_GDPDJB = "INPUT", "DEM", "USE_GDPDJB"
    OUTPUT, OUTPUT_VILLAGES = "OUTPUT", "OUTPUT_VILLAGES"

    def displayName(self):  # noqa: N802
        return self.tr("Flag slope farmland")

    def groupName(self):  # noqa: N802
        return self.tr("Farmland")

    def help_text(self):
        return self.tr(
            "Flags slope farmland (坡耕地) and unstable farmland (不稳定耕地) of 三调 parcels.\n"
            "PD_MEAN is the parcel's mean slope in degrees, computed exactly as native:slope "
            "(Horn) followed by native:zonalstatisticsfb (mean) would: cells whose centre lies "
            "inside the parcel; a parcel with at most one such cell gets the area-weighted mean "
            "of the cells it overlaps. PD_GT is the share (%) of those cells steeper than the "
            "threshold, PDJB_JS the slope grade 1–5 (≤2°, ≤6°, ≤15°, ≤25°, >25°).\n"
            "PGD = 1 for farmland whose mean slope exceeds the threshold, or, where the DEM has "
            "no value (or no DEM is given), whose recorded GDPDJB is 5. BWD = 1 for slope "
            "farmland and for farmland whose TBXHDM is one of the unstable codes (河道/湖区/林区/"
            "牧区/沙荒/石漠化耕地). PGD_LY says where the verdict came from (DEM, GDPDJB, "
            "TBXHDM); GD_MU is the farmland area TBDLMJ in 亩.\n"
            "The log lists farmland whose computed grade differs from GDPDJB by two grades or "
            "more. The village table sums farmland, slope farmland and unstable farmland (亩) "
            "by village (ZLDWDM). The DEM may be in any CRS: a projected DEM is used on its own "
            "grid, a geographic one is reprojected to the parcels' working CRS.")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.DEM, self.tr("DEM"), optional=True))
        self.add_slope_farmland_parameters(rules)
        self.addParameter(QgsProcessingParameterBoolean(
            self.USE_GDPDJB, self.tr("Without a DEM value, use the recorded GDPDJB"), True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with slope farmland"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_VILLAGES, self.tr("Slope farmland by village"), QgsProcessing.TypeVector,
            optional=True, createByDefault=True))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self._parcel_source(parameters, context, feedback)
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
        farmland_codes, threshold, unstable = self.slope_farmland_values(parameters, context)
        use_gdpdjb = self.parameterAsBool(parameters, self.USE_GDPDJB, context)
        has_gdpdjb = find_field(source.fields().names(), "GDPDJB") is not None
        self._check_slope_evidence(dem, has_gdpdjb, use_gdpdjb, layer_name(source))
        label = layer_name(source, self.tr("Parcels"))
        parcels, background = rasters.read_parcels_and_dem(
            source, dem, context, feedback, label,
            field_mapping(source, ("DLBM",), OPTIONAL_FIELDS, label),
            self.parameterAsVectorLayer(parameters, self.INPUT, context))
        if feedback.isCanceled():
            return {}
        feedback.pushInfo(self.tr("{0} parcels read ({1} invalid polygon(s) repaired, none "
                                  "dropped).").format(len(parcels), parcels.repaired))
        slope = None
        if dem is not None and len(parcels):
            slope = self._slope(dem, parcels, threshold, use_gdpdjb and has_gdpdjb, context,
                                feedback, background)
            if slope is None or feedback.isCanceled():
                return {}
        feedback.setProgress(60.0)
        area = None
        if "TBDLMJ" not in parcels.table.columns:
            feedback.pushWarning(self.tr("No TBDLMJ field: farmland areas are the planar parcel "
                                         "areas."))
            area = shapely.area(parcels.geoms)
        flags = sf.flag_slope_farmland(parcels.table, slope, threshold, farmland_codes, unstable,
                                       use_gdpdjb, area)
        self._report(parcels, flags, feedback, threshold, farmland_codes)
        feedback.setProgressText(self.tr("Writing parcels…"))
        dest = write_parcels(self, parameters, self.OUTPUT, context, parcels,
                             sf.SLOPE_FARMLAND_FIELDS,
                             {c: flags[c].to_numpy() for c in flags.columns}, feedback,
                             progress=(65.0, 98.0))
        if dest is None:    # canceled
            return {}
        styles.style_on_load(context, dest, sf.SLOPE_FARMLAND_FIELDS,
                             styles.slope_farmland_renderer)
        out = {self.OUTPUT: dest}
        villages = write_table(self, parameters, self.OUTPUT_VILLAGES, context, sf.VILLAGE_FIELDS,
                               sf.village_table(parcels.table, flags), feedback)
        if villages is not None:
            out[self.OUTPUT_VILLAGES] = villages
        feedback.setProgress(100.0)
        return out

    def _check_slope_evidence(self, dem, has_gdpdjb, use_gdpdjb, name):
        if dem is None and not has_gdpdjb:
            raise QgsProcessingException(self.tr(
                "No DEM given and layer '{0}' has no GDPDJB (耕地坡度级别) field: give a DEM, or "
                "parcels with the recorded slope grade GDPDJB.").format(name))
        if dem is None and not use_gdpdjb:
            raise QgsProcessingException(self.tr(
                "No DEM given and USE_GDPDJB is off: there is nothing to judge slope by."))

    def _slope(self, dem, parcels, threshold, gdpdjb_instead, context, feedback, background):
        feedback.setProgressText(self.tr("Computing slope and zonal means"))
        slope = rasters.parcel_slope(dem, parcels.crs, parcels.geoms, threshold, context,
                                     feedback, background)
        if slope is None:
            return None
        covered = int((~slope["PD_MEAN"].isna()).sum())
        feedback.pushInfo(self.tr("{0} of {1} parcels have a DEM slope ({2} small parcel(s) "
                                  "by area-weighted cells).").format(
            covered, len(parcels), int(slope["PD_EXACT"].sum())))
        if covered < len(parcels):
            feedback.pushWarning(self.tr(
                "{0} parcel(s) have no DEM value (outside the DEM or on nodata){1}.").format(
                len(parcels) - covered,
                self.tr(": their recorded GDPDJB is used") if gdpdjb_instead else ""))
        return slope

    def _report(self, parcels, flags, feedback, threshold, farmland_codes):
        gd = flags["GD_MU"].to_numpy()
        pgd = flags["PGD"].to_numpy() == 1
        bwd = flags["BWD"].to_numpy() == 1
        feedback.pushInfo(self.tr(
            "Farmland {0:.2f} 亩; slope farmland (> {1:g}°) {2:.2f} 亩 in {3} parcel(s); "
            "unstable farmland {4:.2f} 亩 in {5} parcel(s).").format(
            gd.sum(), threshold, gd[pgd].sum(), int(pgd.sum()), gd[bwd].sum(), int(bwd.sum())))
        for src in (sf.SOURCE_DEM, sf.SOURCE_GDPDJB, sf.SOURCE_TBXHDM):
            k = int((flags["PGD_LY"] == src).sum())
            if k:
                feedback.pushInfo(self.tr("Verdict from {0}: {1} farmland parcel(s).")
                                  .format(src, k))
        bad = sf.grade_mismatches(parcels.table, flags, farmland_codes)
        if len(bad):
            feedback.pushWarning(self.tr(
                "{0} farmland parcel(s) have a computed slope grade two or more grades away from "
                "the recorded GDPDJB:").format(len(bad)))
            for row in bad.head(MAX_LISTED).itertuples(index=False):
                feedback.pushInfo(self.tr("  BSM {0}: GDPDJB {1}, computed {2} ({3:.2f}°)")
                                  .format(row.BSM, row.GDPDJB, row.PDJB_JS, row.PD_MEAN))
            if len(bad) > MAX_LISTED:
                feedback.pushInfo(self.tr("  … and {} more.").format(len(bad) - MAX_LISTED))

