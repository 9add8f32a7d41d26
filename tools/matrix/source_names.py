"""Names a package's source takes from other modules, and the attribute chains it reads from
them (`Qt.AlignmentFlag.AlignLeft`, `QgsWkbTypes.Polygon`), found with ast: the input of the
matrix's PyQt6 and QGIS-enum checks."""
import ast
from pathlib import Path


# the compat module is the one place that knows versions: its old names are the fallbacks
NOT_SCANNED = ("resources_rc.py", "compat.py")


def python_files(package: Path):
    return sorted(p for p in Path(package).rglob("*.py") if "__pycache__" not in p.parts
                  and p.name not in NOT_SCANNED)


def _fallbacks(tree) -> set:
    """Import statements in an `except ImportError:` branch: the older Qt/QGIS's way, taken only
    where the `try:` import failed (compat shims), so not the name the code uses elsewhere."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                kind = handler.type
                names = {getattr(n, "id", None) for n in (kind.elts if isinstance(kind, ast.Tuple) else [kind])}
                if kind is None or names & {"ImportError", "ModuleNotFoundError", "AttributeError"}:
                    found.update(id(n) for stmt in handler.body for n in ast.walk(stmt)
                                 if isinstance(n, (ast.Import, ast.ImportFrom)))
    return found


def imports(tree) -> dict:
    """{local name: (module, attribute or None, line)} of a module's imports (but fallbacks)."""
    found = {}
    fallbacks = _fallbacks(tree)
    for node in ast.walk(tree):
        if id(node) in fallbacks:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name, node.lineno)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = (alias.name, None, node.lineno)
                else:
                    found[alias.name.split(".")[0]] = (alias.name.split(".")[0], None, node.lineno)
    return found


class _Chains(ast.NodeVisitor):
    def __init__(self, roots):
        self.roots, self.found = roots, []

    def visit_Try(self, node):  # noqa: N802
        """The `except ImportError/AttributeError:` branches are older versions' fallbacks."""
        for part in (node.body, node.orelse, node.finalbody):
            for stmt in part:
                self.visit(stmt)
        for handler in node.handlers:
            kind = handler.type
            names = {getattr(n, "id", None) for n in (kind.elts if isinstance(kind, ast.Tuple) else [kind])}
            if kind is not None and not names & {"ImportError", "ModuleNotFoundError", "AttributeError"}:
                self.visit(handler)

    def visit_Attribute(self, node):  # noqa: N802
        parts, value = [], node
        while isinstance(value, ast.Attribute):
            parts.append(value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in self.roots:
            self.found.append((node.lineno, value.id, list(reversed(parts))))
        else:
            self.generic_visit(node)


def uses(package: Path, module_prefixes) -> list:
    """[(file, line, local name, (module, attribute), [chain…])] of every import from a module
    starting with one of module_prefixes, and every attribute chain read from such a name
    (an empty chain: the import itself)."""
    found = []
    for path in python_files(package):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = {local: origin for local, origin in imports(tree).items()
                 if origin[0].startswith(tuple(module_prefixes))}
        for local, (module, attribute, line) in names.items():
            found.append((path, line, local, (module, attribute), []))
        names = {local: (module, attribute) for local, (module, attribute, _l) in names.items()}
        visitor = _Chains(set(names))
        visitor.visit(tree)
        for line, local, chain in visitor.found:
            found.append((path, line, local, names[local], chain))
    return found
