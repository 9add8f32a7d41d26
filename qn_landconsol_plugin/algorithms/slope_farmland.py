"""qnlandconsol:slopefarmland — 坡耕地识别 (flag slope farmland and unstable farmland).
Slope and rules live in core/slope.py and core/slope_farmland.py."""
import shapely
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsRendererCategory,
    QgsSymbol,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor

from ..core import slope_farmland as sf
from ..core.fields import find_field
from ..core.land_classes import FARMLAND_CODES
from ..core.rules import Rules
from ..qgis_io import parcels as parcel_io, rasters as dem_io
from .base import QnAlgorithm

OPTIONAL_FIELDS = ("BSM", "GDPDJB", "TBXHDM", "TBDLMJ", "ZLDWDM", "ZLDWMC")
MAX_LISTED = 30

# post-processors must outlive processAlgorithm
_POST_PROCESSORS = {}

# (PGD, BWD) class -> colour, label
_CLASSES = (
    ("坡耕地", "#d7301f", "坡耕地（>阈值）"),
    ("不稳定", "#fdae61", "不稳定耕地（其他）"),
    ("耕地", "#ffffbf", "稳定耕地"),
    ("", "#e0e0e0", "非耕地"),
)


class SlopeFarmlandStyle(QgsProcessingLayerPostProcessorInterface):
    """Categorised: slope farmland red, other unstable orange, farmland pale yellow."""

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        expression = ("CASE WHEN \"PGD\" = 1 THEN '坡耕地' WHEN \"BWD\" = 1 THEN '不稳定' "
                      "WHEN \"GD_MU\" > 0 THEN '耕地' ELSE '' END")
        categories = []
        for value, color, label in _CLASSES:
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(QColor(color))
            categories.append(QgsRendererCategory(value, symbol, label))
        layer.setRenderer(QgsCategorizedSymbolRenderer(expression, categories))
        for spec in sf.SLOPE_FARMLAND_FIELDS:
            idx = layer.fields().indexOf(spec.name)
            if idx >= 0:
                layer.setFieldAlias(idx, spec.alias)
        layer.triggerRepaint()


class SlopeFarmlandParameters:
    """FARMLAND_CODES, THRESHOLD and UNSTABLE_CODES: how slope and unstable farmland are
    defined, the same parameters in 'Flag slope farmland' and the forest–farmland swap."""

    FARMLAND_CODES, THRESHOLD, UNSTABLE_CODES = "FARMLAND_CODES", "THRESHOLD", "UNSTABLE_CODES"

    def add_slope_farmland_parameters(self, rules: Rules):
        self.addParameter(QgsProcessingParameterString(
            self.FARMLAND_CODES, self.tr("Farmland land-use codes (DLBM)"),
            ",".join(FARMLAND_CODES)))
        self.addParameter(QgsProcessingParameterNumber(
            self.THRESHOLD, self.tr("Slope farmland threshold (degrees)"),
            QgsProcessingParameterNumber.Double, rules.slope_farmland_deg,
            minValue=0.0, maxValue=90.0))
        self.addParameter(QgsProcessingParameterString(
            self.UNSTABLE_CODES, self.tr("TBXHDM codes of unstable farmland"),
            ",".join(rules.unstable_tbxhdm), optional=True))

    def slope_farmland_values(self, parameters, context):
        """(farmland codes, threshold in degrees, unstable TBXHDM codes); no codes is an error."""
        farmland_codes = sf.parse_codes(self.parameterAsString(parameters, self.FARMLAND_CODES,
                                                               context))
        if not farmland_codes:
            raise QgsProcessingException(self.tr("Give at least one farmland land-use code."))
        threshold = self.parameterAsDouble(parameters, self.THRESHOLD, context)
        unstable = sf.parse_codes(self.parameterAsString(parameters, self.UNSTABLE_CODES, context))
        return farmland_codes, threshold, unstable


