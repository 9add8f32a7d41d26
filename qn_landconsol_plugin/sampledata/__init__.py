"""The synthetic sample township (示例乡镇) generator: a Qiannan karst township with 三调
parcels (dltb), the three control lines, village boundaries, building footprints, a
10 m DEM and a household survey, for demos and tests. Runs without QGIS.

    python -m qn_landconsol_plugin.sampledata --out DIR [--parcels N] [--seed S]

Modules follow the pipeline: site (layout) → terrain (DEM) → parcels (tessellation)
→ attributes (DLTB fields) → layers (control lines, villages), buildings, households
→ writers; township runs them in order.
"""
from .township import GenerationCanceled, generate, summarize

__all__ = ["GenerationCanceled", "generate", "summarize"]
