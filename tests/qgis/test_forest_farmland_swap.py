"""qnlandconsol:forestfarmlandswap in real QGIS: on the sample township (candidates obey
every rule, checked independently with QGIS geometry), and a hand-made case."""
import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorLayer,
)

from qn_landconsol_plugin.core.rules import Rules
from qn_landconsol_plugin.qgis_io import compat

from .conftest import township_layer


def _run(params):
    import processing

    return processing.run("qnlandconsol:forestfarmlandswap", params)


def test_candidates_on_sample_township_obey_the_rules(provider, township):
    parcels = f"{township['gpkg']}|layername=dltb"
    out = _run({"INPUT": parcels, "DEM": township["dem"], "RED_LINE":
                f"{township['gpkg']}|layername=stbhhx", "OUTPUT": "memory:",
                "OUTPUT_BALANCE": "memory:"})
    cand = list(out["OUTPUT"].getFeatures())
    outs = [f for f in cand if f["ZH_LX"] == "出"]
    ins = [f for f in cand if f["ZH_LX"] == "入"]
    assert outs and ins
    # out: every one is farmland, steep (> 25°) or with an unstable TBXHDM
    for f in outs:
        assert f["DLBM"] in ("0101", "0102", "0103")
        assert f["PD_MEAN"] > 25 or (f["TBXHDM"] or "") in ("HDGD", "HQGD", "LQGD", "MQGD",
                                                            "SHGD", "HHGD", "SMGD")
    # in: garden/forest/0404, flat enough, outside the red line, near farmland or village
    red = [g.geometry() for g in township_layer(township, "stbhhx").getFeatures()]
    out_ids = {f["BSM"] for f in outs}
    anchors = [f.geometry() for f in QgsVectorLayer(parcels, "d", "ogr").getFeatures()
               if (f["DLBM"] in ("0101", "0102", "0103") and f["BSM"] not in out_ids)
               or f["DLBM"] == "0702" or str(f["CZCSXM"] or "").startswith("203")]
    for f in ins[:40]:
        code = f["DLBM"]
        assert code[:2] in ("02", "03") or code == "0404"
        assert f["PD_MEAN"] <= 15
        g = f.geometry()
        assert all(g.intersection(r).area() < 1.0 for r in red)
        d = min(g.distance(a) for a in anchors)
        assert d <= 500 and f["ZH_JL"] == pytest.approx(d, abs=1e-6)
        assert 0 <= f["ZH_PF"] <= 100
    # selection: best-ranked first within a village
    by_village = {}
    for f in ins:
        by_village.setdefault(f["CUNDM"], []).append(f)
    for fs in by_village.values():
        fs.sort(key=lambda f: f["ZH_PX"])
        scores = [f["ZH_PF"] for f in fs]
        assert scores == sorted(scores, reverse=True)
    # balance table adds up
    rows = {f["CUNDM"]: f for f in out["OUTPUT_BALANCE"].getFeatures()}
    total = rows.pop("合计")
    assert total["CK_MU"] == pytest.approx(sum(f["ZH_MU"] for f in outs), rel=1e-9)
    assert total["RK_MU"] == pytest.approx(sum(f["ZH_MU"] for f in ins if f["ZH_XZ"] == 1),
                                           rel=1e-9)
    assert total["BJ"] == ("是" if total["RK_MU"] >= total["CK_MU"] - 1e-6 else "否")
    assert sum(r["CK_MU"] for r in rows.values()) == pytest.approx(total["CK_MU"])


def _layer(rows):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4545", "p", "memory")
    layer.dataProvider().addAttributes([QgsField("DLBM", compat.FieldType.QString),
                                        QgsField("TBDLMJ", compat.FieldType.Double),
                                        QgsField("ZLDWDM", compat.FieldType.QString),
                                        QgsField("PD_MEAN", compat.FieldType.Double)])
    layer.updateFields()
    feats = []
    for wkt, code, slope in rows:
        f = QgsFeature(layer.fields())
        g = QgsGeometry.fromWkt(wkt)
        f.setAttributes([code, g.area(), "522702101201", slope])
        f.setGeometry(g)
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def test_hand_made_swap_uses_pd_mean_without_dem(provider):
    sq = "POLYGON(({0} 0, {1} 0, {1} 100, {0} 100, {0} 0))"
    layer = _layer([(sq.format(500000, 500100), "0103", 30.0),     # out: 15 亩
                    (sq.format(500100, 500200), "0101", 2.0),      # stays
                    (sq.format(500200, 500300), "0301K", 5.0),     # in, next to farmland
                    (sq.format(500300, 500400), "0305", 20.0),     # too steep
                    (sq.format(502000, 502100), "0201", 1.0)])     # too far
    out = _run({"INPUT": layer, "OUTPUT": "memory:", "OUTPUT_BALANCE": "memory:"})
    cand = {f["DLBM"]: f for f in out["OUTPUT"].getFeatures()}
    assert set(cand) == {"0103", "0301K"}
    assert cand["0103"]["ZH_LX"] == "出" and cand["0301K"]["ZH_LX"] == "入"
    assert cand["0301K"]["ZH_XZ"] == 1
    # in: the new farmland net of 田坎 (issue 15 item 5, was the gross 15 亩): 15 亩 at 5°
    # (grade 2) × (1 − KCXS 梯田 grade 2); out: the farmland's TBDLMJ, 15 亩
    net_in = 15.0 * (1 - Rules().terrace_kcxs["TT"]["2"])
    assert cand["0301K"]["ZH_MU"] == pytest.approx(net_in)
    total = [f for f in out["OUTPUT_BALANCE"].getFeatures() if f["CUNDM"] == "合计"][0]
    assert (total["CK_MU"], total["RK_MU"], total["BJ"]) == (pytest.approx(15),
                                                            pytest.approx(net_in), "否")


def test_no_dem_and_no_pd_mean_is_a_clear_error(provider):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4545&field=DLBM:string", "p", "memory")
    with pytest.raises(QgsProcessingException, match="PD_MEAN"):
        _run({"INPUT": layer, "OUTPUT": "memory:"})
