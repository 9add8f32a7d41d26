"""qnlandconsol:farmlandcontiguity — 耕地集中连片度评价 (farmland contiguity), before
and after consolidation. The rules live in core/contiguity.py."""
import numpy as np
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsGraduatedSymbolRenderer,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsRendererRange,
    QgsSymbol,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor

from ..core import contiguity, villages
from ..core.fields import FieldSpec, find_field
from ..core.land_classes import FARMLAND_CODES, normalize_code
from ..core.rules import Rules
from ..qgis_io import parcels as parcel_io
from .base import QnAlgorithm

# output fields (aliases are what users read)
LP_ID = FieldSpec("LP_ID", "int", 10, "连片编号")
LP_MU = FieldSpec("LP_MU", "float", 16, "连片面积（亩）", 4)
LP_ID_H = FieldSpec("LP_ID_H", "int", 10, "整治后连片编号")
LP_MU_H = FieldSpec("LP_MU_H", "float", 16, "整治后连片面积（亩）", 4)
GD_BH = FieldSpec("GD_BH", "str", 4, "耕地变化")
BLOCK_FIELDS = (
    FieldSpec("QJ", "str", 8, "情景"),
    LP_ID,
    LP_MU,
    FieldSpec("LP_TBS", "int", 10, "图斑数"),
    FieldSpec("CJ_DM", "str", 12, "主要坐落村代码"),
)
SUMMARY_FIELDS = (
    FieldSpec("CJ_DM", "str", 12, "村代码"),
    FieldSpec("CJ_MC", "str", 100, "村名称"),
    FieldSpec("QJ", "str", 8, "情景"),
) + tuple(FieldSpec(k, "int" if k == "LP_N" else "float", 16, alias, 0 if k == "LP_N" else 4)
          for k, alias in contiguity.INDICATORS)
CHANGE_TEXT = {contiguity.ADD: "转入", contiguity.REMOVE: "转出", contiguity.KEEP: ""}

# post-processors must outlive processAlgorithm
_POST_PROCESSORS = {}


class OutputStyle(QgsProcessingLayerPostProcessorInterface):
    """Chinese field aliases (file formats of QGIS 3.22 do not keep them) and, for
    block layers, a graduated green by LP_MU with the large-block size as a break."""

    def __init__(self, specs, large_mu=None):
        super().__init__()
        self.specs = tuple(specs)
        self.large_mu = large_mu

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        for spec in self.specs:
            index = layer.fields().lookupField(spec.name)
            if index >= 0:
                layer.setFieldAlias(index, spec.alias)
        if self.large_mu is not None and layer.fields().lookupField("LP_MU") >= 0:
            layer.setRenderer(block_renderer(layer, self.large_mu))
        layer.triggerRepaint()


def block_renderer(layer, large_mu):
    """Graduated renderer on LP_MU: 0, 5, 10, large_mu, 100, 500 亩 breaks."""
    breaks = sorted({0.0, 5.0, 10.0, float(large_mu), 100.0, 500.0})
    colors = ["#f7fcb9", "#d9f0a3", "#addd8e", "#41ab5d", "#238443", "#005a32", "#00441b"]
    ranges = []
    for k, low in enumerate(breaks):
        high = breaks[k + 1] if k + 1 < len(breaks) else 1e12
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(colors[min(k, len(colors) - 1)]))
        label = f"{low:g} – {high:g} 亩" if high < 1e12 else f"≥ {low:g} 亩"
        ranges.append(QgsRendererRange(low, high, symbol, label))
    return QgsGraduatedSymbolRenderer("LP_MU", ranges)


def _post_process(context, dest_id, processor):
    """Attach a post-processor to an output loaded on completion (kept alive here)."""
    if dest_id and context.willLoadLayerOnCompletion(dest_id):
        _POST_PROCESSORS[dest_id] = processor
        context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(processor)


def _codes(text):
    return tuple(normalize_code(c) for c in str(text or "").replace("，", ",").replace(";", ",")
                 .replace(" ", ",").split(",") if c.strip())


