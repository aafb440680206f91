"""Both catalogues are complete, and the compiled .mo files match their .po sources."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import trans_real

LOCALE = Path(__file__).resolve().parents[2] / "beirat" / "locale"
OVERRIDES = LOCALE.parent / "locale_overrides"
# The city addresses people formally (Sie). Words that give away the informal du:
INFORMAL = re.compile(
    r"\b(du|dein\w*|dich|dir|gib|klicke?|melde|bestätige|wähle|versuche|lass)\b", re.I
)
# allauth's identity provider (allauth.idp, for OAuth clients and their devices) is not installed:
# its messages are never shown.
NOT_INSTALLED = ("client", "device", "View your ", "response types")


def read_catalogue(path: Path) -> list[dict]:
    """Entries of a .po file as {"msgid", "msgid_plural", "msgstr": [...], "fuzzy"}."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            field, entry["msgid_plural"] = "msgid_plural", ast.literal_eval(line[13:])
        elif line.startswith("msgid "):
            field, entry["msgid"] = "msgid", ast.literal_eval(line[6:])
        elif line.startswith("msgstr"):
            key, _, value = line.partition(" ")
            field = key
            entry["msgstr"][key] = ast.literal_eval(value)
        elif line.startswith('"'):
            if field.startswith("msgstr"):
                entry["msgstr"][field] += ast.literal_eval(line)
            else:
                entry[field] += ast.literal_eval(line)
    return [item for item in entries if item["msgid"]]


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_is_complete_without_fuzzy_entries(language):
    entries = read_catalogue(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 300
    assert [e["msgid"] for e in entries if e["fuzzy"]] == []
    assert [e["msgid"] for e in entries if not all(e["msgstr"].values())] == []


@pytest.mark.parametrize(
    "folder",
    [
        LOCALE / "de" / "LC_MESSAGES",
        LOCALE / "en" / "LC_MESSAGES",
        OVERRIDES / "de" / "LC_MESSAGES",
    ],
    ids=["de", "en", "overrides-de"],
)
def test_compiled_catalogue_matches_its_source(folder):
    with (folder / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in read_catalogue(folder / "django.po"):
        if entry["msgid_plural"] is None and "msgctxt" not in entry:
            assert translations.gettext(entry["msgid"]) == entry["msgstr"]["msgstr"]


def test_english_catalogue_really_is_english():
    entries = read_catalogue(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    same = [e["msgid"] for e in entries if e["msgstr"].get("msgstr") == e["msgid"]]
    # Names and codes may stay the same in both languages; sentences may not.
    assert [text for text in same if " " in text and len(text) > 25] == []


def test_no_german_message_says_du():
    # allauth's German catalogue is informal; beirat/locale_overrides gives its messages in the
    # formal address. A message a new allauth version brings shows up here.
    with translation.override("de"):
        catalogue = trans_real.translation("de")._catalog
        # items() also yields the entries an override hides; the lookup gives the one shown.
        shown = {
            msgid: catalogue[msgid] for msgid, _ in catalogue.items() if isinstance(msgid, str)
        }
    informal = [
        msgid
        for msgid, text in shown.items()
        if INFORMAL.search(text)
        and msgid != text
        and not any(word in msgid for word in NOT_INSTALLED)
    ]
    assert informal == []


def test_the_lockout_message_is_formal(client):
    with translation.override("de"):
        assert translation.gettext("Too many failed login attempts. Try again later.") == (
            "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später erneut."
        )
