"""Meeting, its public agenda items, and its place as a Location."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from beirat.council.queries import MeetingState
from beirat.oparl.addresses import (
    EXTENSION_PREFIX,
    absolute,
    object_url,
    oparl_date,
    oparl_datetime,
    site_path,
)
from beirat.oparl.serializers.common import Payload, base, without_empty
from beirat.oparl.serializers.organization import committee_key

if TYPE_CHECKING:
    from beirat.council.models import AgendaItem, Meeting
    from beirat.council.queries import ItemResult

MEETING_STATES = {
    MeetingState.SCHEDULED: "terminiert",
    MeetingState.HELD: "durchgeführt",
    MeetingState.CANCELLED: "abgesagt",
}


def location(item: Meeting) -> Payload:
    return without_empty(
        {
            **base("location", "Location", item.pk, item),
            "description": item.location,
            "meetings": [object_url("meeting", item.pk)],
        }
    )


def agenda_item(item: AgendaItem, shown: ItemResult) -> Payload:
    """``shown``: the item's result as council.queries.result_of() lets it be shown (nothing
    before the meeting has taken place)."""
    consultation = shown.consultation
    payload = without_empty(
        {
            **base("agendaitem", "AgendaItem", item.pk, item),
            "meeting": object_url("meeting", item.meeting_id),
            "number": item.number,
            "name": item.name,
            "public": item.public,
            "consultation": object_url("consultation", consultation.pk) if consultation else None,
            "result": shown.result,
            "resolutionText": shown.decision_text or None,
        }
    )
    payload["order"] = getattr(item, "position_in_public_agenda", item.order)
    if consultation is not None and consultation.outcome:
        payload[f"{EXTENSION_PREFIX}outcome"] = consultation.outcome
    return payload


# File keys of a meeting's documents: "i12" the invitation, "p12" the public minutes of meeting 12
# (a paper's official PDF keeps the paper's plain number).
INVITATION_KEY, MINUTES_KEY = "i", "p"


@dataclass
class _Stamp:
    """The times of a document, which are not the meeting's own."""

    pk: int
    created_at: datetime.datetime
    modified_at: datetime.datetime


def _document(
    item: Meeting, key: str, stamp: _Stamp, *, name: str, file_name: str, page: str
) -> Payload:
    return without_empty(
        {
            **base("file", "File", key, stamp),
            "name": name,
            "fileName": file_name,
            "mimeType": "application/pdf",
            "date": oparl_date(timezone.localdate(stamp.created_at)),
            "accessUrl": absolute(site_path(page, "pk", item.pk)),
            "downloadUrl": absolute(site_path("oparl:file_download", "key", key)),
            "meeting": [object_url("meeting", item.pk)],
        }
    )


def invitation_file(item: Meeting) -> Payload:
    """The invitation (Einladung) as an OParl File: exists once the agenda is fixed."""
    fixed = item.agenda_fixed_at or item.modified_at
    return _document(
        item,
        f"{INVITATION_KEY}{item.pk}",
        _Stamp(item.pk, fixed, max(fixed, item.modified_at)),
        name=f"Einladung: {item.display_name}",
        file_name=f"einladung-sitzung-{item.pk}.pdf",
        page="council:meeting_invitation",
    )


def minutes_file(item: Meeting, modified: datetime.datetime) -> Payload:
    """The public minutes (Niederschrift, öffentlicher Teil) as an OParl File: exist once the
    meeting has taken place. ``modified``: when anything they print last changed."""
    return _document(
        item,
        f"{MINUTES_KEY}{item.pk}",
        _Stamp(item.pk, item.start, max(modified, item.start)),
        name=f"Niederschrift: {item.display_name}",
        file_name=f"niederschrift-sitzung-{item.pk}.pdf",
        page="council:meeting_minutes",
    )


def meeting(
    item: Meeting,
    items: list[AgendaItem],
    results: dict[int, ItemResult],
    *,
    invitation: Payload | None = None,
    minutes: Payload | None = None,
) -> Payload:
    return without_empty(
        {
            **base("meeting", "Meeting", item.pk, item, item.get_absolute_url()),
            "name": item.display_name,
            "meetingState": MEETING_STATES[MeetingState(item.state)],
            "cancelled": item.state == MeetingState.CANCELLED,
            "start": oparl_datetime(item.start),
            "end": oparl_datetime(item.end) if item.end else None,
            "location": location(item) if item.location else None,
            "organization": [object_url("organization", committee_key(item.committee_id))],
            "agendaItem": [agenda_item(entry, results[entry.pk]) for entry in items],
            "invitation": invitation,
            "resultsProtocol": minutes,
        }
    )
