"""Messages as data: a core function reports what it found as a code and values (a
Finding); the layer above turns it into text. For the log, the English template is
translated with tr() (core cannot call Qt: `translatable` only marks templates for
tools/update_ts.py, like Qt's QT_TRANSLATE_NOOP). For documents in Chinese (the
declaration GeoPackage's check table, the HTML reports, the survey workbook) a finding
also carries its Chinese template, whatever the language of QGIS.

A module keeps its wordings in one catalogue {code: Wording(English, Chinese)} and makes
its findings with `finding(catalogue, level, code, **values)`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

ERROR, WARNING, INFO = "error", "warning", "info"


def translatable(text: str) -> str:
    """Mark an English message template for translation; returns it unchanged."""
    return text


class Wording(NamedTuple):
    """The two wordings of one message; {placeholders} are the finding's values."""
    en: str     # source string of the log, translated with tr()
    zh: str     # the Chinese documents' text (report, workbook, output tables)


@dataclass
class Finding:
    level: str                   # ERROR, WARNING or INFO
    code: str                    # what was found, e.g. 'SELF_OVERLAP'
    values: dict = field(default_factory=dict)
    template: str = ""           # English, marked translatable
    template_zh: str = ""        # Chinese, for documents ('' when there are none)

    def text(self, translate=None, **values) -> str:
        """The message for the log: `translate` (tr) applied to the English template,
        filled with the finding's values (`values` replace some, e.g. a translated name)."""
        template = translate(self.template) if translate is not None else self.template
        return template.format(**{**self.values, **values})

    @property
    def message(self) -> str:
        """The message of documents: Chinese when the finding has it, else English."""
        return (self.template_zh or self.template).format(**self.values)

    def zh(self) -> str:
        return self.message


def finding(catalogue: dict, level: str, code: str, **values) -> Finding:
    """A Finding of `code` from a module's catalogue {code: Wording(English, Chinese)}."""
    template, template_zh = catalogue[code]
    return Finding(level, code, values, template, template_zh)


def zh(message) -> str:
    """Chinese text of a Finding; a plain string is returned as it is."""
    return message.zh() if isinstance(message, Finding) else str(message)
