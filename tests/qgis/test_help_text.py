"""Help and parameter texts as QGIS shows them (issue 17 items 8 and 11): the help is HTML
in Processing's dialog, so '<XMBH>' must be escaped to be seen; an optional parameter's
name says nothing of being optional (QGIS adds ' [optional]' / ' [可选]' itself); both in
English and in the zh_CN translation."""
import re

import pytest
from qgis.core import QgsApplication, QgsProcessingParameterDefinition
from qgis.PyQt.QtGui import QTextDocument

from .test_dock_layout import language  # noqa: F401  (fixture: en, zh_CN)

TAG = re.compile(r"<[^<>\n]+>")


def algorithms():
    return [alg for alg in QgsApplication.processingRegistry().algorithms()
            if alg.provider() is not None and alg.provider().id() == "qnlandconsol"]


def rendered(html: str) -> str:
    """The text Processing's help panel shows for `html` (a QTextBrowser's document)."""
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_every_help_text_renders_with_its_angle_brackets(provider, language):  # noqa: F811
    algs = [QgsApplication.processingRegistry().createAlgorithmById(a.id()) for a in algorithms()]
    assert len(algs) >= 9
    for alg in algs:
        text = alg.help_text()
        shown = rendered(alg.shortHelpString())
        for tag in TAG.findall(text):
            assert tag in shown, (alg.id(), tag)
        # nothing is lost but the markup: the words of the plain text are all shown
        assert re.sub(r"\s+", "", text) == re.sub(r"\s+", "", shown), alg.id()
    export = QgsApplication.processingRegistry().createAlgorithmById(
        "qnlandconsol:exportdeclaration")
    shown = rendered(export.shortHelpString())
    for name in ("<XMBH>_范围.txt", "<XMBH>.gpkg", "<XMBH>_项目区范围图.pdf",
                 "<XMBH>_地类统计表.xlsx"):
        assert name in shown


def test_no_optional_parameter_says_it_is_optional(provider, language):  # noqa: F811
    said = []
    for listed in algorithms():
        alg = QgsApplication.processingRegistry().createAlgorithmById(listed.id())
        for param in alg.parameterDefinitions():
            if param.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional and \
                    re.search(r"optional|可选", param.description(), re.IGNORECASE):
                said.append((alg.id(), param.name(), param.description()))
    assert said == []
