"""The plugin's algorithms, as data: id, where the class lives, title, group and help page.
The provider loads the classes from it; when Python packages are missing it registers
placeholders with the same ids and titles instead (nothing here imports numpy, shapely or
pandas)."""
import os
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


# An algorithm's help page is docs/<id>.md unless named here; the plugin zip ships them as
# help/<page>.html (tools/help_pages.py, make package). "readme" is the README.
HELP_PAGES = {"importdeclarationtxt": "exportdeclaration", "sampledata": "readme"}
_PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def help_page(alg_id: str) -> str:
    """The file "Help" in an algorithm's dialog opens: its HTML page in the plugin's help/
    folder (installed from the zip), else its Markdown in the repository checkout the plugin
    runs from (make deploy); '' when there is neither."""
    page = HELP_PAGES.get(alg_id, alg_id)
    repository = os.path.dirname(_PLUGIN_DIR)
    for path in (os.path.join(_PLUGIN_DIR, "help", f"{page}.html"),
                 os.path.join(repository, "README.md") if page == "readme"
                 else os.path.join(repository, "docs", f"{page}.md")):
        if os.path.isfile(path):
            return path
    return ""
