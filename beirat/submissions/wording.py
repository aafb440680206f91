"""What a citizen reads of each step of the history: one plain sentence, then the text.

The tracking page, the status mail and the submitter's data export all say it the same way, in
the language of the page or mail (the sentence is made when it is read, not when it is stored).
Offices appear under the name citizens know (``OrganizationalUnit.citizen_name``), never as
"80-Amt für …".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from beirat.submissions.models import Event

Kind = Event.Kind


@dataclass(frozen=True)
class Entry:
    """One step as a citizen reads it."""

    sentence: str
    text: str
    created_at: datetime.datetime | None


def sentence(event: Event) -> str:
    office = event.office.citizen_name if event.office_id and event.office else ""
    if event.kind == Kind.FORWARDED:
        if office:
            # Office names take different articles ("das Ordnungsamt", "die Kämmerei"): the
            # name stands after a colon, where none is needed.
            return gettext("Ihre Eingabe wurde weitergeleitet an: %(office)s.") % {"office": office}
        return gettext("Ihre Eingabe wurde an ein Fachamt der Stadt weitergeleitet.")
    if event.kind == Kind.OFFICE_PROGRESS:
        if office:
            return gettext("Neuer Stand von: %(office)s.") % {"office": office}
        return gettext("Neuer Stand aus dem zuständigen Fachamt:")
    return _fixed_sentence(event.kind, has_text=bool(event.text))


def _fixed_sentence(kind: str, *, has_text: bool) -> str:
    sentences: dict[str, str] = {
        Kind.RECEIVED: gettext("Ihre Eingabe ist eingegangen."),
        Kind.INFO_ADDED: gettext("Sie haben Ihre Eingabe ergänzt:"),
        Kind.IN_REVIEW: gettext("Das IT-Management der Stadt prüft Ihre Eingabe."),
        Kind.ASSIGNED: gettext("Eine Person im IT-Management bearbeitet Ihre Eingabe."),
        Kind.TOPIC: gettext("Das Thema Ihrer Eingabe wurde geändert."),
        Kind.BOARD_CONSULTED: gettext(
            "Das IT-Management hat den Digitalbeirat um eine fachliche Einschätzung gebeten."
        ),
        Kind.BOARD_STATEMENT: gettext("Der Digitalbeirat hat Stellung genommen:"),
        Kind.REPLIED: gettext("Das IT-Management hat Ihnen geantwortet:"),
        Kind.CLOSED: gettext("Ihre Eingabe ist abgeschlossen."),
        Kind.DECLINED: gettext("Ihre Eingabe wurde abgelehnt. Die Begründung:"),
        Kind.MERGED: gettext(
            "Ihre Eingabe wurde mit einer gleichartigen Eingabe zusammengeführt und wird dort "
            "weiter bearbeitet:"
        ),
        Kind.WITHDRAWN: gettext("Sie haben Ihre Eingabe zurückgezogen."),
        Kind.CONTACT_ERASED: gettext("Ihr Name und Ihre E-Mail-Adresse wurden gelöscht."),
    }
    found = sentences.get(kind)
    if found is None:
        return gettext("Ihre Eingabe wurde bearbeitet.")
    if not has_text and found.endswith(":"):
        return found[:-1] + "."
    return found


def shown_text(event: Event) -> str:
    """The text under the sentence. A forwarding step stores the office's internal name,
    which the sentence already says in plain words."""
    if event.kind == Kind.FORWARDED:
        return ""
    return event.text


def entry(event: Event) -> Entry:
    return Entry(sentence=sentence(event), text=shown_text(event), created_at=event.created_at)
