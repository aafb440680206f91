"""Fields every OParl object carries."""

from __future__ import annotations

import functools
from typing import Any, Protocol

from django.db.models import Choices, Model

from beirat.oparl.addresses import absolute, object_url, oparl_datetime, type_uri

Payload = dict[str, Any]
# A record read with ``.values()``: its columns by name.
Row = dict[str, Any]


class Timestamped(Protocol):
    pk: Any
    created_at: Any
    modified_at: Any


def base(
    kind: str, type_name: str, key: int | str, record: Timestamped, web_path: str | None = None
) -> Payload:
    payload: Payload = {
        "id": object_url(kind, key),
        "type": type_uri(type_name),
        "created": oparl_datetime(record.created_at),
        "modified": oparl_datetime(record.modified_at),
    }
    if web_path:
        payload["web"] = absolute(web_path)
    return payload


def row_base(
    kind: str, type_name: str, key: int | str, row: Row, web_path: str | None = None
) -> Payload:
    """base() of a record read as a row (``.values()``): the same fields in the same order."""
    return times_base(kind, type_name, key, row_times(row), web_path)


def row_times(row: Row) -> tuple[str, str]:
    """A row's created and modified times as OParl writes them (computed once for a paper and
    its main file, which share them)."""
    return oparl_datetime(row["created_at"]), oparl_datetime(row["modified_at"])


def times_base(
    kind: str, type_name: str, key: int | str, times: tuple[str, str], web_path: str | None = None
) -> Payload:
    payload: Payload = {
        "id": object_url(kind, key),
        "type": type_uri(type_name),
        "created": times[0],
        "modified": times[1],
    }
    if web_path:
        payload["web"] = absolute(web_path)
    return payload


def row_deleted(kind: str, type_name: str, key: int | str, row: Row) -> Payload:
    """deleted() of a record read as a row."""
    return {**row_base(kind, type_name, key, row), "deleted": True}


def deleted(kind: str, type_name: str, key: int | str, record: Timestamped) -> Payload:
    """An object that was public and is withdrawn: only its id, type, times and the mark."""
    return {**base(kind, type_name, key, record), "deleted": True}


def without_empty(payload: Payload) -> Payload:
    """OParl omits properties without a value rather than sending null or empty strings."""
    return {key: value for key, value in payload.items() if value not in (None, "", [])}


@functools.cache
def _labels(model: type[Model], field_name: str) -> dict[Any, Any]:
    return dict(model._meta.get_field(field_name).flatchoices)  # type: ignore[union-attr]


def choice_label(record: Model, field_name: str) -> str:
    """What ``get_<field>_display()`` says, from a mapping built once per field: Django's own
    rebuilds the choices on every call, which was a fifth of a list page's time."""
    value = getattr(record, field_name)
    label = _labels(type(record), field_name).get(value, value)
    return str(label)


def row_label(choices: type[Choices], value: Any) -> str:
    """choice_label() of a row's value (the field's choices are these TextChoices)."""
    label = _choice_labels(choices).get(value, value)
    return str(label)


def row_labels(choices: type[Choices]) -> dict[Any, str]:
    """Every label of ``choices`` in the active language: looked up once for a list page
    rather than once per row."""
    return {value: str(label) for value, label in _choice_labels(choices).items()}


@functools.cache
def _choice_labels(choices: type[Choices]) -> dict[Any, Any]:
    return dict(choices.choices)
