"""OCR repair for German: umlauts and ß that a scan lost, and words broken at line ends.

A word is changed only when it is not German as it stands (neither in the word list inside the
pyspellchecker wheel nor a compound of known words) and a small number of typical OCR
confusions turn it into one that is: "fiir" → "für", "gepriift" → "geprüft", "stirken" →
"stärken", "begriiBen" → "begrüßen", "6ffentlichen" → "öffentlichen". The original text is kept
beside the repaired one by the caller; every change is listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from beirat.search.analysis import MAX_WORD_LENGTH, _lexicon, compound_parts

# (seen, meant), tried in this order; at most two per word.
CONFUSIONS = (
    ("iit", "ü"),
    ("ii", "ü"),
    ("i", "ä"),
    ("i", "ü"),
    ("i", "ö"),
    ("d", "ä"),
    ("é", "ä"),
    ("è", "ä"),
    ("a", "ä"),
    ("o", "ö"),
    ("u", "ü"),
    ("6", "ö"),
    ("B", "ß"),
    ("ss", "ß"),
    ("0", "o"),
    ("1", "l"),
)
MAX_EDITS = 2
MAX_CANDIDATES = 400
_WORD = re.compile(r"[A-Za-zÄÖÜäöüßéè0-9]+")
_HAS_LETTERS = re.compile(r"[A-Za-zÄÖÜäöüß].*[A-Za-zÄÖÜäöüß]")


@dataclass(frozen=True)
class Change:
    original: str
    repaired: str


@dataclass(frozen=True)
class Repaired:
    text: str
    changes: tuple[Change, ...]


def repair(text: str) -> Repaired:
    changes: list[Change] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        better = repair_word(word)
        if better != word:
            changes.append(Change(word, better))
        return better

    return Repaired(text=_WORD.sub(fix, text), changes=tuple(changes))


@lru_cache(maxsize=50_000)
def repair_word(word: str) -> str:
    # Longer "words" are noise the search does not index either; trying confusions in one costs
    # time in proportion to its length for each of up to 400 candidates.
    if not 3 <= len(word) <= MAX_WORD_LENGTH or not _HAS_LETTERS.search(word) or word.isdigit():
        return word
    if _is_acronym_with_a_one(word):
        return word.replace("1", "")
    if is_word(word):
        return word
    candidates = _candidates(word)
    # A word of the list beats a compound: "Wirtschaftsforderung" is a compound of
    # "Forderung", but the list knows "Wirtschaftsförderung".
    for candidate in candidates:
        if is_word(candidate):
            return _same_case(word, candidate)
    if is_compound(word):
        return word
    for candidate in candidates:
        if is_compound(candidate):
            return _same_case(word, candidate)
    return word


def is_word(word: str) -> bool:
    lowered = word.lower()
    return lowered.isalpha() and lowered in _lexicon()


def is_compound(word: str) -> bool:
    lowered = word.lower()
    return lowered.isalpha() and bool(compound_parts(lowered))


def _is_acronym_with_a_one(word: str) -> bool:
    """ "I1T" is "IT": OCR reads the stem of a capital I twice."""
    letters = word.replace("1", "")
    return "1" in word and len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _candidates(word: str) -> list[str]:
    found: list[str] = []
    frontier = [word]
    for _edit in range(MAX_EDITS):
        following = []
        for current in frontier:
            for seen, meant in CONFUSIONS:
                for position in _positions(current, seen):
                    candidate = current[:position] + meant + current[position + len(seen) :]
                    if candidate not in found:
                        found.append(candidate)
                        following.append(candidate)
                    if len(found) >= MAX_CANDIDATES:
                        return found
        frontier = following
    return found


def _positions(word: str, part: str) -> list[int]:
    return [index for index in range(len(word)) if word.startswith(part, index)]


def _same_case(original: str, candidate: str) -> str:
    # A word read with a digit first ("6ffentlichen") keeps the lower case of the list.
    if original[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    return candidate


# Lines -----------------------------------------------------------------------------------------

# \b: a match starts where a word starts. Without it every letter of a long word was a start
# to try again from (quadratic: a 100,000-letter "word" in an imported file took minutes).
_BROKEN_WORD = re.compile(r"\b(\w+)-\n(\w+)")


def join_broken_words(text: str) -> str:
    """ "Digitalisie-\\nrung" → "Digitalisierung"; "Smart-City-\\nSteuerungsgruppe" keeps its
    hyphen (the next part starts with a capital: a hyphenated compound, not a broken word)."""

    def join(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        if tail[:1].isupper():
            return f"{head}-{tail}"
        return head + tail

    return _BROKEN_WORD.sub(join, text)
