"""Parameter groups shared by several algorithms: one definition, the same names and
defaults everywhere. HouseholdParameters: the household survey (入户调查表) of the
idle-homestead and potential-survey algorithms; SlopeFarmlandParameters: how slope and
unstable farmland are defined, in 'Flag slope farmland' and the forest–farmland swap.
preselect: the layer a dialog offers first for an input, by what the project's layers are."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core.land_classes import FARMLAND_CODES
from ..core.slope_farmland import parse_codes
from ..translation import tr

# the role (core.layer_roles) of the layer each input parameter takes
INPUT_ROLES = {"INPUT": "parcels", "RED_LINE": "red_line", "PBF": "pbf", "UDB": "udb",
               "DEM": "dem"}


def role_label(role: str) -> str:
    """The translated name of a layer role: 'Ecological red line' for 'red_line' …"""
    return {"parcels": tr("Parcels"), "red_line": tr("Ecological red line"),
            "pbf": tr("Permanent basic farmland"), "udb": tr("Urban development boundary"),
            "dem": tr("DEM")}[role]


def preselect(definition, project_roles: dict):
    """Give a layer input the project's layer of its role ({role: layer id},
    qgis_io.layer_roles.project_defaults) as the dialog's default, through the GUI default
    so that scripts and qgis_process see the same defaults as before. An input whose role
    no layer plays keeps its own default: an optional one stays unset."""
    role = INPUT_ROLES.get(definition.name())
    if role is None or not isinstance(definition, (QgsProcessingParameterFeatureSource,
                                                   QgsProcessingParameterRasterLayer)):
        return
    layer_id = project_roles.get(role)
    if layer_id:
        definition.setGuiDefaultValueOverride(layer_id)


class HouseholdParameters:
    """Mixin for a QnAlgorithm whose parcels layer parameter is INPUT."""

    HOUSEHOLDS, HOUSEHOLD_KEY, PARCEL_KEY = "HOUSEHOLDS", "HOUSEHOLD_KEY", "PARCEL_KEY"
    RESIDENTS_FIELD, ELECTRICITY_FIELD = "RESIDENTS_FIELD", "ELECTRICITY_FIELD"
    HOUSEHOLD_DEFAULTS = {HOUSEHOLD_KEY: "HH_BSM", PARCEL_KEY: "BSM", RESIDENTS_FIELD: "CZRK",
                          ELECTRICITY_FIELD: "NYDL"}

    def add_household_parameters(self, advanced: list):
        """The table and its key as parameters; the join and value fields into `advanced`."""
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.HOUSEHOLDS, self.tr("Household survey table"), [QgsProcessing.TypeVector],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.HOUSEHOLD_KEY, self.tr("Household table: parcel key field"),
            self.HOUSEHOLD_DEFAULTS[self.HOUSEHOLD_KEY], self.HOUSEHOLDS, optional=True))
        advanced.append(QgsProcessingParameterField(
            self.PARCEL_KEY, self.tr("Parcels: key field joined to the household table"),
            self.HOUSEHOLD_DEFAULTS[self.PARCEL_KEY], "INPUT", optional=True))
        advanced.append(QgsProcessingParameterField(
            self.RESIDENTS_FIELD, self.tr("Household table: resident count field"),
            self.HOUSEHOLD_DEFAULTS[self.RESIDENTS_FIELD], self.HOUSEHOLDS, optional=True))
        advanced.append(QgsProcessingParameterField(
            self.ELECTRICITY_FIELD, self.tr("Household table: annual electricity field (kWh)"),
            self.HOUSEHOLD_DEFAULTS[self.ELECTRICITY_FIELD], self.HOUSEHOLDS, optional=True))


class SlopeFarmlandParameters:
    """Mixin: FARMLAND_CODES, THRESHOLD and UNSTABLE_CODES."""

    FARMLAND_CODES, THRESHOLD, UNSTABLE_CODES = "FARMLAND_CODES", "THRESHOLD", "UNSTABLE_CODES"

    def add_slope_farmland_parameters(self, rules):
        self.addParameter(QgsProcessingParameterString(
            self.FARMLAND_CODES, self.tr("Farmland land-use codes (DLBM)"),
            ",".join(FARMLAND_CODES)))
        self.addParameter(QgsProcessingParameterNumber(
            self.THRESHOLD, self.tr("Slope farmland threshold (degrees)"),
            QgsProcessingParameterNumber.Double, rules.slope_farmland_deg,
            minValue=0.0, maxValue=90.0))
        self.addParameter(QgsProcessingParameterString(
            self.UNSTABLE_CODES, self.tr("TBXHDM codes of unstable farmland"),
            ",".join(rules.unstable_tbxhdm), optional=True))

    def slope_farmland_values(self, parameters, context):
        """(farmland codes, threshold in degrees, unstable TBXHDM codes); no codes is an error."""
        farmland_codes = parse_codes(self.parameterAsString(parameters, self.FARMLAND_CODES,
                                                            context))
        if not farmland_codes:
            raise QgsProcessingException(self.tr("Give at least one farmland land-use code."))
        threshold = self.parameterAsDouble(parameters, self.THRESHOLD, context)
        unstable = parse_codes(self.parameterAsString(parameters, self.UNSTABLE_CODES, context))
        return farmland_codes, threshold, unstable
