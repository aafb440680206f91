"""The city in figures (/zahlen/): the numbers on known data, small groups hidden, nothing
non-public counted, and charts that are small, named and described."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone, translation

from beirat.board.models import Recommendation
from beirat.council.models import Mandate
from beirat.figures import cells, queries
from beirat.submissions.models import Event, Submission
from tests.factories.board import RecommendationFactory
from tests.factories.council import MandateFactory, PublishedPaperFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
# Mid-March 2026: the months shown are March 2025 to February 2026.
NOW = timezone.make_aware(datetime.datetime(2026, 3, 15, 12, 0))


def local(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def submission(received: datetime.datetime, answered_after_days: float | None = None):
    found = SubmissionFactory()
    answered = (
        None
        if answered_after_days is None
        else received + datetime.timedelta(days=answered_after_days)
    )
    Submission.objects.filter(pk=found.pk).update(received_at=received, first_answered_at=answered)
    found.refresh_from_db()
    return found


def last_month_day(now: datetime.datetime, day: int = 3) -> datetime.datetime:
    """A moment in the last whole month before ``now``."""
    first = timezone.localtime(now).date().replace(day=1)
    before = first - datetime.timedelta(days=1)
    return local(before.year, before.month, day)


# Suppression ---------------------------------------------------------------------------------


def test_four_is_hidden_five_is_shown_and_zero_is_shown():
    with translation.override("de"):
        assert cells.count(4).hidden
        assert cells.count(4).text == "weniger als 5"
        assert cells.count(4).value is None
        assert not cells.count(5).hidden
        assert cells.count(5).text == "5"
        assert cells.count(0).text == "0"
        assert cells.count(1).hidden


def test_a_median_or_share_on_fewer_than_five_is_hidden():
    assert cells.measure(3.5, basis=4).hidden
    assert not cells.measure(3.5, basis=5).hidden
    assert cells.measure(None, basis=0).text == "–"


def test_a_total_with_a_hidden_part_is_hidden_so_the_part_cannot_be_worked_out():
    assert cells.total([10, 3, 12]).hidden
    assert cells.total([10, 0, 12]).value == 22


def test_numbers_are_in_german_format_on_the_german_page():
    with translation.override("de"):
        assert cells.formatted(12345) == "12.345"
        assert cells.measure(3.5, basis=9).text == "3,5"
        assert cells.measure(87.0, basis=9, decimals=0, suffix=" %").text == "87 %"
    with translation.override("en"):
        assert cells.formatted(12345) == "12,345"


# Figures on known data -----------------------------------------------------------------------


def test_the_months_are_the_twelve_whole_months_before_this_one():
    months = queries.completed_months(NOW)

    assert [m.first_day for m in (months[0], months[-1])] == [
        datetime.date(2025, 3, 1),
        datetime.date(2026, 2, 1),
    ]
    assert len(months) == 12
    assert months[-1].end == local(2026, 3, 1, 0)


def test_submissions_per_month_and_first_answers_on_known_data():
    # January 2026: six submissions answered after 1, 2, 3, 4, 20 days and one not at all.
    for days in (1, 2, 3, 4, 20):
        submission(local(2026, 1, 5), answered_after_days=days)
    submission(local(2026, 1, 6))
    # February: five answered after 10 days; December 2025: four; March (this month): one.
    for _ in range(5):
        submission(local(2026, 2, 2), answered_after_days=10)
    for _ in range(4):
        submission(local(2025, 12, 2), answered_after_days=1)
    submission(local(2026, 3, 2), answered_after_days=1)

    figures = queries.city_figures(NOW)

    assert figures.received[-3:] == [4, 6, 5]
    assert sum(figures.received) == 15  # the current month is not counted
    january = figures.answers[-2]
    assert january.median == 3  # of 1, 2, 3, 4, 20
    assert (january.due, january.in_time) == (6, 4)  # the unanswered one is late
    assert figures.answers[-1].median == 10
    assert figures.answers[-1].share_in_time == 100
    # 1 1 1 1 1 2 3 | 4 10 10 10 10 10 20: fourteen answers, the median between 3 and 4
    assert figures.all_answers.median == 3.5


def test_an_unanswered_submission_within_the_target_does_not_count_in_the_share_yet():
    now = local(2026, 3, 5)
    submission(local(2026, 2, 25))  # eight days without an answer: not late yet
    submission(local(2026, 2, 10))  # 23 days: late, whenever the answer comes
    submission(local(2026, 2, 11), answered_after_days=2)

    answers = queries.city_figures(now).all_answers

    assert (answers.due, answers.in_time) == (2, 1)


def test_where_submissions_went_counts_public_steps_only():
    went = [submission(local(2026, 2, 3)) for _ in range(7)]
    for one in went[:5]:
        Event.objects.create(submission=one, kind=Event.Kind.FORWARDED)
    Event.objects.create(submission=went[0], kind=Event.Kind.REPLIED)  # forwarded and answered
    Event.objects.create(submission=went[0], kind=Event.Kind.REPLIED)  # one submission, once
    Event.objects.create(submission=went[5], kind=Event.Kind.BOARD_STATEMENT)
    # Internal steps count nowhere.
    Event.objects.create(submission=went[6], kind=Event.Kind.FORWARDED, public=False)
    Event.objects.create(submission=went[6], kind=Event.Kind.DECLINED, public=False)

    outcomes = queries.city_figures(NOW).outcomes

    assert outcomes == {
        "answered": 2,
        "forwarded": 5,
        "board_consulted": 0,
        "merged": 0,
        "declined": 0,
    }


def test_recommendations_by_year_and_status_count_public_ones_only():
    for status in ["open"] * 5 + ["implemented"] * 2:
        RecommendationFactory(status=status)
    hidden = RecommendationFactory(status="open", public=False)
    Recommendation.objects.filter(pk=hidden.pk).update(created_at=local(2024, 5, 1))
    earlier = RecommendationFactory(status="implemented")
    Recommendation.objects.filter(pk=earlier.pk).update(created_at=local(2025, 5, 1))

    years, counts = queries.recommendation_cohorts()

    this_year = timezone.localdate().year
    assert years == list(range(2025, this_year + 1))  # the hidden one's 2024 is not a year
    assert counts[(this_year, "open")] == 5
    assert counts[(this_year, "implemented")] == 2
    assert counts[(2025, "implemented")] == 1
    assert sum(counts.values()) == 8


def test_open_and_overdue_mandates_of_public_papers_only():
    paper = PublishedPaperFactory()
    created = local(2025, 6, 1)
    made = [
        MandateFactory(paper=paper, due_date=datetime.date(2026, 1, 31)),  # overdue since Feb
        MandateFactory(paper=paper, due_date=datetime.date(2026, 12, 31)),  # open, not late
        MandateFactory(
            paper=paper,
            due_date=datetime.date(2025, 12, 1),
            status=Mandate.Status.DONE,
            completed_on=datetime.date(2026, 1, 10),  # done in January
        ),
        MandateFactory(paper=PublishedPaperFactory(public=False), due_date=None),
    ]
    Mandate.objects.filter(pk__in=[m.pk for m in made]).update(created_at=created)

    points = queries.mandate_points(queries.completed_months(NOW), NOW)

    by_day = {point.label_day: (point.open, point.overdue) for point in points}
    assert by_day[datetime.date(2025, 5, 31)] == (0, 0)  # before they were entered
    assert by_day[datetime.date(2025, 12, 31)] == (3, 1)  # the third was late in December
    assert by_day[datetime.date(2026, 1, 31)] == (2, 1)  # done; the first due that day
    assert by_day[None] == (2, 1)


# The page ------------------------------------------------------------------------------------


def test_the_page_hides_four_and_shows_five(anonymous):
    received = last_month_day(timezone.now())
    for _ in range(4):
        submission(received, answered_after_days=2)

    page = anonymous.get("/zahlen/").content.decode()
    table = _table(page, "eingaben")
    assert "weniger als 5" in table
    assert ">4<" not in table

    submission(received, answered_after_days=2)
    page = anonymous.get("/zahlen/").content.decode()
    table = _table(page, "eingaben")
    assert ">5<" in table
    assert "weniger als 5" not in table
    assert "2,0" in _table(page, "antwortzeit")  # the median, now resting on five


def test_every_chart_is_small_named_described_and_loads_nothing(anonymous):
    received = last_month_day(timezone.now())
    for index in range(40):
        one = submission(received + datetime.timedelta(hours=index), answered_after_days=index)
        Event.objects.create(submission=one, kind=Event.Kind.REPLIED)
    for _ in range(6):
        RecommendationFactory(status="in_progress")
    for _ in range(5):
        MandateFactory(due_date=datetime.date(2020, 1, 1))

    response = anonymous.get("/zahlen/")
    page = response.content.decode()
    charts = SVG.findall(page)

    assert response.status_code == 200
    assert len(charts) == 5
    for chart in charts:
        assert len(chart.encode()) < 30_000
        root = ET.fromstring(chart)  # noqa: S314 - the page this test just rendered
        ns = "{http://www.w3.org/2000/svg}"
        title, desc = root.find(f"{ns}title"), root.find(f"{ns}desc")
        assert title is not None
        assert title.text
        assert desc is not None
        assert desc.text
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert root.find(f".//{ns}rect") is not None  # bars were drawn
        assert "style" not in chart
        assert "script" not in chart
        assert re.findall(r"https?://", chart) == ["http://"]  # the namespace, nothing fetched
    assert ' style="' not in page


def test_without_submissions_the_page_says_so_instead_of_drawing_empty_axes(anonymous):
    RecommendationFactory()  # a hidden figure ("<5") is still drawn as a mark

    page = anonymous.get("/zahlen/").content.decode()

    assert len(SVG.findall(page)) == 1
    assert 'id="chart-empfehlungen-title"' in page
    assert page.count("Für diesen Zeitraum gibt es noch keine Zahlen.") == 4


def test_the_page_names_nobody_who_handled_a_submission(anonymous, triage_user):
    received = last_month_day(timezone.now())
    for _ in range(5):
        one = submission(received, answered_after_days=1)
        Event.objects.create(submission=one, kind=Event.Kind.REPLIED, actor=triage_user)

    page = anonymous.get("/zahlen/").content.decode()

    assert triage_user.username not in page
    assert "Parkplatz-App" not in page  # no submission's title either


def test_the_footer_links_the_page(anonymous):
    page = anonymous.get("/").content.decode()
    footer = page[page.index("<footer") :]

    assert 'href="/zahlen/"' in footer
    assert footer.index("/offene-daten/") < footer.index("/zahlen/")


def test_the_page_is_kept_for_anonymous_visitors(anonymous, django_assert_num_queries):
    anonymous.get("/zahlen/")
    with django_assert_num_queries(0):
        assert anonymous.get("/zahlen/").status_code == 200


def test_the_page_is_english_in_english(anonymous):
    anonymous.get("/sprache/en/")
    page = anonymous.get("/zahlen/").content.decode()

    assert "The city in figures" in page


def _table(page: str, key: str) -> str:
    section = page[page.index(f'id="{key}"') :]
    section = section[: section.index("</section>")]
    return section[section.index("<table") : section.index("</table>")]
