"""The one QGIS boundary: reading and writing parcels, rasters, field values, CRS,
styles, print layouts, the input guards and the version compatibility (compat). Imports
core only (and qgis/osgeo); algorithms and ui build on it. Import the submodule you need:
nothing is imported here, so `qgis_io._gpkg_copy` stays importable without QGIS and plugin
start-up can import qgis_io.compat before it knows shapely/pandas are there."""
