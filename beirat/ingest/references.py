"""Paper numbers as other cities print them, and how they become beirat's numbers.

A city describes its numbers by templates (the setting ``BEIRAT_IMPORT_REFERENCE_PATTERNS``):
``{code}/{year}/{number}`` reads ``VO/2024/0123``, ``{word} {number}/{year}`` reads
``Drucksache 0456/2023`` and ``Vorlage Nr. 123/2024``. Placeholders:

- ``{code}``: one to five capital letters (``VO``, ``AF``, ``DS``),
- ``{word}``: a word with a capital letter, perhaps abbreviated (``Drucksache``, ``Drs.``),
- ``{number}``: the running number, one to six digits,
- ``{year}``: a four-digit year; ``{yy}``: a two-digit one (``137/06`` → 2006).

A space in a template stands for any separator a clerk may have typed, including "Nr." or
"Nummer" ("Vorlage – Nr.: 123/2024"); a slash allows spaces around it. Everything else is taken
literally. Templates are no regular expressions on purpose: an operator cannot write one that
takes minutes on a crafted file.

The beirat number of an imported paper is the city's code of its type with the number and year
read (``VO/2024/0123``, a Beschlussvorlage → ``BV/0123/2024``); a number in beirat's own form
whose code is one of the city's is taken as it is (docs/decisions.md, "Imported papers keep
their sequence and year").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from beirat.council.numbering import Reference

DEFAULT_PATTERNS = (
    "{code}/{number}/{year}",
    "{code}/{year}/{number}",
    "{word} {number}/{year}",
    "{code} {number}/{year}",
)
PLACEHOLDERS = {
    "code": r"(?<![\wÄÖÜäöüß])(?P<code>[A-ZÄÖÜ]{1,5})",
    "word": r"(?<![\wÄÖÜäöüß])(?P<word>[A-ZÄÖÜ][A-Za-zÄÖÜäöüß]{1,24}\.?)",
    "number": r"(?<!\d)(?P<number>\d{1,6})(?!\d)",
    "year": r"(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)",
    "yy": r"(?<!\d)(?P<yy>\d{2})(?!\d)",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# What may stand between a prefix and the number: a dash, a colon, "Nr.", "Nummer".
# Each optional part begins with a character of its own, so that a long run of spaces cannot
# be divided among them in many ways (a crafted file must not take minutes).
_SEPARATOR = r"[ \t]*(?:[-–:][ \t]*)?(?:(?:-?Nr\.?|Nummer)[ \t]*)?(?::[ \t]*)?"


# A supplement's suffix ("0456/2023-1", "VO/2024/0123-01"): part of the number as printed, so
# that a supplement is never taken for its main paper.
_SUFFIX = r"(?:[-/]\d{1,3}(?![\d/]))?"


class PatternError(ValueError):
    """A template that cannot describe a paper number."""


@dataclass(frozen=True)
class ReferencePattern:
    template: str
    regex: re.Pattern[str]

    @property
    def number_first(self) -> bool:
        """``{code}/{number}/{year}`` is beirat's own order."""
        return self.template.index("{number}") < self.template.index(
            "{year}" if "{year}" in self.template else "{yy}"
        )


@dataclass(frozen=True)
class FoundReference:
    """A paper number found in a text, as printed and in its parts."""

    text: str
    code: str
    number: int
    year: int
    number_first: bool

    def is_native(self, type_codes: Iterable[str]) -> bool:
        """In beirat's own form with one of the city's codes: kept as it is."""
        return self.number_first and self.code in set(type_codes)

    def as_reference(self, type_code: str) -> Reference:
        return Reference(type_code, self.number, self.year)


def compile_pattern(template: str) -> ReferencePattern:
    names = _PLACEHOLDER.findall(template)
    unknown = sorted(set(names) - set(PLACEHOLDERS))
    if unknown:
        raise PatternError(f"{template!r}: unknown placeholder {{{unknown[0]}}}")
    if names.count("number") != 1 or names.count("year") + names.count("yy") != 1:
        raise PatternError(f"{template!r} needs {{number}} and {{year}} (or {{yy}}) once each")
    if len(names) != len(set(names)):
        raise PatternError(f"{template!r} uses a placeholder twice")
    parts = []
    for index, piece in enumerate(_PLACEHOLDER.split(template)):
        parts.append(PLACEHOLDERS[piece] if index % 2 else _literal(piece))
    return ReferencePattern(template, re.compile("".join(parts) + _SUFFIX))


def _literal(text: str) -> str:
    out = []
    for char in text:
        if char.isspace():
            out.append(_SEPARATOR)
        elif char == "/":
            out.append(r"[ \t]*/[ \t]*")
        else:
            out.append(re.escape(char))
    return "".join(out)


def compile_patterns(templates: Sequence[str]) -> tuple[ReferencePattern, ...]:
    return tuple(compile_pattern(template) for template in templates)


def configured_patterns() -> tuple[ReferencePattern, ...]:
    from django.conf import settings

    templates = getattr(settings, "BEIRAT_IMPORT_REFERENCE_PATTERNS", None) or DEFAULT_PATTERNS
    return compile_patterns(templates)


def find_reference(text: str, patterns: Sequence[ReferencePattern]) -> FoundReference | None:
    """The first paper number in ``text``: the earliest in the text, and of two at the same place
    the one of the pattern named first."""
    best: tuple[int, int, re.Match[str], ReferencePattern] | None = None
    for order, pattern in enumerate(patterns):
        match = next((m for m in pattern.regex.finditer(text) if _plausible(m)), None)
        if match is not None and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, match, pattern)
    if best is None:
        return None
    match, pattern = best[2], best[3]
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else _century(int(groups["yy"]))
    return FoundReference(
        text=" ".join(match.group(0).split()),
        code=groups.get("code") or "",
        number=int(groups["number"]),
        year=year,
        number_first=pattern.number_first,
    )


def _plausible(match: re.Match[str]) -> bool:
    return int(match.group("number")) > 0


def _century(two_digits: int) -> int:
    return 2000 + two_digits if two_digits < 70 else 1900 + two_digits
