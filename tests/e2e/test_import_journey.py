"""The import in a real browser: the council office uploads the scanned seed, reviews, publishes."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from beirat.core.roles import Role
from beirat.directory import demo as directory_demo
from beirat.ingest import services
from beirat.ingest.models import ImportRecord
from tests.factories.core import user_with_role
from tests.ingest.test_parse import SEEDS

pytestmark = pytest.mark.e2e

JOURNEY = "import"


def test_upload_review_and_publish(visitors, tmp_path):
    directory_demo.load(stdout=io.StringIO())
    clerk = visitors("sitzungsdienst")
    clerk.log_in_as(user_with_role(Role.CLERK, username="sitzungsdienst-test"))
    page = clerk.page

    page.goto("/arbeitsplatz/import/")
    page.get_by_label("Dateien").set_input_files(sorted(str(path) for path in SEEDS.glob("*.txt")))
    clerk.shot(JOURNEY, "01-hochladen")
    page.get_by_role("button", name="Einlesen").click()
    expect(page.get_by_text("wird im Hintergrund verarbeitet").first).to_be_visible()
    for record in ImportRecord.objects.filter(status=ImportRecord.Status.QUEUED):
        services.process_queued(record)  # what the background worker does

    page.goto("/arbeitsplatz/import/")
    expect(page.get_by_text("1 Import wartet auf Ihre Prüfung.")).to_be_visible()
    clerk.shot(JOURNEY, "02-bericht")
    page.get_by_role("link", name="001_693be6e07fae0146.txt").click()
    expect(page.locator("del", has_text="gepriift")).to_have_count(1)
    clerk.shot(JOURNEY, "03-pruefung")
    page.get_by_role("button", name="Geprüft: veröffentlichen").click()
    expect(page.get_by_text("Geprüft und veröffentlicht.")).to_be_visible()

    visitor = visitors("buerger")
    visitor.page.goto("/vorlagen/ST-0078-2025/")
    expect(visitor.page.get_by_text("Kooperationen stärken").first).to_be_visible()
    visitor.shot(JOURNEY, "04-veroeffentlicht")
    assert clerk.third_party_requests() == []
    assert clerk.errors == []
