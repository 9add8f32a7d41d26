"""qnlandconsol:controllinecheck — 三区三线冲突检查 (check parcels against the
ecological red line, permanent basic farmland and the urban development boundary)."""
import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsFeatureSink,
    QgsFillSymbol,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsRendererCategory,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core import control_lines as cl
from ..core.rules import Rules
from ..translation import tr
from .base import QnAlgorithm
from ..core.fields import match_fields
from ..qgis_io.parcels import (output_fields, read_geometries, table_fields, write_parcels,
                        working_crs)

PARCEL_FIELDS = ("DLBM", "ZLDWDM", "ZLDWMC", "BSM", "TBBH")
TASK_FIELDS = ("ZZLX", "ZZZLX")

# post-processors must outlive processAlgorithm: keyed by destination id
_STYLERS = {}


class ControlLineCheckAlgorithm(QnAlgorithm):
    NAME = "controllinecheck"
    GROUP_ID = "controllines"
    INPUT, RED_LINE, PBF, UDB = "INPUT", "RED_LINE", "PBF", "UDB"
    TASK_FIELD, MIN_AREA = "TASK_FIELD", "MIN_AREA"
    OUTPUT, OUTPUT_OVERLAPS, OUTPUT_REPORT = "OUTPUT", "OUTPUT_OVERLAPS", "OUTPUT_REPORT"

    def displayName(self):  # noqa: N802
        return self.tr("Check control lines (red line, basic farmland, urban boundary)")

    def groupName(self):  # noqa: N802
        return self.tr("Control lines")

    def tags(self):
        return self.tr("red line,ecological,PBF,permanent basic farmland,urban development boundary,"
                       "overlap,conflict,三区三线,生态保护红线").split(",")

    def shortHelpString(self):  # noqa: N802
        return self.tr(
            "Measures how much of each parcel lies inside the ecological red line, the permanent "
            "basic farmland (PBF) and the urban development boundary (UDB), and judges each parcel "
            "by the work planned on it (task fields ZZLX/ZZZLX) or, without them, by its land class: "
            "ecological restoration inside the red line is allowed (0); new farmland, reclamation "
            "to farmland or construction inside it is a conflict (2); existing farmland inside it "
            "and work touching the PBF or the UDB need attention (1). Overlaps smaller than the "
            "minimum area are boundary slivers, reported separately.\n\n"
            "Areas are planar (m², in the parcels' projected CRS) and equal those of QGIS's "
            "'Overlap analysis'. Control lines in another CRS are reprojected; invalid polygons "
            "are repaired.\n\nOutputs: the parcels with HX_MJ/HX_BL, JBNT_MJ/JBNT_BL, "
            "KFBJ_MJ/KFBJ_BL (NULL for a line that was not given), CT_DJ (level), CT_SM (reason), "
            "CT_SL (sliver); the overlap pieces; an HTML report in Chinese with a map.")

    def initAlgorithm(self, config=None):  # noqa: N802
        poly = [QgsProcessing.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (DLTB, or the tagged project parcels)"), poly))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Ecological red line"), poly))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PBF, self.tr("Permanent basic farmland"), poly, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.UDB, self.tr("Urban development boundary"), poly, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.TASK_FIELD, self.tr("Task-type field (default ZZLX with ZZZLX)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_AREA, self.tr("Minimum overlap area (m²); smaller ones are slivers"),
            QgsProcessingParameterNumber.Double, Rules().overlap_min_area_m2, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with control-line check")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_OVERLAPS, self.tr("Control-line overlaps"), QgsProcessing.TypeVectorPolygon,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_REPORT, self.tr("Control-line report (HTML)"), self.tr("HTML files (*.html)"),
            optional=True, createByDefault=True))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        red = self.parameterAsSource(parameters, self.RED_LINE, context)
        if red is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.RED_LINE))
        zone_sources = {"HX": red,
                        "JBNT": self.parameterAsSource(parameters, self.PBF, context),
                        "KFBJ": self.parameterAsSource(parameters, self.UDB, context)}
        min_area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        task_field = self.parameterAsString(parameters, self.TASK_FIELD, context)
        rules = Rules()

        # parcels and their task fields (lean read: geometries + the named fields)
        task_names = (task_field,) if task_field else TASK_FIELDS
        label = source.sourceName() or self.tr("parcels")
        mapping = match_fields(source.fields().names(), optional=PARCEL_FIELDS + task_names + ("ZZZLX",))
        work_crs = working_crs(source.sourceCrs(), source.sourceExtent(), context, feedback, label)
        feedback.setProgressText(self.tr("Reading parcels…"))
        input_layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        parcels = read_geometries(source, context, feedback, label, work_crs,
                                  attributes=list(mapping.values()), progress=(0.0, 25.0),
                                  layer=input_layer)
        if feedback.isCanceled():
            return {}
        table = parcels.table
        table.columns = list(mapping)
        if not len(mapping):   # no known field at all: still one row per parcel
            table = pd.DataFrame(index=range(len(parcels.geoms)))
        if task_field:
            zzlx = table[task_field].tolist()
            zzzlx = table["ZZZLX"].tolist() if "ZZZLX" in table and task_field.upper() != "ZZZLX" else None
        else:
            zzlx = table["ZZLX"].tolist() if "ZZLX" in table else None
            zzzlx = table["ZZZLX"].tolist() if "ZZZLX" in table else None
        if zzlx is None and zzzlx is None:
            feedback.pushInfo(self.tr("No task-type field (ZZLX/ZZZLX): every parcel is judged as a "
                                      "project parcel from its land class (DLBM) alone."))
        if "DLBM" not in table:
            feedback.pushWarning(self.tr("The parcels have no land-use code field DLBM: only planned "
                                         "work decides the levels."))

        # control lines, in the parcels' working CRS
        zones, warnings = {}, []
        labels = {"HX": self.tr("Ecological red line"), "JBNT": self.tr("Permanent basic farmland"),
                  "KFBJ": self.tr("Urban development boundary")}
        for k, (key, zsrc) in enumerate(zone_sources.items()):
            if zsrc is None:
                continue
            feedback.setProgressText(self.tr("Preparing {}…").format(labels[key]))
            layer = read_geometries(zsrc, context, feedback, labels[key], parcels.crs,
                                    progress=(25.0 + 4 * k, 29.0 + 4 * k))
            zone = cl.ZoneIndex(layer.geoms)
            zone.repaired = max(zone.repaired, layer.repaired)
            if zone.empty:
                feedback.pushWarning(self.tr("{}: the layer has no polygons; its overlap areas are "
                                             "all 0.").format(labels[key]))
                warnings.append(f"{cl.CONTROL_LINE_BY_KEY[key].zh}图层无多边形，重叠面积均为 0。")
            else:
                feedback.pushInfo(self.tr("{0}: {1} polygon(s), {2:.2f} ha, cut into {3} tiles.").format(
                    labels[key], zone.count, zone.area / 10000.0, len(zone.tiles)))
            zones[key] = zone
            if feedback.isCanceled():
                return {}

        # overlaps and levels
        feedback.setProgressText(self.tr("Measuring overlaps…"))
        result = cl.check(parcels.geoms, table["DLBM"].tolist() if "DLBM" in table else None,
                          zzlx, zzzlx, zones, rules, min_area, pieces=True,
                          progress=lambda f: feedback.setProgress(37.0 + 20.0 * f))
        if feedback.isCanceled():
            return {}
        res = result.result
        counts = np.bincount(res["CT_DJ"].to_numpy(), minlength=3)
        feedback.pushInfo(self.tr("Levels: {0} conflict(s), {1} need attention, {2} without "
                                  "conflict; {3} boundary sliver(s).").format(
            counts[2], counts[1], counts[0], int(res["CT_SL"].sum())))

        # parcels
        fields = output_fields(parcels.fields, cl.OUTPUT_FIELDS)
        columns = {spec.name: res[spec.name].to_numpy() for spec in cl.OUTPUT_FIELDS}
        columns["CT_SM"] = np.array([r or None for r in res["CT_SM"]], dtype=object)  # '' -> NULL
        for line in cl.CONTROL_LINES:   # a line not given was not checked: NULL, not 0
            if line.key not in zones:
                for name in (f"{line.key}_MJ", f"{line.key}_BL"):
                    columns[name] = np.full(len(res), None, dtype=object)
        feedback.setProgressText(self.tr("Writing parcels…"))
        dest = write_parcels(self, parameters, self.OUTPUT, context, source, input_layer,
                             parcels, fields, columns, feedback, progress=(57.0, 85.0))
        if dest is None:    # canceled
            return {}
        outputs = {self.OUTPUT: dest}
        self._style(context, dest, "parcels")

        # overlap pieces
        labels = cl.parcel_labels(table).to_numpy()
        ofields = table_fields(cl.OVERLAP_FIELDS)
        osink, odest = self.parameterAsSink(parameters, self.OUTPUT_OVERLAPS, context, ofields,
                                            QgsWkbTypes.MultiPolygon, parcels.crs)
        if osink is not None:
            self._write_pieces(osink, ofields, labels, parcels.geoms, result, feedback)
            outputs[self.OUTPUT_OVERLAPS] = odest
            self._style(context, odest, "overlaps")

        # report
        report = self.parameterAsFileOutput(parameters, self.OUTPUT_REPORT, context)
        if report:
            feedback.setProgressText(self.tr("Writing the report…"))
            meta = {"layer": source.sourceName(), "min_area": min_area, "warnings": warnings,
                    "crs": f"{parcels.crs.authid()} {parcels.crs.description()}"}
            text = cl.build_report(table, res, result.found, parcels.geoms, zones, meta, rules,
                                   labels=labels)
            with open(report, "w", encoding="utf-8") as f:
                f.write(text)
            outputs[self.OUTPUT_REPORT] = report
        feedback.setProgress(100.0)
        return outputs

    def _write_pieces(self, sink, fields, labels, parcel_geoms, result, feedback):
        found = result.found
        if not len(found):
            return
        parcel = found["parcel"].to_numpy().astype(int)
        line = found["line"].to_numpy()
        geoms = np.full(len(found), None, dtype=object)
        for key, pieces in result.pieces.items():
            sel = line == key
            geoms[sel] = pieces[parcel[sel]]
        keep = ~shapely.is_missing(geoms)
        keep[keep] = ~shapely.is_empty(geoms[keep])
        parts, owner = shapely.get_parts(geoms[keep], return_index=True)
        multi = np.full(len(geoms), None, dtype=object)
        multi[np.flatnonzero(keep)] = shapely.multipolygons(parts, indices=owner)
        wkbs = shapely.to_wkb(multi)
        share = cl.overlap_share(found["area"].to_numpy(), parcel_geoms[parcel])
        attrs = zip(np.asarray(labels, dtype=object)[parcel].tolist(), (parcel + 1).tolist(),
                    line.tolist(), found["line_zh"].tolist(), found["area"].to_numpy(float).tolist(),
                    share.tolist(), found["level"].to_numpy(int).tolist(), found["reason"].tolist(),
                    found["sliver"].to_numpy(bool).astype(int).tolist())
        batch = []
        for wkb, values in zip(wkbs, attrs):
            if wkb is None:
                continue
            feature = QgsFeature(fields)
            geom = QgsGeometry()
            geom.fromWkb(wkb)
            feature.setGeometry(geom)
            feature.setAttributes(list(values))
            batch.append(feature)
            if len(batch) >= 5000:
                sink.addFeatures(batch, QgsFeatureSink.FastInsert)
                batch = []
                if feedback.isCanceled():
                    return
        if batch:
            sink.addFeatures(batch, QgsFeatureSink.FastInsert)

    def _style(self, context, dest, kind):
        if context.willLoadLayerOnCompletion(dest):
            styler = _Styler(kind)
            _STYLERS[dest] = styler
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(styler)


