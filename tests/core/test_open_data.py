"""/offene-daten/: what the site publishes as open data, its licence, linked from every page."""

from __future__ import annotations

import re

import pytest

from tests.factories.council import MeetingFactory
from tests.factories.directory import CommitteeFactory

pytestmark = pytest.mark.django_db


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_the_page_links_every_interface_calendar_feed_and_download(anonymous):
    committee = CommitteeFactory(name="Digitalisierungsausschuss", slug="digital")
    MeetingFactory(committee=committee)
    CommitteeFactory(name="Xqjv Runde", slug="xqjv", public=False)
    response = anonymous.get("/offene-daten/")
    assert response.status_code == 200
    html = response.content.decode()
    links = _links(html)
    assert {
        "/oparl/v1/system",
        "/oparl/v1/openapi.json",
        "/empfehlungen/export.csv",
        "/sitzungen/kalender.ics",
        "/gremien/digital/kalender.ics",
        "/vorlagen/feed/",
        "/sitzungen/feed/",
        "/gremien/digital/feed/",
        "/beirat/stellungnahmen/feed/",
        "/empfehlungen/feed/",
        "/suche/feed/?q=Digitalisierung",
    } <= links
    # Every address in full, to copy into a program.
    assert "http://127.0.0.1:8000/oparl/v1/system" in html
    assert "http://127.0.0.1:8000/sitzungen/kalender.ics" in html
    assert "Xqjv" not in html
    # Every link of the page's content answers (what it names exists).
    content = html[html.index("<main") : html.index("</main>")]
    for link in sorted(_links(content)):
        if link.startswith("/"):
            assert anonymous.get(link).status_code == 200, link


def test_the_licence_is_the_default_one_with_its_address(anonymous):
    html = anonymous.get("/offene-daten/").content.decode()
    assert "Datenlizenz Deutschland – Namensnennung – 2.0" in html
    assert 'href="https://www.govdata.de/dl-de/by-2-0" rel="license"' in html
    assert '<link rel="license" href="https://www.govdata.de/dl-de/by-2-0">' in html


def test_the_licence_is_configurable_and_reaches_the_feeds(anonymous, settings):
    settings.BEIRAT_DATA_LICENCE = {
        "name": "Creative Commons Namensnennung 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    html = anonymous.get("/offene-daten/").content.decode()
    assert "Creative Commons Namensnennung 4.0" in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    assert "Datenlizenz Deutschland" not in html
    feed = anonymous.get("/vorlagen/feed/").content.decode()
    assert "<rights>Creative Commons Namensnennung 4.0" in feed


@pytest.mark.parametrize("page", ["/", "/vorlagen/", "/datenschutz/", "/gibt-es-nicht/"])
def test_the_footer_links_it(page, anonymous):
    html = anonymous.get(page).content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/offene-daten/"' in footer


def test_the_page_in_english(anonymous):
    anonymous.get("/sprache/en/")
    html = anonymous.get("/offene-daten/").content.decode()
    assert '<html lang="en"' in html
    main = html[html.index("<main") : html.index("</main>")]
    for heading in ("Open data", "Licence", "Interface for programs", "Calendars (iCalendar)"):
        assert heading in main
    for german in ("Offene Daten", "Lizenz", "Kalender", "Tabellen", "Sitzungen"):
        assert german not in main, german
