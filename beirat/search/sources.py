"""What can be found: each app describes its searchable objects in ``<app>/search_documents.py``.

A source names its kind, builds index documents for a batch of ids straight from the database,
lists all ids for a rebuild, and says which model changes touch which of its objects. The search
app connects those models' signals to the search log, so every save or delete through the ORM
(services, admin, demo data) is logged in the transaction that makes it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
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
    """Import every app's ``search_documents`` module, then connect the signals."""
    autodiscover_modules("search_documents")
    for source in SOURCES.values():
        _connect(source)


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


def _connect(source: Source) -> None:
    from beirat.search import services

    def own_saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if not kwargs.get("raw"):
            services.record_change(
                kind=source.kind, object_id=instance.pk, public=source.is_public(instance)
            )

    def own_deleted(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        services.record_deletion(kind=source.kind, object_id=instance.pk)

    uid = f"search:{source.kind}"
    post_save.connect(own_saved, sender=source.model, weak=False, dispatch_uid=uid)
    post_delete.connect(own_deleted, sender=source.model, weak=False, dispatch_uid=uid)
    for model, touched in source.watches.items():
        _connect_watch(source.kind, model, touched)


def _connect_watch(kind: str, model: type[models.Model], touched: Watch) -> None:
    from beirat.search import services

    def related_changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        for object_id in touched(instance):
            services.record_change(kind=kind, object_id=object_id, public=None)

    uid = f"search:{kind}:{model._meta.label}"
    post_save.connect(related_changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(related_changed, sender=model, weak=False, dispatch_uid=uid)
