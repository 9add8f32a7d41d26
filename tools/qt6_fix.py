"""The rewriting half of tools/qt6_check.py: text edits at ast positions, the imports a fix
needs (added to an existing statement of the same module when there is one, else a new line
beside the others) and the ones it leaves unused, and new rows of compat.py's ENUMS table."""
from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from dataclasses import dataclass

MAX_LINE = 99
UI_SCOPED = re.compile(r"(\w+)::\w+::(\w+)")   # QFrame::Shape::NoFrame


@dataclass(frozen=True)
class Edit:
    start: int   # character offsets in the file
    end: int
    text: str


class Source:
    """A module's text and its ast, with ast positions (UTF-8 byte columns) as offsets."""

    def __init__(self, text: str):
        self.text = text
        self.tree = ast.parse(text)
        self.lines = text.splitlines(keepends=True)
        self.line_start = [0]
        for line in self.lines:
            self.line_start.append(self.line_start[-1] + len(line))

    def offset(self, line: int, col: int) -> int:
        return self.line_start[line - 1] + len(self.lines[line - 1].encode("utf-8")[:col]
                                                .decode("utf-8"))

    def span(self, node) -> tuple:
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def segment(self, node) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def whole_lines(self, node) -> tuple:
        return self.line_start[node.lineno - 1], self.line_start[node.end_lineno]


def apply(text: str, edits) -> str:
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def _sort_key(name: str):
    """isort's order_by_type: CONSTANTS, Classes, functions."""
    return (0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2), name


def render_import(module: str, names: list, multiline: bool) -> str:
    """`from X import a, b` on one line when it fits and was one line, else one name a line."""
    items = [f"{n} as {a}" if a else n for n, a in names]
    one = f"from {module} import {', '.join(items)}"
    if not multiline and len(one) <= MAX_LINE:
        return one
    return f"from {module} import (\n" + "".join(f"    {i},\n" for i in items) + ")"


def module_text(node: ast.ImportFrom) -> str:
    return "." * node.level + (node.module or "")


def compat_module(package_path) -> str:
    """How a module at `package_path` (['algorithms', 'base'], None outside the plugin) names
    the package holding compat."""
    if package_path is None:
        return "qn_landconsol_plugin.qgis_io"
    if package_path[:1] == ["qgis_io"] and len(package_path) == 2:
        return "."
    return "." * len(package_path) + "qgis_io"


def wanted_imports(needed: set, package_path) -> dict:
    """{(scope line, module text): names} of `needed` ({('qgis.core', 'Qgis', None),
    ('compat', None, 52), ('compat', 'QAction', None)}): scope line None for the module's
    imports, else the line of the function-level import the new one goes beside."""
    holder = compat_module(package_path)
    wanted = {}
    for module, name, scope in needed:
        if module == "compat" and name is None:
            module, name = holder, "compat"
        elif module == "compat":
            module = f"{holder}compat" if holder == "." else f"{holder}.compat"
        wanted.setdefault((scope, module), set()).add(name)
    return wanted


def _scopes(tree) -> dict:
    """{id(import statement): the function it is in (None: the module)}."""
    found = {id(n): None for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))}
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    found[id(node)] = func
    return found


def _names_read(node) -> set:
    read = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return read | {n.value for n in ast.walk(node)   # names listed in __all__
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and n.value.isidentifier()}


