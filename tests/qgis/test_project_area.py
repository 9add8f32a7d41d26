"""The same figures wherever a reviewer looks (issue 15 items 6 and 12): the dock and the
potential survey give the same 5 % share on the same project (the project area being the
townships of its parcels, tagged or not), and both measure progress against the quota of
the county or township, from the quota table the dock stores in the QGIS project."""
import json

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from qn_landconsol_plugin.qgis_io import compat
from qn_landconsol_plugin.ui.consolidation_dock import ConsolidationDock

MU = 10000.0 / 15.0
TOWN_A, TOWN_B = "522702101", "522702102"
# BSM, ZLDWDM, DLBM, TBMJ, KCXS, GDLX, GDPDJB (TBDLMJ = TBMJ − KCMJ, KCMJ = TBMJ × KCXS)
PARCELS = [
    ("A1", TOWN_A + "0010010000", "0103", 60000.0, 0.10, "TT", "3"),   # 田坎归并
    ("A2", TOWN_A + "0010010000", "0101", 9000.0, 0.0, "TT", "1"),     # no potential
    ("A3", TOWN_A + "0020010000", "0103", 3000.0, 0.174, "TT", "5"),   # 坡耕地退出
    ("B1", TOWN_B + "0010010000", "0103", 8000.0, 0.035, "TT", "2"),   # B: 田坎归并, 旱改水
    ("B2", TOWN_B + "0010010000", "0404", 5000.0, None, None, None),
]


def _make_layer(path):
    fields = [("BSM", compat.FieldType.QString), ("ZLDWDM", compat.FieldType.QString),
              ("DLBM", compat.FieldType.QString),
              ("TBMJ", compat.FieldType.Double), ("KCXS", compat.FieldType.Double),
              ("KCMJ", compat.FieldType.Double),
              ("TBDLMJ", compat.FieldType.Double), ("GDLX", compat.FieldType.QString),
              ("GDPDJB", compat.FieldType.QString)]
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4545", "dltb", "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    features = []
    for i, (bsm, zl, dlbm, tbmj, kcxs, gdlx, grade) in enumerate(PARCELS):
        f = QgsFeature(layer.fields())
        x = 500000.0 + 300.0 * i
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, 2900000.0, x + 200.0, 2900200.0)))
        kcmj = round(tbmj * (kcxs or 0.0), 2)
        f.setAttributes([bsm, zl, dlbm, tbmj, kcxs, kcmj, tbmj - kcmj, gdlx, grade])
        features.append(f)
    layer.dataProvider().addFeatures(features)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", "dltb"
    QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProject.instance()
                                              .transformContext(), options)
    out = QgsVectorLayer(f"{path}|layername=dltb", "dltb", "ogr")
    assert out.isValid()
    return out


@pytest.fixture()
def two_townships(tmp_path, qgis_new_project):
    layer = _make_layer(tmp_path / "two_townships.gpkg")
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture()
def dock(qgis_iface, two_townships):
    widget = ConsolidationDock(qgis_iface)
    widget.confirm = lambda title, text: True
    widget.set_parcel_layer(two_townships)
    widget.set_project("P", "示例项目", 2026)
    yield widget
    widget.unload()
    widget.deleteLater()
    # the next test's project starts without this one's quota table
    QgsProject.instance().removeEntry("qn_landconsol", "/rules/county_quotas")


def _survey(layer, folder, **extra):
    import processing

    return processing.run("qnlandconsol:potentialsurvey", {
        "INPUT": layer, "LEVEL": 1, "OUTPUT": "memory:", "OUTPUT_SUMMARY": "memory:",
        "OUTPUT_CHECKS": "memory:", "OUTPUT_XLSX": str(folder / "p.xlsx"),
        "OUTPUT_REPORT": str(folder / "p.html"), "CONTIGUITY": False, **extra})


def _tag(dock, layer, bsm_task):
    by_bsm = {f["BSM"]: f.id() for f in layer.getFeatures()}
    for bsm, task in bsm_task.items():
        layer.selectByIds([by_bsm[bsm]])
        dock.select_task(task)
        assert dock.tag_selected() == 1
    dock.refresh_totals()
    return dock.totals


