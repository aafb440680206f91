"""The official PDF of a paper, kept in file storage per version of the paper.

A version changes whenever the paper or its committee route changes, and when a meeting on the
route takes place (its results may then be printed), so a stored PDF is never stale. Services
enqueue a rendering after commit; a request that finds no current file renders it itself, so
nobody waits for a worker that is down.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max

from beirat.council import queries
from beirat.council.models import Meeting, Paper
from beirat.council.pdf import (
    invitation_context,
    invitation_pdf,
    minutes_context,
    minutes_pdf,
    paper_pdf,
)
from beirat.council.queries import MinutesRow

FOLDER = "vorlagen-pdf"


def pdf_version(paper: Paper) -> str:
    route_changed = paper.consultations.aggregate(latest=Max("modified_at"))["latest"]
    withheld = list(
        paper.consultations.exclude(queries.consultations_with_results())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stamp = f"{paper.pk}|{paper.modified_at.isoformat()}|{route_changed}|{withheld}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def _path(paper: Paper, version: str) -> str:
    return f"{FOLDER}/{paper.pk}/{version}.pdf"


def current_pdf(paper: Paper) -> bytes:
    """The PDF of the paper as it is now, rendered and stored if not there yet."""
    path = _path(paper, pdf_version(paper))
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return bytes(stored.read())
    return store_pdf(paper)


def store_pdf(paper: Paper) -> bytes:
    """Render the current version, store it and remove older versions."""
    version = pdf_version(paper)
    content = paper_pdf(paper)
    path = _path(paper, version)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    folder = f"{FOLDER}/{paper.pk}"
    if default_storage.exists(folder):
        _directories, files = default_storage.listdir(folder)
        for name in files:
            if name != f"{version}.pdf":
                default_storage.delete(f"{folder}/{name}")
    return content


# Meeting documents: the invitation and the two parts of the minutes, kept per version too. A
# version is the fingerprint of everything the document prints, so any change of the meeting,
# its agenda, results, attendance or of who may be named gives a new file, and nothing stale
# (no name that may no longer be shown) is ever served.

MEETING_FOLDER = "sitzungen-pdf"
# Raised when a template's layout changes, so that files of the old layout are rendered anew.
MEETING_LAYOUT = "1"
INVITATION, PUBLIC_MINUTES, CLOSED_MINUTES = "einladung", "niederschrift", "nichtoeffentlich"


def _fingerprint(parts: Iterable[object]) -> str:
    stamp = "|".join(repr(part) for part in (MEETING_LAYOUT, *parts))
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def _meeting_stamp(context: dict[str, Any]) -> list[object]:
    meeting: Meeting = context["meeting"]
    return [
        meeting.pk,
        meeting.display_name,
        meeting.committee.name,
        meeting.state,
        context["start"],
        context["end"],
        meeting.location,
        settings.CITY,
    ]


def _result_stamp(row: MinutesRow) -> tuple[object, ...]:
    result, consultation = row.result, row.result.consultation
    votes: tuple[object, ...] = ()
    if consultation is not None:
        votes = (consultation.outcome, consultation.votes_yes, consultation.votes_no)
        votes += (consultation.votes_abstain, consultation.votes_biased)
    item = row.item
    return (item.number, item.name, row.paper_reference, result.result, result.decision_text, votes)


def _stored(kind: str, meeting: Meeting, version: str, render: Callable[[], bytes]) -> bytes:
    folder = f"{MEETING_FOLDER}/{meeting.pk}/{kind}"
    path = f"{folder}/{version}.pdf"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return bytes(stored.read())
    content = render()
    default_storage.save(path, ContentFile(content))
    _directories, files = default_storage.listdir(folder)
    for name in files:
        if name != f"{version}.pdf":
            default_storage.delete(f"{folder}/{name}")
    return content


def invitation_document(meeting: Meeting) -> bytes:
    """The invitation as it is now (the caller has checked that it exists)."""
    context = invitation_context(meeting)
    version = _fingerprint([*_meeting_stamp(context), context["fixed_on"], *context["agenda"]])
    return _stored(INVITATION, meeting, version, lambda: invitation_pdf(context))


def minutes_document(meeting: Meeting, *, public_part: bool) -> bytes:
    """One part of the minutes as it is now (the caller has checked that they exist)."""
    context = minutes_context(meeting, public_part=public_part)
    rows = [_result_stamp(row) for row in context["agenda"]]
    version = _fingerprint([*_meeting_stamp(context), context["attendance"], *rows])
    kind = PUBLIC_MINUTES if public_part else CLOSED_MINUTES
    return _stored(kind, meeting, version, lambda: minutes_pdf(context))
