"""Processing algorithms: thin adapters from QGIS layers to the core functions."""
