"""The one German analyzer: the same steps turn documents and queries into index terms.

Text → normalised text (NFC, ligatures, soft hyphens, words broken at line ends joined) →
words → per word: lower case, OCR folding, Snowball stem (which also folds umlauts, ß and the
ae/oe/ue spellings, so "Straße" and "Strasse", "Anträge" and "Antrag" meet) → term.
Long words also give their compound parts ("Parkplatzsuche" → "parkplatz", "such"), from a
German word list that ships inside the pyspellchecker wheel plus the city's own vocabulary.

Stop words are dropped on both sides, so a phrase "Antrag der FDP" is the terms "antrag fdp".
Every per-word result is cached: a council archive repeats a few hundred thousand words.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
# "Digitali-\nsierung" in an OCR'd or justified text is one word; "Smart-City-\nStrategie" keeps
# its hyphen because the next line starts with a capital.
# Patterns start with their rare character, so the engine skips ahead to it; the letter before
# is checked by the replacement function (a look-behind at the start made every position slow).
LINE_BREAK_HYPHEN = re.compile(r"[-\u00ad][ \t]*\n\s*(?=[a-zäöüß])")
# A regular expression, not str.translate: translate walks a long text character by character.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# OCR reads "ß" inside a lower-case word as "B" ("begriiBen").
OCR_SHARP_S = re.compile(r"B(?=[a-zäöü])")
# OCR reads "ü" as "ii" ("fiir", "gepriift"); real German words with "ii" are rare loans.
OCR_DOUBLE_I = re.compile(r"ii")
# Digits inside letters are misread letters ("Ste11ungnahme", "6ffentlich").
OCR_DIGITS_IN_WORD = re.compile(r"(?<=[^\W\d_])[015]+(?=[^\W\d_])")
OCR_DIGIT_LETTERS = str.maketrans("015", "ols")
OCR_LEADING_SIX = re.compile(r"^6(?=[a-zäöü]{3})")
KEEP_MARKS = {"\u0308"}  # the umlaut's two dots; the stemmer folds them itself

MIN_COMPOUND_LENGTH = 8
MIN_PART_LENGTH = 3
LINKING_ELEMENTS = ("s", "es", "n", "en", "e")
MAX_WORD_LENGTH = 60  # longer "words" are hashes, URLs or OCR noise: not worth a term

STOPWORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dass
    dasselbe dazu dein deine deinem deinen deiner deines dem demselben den denn denselben der
    derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben
    diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig
    einige einigem einigen einiger einiges einmal er es etwas euch euer eure eurem euren eurer
    eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen
    ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene
    jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können könnte
    machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines
    mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
    seinem seinen seiner seines selbst sich sie sind so solche solchem solchen solcher solches
    soll sollte sondern sonst um und uns unser unsere unserem unseren unserer unseres unter
    viel vom von vor während war waren warst was weg weil weiter welche welchem welchen
    welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde
    würden zu zum zur zwar zwischen
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Words of council and digital work the general word list lacks; they must split compounds too.
CITY_VOCABULARY = frozenset(
    """
    app apps beirat beirats cloud daten digital digitale glasfaser online portal portale rat
    ratsarbeit smart city wlan server software hardware netz netze akte akten bürger förder
    mittel verwaltung strategie konzept satzung ausschuss vorlage vorlagen haushalt haushalts
    nahme nahmen
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Derivational endings are in the word list as words of their own, but are no compound parts.
NOT_A_PART = frozenset(
    """
    schaft schaften heit heiten keit keiten lich liche isch ische ahme
    """.split()  # noqa: SIM905 - a word list reads best as words
)


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: where it stands, its index term and the terms of its parts."""

    start: int
    end: int
    term: str
    parts: tuple[str, ...]


def normalize(text: str) -> str:
    """NFC, ligatures and compatibility forms unfolded, invisible characters gone."""
    if "\n" in text:
        text = LINE_BREAK_HYPHEN.sub(lambda hit: _after_letter(hit, ""), text)
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return OCR_SHARP_S.sub(lambda hit: _after_letter(hit, "ß", lower=True), text)


def _after_letter(hit: re.Match[str], replacement: str, *, lower: bool = False) -> str:
    """The replacement if a letter (a lower-case one if asked) stands before the match."""
    before = hit.string[hit.start() - 1] if hit.start() else ""
    letter = before.isalpha() and (before.islower() if lower else True)
    return replacement if letter else hit.group()


def words(text: str) -> Iterator[Word]:
    """The index words of an already normalised text, with their offsets in it."""
    analyze = analyze_word
    for match in WORD.finditer(text):
        analyzed = analyze(match.group())
        if analyzed is not None:
            yield Word(match.start(), match.end(), analyzed[0], analyzed[1])


def terms(text: str) -> list[str]:
    """The terms of a text, in order: what a phrase query must find at consecutive positions."""
    analyze = analyze_word
    found = []
    for token in WORD.findall(normalize(text)):
        analyzed = analyze(token)
        if analyzed is not None:
            found.append(analyzed[0])
    return found


def index_fields(text: str, *, normalized: bool = False) -> tuple[str, str]:
    """The text as two whitespace-separated term strings: the words, and their compound parts."""
    analyze = analyze_word
    body: list[str] = []
    parts: list[str] = []
    for token in WORD.findall(text if normalized else normalize(text)):
        analyzed = analyze(token)
        if analyzed is not None:
            body.append(analyzed[0])
            parts.extend(analyzed[1])
    return " ".join(body), " ".join(parts)


def prefix_term(fragment: str) -> str:
    """A prefix as the index spells it, without stemming: "Anträ" → "antra"."""
    folded = _fold_word(normalize(fragment).lower())
    return _strip_umlauts(folded)


@lru_cache(maxsize=400_000)
def analyze_word(token: str) -> tuple[str, tuple[str, ...]] | None:
    """The term and compound-part terms of one word; None for stop words and noise."""
    lowered = token.lower()
    if lowered in STOPWORDS or len(lowered) > MAX_WORD_LENGTH:
        return None
    folded = _fold_word(lowered)
    stem = _stemmer().stemWord(folded)
    if not stem or folded in STOPWORDS:  # "fiir" is OCR for the stop word "für"
        return None
    parts = tuple(_stemmer().stemWord(part) for part in compound_parts(folded))
    return stem, parts


def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a German compound, or () if the word is not one we can split."""
    # Every cut of the word is tried, and the tail again: a "word" of 100,000 letters in an
    # imported file kept the import busy for minutes. Longer ones are noise (MAX_WORD_LENGTH).
    if not MIN_COMPOUND_LENGTH <= len(word) <= MAX_WORD_LENGTH or not word.isalpha():
        return ()
    return _split_cached(word)


