"""The audit trail: one call inside every service that changes data."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from beirat.core.models import AuditEntry, User

ModelT = TypeVar("ModelT", bound=models.Model)
SYSTEM_ACTOR_LABEL = "System"
# Timestamps that change with every save: the audit entry has its own time.
BOOKKEEPING_FIELDS = frozenset({"created_at", "modified_at"})


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON-safe values of a model's concrete fields, for before/after comparisons."""
    names = (
        list(fields)
        if fields is not None
        else [
            field.attname
            for field in instance._meta.concrete_fields
            if not field.primary_key and field.attname not in BOOKKEEPING_FIELDS
        ]
    )
    return {name: _json_safe(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the values that changed, as {field: {"before": …, "after": …}}."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def removed(before: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The changes of a record that is deleted: every value goes to None."""
    return {name: {"before": value, "after": None} for name, value in before.items()}


def record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction."""
    label = actor_label or (actor.get_username() if actor is not None else SYSTEM_ACTOR_LABEL)
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_label=str(instance)[:255],
        changes=changes or {},
    )


def record_creation(
    *, actor: User | None, action: str, instance: models.Model, actor_label: str | None = None
) -> AuditEntry:
    return record(
        actor=actor,
        action=action,
        instance=instance,
        actor_label=actor_label,
        changes=diff({}, snapshot(instance)),
    )


def save_audited(instance: ModelT, *, actor: User | None, action: str) -> ModelT:
    """Validate (fields and database constraints), save, and record what changed.

    Services call it inside their transaction with the edited instance; the stored row gives the
    "before" values.
    """
    instance.full_clean()
    manager = type(instance)._default_manager
    stored = manager.filter(pk=instance.pk).first() if instance.pk else None
    before = snapshot(stored) if stored is not None else {}
    instance.save()
    record(actor=actor, action=action, instance=instance, changes=diff(before, snapshot(instance)))
    return instance


def history_of(instance: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    )


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    return str(value)
