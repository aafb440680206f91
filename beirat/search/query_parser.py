"""A user's words into tantivy queries, without ever handing user text to a query parser.

Understood: words (all must match), "quoted phrases", prefixes (``Digital*``), exclusions
(``-Haushalt``) and paper references (``AF/0013/2021``, also ``af 13/2021``). Everything else
is text. The work per query is bounded: at most MAX_QUERY_CHARS characters and MAX_CLAUSES
clauses are read, prefixes need MIN_PREFIX characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import tantivy

from beirat.search import analysis
from beirat.search.index import SCHEMA

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MIN_PREFIX = 3
FIELD_BOOSTS = (("title", 3.0), ("body", 1.0))
PARTS_BOOST = 0.4
REFERENCE_BOOST = 50.0

REFERENCE = re.compile(
    r"(?<![\w/])([A-Za-z]{2,3})(?:\s*/\s*|\s+)(\d{1,4})\s*/\s*((?:19|20)\d{2})(?![\w/])"
)
PHRASE = re.compile(r'"([^"]*)"?')
PIECE = re.compile(r"(-?)([^\s*]+)(\*?)")
SYNTAX = str.maketrans(dict.fromkeys(":()^+~[]{}<>!\\|&=,;?", " "))


@dataclass(frozen=True)
class Clause:
    """One thing the user asked for, as index terms."""

    terms: tuple[str, ...]
    parts: tuple[str, ...] = ()
    prefix: bool = False
    phrase: bool = False
    excluded: bool = False


@dataclass
class ParsedQuery:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.references and not any(not c.excluded for c in self.clauses)

    def highlight_terms(self) -> frozenset[str]:
        found: set[str] = set()
        for clause in self.clauses:
            if not clause.excluded and not clause.prefix:
                found.update(clause.terms)
                found.update(clause.parts)
        return frozenset(found)

    def highlight_prefixes(self) -> tuple[str, ...]:
        return tuple(c.terms[0] for c in self.clauses if c.prefix and not c.excluded)


def parse(raw: str) -> ParsedQuery:
    text = _clean(raw)
    shortened = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    parsed = ParsedQuery(text=text, shortened=shortened)
    rest = REFERENCE.sub(lambda match: _take_reference(match, parsed), text)
    for position, piece in enumerate(PHRASE.split(rest)):
        if position % 2:  # inside quotes
            _add_phrase(parsed, piece)
        else:
            for match in PIECE.finditer(piece.translate(SYNTAX)):
                excluded, prefix = bool(match.group(1)), bool(match.group(3))
                _add_word(parsed, match.group(2), excluded=excluded, prefix=prefix)
    parsed.clauses = parsed.clauses[:MAX_CLAUSES]
    return parsed


def normalize_reference(kind: str, number: str, year: str) -> str:
    return f"{kind.upper()}/{int(number):04d}/{year}"


def _clean(raw: str) -> str:
    # Invalid UTF-8 arrives as U+FFFD from Django; control characters are never meant.
    return "".join(char if char.isprintable() else " " for char in raw.replace("\ufffd", " "))


def _take_reference(match: re.Match[str], parsed: ParsedQuery) -> str:
    parsed.references.append(normalize_reference(*match.groups()))
    return " "


def _add_phrase(parsed: ParsedQuery, piece: str) -> None:
    terms = tuple(analysis.terms(piece))
    if len(terms) == 1:
        _add_word(parsed, piece.strip(), excluded=False, prefix=False)
    elif terms:
        parsed.clauses.append(Clause(terms=terms, phrase=True))


def _add_word(parsed: ParsedQuery, word: str, *, excluded: bool, prefix: bool) -> None:
    word = word.strip("-'.\"")
    if not word:
        return
    if prefix:
        stem = analysis.prefix_term(word)
        if len(stem) >= MIN_PREFIX and stem.isalnum():
            parsed.clauses.append(Clause(terms=(stem,), prefix=True, excluded=excluded))
            return
    normalized = analysis.normalize(word)
    words = list(analysis.words(normalized))
    if len(words) > 1:  # "Parkplatz-App", "E-Akte": all its words, next to each other
        terms = tuple(item.term for item in words)
        parsed.clauses.append(Clause(terms=terms, phrase=True, excluded=excluded))
    elif words:
        only = words[0]
        parts = () if excluded else only.parts  # "-Haushalt" must not exclude every "Haus"
        parsed.clauses.append(Clause(terms=(only.term,), parts=parts, excluded=excluded))


# Building tantivy queries ------------------------------------------------------------------


def text_query(parsed: ParsedQuery, *, fuzzy: bool = False) -> tantivy.Query | None:
    """The query for the user's text, or None if there is nothing to look for."""
    must: list[tantivy.Query] = []
    must_not: list[tantivy.Query] = []
    for clause in parsed.clauses:
        built = _clause_query(clause, fuzzy=fuzzy and not clause.excluded)
        (must_not if clause.excluded else must).append(built)
    reference = _reference_query(parsed.references)
    if not must and reference is None:
        return None
    subqueries: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if must:
        words = _all_of(must)
        if reference is not None:  # "Antwort AF/0013/2021": the paper first, then the words
            words = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, reference), (tantivy.Occur.Should, words)]
            )
        subqueries.append((tantivy.Occur.Must, words))
    else:
        subqueries.append((tantivy.Occur.Must, reference))  # type: ignore[arg-type]
    subqueries += [(tantivy.Occur.MustNot, query) for query in must_not]
    return tantivy.Query.boolean_query(subqueries)


def _all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query) for query in queries])


def _clause_query(clause: Clause, *, fuzzy: bool) -> tantivy.Query:
    if clause.prefix:
        pattern = re.escape(clause.terms[0]) + ".*"
        return _any_field(lambda name: tantivy.Query.regex_query(SCHEMA, name, pattern))
    if clause.phrase:
        terms: list[str | tuple[int, str]] = list(clause.terms)
        return _any_field(lambda name: tantivy.Query.phrase_query(SCHEMA, name, terms))
    term = clause.terms[0]
    if fuzzy:
        distance = 1 if len(term) <= 6 else 2
        return _any_field(
            lambda name: tantivy.Query.fuzzy_term_query(SCHEMA, name, term, distance=distance)
        )
    alternatives = [
        tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA, name, term), boost)
        for name, boost in FIELD_BOOSTS
    ]
    alternatives.append(
        tantivy.Query.boost_query(tantivy.Query.term_query(SCHEMA, "parts", term), PARTS_BOOST)
    )
    if clause.parts:  # "Parkplatzsuche" also finds "Suche nach einem Parkplatz"
        together = _all_of(
            [tantivy.Query.term_query(SCHEMA, "body", part) for part in clause.parts]
        )
        alternatives.append(tantivy.Query.boost_query(together, PARTS_BOOST))
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in alternatives])


def _any_field(build: Callable[[str], tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.boost_query(build(name), boost))
            for name, boost in FIELD_BOOSTS
        ]
    )


def _reference_query(references: list[str]) -> tantivy.Query | None:
    if not references:
        return None
    alternatives = []
    for reference in references:
        exact = tantivy.Query.term_query(SCHEMA, "reference", reference.lower())
        alternatives.append(tantivy.Query.boost_query(exact, REFERENCE_BOOST))
        mentioned: list[str | tuple[int, str]] = list(analysis.terms(reference.replace("/", " ")))
        alternatives.append(tantivy.Query.phrase_query(SCHEMA, "body", mentioned))
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in alternatives])
