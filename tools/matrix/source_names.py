"""Names a package's source takes from other modules, and the attribute chains it reads from
them (`Qt.AlignmentFlag.AlignLeft`, `QgsWkbTypes.Polygon`), found with ast: the input of the
matrix's PyQt6 and QGIS-enum checks."""
import ast
from pathlib import Path


def python_files(package: Path):
    return sorted(p for p in Path(package).rglob("*.py") if "__pycache__" not in p.parts
                  and p.name != "resources_rc.py")


def imports(tree) -> dict:
    """{local name: (module, attribute or None, line)} of a module's imports."""
    found = {}
    for node in ast.walk(tree):
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
