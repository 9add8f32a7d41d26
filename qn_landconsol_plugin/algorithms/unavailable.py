"""Placeholder algorithms shown when Python packages are missing: same ids and titles as
the real ones, greyed out by Processing (canExecute is False) with what to install."""

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtGui import QIcon

from ..translation import tr
from .catalogue import ALGORITHMS, group_titles, titles


def missing_text(missing) -> str:
    """'shapely ≥ 2.0 (found 1.8.5), pandas ≥ 1.3 (not installed)' in the UI language."""
    parts = []
    for item in missing:
        found = tr("found {0}").format(item.found) if item.found else tr("not installed")
        parts.append(f"{item.requirement.distribution} ≥ {item.requirement.minimum}（{found}）")
    return tr(", ").join(parts)


def explanation(missing) -> str:
    return tr("This algorithm needs Python packages that this QGIS does not have: {0}. "
              "Install them from the menu Plugins ▸ Land Consolidation ▸ Install Python "
              "packages…, then restart QGIS.").format(missing_text(missing))


class UnavailableAlgorithm(QgsProcessingAlgorithm):
    def __init__(self, entry, message: str):
        super().__init__()
        self._entry, self._message = entry, message

    def name(self):
        return self._entry.name

    def displayName(self):  # noqa: N802
        return tr("{0} (needs Python packages)").format(titles()[self._entry.name])

    def group(self):
        return group_titles()[self._entry.group_id]

    def groupId(self):  # noqa: N802
        return self._entry.group_id

    def icon(self):
        return QIcon(self._entry.icon_path)

    def svgIconPath(self):  # noqa: N802
        return self._entry.icon_path

    def shortHelpString(self):  # noqa: N802
        return self._message

    def shortDescription(self):  # noqa: N802
        return self._message

    def canExecute(self):  # noqa: N802
        return False, self._message

    def flags(self):
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagHideFromModeler

    def initAlgorithm(self, config=None):  # noqa: N802
        pass

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        raise QgsProcessingException(self._message)

    def createInstance(self):  # noqa: N802
        return UnavailableAlgorithm(self._entry, self._message)


def placeholders(missing) -> list:
    message = explanation(missing)
    return [UnavailableAlgorithm(entry, message) for entry in ALGORITHMS]
