"""Canonical OParl ids and the OParl date formats.

An id is the URL an object is served at, built from BEIRAT_BASE_URL and the database key, never
from a mutable value such as a paper number (OParl 1.1, chapter "URLs").
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

SCHEMA = "https://schema.oparl.org/1.1/"
EXTENSION_PREFIX = "beirat:"


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def object_url(kind: str, key: int | str) -> str:
    return absolute(reverse("oparl:object", kwargs={"kind": kind, "key": str(key)}))


def body_list_url(body_id: int, kind: str) -> str:
    return absolute(reverse("oparl:body_list", kwargs={"body_id": body_id, "kind": kind}))


def type_uri(name: str) -> str:
    return f"{SCHEMA}{name}"


def oparl_datetime(value: datetime.datetime) -> str:
    """``2025-06-26T14:00:00+02:00``: local time with offset, no fractions, no ``Z``."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def oparl_date(value: datetime.date) -> str:
    return value.isoformat()
