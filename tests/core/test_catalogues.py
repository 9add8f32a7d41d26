"""Core catalogues: land classes, task types, units, CRS zones, field matching, rules."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from qn_landconsol_plugin.core import crs, land_classes, task_types, units
from qn_landconsol_plugin.core.fields import DLTB_SCHEMA, MissingFieldError, match_fields
from qn_landconsol_plugin.core.rules import Rules, Targets

ROOT = Path(__file__).resolve().parents[2]

# REFERENCE §2, typed out again here on purpose: the test checks the table against it
REFERENCE_GROUPS = {
    "耕地": "0101 0102 0103",
    "园地": "0201 0202 0203 0204",
    "林地": "0301 0302 0305 0307",
    "湿地": "0303 0304 0306 0402 1105 1106 1108",
    "草地": "0401 0403 0404",
    "商服/工矿": "05H1 0508 0601 0602 0603",
    "住宅": "0701 0702",
    "公共/特殊": "08H1 08H2 0809 0810 0810A 09",
    "交通": "1001 1002 1003 1004 1005 1006 1007 1008 1009",
    "水域": "1101 1102 1103 1104 1104A 1104K 1107 1107A 1109 1110",
    "其他": "1201 1202 1203 1204 1205 1206 1207",
}
# 三大类 of every code, typed from TD/T 1055-2019 附录 A 表 A.4 (工作分类与农用地、建设用地和
# 未利用地对照表, after GB/T 21010-2017 附录 A). 1103 水库水面 is 农用地 (an earlier table had it
# as 建设用地: wrong); 1107A 干渠 is 建设用地; K codes follow their base.
REFERENCE_CATEGORIES = {
    "农用地": "0101 0102 0103 0201 0201K 0202 0202K 0203 0203K 0204 0204K 0301 0301K 0302 0302K "
              "0305 0307 0307K 0303 0304 0306 0401 0402 0403 0403K 1006 1103 1104 1104A 1104K "
              "1107 1202 1203",
    "建设用地": "05H1 0508 0601 0602 0603 0701 0702 08H1 08H2 0809 0810 0810A 09 1001 1002 "
                "1003 1004 1005 1007 1008 1009 1107A 1109 1201",
    "未利用地": "0404 1101 1102 1105 1106 1108 1110 1204 1205 1206 1207",
}
# the 13 一级类 of the 三调 工作分类 (表 A.2), typed from the standard
REFERENCE_FIRST_LEVEL = {
    ("00", "湿地"): "0303 0304 0306 0402 0603 1105 1106 1108",
    ("01", "耕地"): "0101 0102 0103",
    ("02", "种植园用地"): "0201 0201K 0202 0202K 0203 0203K 0204 0204K",
    ("03", "林地"): "0301 0301K 0302 0302K 0305 0307 0307K",
    ("04", "草地"): "0401 0403 0403K 0404",
    ("05", "商业服务业用地"): "05H1 0508",
    ("06", "工矿用地"): "0601 0602",
    ("07", "住宅用地"): "0701 0702",
    ("08", "公共管理与公共服务用地"): "08H1 08H2 0809 0810 0810A",
    ("09", "特殊用地"): "09",
    ("10", "交通运输用地"): "1001 1002 1003 1004 1005 1006 1007 1008 1009",
    ("11", "水域及水利设施用地"): "1101 1102 1103 1104 1104A 1104K 1107 1107A 1109 1110",
    ("12", "其他土地"): "1201 1202 1203 1204 1205 1206 1207",
}
K_CODES = "0201K 0202K 0203K 0204K 0301K 0302K 0307K 0403K 1104K"


@pytest.mark.parametrize("group,codes", REFERENCE_GROUPS.items())
def test_every_reference_code_is_in_its_group(group, codes):
    for code in codes.split():
        assert land_classes.land_class(code).group == group, code


@pytest.mark.parametrize("category,codes", REFERENCE_CATEGORIES.items())
def test_every_reference_code_has_its_three_way_category(category, codes):
    for code in codes.split():
        assert land_classes.category_of(code) == category, code


def test_catalogue_holds_nothing_beyond_reference_and_k_variants():
    listed = {c for codes in REFERENCE_GROUPS.values() for c in codes.split()}
    extra = set(land_classes.LAND_CLASSES) - listed
    assert all(c.endswith("K") and c[:-1] in listed for c in extra), extra


def test_every_code_has_its_three_way_category_and_no_code_is_missing():
    typed = {c: cat for cat, codes in REFERENCE_CATEGORIES.items() for c in codes.split()}
    assert set(typed) == set(land_classes.LAND_CLASSES)
    assert {c: land_classes.category_of(c) for c in typed} == typed
    # the correction of issue 15: a reservoir parcel counts in 农用地
    assert land_classes.category_of("1103") == land_classes.AGRICULTURAL


def test_statistics_use_the_13_first_level_classes_of_the_work_classification():
    assert [f"{c} {n}" for c, n in land_classes.FIRST_LEVEL] == [
        f"{c} {n}" for c, n in REFERENCE_FIRST_LEVEL]
    typed = {code: level for (level, _), codes in REFERENCE_FIRST_LEVEL.items()
             for code in codes.split()}
    assert set(typed) == set(land_classes.LAND_CLASSES)
    assert {c: land_classes.first_level_of(c) for c in typed} == typed
    assert land_classes.land_class("0603").first_level_name == "湿地"


def test_only_the_k_codes_of_the_work_classification_exist_and_unknown_ones_are_reported():
    assert set(land_classes.ADJUSTABLE_CODES) == set(K_CODES.split())
    for code in K_CODES.split():
        assert land_classes.is_adjustable(code) and land_classes.base_code(code) == code[:-1]
    # no 0305K in 三调: it is not resolved to 0305 but reported as unknown
    assert not land_classes.is_adjustable("0305K")
    assert land_classes.base_code("0305K") == "0305K"
    with pytest.raises(KeyError, match="0305K"):
        land_classes.land_class("0305K")
    assert land_classes.unknown_codes(["0305K", "0103", None, "9999", "0305k", "0201K"]) == (
        "0305K", "9999")


def test_k_and_a_variants_resolve_to_their_base_group():
    assert land_classes.land_class("0201K").name == "可调整果园"
    assert land_classes.land_class("0301k").group == "林地"
    assert land_classes.base_code("0403K") == "0403"
    # 0305K is no 三调 code (was accepted as a K variant before issue 15)
    assert land_classes.is_adjustable("0307K") and not land_classes.is_adjustable("0305")
    assert land_classes.land_class("1104A").category == "农用地"
    assert land_classes.land_class("1107A").category == "建设用地"


def test_codes_from_numeric_columns_are_normalised():
    assert land_classes.land_class("101").name == "水田"
    assert land_classes.land_class(" 0702 ").name == "农村宅基地"
    assert land_classes.is_farmland("0103") and not land_classes.is_farmland("0201")


def test_unknown_code_names_itself():
    with pytest.raises(KeyError, match="9999"):
        land_classes.land_class("9999")


def test_task_types_have_four_families_with_unique_codes_and_colours():
    assert [f.zh for f in task_types.FAMILIES] == ["农用地整理", "建设用地整理", "生态保护修复", "产业融合"]
    codes = [f.code for f in task_types.FAMILIES] + list(task_types.SUBTYPE_BY_CODE)
    assert len(codes) == len(set(codes))
    for fam in task_types.FAMILIES:
        assert fam.subtypes and fam.en and fam.color.startswith("#")
        for sub in fam.subtypes:
            assert sub.family == fam.code and sub.code.startswith(fam.code)
            assert len(sub.color) == 7 and sub.en
    assert task_types.family_of("JSYD01").zh == "建设用地整理"
    assert task_types.subtype("田坎归并").code == "NYD06"
    assert task_types.label("STXF02") == "石漠化综合治理"
    assert task_types.label("STXF02", "en") == "Rocky-desertification control"


def test_seed_subtypes_are_all_present():
    zh = {s.zh for s in task_types.SUBTYPE_BY_CODE.values()}
    for name in ("高标准农田建设", "宜耕后备资源开发", "林耕置换", "田坎归并", "农村宅基地复垦",
                 "空心村整治", "废弃工矿用地复垦", "水土流失治理", "石漠化综合治理",
                 "废弃矿山生态修复", "农产品加工", "休闲农业与乡村旅游"):
        assert name in zh


def test_area_units():
    assert units.m2_to_mu(10000 / 15) == pytest.approx(1.0)
    assert units.mu_to_m2(15) == pytest.approx(10000.0)
    assert units.m2_to_ha(10000) == 1.0
    assert units.ha_to_mu(1) == 15.0
    assert units.mu_to_ha(73500) == pytest.approx(4900.0)
    assert units.m2_to_mu(1_000_000) == pytest.approx(1500.0)  # 1 km² = 1,500 亩


@pytest.mark.parametrize("lon,zone", [(107.3, 36), (106.2, 35), (106.5, 36), (108.3, 36),
                                      (106.49, 35), (105.0, 35), (75.0, 25), (135.0, 45)])
def test_zone_from_longitude(lon, zone):
    assert crs.gk3_zone_from_longitude(lon) == zone


def test_epsg_codes_of_qiannan_zones():
    assert crs.cgcs2000_gk_epsg(36) == 4524
    assert crs.cgcs2000_gk_epsg(36, prefixed=False) == 4545
    assert crs.cgcs2000_gk_epsg(35) == 4523
    assert crs.cgcs2000_gk_epsg(35, prefixed=False) == 4544
    assert crs.cgcs2000_gk_epsg_for_longitude(107.3) == 4524
    with pytest.raises(ValueError):
        crs.cgcs2000_gk_epsg(12)


def test_zone_from_crs_identifiers():
    z = crs.zone_from_epsg("EPSG:4524")
    assert (z.zone, z.prefixed, z.central_meridian, z.false_easting) == (36, True, 108.0, 36_500_000)
    assert crs.zone_from_epsg(4545) == crs.GKZone(36, False)
    assert crs.zone_from_epsg(4326) is None
    beijing54_zone39 = "+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=krass +units=m"
    assert crs.zone_from_crs(proj=beijing54_zone39) == crs.GKZone(39, True)
    assert crs.zone_from_crs("EPSG:32733", "+proj=utm +zone=33 +south") is None


def test_zone_from_prefixed_easting():
    assert crs.zone_from_easting(36_512_345.67) == 36
    assert crs.zone_from_easting(512_345.67) is None


def test_field_matching_is_case_insensitive_and_knows_variants():
    names = ["bsm", "Dlbm", "ZZSXDM", "TBMJ"]
    found = match_fields(names, required=["DLBM", "TBMJ"], optional=["GDZZSXDM", "GDPDJB"])
    assert found == {"DLBM": "Dlbm", "TBMJ": "TBMJ", "GDZZSXDM": "ZZSXDM"}


def test_missing_field_error_names_field_and_layer():
    with pytest.raises(MissingFieldError) as err:
        match_fields(["DLBM"], required=["GDPDJB"], layer="dltb")
    assert "GDPDJB" in str(err.value) and "耕地坡度级别" in str(err.value) and "dltb" in str(err.value)


def test_dltb_schema_fits_shapefiles():
    assert all(len(f.name) <= 10 for f in DLTB_SCHEMA)
    assert [f.name for f in DLTB_SCHEMA][:5] == ["BSM", "YSDM", "TBYBH", "TBBH", "DLBM"]


def test_rules_round_trip_through_json_and_keep_defaults():
    rules = Rules()
    assert rules.new_farmland_min_share == 0.05 and rules.slope_farmland_deg == 25
    assert rules.targets == Targets(73500, 2300, 3500, 12)
    assert "SMGD" in rules.unstable_tbxhdm
    rules.targets.farmland_mu = 4000
    rules.hollow_village_min_pct = 25
    again = Rules.from_json(rules.to_json())
    assert again == rules
    partial = Rules.from_json(json.dumps({"pbf_out_max_share": 0.03}))
    assert partial.pbf_out_max_share == 0.03 and partial.pbf_in_min_ratio == 1.05
    with pytest.raises(ValueError, match="no_such_rule"):
        Rules.from_json('{"no_such_rule": 1}')


def test_importing_the_package_and_core_does_not_import_qgis():
    code = ("import sys, pkgutil, importlib, qn_landconsol_plugin, qn_landconsol_plugin.core as c\n"
            "for m in pkgutil.iter_modules(c.__path__): importlib.import_module('qn_landconsol_plugin.core.' + m.name)\n"
            "import qn_landconsol_plugin.dependencies\n"
            "bad = [m for m in sys.modules if m == 'qgis' or m.startswith('qgis.')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_every_translatable_string_has_a_chinese_translation():
    sys.path.insert(0, str(ROOT / "tools"))
    import update_ts

    assert update_ts.missing_translations() == []


def test_new_rule_tables_round_trip_through_json():
    rules = Rules()
    # 田坎: grade 1 has no coefficient, merged below current for each grade and type
    for t in ("TT", "PD"):
        assert "1" not in rules.terrace_kcxs[t]
        assert all(rules.terrace_kcxs_merged[t][g] < rules.terrace_kcxs[t][g]
                   for g in ("2", "3", "4", "5"))
    rules.terrace_kcxs["TT"]["3"] = 0.2
    rules.target_precedence = {"slope_exit": ("erosion",)}
    rules.county_quotas["522701"]["farmland_mu"] = 9000.0
    rules.reserve_includes_bare_rock = True
    again = Rules.from_json(rules.to_json())
    assert again == rules
    # keys of earlier versions are read and ignored, so stored projects keep loading
    old = Rules.from_json('{"reserve_new_farmland_coef": 0.85, "terrace_target_kcxs": {"3": 0.08}}')
    assert old == Rules()


def test_the_twelve_counties_of_qiannan_split_the_prefecture_targets():
    quotas = Rules().county_quotas
    assert [(c, q["name"]) for c, q in quotas.items()] == [
        ("522701", "都匀市"), ("522702", "福泉市"), ("522722", "荔波县"), ("522723", "贵定县"),
        ("522725", "瓮安县"), ("522726", "独山县"), ("522727", "平塘县"), ("522728", "罗甸县"),
        ("522729", "长顺县"), ("522730", "龙里县"), ("522731", "惠水县"), ("522732", "三都水族自治县")]
    for key, total in (("farmland_mu", 73500), ("construction_mu", 2300),
                       ("ecological_mu", 3500), ("villages", 12)):
        assert sum(q[key] for q in quotas.values()) == total


def test_quota_of_an_area_is_its_counties_never_the_prefecture_total():
    from qn_landconsol_plugin.core.quotas import quota_for

    rules = Rules()
    q = quota_for(["5227021012010010000", "522702101"], rules)
    assert q.label == "福泉市分解任务" and q.targets.farmland_mu == 6125.0
    q = quota_for(["522701", "522702"], rules)
    assert q.label == "都匀市、福泉市分解任务之和" and q.targets.construction_mu == 384.0
    q = quota_for([c for c in rules.county_quotas], rules)
    assert q.targets == rules.targets and "12 个县（市）" in q.label
    q = quota_for(["520102"], rules)        # not in Qiannan: said so
    assert "未识别所属县" in q.label
    assert quota_for(["522702"], rules, Targets(100, 1, 1, 1)).label == "用户输入的目标"
