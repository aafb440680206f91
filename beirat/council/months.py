"""The month view of /sitzungen/: one month as weeks of days, each with its meetings."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from beirat.core.roles import AnyUser
from beirat.council import queries
from beirat.council.models import Meeting
from beirat.directory.models import Committee

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 2200


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    today: bool
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The whole date, for the list the month becomes on a phone."""
        # Translators: a date format (Django's date filter): "Monday, 5 March" in English.
        return formats.date_format(self.date, _("l, j. F"))


@dataclass(frozen=True)
class Month:
    first: datetime.date
    weeks: list[list[Day]]
    weekdays: list[tuple[str, str]]  # (short, full) from Monday
    count: int
    previous: datetime.date | None  # the month of the last meeting before, or this month
    next: datetime.date | None  # the month of the next meeting after, or this month

    @property
    def label(self) -> str:
        return formats.date_format(self.first, "F Y")

    @property
    def this_month(self) -> datetime.date:
        return timezone.localdate().replace(day=1)

    @property
    def offers_this_month(self) -> bool:
        """Whether "this month" is a link of its own (not shown, not a neighbour)."""
        return self.this_month not in (self.first, self.previous, self.next)


def parse_month(text: str) -> datetime.date | None:
    """``2026-03`` as the first of that month; None for anything else."""
    found = MONTH.match(text)
    if found is None:
        return None
    year, month = int(found[1]), int(found[2])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def _weekdays() -> list[tuple[str, str]]:
    monday = datetime.date(2024, 1, 1)  # a Monday
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    return [(formats.date_format(day, "D"), formats.date_format(day, "l")) for day in days]


def month_of(user: AnyUser, text: str, committee: Committee | None) -> Month:
    """The month named by ``text`` (this month if it names none) with the meetings the user
    may see, of one committee or all."""
    today = timezone.localdate()
    first = parse_month(text) or today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    by_day: dict[datetime.date, list[Meeting]] = {}
    meetings = queries.meetings_between(user, first, last, committee)
    for meeting in meetings:
        by_day.setdefault(timezone.localdate(meeting.start), []).append(meeting)
    weeks = [
        [Day(day, day.month == first.month, day == today, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    earlier, later = queries.neighbouring_meeting_days(user, first, last, committee)
    this_month = today.replace(day=1)
    previous = earlier.replace(day=1) if earlier else None
    following = later.replace(day=1) if later else None
    # This month is a step of its own, with meetings or without.
    if first > this_month and (previous is None or previous < this_month):
        previous = this_month
    if first < this_month and (following is None or following > this_month):
        following = this_month
    return Month(
        first=first,
        weeks=weeks,
        weekdays=_weekdays(),
        count=len(meetings),
        previous=previous,
        next=following,
    )
