"""Two journeys in a real browser: the council office from a new paper to its
decision and PDF; a visitor who searches and browses."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from beirat.core.roles import Role
from beirat.directory import demo as directory_demo
from tests.conftest import SearchIndex
from tests.factories.core import user_with_role
from tests.factories.council import pdf_with_text

pytestmark = pytest.mark.e2e


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vorlage.pdf"
        path.write_bytes(pdf)
        return subprocess.run(  # noqa: S603 - poppler on our own file
            ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def test_a_clerk_registers_a_paper_plans_a_meeting_records_the_vote_and_opens_the_pdf(
    visitors,
):
    directory_demo.load(stdout=io.StringIO())
    clerk = visitors("sitzungsdienst")
    clerk.log_in_as(user_with_role(Role.CLERK, username="sitzungsdienst-e2e"))
    page = clerk.page

    page.goto("/arbeitsplatz/rat/vorlagen/neu/")
    page.get_by_label("Art", exact=True).select_option(label="Beschlussvorlage")
    page.get_by_label("Datum", exact=True).fill("2026-11-20")
    page.get_by_label("Betreff", exact=True).fill("Offene Echtzeitdaten der Parkhäuser")
    page.get_by_label("Verfasser").select_option(label="80-Amt für Wirtschaftsförderung")
    page.get_by_label("Beschlussempfehlung").fill("Der Stadtrat beschließt die Bereitstellung.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Vorlage wurde gespeichert.")).to_be_visible()
    # Saved: the clerk is on the new paper, not on the list.
    expect(page).to_have_url(re.compile(r"/arbeitsplatz/rat/vorlagen/\d+/$"))
    expect(page.get_by_role("heading", name="Offene Echtzeitdaten der Parkhäuser")).to_be_visible()
    clerk.shot("sitzungsdienst", "00-neue-vorlage")
    page.get_by_role("link", name="Registrieren").click()
    page.get_by_role("button", name="Nummer vergeben").click()
    expect(page.get_by_text(re.compile(r"BV/\d{4}/2026")).first).to_be_visible()
    page.get_by_role("link", name="Veröffentlichen").click()
    page.get_by_label(re.compile("soll jetzt für alle auf der Website")).check()
    clerk.shot("sitzungsdienst", "01-veroeffentlichen")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_text("veröffentlicht").first).to_be_visible()
    expect(page.get_by_text("Bitte prüfen Sie Ihre Angaben.")).to_have_count(0)
    clerk.shot("sitzungsdienst", "01-vorlage")
    reference = re.search(r"BV/\d{4}/2026", page.content()).group(0)
    paper_label = f"{reference}: Offene Echtzeitdaten der Parkhäuser"

    # An attachment (Anlage): public with the paper, named in its PDF.
    page.get_by_role("link", name="Anlage anfügen").click()
    page.get_by_label("Titel").fill("Lageplan der Parkhäuser")
    page.get_by_label("Datei").set_input_files(
        {
            "name": "lageplan.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_with_text("Parkhaus Zentralplatz und Parkhaus Altlöhrtor"),
        }
    )
    clerk.shot("sitzungsdienst", "01-anlage-formular")
    page.get_by_role("button", name="Anlage anfügen").click()
    expect(page.get_by_text("Die Anlage wurde angefügt.")).to_be_visible()
    expect(page.get_by_role("link", name="Lageplan der Parkhäuser", exact=True)).to_be_visible()
    clerk.shot("sitzungsdienst", "01-anlage")

    # A meeting still to come: its agenda can be prepared, its results cannot exist yet.
    page.goto("/arbeitsplatz/rat/sitzungen/neu/")
    page.get_by_label("Gremium").select_option(label="Stadtrat")
    today = timezone.localdate()
    expect(page.get_by_label("Beginn")).to_have_value(f"{today.isoformat()}T17:00")
    coming = today + datetime.timedelta(days=45)
    page.get_by_label("Beginn").fill(f"{coming.isoformat()}T17:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name=f"Stadtrat, {coming:%d.%m.%Y}")).to_be_visible()
    page.get_by_label("TOP").fill("Ö 1")
    page.get_by_label("Vorlage").select_option(label=paper_label)
    # The subject is taken from the paper (agenda-subject.js; the server does it too).
    expect(page.get_by_label("Gegenstand")).to_have_value("Offene Echtzeitdaten der Parkhäuser")
    page.get_by_role("button", name="Anfügen").click()
    expect(page.get_by_text("Der Tagesordnungspunkt wurde angefügt.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Nach oben"))).to_have_count(0)
    clerk.shot("sitzungsdienst", "02-kuenftige-sitzung")
    future_item = re.search(r"/tagesordnung/(\d+)/bearbeiten/", page.content()).group(1)
    page.goto(f"/arbeitsplatz/rat/tagesordnung/{future_item}/beschluss/")
    page.get_by_label(re.compile("^Kenntnis")).check()
    page.get_by_label("Beschlusstext").fill("Der Ausschuss nimmt die Anfrage zur Kenntnis.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(re.compile("hat noch nicht stattgefunden"))).to_be_visible()
    clerk.shot("sitzungsdienst", "03-beschluss-abgelehnt")

    page.goto("/arbeitsplatz/rat/sitzungen/neu/")
    page.get_by_label("Gremium").select_option(label="Stadtrat")
    held = timezone.localdate() - datetime.timedelta(days=3)  # an outcome needs a past meeting
    page.get_by_label("Beginn").fill(f"{held.isoformat()}T17:00")
    page.get_by_label("Ort").fill("Rathaus, Ratssaal")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name=f"Stadtrat, {held:%d.%m.%Y}")).to_be_visible()
    page.get_by_label("TOP").fill("Ö 4")
    page.get_by_label("Vorlage").select_option(label=paper_label)
    page.get_by_role("button", name="Anfügen").click()
    clerk.shot("sitzungsdienst", "04-sitzung")

    page.get_by_role("link", name=re.compile("Ergebnis und Beschluss erfassen")).click()
    page.get_by_label(re.compile("^mehrheitlich")).check()
    page.get_by_label("Ja-Stimmen").fill("38")
    page.get_by_label("Gegenstimmen").fill("9")
    page.get_by_label("Enthaltungen").fill("3")
    page.get_by_label("Beschlusstext").fill("Der Stadtrat beschließt die Bereitstellung.")
    clerk.shot("sitzungsdienst", "05-ergebnis-formular")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Bitte prüfen Sie Ihre Angaben.")).to_have_count(0)
    expect(page.get_by_text("mehrheitlich").first).to_be_visible()
    expect(page.get_by_text("Ja 38, Nein 9, Enthaltungen 3").first).to_be_visible()
    clerk.shot("sitzungsdienst", "06-ergebnis")

    public = visitors("buerger")
    public.page.goto(f"/vorlagen/{reference.replace('/', '-')}/")
    expect(public.page.get_by_text("Offene Echtzeitdaten der Parkhäuser").first).to_be_visible()
    public.page.get_by_text("Was die Ergebnisse bedeuten").click()
    expect(public.page.get_by_text("ohne Beschlussempfehlung (BE)")).to_be_visible()
    attachment = public.page.get_by_role("link", name="Lageplan der Parkhäuser", exact=True)
    expect(attachment).to_be_visible()
    expect(public.page.get_by_text(re.compile(r"^\(PDF,\s\d[\d,]*\s(Bytes|KB)\)$"))).to_be_visible()
    download = public.page.request.get(attachment.get_attribute("href"))
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "Altlöhrtor" in pdf_text(download.body())
    public.shot("sitzungsdienst", "07-vorlage-oeffentlich")
    public.page.get_by_role("link", name=held.strftime("%d.%m.%Y")).click()
    expect(public.page.get_by_text("Ja 38, Nein 9, Enthaltungen 3")).to_be_visible()
    expect(public.page.get_by_text("Der Stadtrat beschließt die Bereitstellung.")).to_be_visible()
    public.shot("sitzungsdienst", "08-sitzung-oeffentlich")
    pdf = public.page.request.get(f"/vorlagen/{reference.replace('/', '-')}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(pdf.body()).split())
    assert reference in text
    assert "Offene Echtzeitdaten der Parkhäuser" in text
    assert "Ö 4" in text
    assert "Anlagen: 1. Lageplan der Parkhäuser" in text
    # The city's form ticks the outcome and prints abstentions and votes against.
    assert "☒ mehrheitl." in text
    assert "☒ Enthaltungen 3" in text
    assert "☒ Gegenstimmen 9" in text
    assert clerk.errors == []


def test_a_visitor_searches_and_browses(visitors, transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    index = SearchIndex(settings.BEIRAT_SEARCH_DIR)
    index.sync()
    visitor = visitors("besucherin")
    page = visitor.page

    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Suche").click()
    page.get_by_role("searchbox").fill("Kooperation")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text("Kooperationen stärken").first).to_be_visible()
    visitor.shot("besuch", "01-suche")
    page.get_by_role(
        "link", name=re.compile("Stellungnahme zum Antrag der FDP-Fraktion")
    ).first.click()
    expect(page.get_by_text("ST/0078/2025").first).to_be_visible()
    visitor.shot("besuch", "02-vorlage")

    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    for link, expected in [
        ("Vorlagen", "AW/0011/2021"),
        ("Sitzungen", "Stadtrat"),
        ("Netzwerk", "IT.Stadt Koblenz e.V."),
        ("Empfehlungen", "Parkhausbelegung als offene Daten bereitstellen"),
        ("Digitalbeirat", "Echtzeitdaten der Parkhäuser als offene Daten"),
    ]:
        navigation.get_by_role("link", name=link, exact=True).click()
        # Visible text only: the meetings page also names committees in its filter's options.
        expect(page.get_by_text(expected).locator("visible=true").first).to_be_visible()
        visitor.shot("besuch", f"03-{link.lower()}")
    assert visitor.third_party_requests() == []
    assert visitor.errors == []
    index.close()
