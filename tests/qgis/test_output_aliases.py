"""Every field a user sees in an output has a Chinese alias (issue 17 item 7): each
algorithm run on the sample township and its outputs loaded as the Processing dialog
loads them (processing.runAndLoadResults: the post-processors run), then every field of
every vector or table layer checked; the declaration GeoPackage keeps the aliases in
its default styles, so the file opens with them in any QGIS."""
import glob
import os
import re

import pytest
from qgis.core import QgsProject, QgsVectorLayer

from .test_export_declaration import _tagger

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def tagged(township, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("aliases") / "tagged.gpkg")
    _tagger().tag(township["gpkg"], path)
    return path


def parameters(township, tagged, folder):
    town = township["gpkg"]
    layer = lambda name: f"{town}|layername={name}"     # noqa: E731
    tmp = "TEMPORARY_OUTPUT"
    return {
        "idlehomesteads": {"INPUT": layer("dltb"), "BUILDINGS": layer("buildings"),
                           "HOUSEHOLDS": township["households"], "DEM": township["dem"],
                           "RED_LINE": layer("stbhhx"), "OUTPUT": tmp, "OUTPUT_VILLAGES": tmp},
        "farmlandcontiguity": {"INPUT": f"{tagged}|layername=dltb", "OUTPUT_BLOCKS": tmp,
                               "OUTPUT": tmp, "OUTPUT_SUMMARY": tmp},
        "controllinecheck": {"INPUT": f"{tagged}|layername=dltb", "RED_LINE": layer("stbhhx"),
                             "PBF": layer("yjjbnt"), "UDB": layer("czkfbj"), "OUTPUT": tmp,
                             "OUTPUT_OVERLAPS": tmp, "OUTPUT_REPORT": None},
        "slopefarmland": {"INPUT": layer("dltb"), "DEM": township["dem"], "OUTPUT": tmp,
                          "OUTPUT_VILLAGES": tmp},
        "forestfarmlandswap": {"INPUT": layer("dltb"), "DEM": township["dem"],
                               "RED_LINE": layer("stbhhx"), "OUTPUT": tmp,
                               "OUTPUT_BALANCE": tmp},
        "potentialsurvey": {"INPUT": layer("dltb"), "DEM": township["dem"],
                            "RED_LINE": layer("stbhhx"), "PBF": layer("yjjbnt"),
                            "UDB": layer("czkfbj"), "BUILDINGS": layer("buildings"),
                            "OUTPUT": tmp, "OUTPUT_SUMMARY": tmp, "OUTPUT_CHECKS": tmp,
                            "OUTPUT_XLSX": None, "OUTPUT_REPORT": None, "CONTIGUITY": False},
        "exportdeclaration": {"INPUT": f"{tagged}|layername=dltb", "MAP": False,
                              "OUTPUT_FOLDER": os.path.join(folder, "declaration")},
        "sampledata": {"PARCELS": 200, "SEED": 3, "OUTPUT_FOLDER": os.path.join(folder, "town")},
        "checkparcels": {"INPUT": layer("dltb"), "OUTPUT": tmp, "OUTPUT_TOPOLOGY": tmp,
                         "OUTPUT_REPORT": None},
    }


def loaded_outputs(alg_id, params) -> dict:
    """{layer name: {field: alias}} of the vector and table layers the run loads into the
    (emptied) project, after their post-processors."""
    import processing

    project = QgsProject.instance()
    project.clear()
    processing.runAndLoadResults(f"qnlandconsol:{alg_id}", params)
    return {layer.name(): {f.name(): f.alias() for f in layer.fields()}
            for layer in project.mapLayers().values() if isinstance(layer, QgsVectorLayer)}


def unaliased(aliases: dict) -> list:
    return [name for name, alias in aliases.items() if not CHINESE.search(alias or "")]


@pytest.fixture(scope="module")
def runs(provider, township, tagged, tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("runs"))
    params = parameters(township, tagged, folder)
    done = {alg_id: loaded_outputs(alg_id, p) for alg_id, p in params.items()}
    txt = sorted(glob.glob(os.path.join(folder, "declaration", "*_范围.txt")))[0]
    done["importdeclarationtxt"] = loaded_outputs("importdeclarationtxt",
                                                  {"INPUT": txt, "OUTPUT": "TEMPORARY_OUTPUT"})
    yield done, folder
    QgsProject.instance().clear()


# the outputs each algorithm loads (vector and table layers)
EXPECTED = {"idlehomesteads": 2, "farmlandcontiguity": 3, "controllinecheck": 2,
            "slopefarmland": 2, "forestfarmlandswap": 2, "potentialsurvey": 3,
            "exportdeclaration": 2, "importdeclarationtxt": 1, "sampledata": 6,
            "checkparcels": 2}


@pytest.mark.parametrize("alg_id", sorted(EXPECTED))
def test_every_field_of_every_loaded_output_has_a_chinese_alias(runs, alg_id):
    layers = runs[0][alg_id]
    assert len(layers) == EXPECTED[alg_id], list(layers)
    for name, aliases in layers.items():
        assert unaliased(aliases) == [], name


def test_control_line_and_slope_village_fields_read_in_chinese(runs):
    aliases = {}
    for alg_id in ("controllinecheck", "slopefarmland"):
        for fields in runs[0][alg_id].values():
            aliases.update(fields)
    assert aliases["HX_MJ"] == "生态保护红线内面积（平方米）"
    assert aliases["CT_DJ"] == "冲突等级" and aliases["KZX"] and aliases["CUNDM"] == "行政村代码"
    assert aliases["PGD_ZB"] == "坡耕地占比(%)" and aliases["DLBM"] == "地类编码"


def test_the_declaration_geopackage_keeps_the_aliases_of_every_layer(runs):
    folder = os.path.join(runs[1], "declaration")
    packages = sorted(glob.glob(os.path.join(folder, "*.gpkg")))
    assert packages
    for gpkg in packages:
        for name in ("xmfw", "dltb", "dltj", "zzlxtj", "xzgdtj", "jcjg"):
            layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")   # default style
            assert layer.isValid(), (gpkg, name)
            assert unaliased({f.name(): f.alias() for f in layer.fields()}) == [], (gpkg, name)
