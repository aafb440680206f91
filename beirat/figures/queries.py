"""The figures of /zahlen/, counted from the other apps' public reads (their queries modules).

Submissions count by the month they were received, and only whole months that have ended: the
current month would show a new submission the day it arrives, and the page stays the same
through the month. Recommendations and mandates are public one by one (/empfehlungen/,
/beschlusskontrolle/); they are counted from exactly what those pages show.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from beirat.board import queries as board_queries
from beirat.council import queries as council_queries
from beirat.submissions import queries as submission_queries

MONTHS_SHOWN = 12
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Month:
    first_day: datetime.date
    start: datetime.datetime  # aware, local midnight of the first day
    end: datetime.datetime  # the next month's start


@dataclass(frozen=True)
class AnswerMonth:
    """Times to the first answer of the submissions received in one month, in days; ``due`` is
    how many of them had an answer or have passed the target without one (the share's basis),
    ``in_time`` how many of those were answered within the target."""

    days: list[float]
    due: int
    in_time: int

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def share_in_time(self) -> float | None:
        return 100 * self.in_time / self.due if self.due else None


@dataclass(frozen=True)
class MandatePoint:
    label_day: datetime.date | None  # the month's last day, or None for "today"
    open: int
    overdue: int


@dataclass(frozen=True)
class CityFigures:
    months: list[Month]
    received: list[int]
    answers: list[AnswerMonth]
    all_answers: AnswerMonth
    target_days: int
    outcomes: dict[str, int]
    statuses: list[tuple[str, str]]
    recommendation_years: list[int]
    recommendations: dict[tuple[int, str], int]
    mandates: list[MandatePoint]


def city_figures(now: datetime.datetime | None = None) -> CityFigures:
    now = now or timezone.now()
    months = completed_months(now)
    times = submission_queries.answer_times(months[0].start, months[-1].end)
    target = datetime.timedelta(days=settings.BEIRAT_RESPONSE_DAYS)
    by_month = [[t for t in times if month.start <= t.received_at < month.end] for month in months]
    years, recommendations = recommendation_cohorts()
    return CityFigures(
        months=months,
        received=[len(found) for found in by_month],
        answers=[answer_month(found, target, now) for found in by_month],
        all_answers=answer_month(times, target, now),
        target_days=settings.BEIRAT_RESPONSE_DAYS,
        outcomes=submission_queries.outcome_counts(months[0].start, months[-1].end),
        statuses=board_queries.public_status_labels(),
        recommendation_years=years,
        recommendations=recommendations,
        mandates=mandate_points(months, now),
    )


def completed_months(now: datetime.datetime, count: int = MONTHS_SHOWN) -> list[Month]:
    """The ``count`` whole months before the current one (local time), oldest first."""
    today = timezone.localtime(now).date()
    first_days = []
    year, month = today.year, today.month
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        first_days.append(datetime.date(year, month, 1))
    first_days.reverse()
    following = [*first_days[1:], today.replace(day=1)]
    return [
        Month(first, _local_midnight(first), _local_midnight(after))
        for first, after in zip(first_days, following, strict=True)
    ]


def answer_month(
    times: list[submission_queries.AnswerTime],
    target: datetime.timedelta,
    now: datetime.datetime,
) -> AnswerMonth:
    days, due, in_time = [], 0, 0
    for time in times:
        if time.first_answered_at is not None:
            waited = time.first_answered_at - time.received_at
            days.append(waited / DAY)
            due += 1
            in_time += waited <= target
        elif now - time.received_at > target:
            due += 1  # still unanswered after the target: late, whenever the answer comes
    return AnswerMonth(days, due, in_time)


def recommendation_cohorts() -> tuple[list[int], dict[tuple[int, str], int]]:
    """The years public recommendations were entered in (every year from the first to this
    one) and how many of each year have each status now."""
    found = Counter(
        (timezone.localtime(entered).year, status)
        for entered, status in board_queries.public_statuses_by_entry()
    )
    if not found:
        return [], {}
    first = min(year for year, _status in found)
    return list(range(first, timezone.localdate().year + 1)), dict(found)


def mandate_points(months: list[Month], now: datetime.datetime) -> list[MandatePoint]:
    """Open and overdue public mandates at the end of each month, and today."""
    mandates = council_queries.public_mandate_dates()
    today = timezone.localtime(now).date()
    # (moment, done if completed before, overdue if due before): at a month's end both are the
    # next month's first day; today a mandate completed today is done, one due today not late.
    moments = [(month.end, month.end.date(), month.end.date()) for month in months]
    points = []
    for moment, done_before, due_before in [*moments, (now, today + DAY, today)]:
        still_open = [
            m
            for m in mandates
            if m.created_at < moment and (m.completed_on is None or m.completed_on >= done_before)
        ]
        overdue = [m for m in still_open if m.due_date is not None and m.due_date < due_before]
        label_day = None if moment is now else done_before - DAY
        points.append(MandatePoint(label_day, len(still_open), len(overdue)))
    return points


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
