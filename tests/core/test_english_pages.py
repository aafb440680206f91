"""In English, no page shows a German text of the interface.

Every public page (and the main staff pages) is rendered with the demo in English. What a
visitor reads or hears there - text, the page title, title, aria-label, alt, placeholder and
label attributes, the value of buttons, texts the scripts show (data-*) - is compared with the
German catalogue: a text that is a German msgid whose English differs is an untranslated
interface string. Texts that people entered (everything stored in the demo database) are left
out, and so are the installation's settings (the city's and the board's name), except the
fields that hold the system's own vocabulary (demo topics, consultation roles,
agenda results), which must appear translated. Parts marked lang="de" are German on purpose
(Leichte Sprache, the language switch).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import trans_real

from beirat.board.models import BoardStatement, Recommendation
from beirat.core.models import User
from beirat.council import services as council_services
from beirat.council.models import AgendaItem, Consultation, Meeting, Paper
from beirat.directory.models import Committee, PartnerOrganization
from beirat.submissions.models import Submission
from tests.core.test_translations import LOCALE, read_catalogue
from tests.factories.submissions import TopicFactory

# Stored German words that are the system's vocabulary, shown translated on the pages.
VOCABULARY = {
    ("submissions.topic", "name"),
    ("council.consultation", "role"),
    ("council.agendaitem", "result"),
}
SKIPPED_ELEMENTS = {"script", "style"}
# Inside a text, not a text of their own: a search hit is marked within the title it is in.
RUN_IN_ELEMENTS = {"mark"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
READ_ATTRIBUTES = (
    "title", "aria-label", "aria-description", "aria-roledescription", "aria-valuetext", "alt",
    "placeholder", "label",
)  # fmt: skip
BUTTON_TYPES = {"submit", "button", "reset"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# Where a text joins pieces: "Ergebnis: mehrheitlich", "Stadtrat (Entscheidung)", "a · b".
SEPARATORS = re.compile(r"\s*(?:[:·|,;()\[\]]|\s[–—-]\s)\s*")
STAFF = ("it-management", "sitzungsdienst", "amt80", "mitglied-a", "datenschutz", "admin")


class VisibleText(HTMLParser):
    """The texts of a page as a visitor reads or hears them, one per text node or attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (element, skipped)
        self.buffer: list[str] = []
        self.language = ""

    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.open)

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if text:
            self.texts.append(text)
        self.buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.language = values.get("lang", "")
        other_language = tag != "html" and values.get("lang", self.language) != self.language
        skipped = tag in SKIPPED_ELEMENTS or other_language
        if not (self.skipping() or skipped):
            for name, value in values.items():
                if name in READ_ATTRIBUTES or (name.startswith("data-") and value.strip()):
                    self.texts.append(" ".join(value.split()))
            if tag == "input" and values.get("type") in BUTTON_TYPES and values.get("value"):
                self.texts.append(values["value"])
            if tag == "meta" and values.get("name") == "description":
                self.texts.append(values.get("content", ""))
        if tag in VOID_ELEMENTS:
            return
        if tag not in RUN_IN_ELEMENTS:
            self.flush()
        self.open.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if tag not in RUN_IN_ELEMENTS:
            self.flush()
        if any(name == tag for name, _ in self.open):
            while self.open and self.open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.skipping():
            self.buffer.append(data)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    parser.flush()
    return [text for text in parser.texts if text]


def normalized(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def segments(text: str) -> set[str]:
    return {text, *(part.strip() for part in SEPARATORS.split(text) if part.strip())}


def entered_texts() -> list[str]:
    """Every text people entered: the installation's settings (the city's name, the board's
    name) and the database, the vocabulary fields excepted."""
    found: list[str] = [str(value) for value in settings.CITY.values()]
    for model in apps.get_models():
        label = model._meta.label_lower
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            and not field.choices
            and (label, field.attname) not in VOCABULARY
        ]
        if names:
            for row in model._default_manager.values_list(*names):
                for value in row:
                    found += _strings_in(value)
    return found


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return []


