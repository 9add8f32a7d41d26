"""Tagging through the dock's API asks before it tags land the task does not apply to
or overwrites another task (dock.confirm answers, no modal dialog), each tagging is
one undo step, and fields it adds go through the edit buffer."""
from qgis.core import QgsFeatureRequest, QgsVectorLayer

from qn_landconsol_plugin.core import task_types

from .test_dock import attrs, dock, first_fids, town  # noqa: F401  (fixtures)

TAGS = ["ZZLX", "ZZZLX", "XMBH"]


class Answers:
    """dock.confirm for tests: records every question, answers by its title."""

    def __init__(self, **answers):
        self.answers = {"fields": True, "land": True, "overwrite": True, **answers}
        self.asked = []

    def __call__(self, title, text):
        kind = ("fields" if "fields" in title else "land" if "Land class" in title
                else "overwrite" if "already tagged" in title else title)
        self.asked.append((kind, text))
        return self.answers[kind]

    def kinds(self):
        return [kind for kind, _ in self.asked]


def dlbm_fids(layer, codes, n):
    quoted = ",".join(f"'{c}'" for c in codes)
    return first_fids(layer, n, f"\"DLBM\" IN ({quoted})")


def test_tagging_land_the_task_does_not_apply_to_asks_and_no_skips_them(dock, town):
    layer = town["dltb"]
    farmland = dlbm_fids(layer, ("0101", "0102", "0103"), 4)
    forest, roads, homes = (dlbm_fids(layer, ("0301",), 3), dlbm_fids(layer, ("1003", "1006"), 2),
                            dlbm_fids(layer, ("0702",), 1))
    assert len(forest) == 3 and len(roads) == 2 and len(homes) == 1
    layer.selectByIds(farmland + forest + roads + homes)
    dock.confirm = answers = Answers(land=False)
    dock.select_task("NYD01")                         # 高标准农田建设: farmland only
    steps = layer.undoStack().count()
    assert dock.tag_selected() == 4
    assert answers.kinds() == ["fields", "land"]
    question = answers.asked[1][1]
    assert "6 of the 10 parcels" in question and "高标准农田建设" in question
    assert "0301 乔木林地 × 3" in question and "0702 农村宅基地 × 1" in question
    assert "6 parcel(s) skipped" in dock.last_message
    for fid in farmland:
        assert attrs(layer, fid, TAGS) == ["NYD", "NYD01", "522701-2025-01"]
    for fid in forest + roads + homes:
        assert attrs(layer, fid, TAGS) == [None, None, None]
    assert layer.undoStack().count() == steps + 1     # fields and values: one command
    # "yes" tags them all, again one command, and one undo takes it back
    dock.confirm = answers = Answers()
    steps = layer.undoStack().count()
    assert dock.tag_selected() == 10
    assert answers.kinds() == ["land"]
    assert attrs(layer, roads[0], TAGS) == ["NYD", "NYD01", "522701-2025-01"]
    assert layer.undoStack().count() == steps + 1
    layer.undoStack().undo()
    assert attrs(layer, roads[0], TAGS) == [None, None, None]
    assert attrs(layer, farmland[0], TAGS) == ["NYD", "NYD01", "522701-2025-01"]


def test_a_task_on_land_it_applies_to_asks_nothing(dock, town):
    layer = town["dltb"]
    layer.selectByIds(dlbm_fids(layer, ("0702", "1201"), 5))
    dock.confirm = answers = Answers()
    dock.select_task("JSYD01")                        # 宅基地/空闲地复垦
    assert dock.tag_selected() == 5
    assert answers.kinds() == ["fields"]


