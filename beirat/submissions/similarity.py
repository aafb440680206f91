"""Similar submissions, papers, statements and recommendations beside a submission in triage.

Two ways in, one ranking:
1. The word index (German analyzer: stems, compound parts, umlauts) finds texts that share
   distinctive words.
2. The stored sentence vectors find texts that say the same in other words: the submission's
   own vector (computed by the background worker when it was saved) against every stored
   vector, exact cosine (beirat/search/vectors.py). The web process never loads the encoder.
The union is ranked by one calibrated score: the chance that a pair is the same idea, a
logistic function of the cosine and of the lexical overlap (Jaccard of the terms and rapidfuzz's
token-set ratio), fitted on the calibration half of benchmarks/data/similar_pairs.jsonl
(benchmarks/similar_bench.py --calibrate). Above THRESHOLD the panel says "wahrscheinlich
dieselbe Idee", below it "ähnliches Thema". Until the worker has embedded the submission, the
word index is the only way in and the panel only says "ähnliches Thema".

Evidence beside each suggestion: the words both texts really use, and where the match is by
meaning, the sentence of the other text closest to the new one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from beirat.core.roles import AnyUser
from beirat.search import analysis, vectors
from beirat.search import queries as search

CANDIDATES = 20
MIN_EVIDENCE_LETTERS = 3
MAX_EVIDENCE_WORDS = 8

# Fitted by `benchmarks/similar_bench.py --calibrate` on the calibration half of the labelled
# pairs (logistic regression; the other half only reports). Score = σ(a·cosine + b·lexical + c).
# A negative lexical weight is refused (an exact copy shares every word); on the labelled set
# the fit wants one (its look-alikes share many words by design), so the cosine of the centred
# vectors alone decides. It hardly separates paraphrases from look-alikes of the same subject
# (54.7 % of the calibration pairs right, 53 % are paraphrases): the score stays near one half,
# and says so; the ranking by it is still the ranking by cosine.
COSINE_WEIGHT = 0.192
LEXICAL_WEIGHT = 0.0
BIAS = 0.027
# Without a stored vector of the submission, shared words cannot tell the same idea from a
# look-alike (on the labelled pairs the lexical score's pair AUC is below 0.5): the score is
# the lexical overlap scaled below the threshold, so the panel only ever says "ähnliches Thema".
LEXICAL_ONLY_SCALE = 0.49
# The chance above which the panel says "wahrscheinlich dieselbe Idee".
THRESHOLD = 0.54


@dataclass(frozen=True)
class SimilarItem:
    hit: search.Hit
    score: float  # calibrated: the chance that this is the same idea, 0 … 1
    shared_words: tuple[str, ...]  # why: the words both texts use (as the candidate writes them)
    cosine: float | None = None  # of the two sentence vectors; None without stored vectors
    by_meaning: bool = False  # found by the vector search (and not only by shared words)
    closest_sentence: str = ""  # the candidate's sentence closest to the new text

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def same_idea(self) -> bool:
        return self.score >= THRESHOLD

    @property
    def key(self) -> str:
        return f"{self.hit.kind}:{self.hit.object_id}"


def similar_items(
    user: AnyUser,
    text: str,
    *,
    kinds: Sequence[str],
    exclude: Sequence[str] = (),
    vector: vectors.Matrix | None = None,
    limit: int = 6,
) -> list[SimilarItem]:
    """The most similar items for a text; ``vector`` is its stored sentence vector, if any."""
    by_words = search.similar(user, text, kinds=kinds, exclude=exclude, limit=CANDIDATES)
    by_meaning: list[tuple[search.Hit, float]] = []
    if vector is not None:
        by_meaning = search.similar_by_meaning(
            user, vector, kinds=kinds, exclude=exclude, limit=CANDIDATES
        )
    ranked = rank(text, union(by_words, by_meaning), vector=vector, evidence=limit)
    return with_closest_sentences(ranked[:limit], vector)


def union(
    by_words: Sequence[search.Hit], by_meaning: Sequence[tuple[search.Hit, float]]
) -> list[tuple[search.Hit, bool]]:
    """Both ways' candidates once each, with whether the vector search found it."""
    seen: dict[tuple[str, int], tuple[search.Hit, bool]] = {
        (hit.kind, hit.object_id): (hit, False) for hit in by_words
    }
    for hit, _ in by_meaning:
        key = (hit.kind, hit.object_id)
        seen[key] = (seen[key][0] if key in seen else hit, True)
    return list(seen.values())


def rank(
    text: str,
    candidates: Sequence[tuple[search.Hit, bool]] | Sequence[search.Hit],
    *,
    vector: vectors.Matrix | None = None,
    cosines: Sequence[float | None] | None = None,
    evidence: int | None = None,
) -> list[SimilarItem]:
    """The candidates ordered by the calibrated score, best first. Cosines come from the stored
    vectors (``vector`` against each candidate's) unless given. The shared words are found for
    the first ``evidence`` items only (all if None): the others are not shown."""
    pairs = [item if isinstance(item, tuple) else (item, False) for item in candidates]
    if not pairs:
        return []
    if cosines is None:
        keys = [(hit.kind, hit.object_id) for hit, _ in pairs]
        cosines = vectors.cosines(vector, keys) if vector is not None else [None] * len(pairs)
    own_terms = _terms(text)
    scored = []
    for (hit, by_meaning), cosine in zip(pairs, cosines, strict=True):
        needs_words = cosine is None or LEXICAL_WEIGHT != 0.0
        lexical = _lexical(own_terms, _terms(f"{hit.title}\n{hit.text}")) if needs_words else 0.0
        scored.append((round(score(lexical, cosine), 3), hit, by_meaning, cosine))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [
        SimilarItem(
            hit,
            value,
            _shared_words(own_terms, f"{hit.title}\n{hit.text}")
            if evidence is None or place < evidence
            else (),
            cosine=cosine,
            by_meaning=by_meaning,
        )
        for place, (value, hit, by_meaning, cosine) in enumerate(scored)
    ]


def score(lexical: float, cosine: float | None) -> float:
    """The calibrated chance that two texts are the same idea."""
    if cosine is None:
        return LEXICAL_ONLY_SCALE * lexical
    return _sigmoid(COSINE_WEIGHT * cosine + LEXICAL_WEIGHT * lexical + BIAS)


def lexical_score(text: str, other: str) -> float:
    return _lexical(_terms(text), _terms(other))


def with_closest_sentences(
    items: Sequence[SimilarItem], vector: vectors.Matrix | None
) -> list[SimilarItem]:
    """Each item found by meaning gets the sentence of its text closest to ``vector``."""
    if vector is None:
        return list(items)
    wanted = [(item.hit.kind, item.hit.object_id) for item in items if item.by_meaning]
    stored = vectors.sentences_of(wanted)
    result = []
    for item in items:
        sentences = stored.get((item.hit.kind, item.hit.object_id))
        sentence = _closest(item.hit.text, sentences, vector) if sentences else ""
        result.append(
            SimilarItem(
                item.hit,
                item.score,
                item.shared_words,
                cosine=item.cosine,
                by_meaning=item.by_meaning,
                closest_sentence=sentence,
            )
        )
    return result


def _closest(text: str, sentences: vectors.Sentences, vector: vectors.Matrix) -> str:
    best = int((sentences.vectors @ vector).argmax())
    start, end, crc = sentences.spans[best]
    sentence = text[start:end]
    # The index's text and the stored vectors are written apart: show only a sentence that is
    # exactly the one that was embedded.
    return sentence if vectors.checksum(sentence) == crc else ""


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, value))))


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
