"""A visitor in a real browser: finds the coming meetings, switches to the month view, walks to
the month of a meeting, opens it and takes its calendar file; then finds the open data through
the footer. At phone and desktop width, with screenshots (test-artifacts/e2e/sitzungen/)."""

from __future__ import annotations

import datetime
import io
import warnings

import icalendar
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from beirat.council.models import Meeting
from beirat.directory.models import Committee

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(transactional_db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    council = Committee.objects.get(slug="stadtrat")
    soon = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
    soon += datetime.timedelta(days=7)
    coming = Meeting.objects.create(
        committee=council,
        start=soon,
        end=soon + datetime.timedelta(hours=2, minutes=30),
        location="Rathaus Koblenz, Ratssaal",
    )
    cancelled = Meeting.objects.create(
        committee=council,
        start=soon.replace(hour=10),
        location="Rathaus Koblenz, Ratssaal",
        state=Meeting.State.CANCELLED,
    )
    return coming, cancelled


def _month_name(day: datetime.date) -> str:
    months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember"]  # fmt: skip
    return f"{months[day.month - 1]} {day.year}"


def test_a_visitor_finds_a_meeting_in_the_month_view_and_takes_it_into_a_calendar(visitors, demo):
    coming, cancelled = demo
    visitor = visitors("besucher")
    page = visitor.page

    page.goto("/sitzungen/")
    page.get_by_label("Zeitraum").select_option(label="kommende")
    page.get_by_role("button", name="Filtern").click()
    day = timezone.localtime(coming.start).strftime("%d.%m.%Y")
    expect(page.get_by_role("link", name=day).first).to_be_visible()
    expect(page.get_by_text("17:00–19:30 Uhr")).to_be_visible()
    visitor.shot("sitzungen", "01-kommende")

    page.get_by_role("link", name="Monatsansicht").click()
    shown = timezone.localdate()
    wanted = timezone.localtime(coming.start).date()
    if (wanted.year, wanted.month) != (shown.year, shown.month):
        page.locator("a[rel=next]").click()  # the meeting is early next month
    expect(page).to_have_title(f"Sitzungen im {_month_name(wanted)} – Stadt Koblenz")
    link = page.get_by_role("link", name="17:00 Stadtrat")
    expect(link).to_be_visible()
    expect(page.get_by_text("(abgesagt)")).to_be_visible()
    expect(page.get_by_role("link", name="10:00 Stadtrat")).to_have_attribute(
        "href", cancelled.get_absolute_url()
    )
    visitor.shot("sitzungen", "02-monatsansicht")

    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stadtrat")
    expect(page.get_by_text("19:30 Uhr")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="In den eigenen Kalender übernehmen (iCalendar)").click()
    body = download.value.path().read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        calendar = icalendar.Calendar.from_ical(body)
        calendar.validate()
    (event,) = calendar.events
    assert str(event["UID"]).startswith(f"sitzung-{coming.pk}@")
    visitor.shot("sitzungen", "03-sitzung")

    page.get_by_role("contentinfo").get_by_role("link", name="Offene Daten").click()
    expect(page.get_by_role("heading", level=1, name="Offene Daten")).to_be_visible()
    expect(page.get_by_text("Datenlizenz Deutschland – Namensnennung – 2.0")).to_be_visible()
    expect(page.get_by_role("link", name="OParl-System")).to_be_visible()
    visitor.shot("sitzungen", "04-offene-daten")

    assert visitor.third_party_requests() == []
    assert visitor.errors == []
