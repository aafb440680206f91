"""What can be found: each app describes its searchable objects in ``<app>/search_documents.py``.

A source names its kind, builds index documents for a batch of ids straight from the database,
lists all ids for a rebuild, and says which model changes touch which of its objects. The search
app connects those models' signals to the search log (services.connect_sources), so every save or
delete through the ORM (services, admin, demo data) is logged in the transaction that makes it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import get_language

# Who may see a document. A viewer's audiences come from beirat.search.rules.
PUBLIC = "public"
COUNCIL = "council"  # clerks and administrators: non-public papers, meetings and items
TRIAGE = "triage"  # IT management: submissions


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One entry of the index, built from the database by a source.

    An object with parts some viewers may not see gives two documents: the public one with
    ``replaced_for=(COUNCIL,)`` and the full one for ``audiences=(COUNCIL,)``; a clerk then finds
    the full one and never both.
    """

    kind: str
    object_id: int
    variant: str
    audiences: tuple[str, ...]
    title: str
    text: str
    url: str
    type: str
    date: datetime.date | None = None
    reference: str = ""
    committees: tuple[int, ...] = ()
    status: str = ""
    replaced_for: tuple[str, ...] = ()

    @property
    def object_key(self) -> str:
        return object_key(self.kind, self.object_id)


Watch = Callable[[Any], Iterable[int]]


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[models.Model]
    documents: Callable[[Sequence[int]], Iterable[SearchDocument]]
    all_ids: Callable[[], Iterable[int]]
    # For the object's own model: whether the saved object is public, for the log row.
    is_public: Callable[[Any], bool]
    # Other models whose changes change this kind's documents, with the ids they touch.
    watches: Mapping[type[models.Model], Watch] = field(default_factory=dict)
    # Labels of the values of the type and status facets.
    type_labels: Mapping[str, object] = field(default_factory=dict)
    status_labels: Mapping[str, object] = field(default_factory=dict)


SOURCES: dict[str, Source] = {}


def object_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def register(source: Source) -> None:
    SOURCES[source.kind] = source


def discover() -> None:
    """Import every app's ``search_documents`` module; services.connect_sources() then wires
    the models' signals to the search log."""
    autodiscover_modules("search_documents")


# Facet values that are ids (committees) get their names from the app that owns them.
FacetNames = Callable[[], dict[int, str]]


@dataclass(frozen=True)
class FacetNamer:
    load: FacetNames
    # Saving one of these models makes the names old.
    changed_by: tuple[type[models.Model], ...]


FACET_NAMERS: dict[str, FacetNamer] = {}


def register_facet_names(
    facet: str, load: FacetNames, *, changed_by: tuple[type[models.Model], ...]
) -> None:
    FACET_NAMERS[facet] = FacetNamer(load, changed_by)


def labels(facet: str) -> dict[str, str]:
    """Labels of the "type" or "status" facet's values in the current language."""
    return _labels(get_language() or "de", facet)


@functools.lru_cache(maxsize=16)
def _labels(language: str, facet: str) -> dict[str, str]:
    # Lazy labels evaluated once per language, not for every hit of every search.
    labels: dict[str, str] = {}
    for source in SOURCES.values():
        mapping = source.type_labels if facet == "type" else source.status_labels
        labels.update({value: str(label) for value, label in mapping.items()})
    return labels
