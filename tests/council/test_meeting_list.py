"""/sitzungen/: filters (committee, year, coming or past), start and end time, the month view."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from beirat.council.models import Meeting
from beirat.council.months import parse_month
from tests.factories.council import MeetingFactory
from tests.factories.directory import CommitteeFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def meetings():
    council = CommitteeFactory(name="Stadtrat", slug="stadtrat")
    digital = CommitteeFactory(name="Digitalisierungsausschuss", slug="digital")
    now = timezone.now()
    return {
        "old": MeetingFactory(
            committee=council, start=datetime.datetime(2024, 3, 5, 17, tzinfo=BERLIN)
        ),
        "last_year": MeetingFactory(
            committee=digital,
            start=datetime.datetime(2025, 3, 20, 16, tzinfo=BERLIN),
            end=datetime.datetime(2025, 3, 20, 18, 15, tzinfo=BERLIN),
        ),
        "coming": MeetingFactory(committee=digital, start=now + datetime.timedelta(days=10)),
        "later": MeetingFactory(committee=council, start=now + datetime.timedelta(days=40)),
        "running": MeetingFactory(
            committee=council,
            start=now - datetime.timedelta(hours=1),
            end=now + datetime.timedelta(hours=1),
        ),
        "closed": MeetingFactory(
            committee=digital, name="Xqjv geschlossen", public=False, start=now
        ),
    }


def _listed(client, query: str) -> list[str]:
    """The meeting pages linked from the list, in order."""
    html = client.get(f"/sitzungen/?{query}").content.decode()
    table = html[html.index("<main") : html.index("</table>")] if "</table>" in html else ""
    return re.findall(r'href="/sitzungen/(\d+)/"', table)


def _ids(meetings, *names):
    return [str(meetings[name].pk) for name in names]


def test_all_meetings_newest_first_without_closed_ones(anonymous, meetings):
    assert _listed(anonymous, "") == _ids(
        meetings, "later", "coming", "running", "last_year", "old"
    )


def test_a_clerk_also_sees_closed_meetings(clerk, meetings):
    assert str(meetings["closed"].pk) in _listed(clerk, "")


def test_filter_by_committee(anonymous, meetings):
    assert _listed(anonymous, "gremium=digital") == _ids(meetings, "coming", "last_year")


def test_filter_by_year(anonymous, meetings):
    assert _listed(anonymous, "jahr=2024") == _ids(meetings, "old")
    html = anonymous.get("/sitzungen/").content.decode()
    assert '<option value="2025">2025</option>' in html
    assert '<option value="2024">2024</option>' in html


def test_coming_meetings_soonest_first_with_the_running_one(anonymous, meetings):
    assert _listed(anonymous, "zeitraum=kommende") == _ids(meetings, "running", "coming", "later")


def test_past_meetings_newest_first(anonymous, meetings):
    assert _listed(anonymous, "zeitraum=vergangene") == _ids(meetings, "last_year", "old")


def test_filters_combine(anonymous, meetings):
    assert _listed(anonymous, "gremium=stadtrat&zeitraum=vergangene") == _ids(meetings, "old")
    assert _listed(anonymous, "gremium=digital&jahr=2024") == []


def test_a_bad_filter_value_is_ignored_with_a_message_not_an_error(anonymous, meetings):
    response = anonymous.get("/sitzungen/?gremium=gibt-es-nicht&jahr=abc&zeitraum=gestern")
    assert response.status_code == 200
    assert _listed(anonymous, "gremium=gibt-es-nicht") == _listed(anonymous, "")


def test_a_closed_committee_is_no_choice_for_visitors(anonymous, meetings):
    hidden = CommitteeFactory(name="Xqjv Runde", slug="xqjv", public=False)
    MeetingFactory(committee=hidden)
    html = anonymous.get("/sitzungen/").content.decode()
    assert "Xqjv" not in html
    assert _listed(anonymous, "gremium=xqjv") == _listed(anonymous, "")


def test_the_list_shows_start_and_end(anonymous, meetings):
    html = " ".join(anonymous.get("/sitzungen/?jahr=2025").content.decode().split())
    assert "20.03.2025" in html
    assert "16:00–18:15 Uhr" in html


def test_the_meeting_page_shows_its_end(anonymous, meetings):
    html = " ".join(
        anonymous.get(meetings["last_year"].get_absolute_url()).content.decode().split()
    )
    assert "20.03.2025, 16:00 Uhr" in html
    assert "<dt>Ende</dt><dd>18:15 Uhr</dd>" in html


def test_the_month_view_puts_meetings_on_their_days(anonymous, meetings):
    html = anonymous.get("/sitzungen/?ansicht=monat&monat=2025-03").content.decode()
    assert "März 2025" in html
    grid = html[html.index("<table") : html.index("</table>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", grid, re.DOTALL)
    busy = [cell for cell in cells if "/sitzungen/" in cell]
    assert len(busy) == 1
    assert ">20<" in busy[0]
    assert "Donnerstag, 20. März" in busy[0]
    assert "16:00 Digitalisierungsausschuss" in busy[0]
    assert "1 Sitzung in diesem Monat." in html
    # The next month with a meeting of the committee, the committee kept.
    filtered = anonymous.get("/sitzungen/?ansicht=monat&monat=2025-03&gremium=digital")
    this_month = f"{timezone.localdate():%Y-%m}"
    assert f'href="?ansicht=monat&amp;monat={this_month}&amp;gremium=digital"' in (
        filtered.content.decode()
    )


def test_the_month_view_shows_this_month_by_default_and_marks_today(anonymous, meetings):
    html = anonymous.get("/sitzungen/?ansicht=monat").content.decode()
    today = timezone.localdate()
    assert 'aria-current="date"' in html
    assert f'name="monat" value="{today:%Y-%m}"' in html  # the form keeps the month
    assert "Dieser Monat" not in html


def test_the_month_view_shows_cancelled_meetings_and_hides_closed_ones(anonymous, meetings):
    cancelled = MeetingFactory(
        committee=meetings["old"].committee,
        start=datetime.datetime(2024, 3, 12, 9, tzinfo=BERLIN),
        state=Meeting.State.CANCELLED,
    )
    MeetingFactory(
        committee=meetings["old"].committee,
        name="Xqjv geschlossen",
        start=datetime.datetime(2024, 3, 13, 9, tzinfo=BERLIN),
        public=False,
    )
    html = anonymous.get("/sitzungen/?ansicht=monat&monat=2024-03").content.decode()
    assert f'href="{cancelled.get_absolute_url()}"' in html
    assert "(abgesagt)" in html
    assert "Xqjv" not in html
    assert "2 Sitzungen in diesem Monat." in html


@pytest.mark.parametrize("month", ["2025-13", "1899-12", "20250", "x", "2201-01"])
def test_a_bad_month_shows_this_month(month, anonymous):
    assert parse_month(month) is None
    response = anonymous.get(f"/sitzungen/?ansicht=monat&monat={month}")
    assert response.status_code == 200
    assert f'name="monat" value="{timezone.localdate():%Y-%m}"' in response.content.decode()


def _steps(client, month: str, query: str = "") -> tuple[str | None, str | None]:
    html = client.get(f"/sitzungen/?ansicht=monat&monat={month}{query}").content.decode()
    found = {}
    for rel in ("prev", "next"):
        link = re.search(rf'rel="{rel}" href="\?ansicht=monat&amp;monat=([0-9-]+)', html)
        found[rel] = link[1] if link else None
    return found["prev"], found["next"]


def test_the_month_view_steps_from_month_to_month_with_meetings(anonymous, meetings):
    """No endless paging through empty months, for people and crawlers alike; this month is
    always a step."""
    this_month = f"{timezone.localdate():%Y-%m}"
    assert _steps(anonymous, "2024-03") == (None, "2025-03")
    assert _steps(anonymous, "2024-07") == ("2024-03", "2025-03")
    assert _steps(anonymous, "2025-03")[0] == "2024-03"
    assert _steps(anonymous, "2025-03", "&gremium=digital") == (None, this_month)
    far = _steps(anonymous, "2030-01")
    assert far[1] is None
    assert far[0] is not None
    assert far[0] > this_month  # the latest coming meeting's month
    # Closed meetings are no step for visitors.
    MeetingFactory(public=False, start=datetime.datetime(2022, 5, 1, 12, tzinfo=BERLIN))
    assert _steps(anonymous, "2024-03") == (None, "2025-03")


def test_the_committee_page_lists_coming_meetings_and_subscriptions(anonymous, meetings):
    html = anonymous.get("/gremien/digital/").content.decode()
    assert meetings["coming"].get_absolute_url() in html
    assert "/sitzungen/?gremium=digital" in html
    assert "/gremien/digital/kalender.ics" in html
    assert "/gremien/digital/feed/" in html


def test_a_closed_committees_page_offers_a_clerk_no_calendar(clerk, db):
    hidden = CommitteeFactory(slug="xqjv", public=False)
    html = clerk.get(f"/gremien/{hidden.slug}/").content.decode()
    assert "kalender.ics" not in html
    assert "/feed/" not in html
