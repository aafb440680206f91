"""Records mirrored from another council information system, in a real browser: the clerk finds
a mirrored meeting with its source and without controls, and is turned back with the reason when
trying to edit a mirrored committee's members; a visitor sees where the meeting and committee
come from. At phone and desktop width, with screenshots (test-artifacts/e2e/quelle/)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beirat.core.roles import Role
from tests.factories.core import user_with_role
from tests.factories.council import AgendaItemFactory, MeetingFactory
from tests.factories.directory import CommitteeFactory, MembershipFactory, PublicPersonFactory

pytestmark = pytest.mark.e2e
SOURCE = "SessionNet Beispielstadt"
WEB = "https://ris.example.de/si0057.asp?__ksinr=815"


@pytest.fixture
def mirrored(transactional_db):
    committee = CommitteeFactory(
        name="Ausschuss für Stadtentwicklung und Mobilität",
        slug="stadtentwicklung",
        source_name=SOURCE,
        source_url="https://ris.example.de/kp0040.asp?__kgrnr=12",
    )
    MembershipFactory(committee=committee, person=PublicPersonFactory(family_name="Beispiel"))
    meeting = MeetingFactory(
        committee=committee,
        name="12. Sitzung des Ausschusses für Stadtentwicklung und Mobilität",
        start=timezone.now() - datetime.timedelta(days=2),
        location="Rathaus, Sitzungssaal 1",
        source_name=SOURCE,
        source_url=WEB,
    )
    AgendaItemFactory(meeting=meeting, number="Ö 1", name="Radverkehrskonzept, Bericht")
    return committee, meeting


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_clerk_and_visitor_see_where_mirrored_records_come_from(visitors, mirrored):
    committee, meeting = mirrored
    clerk = visitors("sitzungsdienst")
    clerk.log_in_as(user_with_role(Role.CLERK, username="sitzungsdienst-quelle"))
    page = clerk.page

    page.goto(f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/")
    expect(page.get_by_role("note")).to_contain_text(f"„{SOURCE}“ übernommen")
    expect(page.get_by_role("link", name="Zur Sitzung in der Quelle")).to_have_attribute(
        "href", WEB
    )
    expect(page.get_by_role("link", name="Sitzung bearbeiten")).to_have_count(0)
    expect(page.get_by_role("heading", name="Punkt anfügen")).to_have_count(0)
    expect(page.get_by_text("Radverkehrskonzept, Bericht")).to_be_visible()
    _fits(page)
    clerk.shot("quelle", "01-sitzung-arbeitsplatz")

    page.goto(f"/arbeitsplatz/verzeichnis/gremien/{committee.slug}/umbenennen/")
    expect(page).to_have_url(f"{clerk.base_url}/arbeitsplatz/verzeichnis/gremien/")
    expect(page.get_by_text("wird dort gepflegt")).to_be_visible()
    _fits(page)
    clerk.shot("quelle", "02-gremium-abgewiesen")

    page.goto(f"/arbeitsplatz/verzeichnis/gremien/{committee.slug}/mitglieder/")
    expect(page.get_by_role("note")).to_contain_text("Mitglieder bitte dort ändern")
    expect(page.get_by_role("button", name="Eintragen")).to_have_count(0)
    _fits(page)
    clerk.shot("quelle", "03-mitglieder")

    visitor = visitors("besucher")
    page = visitor.page
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_text(f"Ratsinformationssystem {SOURCE}")).to_be_visible()
    expect(page.get_by_role("link", name="Sitzung dort ansehen")).to_have_attribute("href", WEB)
    _fits(page)
    visitor.shot("quelle", "04-sitzung-oeffentlich")
    page.goto(committee.get_absolute_url())
    expect(page.get_by_role("link", name="Gremium dort ansehen")).to_be_visible()
    _fits(page)
    visitor.shot("quelle", "05-gremium-oeffentlich")
    assert visitor.third_party_requests() == []
    assert clerk.errors == visitor.errors == []
