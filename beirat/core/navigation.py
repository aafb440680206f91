"""The public main navigation: the entries apps contribute, once their page exists."""

from __future__ import annotations

import functools

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from beirat.core.contributions import menu_entries


@functools.cache
def available_navigation() -> tuple[tuple[str, str | Promise], ...]:
    """(url, label) of every contributed entry whose page exists in this installation."""
    entries = []
    for entry in menu_entries():
        try:
            entries.append((reverse(entry.url_name), entry.label))
        except NoReverseMatch:
            continue
    return tuple(entries)
