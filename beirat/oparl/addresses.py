"""Canonical OParl ids and the OParl date formats.

An id is the URL an object is served at, built from BEIRAT_SITE_URL and the database key, never
from a mutable value such as a paper number (OParl 1.1, chapter "URLs").
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

SCHEMA = "https://schema.oparl.org/1.1/"
EXTENSION_PREFIX = "beirat:"


def absolute(path: str) -> str:
    return f"{settings.BEIRAT_SITE_URL}{path}"


@functools.cache
def _api_root() -> str:
    # Resolved once: reverse() per id cost more than everything else in a list page.
    return absolute(reverse("oparl:system")).removesuffix("system")


def object_url(kind: str, key: int | str) -> str:
    return f"{_api_root()}{kind}/{key}"


def body_list_url(body_id: int, kind: str) -> str:
    return f"{_api_root()}body/{body_id}/{kind}"


# A stand-in that every path converter accepts (str, slug and int), replaced after reversing.
_PLACEHOLDER = "9876543210123"


@functools.cache
def _path_template(url_name: str, argument: str) -> str:
    return reverse(url_name, kwargs={argument: _PLACEHOLDER})


def site_path(url_name: str, argument: str, value: str | int) -> str:
    """A site path such as /vorlagen/AF-0013-2021/, resolved once per URL name, not per object."""
    return _path_template(url_name, argument).replace(_PLACEHOLDER, str(value))


def type_uri(name: str) -> str:
    return f"{SCHEMA}{name}"


def oparl_datetime(value: datetime.datetime) -> str:
    """``2025-06-26T14:00:00+02:00``: local time with offset, no fractions, no ``Z``."""
    # The city's zone from the settings (cached by Django), not the request's active zone:
    # OParl speaks the body's local time, and the lookup per value was a tenth of a list page.
    return value.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def oparl_date(value: datetime.date) -> str:
    return value.isoformat()
