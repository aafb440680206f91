"""The board in a real browser: from a submission to the board, its statement, a recommendation
for an office and a resolution proposal, implemented, and the whole chain on the tracking page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beirat.core.roles import Role
from beirat.council.models import Paper
from beirat.directory import services as directory_services
from tests.factories.core import user_with_role
from tests.factories.council import PublishedPaperFactory
from tests.factories.directory import UnitFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = pytest.mark.e2e

JOURNEY = "board"
MEMBER_NAMES = ("Ehrenfeld", "Rheinländer")


@pytest.fixture
def city():
    office = UnitFactory(number="80", name="Amt für Wirtschaftsförderung")
    office_user = user_with_role(Role.OFFICE, username="amt80")
    directory_services.assign_office(user=office_user, unit=office, actor=None)
    members = [
        user_with_role(Role.BOARD_MEMBER, username=f"mitglied-{letter}", last_name=name)
        for letter, name in zip("ab", MEMBER_NAMES, strict=True)
    ]
    return {
        "triage": user_with_role(Role.TRIAGE, username="it-steuerung"),
        "office": office_user,
        "members": members,
        "submission": SubmissionFactory(
            title="Echtzeitdaten der Parkhäuser",
            text="Bitte die Belegung der Parkhäuser zeigen.\n\nViele Grüße\nErika Musterfrau",
            email_confirmed_at=timezone.now(),
        ),
        "proposal": PublishedPaperFactory(
            paper_type=Paper.Type.RESOLUTION_PROPOSAL,
            type_code="BV",
            reference="BV/0042/2026",
            name="Offene Mobilitätsdaten",
        ),
    }


def test_statement_recommendation_and_chain(visitors, city):
    submission = city["submission"]

    # 1. IT management asks the board; the preview shows the removed signature.
    triage = visitors("it-steuerung")
    triage.log_in_as(city["triage"])
    triage.page.goto(f"/arbeitsplatz/eingaben/{submission.pk}/")
    triage.page.get_by_role("link", name="Digitalbeirat fragen").click()
    triage.page.get_by_label("Frage an den Beirat").fill("Eigene App oder offene Daten?")
    triage.page.get_by_role("button", name="Vorschau der Schwärzung").click()
    expect(triage.page.locator("del", has_text="Erika Musterfrau")).to_be_visible()
    triage.shot(JOURNEY, "01-vorschau-schwaerzung")
    triage.page.get_by_role("button", name="Fachfrage an den Beirat senden").click()
    expect(triage.page.get_by_text("Die Fachfrage wurde an den Beirat gesendet.")).to_be_visible()

    # 2. Two members answer; each sees the other under a pseudonym only.
    answers = ["Offene Daten genügen.", "Zustimmung, mit DATEX II."]
    for user, text in zip(city["members"], answers, strict=True):
        member = visitors(user.username)
        member.log_in_as(user)
        member.page.goto("/arbeitsplatz/beirat/")
        member.page.get_by_role("link", name=submission.title).click()
        expect(member.page.get_by_text("Musterfrau")).to_have_count(0)
        member.page.get_by_label("Ihre Antwort").fill(text)
        member.page.get_by_role("button", name="Antwort speichern").click()
        expect(member.page.get_by_text("Ihre Antwort wurde gespeichert.")).to_be_visible()
    expect(member.page.get_by_text("Mitglied A")).to_be_visible()
    expect(member.page.get_by_text(MEMBER_NAMES[0])).to_have_count(0)
    member.shot(JOURNEY, "02-mitglied-antwortet")

    # 3. IT management publishes the statement and records a recommendation from it.
    triage.page.goto("/arbeitsplatz/beirat/")
    triage.page.get_by_role("link", name=submission.title).click()
    triage.page.get_by_role("link", name="Stellungnahme veröffentlichen").click()
    triage.page.get_by_label("Stellungnahme des Digitalbeirats").fill(
        "Der Beirat empfiehlt offene Echtzeitdaten statt einer eigenen App."
    )
    triage.page.get_by_role("button", name="Veröffentlichen").click()
    triage.page.get_by_role("link", name="Empfehlung daraus erfassen").click()
    triage.page.get_by_label("Titel").fill("Parkhausdaten offen bereitstellen")
    triage.page.get_by_label("Wortlaut").fill(
        "Die Stadt stellt die Belegung als offene Daten bereit."
    )
    triage.page.get_by_label("80-Amt für Wirtschaftsförderung").check()
    triage.page.get_by_label("Eingearbeitet in die Vorlage").select_option(
        label="BV/0042/2026: Offene Mobilitätsdaten"
    )
    triage.shot(JOURNEY, "03-empfehlung-erfassen")
    triage.page.get_by_role("button", name="Speichern").click()
    expect(triage.page.get_by_text("Die Empfehlung wurde erfasst.")).to_be_visible()

    # 4. The office acknowledges and reports it implemented.
    office = visitors("amt80")
    office.log_in_as(city["office"])
    office.page.goto("/arbeitsplatz/amt/empfehlungen/")
    office.page.get_by_role("link", name="Parkhausdaten offen bereitstellen").click()
    office.page.get_by_role("link", name="Annehmen").click()
    office.page.get_by_role("button", name="Annehmen").click()
    office.page.get_by_role("link", name="Stand melden").click()
    office.page.get_by_label("Stand", exact=True).fill("Die Daten sind im Open-Data-Portal.")
    office.page.get_by_label("Umsetzungsstand").select_option(label="umgesetzt")
    office.page.get_by_role("button", name="Speichern").click()
    expect(office.page.get_by_text("Der Stand wurde gespeichert.")).to_be_visible()
    office.shot(JOURNEY, "04-amt-umgesetzt")

    # 5. The submitter's tracking page shows the chain; nobody of the board is named.
    citizen = visitors("buerger")
    citizen.page.goto(f"/eingaben/{submission.tracking_code}/")
    chain = citizen.page.locator(".beirat-chain")
    expect(chain).to_contain_text("Stellungnahme des Digitalbeirats")
    expect(chain).to_contain_text("Parkhausdaten offen bereitstellen")
    expect(chain).to_contain_text("80-Amt für Wirtschaftsförderung")
    expect(chain).to_contain_text("BV/0042/2026")
    expect(chain).to_contain_text("umgesetzt")
    citizen.shot(JOURNEY, "05-verfolgung-kette")
    for path in ("/beirat/", "/empfehlungen/", f"/eingaben/{submission.tracking_code}/"):
        citizen.page.goto(path)
        content = citizen.page.content()
        for name in MEMBER_NAMES:
            assert name not in content, (path, name)
        assert not re.search(r"mitglied-[ab]", content)
    citizen.page.goto("/empfehlungen/")
    citizen.shot(JOURNEY, "06-empfehlungen")
    for visitor in (triage, office, citizen):
        assert visitor.third_party_requests() == []
        assert visitor.errors == []
