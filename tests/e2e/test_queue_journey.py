"""In a real browser: IT management searches the queue, sorts it, assigns several submissions at
once and closes two after confirming the list, at phone and desktop width."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from beirat.core.roles import Role
from beirat.submissions.models import Event, Submission
from tests.factories.core import user_with_role
from tests.factories.submissions import SubmissionFactory, TopicFactory

pytestmark = pytest.mark.e2e

JOURNEY = "queue"


def _received(days_ago: int, **kwargs) -> Submission:
    submission = SubmissionFactory(**kwargs)
    Submission.objects.filter(pk=submission.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return submission


@pytest.fixture
def queue():
    topic = TopicFactory(name="Verkehr und Mobilität")
    TopicFactory(name="Schule und Bildung")
    ilse = user_with_role(Role.TRIAGE, username="it-management", first_name="Ilse")
    ilse.last_name = "Triage"
    ilse.save()
    jonas = user_with_role(
        Role.TRIAGE, username="it-jonas", first_name="Jonas", last_name="Sichtermann"
    )
    member = user_with_role(Role.BOARD_MEMBER, username="mitglied", first_name="Mira")
    member.groups.add(Group.objects.get(name=Role.TRIAGE))  # both roles: never offered
    submissions = {
        "school": _received(
            40,
            title="Ampel vor der Grundschule Lützel",
            text="Die Fußgängerampel schaltet für Kinder zu schnell auf Rot.",
        ),
        "market": _received(12, title="Längere Grünphase am Markt", text="Die Ampeln am Markt."),
        "night": _received(3, title="Ampeln nachts abschalten", text="Spart Strom."),
        "wifi": _received(5, title="Freies WLAN im Rathaus", text="Für Wartende."),
        "closed": _received(
            30, title="Ampel am Bahnhof", text="Erledigt.", status=Submission.Status.CLOSED
        ),
    }
    return {"ilse": ilse, "jonas": jonas, "member": member, "topic": topic, **submissions}


def test_search_sort_assign_and_close_with_confirmation(visitors, queue, search_index):
    search_index.sync()
    triage = visitors("it-management")
    triage.log_in_as(queue["ilse"])
    page = triage.page

    # 1. The queue: open submissions, oldest first, a box on every row.
    page.goto("/arbeitsplatz/eingaben/")
    expect(page.get_by_role("heading", name="Eingaben sichten")).to_be_visible()
    expect(page.locator('input[name="auswahl"]')).to_have_count(4)
    triage.shot(JOURNEY, "01-liste")

    # 2. Search: "Ampeln" finds "Ampel" and "Fußgängerampel" too (German stems), not the closed
    # one (open is the default), nor the WLAN; sorted newest first.
    page.get_by_label("Suchbegriff").fill("Ampeln")
    page.get_by_label("Sortierung").select_option(label="neueste zuerst")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_text("3 Eingaben zu „Ampeln“")).to_be_visible()
    rows = page.locator("tbody tr td:nth-child(3) a")
    expect(rows).to_have_text(
        [
            "Ampeln nachts abschalten",
            "Längere Grünphase am Markt",
            "Ampel vor der Grundschule Lützel",
        ]
    )
    assert "q=Ampeln" in page.url
    assert "sortierung=neueste" in page.url
    triage.shot(JOURNEY, "02-suche-sortiert")

    # 3. Assign the page but one: the board member with IT management's role is not offered.
    bulk = page.locator("form.beirat-bulk")
    options = bulk.get_by_label("Zuständig").locator("option").all_inner_texts()
    assert "Mira" not in " ".join(options)
    assert options == ["bitte wählen", "Ilse Triage", "Jonas Sichtermann"]
    page.get_by_label("Alle auf dieser Seite auswählen").check()
    expect(page.get_by_text("3 Eingaben ausgewählt")).to_be_visible()
    night = queue["night"]
    page.get_by_label(f"Eingabe #{night.pk} auswählen: Ampeln nachts abschalten").uncheck()
    expect(page.get_by_text("2 Eingaben ausgewählt")).to_be_visible()
    all_box = page.get_by_label("Alle auf dieser Seite auswählen")
    assert all_box.evaluate("box => box.indeterminate")
    bulk.get_by_label("Zuständig").select_option(label="Jonas Sichtermann")
    triage.shot(JOURNEY, "03-auswahl")
    bulk.get_by_role("button", name="Zuweisen").click()
    expect(page.get_by_text("2 Eingaben wurden Jonas Sichtermann zugewiesen.")).to_be_visible()
    assert "q=Ampeln" in page.url  # the search and the order stay
    expect(rows.first).to_have_text("Ampeln nachts abschalten")
    for key in ("school", "market"):
        assert Submission.objects.get(pk=queue[key].pk).assigned_to == queue["jonas"]
    assert Submission.objects.get(pk=night.pk).assigned_to is None
    triage.shot(JOURNEY, "04-zugewiesen")

    # 4. Close two: first the list of what will be closed, and the answer is required.
    page.get_by_label(f"Eingabe #{night.pk} auswählen: Ampeln nachts abschalten").check()
    market = queue["market"]
    page.get_by_label(f"Eingabe #{market.pk} auswählen: Längere Grünphase am Markt").check()
    bulk.get_by_role("button", name=re.compile("^Beantworten und abschließen")).click()
    expect(
        page.get_by_role("heading", name="2 Eingaben beantworten und abschließen")
    ).to_be_visible()
    listed = page.locator(".beirat-bulk__list li a")
    expect(listed).to_have_text(["Längere Grünphase am Markt", "Ampeln nachts abschalten"])
    page.get_by_role("button", name="2 Eingaben abschließen").click()
    expect(page.get_by_text("Ohne Antwort wird keine Eingabe abgeschlossen.").first).to_be_visible()
    assert Submission.objects.filter(status=Submission.Status.CLOSED).count() == 1
    page.get_by_label("Antwort an die einreichenden Personen").fill(
        "Vielen Dank! Die Ampelschaltungen prüft das Straßenverkehrsamt im Herbst."
    )
    triage.shot(JOURNEY, "05-abschliessen-bestaetigen")
    page.get_by_role("button", name="2 Eingaben abschließen").click()
    expect(page.get_by_text("2 Eingaben wurden beantwortet und abgeschlossen.")).to_be_visible()
    assert "q=Ampeln" in page.url
    expect(rows).to_have_text(["Ampel vor der Grundschule Lützel"])  # the open one left
    for key in ("night", "market"):
        closed = Submission.objects.get(pk=queue[key].pk)
        assert closed.status == Submission.Status.CLOSED
        assert closed.events.filter(kind=Event.Kind.REPLIED, public=True).exists()
    # Nobody had the night one: who closed it took it on; the market one stays Jonas's.
    assert Submission.objects.get(pk=night.pk).assigned_to == queue["ilse"]
    assert Submission.objects.get(pk=market.pk).assigned_to == queue["jonas"]
    triage.shot(JOURNEY, "06-abgeschlossen")

    # 5. Nothing found: said so, with a way to all submissions.
    page.get_by_label("Suchbegriff").fill("Glasfaser")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_text(re.compile("Keine Eingabe passt zu „Glasfaser“"))).to_be_visible()
    triage.shot(JOURNEY, "07-nichts-gefunden")

    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert triage.errors == []
    assert triage.third_party_requests() == []
