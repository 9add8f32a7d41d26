"""The algorithms' help pages for the plugin zip: docs/*.md (and README.md) as self-contained
HTML files with the images they show, so "Help" in an algorithm's dialog opens a page in the
browser, offline (algorithms/catalogue.py: help_page). make package calls it.

The Markdown is the small part of it the docs use: headings, paragraphs, '-' lists, pipe
tables, fenced code, images, links, **bold** and `code` (no new dependency for packaging).
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from qn_landconsol_plugin.core.fonts import CJK_FONTS  # noqa: E402

PAGES = {"README.md": "readme.html"}   # other docs/<name>.md -> <name>.html
_CSS = ("body{font-family:%s,sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;"
        "line-height:1.6;color:#222}table{border-collapse:collapse;margin:8px 0 16px}"
        "th,td{border:1px solid #bbb;padding:3px 8px;vertical-align:top}th{background:#eef3f8}"
        "code{background:#f3f3f3;padding:0 3px}pre{background:#f6f6f6;padding:8px;"
        "overflow:auto}img{max-width:100%%;border:1px solid #ccc}h1{border-bottom:3px solid "
        "#2c7fb8}h2{border-left:5px solid #2c7fb8;padding-left:8px}")


def inline(text: str) -> str:
    """Escaped text with `code`, images, links (.md -> .html) and **bold**."""
    codes = []

    def keep(match):
        codes.append(f"<code>{html.escape(match.group(1))}</code>")
        return f"\0{len(codes) - 1}\0"

    text = html.escape(re.sub(r"`([^`]+)`", keep, text), quote=False)
    text = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", r'<img alt="\1" src="\2">', text)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+?)\.md(#[^)]*)?\)", lambda m: (
        f'<a href="{_page_name(m.group(2))}{m.group(3) or ""}">{m.group(1)}</a>'), text)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub("\0(\\d+)\0", lambda m: codes[int(m.group(1))], text)


def _page_name(link: str) -> str:
    name = link.rsplit("/", 1)[-1] + ".md"
    return PAGES.get(name, name[:-3] + ".html")


def _join(lines) -> str:
    """Lines of one paragraph: a line break between two Chinese characters is no space."""
    text = ""
    for line in lines:
        wide = text and ord(text[-1]) > 0x2E80 and ord(line[0]) > 0x2E80
        text += ("" if not text or wide else " ") + line
    return text


def _cells(line: str) -> list:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def to_html(markdown: str) -> str:
    """The body (block elements) of a Markdown text."""
    out, para, items = [], [], []
    lines = markdown.splitlines()

    def flush():
        if para:
            out.append(f"<p>{inline(_join(para))}</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        heading = re.match(r"(#{1,6})\s+(.*)", stripped)
        is_table = (stripped.startswith("|") and i + 1 < len(lines)
                    and re.fullmatch(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?", lines[i + 1].strip()))
        if not stripped:
            flush()
        elif stripped.startswith("```"):
            flush()
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith("```")),
                       len(lines))
            out.append("<pre><code>" + html.escape("\n".join(lines[i + 1:end])) + "</code></pre>")
            i = end
        elif heading:
            flush()
            level = len(heading.group(1))
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif is_table:
            flush()
            rows = [_cells(line)]
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            head = "".join(f"<th>{inline(c)}</th>" for c in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>"
                           for r in rows[1:])
            out.append(f"<table><tr>{head}</tr>{body}</table>")
            continue
        elif re.match(r"[-*+]\s+", stripped):
            if para:
                flush()
            items.append(re.sub(r"^[-*+]\s+", "", stripped))
        elif items:   # a list item's continuation line
            items[-1] = _join([items[-1], stripped])
        else:
            para.append(stripped)
        i += 1
    flush()
    return "\n".join(out)


def page(markdown: str) -> str:
    title = next((re.sub(r"[`*]", "", line.lstrip("# ")) for line in markdown.splitlines()
                  if line.startswith("# ")), "Help")
    fonts = ",".join(f'"{f.family}"' for f in CJK_FONTS)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_CSS % fonts}</style></head>"
            f"<body>\n{to_html(markdown)}\n</body></html>\n")


def help_files() -> dict:
    """{path inside the plugin folder ('help/x.html', 'help/images/y.png'): bytes}."""
    files = {}
    sources = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    for source in sources:
        text = source.read_text(encoding="utf-8")

        def image(match):   # every image beside the pages, in help/images/
            found = (source.parent / match.group(2)).resolve()
            if not found.is_file():
                return match.group(0)
            files[f"help/images/{found.name}"] = found.read_bytes()
            return f"![{match.group(1)}](images/{found.name})"

        text = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", image, text)
        files[f"help/{PAGES.get(source.name, source.stem + '.html')}"] = page(text).encode("utf-8")
    return files


if __name__ == "__main__":   # write them into a folder, to look at
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "help-output")
    for rel, data in help_files().items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_bytes(data)
    print(f"wrote {len(help_files())} files into {target}")
