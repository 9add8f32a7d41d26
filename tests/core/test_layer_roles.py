"""Which layer is what, from its name and field names alone (core.layer_roles): the
rules the dock and the algorithms' dialogs both use to preselect their layers."""
from qn_landconsol_plugin.core import layer_roles as roles
from qn_landconsol_plugin.core.fields import DLTB_FIELDS
from qn_landconsol_plugin.core.layer_roles import LayerFacts

DLTB = tuple(DLTB_FIELDS)
# the sample township's layers, buildings first as a user's project often has them
TOWNSHIP = (
    LayerFacts("b", "buildings", roles.POLYGON, ("FWZT", "JZMJ", "CS")),
    LayerFacts("c", "cun", roles.POLYGON, ("CUNDM", "CUNMC", "XZDM")),
    LayerFacts("p", "dltb", roles.POLYGON, DLTB),
    LayerFacts("r", "stbhhx", roles.POLYGON, ("HXMC", "HXLX")),
    LayerFacts("j", "yjjbnt", roles.POLYGON, ("JBNTBH",)),
    LayerFacts("u", "czkfbj", roles.POLYGON, ("KFBJMC",)),
    LayerFacts("d", "dem", roles.RASTER),
)


def test_each_layer_of_the_sample_township_gets_its_role_whatever_the_order():
    expected = {"parcels": "p", "red_line": "r", "pbf": "j", "udb": "u", "dem": "d"}
    assert roles.choose_roles(TOWNSHIP) == expected
    assert roles.choose_roles(TOWNSHIP[::-1]) == expected


def test_buildings_and_villages_are_no_parcel_layer_and_no_control_line():
    only = [TOWNSHIP[0], TOWNSHIP[1]]
    assert roles.choose_roles(only) == {}
    assert roles.missing_parcel_fields(TOWNSHIP[0].fields) == ["DLBM", "TBMJ"]
    assert roles.missing_parcel_fields(["dlbm", "tbmj_1"]) == []     # case, known variants


def test_a_copy_of_the_parcels_named_as_the_red_line_is_the_red_line_not_the_parcels():
    # a copy of the parcels called 生态保护红线 is taken for the red line only by name, and
    # then it is not the parcel layer (score 0), so the other parcel layer wins
    copy = LayerFacts("x", "生态保护红线_副本", roles.POLYGON, DLTB)
    picks = roles.choose_roles([copy, TOWNSHIP[2]])
    assert picks == {"parcels": "p", "red_line": "x"}
    # the only polygon layer with DLBM/TBMJ never becomes a control line
    assert roles.choose_control_line([TOWNSHIP[2]], roles.RED_LINE, exclude=("p",)) is None


def test_parcel_score_prefers_the_layer_called_dltb_and_refuses_a_pbf_layer_with_dlbm():
    assert roles.parcel_score("buildings", ["JZWBH", "JZMJ"]) == 0
    assert roles.parcel_score("dltb", ["BSM", "DLBM", "TBMJ"]) > \
        roles.parcel_score("图斑副本", ["BSM", "DLBM", "TBMJ"]) > 0
    assert roles.parcel_score("yjjbnt", ["DLBM", "TBMJ", "JBNTTBBH"]) == 0
    assert roles.control_line_role("生态保护红线", []) == "red_line"
    assert roles.control_line_role("红线2023", ["HXMC"]) == "red_line"
    assert roles.control_line_role("layer_7", ["KFBJMC"]) == "udb"
    assert roles.control_line_role("dltb", ["DLBM", "TBMJ"]) is None


def test_a_dem_is_a_raster_known_by_its_name_never_an_image_or_a_vector():
    image = LayerFacts("i", "正射影像", roles.RASTER)
    assert roles.choose_dem([image]) is None
    assert roles.choose_dem([image, LayerFacts("d", "黔南高程30m", roles.RASTER)]) == "d"
    assert roles.choose_dem([LayerFacts("v", "dem_contours", roles.POLYGON)]) is None
