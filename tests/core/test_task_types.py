"""The land classes each task subtype applies to (core.task_types.APPLIES_TO), checked
against REFERENCE §1–§3 typed out here by hand."""
import pytest

from qn_landconsol_plugin.core import land_classes, task_types

# REFERENCE §2 first-level classes, typed out again on purpose
FARMLAND = {"0101", "0102", "0103"}
ROADS = {"1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009"}
FOREST = {"0301", "0302", "0305", "0307"}
RESERVE = {"0404", "1204", "1205", "1206"}    # 宜耕后备资源; 1207 only where a county says so


def test_every_subtype_lists_known_land_classes():
    for sub in task_types.SUBTYPE_BY_CODE.values():
        assert sub.land_classes, sub.code
        assert sub.land_classes <= set(land_classes.LAND_CLASSES), sub.code
        assert set(task_types.APPLIES_TO[sub.code]) == sub.land_classes
    assert set(task_types.APPLIES_TO) == set(task_types.SUBTYPE_BY_CODE)


def test_high_standard_farmland_lands_on_farmland_only():
    classes = task_types.SUBTYPE_BY_CODE["NYD01"].land_classes
    assert classes == FARMLAND
    for code in ROADS | FOREST | {"0702", "0201", "0404", "1201", "1107"}:
        assert not task_types.applies_to("NYD01", code), code


def test_farmland_subtypes_follow_the_reference():
    assert task_types.land_classes_of("NYD03") == RESERVE
    assert not task_types.applies_to("NYD03", "1201")     # 空闲地 is construction land (§2)
    assert not task_types.applies_to("NYD03", "1207")     # karst bare rock: a county's call
    assert task_types.land_classes_of("NYD02") == {"0102", "0103"}     # 旱改水
    assert task_types.land_classes_of("NYD06") == FARMLAND              # 田坎 of farmland
    # 林耕置换: forest and garden come down, farmland goes up; K variants included
    for code in FARMLAND | FOREST | {"0201", "0204", "0301K", "0201K"}:
        assert task_types.applies_to("NYD04", code), code
    for code in ("0702", "1003", "0404", "0303"):        # 0303 红树林地 is wetland
        assert not task_types.applies_to("NYD04", code), code


def test_construction_subtypes_apply_to_construction_land():
    assert task_types.land_classes_of("JSYD01") == {"0702", "1201"}
    assert task_types.land_classes_of("JSYD03") == {"0601", "0602"}
    assert task_types.land_classes_of("JSYD05") == {"0702"}
    for sub in task_types.FAMILY_BY_CODE["JSYD"].subtypes:
        for code in sub.land_classes:
            assert land_classes.category_of(code) == land_classes.CONSTRUCTION, (sub.code, code)
        assert not sub.land_classes & FARMLAND, sub.code
        assert not sub.land_classes & ROADS, sub.code


def test_family_applies_to_the_union_of_its_subtypes():
    union = set()
    for sub in task_types.FAMILY_BY_CODE["NYD"].subtypes:
        union |= sub.land_classes
    assert task_types.land_classes_of("NYD") == union
    assert task_types.applies_to("NYD", "1206") and not task_types.applies_to("NYD", "0702")
    assert task_types.land_classes_of("NOSUCH") == frozenset()


@pytest.mark.parametrize("value,applies", [
    ("103", True),           # leading zero lost in a spreadsheet
    (" 0101 ", True),
    ("0103.0", True),        # read from a numeric column
    (None, False),
    ("", False),
    ("9999", False),
])
def test_codes_are_normalised_and_unknown_ones_do_not_apply(value, applies):
    assert task_types.applies_to("NYD01", value) is applies
