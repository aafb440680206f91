"""Writes of the search app: the log rows that feed every server's index."""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.utils import timezone

from beirat.search.models import SearchLogEntry

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
    return SearchLogEntry.objects.create(
        kind=kind,
        object_id=object_id,
        version=time.time_ns() // 1000,
        visibility=visibility,
        operation=operation,
    )
