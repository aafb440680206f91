"""The audit trail: one call inside every service that changes data."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Collection, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import translation

from beirat.core.models import AuditEntry, User

ModelT = TypeVar("ModelT", bound=models.Model)
SYSTEM_ACTOR_LABEL = "System"
# Timestamps that change with every save: the audit entry has its own time.
BOOKKEEPING_FIELDS = frozenset({"created_at", "modified_at"})


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON-safe values of a model's concrete fields, for before/after comparisons. Names
    that are translated on the pages (a topic, a choice) are kept in the site's language, whoever
    acted in which language."""
    names = (
        list(fields)
        if fields is not None
        else [
            field.attname
            for field in instance._meta.concrete_fields
            if not field.primary_key and field.attname not in BOOKKEEPING_FIELDS
        ]
    )
    with translation.override(settings.LANGUAGE_CODE):
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
    with translation.override(settings.LANGUAGE_CODE):
        object_label = str(instance)[:255]
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_label=object_label,
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


def save_audited(
    instance: ModelT, *, actor: User | None, action: str, constraints_by_database: bool = False
) -> ModelT:
    """Validate (fields and database constraints), save, and record what changed.

    Services call it inside their transaction with the edited instance; the stored row gives the
    "before" values. With ``constraints_by_database`` the unique and check constraints are left
    to the database (an IntegrityError instead of a ValidationError; no query per constraint
    beforehand), for copies of records another system has already decided on.
    """
    instance.full_clean(
        exclude=loaded_relations(instance) if constraints_by_database else None,
        validate_unique=not constraints_by_database,
        validate_constraints=not constraints_by_database,
    )
    manager = type(instance)._default_manager
    stored = manager.filter(pk=instance.pk).first() if instance.pk else None
    before = snapshot(stored) if stored is not None else {}
    instance.save()
    record(actor=actor, action=action, instance=instance, changes=diff(before, snapshot(instance)))
    return instance


def loaded_relations(instance: models.Model) -> list[str]:
    """Foreign keys set to a record object, which was read from the database, and not limited
    to some choices: the query that checks such a record exists can be left to the database's
    own foreign key."""
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.many_to_one
        and not field.remote_field.limit_choices_to  # type: ignore[union-attr]
        and field.is_cached(instance)  # type: ignore[attr-defined]
        and getattr(instance, field.name) is not None
    ]


def record_access(
    *,
    actor: User,
    action: str,
    model: type[models.Model],
    object_label: str,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry for a look at data that is itself protected (not a change): who
    looked, at which kind of record; ``changes`` says how much was shown, never what."""
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username(),
        action=action,
        object_type=model._meta.label_lower,
        object_id="",
        object_label=object_label[:255],
        changes=changes or {},
    )


def reduce_history(
    model: type[models.Model],
    object_ids: Iterable[object],
    *,
    fields: Collection[str] | None = None,
    actor_label: str | None = None,
) -> int:
    """An audit entry never holds more than the record it describes: when retention erases a
    record or some of its fields, the entries about it lose the values of ``fields`` (every
    value when None) and, with ``actor_label``, who acted. What stays is that, when and on
    which record something was done. The only change the audit trail ever allows besides its
    own retention. Returns how many entries changed."""
    entries = AuditEntry.objects.filter(
        object_type=model._meta.label_lower, object_id__in=[str(key) for key in object_ids]
    )
    changed = 0
    for entry in entries:
        kept = {} if fields is None else {k: v for k, v in entry.changes.items() if k not in fields}
        renamed = actor_label is not None and (
            entry.actor_id is not None or entry.actor_label != actor_label
        )
        if kept == entry.changes and not renamed:
            continue
        entry.changes = kept
        if actor_label is not None:
            entry.actor = None
            entry.actor_label = actor_label
        entry.save(update_fields=["changes", "actor", "actor_label"])
        changed += 1
    return changed


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
