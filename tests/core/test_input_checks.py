"""core.parcel_checks, core.layer_checks and core.file_names (issue 14): the NULL rules as
one table, the plausibility checks as per-parcel flags with summary findings, the CRS
against the coordinates, the DEM window, and safe unique file names — without QGIS."""
import numpy as np
import pandas as pd
import pytest
import shapely

from qn_landconsol_plugin.core import file_names, layer_checks
from qn_landconsol_plugin.core import parcel_checks as pc
from qn_landconsol_plugin.core.crs import GKZone
from qn_landconsol_plugin.core.units import M2_PER_MU


def _table(**columns):
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})


# --------------------------------------------------------------------------- NULL rules
def test_null_rules_are_one_table_covering_the_fields_the_rules_read():
    assert [r.field for r in pc.NULL_RULES] == ["DLBM", "TBMJ", "KCMJ", "TBDLMJ", "KCXS",
                                                "GDPDJB", "ZLDWDM", "BSM"]
    assert {r.scope for r in pc.NULL_RULES} == {pc.ALL, pc.FARMLAND}
    for rule in pc.NULL_RULES:
        assert "{count}" in rule.wording.en and "{count}" in rule.wording.zh
        assert rule.wording.zh.endswith("。")


def test_null_tbdlmj_becomes_tbmj_minus_kcmj_and_is_counted():
    t = _table(BSM=["a", "b", "c"], DLBM=["0103", "0103", "0301"],
               TBMJ=[1000.0, 2000.0, 500.0], KCMJ=[100.0, 300.0, 0.0],
               TBDLMJ=[900.0, None, None])
    out = pc.apply_null_rules(t, layer="Parcels")
    assert out.table["TBDLMJ"].tolist() == [900.0, 1700.0, 500.0]
    (f,) = out.findings
    assert f.code == "NULL_TBDLMJ" and f.values["count"] == 2
    assert f.values["area_mu"] == pytest.approx(2500.0 / M2_PER_MU)
    assert "BSM b, BSM c" in f.text()
    assert "2 个图斑" in f.message


def test_null_tbmj_gets_the_area_given_for_those_parcels_only():
    asked = []

    def area(mask):
        asked.append(mask.copy())
        return np.full(mask.sum(), 777.0)

    t = _table(TBMJ=[1000.0, None], KCMJ=[10.0, 7.0], TBDLMJ=[990.0, None])
    out = pc.apply_null_rules(t, area)
    assert out.table["TBMJ"].tolist() == [1000.0, 777.0]
    assert out.table["TBDLMJ"].tolist() == [990.0, 770.0]
    assert asked[0].tolist() == [False, True]


def test_null_kcmj_from_tbdlmj_else_kcxs_else_zero():
    t = _table(TBMJ=[1000.0, 1000.0, 1000.0], KCXS=[None, 0.1234, None],
               TBDLMJ=[950.0, None, None], KCMJ=[None, None, None])
    out = pc.apply_null_rules(t)
    assert out.table["KCMJ"].tolist() == [50.0, 123.4, 0.0]
    assert out.table["TBDLMJ"].tolist() == [950.0, 876.6, 1000.0]


def test_null_dlbm_is_unknown_class_and_stays_null():
    t = _table(DLBM=[None, "", "  ", "0103"], TBMJ=[100.0, 200.0, 300.0, 400.0])
    out = pc.apply_null_rules(t, layer="L")
    assert out.table["DLBM"].tolist() == [None, "", "  ", "0103"]
    assert out.flags["NULL_DLBM"].tolist() == [True, True, True, False]
    (f,) = out.findings
    assert f.values["treatment"] == pc.UNKNOWN_CLASS
    assert f.values["area_mu"] == pytest.approx(600.0 / M2_PER_MU)


def test_farmland_scoped_nulls_count_farmland_only():
    t = _table(DLBM=["0103", "0301", "0101"], GDPDJB=[None, None, "3"], KCXS=[None, None, 0.1])
    out = pc.apply_null_rules(t)
    assert out.flags["NULL_GDPDJB"].tolist() == [True, False, False]
    assert out.flags["NULL_KCXS"].tolist() == [True, False, False]