def fix_imports(text: str, package_path, needed: set, maybe_unused: set,
                moved_away: set) -> str:
    """The imports after a fix: the names `needed` added (to a statement of the same module
    in the same scope when there is one), the names of `moved_away` (now imported from compat)
    and of `maybe_unused` that nothing in their scope reads any more dropped."""
    src = Source(text)
    scopes = _scopes(src.tree)
    statements = [n for n in ast.walk(src.tree) if id(n) in scopes]
    anchors = {n.end_lineno: scopes[id(n)] for n in statements}
    read = {None: _names_read(src.tree)}
    bound = {}
    for node in statements:
        scope = scopes[id(node)]
        read.setdefault(scope, _names_read(scope) if scope else read[None])
        bound.setdefault(scope, set()).update(a.asname or a.name.split(".")[0]
                                              for a in node.names)
    wanted = {}
    for (line, module), names in wanted_imports(needed, package_path).items():
        scope = anchors.get(line) if line is not None else None
        drop = (moved_away if scope is None else set())
        names = names - (bound.get(scope, set()) - drop)
        if names:
            wanted.setdefault((id(scope), module), [line, set()])[1].update(names)
    edits, merged = [], set()
    for node in statements:
        if not isinstance(node, ast.ImportFrom):
            continue
        scope = scopes[id(node)]
        drop = {n for n in maybe_unused if n not in read[scope]}
        drop |= set(moved_away) if scope is None else set()
        key = (id(scope), module_text(node))
        names = [(a.name, a.asname) for a in node.names]
        keep = [(n, a) for n, a in names if (a or n) not in drop]
        add = set()
        if key in wanted and key not in merged:
            add = wanted[key][1] - {a or n for n, a in keep}
            merged.add(key)
        if keep == names and not add:
            continue
        if not keep and not add:
            edits.append(Edit(*_statement_lines(src, node, scope is None), ""))
            continue
        in_order = [n for n, _a in keep] == sorted((n for n, _a in keep), key=_sort_key)
        names = keep + [(n, None) for n in sorted(add, key=_sort_key)]
        if in_order:
            names.sort(key=lambda na: _sort_key(na[0]))
        start, end = src.span(node)
        indent = " " * node.col_offset
        rendered = render_import(key[1], names, node.end_lineno > node.lineno)
        edits.append(Edit(start, end, rendered.replace("\n", "\n" + indent)))
    for (scope_id, module), (line, names) in wanted.items():
        if (scope_id, module) in merged or line is None or anchors.get(line) is None:
            continue   # top-level ones are inserted below
        anchor = next(n for n in statements if n.end_lineno == line)
        at = src.line_start[line]
        edits.append(Edit(at, at, " " * anchor.col_offset + render_import(
            module, [(n, None) for n in sorted(names, key=_sort_key)], False) + "\n"))
    text = apply(text, edits)
    new = [render_import(module, [(n, None) for n in sorted(names, key=_sort_key)], False)
           for (scope_id, module), (line, names) in sorted(wanted.items(), key=lambda kv: kv[0][1])
           if scope_id == id(None) and (scope_id, module) not in merged]
    return insert_imports(text, new) if new else text


def _statement_lines(src: Source, node, top_level: bool) -> tuple:
    """(start, end) of the whole lines of a statement, with the blank line after a top-level
    one that stood alone between blank lines (or at the top)."""
    start, end = src.whole_lines(node)
    blank = lambda i: 0 <= i < len(src.lines) and not src.lines[i].strip()  # noqa: E731
    if top_level and (node.lineno == 1 or blank(node.lineno - 2)) and blank(node.end_lineno):
        end = src.line_start[node.end_lineno + 1]
    return start, end


def insert_imports(text: str, statements: list) -> str:
    """New top-level import lines: an absolute one after the last qgis import (else the last
    absolute import), a relative one after the last relative import (else the last import)."""
    for statement in statements:
        tree = ast.parse(text)
        imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        relative = [n for n in imports if isinstance(n, ast.ImportFrom) and n.level > 0]
        absolute = [n for n in imports if n not in relative]
        line = statement + "\n"
        if statement.startswith("from .") and relative:
            key = _relative_key(statement.split()[1])
            before = [n for n in relative if _relative_key(module_text(n)) <= key]
            at = before[-1].end_lineno if before else relative[0].lineno - 1
        elif statement.startswith("from .") and imports:   # the first relative import
            at, line = imports[-1].end_lineno, "\n" + line
        else:   # beside the imports of the same package (qn_landconsol_plugin, qgis)
            module = statement.split()[1]
            same = [n for n in absolute if _top_package(n) == module.split(".")[0]]
            before = [n for n in same if isinstance(n, ast.ImportFrom) and n.module <= module]
            if before or not same:
                anchors = before or [n for n in absolute if _top_package(n) == "qgis"] or imports
                at = max((n.end_lineno for n in anchors), default=_after_docstring(tree))
            else:
                at = same[0].lineno - 1
        lines = text.splitlines(keepends=True)
        if not imports:   # the first import: set apart from what follows
            after = lines[at] if at < len(lines) else ""
            if after.strip():
                line += "\n\n" if after.startswith(("def ", "class ", "@", "async ")) else "\n"
        lines.insert(at, line)
        text = "".join(lines)
    return text


