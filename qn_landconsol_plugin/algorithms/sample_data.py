"""qnlandconsol:sampledata — generate the realistic sample township (示例乡镇数据)."""
import os

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from .. import sampledata as sample_township
from ..qgis_io import styles
from ..qgis_io import compat
from .base import QnAlgorithm

# the township's layers on the map, top first, and the outline colours of the lines
LAYERS = ("buildings", "stbhhx", "yjjbnt", "czkfbj", "cun", "dltb")
OUTLINES = {"stbhhx": "#1a9850", "yjjbnt": "#e6ab02", "czkfbj": "#d7301f", "cun": "#636363"}


class SampleDataAlgorithm(QnAlgorithm):
    NAME = "sampledata"
    GROUP_ID = "tools"
    OUTPUT_FOLDER, PARCELS, SEED = "OUTPUT_FOLDER", "PARCELS", "SEED"

    def displayName(self):  # noqa: N802
        return self.tr("Generate sample township")

    def groupName(self):  # noqa: N802
        return self.tr("Tools")

    def help_text(self):
        return self.tr(
            "Writes a realistic, deterministic sample township of a Qiannan county: "
            "township.gpkg (三调 DLTB parcels, ecological red line, permanent basic farmland, "
            "urban development boundary, villages, building footprints; EPSG:4545), a 10 m "
            "karst DEM (dem.tif) and a household survey table (households.csv). "
            "One seed and one number of parcels give identical files under one GEOS release, "
            "through qgis_process and python -m qn_landconsol_plugin.sampledata alike; another "
            "GEOS release can change some geometry (road and ditch outlines, control lines), "
            "and with it the attributes drawn after it: alike in their figures, not equal in "
            "their bytes.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterNumber(
            self.PARCELS, self.tr("Number of parcels"),
            compat.ProcessingNumberParameterType.Integer,
            3000, minValue=100, maxValue=2_000_000))
        self.addParameter(QgsProcessingParameterNumber(
            self.SEED, self.tr("Random seed"), compat.ProcessingNumberParameterType.Integer, 1,
            minValue=0))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, self.tr("Output folder")))
        self.addOutput(QgsProcessingOutputVectorLayer("PARCELS_LAYER", self.tr("Parcels (DLTB)")))
        self.addOutput(QgsProcessingOutputRasterLayer("DEM", self.tr("DEM")))
        self.addOutput(QgsProcessingOutputFile("GPKG", self.tr("Township GeoPackage")))
        self.addOutput(QgsProcessingOutputFile("HOUSEHOLDS", self.tr("Household survey table")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        n = self.parameterAsInt(parameters, self.PARCELS, context)
        seed = self.parameterAsInt(parameters, self.SEED, context)
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        os.makedirs(folder, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise QgsProcessingException(self.tr("Output folder is not writable: {}").format(folder))

        def progress(percent, message):
            feedback.setProgress(percent)
            if message:
                feedback.setProgressText(message)

        try:
            paths = sample_township.generate(folder, n_parcels=n, seed=seed, progress=progress,
                                             is_canceled=feedback.isCanceled)
        except sample_township.GenerationCanceled:
            return {}
        feedback.pushInfo(self.tr("Sample township written to {}").format(folder))
        self._load_on_completion(paths, context)
        return {
            self.OUTPUT_FOLDER: folder,
            "PARCELS_LAYER": f"{paths['gpkg']}|layername=dltb",
            "DEM": paths["dem"],
            "GPKG": paths["gpkg"],
            "HOUSEHOLDS": paths["households"],
        }

    def _load_on_completion(self, paths, context):
        """The township's layers and DEM go on the map when the run ends, named in the
        user's language, with Chinese field aliases, the parcels by land class, the
        control lines and villages as outlines, the buildings on top."""
        names = {"dltb": self.tr("Parcels (DLTB)"), "stbhhx": self.tr("Ecological red line"),
                 "yjjbnt": self.tr("Permanent basic farmland"),
                 "czkfbj": self.tr("Urban development boundary"), "cun": self.tr("Villages"),
                 "buildings": self.tr("Building footprints"), "dem": self.tr("DEM")}
        uris = {name: f"{paths['gpkg']}|layername={name}" for name in LAYERS}
        uris["dem"] = paths["dem"]
        order = LAYERS + ("dem",)
        for i, name in enumerate(order):
            details = QgsProcessingContext.LayerDetails(names[name], context.project(), name)
            details.forceName = True      # the name, not the file's layer name
            context.addLayerToLoadOnCompletion(uris[name], details)
            renderer, args = None, {}
            if name == "dltb":
                renderer = styles.land_class_renderer
            elif name in OUTLINES:
                renderer, args = styles.outline_renderer, {"color": OUTLINES[name]}
            styles.style_on_load(context, uris[name], renderer=renderer, stack=len(order) - i,
                                 **args)
