"""Highlighted excerpts: the part of a text where the query's words stand closest together.

Finding candidates is one regular-expression pass over a folded copy of the text (C speed);
only the candidates go through the analyzer, which confirms that their term is one the query
asked for. So highlighting agrees with matching, and a page of ten hits costs well under a
millisecond of Python.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from beirat.search import analysis

WINDOW = 240
# One character for one character, so offsets in the folded copy are offsets in the text.
# (Chained str.replace: much faster than str.translate on long texts.)
FOLD = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "s"))


def highlight(text: str, terms: frozenset[str], prefixes: Iterable[str]) -> SafeString:
    """The whole (short) text with matching words marked: for titles.

    Texts come from the index already normalised (beirat.search.index.to_tantivy).
    """
    return _render(text, 0, len(text), _matches(text, terms, tuple(prefixes)))


def excerpt(text: str, terms: frozenset[str], prefixes: Iterable[str]) -> SafeString:
    """About WINDOW characters around the densest cluster of matching words."""
    matches = _matches(text, terms, tuple(prefixes))
    if not matches:
        end = _word_boundary(text, min(len(text), WINDOW))
        return _render(text, 0, end, [])
    start, end = _densest_window(text, matches)
    inside = [match for match in matches if match[0] >= start and match[1] <= end]
    return _render(text, start, end, inside)


def _matches(text: str, terms: frozenset[str], prefixes: tuple[str, ...]) -> list[tuple[int, int]]:
    folded = text.lower()
    if len(folded) != len(text):  # a rare letter whose lower case is longer: no offsets to trust
        return []
    for umlaut, plain in FOLD:
        folded = folded.replace(umlaut, plain)
    pattern = _stem_pattern(terms, prefixes)
    if pattern is None:
        return []
    found: list[tuple[int, int]] = []
    last_end = -1
    # Searching for the stems alone is fastest (measured: whole-word patterns were 2–5× slower);
    # the few hits are widened to their words in Python.
    for hit in pattern.finditer(folded):
        start, end = _expand_to_word(text, hit.start(), hit.end())
        if start < last_end:
            continue
        if _confirmed(text[start:end], terms, prefixes):
            found.append((start, end))
            last_end = end
    return found


@functools.lru_cache(maxsize=512)
def _stem_pattern(terms: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """Stems drop endings, so each is inside the words it came from once umlauts are folded
    alike; stems under three letters would match everywhere."""
    stems = sorted({term for term in terms if len(term) >= 3} | set(prefixes), key=len)
    if not stems:
        return None
    # "ß" folds to one "s" here but to "ss" in the index: let either spelling match.
    return re.compile("|".join(re.escape(stem).replace("ss", "ss?") for stem in reversed(stems)))


def _expand_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _confirmed(word: str, terms: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    analyzed = analysis.analyze_word(word)
    if analyzed is None:
        return False
    term, parts = analyzed
    if term in terms or any(part in terms for part in parts):
        return True
    return any(term.startswith(prefix) for prefix in prefixes)


def _densest_window(text: str, matches: list[tuple[int, int]]) -> tuple[int, int]:
    best_first, best_count = 0, 0
    last = 0
    for first in range(len(matches)):
        while last < len(matches) and matches[last][1] - matches[first][0] <= WINDOW:
            last += 1
        if last - first > best_count:
            best_first, best_count = first, last - first
    anchor = matches[best_first][0]
    start = _word_boundary(text, max(0, anchor - WINDOW // 4), backwards=True)
    end = _word_boundary(text, min(len(text), start + WINDOW))
    return start, end


def _word_boundary(text: str, position: int, *, backwards: bool = False) -> int:
    step = -1 if backwards else 1
    while 0 < position < len(text) and not text[position].isspace():
        position += step
    return position


def _render(text: str, start: int, end: int, matches: list[tuple[int, int]]) -> SafeString:
    pieces = ["… " if start > 0 else ""]
    cursor = start
    for match_start, match_end in matches:
        pieces.append(escape(text[cursor:match_start]))
        pieces.append(f"<mark>{escape(text[match_start:match_end])}</mark>")
        cursor = match_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append(" …")
    return mark_safe("".join(pieces).strip())  # noqa: S308 - every piece of text is escaped