class UntranslatedFinder:
    """Finds German interface strings among a page's texts."""

    def __init__(self, entered: list[str]) -> None:
        english: dict[str, str] = {}
        for entry in read_catalogue(LOCALE / "en" / "LC_MESSAGES" / "django.po"):
            # A fuzzy entry is not compiled: its German is what the page shows.
            shown = {} if entry["fuzzy"] else entry["msgstr"]
            if entry["msgid_plural"] is None:
                english[entry["msgid"]] = shown.get("msgstr", "")
            else:
                english[entry["msgid"]] = shown.get("msgstr[0]", "")
                english[entry["msgid_plural"]] = shown.get("msgstr[1]", "")
        english_texts = {text for text in english.values() if text}
        self.english = english_texts
        self.english_joined = "\n".join(english_texts)
        self.entered: set[str] = set()
        for value in entered:
            for line in [value, *value.splitlines()]:
                self.entered |= segments(" ".join(line.split()))
        self.entered_joined = "\n".join(" ".join(value.split()) for value in entered)
        self.entered_words = set(re.findall(r"\w[\w-]*", self.entered_joined))
        self.exact: set[str] = set()
        self.sentences: list[tuple[str, str]] = []  # (msgid, its longest part without values)
        for msgid, text in english.items():
            if text == msgid:
                continue  # the same in both languages: names, codes, "Workshop"
            plain = normalized(msgid)
            if PLACEHOLDER.search(msgid) or "<" in msgid:
                longest = max((part.strip() for part in PLACEHOLDER.split(plain)), key=len)
                if len(longest) >= 12 and " " in longest:
                    self.sentences.append((msgid, longest))
            else:
                self.exact.add(plain)

    def word_of_entered_text(self, part: str, text: str) -> bool:
        """One word out of a list in a longer text, found in what people wrote: "Gemeinsame
        Wörter: Parkhäuser, Hochschule" names words of two submissions."""
        return part != text and " " not in part and part in self.entered_words

    def untranslated(self, texts: list[str]) -> set[str]:
        found = {
            part
            for text in texts
            for part in segments(text)
            if part in self.exact
            and part not in self.entered
            and part not in self.english
            and not self.word_of_entered_text(part, text)
        }
        page = " ".join(texts)
        found |= {
            msgid
            for msgid, longest in self.sentences
            if longest in page
            and longest not in self.english_joined
            and longest not in self.entered_joined
        }
        return found


def english_client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get("/sprache/en/")
    assert response.status_code == 302
    return client


def public_paths() -> list[str]:
    paper = Paper.objects.filter(status=Paper.Status.PUBLISHED, public=True).first()
    meeting = Meeting.objects.filter(public=True, start__lt=timezone.now()).first()
    committee = Committee.objects.get(slug="digitalbeirat")
    partner = PartnerOrganization.objects.get(slug="it-stadt-koblenz")
    recommendation = Recommendation.objects.filter(public=True).first()
    statement = BoardStatement.objects.filter(published_at__isnull=False).first()
    submission = Submission.objects.exclude(title="").order_by("pk").first()
    assert paper
    assert meeting
    assert recommendation
    assert statement
    assert submission
    return [
        "/",
        "/beirat/",
        "/beirat/stellungnahmen/",
        statement.get_absolute_url(),
        "/eingaben/neu/",
        "/eingaben/",
        submission.get_absolute_url(),
        "/vorlagen/",
        *(found.get_absolute_url() for found in Paper.objects.filter(public=True)),
        "/sitzungen/",
        meeting.get_absolute_url(),
        "/gremien/",
        committee.get_absolute_url(),
        "/empfehlungen/",
        recommendation.get_absolute_url(),
        "/beschlusskontrolle/",
        "/netzwerk/",
        partner.get_absolute_url(),
        "/suche/",
        "/suche/?q=Parkhaus",
        "/suche/?q=Zqxvbnm",
        "/barrierefreiheit/",
        "/datenschutz/",
        "/datenschutz/aufbewahrung/",
        "/impressum/",
        "/leichte-sprache/",
        "/gibt-es-nicht/",
        "/konto/login/",
    ]


def untranslated_on(client: Client, paths: list[str], finder: UntranslatedFinder) -> dict:
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response["Content-Language"] == "en", path
        if response.status_code == 404:
            assert path == "/gibt-es-nicht/", path
        strings = finder.untranslated(visible_texts(response.content.decode()))
        if strings:
            found[path] = sorted(strings)
    return found


@pytest.fixture
def demo(db, search_index):
    call_command("load_demo", stdout=io.StringIO())
    search_index.sync()


