"""Pure domain logic of 全域土地综合整治: no qgis import anywhere below this package."""
