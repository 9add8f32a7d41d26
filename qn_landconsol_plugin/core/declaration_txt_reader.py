"""Reading a declaration TXT (报部格式, REFERENCE §5) as it comes from the field: its
bytes decoded in a documented order, its lines parsed into 地块 and rings, every
problem a finding naming its line (declaration_txt_findings); the geometry checks
and repairs follow in declaration_txt_checks.

Encodings, in this order: a byte order mark (UTF-8, UTF-32, UTF-16); UTF-16 without
one (told by its NUL bytes); else a file with NUL or other control bytes is not text;
else strict UTF-8 and strict GB18030 (GBK's superset): when both decode, the one in
which more of the section names [属性描述]/[地块坐标] appear wins, else UTF-8; when
neither decodes, the one with fewer undecodable lines, each of them reported.

Hand-edited lines: mixed CRLF/LF/CR, tabs and spaces around fields, blank lines,
full-width punctuation and digits (，＝【】０-９．－, read as ASCII with a warning),
tab-separated lines, fields in double quotes and empty fields after Y (a spreadsheet's
save), a DOS end-of-file mark (Ctrl-Z, ignored).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .declaration_txt import (
    ATTRIBUTE_SECTION,
    COORDINATE_SECTION,
    HEADER_KEYS,
    PARCEL_EXTRA_FIELDS,
    PARCEL_TEXT_FIELDS,
    TxtHeader,
    TxtParcel,
)
from .declaration_txt_findings import ERROR, INFO, WARNING, issue
from .cancel import Canceled

_LINE_BREAK = re.compile(r"\r\n|\r|\n")   # what editors break lines at (not \v, \f, \x85…)
_STRUCTURE = str.maketrans({"，": ",", "＝": "=", "【": "[", "】": "]", "［": "[", "］": "]",
                            "＠": "@", "\u3000": " "})
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# a point line as the format writes it (the common case, read without the general path)
_PLAIN_POINT = re.compile(r"([^,\"\t]*?)[ \t]*,[ \t]*([1-9][0-9]*)[ \t]*,[ \t]*([+-]?[0-9]+(?:\.[0-9]*)?)"
                          r"[ \t]*,[ \t]*([+-]?[0-9]+(?:\.[0-9]*)?)")
_AREA_SUFFIX = re.compile(r"\s*(公顷|ha|hm2|hm²)\s*$", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13, 26)) + b"\x7f"
_SECTION_NAMES = (ATTRIBUTE_SECTION, COORDINATE_SECTION)
NOT_TEXT_SHARE = 0.2      # undecodable lines above this share: not a text file at all
# control bytes (not tab, CR, LF, Ctrl-Z) above this count and share of the first 64 KB:
# a binary file (fewer: the lines holding them are reported)
BINARY_CONTROL_BYTES, BINARY_SHARE = 8, 0.01


# ---------------------------------------------------------------------------
# bytes -> text
# ---------------------------------------------------------------------------

def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _lines_with_replacements(text: str) -> list:
    return [n for n, line in enumerate(_LINE_BREAK.split(text), start=1) if "\ufffd" in line]


def _utf16_order(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NUL bytes fall on one parity (ASCII text in
    UTF-16), None otherwise."""
    sample = data[:65536]
    half = len(sample) // 2
    if half < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) >= 0.2 * half and min(even, odd) <= 0.05 * max(even, odd):
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