def _top_package(node) -> str:
    name = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
    return (name or "").split(".")[0]


def _relative_key(module: str) -> tuple:
    """isort's order of relative imports: `..x` before `.x`, then by name."""
    level = len(module) - len(module.lstrip("."))
    return -level, module.lstrip(".")


def _after_docstring(tree) -> int:
    at = 0
    for node in tree.body:
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) or (
                isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            at = node.end_lineno
        else:
            break
    return at


def add_enum_rows(compat_text: str, rows: dict) -> str:
    """compat.py with `rows` added to its ENUMS table (sorted, one row a line)."""
    tree = ast.parse(compat_text)
    node = next(n for n in tree.body if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "ENUMS" for t in n.targets))
    table = dict(ast.literal_eval(node.value))
    table.update(rows)
    body = ""
    for new, old in sorted(table.items()):
        row = f"    {json.dumps(new)}: {json.dumps(old)},"
        body += (row if len(row) <= MAX_LINE
                 else f"    {json.dumps(new)}:\n        {json.dumps(old)},") + "\n"
    lines = compat_text.splitlines(keepends=True)
    return ("".join(lines[:node.lineno - 1]) + "ENUMS = {\n" + body + "}\n"
            + "".join(lines[node.end_lineno:]))


def wrap_long_lines(text: str, before: str) -> str:
    """Lines a fix made longer than MAX_LINE broken after a comma inside brackets (the
    outermost one that fits), continued under the bracket or at the line's indentation."""
    old, stuck = set(before.splitlines()), set()
    while True:
        lines = text.splitlines()
        long = [i for i, line in enumerate(lines)
                if len(line) > MAX_LINE and line not in old and i not in stuck]
        if not long:
            return text
        broken = _break_line(text, long[0])
        if broken is None:
            stuck.add(long[0])
        else:
            text = broken


def _break_line(text: str, index: int):
    """`text` with line `index` (0-based) broken at its best comma, None when it has none."""
    row = index + 1
    stack, best = [], None
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.start[0] > row:
            break
        if tok.type == tokenize.OP and tok.string in "([{":
            stack.append(tok.start)
        elif tok.type == tokenize.OP and tok.string in ")]}":
            stack.pop()
        elif (tok.type == tokenize.OP and tok.string == "," and tok.start[0] == row and stack
              and tok.end[1] <= MAX_LINE):
            line = text.splitlines()[index]
            if not line[tok.end[1]:].strip() or line[tok.end[1]:].lstrip().startswith("#"):
                continue
            opened = stack[-1]
            indent = (opened[1] + 1 if opened[0] == row
                      else len(line) - len(line.lstrip()))
            candidate = (len(stack), -tok.end[1], tok.end[1], indent)
            best = candidate if best is None or candidate < best else best
    if best is None:
        return None
    _depth, _neg, cut, indent = best
    lines = text.splitlines(keepends=True)
    line = lines[index]
    lines[index] = line[:cut].rstrip() + "\n" + " " * indent + line[cut:].lstrip()
    return "".join(lines)


def fix_ui(text: str) -> str:
    """A Designer file with its scoped enum values (Qt6 Designer's QFrame::Shape::NoFrame) in
    the short form the uic of PyQt5 and PyQt6 both read (QFrame::NoFrame)."""
    def short(match):
        return match.group(1) + UI_SCOPED.sub(r"\1::\2", match.group(2)) + match.group(3)
    return re.sub(r"(<(?:enum|set)>)([^<]*)(</(?:enum|set)>)", short, text)