def test_the_dock_and_the_survey_give_the_same_five_percent_share(provider, dock,
                                                                  two_townships, tmp_path):
    out = _survey(two_townships, tmp_path)
    checks = {(f["DW_DM"], f["GZ_DM"]): f for f in out["OUTPUT_CHECKS"].getFeatures()}
    # by hand, township A: 田坎归并 of A1 (60,000 m², KCXS 0.10, merged 梯田 grade 3: 0.05)
    # +3,000 m²; A3 (> 25°, GDPDJB 5) leaves: −TBDLMJ = −3,000 × (1 − 0.174) = −2,478 m²;
    # farmland of A, net of 田坎: 54,000 + 9,000 + 2,478 = 65,478 m²
    want = (3000.0 - 2478.0) / 65478.0
    assert checks[(TOWN_A, "R1")]["SZ"] / 100 == pytest.approx(want)
    # the same project tagged in the dock: its area is township A, all of its farmland
    # (A2 untagged included), not B's
    t = _tag(dock, two_townships, {"A1": "NYD06", "A3": "NYD04"})
    assert t.area_units == (TOWN_A,)
    assert t.farmland_mu == pytest.approx(65478.0 / MU)
    assert t.new_farmland_mu == pytest.approx(522.0 / MU)
    assert t.new_farmland_share == pytest.approx(want)
    assert f"{want:.1%}" in dock.summaryLabel.text()


def test_the_project_area_follows_land_edits_of_untagged_parcels(dock, two_townships):
    t = _tag(dock, two_townships, {"A1": "NYD06"})
    assert t.farmland_mu == pytest.approx(65478.0 / MU)
    # an untagged field of A becomes forest in the attribute table: no longer farmland
    a2 = next(f.id() for f in two_townships.getFeatures() if f["BSM"] == "A2")
    two_townships.changeAttributeValue(a2, two_townships.fields().indexOf("DLBM"), "0301")
    dock.refresh_totals()
    assert dock.totals.farmland_mu == pytest.approx((65478.0 - 9000.0) / MU)
    # undone: back
    two_townships.undoStack().undo()
    dock.refresh_totals()
    assert dock.totals.farmland_mu == pytest.approx(65478.0 / MU)


def test_quota_table_is_stored_in_the_project_and_the_survey_uses_it(provider, dock,
                                                                      two_townships, tmp_path):
    t = _tag(dock, two_townships, {"A1": "NYD06"})
    # default: 福泉市 (522702) has 73,500 / 12 = 6,125 亩 of 农用地整理
    nyd = {p.family: p for p in t.progress}["NYD"]
    assert t.quota_label == "福泉市分解任务" and nyd.target_mu == 6125.0
    # the county splits its quota: township A gets its own row in the dock's table
    table = dock.quota_table
    item = table.add_row(TOWN_A, "示范镇")
    item.setText(2, "900")
    quotas = QgsProject.instance().readEntry("qn_landconsol", "/rules/county_quotas")[0]
    assert json.loads(quotas)[TOWN_A]["farmland_mu"] == 900.0
    t = dock.totals
    nyd = {p.family: p for p in t.progress}["NYD"]
    assert t.quota_label == "示范镇分解任务" and nyd.target_mu == 900.0
    assert nyd.share == pytest.approx(60000.0 / MU / 900.0)
    assert dock.progress_bars["NYD"].value() == int(round(min(nyd.share, 1.0) * 1000))
    # a bad number is refused, the old value stays
    item.setText(3, "many")
    assert item.text(3) == "0" and dock.rules.county_quotas[TOWN_A]["construction_mu"] == 0.0
    # the survey run in this QGIS project measures township A against the same quota
    out = _survey(two_townships, tmp_path)
    rows = {f["DW_DM"]: f for f in out["OUTPUT_SUMMARY"].getFeatures()}
    # A's 农用地整理 potential: A1 (田坎归并) and A3 (坡耕地退出), 63,000 m²
    assert rows[TOWN_A]["NYD_MU"] == pytest.approx(63000.0 / MU)
    assert rows[TOWN_A]["NYD_JD"] == pytest.approx(100 * 63000.0 / MU / 900.0)
    # B has no row of its own: its county's quota
    assert rows[TOWN_B]["NYD_JD"] == pytest.approx(100 * rows[TOWN_B]["NYD_MU"] / 6125.0)
    # a rules file wins over the project's table
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"county_quotas": {"522702": {
        "name": "福泉市", "farmland_mu": 3000, "construction_mu": 100, "ecological_mu": 100,
        "villages": 1}}}), encoding="utf-8")
    out = _survey(two_townships, tmp_path, RULES=str(path))
    rows = {f["DW_DM"]: f for f in out["OUTPUT_SUMMARY"].getFeatures()}
    assert rows[TOWN_A]["NYD_JD"] == pytest.approx(100 * 63000.0 / MU / 3000.0)
    # the project reopened: the dock reads the table back
    dock.quota_table.set_quotas({})
    dock.restore_settings()
    assert dock.rules.county_quotas[TOWN_A]["farmland_mu"] == 900.0


def test_a_broken_rules_file_is_a_clear_error(provider, two_townships, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "rules.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="rules.json"):
        _survey(two_townships, tmp_path, RULES=str(path))