def result_without_paper() -> Meeting:
    """A public agenda item without a paper whose result a clerk working in English recorded:
    it is kept in German ("mehrheitlich") and must be shown translated."""
    meeting = Meeting.objects.filter(public=True, start__lt=timezone.now()).first()
    assert meeting
    item = AgendaItem.objects.create(
        meeting=meeting, order=99, number="Ö 99", name="Verschiedenes", public=True
    )
    with translation.override("en"):
        council_services.record_item_result(
            agenda_item=item,
            consultation=None,
            outcome=Consultation.Outcome.MAJORITY,
            votes_yes=None,
            votes_no=None,
            votes_abstain=None,
            votes_biased=None,
            text="",
            actor=None,
        )
    item.refresh_from_db()
    assert item.result == "mehrheitlich"
    return meeting


def test_public_pages_show_no_untranslated_german(demo):
    meeting = result_without_paper()
    finder = UntranslatedFinder(entered_texts())
    client = english_client()

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "by majority" in page
    assert "matches for “Parkhaus”" in client.get("/suche/?q=Parkhaus").content.decode()
    # The board's name as configured ("Digitalbeirat") is in the catalogue: English names it so.
    board = client.get("/beirat/").content.decode()
    assert "<title>Digital Advisory Board – Stadt Koblenz</title>" in board

    assert untranslated_on(client, public_paths(), finder) == {}


def test_staff_pages_show_no_untranslated_german(demo):
    found = {}
    for username in STAFF:
        # Anew for each persona: the pages the last one opened may have left audit entries.
        finder = UntranslatedFinder(entered_texts())
        user = User.objects.get(username=username)
        Authenticator.objects.get_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
        )
        client = english_client(user)
        paths, seen = ["/arbeitsplatz/"], set()
        while paths and len(seen) < 60:
            path = paths.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            strings = finder.untranslated(visible_texts(html))
            if strings:
                found[f"{username} {path}"] = sorted(strings)
            paths += [
                link
                for link in re.findall(r'href="(/arbeitsplatz/[^"#?]*)"', html)
                if link not in seen and not link.endswith((".pdf", ".csv", "/datei/"))
            ]
        assert len(seen) > 1, username

    assert found == {}


@pytest.fixture
def english_without(monkeypatch):
    """English in which the given German texts have no translation, as if a msgstr were
    removed from the catalogue."""

    def remove(*msgids: str) -> None:
        caches["pages"].clear()  # public pages are kept once rendered
        catalogue = trans_real.translation("en")
        gettext, ngettext = catalogue.gettext, catalogue.ngettext
        monkeypatch.setattr(
            catalogue, "gettext", lambda message: message if message in msgids else gettext(message)
        )
        monkeypatch.setattr(
            catalogue,
            "ngettext",
            lambda singular, plural, number: (
                (singular if number == 1 else plural)
                if singular in msgids
                else ngettext(singular, plural, number)
            ),
        )

    return remove


@pytest.mark.django_db
def test_a_removed_translation_is_found(english_without):
    finder = UntranslatedFinder(entered_texts())
    client = english_client()
    assert untranslated_on(client, ["/"], finder) == {}

    english_without("So können Sie mitmachen", "Sprache und Anmeldung")

    assert untranslated_on(client, ["/"], finder) == {
        "/": ["So können Sie mitmachen", "Sprache und Anmeldung"]
    }


@pytest.mark.django_db
def test_a_removed_translation_with_values_is_found(english_without):
    english_without("Anmeldung für Verwaltung und %(board)s")
    finder = UntranslatedFinder(entered_texts())

    found = untranslated_on(english_client(), ["/impressum/"], finder)

    assert found == {"/impressum/": ["Anmeldung für Verwaltung und %(board)s"]}


@pytest.mark.django_db
def test_a_stored_topic_shown_untranslated_is_found(monkeypatch):
    TopicFactory(name="Mobilität und Verkehr")
    finder = UntranslatedFinder(entered_texts())
    client = english_client()
    assert untranslated_on(client, ["/eingaben/neu/"], finder) == {}

    monkeypatch.setattr("beirat.submissions.models.Topic.__str__", lambda topic: topic.name)
    caches["pages"].clear()

    assert untranslated_on(client, ["/eingaben/neu/"], finder) == {
        "/eingaben/neu/": ["Mobilität und Verkehr"]
    }
