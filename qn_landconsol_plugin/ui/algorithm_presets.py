"""Parameter presets for the Processing dialogs the dock opens (三线核查, 申报导出):
the dock's layers and project matched to an algorithm's parameters by name. The
algorithms are found through the Processing registry by id, never imported.
"""
from __future__ import annotations

from qgis.core import QgsProcessingFeatureSourceDefinition

from ..core.fields import find_field

CONTROL_LINE_CHECK = "qnlandconsol:controllinecheck"
DECLARATION_EXPORT = "qnlandconsol:exportdeclaration"

# Processing parameter names (upper case) the dock fills, by what they mean
PARAMETER_ROLES = {
    "parcels": ("INPUT", "PARCELS", "DLTB", "LAYER", "PARCEL_LAYER"),
    "red_line": ("RED_LINE", "REDLINE", "STBHHX", "HX", "ECO_RED_LINE", "ECOLOGICAL_RED_LINE"),
    "pbf": ("PBF", "YJJBNT", "JBNT", "BASIC_FARMLAND", "PERMANENT_BASIC_FARMLAND"),
    "udb": ("UDB", "CZKFBJ", "KFBJ", "URBAN_BOUNDARY", "URBAN_DEVELOPMENT_BOUNDARY"),
    "dem": ("DEM", "ELEVATION"),
    "xmbh": ("XMBH", "PROJECT", "PROJECTS", "PROJECT_CODE", "PROJECT_ID"),
    "project_field": ("PROJECT_FIELD", "XMBH_FIELD"),
    "xmmc": ("XMMC", "PROJECT_NAME", "NAME"),
    "ssnd": ("SSND", "YEAR", "PROJECT_YEAR"),
}


def role_values(layers: dict, project, selected_only: bool) -> dict:
    """{role: value} from the dock's layers ({'parcels', 'red_line', 'pbf', 'udb', 'dem':
    layer or None}) and project (ProjectTags); the parcels as their selection with
    `selected_only`."""
    values = {key: layers.get(key) for key in ("red_line", "pbf", "udb", "dem")}
    values.update(xmbh=project.code or None, xmmc=project.name or None, ssnd=project.year,
                  parcels=None, project_field=None)
    parcels = layers.get("parcels")
    if parcels is not None:
        values["project_field"] = find_field(parcels.fields().names(), "XMBH")
        values["parcels"] = (QgsProcessingFeatureSourceDefinition(parcels.id(), True)
                             if selected_only else parcels.id())
    return values


def preset_parameters(alg, values: dict) -> dict:
    """{parameter name: value} for the parameters of `alg` whose name means one of the
    roles of `values` (role -> value, None: leave the parameter alone); layers by id."""
    params = {}
    for definition in alg.parameterDefinitions():
        name = definition.name()
        for role, names in PARAMETER_ROLES.items():
            if name.upper() in names and values.get(role) is not None:
                value = values[role]
                params[name] = value.id() if hasattr(value, "id") and callable(value.id) else value
                break
    return params


def exec_algorithm_dialog(alg_id, params):
    """Processing's own dialog for `alg_id`, its parameters preset."""
    import processing

    return processing.execAlgorithmDialog(alg_id, params)
