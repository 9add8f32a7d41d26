"""The 三调 DLTB (地类图斑) schema and case-insensitive field matching.

Real layers spell fields differently (ZZSXDM for GDZZSXDM, lower case from
shapefile exports): `match_fields` finds them and names what is missing.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str      # 'str' | 'float' | 'int'
    length: int    # characters for str, total digits for float
    alias: str
    precision: int = 0


# The DLTB schema of REFERENCE §2, in its usual order
DLTB_SCHEMA = (
    FieldSpec("BSM", "str", 18, "标识码"),
    FieldSpec("YSDM", "str", 10, "要素代码"),
    FieldSpec("TBYBH", "str", 18, "图斑预编号"),
    FieldSpec("TBBH", "str", 8, "图斑编号"),
    FieldSpec("DLBM", "str", 5, "地类编码"),
    FieldSpec("DLMC", "str", 60, "地类名称"),
    FieldSpec("QSXZ", "str", 2, "权属性质"),
    FieldSpec("QSDWDM", "str", 19, "权属单位代码"),
    FieldSpec("QSDWMC", "str", 255, "权属单位名称"),
    FieldSpec("ZLDWDM", "str", 19, "坐落单位代码"),
    FieldSpec("ZLDWMC", "str", 255, "坐落单位名称"),
    FieldSpec("TBMJ", "float", 19, "图斑面积", 2),
    FieldSpec("KCDLBM", "str", 5, "扣除地类编码"),
    FieldSpec("KCXS", "float", 5, "扣除地类系数", 4),
    FieldSpec("KCMJ", "float", 19, "扣除地类面积", 2),
    FieldSpec("TBDLMJ", "float", 19, "图斑地类面积", 2),
    FieldSpec("GDLX", "str", 2, "耕地类型"),
    FieldSpec("GDPDJB", "str", 2, "耕地坡度级别"),
    FieldSpec("XZDWKD", "float", 5, "线状地物宽度", 1),
    FieldSpec("TBXHDM", "str", 6, "图斑细化代码"),
    FieldSpec("TBXHMC", "str", 20, "图斑细化名称"),
    FieldSpec("GDZZSXDM", "str", 6, "耕地种植属性代码"),
    FieldSpec("GDZZSXMC", "str", 10, "耕地种植属性名称"),
    FieldSpec("GDDB", "int", 2, "耕地等别"),
    FieldSpec("FRDBS", "str", 1, "飞入地标识"),
    FieldSpec("CZCSXM", "str", 4, "城镇村属性码"),
    FieldSpec("SJNF", "int", 4, "数据年份"),
    FieldSpec("MSSM", "str", 2, "描述说明"),
    FieldSpec("HDMC", "str", 100, "海岛名称"),
    FieldSpec("BZ", "str", 254, "备注"),
)
DLTB_FIELDS = {f.name: f for f in DLTB_SCHEMA}

# aliases of fields that are not DLTB fields but come with the layers: the feature id,
# the 三区三线 layers, villages, buildings (the sample township has them all)
OTHER_ALIASES = {
    "FID": "要素编号", "HXMC": "红线名称", "HXLX": "红线类型", "HXBH": "红线编号",
    "JBNTBH": "永久基本农田编号", "JBNTTBBH": "永久基本农田图斑编号",
    "KFBJMC": "开发边界名称", "KFBJBH": "开发边界编号",
    "CUNDM": "行政村代码", "CUNMC": "行政村名称", "XZDM": "乡镇代码", "XZMC": "乡镇名称",
    "FWZT": "房屋状态", "JZMJ": "建筑面积(平方米)", "CS": "层数",
}

# canonical name -> other spellings seen in real data
FIELD_VARIANTS = {
    "GDZZSXDM": ("ZZSXDM",),
    "GDZZSXMC": ("ZZSXMC",),
    "TBMJ": ("TBMJ_1", "SHAPE_AREA_TBMJ"),
    "TBDLMJ": ("TBDLMJ_1",),
}


class MissingFieldError(KeyError):
    """A required 三调 field is absent; str() names it and the layer."""

    def __init__(self, field: str, layer: str = "", candidates=()):
        self.field = field
        self.layer = layer
        self.candidates = tuple(candidates)
        super().__init__(field)

    def __str__(self):
        spec = DLTB_FIELDS.get(self.field)
        label = f"{self.field} ({spec.alias})" if spec else self.field
        where = f" in layer '{self.layer}'" if self.layer else ""
        alt = FIELD_VARIANTS.get(self.field, ())
        also = f"; also accepted: {', '.join(alt)}" if alt else ""
        return f"Field {label} not found{where}{also}"


def find_field(available, canonical: str):
    """The actual name in `available` for a canonical 三调 field, or None."""
    by_upper = {str(n).upper(): n for n in available}
    for name in (canonical, *FIELD_VARIANTS.get(canonical.upper(), ())):
        hit = by_upper.get(name.upper())
        if hit is not None:
            return hit
    return None


def match_fields(available, required=(), optional=(), layer: str = "") -> dict:
    """Map canonical names to the layer's actual names; MissingFieldError for a required one."""
    found = {}
    for canonical in required:
        actual = find_field(available, canonical)
        if actual is None:
            raise MissingFieldError(canonical, layer)
        found[canonical] = actual
    for canonical in optional:
        actual = find_field(available, canonical)
        if actual is not None:
            found[canonical] = actual
    return found