def test_missing_areas_are_asked_for_the_parcels_with_nulls():
    """A table read without TBMJ/KCMJ (slopefarmland reads TBDLMJ only) asks for them."""
    asked = {}

    def more(mask, names):
        asked["rows"], asked["names"] = mask.tolist(), list(names)
        return {"TBMJ": [1000.0], "KCMJ": [80.0]}

    t = _table(DLBM=["0103", "0103"], TBDLMJ=[500.0, None])
    out = pc.apply_null_rules(t, more=more)
    assert asked == {"rows": [False, True], "names": ["TBMJ", "KCMJ", "KCXS"]}
    assert list(out.table.columns) == ["DLBM", "TBDLMJ"]
    assert out.table["TBDLMJ"].tolist() == [500.0, 920.0]


def test_no_nulls_no_findings_and_the_table_untouched():
    t = _table(DLBM=["0103"], TBMJ=[1.0], TBDLMJ=[1.0])
    out = pc.apply_null_rules(t)
    assert out.table is t and out.findings == []


# --------------------------------------------------------------------------- values
def test_duplicate_keys_flag_every_parcel_sharing_a_key():
    flags, f = pc.duplicate_keys(["a", "b", "a", None, None, "c", "b"], "BSM", "L")
    assert flags.tolist() == [True, True, True, False, False, False, True]
    assert f.values["values"] == 2 and f.values["count"] == 4
    assert "a ×2" in f.text() and "b ×2" in f.text()


def test_area_mismatch_screens_with_planar_and_confirms_with_ellipsoidal():
    tbmj = [100.0, 10000.0, 1000.0, None]
    planar = [100.0, 100.0, 1040.0, 50.0]
    confirmed = []

    def ellipsoidal(mask):
        confirmed.append(mask.tolist())
        return np.asarray(planar)[mask] * 1.0001

    flags = pc.area_mismatch(tbmj, planar, ellipsoidal, tolerance_pct=5.0)
    assert flags.tolist() == [False, True, False, False]
    # the screen takes half the tolerance: 4 % off is measured, then found within 5 %
    assert confirmed == [[False, True, True, False]]


def test_unknown_class_names_the_codes():
    t = _table(DLBM=["0103", "0305K", "9999", None], TBMJ=[1.0, 2.0, 3.0, 4.0])
    flags, f = pc.unknown_class(t, "L")
    assert flags.tolist() == [False, True, True, False]
    assert f.values["codes"] == "0305K, 9999"


def test_check_parcels_gives_flags_and_counts_for_checkparcels():
    t = _table(BSM=["a", "a", "b"], DLBM=["0103", None, "0103"], TBMJ=[100.0, 100.0, 100.0],
               KCXS=[0.1, 0.0, 0.1], KCMJ=[10.0, 0.0, 12.0], TBDLMJ=[90.0, 100.0, 80.0],
               GDPDJB=["2", None, None])
    geoms = shapely.box(np.zeros(3), np.zeros(3), 10.0, 10.0)
    checks = pc.check_parcels(t, shapely.area(geoms), layer="L")
    counts = checks.counts
    assert counts["NULL_DLBM"] == 1 and counts["NULL_GDPDJB"] == 1
    assert counts["DUPLICATE_BSM"] == 2
    assert counts["KCMJ_MISMATCH"] == 1 and counts["TBDLMJ_MISMATCH"] == 1
    assert counts["TBMJ_MISMATCH"] == 0
    assert checks.flagged("KCMJ_MISMATCH").tolist() == [2]
    assert checks.any_flag().tolist() == [True, True, True]
    assert {f.code for f in checks.findings} >= {"NULL_DLBM", "DUPLICATE_KEY",
                                                 "KCMJ_MISMATCH"}


# --------------------------------------------------------------------------- CRS
ZONE36 = GKZone(36, False)
ZONE36_PREFIXED = GKZone(36, True)
TOWN = (438708.0, 2925355.0, 441592.0, 2928248.0)


def _codes(found):
    return [f.code for f in found]


def test_missing_and_undefined_crs_are_errors_with_a_hint():
    (f,) = layer_checks.crs_findings(layer_checks.CrsFacts(False), TOWN, "dltb")
    assert f.level == "error" and f.code == "CRS_MISSING"
    assert "EPSG:4545" in f.text() and "EPSG:4545" in f.message
    (f,) = layer_checks.crs_findings(layer_checks.CrsFacts(True, False, "Undefined SRS"),
                                     (36438708.0, 2925355.0, 36441592.0, 2928248.0), "x")
    assert f.code == "CRS_UNDEFINED" and "EPSG:4524" in f.text()


