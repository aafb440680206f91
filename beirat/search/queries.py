"""Reads of the search app: one search for the search page, the paper list and triage.

Every query is filtered by the viewer's audiences (beirat.search.rules) inside tantivy, before
counting, faceting or ranking, so a document the viewer may not see cannot show up in a count
or a facet either.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import orjson
import tantivy
from django.utils.safestring import SafeString
from rapidfuzz.distance import Levenshtein

from beirat.core.roles import AnyUser
from beirat.search import analysis, index, query_parser, rules, snippets, sources, vectors
from beirat.search.index import SCHEMA
from beirat.search.models import SimilarityLabel
from beirat.search.query_parser import ParsedQuery
from beirat.search.sources import PUBLIC

PAGE_SIZE = 10
MAX_PAGE = 100  # deeper than 1,000 hits nobody reads; the filters narrow instead
FACET_SIZE = 40
RELEVANCE, NEWEST, OLDEST = "relevanz", "neueste", "aelteste"
SORTS = (RELEVANCE, NEWEST, OLDEST)


@dataclass(frozen=True)
class Filters:
    type: str = ""
    year: int | None = None
    committee: int | None = None
    status: str = ""
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: SafeString
    excerpt: SafeString
    url: str
    type_label: str
    date: datetime.date | None
    reference: str
    status_label: str
    text: str = ""  # the stored (normalised) text, for re-scoring similar items


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    fuzzy: bool = False  # no exact hits; these are similar spellings
    suggestion: str = ""  # "Meinten Sie …"
    unavailable: bool = False  # this server has no index yet

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, -(-self.total // PAGE_SIZE))


def search(
    user: AnyUser,
    text: str,
    filters: Filters = Filters(),
    *,
    sort: str = RELEVANCE,
    page: int = 1,
    facets: bool = True,
) -> SearchResults:
    parsed = query_parser.parse(text)
    results = SearchResults(query=parsed, page=max(1, min(page, MAX_PAGE)))
    searcher = index.reader().searcher()
    if searcher is None:
        results.unavailable = True
        return results
    if parsed.is_empty:
        return results
    audiences = rules.audiences_of(user)
    run = functools.partial(_run, searcher, parsed, audiences, filters, results, sort=sort)
    found = run(facets=facets)
    if not found and parsed.clauses:
        results.fuzzy = True
        found = run(facets=facets, fuzzy=True)
        if found:
            scope = _scope(audiences, filters)
            addresses = [address for _, address in found]
            results.suggestion = _suggestion(parsed, addresses, searcher, scope)
    hits = [_hit(searcher.doc(address), parsed) for _, address in found]
    if sort == RELEVANCE:
        hits = _steady_order(hits, [score for score, _ in found])
    results.hits = hits
    return results


# Scores closer than this count as equal. BM25 weighs a text's length against the average length
# of every document in the index, non-public ones included, so a non-public text added elsewhere
# moves the scores of public hits a little; near-equal hits then keep one order (newest first,
# then by kind and number) instead of swapping, and the order of what a visitor sees does not
# tell that something non-public changed (tests/security/test_visibility.py).
SCORE_STEP = 0.1


def _steady_order(hits: list[Hit], scores: list[float]) -> list[Hit]:
    ranked = sorted(
        zip(hits, scores, strict=True),
        key=lambda pair: (
            -round(pair[1] / SCORE_STEP),
            -(pair[0].date.toordinal() if pair[0].date else 0),
            pair[0].kind,
            pair[0].object_id,
        ),
    )
    return [hit for hit, _ in ranked]


def matching_ids(user: AnyUser, text: str, *, kind: str, limit: int = 2_000) -> list[int] | None:
    """The ids of objects of one kind matching the text, best first; None without an index.

    For list pages that filter by text and sort themselves (the paper list).
    """
    parsed = query_parser.parse(text)
    searcher = index.reader().searcher()
    if searcher is None:
        return None
    query = query_parser.text_query(parsed)
    if query is None:
        return []
    scope = _scope(rules.audiences_of(user), Filters(kinds=(kind,)))
    hits = searcher.search(_and(query, scope), limit, count=False).hits
    # A fast field: thousands of ids without opening a single stored document.
    values = searcher.fast_field_values("id", [address for _, address in hits])
    return [int(value) for value in values if value is not None]


def similar(
    user: AnyUser, text: str, *, kinds: Sequence[str], exclude: Sequence[str] = (), limit: int = 10
) -> list[Hit]:
    """Documents sharing the most distinctive words of a text (for triage's similar items)."""
    searcher = index.reader().searcher()
    if searcher is None:
        return []
    words = _distinctive_terms(searcher, text)
    if not words:
        return []
    alternatives = [
        (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, name, term))
        for term in words
        for name in ("title", "body", "parts")  # "Parkplatz" also finds "Parkplatzsuche"
    ]
    for part in _parts_of(text):  # "Parkplatzsuche" also finds "Suche nach einem Parkplatz"
        part_query = tantivy.Query.term_query(SCHEMA, "body", part)
        alternatives.append((tantivy.Occur.Should, tantivy.Query.boost_query(part_query, 0.5)))
    query = tantivy.Query.boolean_query(alternatives)
    scope = _scope(rules.audiences_of(user), Filters(kinds=tuple(kinds)))
    for key in exclude:
        scope.append((tantivy.Occur.MustNot, tantivy.Query.term_query(SCHEMA, "object", key)))
    parsed = ParsedQuery(text=text, clauses=[query_parser.Clause(terms=(t,)) for t in words])
    hits = searcher.search(_and(query, scope), limit, count=False).hits
    return [_hit(searcher.doc(address), parsed) for _, address in hits]


