"""Probe for bounded search facets: facets over the best 10,000 hits against facets over all hits.

    .venv/bin/python benchmarks/facet_probe.py --papers 100000 [--queries 300]

Needs the corpus and index of `benchmarks/search_bench.py --papers N` (var/bench/search-N*).
For the frequent-word, two-word and phrase queries of the search benchmark's query set (same
seed), side by side per query, papers only, anonymous scope:
  - all hits: top 10 without a count plus one aggregation over every hit (what
    beirat.search.queries does today; the type counts give the total);
  - best 10,000: the top 10,001 without a count; beyond 10,000 hits their ids read from the fast
    field and selected again by a term set for the aggregation, else the aggregation over all;
  - and, for scale, the top 10,001 alone and the top 10 with and without a full count.
Prints p50 / p95; writes nothing. Not part of `make bench`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BEST = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    bench = ROOT / "var" / "bench"
    database = bench / f"search-{args.papers}.sqlite3"
    if not database.exists():
        raise SystemExit(f"{database} fehlt: erst search_bench.py --papers {args.papers}.")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["BEIRAT_SEARCH_DIR"] = str(bench / f"search-{args.papers}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import tantivy
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import index, query_parser, rules
    from beirat.search import queries as search_queries
    from beirat.search.index import SCHEMA
    from benchmarks.search_bench import _queries

    chosen = ("frequent word", "two words", "phrase")
    texts = [text for kind, text in _queries(database, args.queries) if kind in chosen]
    searcher = index.reader().searcher()
    scope = search_queries._scope(
        rules.audiences_of(AnonymousUser()), search_queries.Filters(kinds=("paper",))
    )
    facets = search_queries.FACETS
    rows: dict[str, list[float]] = {
        "all hits: top 10 + aggregation": [],
        "best 10,000: top 10,001 + selection + aggregation": [],
        "top 10,001 alone": [],
        "top 10 with a full count": [],
        "top 10 without a count": [],
    }
    beyond = 0
    for text in texts:
        query = query_parser.text_query(query_parser.parse(text))
        if query is None:
            continue
        scoped = search_queries._and(query, scope)
        started = time.perf_counter()
        searcher.search(scoped, 10, count=False)
        search_queries._facets(searcher, scoped, facets)
        all_hits = time.perf_counter()
        best = searcher.search(scoped, BEST + 1, count=False).hits
        collected = time.perf_counter()
        if len(best) > BEST:
            beyond += 1
            ids = searcher.fast_field_values("id", [address for _, address in best[:BEST]])
            keys = [f"paper:{paper_id}" for paper_id in ids]
            selection = tantivy.Query.term_set_query(SCHEMA, "object", keys)
            both = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, scoped), (tantivy.Occur.Must, selection)]
            )
            search_queries._facets(searcher, both, facets)
        else:
            search_queries._facets(searcher, scoped, facets)
        best_done = time.perf_counter()
        searcher.search(scoped, 10, count=True)
        counted = time.perf_counter()
        searcher.search(scoped, 10, count=False)
        uncounted = time.perf_counter()
        rows["all hits: top 10 + aggregation"].append(all_hits - started)
        rows["best 10,000: top 10,001 + selection + aggregation"].append(best_done - all_hits)
        rows["top 10,001 alone"].append(collected - all_hits)
        rows["top 10 with a full count"].append(counted - best_done)
        rows["top 10 without a count"].append(uncounted - counted)
    measured = len(rows["top 10 without a count"])
    print(
        f"{args.papers:,} papers, {measured} queries ({', '.join(chosen)}), "
        f"{beyond} with more than {BEST:,} hits"
    )
    for name, values in rows.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"  {name}: p50 {1000 * statistics.median(ordered):.1f} ms, p95 {1000 * p95:.1f} ms")


if __name__ == "__main__":
    main()
