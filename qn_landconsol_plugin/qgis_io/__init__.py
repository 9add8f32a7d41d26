"""The one QGIS boundary: reading and writing parcels, rasters, field values, CRS,
styles, print layouts and the input guards. Imports core only (and qgis/osgeo);
algorithms and ui build on it. Import the submodule you need (nothing is re-exported
here, so `qgis_io._gpkg_copy` stays importable without QGIS)."""