@lru_cache(maxsize=200_000)
def _split_cached(word: str) -> tuple[str, ...]:
    return _split(word, _lexicon())


def _split(word: str, lexicon: frozenset[str]) -> tuple[str, ...]:
    # Every cut is a candidate; the best has the fewest parts, then needs no linking element
    # ("stellung|nahme" beats "stellung-n|ahme"), then has the longest shortest part
    # ("parkplatz|suche" beats "park|platz|suche"). The tail may itself be a compound.
    best: tuple[tuple[int, bool, int], tuple[str, ...]] | None = None
    for cut in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH + 1):
        head, tail = word[:cut], word[cut:]
        known_head, linked = _known_head(head, lexicon)
        if known_head is None:
            continue
        if tail in lexicon and tail not in STOPWORDS and tail not in NOT_A_PART:
            parts: tuple[str, ...] = (known_head, tail)
        elif len(tail) >= MIN_COMPOUND_LENGTH and (rest := _split_cached(tail)):
            parts = (known_head, *rest)
        else:
            continue
        score = (len(parts), linked, -min(len(part) for part in parts))
        if best is None or score < best[0]:
            best = (score, parts)
    return best[1] if best else ()


def _known_head(head: str, lexicon: frozenset[str]) -> tuple[str | None, bool]:
    """The head as a known word, and whether a linking element had to be dropped for it."""
    if head in lexicon and head not in STOPWORDS:
        return head, False
    for link in LINKING_ELEMENTS:
        base = head.removesuffix(link)
        if base != head and len(base) > MIN_PART_LENGTH and base in lexicon:
            return base, True
    return None, False


def _fold_word(word: str) -> str:
    """OCR and typography folding of one lower-case word."""
    if "ii" in word and len(word) > 3:
        word = OCR_DOUBLE_I.sub("ü", word)
    if not word.isalpha() and not word.isdigit():
        word = _letters_for_digits(word)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    if all(not unicodedata.combining(char) or char in KEEP_MARKS for char in decomposed):
        return word
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c in KEEP_MARKS)
    return unicodedata.normalize("NFC", kept)


def _letters_for_digits(word: str) -> str:
    word = OCR_LEADING_SIX.sub("ö", word)
    return OCR_DIGITS_IN_WORD.sub(lambda run: run.group().translate(OCR_DIGIT_LETTERS), word)


def _strip_umlauts(word: str) -> str:
    return word.replace("ß", "ss").translate(str.maketrans("äöü", "aou"))


_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # A Stemmer object is not safe to share between threads.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("german")
    return stemmer


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """German word forms from pyspellchecker's dictionary (MIT) plus the city's vocabulary."""
    source = resources.files("spellchecker") / "resources" / "de.json.gz"
    with source.open("rb") as packed, gzip.open(packed) as unpacked:
        frequencies: dict[str, int] = json.load(unpacked)
    known = (word for word in frequencies if len(word) >= MIN_PART_LENGTH and word.isalpha())
    return frozenset(known) | CITY_VOCABULARY