class SlopeFarmlandAlgorithm(SlopeFarmlandParameters, QnAlgorithm):
    NAME = "slopefarmland"
    GROUP_ID = "farmland"
    INPUT, DEM, USE_GDPDJB = "INPUT", "DEM", "USE_GDPDJB"
    OUTPUT, OUTPUT_VILLAGES = "OUTPUT", "OUTPUT_VILLAGES"

    def displayName(self):  # noqa: N802
        return self.tr("Flag slope farmland")

    def groupName(self):  # noqa: N802
        return self.tr("Farmland")

    def shortHelpString(self):  # noqa: N802
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
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
        farmland_codes, threshold, unstable = self.slope_farmland_values(parameters, context)
        use_gdpdjb = self.parameterAsBool(parameters, self.USE_GDPDJB, context)
        has_gdpdjb = find_field(source.fields().names(), "GDPDJB") is not None
        if dem is None and not has_gdpdjb:
            raise QgsProcessingException(self.tr(
                "No DEM given and the parcels have no GDPDJB (耕地坡度级别) field: give a DEM, or "
                "parcels with the recorded slope grade GDPDJB."))
        if dem is None and not use_gdpdjb:
            raise QgsProcessingException(self.tr(
                "No DEM given and USE_GDPDJB is off: there is nothing to judge slope by."))

        work = parcel_io.working_crs(source.sourceCrs(), source.sourceExtent(), context,
                                     feedback, self.tr("Parcels"))
        crs = dem_io.compute_crs(dem, work) if dem is not None else work
        names = parcel_io.field_mapping(source, ("DLBM",), OPTIONAL_FIELDS, self.tr("Parcels"))
        input_layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        # the DEM and its slope are read on a worker thread while the parcels are read
        background = dem_io.start_slope(dem, crs, source)
        layer = parcel_io.read_geometries(
            source, context, feedback, self.tr("Parcels"), crs, attributes=tuple(names.values()),
            progress=(0.0, 30.0), layer=input_layer)
        if feedback.isCanceled():
            return {}
        layer.table.columns = list(names)   # canonical names
        feedback.pushInfo(self.tr("{0} parcels read ({1} invalid polygon(s) repaired, none "
                                  "dropped).").format(len(layer.geoms), layer.repaired))

        slope = None
        if dem is not None and len(layer.geoms):
            feedback.setProgressText(self.tr("Computing slope and zonal means"))
            slope = dem_io.parcel_slope(dem, layer.crs, layer.geoms, threshold, context,
                                        feedback, background)
            if slope is None or feedback.isCanceled():
                return {}
            covered = int((~slope["PD_MEAN"].isna()).sum())
            feedback.pushInfo(self.tr("{0} of {1} parcels have a DEM slope ({2} small parcel(s) "
                                      "by area-weighted cells).").format(
                covered, len(layer.geoms), int(slope["PD_EXACT"].sum())))
            if covered == 0:
                raise QgsProcessingException(self.tr(
                    "The DEM has no values under the parcels: it does not cover them."))
            if covered < len(layer.geoms):
                feedback.pushWarning(self.tr(
                    "{0} parcel(s) have no DEM value (outside the DEM or on nodata){1}.").format(
                    len(layer.geoms) - covered,
                    self.tr(": their recorded GDPDJB is used") if use_gdpdjb and has_gdpdjb
                    else ""))
        feedback.setProgress(60.0)

        area = None
        if "TBDLMJ" not in layer.table.columns:
            feedback.pushWarning(self.tr("No TBDLMJ field: farmland areas are the planar parcel "
                                         "areas."))
            area = shapely.area(layer.geoms)
        flags = sf.flag_slope_farmland(layer.table, slope, threshold, farmland_codes, unstable,
                                       use_gdpdjb, area)
        self._report(layer, flags, feedback, threshold)

        fields = parcel_io.output_fields(layer.fields, sf.SLOPE_FARMLAND_FIELDS)
        columns = {c: flags[c].to_numpy() for c in flags.columns}
        feedback.setProgressText(self.tr("Writing parcels…"))
        dest = parcel_io.write_parcels(self, parameters, self.OUTPUT, context, source,
                                       input_layer, layer, fields, columns, feedback,
                                       progress=(65.0, 98.0))
        if dest is None:    # canceled
            return {}
        out = {self.OUTPUT: dest}
        if context.willLoadLayerOnCompletion(dest):
            _POST_PROCESSORS[dest] = SlopeFarmlandStyle()
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(_POST_PROCESSORS[dest])

        vfields = parcel_io.table_fields(sf.VILLAGE_FIELDS)
        vsink, vdest = self.parameterAsSink(parameters, self.OUTPUT_VILLAGES, context, vfields,
                                            QgsWkbTypes.NoGeometry)
        if vsink is not None:
            table = sf.village_table(layer.table, flags)
            parcel_io.write_table(vsink, vfields, table, feedback)
            out[self.OUTPUT_VILLAGES] = vdest
        feedback.setProgress(100.0)
        return out

    def _report(self, layer, flags, feedback, threshold):
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
        bad = sf.grade_mismatches(layer.table, flags)
        if len(bad):
            feedback.pushWarning(self.tr(
                "{0} farmland parcel(s) have a computed slope grade two or more grades away from "
                "the recorded GDPDJB:").format(len(bad)))
            for row in bad.head(MAX_LISTED).itertuples(index=False):
                feedback.pushInfo(self.tr("  BSM {0}: GDPDJB {1}, computed {2} ({3:.2f}°)")
                                  .format(row.BSM, row.GDPDJB, row.PDJB_JS, row.PD_MEAN))
            if len(bad) > MAX_LISTED:
                feedback.pushInfo(self.tr("  … and {} more.").format(len(bad) - MAX_LISTED))

