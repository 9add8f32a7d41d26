"""qnlandconsol:farmlandcontiguity — 耕地集中连片度评价 (farmland contiguity), before
and after consolidation. The rules live in core/contiguity.py, the output tables in
core/contiguity_outputs.py."""
import numpy as np
import shapely
from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core import contiguity, villages
from ..core import contiguity_outputs as out
from ..core.fields import find_field
from ..core.land_classes import FARMLAND_CODES
from ..core.rules import Rules
from ..core.slope_farmland import parse_codes
from ..qgis_io import compat, styles
from ..qgis_io.guards import field_mapping
from ..qgis_io.layer_roles import layer_name
from ..qgis_io.parcels import read_parcels, write_parcels
from ..qgis_io.tables import write_table
from .base import QnAlgorithm


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

    def help_text(self):
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
            "or the potential survey's output (QL_LX, XZGD_MJ).\n"
            "Areas are farmland areas net of 田坎, in 亩: TBDLMJ now; after consolidation as "
            "the dock and the potential survey count them (land becoming farmland TBMJ × (1 − "
            "KCXS of its slope grade), 田坎归并 the merged KCXS). The summary gives per "
            "village and in total: number of blocks, mean, area-weighted mean and largest block, "
            "share of farmland in blocks of at least the large-block size, blocks per 100 亩; "
            "with both scenarios, the change too.")

    def initAlgorithm(self, config=None):  # noqa: N802
        rules = Rules()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (三调 DLTB)"), [compat.ProcessingSourceType.VectorPolygon]))
        self.addParameter(QgsProcessingParameterString(
            self.FARMLAND_CODES, self.tr("Farmland land-use codes (DLBM)"),
            ",".join(FARMLAND_CODES)))
        self.addParameter(QgsProcessingParameterString(
            self.BRIDGE_CODES, self.tr("Linear land-use codes that do not break a block "
                                       "(empty: shared boundaries only)"),
            ",".join(contiguity.DEFAULT_BRIDGE_CODES), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.BRIDGE_WIDTH, self.tr("Maximum width of a road or ditch inside a block (m)"),
            compat.ProcessingNumberParameterType.Double, rules.bridge_width_m, minValue=0.0))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCENARIO, self.tr("Scenario"),
            [self.tr("Current land use"), self.tr("After consolidation"),
             self.tr("Both (before vs after)")], defaultValue=2))
        self.addParameter(QgsProcessingParameterNumber(
            self.LARGE_BLOCK, self.tr("Large block from (亩)"),
            compat.ProcessingNumberParameterType.Double, rules.large_block_mu, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_BLOCKS, self.tr("Farmland blocks"),
            compat.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with block"), compat.ProcessingSourceType.VectorPolygon,
            optional=True, createByDefault=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SUMMARY, self.tr("Contiguity summary"), compat.ProcessingSourceType.Vector,
            optional=True, createByDefault=True))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self._parcel_source(parameters, context, feedback)
        farmland_codes = self._farmland_codes(parameters, context)
        bridge_codes = parse_codes(self.parameterAsString(parameters, self.BRIDGE_CODES, context))
        bridge_width = self.parameterAsDouble(parameters, self.BRIDGE_WIDTH, context)
        scenarios = self.SCENARIOS[self.parameterAsEnum(parameters, self.SCENARIO, context)]
        large_mu = self.parameterAsDouble(parameters, self.LARGE_BLOCK, context)
        label = layer_name(source, self.tr("Parcels"))
        mapping = field_mapping(source, ("DLBM",), out.needed_fields(
            find_field(source.fields().names(), "TBDLMJ") is not None, bool(bridge_codes),
            scenarios), label)
        parcels = read_parcels(source, context, feedback, label, attributes=mapping,
                               layer=self.parameterAsVectorLayer(parameters, self.INPUT, context))
        if feedback.isCanceled():
            return {}
        table, n = parcels.table, len(parcels)
        feedback.pushInfo(self.tr("{0} parcels read ({1} invalid repaired).")
                          .format(n, parcels.repaired))
        now = contiguity.is_farmland_code(table["DLBM"], farmland_codes)
        areas = contiguity.farmland_area_m2(table, shapely.area(parcels.geoms))
        if "TBDLMJ" not in table.columns:
            feedback.pushWarning(self.tr("No TBDLMJ field: farmland areas are TBMJ − KCMJ, or "
                                         "the planar parcel area less the KCXS deduction."))
        bridge, widths = self._bridges(parcels, bridge_codes, bridge_width, feedback)
        village, names = self._villages(table, n)
        masks, areas_after, change = self._farmland_masks(now, areas, table, parcels.geoms,
                                                          scenarios, feedback)
        parts, parent, part_now, part_after = contiguity.explode(parcels.geoms, areas,
                                                                 areas_after)
        part_areas = {contiguity.CURRENT: part_now, contiguity.AFTER: part_after}
        results = self._blocks(scenarios, masks, parts, parent, part_areas, village, bridge,
                               widths, bridge_width, n, farmland_codes, large_mu, feedback)
        if results is None or feedback.isCanceled():
            return {}
        frame, shapes = out.blocks_table(results)
        blocks_id = write_table(self, parameters, self.OUTPUT_BLOCKS, context, out.BLOCK_FIELDS,
                                frame, feedback, shapes, compat.WkbType.MultiPolygon, parcels.crs)
        outputs = {self.OUTPUT_BLOCKS: blocks_id}
        styles.style_on_load(context, blocks_id, out.BLOCK_FIELDS, styles.block_renderer,
                             large_mu=large_mu)
        feedback.setProgress(75.0)
        summary = contiguity.summary({k: b.part_labels for k, b in results.items()}, part_areas,
                                     village[parent], names, large_mu)
        summary_id = write_table(self, parameters, self.OUTPUT_SUMMARY, context,
                                 out.SUMMARY_FIELDS, summary, feedback)
        if summary_id is not None:
            outputs[self.OUTPUT_SUMMARY] = summary_id
            styles.style_on_load(context, summary_id, out.SUMMARY_FIELDS)
        feedback.setProgress(80.0)
        specs = out.parcel_specs(scenarios)
        parcels_id = write_parcels(self, parameters, self.OUTPUT, context, parcels, specs,
                                   out.parcel_columns(scenarios, results, change), feedback,
                                   progress=(80.0, 100.0))
        if feedback.isCanceled():
            return {}
        if parcels_id is not None:
            outputs[self.OUTPUT] = parcels_id
            styles.style_on_load(context, parcels_id, specs)
        return outputs

    def _farmland_codes(self, parameters, context):
        codes = parse_codes(self.parameterAsString(parameters, self.FARMLAND_CODES, context))
        if not codes:
            raise QgsProcessingException(self.tr("Give at least one farmland land-use code."))
        return codes

    @staticmethod
    def _villages(table, n):
        """(village key per parcel, {key: name}) from ZLDWDM/ZLDWMC ('' without them)."""
        if "ZLDWDM" not in table:
            return np.full(n, "", dtype=object), {}
        zldwdm = table["ZLDWDM"]
        return (villages.village_keys(zldwdm).to_numpy(dtype=object),
                villages.village_names(zldwdm, table.get("ZLDWMC")))

    def _bridges(self, parcels, bridge_codes, bridge_width, feedback):
        """(road/ditch parcels that may join fields, their widths) or (None, None)."""
        if not bridge_codes or bridge_width <= 0:
            return None, None
        table = parcels.table
        bridge = contiguity.is_farmland_code(table["DLBM"], bridge_codes)
        widths = np.full(len(parcels), np.inf)
        widths[bridge] = contiguity.linear_width(
            parcels.geoms[bridge], table["XZDWKD"][bridge] if "XZDWKD" in table else None)
        feedback.pushInfo(self.tr("{0} road/ditch parcel(s) of codes {1}, {2} of them no "
                                  "wider than {3} m.").format(
            int(bridge.sum()), ", ".join(bridge_codes),
            int((bridge & (widths <= bridge_width)).sum()), bridge_width))
        return bridge, widths

    def _farmland_masks(self, now, areas, table, geoms, scenarios, feedback):
        """({scenario: farmland mask}, farmland m² after, farmland change or None): the
        after scenario through core.consolidation (out.layer_outcome)."""
        masks, change, after_m2 = {contiguity.CURRENT: now}, None, areas
        if contiguity.AFTER in scenarios:
            outcome = out.layer_outcome(table, shapely.area(geoms), Rules())
            if outcome is None:
                feedback.pushWarning(self.tr(
                    "No ZZLX/ZZZLX tags or QL_LX potential types in the layer: the farmland "
                    "after consolidation is the current farmland."))
                outcome = (areas, areas)
            scenarios_m2 = out.farmland_scenarios(now, areas, *outcome)
            change, after_m2 = scenarios_m2.change, scenarios_m2.after_m2
            masks[contiguity.AFTER] = scenarios_m2.after
            feedback.pushInfo(self.tr("After consolidation: {0} parcel(s) become farmland, "
                                      "{1} leave farmland.").format(
                int((change == contiguity.ADD).sum()), int((change == contiguity.REMOVE).sum())))
        return masks, after_m2, change

    def _blocks(self, scenarios, masks, parts, parent, part_areas, village, bridge, widths,
                bridge_width, n, farmland_codes, large_mu, feedback):
        """{scenario: contiguity.ScenarioBlocks}, the indicators said; None when canceled."""
        results, step = {}, 30.0
        for scenario in scenarios:
            if feedback.isCanceled():
                return None
            mask, name = masks[scenario], contiguity.SCENARIO_LABELS[scenario]
            if not mask.any():
                feedback.pushWarning(self.tr("No farmland (codes {0}) in the layer for scenario "
                                             "'{1}': no blocks.").format(
                    ", ".join(farmland_codes), name))
            feedback.setProgressText(self.tr("Building farmland blocks: {}").format(name))
            try:
                blocks = contiguity.scenario_blocks(
                    parts, parent, part_areas[scenario], mask, village,
                    None if bridge is None else bridge & ~mask, widths, bridge_width, n,
                    feedback.isCanceled)
            except contiguity.Canceled:
                return None
            results[scenario] = blocks
            ind = contiguity.contiguity_indicators(blocks.table["LP_MU"].to_numpy(), large_mu)
            feedback.pushInfo(self.tr(
                "{0}: {1} block(s), farmland {2:.2f} 亩, mean {3:.2f} 亩, area-weighted mean "
                "{4:.2f} 亩, largest {5:.2f} 亩, {6:.1f}% in blocks of at least {7:g} 亩.").format(
                name, ind["LP_N"], ind["GD_MU"], ind["LP_PJ"], ind["LP_JQ"], ind["LP_MAX"],
                ind["DLP_ZB"], large_mu))
            step += 40.0 / len(scenarios)
            feedback.setProgress(step)
        return results
