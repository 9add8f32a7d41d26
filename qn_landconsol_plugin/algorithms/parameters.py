"""The household-survey parameters (入户调查表) shared by the idle-homestead and the
potential-survey algorithms: one definition, the same names and defaults in both."""
from qgis.core import QgsProcessing, QgsProcessingParameterFeatureSource, QgsProcessingParameterField


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
