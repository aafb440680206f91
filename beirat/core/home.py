"""Sections of the start page that domain apps contribute (core imports no domain app).

An app registers a template and a function giving its context in its AppConfig.ready(); the
start page renders every registered section in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]


SECTIONS: list[HomeSection] = []


def register(template: str, context: Callable[[HttpRequest], dict[str, Any]]) -> None:
    if all(section.template != template for section in SECTIONS):
        SECTIONS.append(HomeSection(template, context))


def sections(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    return [(section.template, section.context(request)) for section in SECTIONS]