def similar_by_meaning(
    user: AnyUser,
    vector: vectors.Matrix,
    *,
    kinds: Sequence[str],
    exclude: Sequence[str] = (),
    limit: int = 20,
) -> list[tuple[Hit, float]]:
    """Documents whose stored sentence vector is closest to ``vector`` (exact cosine), with the
    cosine, best first; only what the viewer may see, found as in the word index."""
    excluded = []
    for key in exclude:
        kind, _, object_id = key.partition(":")
        if object_id.isdigit():
            excluded.append((kind, int(object_id)))
    neighbours = vectors.nearest(
        vector,
        kinds=kinds,
        audiences=rules.audiences_of(user),
        exclude=excluded,
        limit=limit,
    )
    hits = hits_for(user, [sources.object_key(n.kind, n.object_id) for n in neighbours], kinds)
    cosine = {(n.kind, n.object_id): n.cosine for n in neighbours}
    return [(hit, cosine[(hit.kind, hit.object_id)]) for hit in hits]


def hits_for(user: AnyUser, keys: Sequence[str], kinds: Sequence[str]) -> list[Hit]:
    """The index's documents of these objects ("kind:id") that the viewer may see, in order."""
    searcher = index.reader().searcher()
    if searcher is None or not keys:
        return []
    wanted = tantivy.Query.term_set_query(SCHEMA, "object", list(keys))
    scope = _scope(rules.audiences_of(user), Filters(kinds=tuple(kinds)))
    found = searcher.search(_and(wanted, scope), 2 * len(keys), count=False).hits
    parsed = ParsedQuery(text="", clauses=[])
    by_key: dict[str, Hit] = {}
    for _, address in found:
        hit = _hit(searcher.doc(address), parsed)
        by_key.setdefault(sources.object_key(hit.kind, hit.object_id), hit)
    return [by_key[key] for key in keys if key in by_key]


def judged_not_similar(key: str) -> list[str]:
    """The suggestions ("kind:id") IT management marked "nicht ähnlich" for this text."""
    kind, _, object_id = key.partition(":")
    rows = SimilarityLabel.objects.filter(
        kind=kind, object_id=int(object_id), label=SimilarityLabel.Label.NOT_SIMILAR
    ).values_list("other_kind", "other_id")
    return [sources.object_key(other_kind, other_id) for other_kind, other_id in rows]


def labelled_pairs() -> Iterator[SimilarityLabel]:
    """Every judged pair, oldest first (for the export: ids and numbers, no text, no person)."""
    return SimilarityLabel.objects.order_by("created_at", "id").iterator()


# Internals ---------------------------------------------------------------------------------


Scope = list[tuple[tantivy.Occur, tantivy.Query]]


