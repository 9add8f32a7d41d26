"""Collect the plugin's translatable strings and merge them into the .ts file.

    python tools/update_ts.py            # add new strings (unfinished), drop vanished ones
    python tools/update_ts.py --check    # exit 1 when a string lacks a finished translation
    python tools/update_ts.py --import OTHER.ts   # also take the finished translations of
                                                  # another .ts (e.g. the other side of a merge)

Strings are the literal first arguments of tr(...)/self.tr(...) in the Python
sources and of core.messages.translatable(...) (the English templates of the core's
findings, translated by the layer above), context QnLandConsol, and the <string>
texts of the .ui files (context: the form's class name, as uic's retranslateUi asks
for them).
"""
from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "qn_landconsol_plugin"
TS_FILE = PLUGIN / "i18n" / "qn_landconsol_zh_CN.ts"
CONTEXT = "QnLandConsol"


def python_strings(path: Path) -> set:
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        first = node.args[0]
        if name in ("tr", "translatable") and isinstance(first, ast.Constant) \
                and isinstance(first.value, str):
            found.add(first.value)
    return found


def ui_strings(path: Path):
    tree = ET.parse(path)
    context = tree.getroot().findtext("class")
    texts = set()
    for element in tree.iter("string"):
        if element.text and element.get("notr") != "true":
            texts.add(element.text)
    return context, texts


def source_strings() -> dict:
    contexts = {CONTEXT: set()}
    for path in sorted(PLUGIN.rglob("*.py")):
        if "resources_rc" not in path.name:
            contexts[CONTEXT] |= python_strings(path)
    for path in sorted(PLUGIN.rglob("*.ui")):
        context, texts = ui_strings(path)
        contexts.setdefault(context, set()).update(texts)
    return contexts


def read_ts(path: Path) -> dict:
    """{(context, source): translation or None if unfinished}"""
    if not path.exists():
        return {}
    result = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            done = tr is not None and tr.get("type") not in ("unfinished", "obsolete") and tr.text
            result[(name, msg.findtext("source"))] = tr.text if done else None
    return result


def write_ts(path: Path, contexts: dict, known: dict):
    root = ET.Element("TS", version="2.1", language="zh_CN", sourcelanguage="en")
    for name in sorted(contexts):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for source in sorted(contexts[name]):
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = source
            translation = known.get((name, source))
            tr = ET.SubElement(msg, "translation")
            if translation:
                tr.text = translation
            else:
                tr.set("type", "unfinished")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def missing_translations() -> list:
    known = read_ts(TS_FILE)
    return [(c, s) for c, strings in source_strings().items() for s in sorted(strings)
            if not known.get((c, s))]


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="list untranslated strings, exit 1 if any; write nothing")
    parser.add_argument("--import", dest="imports", action="append", default=[],
                        help="another .ts whose finished translations are merged in")
    args = parser.parse_args(argv)
    if args.check:
        missing = missing_translations()
        for context, source in missing:
            print(f"untranslated [{context}] {source}")
        return 1 if missing else 0
    known = {}
    for other in args.imports:
        known.update({k: v for k, v in read_ts(Path(other)).items() if v})
    known.update({k: v for k, v in read_ts(TS_FILE).items() if v})
    write_ts(TS_FILE, source_strings(), known)
    print(f"wrote {TS_FILE}; untranslated: {len(missing_translations())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
