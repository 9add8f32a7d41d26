<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>ConsolidationDockBase</name>
    <message>
      <source>Land consolidation tasks</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tag parcels with consolidation tasks and follow the 2030 targets.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>QnLandConsol</name>
    <message>
      <source>&amp;Land Consolidation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Consolidation algorithms…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Consolidation tasks panel</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>DEM</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Field {0} not found in layer '{1}'. The layer needs the 三调 field {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Generate sample township</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Household survey table</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Internal error: output field(s) missing: {}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Land Consolidation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Layer '{0}' must contain polygons, it has {1} geometries.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Missing Python package: {}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Number of parcels</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output folder is not writable: {}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Parcels (DLTB)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Qiannan Land Consolidation</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Qiannan comprehensive land consolidation (黔南全域土地综合整治)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random seed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sample township written to {}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tools</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Township GeoPackage</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Writes a realistic, deterministic sample township of a Qiannan county: township.gpkg (三调 DLTB parcels, ecological red line, permanent basic farmland, urban development boundary, villages, building footprints; EPSG:4545), a 10 m karst DEM (dem.tif) and a household survey table (households.csv). The same seed always gives identical files.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0} is in a geographic CRS ({1}); areas are computed in {2} ({3}).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0}: {1} invalid polygon(s) repaired (kept, not dropped).</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