class FarmlandContiguityAlgorithm(QnAlgorithm):
    NAME = "farmlandcontiguity"
    GROUP_ID = "farmland"
    INPUT, FARMLAND_CODES, BRIDGE_CODES, BRIDGE_WIDTH = (
        "INPUT", "FARMLAND_CODES", "BRIDGE_CODES", "BRIDGE_WIDTH")
    SCENARIO, LARGE_BLOCK = "SCENARIO", "LARGE_BLOCK"
    OUTPUT_BLOCKS, OUTPUT, OUTPUT_SUMMARY = "OUTPUT_BLOCKS", "OUTPUT", "OUTPUT_SUMMARY"
    SCENARIOS = ((contiguity.CURRENT,), (contiguity.AFTER,), (contiguity.CURRENT, contiguity.AFTER))

    def displayName(self):  # noqa: N802
        return self.tr("Farmland contiguity (before/after consolidation)")

    def groupName(self):  # noqa: N802
        return self.tr("Farmland")

    def shortHelpString(self):  # noqa: N802
        return self.tr(
            "Groups farmland parcels into contiguous blocks (耕地集中连片): parcels sharing a "
            "boundary belong to one block (parcels touching only at a corner do not), and so do "
            "fields separated only by a narrow rural road or ditch (bridge codes, no wider than "
            "the bridge width; the width is XZDWKD or estimated from the parcel's area and "
            "perimeter). Leave the bridge codes empty to form blocks from shared boundaries "
            "alone, as native dissolve + multipart to singleparts would.\n"
            "The after-consolidation scenario removes farmland leaving farmland (林耕置换 out, "
            "坡耕地退出, new construction of 产业融合) and adds parcels becoming farmland "
            "(宜耕后备资源开发, 宅基地复垦, 林耕置换 in), read from the dock's tags ZZLX/ZZZLX "
            "or the potential survey's QL_LX.\n"
            "Areas are farmland areas TBDLMJ (田坎 deducted), in 亩. The summary gives per "
            "village and in total: number of blocks, mean, area-weighted mean and largest block, "
            "share of farmland in blocks of at least the large-block size, blocks per 100 亩; "
            "with both scenarios, the change too.")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterString(
            self.FARMLAND_CODES, self.tr("Farmland land-use codes (DLBM)"),
            ",".join(FARMLAND_CODES)))
        self.addParameter(QgsProcessingParameterString(
            self.BRIDGE_CODES, self.tr("Linear land-use codes that do not break a block "
                                       "(empty: shared boundaries only)"),
            ",".join(contiguity.DEFAULT_BRIDGE_CODES), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.BRIDGE_WIDTH, self.tr("Maximum width of a road or ditch inside a block (m)"),
            QgsProcessingParameterNumber.Double, rules.bridge_width_m, minValue=0.0))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCENARIO, self.tr("Scenario"),
            [self.tr("Current land use"), self.tr("After consolidation"),
             self.tr("Both (before vs after)")], defaultValue=2))
        self.addParameter(QgsProcessingParameterNumber(
            self.LARGE_BLOCK, self.tr("Large block from (亩)"),
            QgsProcessingParameterNumber.Double, rules.large_block_mu, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_BLOCKS, self.tr("Farmland blocks"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with block"), QgsProcessing.TypeVectorPolygon,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SUMMARY, self.tr("Contiguity summary"), QgsProcessing.TypeVector,
            optional=True, createByDefault=True))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        farmland_codes = _codes(self.parameterAsString(parameters, self.FARMLAND_CODES, context))
        if not farmland_codes:
            raise QgsProcessingException(self.tr("Give at least one farmland land-use code."))
        bridge_codes = _codes(self.parameterAsString(parameters, self.BRIDGE_CODES, context))
        bridge_width = self.parameterAsDouble(parameters, self.BRIDGE_WIDTH, context)
        scenarios = self.SCENARIOS[self.parameterAsEnum(parameters, self.SCENARIO, context)]
        large_mu = self.parameterAsDouble(parameters, self.LARGE_BLOCK, context)

        label = self.tr("Parcels")
        optional = ["TBDLMJ", "ZLDWDM", "ZLDWMC"]
        if not find_field(source.fields().names(), "TBDLMJ"):
            optional += ["TBMJ", "KCMJ", "KCXS"]
        if bridge_codes:
            optional.append("XZDWKD")
        if contiguity.AFTER in scenarios:
            optional += list(contiguity.CHANGE_FIELDS)
        mapping = parcel_io.field_mapping(source, ("DLBM",), optional, label)
        crs = parcel_io.working_crs(source.sourceCrs(), source.sourceExtent(), context,
                                    feedback, label)
        input_layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        layer = parcel_io.read_geometries(source, context, feedback, label, crs,
                                          attributes=tuple(mapping.values()),
                                          progress=(0.0, 30.0), layer=input_layer)
        if feedback.isCanceled():
            return {}
        geoms = layer.geoms
        table = layer.table.rename(columns={v: k for k, v in mapping.items()})
        n = len(geoms)
        feedback.pushInfo(self.tr("{0} parcels read ({1} invalid repaired).")
                          .format(n, layer.repaired))

        now = contiguity.is_farmland_code(table["DLBM"], farmland_codes)
        areas = contiguity.farmland_area_m2(table, shapely.area(geoms))
        if "TBDLMJ" not in table.columns:
            feedback.pushWarning(self.tr("No TBDLMJ field: farmland areas are TBMJ − KCMJ, or "
                                         "the planar parcel area less the KCXS deduction."))
        bridge = widths = None
        if bridge_codes and bridge_width > 0:
            bridge = contiguity.is_farmland_code(table["DLBM"], bridge_codes)
            widths = np.full(n, np.inf)
            widths[bridge] = contiguity.linear_width(
                geoms[bridge], table["XZDWKD"][bridge] if "XZDWKD" in table else None)
            feedback.pushInfo(self.tr("{0} road/ditch parcel(s) of codes {1}, {2} of them no "
                                      "wider than {3} m.").format(
                int(bridge.sum()), ", ".join(bridge_codes),
                int((bridge & (widths <= bridge_width)).sum()), bridge_width))
        zldwdm = table["ZLDWDM"] if "ZLDWDM" in table else None
        village = (villages.village_keys(zldwdm).to_numpy(dtype=object) if zldwdm is not None
                   else np.full(n, "", dtype=object))
        names = villages.village_names(zldwdm, table.get("ZLDWMC")) if zldwdm is not None else {}

        masks = {contiguity.CURRENT: now}
        change = None
        if contiguity.AFTER in scenarios:
            if not any(f in table.columns for f in contiguity.CHANGE_FIELDS):
                feedback.pushWarning(self.tr(
                    "No ZZLX/ZZZLX tags or QL_LX potential types in the layer: the farmland "
                    "after consolidation is the current farmland."))
            change = contiguity.farmland_change(now, table)
            masks[contiguity.AFTER] = contiguity.farmland_after(now, change)
            feedback.pushInfo(self.tr("After consolidation: {0} parcel(s) become farmland, "
                                      "{1} leave farmland.").format(
                int((change == contiguity.ADD).sum()), int((change == contiguity.REMOVE).sum())))

        parts, parent, part_areas = contiguity.explode(geoms, areas)
        part_village = village[parent]
        results, shapes = {}, {}
        step = 30.0
        for scenario in scenarios:
            if feedback.isCanceled():
                return {}
            mask = masks[scenario]
            name = contiguity.SCENARIO_LABELS[scenario]
            if not mask.any():
                feedback.pushWarning(self.tr("No farmland (codes {0}) in the layer for scenario "
                                             "'{1}': no blocks.").format(
                    ", ".join(farmland_codes), name))
            feedback.setProgressText(self.tr("Building farmland blocks: {}").format(name))
            try:
                blocks = contiguity.scenario_blocks(
                    parts, parent, part_areas, mask, village,
                    None if bridge is None else bridge & ~mask, widths, bridge_width, n,
                    feedback.isCanceled)
            except contiguity.Canceled:
                return {}
            shapes[scenario] = blocks.shapes
            results[scenario] = blocks
            ind = contiguity.contiguity_indicators(blocks.table["LP_MU"].to_numpy(), large_mu)
            feedback.pushInfo(self.tr(
                "{0}: {1} block(s), farmland {2:.2f} 亩, mean {3:.2f} 亩, area-weighted mean "
                "{4:.2f} 亩, largest {5:.2f} 亩, {6:.1f}% in blocks of at least {7:g} 亩.").format(
                name, ind["LP_N"], ind["GD_MU"], ind["LP_PJ"], ind["LP_JQ"], ind["LP_MAX"],
                ind["DLP_ZB"], large_mu))
            step += 40.0 / len(scenarios)
            feedback.setProgress(step)
        if feedback.isCanceled():
            return {}

        # blocks
        sink, blocks_id = self.parameterAsSink(
            parameters, self.OUTPUT_BLOCKS, context, parcel_io.table_fields(BLOCK_FIELDS),
            QgsWkbTypes.MultiPolygon, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT_BLOCKS))
        self._write_blocks(sink, results, shapes, feedback)
        out = {self.OUTPUT_BLOCKS: blocks_id}
        _post_process(context, blocks_id, OutputStyle(BLOCK_FIELDS, large_mu))
        feedback.setProgress(75.0)

        # summary
        fields = parcel_io.table_fields(SUMMARY_FIELDS)
        tsink, summary_id = self.parameterAsSink(parameters, self.OUTPUT_SUMMARY, context,
                                                 fields, QgsWkbTypes.NoGeometry)
        if tsink is not None:
            frame = contiguity.summary({k: b.part_labels for k, b in results.items()}, part_areas,
                                       part_village, names, large_mu)
            parcel_io.write_table(tsink, fields, frame, feedback)
            out[self.OUTPUT_SUMMARY] = summary_id
            _post_process(context, summary_id, OutputStyle(SUMMARY_FIELDS))
        feedback.setProgress(80.0)

        # parcels
        specs = self._parcel_specs(scenarios)
        parcel_fields = parcel_io.output_fields(source.fields(), specs)
        columns = self._parcel_columns(scenarios, results, change)
        parcels_id = parcel_io.write_parcels(self, parameters, self.OUTPUT, context, source,
                                             input_layer, layer, parcel_fields, columns,
                                             feedback, progress=(80.0, 100.0))
        if feedback.isCanceled():
            return {}
        if parcels_id is not None:
            out[self.OUTPUT] = parcels_id
            _post_process(context, parcels_id, OutputStyle(specs))
        return out

    @staticmethod
    def _parcel_specs(scenarios):
        specs = [LP_ID, LP_MU]
        if len(scenarios) == 2:
            specs += [LP_ID_H, LP_MU_H]
        if contiguity.AFTER in scenarios:
            specs.append(GD_BH)
        return specs

    @staticmethod
    def _parcel_columns(scenarios, results, change):
        columns = {}
        names = [(LP_ID.name, LP_MU.name), (LP_ID_H.name, LP_MU_H.name)]
        for scenario, (id_name, mu_name) in zip(scenarios, names):
            lp_id, lp_mu = contiguity.parcel_blocks(results[scenario].labels,
                                                    results[scenario].table)
            columns[id_name] = [None if np.isnan(v) else int(v) for v in lp_id]
            columns[mu_name] = lp_mu
        if change is not None:
            columns[GD_BH.name] = [CHANGE_TEXT[c] or None for c in change]
        return columns

    @staticmethod
    def _write_blocks(sink, results, shapes, feedback):
        fields = parcel_io.table_fields(BLOCK_FIELDS)
        for scenario, blocks in results.items():
            label = contiguity.SCENARIO_LABELS[scenario]
            ordered = blocks.table.sort_values("LP_ID")
            batch = []
            for lab, row in zip(ordered.index, ordered.itertuples(index=False)):
                if feedback.isCanceled():
                    return
                geom = shapes[scenario].get(int(lab))
                if geom is None:
                    continue
                feature = QgsFeature(fields)
                qgeom = QgsGeometry()
                qgeom.fromWkb(shapely.to_wkb(geom))
                qgeom.convertToMultiType()
                feature.setGeometry(qgeom)
                village = getattr(row, "CJ_DM", None)
                feature.setAttributes([label, int(row.LP_ID), float(row.LP_MU),
                                       int(row.LP_TBS), village if isinstance(village, str) else None])
                batch.append(feature)
                if len(batch) >= 2000:
                    sink.addFeatures(batch, QgsFeatureSink.FastInsert)
                    batch = []
            if batch:
                sink.addFeatures(batch, QgsFeatureSink.FastInsert)