def _scope(audiences: Sequence[str], filters: Filters) -> Scope:
    staff = [audience for audience in audiences if audience != PUBLIC]
    scope: Scope
    if not staff:
        # The public: leave out the few restricted documents (cheap) instead of requiring
        # "public" on almost every one (an intersection with nearly the whole index).
        restricted = tantivy.Query.term_query(SCHEMA, "restricted", "yes")
        scope = [(tantivy.Occur.MustNot, restricted)]
    else:
        may_see = tantivy.Query.term_set_query(SCHEMA, "audience", [PUBLIC, *staff])
        scope = [(tantivy.Occur.Must, may_see)]
        # An object with a fuller twin for one of the viewer's audiences is found as that twin.
        replaced = tantivy.Query.term_set_query(SCHEMA, "replaced_for", staff)
        scope.append((tantivy.Occur.MustNot, replaced))
    if filters.kinds:
        kinds = tantivy.Query.term_set_query(SCHEMA, "kind", list(filters.kinds))
        scope.append((tantivy.Occur.Must, kinds))
    for name, value in (("type", filters.type), ("status", filters.status)):
        if value:
            scope.append((tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, name, value)))
    for name, number in (("year", filters.year), ("committee", filters.committee)):
        if number is not None:
            scope.append((tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, name, number)))
    return scope


def _and(query: tantivy.Query, scope: Scope) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), *scope])


def _run(
    searcher: tantivy.Searcher,
    parsed: ParsedQuery,
    audiences: Sequence[str],
    filters: Filters,
    results: SearchResults,
    *,
    sort: str,
    facets: bool,
    fuzzy: bool = False,
) -> list[tuple[float, tantivy.DocAddress]]:
    query = query_parser.text_query(parsed, fuzzy=fuzzy)
    if query is None:
        return []
    scoped = _and(query, _scope(audiences, filters))
    offset = (results.page - 1) * PAGE_SIZE
    by_date = "day" if sort in (NEWEST, OLDEST) else None
    order = tantivy.Order.Asc if sort == OLDEST else tantivy.Order.Desc
    if facets:
        # The type counts give the total too: every document has exactly one type.
        results.facets = _facets(searcher, scoped, FACETS)
        results.total = sum(value.count for value in results.facets.get("type", []))
        # A chosen filter's facet is counted without that filter, so its other values stay
        # visible ("Antrag (3)" beside the chosen "Anfrage (5)") and one click switches.
        for name, unfiltered in _without_each_filter(filters).items():
            alone = _facets(searcher, _and(query, _scope(audiences, unfiltered)), {name: name})
            results.facets[name] = alone[name]
    found = searcher.search(
        scoped, PAGE_SIZE, count=not facets, order_by_field=by_date, offset=offset, order=order
    )
    if not facets:
        results.total = found.count or 0  # type: ignore[attr-defined]  # missing from the stubs
    return list(found.hits)


FACETS = {"type": "type", "year": "year", "committee": "committee", "status": "status"}


def _without_each_filter(filters: Filters) -> dict[str, Filters]:
    without: dict[str, Filters] = {}
    if filters.type:
        without["type"] = dataclasses.replace(filters, type="")
    if filters.year is not None:
        without["year"] = dataclasses.replace(filters, year=None)
    if filters.committee is not None:
        without["committee"] = dataclasses.replace(filters, committee=None)
    if filters.status:
        without["status"] = dataclasses.replace(filters, status="")
    return without


def _facets(
    searcher: tantivy.Searcher, query: tantivy.Query, fields: dict[str, str]
) -> dict[str, list[FacetValue]]:
    request = {
        name: {"terms": {"field": field_name, "size": FACET_SIZE}}
        for name, field_name in fields.items()
    }
    answer = searcher.aggregate(query, request)
    facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    for name in fields:
        buckets = answer.get(name, {}).get("buckets", [])
        values = [(str(_bucket_key(bucket)), int(bucket["doc_count"])) for bucket in buckets]
        facets[name] = [FacetValue(value, value, count) for value, count in values]
    return _labelled(facets)


def _bucket_key(bucket: dict[str, object]) -> object:
    key = bucket["key"]
    return int(key) if isinstance(key, float) else key


def _labelled(facets: dict[str, list[FacetValue]]) -> dict[str, list[FacetValue]]:
    names = committee_names()
    types, statuses = sources.labels("type"), sources.labels("status")
    facets["type"] = [
        FacetValue(v.value, types.get(v.value, v.value), v.count) for v in facets["type"]
    ]
    facets["status"] = [
        FacetValue(v.value, statuses.get(v.value, v.value), v.count) for v in facets["status"]
    ]
    facets["committee"] = [
        FacetValue(v.value, names.get(int(v.value), v.value), v.count) for v in facets["committee"]
    ]
    facets["year"] = sorted(facets["year"], key=lambda value: value.value, reverse=True)
    return facets


