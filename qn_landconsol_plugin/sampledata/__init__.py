"""The synthetic sample township (示例乡镇) generator: parcels, control lines, villages,
buildings, a 10 m DEM and a household survey, written without QGIS.

    python -m qn_landconsol_plugin.sampledata --out DIR [--parcels N] [--seed S]
"""
from .site import GenerationCanceled, generate, summarize

__all__ = ["GenerationCanceled", "generate", "summarize"]
