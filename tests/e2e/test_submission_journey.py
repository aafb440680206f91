"""In a real browser: a citizen's idea from the form to an office's progress and back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from beirat.core.models import OutboxMail
from beirat.core.roles import Role
from beirat.directory import services as directory_services
from beirat.submissions.models import Submission
from tests.factories.core import user_with_role
from tests.factories.directory import UnitFactory
from tests.factories.submissions import SubmissionFactory, TopicFactory

pytestmark = pytest.mark.e2e

JOURNEY = "submission"


@pytest.fixture
def city(settings):
    # The proof of work is on, so that the browser's script is exercised for real.
    settings.BEIRAT_PROOF_OF_WORK_BITS = 10
    office = UnitFactory(
        number="80", name="Amt für Wirtschaftsförderung", email="amt80@stadt.example"
    )
    office_user = user_with_role(Role.OFFICE, username="amt80")
    directory_services.assign_office(user=office_user, unit=office, actor=None)
    earlier = SubmissionFactory(
        title="Freies WLAN in der Altstadt",
        text="Am Görresplatz und in der Altstadt fehlt ein öffentliches WLAN für Gäste.",
    )
    return {
        "triage": user_with_role(Role.TRIAGE, username="it-steuerung"),
        "office": office_user,
        "earlier": earlier,
        "topic": TopicFactory(name="Netze und WLAN"),
    }


def test_idea_to_office_progress_on_the_tracking_page(visitors, city, search_index):
    citizen = visitors("buerger")
    page = citizen.page

    # 1. The citizen hands in an idea and gets the tracking code.
    page.goto("/eingaben/neu/")
    page.get_by_label("Worum geht es? (Titel)").fill("WLAN am Görresplatz und in der Altstadt")
    page.get_by_label("Ihre Idee oder Anregung").fill(
        "Ich wünsche mir freies WLAN für die Altstadt, vor allem am Görresplatz."
    )
    page.get_by_label("Thema").select_option(label="Netze und WLAN")
    page.get_by_label("Ihr Name").fill("Erika Musterfrau")
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    page.get_by_label(re.compile("Ich habe die Datenschutzhinweise gelesen")).check()
    citizen.shot(JOURNEY, "01-formular")
    page.get_by_role("button", name="Eingabe absenden").click()

    expect(page.get_by_text("Vielen Dank! Ihre Eingabe ist eingegangen.")).to_be_visible()
    submission = Submission.objects.get(title__startswith="WLAN am Görresplatz")
    expect(page.get_by_text(submission.tracking_code).first).to_be_visible()
    citizen.shot(JOURNEY, "02-vorgangsnummer")

    # The receipt: copy, print and a PDF; no group of the code is broken across lines.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Code kopieren").click()
    expect(page.get_by_text("Die Vorgangsnummer ist kopiert.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == submission.tracking_code
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    with page.expect_download() as receipt:
        page.get_by_role("link", name="Als PDF speichern").click()
    assert receipt.value.suggested_filename.endswith(".pdf")
    assert Path(receipt.value.path()).read_bytes().startswith(b"%PDF")
    broken_groups = page.evaluate(
        "[...document.querySelectorAll('.beirat-code__group')]"
        ".filter(group => group.getClientRects().length > 1).length"
    )
    assert broken_groups == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # 2. The confirmation link from the mail confirms the address.
    (confirmation,) = mails_to("erika@example.org")
    link = re.search(r"https?://\S+/bestaetigen/\S+", confirmation.body)
    assert link, confirmation.body
    page.goto(link.group(0).replace(confirmation_site(link.group(0)), citizen.base_url))
    expect(page.get_by_text("bestätigt").first).to_be_visible()

    # 3. IT management finds it in the queue, sees the similar earlier idea, forwards it.
    search_index.sync()
    triage = visitors("it-steuerung")
    triage.log_in_as(city["triage"])
    triage.page.goto("/arbeitsplatz/eingaben/")
    triage.page.get_by_role("link", name=re.compile("WLAN am Görresplatz")).click()
    similar = triage.page.locator(".beirat-similar")
    expect(similar.get_by_role("link", name="Freies WLAN in der Altstadt")).to_be_visible()
    expect(similar).to_contain_text("Gemeinsame Wörter:")
    triage.shot(JOURNEY, "03-triage-mit-aehnlichen")
    triage.page.get_by_role("link", name="An Fachamt weiterleiten").click()
    triage.page.get_by_label("Fachamt", exact=True).select_option(
        label="80-Amt für Wirtschaftsförderung"
    )
    triage.page.get_by_label("Hinweis an das Fachamt").fill("Bitte mit dem Tourismus abstimmen.")
    triage.page.get_by_role("button", name="Weiterleiten").click()
    expect(triage.page.get_by_text("Weitergeleitet").first).to_be_visible()

    # 4. The office accepts with the suggested date and reports progress in public.
    office = visitors("amt80")
    office.log_in_as(city["office"])
    office.page.goto("/arbeitsplatz/amt/")
    office.page.get_by_role("link", name=re.compile("WLAN am Görresplatz")).click()
    expect(office.page.get_by_text("erika@example.org")).to_have_count(0)
    office.page.get_by_role("link", name="Annehmen").click()
    expect(office.page.get_by_label("Voraussichtlich erledigt bis")).not_to_have_value("")
    office.page.get_by_role("button", name="Annehmen").click()
    office.page.get_by_role("link", name="Stand melden").click()
    office.page.get_by_label("Stand", exact=True).fill(
        "Drei Standorte für Zugangspunkte sind ausgewählt."
    )
    # No audience is assumed: the office chooses, then reads what the citizen will read.
    office.page.get_by_role("button", name="Weiter").click()
    expect(
        office.page.get_by_text(re.compile("Bitte wählen Sie, ob der Stand")).first
    ).to_be_visible()
    office.page.get_by_label(re.compile("^Öffentlich")).check()
    office.page.get_by_role("button", name="Weiter").click()
    preview = office.page.locator(".beirat-preview")
    expect(preview).to_contain_text("Drei Standorte für Zugangspunkte sind ausgewählt.")
    expect(preview).not_to_contain_text("Erika")
    office.shot(JOURNEY, "04-amt-stand-vorschau")
    office.page.get_by_role("button", name="Veröffentlichen").click()
    expect(office.page.get_by_text("Der Stand ist veröffentlicht.")).to_be_visible()
    office.shot(JOURNEY, "04-amt-stand")

    # 5. The citizen's tracking page shows the office and its progress.
    page.goto(f"/eingaben/{submission.tracking_code}/")
    expect(
        page.get_by_text(re.compile("weitergeleitet an: Amt für Wirtschaftsförderung")).first
    ).to_be_visible()
    expect(page.get_by_text("Drei Standorte für Zugangspunkte sind ausgewählt.")).to_be_visible()
    expect(page.get_by_text("Tourismus")).to_have_count(0)  # the internal hint stays internal
    citizen.shot(JOURNEY, "05-verfolgung")

    # 6. The mails: confirmation and status changes to the submitter, the forwarding to the office.
    bodies = "\n".join(mail.body for mail in mails_to("erika@example.org"))
    assert submission.tracking_code in bodies  # the confirmation
    assert "Amt für Wirtschaftsförderung" in bodies  # forwarded, accepted
    assert "Drei Standorte für Zugangspunkte sind ausgewählt." in bodies  # the public progress
    assert "Tourismus" not in bodies
    assert mails_to("amt80@stadt.example")
    for visitor in (citizen, triage, office):
        assert visitor.third_party_requests() == []
        assert visitor.errors == []


def confirmation_site(url: str) -> str:
    """Mails link to BEIRAT_SITE_URL; the test server listens elsewhere."""
    match = re.match(r"https?://[^/]+", url)
    assert match
    return match.group(0)


def mails_to(address: str) -> list[OutboxMail]:
    return [mail for mail in OutboxMail.objects.order_by("pk") if address in mail.recipients]
