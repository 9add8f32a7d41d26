"""The one QGIS boundary (see the README's architecture). Keep this file free of imports:
plugin start-up imports qgis_io.compat before it knows shapely/pandas are there."""
