"""Writes that skip the wiring fail loudly.

``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` send no ``post_save``, so the
search log and the page cache never hear of them. The app's code must use
``beirat.core.wiring`` for every model something listens to. Two checks:

* ``scan`` reads the code: a plain bulk call on ``<Model>.objects…`` of a wired model is an error.
* ``guard`` watches the running suite: a plain bulk call on a wired model that comes from the
  app's code (not from a test or a benchmark building data) raises ``UnwiredWrite``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from beirat.core import wiring

ROOT = Path(__file__).resolve().parents[1]
APP_CODE = ROOT / "beirat"
BULK_METHODS = ("update", "bulk_create", "bulk_update")
HELPER_FILE = APP_CODE / "core" / "wiring.py"


class UnwiredWriteError(AssertionError):
    pass


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    model: str
    method: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.model}.objects….{self.method}() skips the wiring"


def wired_model_names() -> dict[str, str]:
    """Class name → label of every model whose saves something listens to."""
    return {
        model.__name__: model._meta.label for model in apps.get_models() if wiring.is_wired(model)
    }


def _model_at_root(node: ast.expr) -> str | None:
    """``Paper`` for ``Paper.objects.filter(…).exclude(…)``; None for anything else."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr == "objects" and isinstance(node.value, ast.Name):
                return node.value.id
            node = node.value
        else:
            return None


def scan_source(source: str, path: str, wired: dict[str, str]) -> list[Offence]:
    offences = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in BULK_METHODS or (method == "update" and node.args):
            continue  # dict.update(other) takes a positional argument; QuerySet.update never does
        model = _model_at_root(node.func.value)
        if model in wired:
            offences.append(Offence(path, node.lineno, model, method))
    return offences


def scan(root: Path = APP_CODE) -> list[Offence]:
    wired = wired_model_names()
    offences = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path == HELPER_FILE:
            continue
        offences += scan_source(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), wired
        )
    return offences


def _called_from_app_code() -> bool:
    """Whether the nearest caller outside Django is the app's code (not a test or benchmark).

    Updates that Django's deletion collector makes (``on_delete=SET_NULL``) do not count: the
    delete that causes them sends ``post_delete``, which the wiring hears."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = Path(frame.f_code.co_filename)
        if filename.parts[-4:] == ("django", "db", "models", "deletion.py"):
            return False
        if "django" not in filename.parts:
            # Migrations are exempt here as in the scan above: their historical models send
            # no signal the wiring hears, whatever method writes (a data migration says itself
            # what it invalidates).
            return (
                filename.is_relative_to(APP_CODE)
                and filename != HELPER_FILE
                and "migrations" not in filename.parts
            )
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _guarded(method: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def write(self: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        if (
            wiring.is_wired(self.model)
            # A many-to-many link table: add(), remove(), set() send m2m_changed instead.
            and not self.model._meta.auto_created
            and not wiring.writing_with_signals()
            and _called_from_app_code()
        ):
            raise UnwiredWriteError(
                f"{self.model._meta.label}: QuerySet.{method}() sends no post_save; "
                "use beirat.core.wiring so the search log and the page cache hear of it"
            )
        return original(self, *args, **kwargs)

    return write


@contextmanager
def guard() -> Iterator[None]:
    originals = {method: getattr(QuerySet, method) for method in BULK_METHODS}
    for method, original in originals.items():
        setattr(QuerySet, method, _guarded(method, original))
    try:
        yield
    finally:
        for method, original in originals.items():
            setattr(QuerySet, method, original)
