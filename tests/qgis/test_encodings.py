"""GBK shapefiles, as 三调 data very often arrives (issue 14, encodings): the fast GDAL
Arrow read decodes every text value exactly as QGIS's own provider does — with a .cpg,
without one when the user sets the layer's encoding, and (garbled, but the same, and
said in the log) without either; text rules keep matching (abandoned mine land found)."""
import pytest
from qgis.core import QgsProcessingContext, QgsProcessingFeatureSource, QgsVectorLayer

from qn_landconsol_plugin.qgis_io.parcels import read_parcels

from .conftest import Recorder
from .input_cases import shapefile, values

TEXT_FIELDS = ("BSM", "DLBM", "DLMC", "QSDWMC", "ZLDWDM", "ZLDWMC", "GDLX", "GDPDJB",
               "TBXHDM", "TBXHMC", "GDZZSXMC", "CZCSXM", "BZ")
ABANDONED = "DLBM = '0602' AND BZ LIKE '%废弃%'"
MINE_TYPES = {"工矿废弃地复垦", "矿山生态修复"}


@pytest.fixture(scope="module")
def gbk(township, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gbk")
    files = {"cpg": shapefile(township["gpkg"], folder / "with_cpg.shp", cpg=True),
             "nocpg": shapefile(township["gpkg"], folder / "without_cpg.shp", cpg=False)}
    for path in files.values():      # really GBK bytes in the .dbf
        dbf = open(path[:-4] + ".dbf", "rb").read()
        assert "废弃".encode("gbk") in dbf and "废弃".encode("utf-8") not in dbf
    return files


def _layer(path, encoding=None):
    layer = QgsVectorLayer(path, "dltb", "ogr")
    assert layer.isValid()
    if encoding:
        layer.setProviderEncoding(encoding)
    return layer


def _qgis_values(layer):
    """Every text value of every feature as QGIS's provider reads it, by feature id."""
    return {f.id(): tuple(None if f[n] is None or f[n] == "" or str(f[n]) == "NULL" else
                          f[n] for n in TEXT_FIELDS) for f in layer.getFeatures()}


def _fast_values(layer, monkeypatch, fast=True):
    monkeypatch.setenv("QN_LANDCONSOL_FAST_PATHS", "1" if fast else "0")
    feedback = Recorder()
    source = QgsProcessingFeatureSource(layer, QgsProcessingContext())
    parcels = read_parcels(source, QgsProcessingContext(), feedback, "Parcels",
                           attributes=TEXT_FIELDS, layer=layer, checks=False)
    rows = {int(fid): tuple(parcels.table.iloc[i]) for i, fid in enumerate(parcels.fids)}
    return rows, feedback.text()


def _took_fast_path(log):
    return "GDAL's Arrow stream (fast path)" in log


def test_gbk_shapefile_with_cpg_reads_as_qgis_reads_it(gbk, township, monkeypatch):
    layer = _layer(gbk["cpg"])
    assert layer.dataProvider().encoding() == "GBK"
    fast, log = _fast_values(layer, monkeypatch)
    assert _took_fast_path(log)
    assert fast == _qgis_values(layer)
    # and they are the township's own Chinese names, not mojibake
    names = set(values(township["gpkg"], "dltb", "ZLDWMC"))
    assert {row[TEXT_FIELDS.index("ZLDWMC")] for row in fast.values()} == names
    assert any("废弃" in (row[TEXT_FIELDS.index("BZ")] or "") for row in fast.values())


def test_gbk_shapefile_without_cpg_and_the_encoding_set_reads_as_qgis(gbk, township,
                                                                      monkeypatch):
    layer = _layer(gbk["nocpg"], "GBK")
    fast, log = _fast_values(layer, monkeypatch)
    assert _took_fast_path(log)
    assert fast == _qgis_values(layer)
    names = set(values(township["gpkg"], "dltb", "ZLDWMC"))
    assert {row[TEXT_FIELDS.index("ZLDWMC")] for row in fast.values()} == names


def test_gbk_shapefile_without_cpg_is_read_as_qgis_does_and_the_log_says_why(gbk,
                                                                             monkeypatch):
    """Without .cpg and without an encoding set, QGIS itself reads the GBK bytes as UTF-8:
    the plugin reads the same (fast path or not) and warns about the undecodable text."""
    layer = _layer(gbk["nocpg"])
    fast, log = _fast_values(layer, monkeypatch)
    slow, slow_log = _fast_values(layer, monkeypatch, fast=False)
    assert fast == slow == _qgis_values(layer)
    assert "not valid text in the layer's encoding" in slow_log
    assert "ZLDWMC" in slow_log and "GBK" in slow_log


def test_fast_and_qgis_reads_agree_field_by_field_on_every_feature(gbk, monkeypatch):
    layer = _layer(gbk["cpg"])
    fast, _ = _fast_values(layer, monkeypatch, fast=True)
    slow, log = _fast_values(layer, monkeypatch, fast=False)
    assert not _took_fast_path(log)
    assert fast == slow


@pytest.mark.parametrize("case", ("cpg", "nocpg"))
def test_abandoned_mine_land_is_found_in_a_gbk_shapefile(provider, gbk, township, case):
    """The 废弃 remark (BZ) of a 0602 parcel still matches: abandoned mine land found
    (工矿废弃地复垦 where it may become farmland, else 矿山生态修复), the same parcels as
    from the GeoPackage, and they are the 0602 parcels whose BZ says 废弃."""
    import processing

    def mines(parcels):
        out = processing.run("qnlandconsol:potentialsurvey", {
            "INPUT": parcels, "DEM": township["dem"], "OUTPUT": "memory:",
            "OUTPUT_SUMMARY": "memory:", "OUTPUT_CHECKS": "memory:"}, feedback=Recorder())
        return {f["BSM"] for f in out["OUTPUT"].getFeatures()
                if MINE_TYPES & set(str(f["QL_LX"] or "").split(";"))}

    expected = mines(f"{township['gpkg']}|layername=dltb")
    abandoned = set(values(township["gpkg"], "dltb", "BSM", ABANDONED))
    assert expected and expected == abandoned
    layer = _layer(gbk[case], None if case == "cpg" else "GBK")
    assert mines(layer) == expected


def _columns(layer, names, monkeypatch, fast):
    """layer_columns_reader (the dock's land sums), fast path on or off."""
    from qn_landconsol_plugin.qgis_io.tables import layer_columns_reader

    monkeypatch.setenv("QN_LANDCONSOL_FAST_PATHS", "1" if fast else "0")
    return layer_columns_reader(layer, names)()


@pytest.mark.parametrize("case", ("cpg", "nocpg"))
def test_the_column_reader_decodes_text_as_qgis_does(gbk, monkeypatch, case):
    layer = _layer(gbk[case], "GBK" if case == "nocpg" else None)
    fast = _columns(layer, ["ZLDWMC", "BZ", "TBMJ"], monkeypatch, True)
    assert fast == _columns(layer, ["ZLDWMC", "BZ", "TBMJ"], monkeypatch, False)
    assert any("废弃" in (v or "") for v in fast["BZ"])


def test_the_column_reader_keeps_null_numbers_null(tmp_path, monkeypatch):
    """A NULL KCMJ is not 0 (TBDLMJ would then be TBMJ, no 田坎 deducted): GDAL's Arrow
    stream is read as masked arrays, as the parcel reader does."""
    from osgeo import ogr

    path = str(tmp_path / "nulls.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer("dltb", geom_type=ogr.wkbNone)
    for name, kind in (("KCMJ", ogr.OFTReal), ("N", ogr.OFTInteger), ("DLBM", ogr.OFTString)):
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for row in ((12.5, 3, "0103"), (None, None, None)):
        feature = ogr.Feature(lyr.GetLayerDefn())
        for name, value in zip(("KCMJ", "N", "DLBM"), row):
            if value is not None:
                feature.SetField(name, value)
        lyr.CreateFeature(feature)
    ds = None
    layer = QgsVectorLayer(f"{path}|layername=dltb", "dltb", "ogr")
    expected = {"KCMJ": [12.5, None], "N": [3, None], "DLBM": ["0103", None]}
    assert _columns(layer, list(expected), monkeypatch, False) == expected
    assert _columns(layer, list(expected), monkeypatch, True) == expected
