"""The plugin's algorithms, as data: id, where the class lives, title and group. The provider
loads the classes from it; when Python packages are missing it registers placeholders with
the same ids and titles instead (nothing here imports numpy, shapely or pandas)."""
from dataclasses import dataclass

from ..translation import tr


@dataclass(frozen=True)
class AlgorithmEntry:
    name: str          # the id after "qnlandconsol:"
    module: str        # module in this package
    class_name: str
    group_id: str


ALGORITHMS = (
    AlgorithmEntry("sampledata", "sample_data", "SampleDataAlgorithm", "tools"),
    AlgorithmEntry("idlehomesteads", "idle_homesteads", "IdleHomesteadsAlgorithm", "construction"),
    AlgorithmEntry("farmlandcontiguity", "farmland_contiguity", "FarmlandContiguityAlgorithm",
                   "farmland"),
    AlgorithmEntry("controllinecheck", "control_line_check", "ControlLineCheckAlgorithm",
                   "controllines"),
    AlgorithmEntry("slopefarmland", "slope_farmland", "SlopeFarmlandAlgorithm", "farmland"),
    AlgorithmEntry("forestfarmlandswap", "forest_farmland_swap", "ForestFarmlandSwapAlgorithm",
                   "farmland"),
    AlgorithmEntry("exportdeclaration", "export_declaration", "ExportDeclarationAlgorithm",
                   "declaration"),
    AlgorithmEntry("importdeclarationtxt", "import_declaration_txt",
                   "ImportDeclarationTxtAlgorithm", "declaration"),
    AlgorithmEntry("potentialsurvey", "potential_survey", "PotentialSurveyAlgorithm", "survey"),
)


def titles() -> dict:
    """{algorithm id: translated title}."""
    return {
        "sampledata": tr("Generate sample township"),
        "idlehomesteads": tr("Flag idle homesteads"),
        "farmlandcontiguity": tr("Farmland contiguity (before/after consolidation)"),
        "controllinecheck": tr("Check control lines (red line, basic farmland, urban boundary)"),
        "slopefarmland": tr("Flag slope farmland"),
        "forestfarmlandswap": tr("Forest–farmland swap candidates"),
        "exportdeclaration": tr("Export declaration package (TXT, GeoPackage, map, statistics)"),
        "importdeclarationtxt": tr("Import declaration coordinate TXT"),
        "potentialsurvey": tr("Survey consolidation potential"),
    }


def group_titles() -> dict:
    """{group id: translated group title}."""
    return {
        "tools": tr("Tools"),
        "construction": tr("Construction-land consolidation"),
        "farmland": tr("Farmland"),
        "controllines": tr("Control lines"),
        "declaration": tr("Declaration"),
        "survey": tr("Potential survey"),
    }