def test_zone_prefix_against_the_crs():
    prefixed = (36438708.0, 2925355.0, 36441592.0, 2928248.0)
    facts = layer_checks.CrsFacts(True, True, "EPSG:4545", zone=ZONE36)
    (f,) = layer_checks.crs_findings(facts, prefixed, "L")
    assert f.code == "CRS_PREFIX_UNEXPECTED" and f.values["suggested"] == "EPSG:4524"
    facts = layer_checks.CrsFacts(True, True, "EPSG:4524", zone=ZONE36_PREFIXED)
    (f,) = layer_checks.crs_findings(facts, TOWN, "L")
    assert f.code == "CRS_PREFIX_MISSING" and f.values["suggested"] == "EPSG:4545"
    other = (35438708.0, 2925355.0, 35441592.0, 2928248.0)
    (f,) = layer_checks.crs_findings(facts, other, "L")
    assert f.code == "CRS_ZONE_MISMATCH" and f.values["suggested"] == "EPSG:4523"
    assert layer_checks.crs_findings(facts, prefixed, "L") == []
    assert layer_checks.crs_findings(
        layer_checks.CrsFacts(True, True, "EPSG:4545", zone=ZONE36), TOWN, "L") == []


def test_swapped_axes_and_degrees_out_of_range():
    facts = layer_checks.CrsFacts(True, True, "EPSG:4545", zone=ZONE36)
    swapped = (2925355.0, 438708.0, 2928248.0, 441592.0)
    assert _codes(layer_checks.crs_findings(facts, swapped, "L")) == ["CRS_AXES_SWAPPED"]
    geo = layer_checks.CrsFacts(True, True, "EPSG:4490", degrees=True)
    (f,) = layer_checks.crs_findings(geo, TOWN, "L")
    assert f.code == "CRS_DEGREES_OUT_OF_RANGE" and f.level == "error"
    assert layer_checks.crs_findings(geo, (107.1, 26.1, 107.2, 26.2), "L") == []


def test_qiannan_range_is_a_warning_when_asked():
    geo = layer_checks.CrsFacts(True, True, "EPSG:4490", degrees=True)
    (f,) = layer_checks.crs_findings(geo, (116.3, 39.9, 116.4, 40.0), "L", qiannan=True)
    assert f.code == "CRS_OUTSIDE_QIANNAN" and f.level == "warning"


@pytest.mark.parametrize("east, north, inside", [
    (36_320_000.0, 2_900_000.0, True), (36_316_000.0, 2_900_000.0, False),
    (36_528_000.0, 3_041_000.0, True), (36_400_000.0, 3_045_000.0, False),
    (36_400_000.0, 2_765_000.0, False)])
def test_layer_check_and_txt_import_share_qiannans_zone_36_ranges(east, north, inside):
    """REFERENCE §4's zone-36 ranges, defined once (core.crs): a layer centred on the
    point (its longitude/latitude) and a TXT point there get the same verdict."""
    from qn_landconsol_plugin.core import crs, declaration_txt_checks
    from qn_landconsol_plugin.core.areas import to_lonlat
    from qn_landconsol_plugin.core.declaration_txt import Ring, TxtParcel

    assert crs.QIANNAN_EASTING == (36_318_000.0, 36_530_000.0)
    assert crs.QIANNAN_NORTHING == (2_767_000.0, 3_043_000.0)
    lon, lat = (float(v) for v in to_lonlat(east, north, 4524))
    geo = layer_checks.CrsFacts(True, True, "EPSG:4490", degrees=True)
    found = layer_checks.crs_findings(geo, (lon, lat, lon, lat), "L", qiannan=True)
    assert _codes(found) == ([] if inside else ["CRS_OUTSIDE_QIANNAN"])
    # the same place as a TXT file in zone 35 without prefix gives it
    x35, y35 = _zone35(lon, lat)
    corners = ((y35, x35), (y35 + 10, x35), (y35 + 10, x35 + 10), (y35, x35))
    ring = Ring(1, [(f"J{k}", n, e) for k, (n, e) in enumerate(corners)], [1, 2, 3, 4])
    issues = []
    declaration_txt_checks.check_points([TxtParcel(4, None, rings=[ring])], GKZone(35, False),
                                        issues)
    assert [i.code for i in issues] == ([] if inside else ["OUTSIDE_REGION"])


