"""Parameter groups shared by several algorithms: one definition, the same names and
defaults everywhere. HouseholdParameters: the household survey (入户调查表) of the
idle-homestead and potential-survey algorithms; SlopeFarmlandParameters: how slope and
unstable farmland are defined, in 'Flag slope farmland' and the forest–farmland swap."""
from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..core.land_classes import FARMLAND_CODES
from ..core.slope_farmland import parse_codes
from ..qgis_io import compat


class HouseholdParameters:
    """Mixin for a QnAlgorithm whose parcels layer parameter is INPUT."""

    HOUSEHOLDS, HOUSEHOLD_KEY, PARCEL_KEY = "HOUSEHOLDS", "HOUSEHOLD_KEY", "PARCEL_KEY"
    RESIDENTS_FIELD, ELECTRICITY_FIELD = "RESIDENTS_FIELD", "ELECTRICITY_FIELD"
    HOUSEHOLD_DEFAULTS = {HOUSEHOLD_KEY: "HH_BSM", PARCEL_KEY: "BSM", RESIDENTS_FIELD: "CZRK",
                          ELECTRICITY_FIELD: "NYDL"}

    def add_household_parameters(self, advanced: list):
        """The table and its key as parameters; the join and value fields into `advanced`."""
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.HOUSEHOLDS, self.tr("Household survey table"),
            [compat.ProcessingSourceType.Vector],
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
            compat.ProcessingNumberParameterType.Double, rules.slope_farmland_deg,
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
