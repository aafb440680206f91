"""Reads of the core app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from beirat.core.models import AuditEntry
from beirat.core.roles import AnyUser, Role, roles_of


@dataclass(frozen=True)
class WorkplaceSection:
    url_name: str
    title: str | Promise
    description: str | Promise
    roles: frozenset[Role]


WORKPLACE_SECTIONS = (
    WorkplaceSection(
        "submissions:queue",
        _("Eingaben sichten"),
        _("Neue Ideen und Anregungen prüfen und entscheiden."),
        frozenset({Role.TRIAGE}),
    ),
    WorkplaceSection(
        "board:workplace",
        _("Fachfragen des Beirats"),
        _("Offene Fachfragen beantworten, Sitzungen und Unterlagen."),
        frozenset({Role.BOARD_MEMBER, Role.TRIAGE}),
    ),
    WorkplaceSection(
        "board:staff_recommendations",
        _("Empfehlungen verfolgen"),
        _(
            "Empfehlungen und Hinweise des Beirats erfassen, zuweisen und bis zur Umsetzung "
            "verfolgen."
        ),
        frozenset({Role.TRIAGE}),
    ),
    WorkplaceSection(
        "submissions:office",
        _("Weiterleitungen an mein Amt"),
        _("Weitergeleitete Eingaben und Empfehlungen bearbeiten."),
        frozenset({Role.OFFICE}),
    ),
    WorkplaceSection(
        "board:office",
        _("Empfehlungen an mein Amt"),
        _("Empfehlungen des Digitalbeirats annehmen und ihren Umsetzungsstand melden."),
        frozenset({Role.OFFICE}),
    ),
    WorkplaceSection(
        "council:workplace",
        _("Vorlagen und Sitzungen"),
        _("Vorlagen anlegen, Sitzungen planen, Ergebnisse erfassen."),
        frozenset({Role.CLERK, Role.ADMIN}),
    ),
    WorkplaceSection(
        "directory:staff_index",
        _("Verzeichnis"),
        _("Ämter, Gremien, Personen, Mitgliedschaften und Netzwerkpartner pflegen."),
        frozenset({Role.ADMIN, Role.CLERK}),
    ),
    WorkplaceSection(
        "core:audit_log", _("Protokoll"), _("Wer hat wann was geändert."), frozenset({Role.ADMIN})
    ),
)


def workplace_sections(user: AnyUser) -> list[tuple[str, WorkplaceSection]]:
    """(url, section) of each workplace section the user's roles open, if installed."""
    roles = roles_of(user)
    sections = []
    for section in WORKPLACE_SECTIONS:
        if not roles & section.roles:
            continue
        try:
            sections.append((reverse(section.url_name), section))
        except NoReverseMatch:
            continue
    return sections


def recent_audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor")
