"""The public main navigation and the footer's links: the entries apps contribute, once their
page exists."""

from __future__ import annotations

import functools

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from beirat.core.contributions import MenuEntry, footer_links, menu_entries


@functools.cache
def available_navigation() -> tuple[tuple[str, str | Promise], ...]:
    """(url, label) of every contributed entry whose page exists in this installation."""
    return _existing(menu_entries())


@functools.cache
def available_footer_links() -> tuple[tuple[str, str | Promise], ...]:
    """(url, label) of every contributed footer link whose page exists in this installation."""
    return _existing(footer_links())


def _existing(entries: list[MenuEntry]) -> tuple[tuple[str, str | Promise], ...]:
    found = []
    for entry in entries:
        try:
            found.append((reverse(entry.url_name), entry.label))
        except NoReverseMatch:
            continue
    return tuple(found)
