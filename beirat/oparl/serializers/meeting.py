"""Meeting, its public agenda items, and its place as a Location."""

from __future__ import annotations

from typing import TYPE_CHECKING

from beirat.council.queries import MeetingState
from beirat.oparl.addresses import EXTENSION_PREFIX, object_url, oparl_datetime
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


def meeting(item: Meeting, items: list[AgendaItem], results: dict[int, ItemResult]) -> Payload:
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
        }
    )
