"""What apps contribute to pages and menus they do not own (core imports no domain app).

The apps form layers: a lower app (council, submissions) never imports a higher one (board,
ingest). Where a lower app's page shows something a higher app owns — the board's
recommendations on a paper page, the board's statements on a submission's tracking page, the
scanned original of an imported paper — the page names a *slot* and the higher app registers a
template and a function giving its context in its ``AppConfig.ready()``. The page renders every
registered part in registration order. The public main menu, the footer and the workplace menu
are filled the same way, so core names no app's URLs or roles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from beirat.core.roles import AnyUser

# Slots: the pages that show parts of other apps, named "<app>.<page>".
HOME = "core.home"
PAPER_PAGE = "council.paper"
PAPER_DOWNLOADS = "council.paper_downloads"  # buttons beside the official PDF
TRACKING_PAGE = "submissions.track"
TRIAGE_DETAIL = "submissions.triage_detail"
COMMITTEE_PAGE = "directory.committee"
COMMITTEE_HEAD = "directory.committee_head"  # <link> elements in the committee page's head
RECOMMENDATION_PAGE = "board.recommendation"
SEARCH_PAGE = "search.search"  # beside the results; the subject is the search's query string
# /offene-daten/: what each app publishes as open data, by kind (each part gives list items).
OPEN_DATA_INTERFACES = "core.open_data.interfaces"
OPEN_DATA_CALENDARS = "core.open_data.calendars"
OPEN_DATA_FEEDS = "core.open_data.feeds"
OPEN_DATA_DOWNLOADS = "core.open_data.downloads"

PartContext = Callable[[HttpRequest, Any], dict[str, Any]]


@dataclass(frozen=True)
class Part:
    template: str
    context: PartContext


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise
    position: int


@dataclass(frozen=True)
class WorkplaceSection:
    url_name: str
    title: str | Promise
    description: str | Promise
    visible_to: Callable[[AnyUser], bool]
    position: int


_PARTS: dict[str, list[Part]] = defaultdict(list)
_MENU: list[MenuEntry] = []
_FOOTER: list[MenuEntry] = []
_WORKPLACE: list[WorkplaceSection] = []


def register_part(slot: str, template: str, context: PartContext) -> None:
    """Show ``template`` on the page of ``slot``; ``context(request, subject)`` fills it."""
    if all(part.template != template for part in _PARTS[slot]):
        _PARTS[slot].append(Part(template, context))


def parts(slot: str, request: HttpRequest, subject: Any = None) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every part registered for ``slot``, in registration order."""
    return [(part.template, part.context(request, subject)) for part in _PARTS[slot]]


def register_menu_entry(url_name: str, label: str | Promise, *, position: int) -> None:
    """An entry of the public main menu; ``position`` orders entries across apps."""
    if all(entry.url_name != url_name for entry in _MENU):
        _MENU.append(MenuEntry(url_name, label, position))
        _MENU.sort(key=lambda entry: entry.position)


def menu_entries() -> list[MenuEntry]:
    return list(_MENU)


def register_footer_link(url_name: str, label: str | Promise, *, position: int) -> None:
    """A link of the footer, listed after "Offene Daten" (a public page about the data, like
    the figures); ``position`` orders such links across apps."""
    if all(entry.url_name != url_name for entry in _FOOTER):
        _FOOTER.append(MenuEntry(url_name, label, position))
        _FOOTER.sort(key=lambda entry: entry.position)


def footer_links() -> list[MenuEntry]:
    return list(_FOOTER)


def register_workplace_section(
    url_name: str,
    title: str | Promise,
    description: str | Promise,
    *,
    visible_to: Callable[[AnyUser], bool],
    position: int,
) -> None:
    """A tile of the workplace start page for whom ``visible_to`` (an app's rule) lets in."""
    if all(section.url_name != url_name for section in _WORKPLACE):
        _WORKPLACE.append(WorkplaceSection(url_name, title, description, visible_to, position))
        _WORKPLACE.sort(key=lambda section: section.position)


def workplace_sections(user: AnyUser) -> list[tuple[str, WorkplaceSection]]:
    """(url, section) of each workplace section the user may open, if installed."""
    sections = []
    for section in _WORKPLACE:
        if not section.visible_to(user):
            continue
        try:
            sections.append((reverse(section.url_name), section))
        except NoReverseMatch:
            continue
    return sections