FACET_NAMES_SECONDS = 60.0
_facet_names: dict[str, tuple[float, dict[int, str]]] = {}


def committee_names() -> dict[int, str]:
    return facet_names("committee")


def facet_names(facet: str) -> dict[int, str]:
    """Names of a facet's id values (committees) from the app that owns them, read at most once
    a minute per process (and again after such an object is saved here): a database query per
    search cost more than the search."""
    namer = sources.FACET_NAMERS.get(facet)
    if namer is None:
        return {}
    loaded_at, names = _facet_names.get(facet, (0.0, {}))
    if time.monotonic() - loaded_at > FACET_NAMES_SECONDS:
        names = namer.load()
        _facet_names[facet] = (time.monotonic(), names)
    return names


def forget_facet_names(**kwargs: object) -> None:
    _facet_names.clear()


def _hit(document: tantivy.Document, parsed: ParsedQuery) -> Hit:
    stored = orjson.loads(document["stored"][0])
    types, statuses = sources.labels("type"), sources.labels("status")
    terms, prefixes = parsed.highlight_terms(), parsed.highlight_prefixes()
    date = datetime.date.fromisoformat(stored["date"]) if stored["date"] else None
    return Hit(
        kind=stored["kind"],
        object_id=stored["id"],
        title=snippets.highlight(stored["title"], terms, prefixes),
        excerpt=snippets.excerpt(stored["text"], terms, prefixes),
        url=stored["url"],
        type_label=types.get(stored["type"], stored["type"]),
        date=date,
        reference=stored["reference"],
        status_label=statuses.get(stored["status"], "") if stored["status"] else "",
        text=stored["text"],
    )


def _suggestion(
    parsed: ParsedQuery, found: list[tantivy.DocAddress], searcher: tantivy.Searcher, scope: Scope
) -> str:
    """The user's text with each unknown word replaced by the closest word of the hits.

    "Unknown" means unknown to this viewer: counted within the scope, so whether a suggestion
    appears never tells that a word occurs in a document the viewer may not see.
    """
    unknown = {
        clause.terms[0]
        for clause in parsed.clauses
        if not clause.phrase and not clause.prefix and not clause.excluded
        if not _occurs(searcher, clause.terms[0], scope)
    }
    if not unknown:
        return ""
    candidates: dict[str, Counter[str]] = {term: Counter() for term in unknown}
    for address in found[:5]:
        stored = orjson.loads(searcher.doc(address)["stored"][0])
        text = f"{stored['title']} {stored['text'][:3000]}"  # stored normalised
        for word in analysis.words(text):
            for term in unknown:
                if Levenshtein.distance(word.term, term, score_cutoff=2) <= 2:
                    candidates[term][text[word.start : word.end]] += 1
    replacements = {
        term: counter.most_common(1)[0][0] for term, counter in candidates.items() if counter
    }
    if not replacements:
        return ""
    corrected = []
    for token in parsed.text.split():
        analyzed = analysis.analyze_word(token.strip(".,;:!?\"'"))
        corrected.append(replacements.get(analyzed[0], token) if analyzed else token)
    return " ".join(corrected)


def _occurs(searcher: tantivy.Searcher, term: str, scope: Scope) -> bool:
    clause = query_parser.text_query(ParsedQuery(text=term, clauses=[query_parser.Clause((term,))]))
    assert clause is not None
    return bool(searcher.search(_and(clause, scope), 1, count=False).hits)


def _parts_of(text: str, count: int = 12) -> list[str]:
    found: dict[str, None] = {}
    for word in analysis.words(analysis.normalize(text[:20_000])):
        found.update(dict.fromkeys(word.parts))
    return list(found)[:count]


def _distinctive_terms(searcher: tantivy.Searcher, text: str, count: int = 12) -> list[str]:
    """The text's terms that are rarest in the index (but present), most distinctive first."""
    frequencies = Counter(analysis.terms(text))
    known = []
    for term, in_text in frequencies.items():
        documents = searcher.doc_freq("body", term) + searcher.doc_freq("title", term)
        if documents:
            known.append((in_text / documents, term))
    return [term for _, term in sorted(known, reverse=True)[:count]]
