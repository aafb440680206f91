"""Writes of the search app: the log rows that feed every server's index."""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from beirat.search.models import SearchLogEntry, SimilarityLabel
from beirat.search.sources import SOURCES, Source, Watch
from beirat.search.vectors import EMBEDDED_KINDS

Visibility = SearchLogEntry.Visibility


def record_change(*, kind: str, object_id: int, public: bool | None) -> SearchLogEntry:
    """Log that an object changed, in the caller's transaction. ``public`` None: not known here."""
    if public is None:
        visibility = Visibility.DERIVED
    else:
        visibility = Visibility.PUBLIC if public else Visibility.RESTRICTED
    return _write(kind, object_id, visibility, SearchLogEntry.Operation.UPSERT)


def record_deletion(*, kind: str, object_id: int) -> SearchLogEntry:
    """Log that an object is gone, in the caller's transaction."""
    return _write(kind, object_id, Visibility.RESTRICTED, SearchLogEntry.Operation.DELETE)


def label_pair(
    *,
    key: str,
    other: str,
    label: str,
    score: float | None,
    cosine: float | None,
    lexical: float | None,
    model: str,
) -> SimilarityLabel:
    """Keep IT management's judgement of a suggested pair ("kind:id" each), replacing an earlier
    one of the same pair."""
    kind, _, object_id = key.partition(":")
    other_kind, _, other_id = other.partition(":")
    row, _ = SimilarityLabel.objects.update_or_create(
        kind=kind,
        object_id=int(object_id),
        other_kind=other_kind,
        other_id=int(other_id),
        defaults={
            "label": label,
            "score": score,
            "cosine": cosine,
            "lexical": lexical,
            "model": model,
        },
    )
    return row


def prune_log(*, older_than: datetime.timedelta) -> int:
    """Delete old log rows; a server whose index is older than that rebuilds it. Returns the count.

    The newest row always stays, so SQLite never hands out its id again.
    """
    cutoff = timezone.now() - older_than
    newest = SearchLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic():
        deleted, _ = (
            SearchLogEntry.objects.filter(created_at__lt=cutoff).exclude(id=newest).delete()
        )
    return deleted


def _write(kind: str, object_id: int, visibility: str, operation: str) -> SearchLogEntry:
    if kind in EMBEDDED_KINDS:
        _embed_after_commit(f"{kind}:{object_id}")
    return SearchLogEntry.objects.create(
        kind=kind,
        object_id=object_id,
        version=time.time_ns() // 1000,
        visibility=visibility,
        operation=operation,
    )


_pending = threading.local()


def _embed_after_commit(key: str) -> None:
    """The worker computes the text's vector once the change is committed: one task for all
    objects a transaction changed (a key left by a rolled-back one goes along with the next)."""
    pending: set[str] = getattr(_pending, "keys", None) or set()
    pending.add(key)
    _pending.keys = pending
    transaction.on_commit(_enqueue_embedding, robust=True)


def _enqueue_embedding() -> None:
    from beirat.search.tasks import PRIORITY, embed_texts

    keys = sorted(getattr(_pending, "keys", None) or ())
    _pending.keys = set()
    if keys:
        embed_texts.using(priority=PRIORITY).enqueue(keys)


def connect_sources() -> None:
    """Every save or delete through the ORM of a searchable model (or of a model a source
    watches) writes a log row in the transaction that makes it."""
    for source in SOURCES.values():
        _connect(source)


def _connect(source: Source) -> None:
    def own_saved(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if not kwargs.get("raw"):
            record_change(
                kind=source.kind, object_id=instance.pk, public=source.is_public(instance)
            )

    def own_deleted(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        record_deletion(kind=source.kind, object_id=instance.pk)

    uid = f"search:{source.kind}"
    post_save.connect(own_saved, sender=source.model, weak=False, dispatch_uid=uid)
    post_delete.connect(own_deleted, sender=source.model, weak=False, dispatch_uid=uid)
    for model, touched in source.watches.items():
        _connect_watch(source.kind, model, touched)


def _connect_watch(kind: str, model: type[models.Model], touched: Watch) -> None:
    def related_changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        for object_id in touched(instance):
            record_change(kind=kind, object_id=object_id, public=None)

    uid = f"search:{kind}:{model._meta.label}"
    post_save.connect(related_changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(related_changed, sender=model, weak=False, dispatch_uid=uid)