# (value, fill, outline) of the conflict levels and of the lines
_LEVEL_STYLE = ((2, "227,26,28,200", "103,0,13"),
                (1, "253,141,60,180", "166,54,3"),
                (0, "240,240,240,60", "150,150,150"))
_LINE_STYLE = (("HX", "116,196,118,150", "0,109,44"),
               ("JBNT", "254,224,139,150", "184,134,11"),
               ("KFBJ", "106,81,163,90", "106,81,163"))


class _Styler(QgsProcessingLayerPostProcessorInterface):
    """Categorised style of an output when it is loaded into the project."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if not isinstance(layer, QgsVectorLayer):
            return
        categories = []
        if self.kind == "parcels":
            names = {2: tr("Conflict (2)"), 1: tr("Needs attention (1)"), 0: tr("No conflict (0)")}
            for value, fill, outline in _LEVEL_STYLE:
                symbol = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline,
                                                     "outline_width": "0.2"})
                categories.append(QgsRendererCategory(value, symbol, names[value]))
            layer.setRenderer(QgsCategorizedSymbolRenderer("CT_DJ", categories))
        else:
            for key, fill, outline in _LINE_STYLE:
                symbol = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline,
                                                     "outline_width": "0.3"})
                categories.append(QgsRendererCategory(key, symbol, cl.CONTROL_LINE_BY_KEY[key].zh))
            layer.setRenderer(QgsCategorizedSymbolRenderer("KZX", categories))
        layer.triggerRepaint()
