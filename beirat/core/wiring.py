"""Bulk writes that still tell the wiring.

The search log and the page cache learn of every change through ``post_save`` and
``post_delete`` (beirat/search/services.py, beirat/core/apps.py). ``QuerySet.update()``,
``bulk_create()`` and ``bulk_update()`` send no signal, so a change made that way would stay out
of the search index and leave old pages in the cache. For a model that anything listens to, use
these helpers instead: they write in one statement as before and then send ``post_save`` for each
written row, in the same transaction. ``QuerySet.delete()`` needs no helper: Django sends
``post_delete`` for every row whenever a receiver exists.

``tests/repository/test_write_wiring.py`` refuses the plain calls on such models, both in the
code (a scan) and at run time (every write the test suite makes).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models, router, transaction
from django.db.models.signals import post_save

M = TypeVar("M", bound=models.Model)

# Set while a helper writes, so the test suite's guard lets its own bulk call through.
_writing_with_signals: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "writing_with_signals", default=False
)


def is_wired(model: type[models.Model]) -> bool:
    """Whether a receiver (search log, page cache, …) listens to saves of ``model`` by name.

    Receivers for every sender (``sender=None``) do not count: they listen to all models alike
    and are not what a bulk write would cheat. Django keeps ``(receiver id, sender id)`` as
    the lookup key of each connection, the sender id of a class being ``id(cls)``."""
    sender_id = id(model)
    return any(lookup_key[1] == sender_id for lookup_key, *_ in post_save.receivers)


def writing_with_signals() -> bool:
    return _writing_with_signals.get()


@contextmanager
def _helper_write() -> Iterator[None]:
    token = _writing_with_signals.set(True)
    try:
        yield
    finally:
        _writing_with_signals.reset(token)


def update_rows(queryset: models.QuerySet[M], **values: Any) -> int:
    """``queryset.update(**values)``, then ``post_save`` for each changed row."""
    model = queryset.model
    using = router.db_for_write(model)
    with transaction.atomic(using=using), _helper_write():
        keys = list(queryset.values_list("pk", flat=True))
        if not keys:
            return 0
        count = model._default_manager.using(using).filter(pk__in=keys).update(**values)
        changed = model._default_manager.using(using).filter(pk__in=keys)
        _announce(model, changed, created=False, fields=frozenset(values), using=using)
    return count


def create_rows(model: type[M], objects: Sequence[M], *, batch_size: int | None = None) -> list[M]:
    """``model.objects.bulk_create(objects)``, then ``post_save`` for each new row."""
    using = router.db_for_write(model)
    with transaction.atomic(using=using), _helper_write():
        created = model._default_manager.using(using).bulk_create(objects, batch_size=batch_size)
        _announce(model, created, created=True, fields=None, using=using)
    return created


def _announce(
    model: type[M],
    instances: Any,
    *,
    created: bool,
    fields: frozenset[str] | None,
    using: str,
) -> None:
    for instance in instances:
        post_save.send(
            sender=model,
            instance=instance,
            created=created,
            update_fields=fields,
            raw=False,
            using=using,
        )
