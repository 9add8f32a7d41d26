"""Qiannan comprehensive land consolidation (黔南全域土地综合整治) QGIS plugin.

Importing this package must not import qgis: `python -m
qn_landconsol_plugin.sampledata` and the core tests run without QGIS.
"""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    """QGIS entry point: build the plugin object (imports qgis lazily)."""
    from .plugin import QnLandConsolPlugin

    return QnLandConsolPlugin(iface)
