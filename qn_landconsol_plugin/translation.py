"""Translation helpers: English source strings, zh_CN from i18n/*.qm.

All user-facing text goes through `tr()` with the one context below, so
`tools/update_ts.py` finds it and the .ts file stays complete.
"""
import os

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

CONTEXT = "QnLandConsol"
_I18N_DIR = os.path.join(os.path.dirname(__file__), "i18n")
_translator = None


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def plugin_locale() -> str:
    """'zh_CN' for any Chinese QGIS locale (zh, zh_CN, zh-Hans, zh_TW...), else the
    QGIS locale's language."""
    settings = QSettings()
    name = ""
    if settings.value("locale/overrideFlag", False, type=bool):
        name = settings.value("locale/userLocale", "") or ""
    if not name:
        name = settings.value("locale/userLocale", "") or QLocale().name()
    return "zh_CN" if str(name).lower().startswith("zh") else str(name)[:2]


def install_translator() -> bool:
    """Load the .qm for the QGIS locale once per process; True when one was loaded."""
    global _translator
    if _translator is not None:
        return True
    qm = os.path.join(_I18N_DIR, f"qn_landconsol_{plugin_locale()}.qm")
    if not os.path.exists(qm):
        return False
    translator = QTranslator()
    if translator.load(qm):
        QCoreApplication.installTranslator(translator)
        _translator = translator
        return True
    return False