def _zone35(lon, lat):
    from osgeo import osr

    def srs(code):
        s = osr.SpatialReference()
        s.ImportFromEPSG(code)
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        return s

    x, y, _ = osr.CoordinateTransformation(srs(4490), srs(4544)).TransformPoint(lon, lat)
    return x, y


def test_projected_crs_that_cannot_place_the_coordinates():
    facts = layer_checks.CrsFacts(True, True, "EPSG:32648")
    (f,) = layer_checks.crs_findings(facts, TOWN, "L", lonlat=None)
    assert f.code == "CRS_NOT_TRANSFORMABLE"
    assert layer_checks.crs_findings(facts, TOWN, "L", lonlat=(107.0, 26.4)) == []


# --------------------------------------------------------------------------- DEM
def _dem(values):
    return np.asarray(values, dtype=np.float32)


def test_dem_window_checks():
    ok = _dem(np.arange(25).reshape(5, 5))
    assert layer_checks.dem_findings(ok, None, 10, 10, 1, 1, "dem") == []
    (f,) = layer_checks.dem_findings(_dem([[1, 2], [3, 4]]), None, 3000, 3000, 1, 1, "dem")
    assert f.code == "DEM_TOO_FEW_CELLS" and "3000 × 3000 m" in f.text()
    (f,) = layer_checks.dem_findings(_dem(np.full((5, 5), -9999)), -9999, 10, 10, 1, 1, "d")
    assert f.code == "DEM_ALL_NODATA"
    (f,) = layer_checks.dem_findings(_dem(np.zeros((5, 5))), None, 10, 10, 1, 2, "d")
    assert f.code == "DEM_FLAT" and "2 bands" in f.text() and "DEM_BAND" in f.text()
    (f,) = layer_checks.dem_findings(ok, None, 10, 10, 3, 2, "d")
    assert f.code == "DEM_BAND_MISSING"
    (f,) = layer_checks.dem_findings(ok, None, 90, 90, 1, 1, "d", median_parcel_m2=3000.0)
    assert f.code == "DEM_COARSE" and f.level == "warning"


def test_dem_with_nodata_everywhere_but_one_cell_is_not_all_nodata():
    grid = np.full((40, 40), -9999.0, np.float32)
    grid[13, 22] = 812.0
    grid[13, 23] = 815.0
    assert layer_checks.dem_findings(grid, -9999.0, 10, 10, 1, 1, "d") == []


# --------------------------------------------------------------------------- file names
def test_cut_utf8_never_splits_a_character():
    assert file_names.cut_utf8("黔南州", 7) == "黔南"
    assert file_names.cut_utf8("abc", 10) == "abc"


def test_safe_stem_replaces_forbidden_characters_and_device_names():
    assert file_names.safe_stem('QN/2025:001*?"<>|') == "QN_2025_001"
    assert file_names.safe_stem("CON") == "_CON"
    assert file_names.safe_stem("  ") == "project"


def test_project_stems_number_collisions_and_existing_files():
    suffixes = ("_范围.txt", ".gpkg")
    stems, found = file_names.project_stems(
        ["QN/2025-001", "QN:2025-001", "B"], suffixes, existing=["B_范围.txt"])
    assert stems == {"QN/2025-001": "QN_2025-001", "QN:2025-001": "QN_2025-001_2",
                     "B": "B_2"}
    assert [f.code for f in found] == ["NAME_COLLISION", "NAME_EXISTS"]
    assert "QN/2025-001" in found[0].text() and "QN:2025-001" in found[0].text()


def test_long_numbers_fit_the_name_limit_with_every_suffix():
    suffixes = ("_项目区范围图.pdf", ".gpkg-journal")
    stems, found = file_names.project_stems(["黔" * 110, "黔" * 110 + "2"], suffixes)
    for stem in stems.values():
        for s in suffixes:
            assert len((stem + s).encode("utf-8")) <= 255
    assert len(set(stems.values())) == 2
    assert [f.code for f in found].count("NAME_SHORTENED") == 2
