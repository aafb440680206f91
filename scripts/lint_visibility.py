#!/usr/bin/env python3
"""One door for visibility: only an app's queries.py and rules.py decide who may see what.

Everything that shows data (views, search documents, OParl, PDFs, CSV exports, feeds, menus)
asks those modules: ``public_*()`` and ``*_visible_to(user)`` in queries.py, ``can_*`` in
rules.py. This check reads the code and reports, outside those modules,

* a filter on a visibility field: ``.filter(public=True)``, ``.exclude(is_public=…)``,
  ``Q(paper__public=…)``, ``.get(status="published")`` and the like;
* a role test: ``has_role(…)``, ``roles_of(…)`` or ``Role.X``.

Run: ``python scripts/lint_visibility.py [folder]`` (default: beirat). Exit 1 on findings.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Where visibility and roles are decided, and where the fields are defined or written.
DECIDING_MODULES = frozenset({"queries.py", "rules.py"})
DEFINING_MODULES = frozenset({"models.py", "demo.py", "roles.py"})
FILTER_METHODS = frozenset({"filter", "exclude", "get", "get_or_create", "Q", "When", "count_if"})
VISIBILITY_FIELDS = frozenset({"public", "is_public", "published", "status"})
VISIBILITY_VALUES = frozenset({"published", "draft", "withdrawn", "public"})
ROLE_FUNCTIONS = frozenset({"has_role", "roles_of"})


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what} (decide visibility in queries.py or rules.py)"


def _called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def _is_visibility_keyword(keyword: ast.keyword) -> bool:
    if keyword.arg is None:
        return False
    field = keyword.arg.split("__")
    # paper__public, public, is_public; status only with a publication value (status="published")
    if field[-1] in {"public", "is_public", "published"} or field[-2:-1] == ["public"]:
        return True
    if "status" in field:
        return _names_publication_state(keyword.value)
    return False


def _names_publication_state(value: ast.expr) -> bool:
    """ "published" or Paper.Status.PUBLISHED (also inside a list for status__in)."""
    if isinstance(value, ast.Constant):
        return value.value in VISIBILITY_VALUES
    if isinstance(value, ast.Attribute):
        return value.attr.lower() in VISIBILITY_VALUES
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return any(_names_publication_state(element) for element in value.elts)
    return False


def findings_in(source: str, path: str) -> Iterator[Finding]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name in FILTER_METHODS:
                for keyword in node.keywords:
                    if _is_visibility_keyword(keyword):
                        yield Finding(path, node.lineno, f"{name}({keyword.arg}=…)")
            if name in ROLE_FUNCTIONS:
                yield Finding(path, node.lineno, f"role test {name}()")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Role"
            and node.attr.isupper()
        ):
            yield Finding(path, node.lineno, f"role test Role.{node.attr}")


def is_checked(path: Path) -> bool:
    return (
        path.name not in DECIDING_MODULES | DEFINING_MODULES
        and "migrations" not in path.parts
        and "management" not in path.parts
    )


def check(root: Path) -> list[Finding]:
    found: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        if is_checked(path):
            found += findings_in(path.read_text(encoding="utf-8"), str(path))
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path("beirat")
    found = check(root)
    for finding in found:
        print(finding)
    if found:
        print(f"{len(found)} Stelle(n) entscheiden Sichtbarkeit außerhalb von queries.py/rules.py.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
