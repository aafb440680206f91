"""The public main navigation: an entry appears once its app provides the page."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavigationEntry:
    url_name: str
    label: str | Promise


PUBLIC_NAVIGATION = (
    NavigationEntry("core:home", _("Start")),
    NavigationEntry("board:public", _("Digitalbeirat")),
    NavigationEntry("submissions:new", _("Idee einreichen")),
    NavigationEntry("council:papers", _("Vorlagen")),
    NavigationEntry("council:meetings", _("Sitzungen")),
    NavigationEntry("directory:committees", _("Gremien")),
    NavigationEntry("board:recommendations", _("Empfehlungen")),
    NavigationEntry("council:mandates", _("Beschlusskontrolle")),
    NavigationEntry("directory:network", _("Netzwerk")),
    NavigationEntry("search:search", _("Suche")),
)


@functools.cache
def available_navigation() -> tuple[tuple[str, str | Promise], ...]:
    """(url, label) of every navigation entry whose page exists in this installation."""
    entries = []
    for entry in PUBLIC_NAVIGATION:
        try:
            entries.append((reverse(entry.url_name), entry.label))
        except NoReverseMatch:
            continue
    return tuple(entries)
