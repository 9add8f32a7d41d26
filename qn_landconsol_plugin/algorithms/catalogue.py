"""The plugin's algorithms, as data: id, where the class lives, group, icon, title and help
page. The provider loads the classes from it; when Python packages are missing it registers
placeholders with the same ids and titles instead (nothing here imports numpy, shapely or
pandas)."""
import os
from dataclasses import dataclass

from ..translation import tr

ICONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "icons")


@dataclass(frozen=True)
class AlgorithmEntry:
    name: str          # the id after "qnlandconsol:"
    module: str        # module in this package
    class_name: str
    group_id: str
    icon: str = "icon.svg"   # file in icons/: a picture of what the algorithm does

    @property
    def icon_path(self) -> str:
        return os.path.join(ICONS, self.icon)


ALGORITHMS = (
    AlgorithmEntry("sampledata", "sample_data", "SampleDataAlgorithm", "tools",
                   "alg_sampledata.svg"),
    AlgorithmEntry("checkparcels", "check_parcels", "CheckParcelsAlgorithm", "quality",
                   "alg_checkparcels.svg"),
    AlgorithmEntry("idlehomesteads", "idle_homesteads", "IdleHomesteadsAlgorithm", "construction",
                   "alg_idlehomesteads.svg"),
    AlgorithmEntry("farmlandcontiguity", "farmland_contiguity", "FarmlandContiguityAlgorithm",
                   "farmland", "alg_farmlandcontiguity.svg"),
    AlgorithmEntry("controllinecheck", "control_line_check", "ControlLineCheckAlgorithm",
                   "controllines", "alg_controllinecheck.svg"),
    AlgorithmEntry("slopefarmland", "slope_farmland", "SlopeFarmlandAlgorithm", "farmland",
                   "alg_slopefarmland.svg"),
    AlgorithmEntry("forestfarmlandswap", "forest_farmland_swap", "ForestFarmlandSwapAlgorithm",
                   "farmland", "alg_forestfarmlandswap.svg"),
    AlgorithmEntry("exportdeclaration", "export_declaration", "ExportDeclarationAlgorithm",
                   "declaration", "alg_exportdeclaration.svg"),
    AlgorithmEntry("importdeclarationtxt", "import_declaration_txt",
                   "ImportDeclarationTxtAlgorithm", "declaration", "alg_importdeclarationtxt.svg"),
    AlgorithmEntry("potentialsurvey", "potential_survey", "PotentialSurveyAlgorithm", "survey",
                   "alg_potentialsurvey.svg"),
)
BY_NAME = {entry.name: entry for entry in ALGORITHMS}


def titles() -> dict:
    """{algorithm id: translated title}."""
    return {
        "sampledata": tr("Generate sample township"),
        "checkparcels": tr("Check parcels (三调 quality check)"),
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
        "quality": tr("Quality check"),
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