def test_overwriting_another_task_asks_first(dock, town):
    layer = town["dltb"]
    dry = dlbm_fids(layer, ("0103",), 8)
    first, more = dry[:5], dry[5:]
    dock.confirm = Answers()
    layer.selectByIds(first)
    dock.select_task("NYD01")
    dock.tag_selected()
    # the same task again for the same project: no question
    dock.confirm = answers = Answers()
    assert dock.tag_selected() == 5 and answers.kinds() == []
    # another task on 5 tagged + 3 untagged parcels: "no" keeps the 5
    layer.selectByIds(dry)
    dock.select_task("NYD02")
    dock.confirm = answers = Answers(overwrite=False)
    assert dock.tag_selected() == 3
    assert answers.kinds() == ["overwrite"]
    assert "5 of the 8 parcels" in answers.asked[0][1] and "高标准农田建设" in answers.asked[0][1]
    assert "5 parcel(s) kept their task" in dock.last_message
    assert [attrs(layer, f, ["ZZZLX"])[0] for f in dry] == ["NYD01"] * 5 + ["NYD02"] * 3
    # "yes" overwrites, in one undo step that restores the old task
    dock.confirm = Answers()
    steps = layer.undoStack().count()
    assert dock.tag_selected() == 8
    assert [attrs(layer, f, ["ZZZLX"])[0] for f in dry] == ["NYD02"] * 8
    assert layer.undoStack().count() == steps + 1
    layer.undoStack().undo()
    assert [attrs(layer, f, ["ZZZLX"])[0] for f in dry] == ["NYD01"] * 5 + ["NYD02"] * 3
    # the same task for another project is an overwrite too
    dock.set_project("522701-2025-02", "", 2027)
    layer.selectByIds(more)
    dock.confirm = answers = Answers(overwrite=False)
    assert dock.tag_selected() == 0
    assert "522701-2025-01" in answers.asked[0][1]
    assert attrs(layer, more[0], ["XMBH"]) == ["522701-2025-01"]
    assert "Nothing tagged" in dock.last_message


def test_added_fields_are_in_the_edit_buffer_and_a_rollback_leaves_the_file_as_it_was(dock, town):
    layer = town["dltb"]
    on_disk = QgsVectorLayer(f"{town['path']}|layername=dltb", "on disk", "ogr")
    before = on_disk.fields().names()
    assert not layer.isEditable()
    dock.confirm = answers = Answers()
    layer.selectByIds(dlbm_fids(layer, ("0101",), 3))
    assert dock.tag_selected() == 3
    assert "schema" in answers.asked[0][1] and "rolling back removes them" in answers.asked[0][1]
    assert layer.isEditable() and layer.fields().indexOf("ZZLX") >= 0
    assert layer.dataProvider().fields().indexOf("ZZLX") < 0     # not in the file yet
    assert layer.rollBack()
    assert layer.fields().names() == before
    assert QgsVectorLayer(f"{town['path']}|layername=dltb", "again", "ogr").fields().names() == before


def test_a_layer_without_land_classes_is_asked_about(dock, town):
    buildings = QgsVectorLayer(f"{town['path']}|layername=buildings", "buildings", "ogr")
    assert buildings.isValid() and buildings.fields().indexOf("DLBM") < 0
    fids = sorted(f.id() for f in buildings.getFeatures(QgsFeatureRequest().setNoAttributes()))[:3]
    dock.confirm = answers = Answers(**{"No land classes": False})
    assert dock.tag_writer.tag(buildings, fids, "NYD01", dock.project_tags()) == 0
    assert answers.kinds() == ["fields", "No land classes"]
    assert "DLBM" in answers.asked[1][1]
    assert not buildings.isEditable() and buildings.fields().indexOf("ZZLX") < 0


def test_family_only_tag_applies_to_the_union_of_its_subtypes(dock, town):
    layer = town["dltb"]
    reserve = dlbm_fids(layer, ("0404", "1206"), 3)
    layer.selectByIds(reserve)
    dock.confirm = answers = Answers()
    dock.select_task("NYD")
    assert dock.tag_selected() == 3
    assert answers.kinds() == ["fields"]
    assert task_types.applies_to("NYD", "1206")
