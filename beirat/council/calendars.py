"""Meetings as iCalendar (RFC 5545) for calendar programs: one meeting, one committee, all.

Only public meetings of public committees, whoever asks (queries.public_calendar_meetings()):
a subscribed calendar is fetched without a login and must not depend on who subscribed. Times
are written in the city's zone (Europe/Berlin) with its VTIMEZONE, so that a meeting at 17:00
stays at 17:00 across the change to summer time. A cancelled meeting stays in the calendar as
STATUS:CANCELLED, so that programs remove it from their view instead of keeping the old date.

Every byte depends on the data alone (no "now", no random UID): each meeting keeps its UID
for ever (``sitzung-<id>@<host>``), DTSTAMP and LAST-MODIFIED are its last change. The
agenda's public items are named; results never are (they belong to the meeting page, shown
only after the meeting has taken place).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from beirat.council import queries
from beirat.council.models import Meeting

# How often a subscribing program should fetch the calendar again (RFC 7986 REFRESH-INTERVAL).
REFRESH = datetime.timedelta(hours=6)


def _host() -> str:
    return urlsplit(settings.BEIRAT_SITE_URL).hostname or "beirat.invalid"


def meeting_uid(meeting: Meeting) -> str:
    """The meeting's UID in every calendar, for ever: its database key and the site's host."""
    return f"sitzung-{meeting.pk}@{_host()}"


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(_zone()).replace(microsecond=0)


def _event(meeting: Meeting, items: Iterable[str]) -> icalendar.Event:
    url = settings.BEIRAT_SITE_URL + meeting.get_absolute_url()
    cancelled = meeting.state == Meeting.State.CANCELLED
    summary = meeting.name or meeting.committee.name
    if cancelled:
        summary = _("Abgesagt: %(meeting)s") % {"meeting": summary}
    lines = [_("Gremium: %(committee)s") % {"committee": meeting.committee.name}]
    agenda = list(items)
    if agenda:
        lines += ["", _("Tagesordnung (öffentlicher Teil):"), *agenda]
    lines += ["", url]
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", _utc(meeting.modified_at))
    event.add("created", _utc(meeting.created_at))
    event.add("last-modified", _utc(meeting.modified_at))
    event.add("dtstart", _local(meeting.start))
    if meeting.end is not None:
        event.add("dtend", _local(meeting.end))
    event.add("summary", summary)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("class", "PUBLIC")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _berlin(meetings: list[Meeting]) -> icalendar.Timezone:
    """The city's VTIMEZONE, with its changes from the year of the first meeting to the year
    after the last (this year and the next without meetings); always present, so that even
    an empty calendar is a valid one (RFC 5545 asks for at least one component)."""
    years = [_local(meeting.start).year for meeting in meetings]
    years += [_local(meeting.end).year for meeting in meetings if meeting.end is not None]
    if not years:
        years = [timezone.localdate().year]
    first = datetime.date(min(years), 1, 1)
    last = datetime.date(max(years) + 2, 1, 1)
    return icalendar.Timezone.from_tzid(settings.TIME_ZONE, first_date=first, last_date=last)


def calendar(meetings: Iterable[Meeting], *, name: str, key: str) -> icalendar.Calendar:
    """A calendar of the meetings (read with queries.public_calendar_meetings(), which gives
    each its public agenda items as ``public_items``); ``key`` makes its UID."""
    found = list(meetings)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//beirat//{settings.CITY['name']}//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("uid", f"{key}@{_host()}")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    cal.add_component(_berlin(found))
    for meeting in found:
        items = getattr(meeting, "public_items", None)
        if items is None:
            items = queries.public_agenda_of(meeting)
        cal.add_component(_event(meeting, (str(item) for item in items)))
    return cal


def response(cal: icalendar.Calendar, filename: str) -> HttpResponse:
    answer = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    return answer
