"""The official PDF of a council paper, in the city's house layout (templates/council/pdf/)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beirat.core.pdf import render_pdf
from beirat.council import queries
from beirat.council.models import Consultation, Meeting, Paper, PaperSection

Outcome = Consultation.Outcome

# Only these types name the paper they respond to in their title line.
_RESPONDING_TYPES = {Paper.Type.ANSWER, Paper.Type.STATEMENT}

# The responded-to paper in the dative, as the title line needs it ("zur Anfrage", "zum Antrag").
_RESPONDED_TO: dict[str, Promise] = {
    Paper.Type.INQUIRY: gettext_lazy("zur Anfrage"),
    Paper.Type.ANSWER: gettext_lazy("zur Antwort"),
    Paper.Type.MOTION: gettext_lazy("zum Antrag"),
    Paper.Type.STATEMENT: gettext_lazy("zur Stellungnahme"),
    Paper.Type.RESOLUTION_PROPOSAL: gettext_lazy("zur Beschlussvorlage"),
    Paper.Type.NOTICE: gettext_lazy("zur Mitteilung"),
}

# The outcome boxes of the city's form, row by row, with the form's own abbreviations.
_OUTCOME_GRID: tuple[tuple[tuple[str, Promise], ...], ...] = (
    (
        (Outcome.UNANIMOUS, gettext_lazy("einstimmig")),
        (Outcome.MAJORITY, gettext_lazy("mehrheitl.")),
        (Outcome.WITHOUT_DISCUSSION, gettext_lazy("ohne BE")),
    ),
    (
        (Outcome.REJECTED, gettext_lazy("abgelehnt")),
        (Outcome.NOTED, gettext_lazy("Kenntnis")),
        (Outcome.REMOVED, gettext_lazy("abgesetzt")),
    ),
    (
        (Outcome.REFERRED, gettext_lazy("verwiesen")),
        (Outcome.POSTPONED, gettext_lazy("vertagt")),
        (Outcome.AMENDED, gettext_lazy("geändert")),
    ),
)


@dataclass(frozen=True)
class Checkbox:
    label: str
    ticked: bool
    count: int | None = None


@dataclass(frozen=True)
class RouteStep:
    """One row of the Gremienweg box as printed."""

    consultation: Consultation
    date: datetime.date | None
    outcome_rows: list[list[Checkbox]]
    vote_boxes: list[Checkbox]
    agenda_number: str
    publicity: str


@dataclass(frozen=True)
class SectionView:
    section: PaperSection
    number_label: str


def title_line(paper: Paper) -> str:
    """The bold first line: "Antwort zur Anfrage Nr. AF/0013/2021", else the type, "Antrag"."""
    label = str(paper.get_paper_type_display())
    target = paper.responds_to
    if paper.paper_type not in _RESPONDING_TYPES or target is None:
        return label
    if not target.reference:
        return f"{label} {_RESPONDED_TO[target.paper_type]}"
    return _("%(label)s %(target)s Nr. %(reference)s") % {
        "label": label,
        "target": _RESPONDED_TO[target.paper_type],
        "reference": target.reference,
    }


def number_label(number: str) -> str:
    """ "1" → "1.", as the papers print it; "1." or "a)" stay as they are."""
    number = number.strip()
    if not number or number[-1] in ".)":
        return number
    return f"{number}."


def route_step(consultation: Consultation) -> RouteStep:
    agenda_item = consultation.agenda_item
    publicity = ""
    if agenda_item is not None:
        publicity = _("öffentlich") if agenda_item.public else _("nicht öffentlich")
    return RouteStep(
        consultation=consultation,
        date=_consultation_date(consultation),
        outcome_rows=_outcome_rows(consultation.outcome),
        vote_boxes=_vote_boxes(consultation),
        agenda_number=agenda_item.number if agenda_item is not None else "",
        publicity=publicity,
    )


def _consultation_date(consultation: Consultation) -> datetime.date | None:
    if consultation.planned_date is not None:
        return consultation.planned_date
    if consultation.meeting is not None:
        return timezone.localdate(consultation.meeting.start)
    return None


def _outcome_rows(outcome: str) -> list[list[Checkbox]]:
    return [[Checkbox(str(label), code == outcome) for code, label in row] for row in _OUTCOME_GRID]


def _vote_boxes(consultation: Consultation) -> list[Checkbox]:
    # A box is ticked only when someone abstained or voted against; 0 is printed but not ticked.
    counts = (
        (_("Enthaltungen"), consultation.votes_abstain),
        (_("Gegenstimmen"), consultation.votes_no),
    )
    return [Checkbox(label, bool(count), count) for label, count in counts]


def paper_context(paper: Paper) -> dict[str, Any]:
    """Everything the PDF template prints, with what it needs preloaded."""
    sections = paper.sections.order_by("position")
    # By date, without results of meetings that have not taken place (queries.route_of()).
    consultations = queries.route_of(paper)
    return {
        "paper": paper,
        "city": settings.CITY,
        "title_line": title_line(paper),
        "sections": [SectionView(section, number_label(section.number)) for section in sections],
        "route": [route_step(consultation) for consultation in consultations],
        # The paper's own; public with it (queries.attachments_of()).
        "attachments": queries.attachments_of(paper),
    }


def paper_pdf(paper: Paper, *, language: str = "de") -> bytes:
    """The official PDF of ``paper``: header block, Gremienweg, text, standard sections."""
    # The labels built here must speak the PDF's language, not the language of the request.
    with translation.override(language):
        context = paper_context(paper)
        title = str(paper)
    return render_pdf("council/pdf/paper.html", context, title=title, language=language)


# Meeting documents ---------------------------------------------------------------------------


def _meeting_head(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "city": settings.CITY,
        "start": timezone.localtime(meeting.start),
        "end": timezone.localtime(meeting.end) if meeting.end else None,
    }


def invitation_context(meeting: Meeting) -> dict[str, Any]:
    """What the invitation prints: the meeting, and the agenda with non-public items by number."""
    fixed = meeting.agenda_fixed_at
    return {
        **_meeting_head(meeting),
        "fixed_on": timezone.localtime(fixed) if fixed else None,
        "agenda": queries.invitation_agenda(meeting),
    }


def minutes_context(meeting: Meeting, *, public_part: bool) -> dict[str, Any]:
    """What one part of the minutes prints: attendance (counts; names only where people may be
    named) and every item of that part with its result, votes and decision text."""
    return {
        **_meeting_head(meeting),
        "public_part": public_part,
        "attendance": queries.attendance_of(meeting, public=public_part),
        "agenda": queries.minutes_agenda(meeting, public_part=public_part),
    }


def invitation_title(meeting: Meeting) -> str:
    return _("Einladung: %(meeting)s") % {"meeting": meeting.display_name}


def minutes_title(meeting: Meeting, *, public_part: bool) -> str:
    if public_part:
        return _("Niederschrift: %(meeting)s") % {"meeting": meeting.display_name}
    return _("Niederschrift, nichtöffentlicher Teil: %(meeting)s") % {
        "meeting": meeting.display_name
    }


def invitation_pdf(context: dict[str, Any], *, language: str = "de") -> bytes:
    """The invitation to a meeting, from invitation_context()."""
    with translation.override(language):
        title = invitation_title(context["meeting"])
    return render_pdf("council/pdf/invitation.html", context, title=title, language=language)


def minutes_pdf(context: dict[str, Any], *, language: str = "de") -> bytes:
    """One part of a meeting's minutes, from minutes_context()."""
    with translation.override(language):
        title = minutes_title(context["meeting"], public_part=context["public_part"])
    return render_pdf("council/pdf/minutes.html", context, title=title, language=language)
