"""The zh_CN translation reads as Chinese (issue 17 item 11): sentences end with Chinese
punctuation, never an ASCII '.', '!' or '?', and no parameter name carries its own
'optional' marker, which QGIS doubles with its ' [可选]'."""
import re
import xml.etree.ElementTree as ET

from ..conftest import ROOT

TS = ROOT / "qn_landconsol_plugin" / "i18n" / "qn_landconsol_zh_CN.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
# an ASCII full stop, exclamation or question mark closing a sentence: after a word or a
# closing bracket/quote (not between digits: 0.85; not a file suffix: _范围.txt)
ASCII_END = re.compile(r"[^\s\d][.!?](?=\s|$)")
OPTIONAL = re.compile(r"[（(]\s*可选|可选\s*[）)]|\[可选\]|\(optional|optional\)", re.IGNORECASE)


def messages():
    root = ET.parse(TS).getroot()
    return [(m.findtext("source") or "", m.findtext("translation") or "")
            for m in root.iter("message")]


def test_chinese_translations_end_their_sentences_with_chinese_punctuation():
    wrong = [t for _, t in messages() if CJK.search(t) and ASCII_END.search(t)]
    assert wrong == []


def test_the_check_finds_an_ascii_full_stop_after_chinese_text():
    assert ASCII_END.search("图层没有字段 DLBM.")
    assert ASCII_END.search("请先标注图斑. 然后导出")
    assert not ASCII_END.search("TBMJ × 0.85，写入 <XMBH>_范围.txt。")


def test_no_text_marks_itself_optional():
    wrong = [(s, t) for s, t in messages() if OPTIONAL.search(s) or OPTIONAL.search(t)]
    assert wrong == []
    assert OPTIONAL.search("生态保护红线（可选，用于检查）")
