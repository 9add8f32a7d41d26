"""The synthetic sample township (示例乡镇) generator: a Qiannan karst township with 三调
parcels (dltb), the three control lines, village boundaries, building footprints, a
10 m DEM and a household survey, for demos and tests. Runs without QGIS.

    python -m qn_landconsol_plugin.sampledata --out DIR [--parcels N] [--seed S]

Modules follow the pipeline: site (layout) → terrain (DEM) → parcels (tessellation;
cutting cuts the roads and ditches out) → attributes (DLTB fields) → layers (control
lines, villages), buildings, households → writers; township runs them in order.

Topology: the parcels tile the township exactly (core.topology.gaps_and_overlaps finds
no gap and no overlap): parcels that touch share their edge vertex for vertex, every
vertex on a 1 mm grid, as surveyed 三调 coordinates are.

Determinism: everything random comes from one numpy Generator seeded with `seed`, and
nothing depends on the order in which GEOS returns rings, faces or parts (rings are
normalised, parcels sorted by their source cell and inner point). So one seed and one
parcel count give byte-identical township.gpkg, dem.tif and households.csv with the
same GEOS release; this holds for qgis_process too, where shapely runs on QGIS's own
GEOS rather than the one in its wheel (tested: QGIS 3.22's GEOS 3.11.1 against the
wheel's 3.11.4). Another GEOS release may compute some outlines differently: the road
and ditch buffers and where they cross the cells, the settlement zones that steer the
parcel seeds, the red line, basic farmland and urban boundary (unions, buffers and
repairs of GDAL contours), and the Voronoi vertices at the 1e-10 m level (the 1 mm grid
absorbs that, but for a coordinate lying on a rounding tie). A parcel edge that moves
changes every attribute drawn after it (land use, 村民小组, buildings, households), so
townships from different GEOS releases are alike in their figures, not equal in their
bytes. The DEM uses numpy and scipy only; TBMJ also uses PROJ (core.areas).
"""
from .township import GenerationCanceled, generate, summarize

__all__ = ["GenerationCanceled", "generate", "summarize"]