def _decode_as(data: bytes, codec: str, name: str, issues: list) -> str:
    """Strict decode, else with replacements and a BAD_BYTES finding per line."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        for line in _lines_with_replacements(text):
            issues.append(issue(line, ERROR, "BAD_BYTES", action="replaced", encoding=name))
        return text


def _too_damaged(text: str, bad: int, issues: list) -> bool:
    lines = max(1, len(_LINE_BREAK.split(text)))
    if bad > NOT_TEXT_SHARE * lines:
        issues[:] = [issue(0, ERROR, "NOT_TEXT", bad=bad, lines=lines)]
        return True
    return False


@dataclass
class Decoded:
    """A declaration file's bytes decoded: its text ('' when the bytes are no text: a
    fatal finding says why), the encoding used and why (an INFO finding), and the
    problems of the bytes, each at its line."""
    text: str
    encoding: str
    note: object = None
    issues: list = field(default_factory=list)


def decode_bytes(data: bytes) -> Decoded:
    """The text of a declaration file's bytes, in the order of the module docstring."""
    issues = []
    boms = ((b"\xef\xbb\xbf", "utf-8", "UTF-8-BOM"), (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
            (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"), (b"\xff\xfe", "utf-16-le", "UTF-16"),
            (b"\xfe\xff", "utf-16-be", "UTF-16"))
    for bom, codec, name in boms:
        if data.startswith(bom):
            body = data[len(bom):]
            width = 4 if name == "UTF-32" else 2 if name == "UTF-16" else 1
            if len(body) % width:
                body = body[:len(body) - len(body) % width]
                issues.append(issue(-1, ERROR, "ODD_UTF16", action="ignored"))
            note = issue(0, INFO, "ENCODING_BOM", encoding=name)
            return _finish(_decode_as(body, codec, name, issues), name, note, issues)
    if not data.strip(b" \t\r\n\x1a\x00"):
        return Decoded("", "", None, [issue(0, ERROR, "EMPTY")])
    order = _utf16_order(data)
    if order:
        body = data
        if len(body) % 2:
            body = body[:-1]
            issues.append(issue(-1, ERROR, "ODD_UTF16", action="ignored"))
        text = body.decode(order, errors="replace")
        controls = len(_CONTROL.findall(text[:32768]))
        if controls > max(BINARY_CONTROL_BYTES, BINARY_SHARE * min(len(text), 32768)):
            first = _CONTROL.search(text).start()
            return Decoded("", "", None, [issue(text.count("\n", 0, first) + 1, ERROR, "BINARY",
                                                byte=f"0x{ord(text[first]):02X}",
                                                offset=2 * first + 1)])
        note = issue(0, INFO, "ENCODING_UTF16", order=order[-2:].upper())
        return _finish(_decode_as(body, order, "UTF-16", issues), "UTF-16", note, issues)
    stripped = data.rstrip(b"\x00")
    if len(stripped) < len(data):
        issues.append(issue(-1, ERROR, "TRAILING_NUL", action="ignored",
                            n=len(data) - len(stripped)))
        data = stripped
    sample = data[:65536]
    count = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if count > max(BINARY_CONTROL_BYTES, BINARY_SHARE * len(sample)):
        first = min(i for i in (data.find(bytes([b])) for b in _CONTROL_BYTES) if i >= 0)
        return Decoded("", "", None, [issue(_line_of_offset(data, first), ERROR, "BINARY",
                                            byte=f"0x{data[first]:02X}", offset=first + 1)])
    candidates = {}
    for codec, name in (("utf-8", "UTF-8"), ("gb18030", "GBK")):
        try:
            candidates[name] = data.decode(codec)
        except UnicodeDecodeError:
            pass
    if len(candidates) == 2:
        found = {n: sum(s in t for s in _SECTION_NAMES) for n, t in candidates.items()}
        if found["UTF-8"] != found["GBK"]:
            name = max(found, key=found.get)
            note = issue(0, INFO, "ENCODING_BOTH_SECTIONS", encoding=name)
        else:
            name = "UTF-8"
            note = issue(0, INFO, "ENCODING_BOTH_FIRST")
        return _finish(candidates[name], name, note, issues)
    if candidates:
        name, text = next(iter(candidates.items()))
        note = issue(0, INFO, "ENCODING_UTF8" if name == "UTF-8" else "ENCODING_GBK")
        return _finish(text, name, note, issues)
    tries = []
    for codec, name in (("utf-8", "UTF-8"), ("gb18030", "GBK")):
        text = data.decode(codec, errors="replace")
        tries.append((len(_lines_with_replacements(text)), name, codec, text))
    bad, name, codec, text = min(tries, key=lambda t: t[0])
    if _too_damaged(text, bad, issues):
        return Decoded("", "", None, issues)
    note = issue(0, INFO, "ENCODING_DAMAGED", encoding=name, bad=bad)
    text = _decode_as(data, codec, name, issues)
    return _finish(text, name, note, issues)


def _finish(text: str, name: str, note, issues: list) -> Decoded:
    """Text without a leading BOM character or trailing DOS end-of-file marks; findings
    placed at -1 (the last line) get its number; a text with nothing in it is EMPTY."""
    text = text.lstrip("\ufeff").rstrip("\x1a")
    if not text.strip(" \t\r\n\x00"):
        return Decoded("", name, note, [issue(0, ERROR, "EMPTY")])
    replaced = sum(1 for i in issues if i.code == "BAD_BYTES")
    if replaced and _too_damaged(text, replaced, issues):
        return Decoded("", name, note, issues)
    if any(i.line == -1 for i in issues):
        last = len(_LINE_BREAK.split(text.rstrip("\r\n")))
        for i in issues:
            if i.line == -1:
                i.line = last
    return Decoded(text, name, note, issues)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a declaration file's bytes (see decode_bytes)."""
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


# ---------------------------------------------------------------------------
# text -> 地块 and rings
# ---------------------------------------------------------------------------

def _shown(text: str, limit: int = 60) -> str:
    """A line for a message: control characters made visible, cut to `limit`."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _number(token: str):
    """(value, full-width seen, exponent seen) of a number field; value None when the
    field is no finite decimal number (nan, inf, 1_000, Chinese punctuation…)."""
    wide = unicodedata.normalize("NFKC", token)
    if not _NUMBER.fullmatch(wide):
        return None, False, False
    value = float(wide)
    if value != value or value in (float("inf"), float("-inf")):
        return None, False, False
    return value, wide != token, "e" in wide.lower()


def _first_only(state: dict, code: str, line: int, issues: list, **values):
    """A once-per-file warning (a tolerated variant), at its first line."""
    if code not in state:
        state[code] = line
        issues.append(issue(line, WARNING, code, **values))


def _split_fields(line: str, lineno: int, seen: dict, issues: list) -> list:
    if "," not in line and "\t" in line:
        _first_only(seen, "TAB_SEPARATED", lineno, issues)
        tokens = line.split("\t")
    else:
        tokens = line.split(",")
    tokens = [t.strip(" \t") for t in tokens]
    if any(len(t) >= 2 and t[0] == t[-1] == '"' for t in tokens):
        _first_only(seen, "QUOTED", lineno, issues)
        tokens = [t[1:-1].strip() if len(t) >= 2 and t[0] == t[-1] == '"' else t for t in tokens]
    return tokens


def parse_lines(text: str, cancel=None):
    """(header, parcels, raw points per parcel, findings, last line) of a declaration
    text. Raw points are (line, 点号, 圈号, a, b) with a, b the X, Y columns as written."""
    header = TxtHeader(precision="", version="", crs_name="", zone_width="",
                             projection="", units="", transform_params="")
    issues, parcels, raw = [], [], []
    seen = {}                       # once-per-file warnings: code -> first line
    section, sections_seen = None, set()
    attr_by_zh = dict(HEADER_KEYS)
    last = 0
    for lineno, source in enumerate(_LINE_BREAK.split(text), start=1):
        if lineno % 4096 == 0 and cancel is not None and cancel():
            raise Canceled()
        line = source.strip(" \t\ufeff")
        if not line:
            continue
        last = lineno
        if _CONTROL.search(line):
            issues.append(issue(lineno, ERROR, "CONTROL_CHARS", action="ignored",
                                text=_shown(line)))
            continue
        if section == COORDINATE_SECTION and parcels:
            m = _PLAIN_POINT.fullmatch(line)
            if m:
                raw[-1].append((lineno, m.group(1), int(m.group(2)), float(m.group(3)),
                                float(m.group(4))))
                continue
        if line[0] in "[【［" or section == COORDINATE_SECTION:   # not the header's Chinese text
            structural = line.translate(_STRUCTURE)
            if structural != line:
                _first_only(seen, "FULLWIDTH", lineno, issues)
                line = structural
        m = re.fullmatch(r"\[\s*(.+?)\s*\]", line)
        if m:
            section = m.group(1)
            if section in sections_seen and section in _SECTION_NAMES:
                issues.append(issue(lineno, ERROR, "DUPLICATE_SECTION", section=section))
            sections_seen.add(section)
            if section not in _SECTION_NAMES:
                if ATTRIBUTE_SECTION in sections_seen:
                    issues.append(issue(lineno, WARNING, "UNKNOWN_SECTION", section=section))
                else:
                    header.sections.setdefault(section, {})
            continue
        if section is None:
            issues.append(issue(lineno, WARNING, "TEXT_BEFORE_SECTION"))
            continue
        if section != COORDINATE_SECTION:
            _key_value(line, lineno, section, header, attr_by_zh, sections_seen, seen, issues)
            continue
        tokens = _split_fields(line, lineno, seen, issues)
        filled = list(tokens)
        while filled and filled[-1] == "":
            filled.pop()
        if filled and filled[-1] == "@":
            parcels.append(_parcel(filled[:-1], lineno, issues))
            raw.append([])
        elif len(filled) == 4:
            if len(tokens) > 4:
                _first_only(seen, "TRAILING_FIELDS", lineno, issues)
            _point(filled, lineno, parcels, raw, seen, issues)
        elif len(tokens) >= 8 and len(filled) > 4:
            issues.append(issue(lineno, WARNING, "NO_AT"))
            parcels.append(_parcel(tokens, lineno, issues))
            raw.append([])
        else:
            issues.append(issue(lineno, ERROR, "POINT_FIELDS", action="ignored", n=len(filled),
                                text=_shown(line)))
    if ATTRIBUTE_SECTION not in sections_seen:
        issues.append(issue(0, ERROR if not parcels else WARNING, "NO_ATTRIBUTES"))
    if COORDINATE_SECTION not in sections_seen:
        issues.append(issue(last, ERROR, "NO_COORDINATES", last=last))
    elif not parcels:
        issues.append(issue(0, ERROR, "NO_PARCELS"))
    return header, parcels, raw, issues, last


def _key_value(line, lineno, section, header, attr_by_zh, sections_seen, seen, issues):
    """One key=value line of [属性描述] (or of a section before it)."""
    if "=" in line:
        key, value = line.split("=", 1)
    else:
        m = re.match(r"([^＝：:]+)([＝：:])(.*)$", line)
        if not m:
            issues.append(issue(lineno, WARNING, "NOT_KEY_VALUE", text=_shown(line, 40)))
            return
        key, sep, value = m.groups()
        _first_only(seen, "KEY_SEPARATOR", lineno, issues, sep=sep)
    key, value = key.strip(), value.strip()
    if section != ATTRIBUTE_SECTION:
        if ATTRIBUTE_SECTION not in sections_seen:
            header.sections.setdefault(section, {})[key] = value
        return
    if key in header.lines:
        first, old = header.lines[key]
        if old != value:
            issues.append(issue(lineno, ERROR, "DUPLICATE_KEY", key=key, first=first, old=old,
                                new=value))
        return
    header.lines[key] = (lineno, value)
    attr = attr_by_zh.get(key)
    if attr == "zone":
        digits = unicodedata.normalize("NFKC", value)
        m = re.fullmatch(r"\s*([0-9]+)(?:\.0*)?\s*(?:带)?\s*", digits)
        if m:
            header.zone = int(m.group(1))
        else:
            issues.append(issue(lineno, ERROR, "ZONE_NOT_NUMBER", value=value))
    elif attr:
        setattr(header, attr, value)
    else:
        header.extra[key] = value


def _parcel(values, lineno, issues):
    """A 地块 from the fields of its header line (without the @)."""
    if len(values) not in (8, 8 + len(PARCEL_EXTRA_FIELDS)):
        issues.append(issue(lineno, WARNING, "FIELD_COUNT", n=len(values)))
    values = list(values) + [""] * max(0, 8 - len(values))
    count, _, _ = _number(values[0])
    if count is None or count != int(count) or count < 0:
        issues.append(issue(lineno, ERROR, "POINT_COUNT_NOT_WHOLE", value=values[0]))
        count = -1
    area_text = _AREA_SUFFIX.sub("", values[1]) if values[1] else ""
    area, _, _ = _number(area_text) if area_text else (None, False, False)
    if area is None:
        issues.append(issue(lineno, ERROR, "AREA_NOT_NUMBER", value=values[1]))
    parcel = TxtParcel(int(count), area, line=lineno)
    parcel.area_decimals = len(area_text.split(".")[1]) if area is not None and "." in area_text else 0
    for f, v in zip(PARCEL_TEXT_FIELDS, values[2:8]):
        setattr(parcel, f, v)
    if len(values) > 8:
        parcel.extra = dict(zip(PARCEL_EXTRA_FIELDS, values[8:]))
    return parcel


def _point(tokens, lineno, parcels, raw, seen, issues):
    """One point line 点号,圈号,X,Y into the raw points of the current 地块."""
    block = len(parcels) - 1
    if not parcels:
        issues.append(issue(lineno, ERROR, "POINT_BEFORE_PARCEL", action="ignored"))
        return
    ring_no, w1, e1 = _number(tokens[1])
    a, w2, e2 = _number(tokens[2])
    b, w3, e3 = _number(tokens[3])
    bad = [n for n, v in (("圈号", ring_no), ("X", a), ("Y", b)) if v is None]
    if bad:
        issues.append(issue(lineno, ERROR, "NOT_NUMBER", parcel=block, action="ignored",
                            names="/".join(bad), text=_shown(",".join(tokens))))
        return
    if w1 or w2 or w3:
        _first_only(seen, "FULLWIDTH", lineno, issues)
    if ring_no != int(ring_no) or ring_no < 1:
        issues.append(issue(lineno, ERROR, "RING_NUMBER", parcel=block, action="ignored",
                            value=tokens[1]))
        return
    if e2 or e3:
        names = "/".join(n for n, e in (("X", e2), ("Y", e3)) if e)
        issues.append(issue(lineno, ERROR, "EXPONENT", parcel=block, action="flagged",
                            names=names, text=_shown(",".join(tokens))))
    raw[block].append((lineno, tokens[0], int(ring_no), a, b))
