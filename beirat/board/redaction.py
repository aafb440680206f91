"""Redaction of personal data before a text goes to the board (pure functions, no database).

What is removed: e-mail addresses, phone numbers, postal addresses (street and number, postcode
and town), the name in a greeting ("Sehr geehrte Frau Dr. Müller,") and the name under a
closing formula ("Mit freundlichen Grüßen / Erika Musterfrau"), and every word of names the
caller already knows (the submitter's). IT management sees each removal before the request goes
out; patterns are a safety net, not a guarantee, which is why a person looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = "[E-Mail-Adresse entfernt]"
PHONE = "[Telefonnummer entfernt]"
ADDRESS = "[Anschrift entfernt]"
NAME = "[Name entfernt]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# +49 261 129-0, 0261/12 90, (0261) 129 0, 0170 1234567: a prefix, then at least 6 more digits.
# No dots, so that dates (09.10.2020) are not mistaken for numbers.
_PHONE = re.compile(r"(?<![\w/.])(?:\+\d{2}|\(?0)[\d ()/\-]{6,}\d(?!\d)")
_STREET_WORDS = (
    r"stra(?:ß|ss)e|str\.|weg|platz|gasse|allee|ring|ufer|damm|chaussee|pfad|steig|markt|"
    r"hof|berg|graben|wall|tor|brücke|zeile"
)
_STREET = re.compile(
    rf"\b(?:[A-ZÄÖÜ][\wäöüß.-]*(?:{_STREET_WORDS})|[A-ZÄÖÜ][\wäöüß-]+\s+(?:Straße|Strasse|"
    rf"Str\.|Weg|Platz|Gasse|Allee|Ring|Ufer|Damm)|(?:Am|An der|Auf dem|Im|In der|Zum|Zur)"
    rf"\s+[A-ZÄÖÜ][\wäöüß-]+)\s+\d{{1,4}}(?:\s?[a-zA-Z]\b)?"
)
_POSTCODE_TOWN = re.compile(r"\b\d{5}\s+[A-ZÄÖÜ][\wäöüß-]+(?:\s+(?:am|an der|im)\s+\w+)?")
_TITLE = r"(?:(?:Dr|Prof|Dipl)\.(?:-\w+\.?)?\s+)*"
_NAME_WORD = r"[A-ZÄÖÜ][\wäöüß'-]+"
_GREETING = re.compile(
    rf"(?P<opening>\b(?:Sehr geehrte[rs]?|Liebe[rs]?|Hallo|Guten Tag|Moin|Servus)"
    rf"\s+(?:(?:Frau|Herr|Herrn)\s+)?){_TITLE}(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
    rf"(?=\s*[,!\n])"
)
_CLOSING = re.compile(
    r"(?i)(?P<closing>\b(?:(?:mit\s+)?(?:freundlichen|besten|herzlichen|vielen|lieben|liebe|"
    r"viele|beste|schöne|schönen)\s+grüßen?|mfg|lg|gruß)\b[,.!]?)(?P<rest>[ \t]*[^\n]*)$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Removal:
    kind: str
    original: str


@dataclass(frozen=True)
class Redaction:
    text: str
    removals: tuple[Removal, ...]


def redact(text: str, *, known_names: tuple[str, ...] = ()) -> Redaction:
    """The text with personal data replaced by markers, and what was removed, in order."""
    removals: list[Removal] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # browsers send CRLF from textareas

    def replace(pattern: re.Pattern[str], marker: str, kind: str, value: str) -> str:
        def substitute(match: re.Match[str]) -> str:
            removals.append(Removal(kind, match.group(0).strip()))
            return marker

        return pattern.sub(substitute, value)

    text = replace(_EMAIL, EMAIL, "E-Mail", text)
    text = replace(_STREET, ADDRESS, "Anschrift", text)
    text = replace(_POSTCODE_TOWN, ADDRESS, "Anschrift", text)
    text = replace(_PHONE, PHONE, "Telefon", text)
    text = _redact_greetings(text, removals)
    text = _redact_signatures(text, removals)
    for word in _name_words(known_names):
        text = replace(re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE), NAME, "Name", text)
    return Redaction(text=text, removals=tuple(removals))


def _redact_greetings(text: str, removals: list[Removal]) -> str:
    def substitute(match: re.Match[str]) -> str:
        removals.append(Removal("Name", match.group("name")))
        return match.group("opening") + NAME

    return _GREETING.sub(substitute, text)


def _redact_signatures(text: str, removals: list[Removal]) -> str:
    """After a closing formula, the name on the same line or on the next two non-empty lines."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = _CLOSING.search(line)
        if not match:
            continue
        rest = match.group("rest").strip(" ,")
        if rest:
            if _looks_like_signature(rest):
                removals.append(Removal("Name", rest))
                lines[index] = line[: match.end("closing")] + " " + NAME
            continue
        taken = 0
        for following in range(index + 1, len(lines)):
            candidate = lines[following].strip()
            if not candidate:
                continue
            if taken == 2 or not _looks_like_signature(candidate):
                break
            removals.append(Removal("Name", candidate))
            lines[following] = NAME
            taken += 1
    return "\n".join(lines)


def _looks_like_signature(line: str) -> bool:
    """A short line of capitalised words (a name, a title, a company), not a sentence."""
    words = line.split()
    return 0 < len(words) <= 5 and not line.endswith((".", "?", ":")) and line[0].isupper()


def _name_words(names: tuple[str, ...]) -> list[str]:
    words = {word.strip(".,") for name in names for word in name.split()}
    # Titles and one-letter initials are not names; longest first so parts never split a name.
    ignored = {"dr", "prof", "herr", "frau", "dipl", "von", "van", "der", "de"}
    kept = [word for word in words if len(word) >= 3 and word.lower() not in ignored]
    return sorted(kept, key=len, reverse=True)
