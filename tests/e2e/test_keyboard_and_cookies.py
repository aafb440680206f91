"""Keyboard only: the submission form and the search, with a visible focus on every stop; and
no cookie on public pages until a form is used."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from beirat.submissions.models import Submission

pytestmark = pytest.mark.e2e

FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ringed = style.boxShadow && style.boxShadow !== 'none';
  return {tag: element.tagName, id: element.id, name: element.getAttribute('name'),
          text: (element.innerText || element.value || '').trim().slice(0, 200),
          visible: outlined || ringed};
}"""


def tab_to(page, predicate, limit=60):
    """Press Tab until ``predicate(focused)`` holds; every stop on the way must show its focus."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        stops.append(focused)
        assert focused["visible"], f"no visible focus on {focused} after {stops[-5:]}"
        if predicate(focused):
            return stops
    raise AssertionError(f"not reached by keyboard; stops: {stops}")


def test_the_submission_form_by_keyboard_alone(visitors):
    citizen = visitors("tastatur")
    page = citizen.page
    page.goto("/eingaben/neu/")

    first = tab_to(page, lambda f: True)
    assert "Zum Inhalt springen" in first[0]["text"]  # the skip link comes first
    tab_to(page, lambda f: f["id"] == "id_title")
    page.keyboard.type("Sitzbänke mit Steckdosen")
    tab_to(page, lambda f: f["id"] == "id_text")
    page.keyboard.type("Am Deutschen Eck fehlen Bänke, an denen man das Handy laden kann.")
    stops = tab_to(page, lambda f: f["id"] == "id_consent")
    assert not any(stop["name"] == "website" for stop in stops)  # the honeypot is skipped
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and "absenden" in f["text"])
    citizen.shot("tastatur", "01-formular-absenden")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Vielen Dank! Ihre Eingabe ist eingegangen.")).to_be_visible()
    assert Submission.objects.get().title == "Sitzbänke mit Steckdosen"


def test_the_search_by_keyboard_alone(visitors, transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    from django.conf import settings

    from tests.conftest import SearchIndex

    index = SearchIndex(settings.BEIRAT_SEARCH_DIR)
    index.sync()
    visitor = visitors("tastatur")
    page = visitor.page
    page.goto("/suche/")

    tab_to(page, lambda f: f["tag"] == "INPUT" and f["name"] == "q")
    page.keyboard.type("Kooperation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suche")
    tab_to(
        page, lambda f: f["tag"] == "A" and "Kooperationen stärken" in " ".join(f["text"].split())
    )
    visitor.shot("tastatur", "02-suche")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/vorlagen/"))
    index.close()


PUBLIC = [
    "/",
    "/beirat/",
    "/eingaben/neu/",
    "/eingaben/",
    "/vorlagen/",
    "/sitzungen/",
    "/gremien/",
    "/empfehlungen/",
    "/netzwerk/",
    "/suche/?q=Digitalbeirat",
    "/barrierefreiheit/",
    "/datenschutz/",
    "/impressum/",
    "/leichte-sprache/",
]


def test_public_pages_set_no_cookie_until_a_form_is_used(visitors):
    visitor = visitors("ohne-cookie")

    for path in PUBLIC:
        visitor.page.goto(path)
        assert visitor.context.cookies() == [], path
