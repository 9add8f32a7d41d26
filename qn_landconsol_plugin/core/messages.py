"""Messages as data: core returns a `Message` (a code and its values) and the caller
turns it into text, Chinese for the documents (`zh`), the user's language for the
Processing log (`text(message, tr)`). Each catalogue is a dict code -> `Wording`.

English source strings are marked with `translatable(...)` so tools/update_ts.py
collects them for the .ts file, as it collects tr("...") literals; core never
imports Qt.
"""
from __future__ import annotations

from dataclasses import dataclass, field


def translatable(text: str) -> str:
    """Marks an English source string for translation (QT_TR_NOOP); returns it unchanged."""
    return text


@dataclass(frozen=True)
class Wording:
    """The two wordings of one message; {placeholders} are the message's values."""
    en: str     # source string of the log, translated with tr()
    zh: str     # the Chinese documents' text (report, workbook, output tables)


@dataclass(frozen=True)
class Message:
    """What core found: a catalogue code and the values its wording needs."""
    code: str
    values: dict = field(default_factory=dict)
    catalogue: dict = field(default_factory=dict, compare=False, repr=False)

    def zh(self) -> str:
        return self.catalogue[self.code].zh.format(**self.values)

    def text(self, translate) -> str:
        """The English wording through `translate` (tr), filled with the values."""
        return translate(self.catalogue[self.code].en).format(**self.values)


def zh(message) -> str:
    """Chinese text of a Message; a plain string is returned as it is."""
    return message.zh() if isinstance(message, Message) else str(message)
