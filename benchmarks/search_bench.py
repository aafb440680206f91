"""Search benchmark: beirat's search beside raw tantivy and PostgreSQL full-text search.

    .venv/bin/python benchmarks/search_bench.py [--papers 100000 1000000] [--queries 1000]

For each corpus size: a SQLite file var/bench/search-<n>.sqlite3 of generated papers with
realistic German bodies (benchmarks/generator.py, sections=True; generated once and reused while
the generator's source is the same, which the report says), its tantivy index under
var/bench/search-<n>/ (rebuilt and timed in every run: it is the code measured) and the same
papers in PostgreSQL (a throwaway cluster under var/bench/pg/, started and stopped by this
script, default parallelism; loaded and indexed anew in every run, timed): a table with a
GIN-indexed tsvector, and a second with a RUM index (Debian's postgresql-15-rum), which keeps
positions in the index and returns the best-ranked rows from it.

1,000 deterministic queries (frequent and rare words, two words, phrases, references, typos)
run through
  - beirat: beirat.search.queries.search(AnonymousUser(), text), with the permission filter,
    facets, snippets and the fuzzy retry for typos: what the search page calls;
  - tantivy: the same text query (query_parser.text_query(parse(text))) alone, top 10 without
    a count (the floor for answering the same top 10), no documents fetched; the number of
    hits per query is counted apart, untimed;
  - PostgreSQL with GIN: websearch_to_tsquery('german', text) (quotes make a phrase, as in
    beirat), ORDER BY ts_rank DESC LIMIT 10;
  - PostgreSQL with RUM: the same tsquery, ORDER BY tsv <=> query LIMIT 10 (ranked in the index).
Agreement: for every query, how many of beirat's top 10 papers each PostgreSQL variant also
returns in its top 10, and how many of them its query matches at all (so that a difference in
ranking is told apart from a difference in what matches).
Freshness: a paper saved through the ORM while an indexer follows the log (polling every
0.5 s, as the real one does), until search finds it. Each corpus runs in a child process of
its own (Django has one database per process); results are printed and written to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench"
SEED = 2021
WARM_UP = 100
MIXES = (  # share of the query set per kind
    ("frequent word", 0.30),
    ("rare word", 0.25),
    ("two words", 0.15),
    ("phrase", 0.15),
    ("reference", 0.10),
    ("typo", 0.05),
)


# The parent: PostgreSQL, one child per corpus, the report ------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--freshness", type=int, default=20, help="papers saved and waited for")
    parser.add_argument("--corpus", type=int, help=argparse.SUPPRESS)  # the child's own corpus
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.corpus:
        _child(args)
        return
    from benchmarks.provenance import require_clean

    require_clean()
    BENCH.mkdir(parents=True, exist_ok=True)
    postgres = Postgres(BENCH / "pg")
    postgres.start()
    results = []
    try:
        for papers in args.papers:
            out = BENCH / f"search-{papers}.json"
            command = [sys.executable, __file__, "--corpus", str(papers), "--result", str(out)]
            command += ["--queries", str(args.queries), "--freshness", str(args.freshness)]
            environment = {**os.environ, "BENCH_POSTGRES": postgres.dsn}
            out.unlink(missing_ok=True)
            finished = subprocess.run(command, check=False, env=environment)
            if out.exists():
                results.append(json.loads(out.read_text()))
            if finished.returncode:
                print(f"corpus {papers:,}: failed ({finished.returncode})", flush=True)
    finally:
        postgres.stop()
    if not results:
        raise SystemExit("No corpus was measured: nothing written.")
    report = _report(results)
    print(report)
    _write_report(args, report, results)


class Postgres:
    """A local cluster for the benchmark, kept under var/bench/pg/ between runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bin = _pg_bin()
        self.port = _free_port()
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        data = self.path / "data"
        if not (data / "PG_VERSION").exists():
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True)
            if self.as_pg:
                shutil.chown(self.path, "postgres")
            self._run(
                "initdb",
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        settings = (
            f"-p {self.port} -k {self.path} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=2GB "
            "-c maintenance_work_mem=1GB -c work_mem=64MB -c max_wal_size=8GB -c jit=off"
        )
        log = self.path / "server.log"
        self._run(
            "pg_ctl", "-D", str(data), "-l", str(log), "-w", "-t", "120", "start", "-o", settings
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.path / "data"), "-m", "fast", "-w", "stop")

    def _run(self, program: str, *arguments: str) -> None:
        subprocess.run(
            [*self.as_pg, str(self.bin / program), *arguments],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def _pg_bin() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    raise SystemExit("PostgreSQL-Server fehlt: bitte 'apt-get install postgresql' ausführen.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# A child: one corpus ---------------------------------------------------------------------


def _child(args: argparse.Namespace) -> None:
    papers = args.corpus
    database = BENCH / f"search-{papers}.sqlite3"
    _discard_incomplete(database, papers)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["BEIRAT_SEARCH_DIR"] = str(BENCH / f"search-{papers}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    result: dict[str, Any] = {"papers": papers}
    result["generate_seconds"] = _prepare_database(database, papers)
    result["index"] = _prepare_index(papers)
    import psycopg

    with psycopg.connect(os.environ["BENCH_POSTGRES"], autocommit=True) as connection:
        result["postgres_load_seconds"] = _prepare_postgres(connection, database, papers)
        result["rum_seconds"] = _prepare_rum(connection, papers)
        queries = _queries(database, args.queries)
        result["kinds"] = [kind for kind, _ in queries]
        result["queries"] = [text for _, text in queries]
        result["times"], result["hits"], top = _measure(queries, connection)
        result["agreement"] = _agreement(queries, top, connection)
    result["breakdown"] = _breakdown(queries)
    result["freshness"] = []
    Path(args.result).write_text(json.dumps(result))  # kept if the freshness test fails
    result["freshness"] = _freshness(args.freshness)
    Path(args.result).write_text(json.dumps(result))


def _commit() -> str:
    """The commit measured (kept for the benchmarks that name it; benchmarks/report.py stamps
    every section with it and with any uncommitted change)."""
    from benchmarks.provenance import changes, commit

    return commit() + (" + changes" if changes() else "")


def _generator_source() -> str:
    """What the generated corpus depends on: the generator's and the vocabulary's source."""
    from benchmarks.corpus import generator_source

    return generator_source()


def _discard_incomplete(database: Path, papers: int) -> None:
    """A corpus is reused only when complete and made by the same generator source."""
    if not database.exists():
        return
    try:
        with sqlite3.connect(database) as connection:
            count = connection.execute("SELECT count(*) FROM council_paper").fetchone()[0]
            sections = connection.execute("SELECT count(*) FROM council_papersection").fetchone()
    except sqlite3.Error:
        count, sections = 0, (0,)
    source = Path(f"{database}.source")
    same = source.exists() and source.read_text().strip() == _generator_source()
    if count < papers or not sections[0] or not same:
        reason = "another generator" if not same else f"{count:,} papers, not {papers:,}"
        print(f"{database.name}: {reason}: generating again", flush=True)
        for stale in database.parent.glob(database.name + "*"):
            stale.unlink()
        shutil.rmtree(BENCH / f"search-{papers}", ignore_errors=True)


def _prepare_database(database: Path, papers: int) -> float | None:
    """Seconds to generate the corpus, or None when it was reused (the report says so)."""
    from django.core.management import call_command

    from beirat.council.models import Paper

    call_command("migrate", verbosity=0)
    if Paper.objects.count() >= papers:
        return None
    from benchmarks.generator import generate

    started = time.perf_counter()
    generate(papers=papers, seed=SEED, sections=True)
    call_command("optimize_database", verbosity=0)
    seconds = time.perf_counter() - started
    Path(f"{database}.source").write_text(_generator_source() + "\n")
    print(f"generated {papers:,} papers in {seconds:.0f} s", flush=True)
    return seconds


def _prepare_index(papers: int) -> dict[str, Any]:
    """The tantivy index built anew by this commit's indexer, timed."""
    from beirat.search import index
    from beirat.search.indexer import Indexer

    root = index.search_dir()
    shutil.rmtree(root, ignore_errors=True)
    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  indexed {done:,} of {total:,}", flush=True)

    started = time.perf_counter()
    generation = Indexer(root).rebuild(progress=progress)
    seconds = time.perf_counter() - started
    print(f"indexed {papers:,} papers in {seconds:.0f} s", flush=True)
    documents = index.open_index(generation).searcher().num_docs
    return {"seconds": seconds, "bytes": _size(generation), "documents": documents}


def _size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _paper_rows(database: Path) -> Any:
    """(id, title, text) per paper: the text the index gets (see _paper_text in
    beirat.council.search_documents), without the columns the generator leaves empty."""
    papers = sqlite3.connect(database)
    sections = sqlite3.connect(database)
    section_rows = sections.execute(
        "SELECT paper_id, number, question, heading, text FROM council_papersection "
        "ORDER BY paper_id, position"
    )
    pending = next(section_rows, None)
    for paper_id, title, reference, resolution in papers.execute(
        "SELECT id, name, reference, recommended_resolution FROM council_paper ORDER BY id"
    ):
        pieces = [reference]
        while pending is not None and pending[0] <= paper_id:
            if pending[0] == paper_id:
                pieces += [piece for piece in pending[1:] if piece]
            pending = next(section_rows, None)
        pieces.append(resolution or "")
        yield paper_id, title, "\n".join(piece for piece in pieces if piece)
    papers.close()
    sections.close()


def _prepare_postgres(connection: Any, database: Path, papers: int) -> float:
    """The papers COPYed into PostgreSQL and GIN-indexed anew, timed."""
    table = f"papers_{papers}"
    started = time.perf_counter()
    connection.execute(f"DROP TABLE IF EXISTS {table}")
    connection.execute(
        f"CREATE TABLE {table} (id integer PRIMARY KEY, title text NOT NULL, text text NOT NULL, "
        "tsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('german', title || ' ' || text)) STORED)"
    )
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} (id, title, text) FROM STDIN") as copy,
    ):
        for row in _paper_rows(database):
            copy.write_row(row)
    connection.execute(f"CREATE INDEX {table}_tsv ON {table} USING gin (tsv)")
    connection.execute(f"VACUUM ANALYZE {table}")
    seconds = time.perf_counter() - started
    print(f"loaded {papers:,} papers into PostgreSQL in {seconds:.0f} s", flush=True)
    return seconds


def _prepare_rum(connection: Any, papers: int) -> float | None:
    """The same tsvectors in a table of their own with a RUM index, timed; None without the
    extension (Debian's postgresql-15-rum), and the report says so."""
    table = f"papers_{papers}"
    available = connection.execute(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'rum'"
    ).fetchone()
    if not available:
        print("RUM left out: 'apt-get install postgresql-15-rum' brings it", flush=True)
        return None
    connection.execute("CREATE EXTENSION IF NOT EXISTS rum")
    started = time.perf_counter()
    connection.execute(f"DROP TABLE IF EXISTS {table}_rum")
    connection.execute(f"CREATE TABLE {table}_rum AS SELECT id, tsv FROM {table}")  # noqa: S608
    connection.execute(f"ALTER TABLE {table}_rum ADD PRIMARY KEY (id)")
    connection.execute(
        f"CREATE INDEX {table}_rum_tsv ON {table}_rum USING rum (tsv rum_tsvector_ops)"
    )
    connection.execute(f"VACUUM ANALYZE {table}_rum")
    seconds = time.perf_counter() - started
    print(f"RUM table and index for {papers:,} papers in {seconds:.0f} s", flush=True)
    return seconds


# The query set -----------------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]{3,}")


def _queries(database: Path, count: int) -> list[tuple[str, str]]:
    """Deterministic queries drawn from the corpus itself, so every kind has real targets."""
    from benchmarks.generator import CODES
    from benchmarks.vocabulary import FUNCTION_WORDS, Vocabulary

    rng = random.Random(SEED)
    vocabulary = Vocabulary(SEED)
    ranks = {vocabulary.word(rank): rank for rank in range(len(vocabulary.base) + 2_000)}
    with sqlite3.connect(database) as connection:
        top = connection.execute("SELECT max(id) FROM council_paper").fetchone()[0]
        ids = sorted(rng.sample(range(1, top + 1), min(3_000, top)))
        marks = ",".join("?" * len(ids))
        texts = dict(
            connection.execute(
                f"SELECT paper_id, group_concat(text, ' ') FROM council_papersection "  # noqa: S608
                f"WHERE paper_id IN ({marks}) GROUP BY paper_id",
                ids,
            ).fetchall()
        )
        references = [
            row[0]
            for row in connection.execute(
                f"SELECT reference FROM council_paper WHERE id IN ({marks})",  # noqa: S608
                ids,
            )
        ]
    documents = [texts[key] for key in sorted(texts)]
    functions = {word.lower() for word in FUNCTION_WORDS}
    frequent = [word for word, rank in ranks.items() if rank < 300]
    rare: list[str] = []
    middle: list[str] = []
    sentences: list[list[str]] = []
    for text in documents:
        words = [word for word in WORD.findall(text) if word.lower() not in functions]
        for word in words:
            if word not in ranks and len(word) > 14:  # a three-part compound: rare
                rare.append(word)
            elif ranks.get(word, 10**9) >= 300:
                middle.append(word)
        for sentence in text.split(". "):
            pieces = sentence.split()
            if len(pieces) >= 4 and not any(char.isdigit() for char in sentence):
                sentences.append(pieces)
    rare = sorted(set(rare))
    middle = sorted(set(middle))
    plan = []
    for kind, share in MIXES:
        plan += [kind] * round(share * count)
    plan = (plan + [MIXES[0][0]] * count)[:count]
    rng.shuffle(plan)
    makers: dict[str, Callable[[], str]] = {
        "frequent word": lambda: rng.choice(frequent),
        "rare word": lambda: rng.choice(rare),
        "two words": lambda: f"{rng.choice(frequent)} {rng.choice(middle)}",
        "phrase": lambda: _phrase(rng, sentences),
        "reference": lambda: _reference(rng, references, CODES),
        "typo": lambda: _typo(rng, rng.choice(middle + frequent)),
    }
    return [(kind, makers[kind]()) for kind in plan]


def _phrase(rng: random.Random, sentences: list[list[str]]) -> str:
    sentence = rng.choice(sentences)
    length = rng.choice((2, 2, 3))
    start = rng.randrange(0, len(sentence) - length + 1)
    words = [word.strip(".,?()") for word in sentence[start : start + length]]
    return '"' + " ".join(words) + '"'


def _reference(rng: random.Random, references: list[str], codes: Any) -> str:
    reference = rng.choice(references)
    if rng.random() < 0.3:  # as people type it: "af 13/2021"
        code, number, year = reference.split("/")
        return f"{code.lower()} {int(number)}/{year}"
    return reference


def _typo(rng: random.Random, word: str) -> str:
    position = rng.randrange(1, len(word) - 1)
    edit = rng.randrange(3)
    if edit == 0:  # a letter dropped
        return word[:position] + word[position + 1 :]
    if edit == 1:  # two letters swapped
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    letter = rng.choice("aeinrst")
    return word[:position] + letter + word[position + 1 :]  # a letter replaced


# Measuring ---------------------------------------------------------------------------------


def _measure(
    queries: list[tuple[str, str]], connection: Any
) -> tuple[dict[str, list[float]], list[int], dict[str, list[list[int]]]]:
    """Times per system and query, tantivy's hit counts, and the papers of each top 10 (kept
    while timing: a list of ten ids costs nothing beside the query)."""
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import index, query_parser
    from beirat.search import queries as search_queries

    anonymous = AnonymousUser()
    top: dict[str, list[list[int]]] = {"beirat": [], "postgres": [], "rum": []}

    def beirat(text: str) -> None:
        found = search_queries.search(anonymous, text)
        top["beirat"].append([hit.object_id for hit in found.hits if hit.kind == "paper"])

    def raw(text: str) -> None:
        # The floor for the same top 10, as the goal states it: tantivy's best ten and nothing
        # else, no count (beirat counts every hit and aggregates the facets besides). tantivy-py
        # still scores every hit (it wraps the collector, so tantivy cannot skip blocks).
        query = query_parser.text_query(query_parser.parse(text))
        if query is not None:
            index.reader().searcher().search(query, 10, count=False)

    table = f"papers_{_corpus()}"
    gin = (
        f"SELECT id FROM {table}, websearch_to_tsquery('german', %s) query "  # noqa: S608
        "WHERE tsv @@ query ORDER BY ts_rank(tsv, query) DESC LIMIT 10"
    )
    # The tsquery written out twice, not joined: RUM orders by `tsv <=> constant` in the index.
    rum = (
        f"SELECT id FROM {table}_rum WHERE tsv @@ websearch_to_tsquery('german', %(q)s) "  # noqa: S608
        "ORDER BY tsv <=> websearch_to_tsquery('german', %(q)s) LIMIT 10"
    )

    def postgres(text: str) -> None:
        top["postgres"].append([row[0] for row in connection.execute(gin, (text,)).fetchall()])

    def postgres_rum(text: str) -> None:
        top["rum"].append([row[0] for row in connection.execute(rum, {"q": text}).fetchall()])

    systems = {"beirat": beirat, "tantivy": raw, "postgres": postgres}
    if _has_rum(connection, table):
        systems["rum"] = postgres_rum
        plan = connection.execute("EXPLAIN " + rum, {"q": "Haushalt"}).fetchall()
        print("  RUM plan: " + " / ".join(row[0].strip() for row in plan), flush=True)
    times: dict[str, list[float]] = {}
    for name, run in systems.items():
        for _, text in queries[:WARM_UP]:
            run(text)
        measured = []
        started_all = time.perf_counter()
        for _, text in queries:
            started = time.perf_counter()
            run(text)
            measured.append(time.perf_counter() - started)
        print(f"  {name}: {len(queries)} queries in {time.perf_counter() - started_all:.1f} s")
        times[name] = measured
    tops = {name: found[-len(queries) :] for name, found in top.items() if found}
    return times, _hit_counts(queries), tops


def _hit_counts(queries: list[tuple[str, str]]) -> list[int]:
    """Each query's number of matching documents, counted apart from the timed runs."""
    from beirat.search import index, query_parser

    searcher = index.reader().searcher()
    assert searcher is not None
    counts = []
    for _, text in queries:
        query = query_parser.text_query(query_parser.parse(text))
        found: Any = searcher.search(query, 1, count=True) if query is not None else None
        counts.append(found.count if found is not None else 0)
    return counts


def _has_rum(connection: Any, table: str) -> bool:
    return bool(connection.execute("SELECT to_regclass(%s)", (f"{table}_rum",)).fetchone()[0])


def _agreement(
    queries: list[tuple[str, str]], top: dict[str, list[list[int]]], connection: Any
) -> dict[str, dict[str, list[float]]]:
    """Per PostgreSQL variant and query: the share of beirat's top 10 papers in its top 10
    ("same"), the share of beirat's top 10 its query matches at all ("pg_matches_beirat"), and
    the share of its top 10 that beirat's query (without the fuzzy retry) matches
    ("beirat_matches_pg"). A query both answer with nothing counts as agreeing."""
    import tantivy
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import index, query_parser, rules, sources
    from beirat.search import queries as search_queries
    from beirat.search.index import SCHEMA

    table = f"papers_{_corpus()}"
    matches_pg = (
        f"SELECT count(*) FROM {table}, websearch_to_tsquery('german', %s) query "  # noqa: S608
        "WHERE id = ANY(%s) AND tsv @@ query"
    )
    searcher = index.reader().searcher()
    scope = search_queries._scope(
        rules.audiences_of(AnonymousUser()), search_queries.Filters(kinds=("paper",))
    )

    def beirat_matches(text: str, ids: list[int]) -> int:
        query = query_parser.text_query(query_parser.parse(text))
        if query is None or not ids:
            return 0
        keys = [sources.object_key("paper", paper_id) for paper_id in ids]
        chosen = tantivy.Query.term_set_query(SCHEMA, "object", keys)
        both = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, query), (tantivy.Occur.Must, chosen), *scope]
        )
        return len(searcher.search(both, len(ids), count=False).hits)

    def share(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    result: dict[str, dict[str, list[float]]] = {}
    for system in ("postgres", "rum"):
        if system not in top:
            continue
        same, pg_matches, beirat_match = [], [], []
        for (_, text), ours, theirs in zip(queries, top["beirat"], top[system], strict=True):
            same.append(share(len(set(ours) & set(theirs)), max(len(ours), len(theirs))))
            matched = connection.execute(matches_pg, (text, ours)).fetchone()[0] if ours else 0
            pg_matches.append(share(matched, len(ours)))
            beirat_match.append(share(beirat_matches(text, theirs), len(theirs)))
        result[system] = {
            "same": same,
            "pg_matches_beirat": pg_matches,
            "beirat_matches_pg": beirat_match,
        }
    return result


def _corpus() -> int:
    return int(Path(os.environ["BEIRAT_SEARCH_DIR"]).name.removeprefix("search-"))


def _breakdown(queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Where beirat's time goes: the steps of queries.search, one after the other.

    Uses internals of beirat.search.queries; if they change shape, the breakdown is left out
    rather than the run lost."""
    try:
        return _steps(queries)
    except (TypeError, AttributeError) as error:
        print(f"  breakdown left out: {error!r}", flush=True)
        return {}


def _steps(queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import index, query_parser, rules
    from beirat.search import queries as search_queries

    audiences = rules.audiences_of(AnonymousUser())
    filters = search_queries.Filters()
    steps: dict[str, list[float]] = {
        "parse + build": [],
        "scoped top 10 + count": [],
        "facets (aggregate + labels)": [],
        "documents + snippets": [],
        "fuzzy retry (typos)": [],
    }
    for _, text in queries:
        searcher = index.reader().searcher()
        started = time.perf_counter()
        parsed = query_parser.parse(text)
        query = query_parser.text_query(parsed)
        scope = search_queries._scope(audiences, filters)
        built = time.perf_counter()
        found = []
        if query is not None:
            scoped = search_queries._and(query, scope)
            found = [address for _, address in searcher.search(scoped, 10).hits]
        searched = time.perf_counter()
        if query is not None:
            search_queries._facets(searcher, scoped, search_queries.FACETS)
        faceted = time.perf_counter()
        retried = faceted
        if not found and parsed.clauses:
            results = search_queries.SearchResults(query=parsed)
            found = search_queries._run(
                searcher,
                parsed,
                audiences,
                filters,
                results,
                sort="relevanz",
                facets=True,
                fuzzy=True,
            )
            retried = time.perf_counter()
        [search_queries._hit(searcher.doc(address), parsed) for address in found]
        done = time.perf_counter()
        steps["parse + build"].append(built - started)
        steps["scoped top 10 + count"].append(searched - built)
        steps["facets (aggregate + labels)"].append(faceted - searched)
        steps["fuzzy retry (typos)"].append(retried - faceted)
        steps["documents + snippets"].append(done - retried)
    return steps


def _freshness(repeat: int) -> list[float]:
    """Seconds from a paper's commit until search finds it, with an indexer following the log."""
    from django.contrib.auth.models import AnonymousUser

    from beirat.council.models import Paper
    from beirat.directory.models import Body
    from beirat.search import queries as search_queries
    from beirat.search.indexer import Indexer

    indexer = Indexer()
    indexer.start()
    stop = threading.Event()
    follower = threading.Thread(
        target=indexer.follow, kwargs={"stop": stop, "poll_seconds": 0.5}, daemon=True
    )
    follower.start()
    body = Body.objects.order_by("pk").first()
    anonymous = AnonymousUser()
    delays = []
    created = []
    rng = random.Random(SEED)
    try:
        # The first change an indexer applies loads the URLconf and the analyzer's word list
        # (seconds, once per process): a long-running indexer has done that long ago.
        for number in range(repeat + 1):
            word = "Frischeprobe" + "".join(rng.choice("bcdfghklmnprstvwxz") for _ in range(8))
            time.sleep(rng.random() * 0.5)  # not in step with the indexer's polling
            paper = Paper.objects.create(
                body=body,
                paper_type=Paper.Type.NOTICE,
                status=Paper.Status.PUBLISHED,
                reference=f"BM/{number + 1:04d}/2099",
                type_code="BM",
                sequence=number + 1,
                year=2099,
                date="2099-01-01",
                name=f"Mitteilung: {word}",
            )
            committed = time.perf_counter()
            created.append(paper)
            while search_queries.search(anonymous, word, facets=False).total < 1:
                if time.perf_counter() - committed > 60:
                    raise RuntimeError("a saved paper was not findable after 60 s")
                time.sleep(0.005)
            if number:
                delays.append(time.perf_counter() - committed)
    finally:
        for paper in created:  # the corpus stays as generated
            paper.delete()
        time.sleep(1.5)
        stop.set()
        follower.join()
        indexer.catch_up()
        indexer.close()
    return delays


# The report --------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"


SYSTEMS = (
    ("beirat", "beirat"),
    ("tantivy", "raw tantivy"),
    ("postgres", "PG GIN"),
    ("rum", "PG RUM"),
)


def _p(values: list[float], share: float) -> str:
    return _ms(_percentile(values, share)) if values else "–"


def _best_pg(result: dict[str, Any], chosen: list[int] | None = None) -> tuple[str, float]:
    """The PostgreSQL variant with the lower p95 (over ``chosen`` queries) and that p95."""
    best = ("postgres", float("inf"))
    for system in ("postgres", "rum"):
        if system in result["times"]:
            times = result["times"][system]
            values = [times[i] for i in chosen] if chosen is not None else times
            p95 = _percentile(values, 0.95)
            if p95 < best[1]:
                best = (system, p95)
    return best


def _report(results: list[dict[str, Any]]) -> str:
    kinds = [kind for kind, _ in MIXES]
    labels = dict(SYSTEMS)
    parts = []
    for r in results:
        systems = [(s, label) for s, label in SYSTEMS if s in r["times"]]
        lines = [
            f"**{r['papers']:,} papers: p50 / p95 (ms) by kind of query**",
            "",
            "| kind (queries) | median hits | "
            + " | ".join(label for _, label in systems)
            + " | faster PG p95 / beirat p95 |",
            "|---|---|" + "---|" * len(systems) + "---|",
        ]
        for kind in [*kinds, "all"]:
            chosen = [i for i, k in enumerate(r["kinds"]) if k == kind or kind == "all"]
            cells = [
                f"{_p([r['times'][s][i] for i in chosen], 0.5)} / "
                f"{_p([r['times'][s][i] for i in chosen], 0.95)}"
                for s, _ in systems
            ]
            ours = _percentile([r["times"]["beirat"][i] for i in chosen], 0.95)
            system, theirs = _best_pg(r, chosen)
            hits = statistics.median(r["hits"][i] for i in chosen)
            name = f"**all ({len(chosen)})**" if kind == "all" else f"{kind} ({len(chosen)})"
            lines.append(
                f"| {name} | {hits:,.0f} | "
                + " | ".join(cells)
                + f" | {theirs / ours:.2f} ({labels[system]}) |"
            )
        parts.append("\n".join(lines))
        agreement = r.get("agreement", {})
        if agreement:
            variants = [(s, labels[s]) for s in ("postgres", "rum") if s in agreement]
            lines = [
                f"**{r['papers']:,} papers: do the systems find the same papers? Mean over the "
                "queries of each kind, in % of a top 10**",
                "",
                "| kind | "
                + " | ".join(f"beirat's top 10 also in {label}'s" for _, label in variants)
                + " | beirat's top 10 matched by PG's query | "
                + " | ".join(f"{label}'s top 10 matched by beirat's query" for _, label in variants)
                + " |",
                "|---|" + "---|" * (2 * len(variants) + 1),
            ]
            for kind in [*kinds, "all"]:
                chosen = [i for i, k in enumerate(r["kinds"]) if k == kind or kind == "all"]
                name = "**all**" if kind == "all" else kind
                lines.append(
                    f"| {name} | "
                    + " | ".join(_mean(agreement[s]["same"], chosen) for s, _ in variants)
                    + f" | {_mean(agreement[variants[0][0]]['pg_matches_beirat'], chosen)} | "
                    + " | ".join(
                        _mean(agreement[s]["beirat_matches_pg"], chosen) for s, _ in variants
                    )
                    + " |"
                )
            parts.append("\n".join(lines))

    header = "| overall | " + " | ".join(f"{r['papers']:,} papers" for r in results) + " |"
    lines = [header, "|---|" + "---|" * len(results)]

    def row(name: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {name} | " + " | ".join(cell(r) for r in results) + " |")

    def seconds(value: float | None, absent: str = "–") -> str:
        return absent if value is None else f"{value:,.0f} s"

    row(
        "generating the corpus (SQLite)",
        lambda r: seconds(r["generate_seconds"], "reused: same generator source, not timed"),
    )
    row("building the tantivy index", lambda r: seconds(r["index"]["seconds"]))
    row("index size", lambda r: f"{r['index']['bytes'] / 1e9:.2f} GB")
    row("loading PostgreSQL (COPY + GIN)", lambda r: seconds(r["postgres_load_seconds"]))
    row(
        "PG RUM table (id, tsvector copied) + index",
        lambda r: seconds(r.get("rum_seconds"), "left out: postgresql-15-rum not installed"),
    )
    for system, label in SYSTEMS:
        for share, name in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
            row(
                f"{label} {name} (ms)",
                lambda r, s=system, q=share: _p(r["times"].get(s, []), q),
            )
    row(
        "beirat p95 / raw tantivy p95 (goal ≤ 2)",
        lambda r: f"{_p95(r, 'beirat') / _p95(r, 'tantivy'):.2f}",
    )
    for system, label in SYSTEMS[2:]:
        row(
            f"{label} p95 / beirat p95 (goal ≥ 10)",
            lambda r, s=system: f"{_p95(r, s) / _p95(r, 'beirat'):.1f}" if s in r["times"] else "–",
        )
    if len(results) > 1:
        first = results[0]
        row(
            f"beirat p95 / p95 at {first['papers']:,} (goal < 2)",
            lambda r: f"{_p95(r, 'beirat') / _p95(first, 'beirat'):.2f}",
        )
    row(
        "commit → findable, p50 / max (s)",
        lambda r: (
            f"{statistics.median(r['freshness']):.2f} / {max(r['freshness']):.2f}"
            if r["freshness"]
            else "failed"
        ),
    )
    parts.append("\n".join(lines))
    steps = [
        "| beirat's steps, p50 / p95 (ms) | "
        + " | ".join(f"{r['papers']:,} papers" for r in results)
        + " |",
        "|---|" + "---|" * len(results),
    ]
    for step in results[-1]["breakdown"]:
        if not all(step in r["breakdown"] for r in results):
            continue
        cells = [
            f"{_ms(_percentile(r['breakdown'][step], 0.5))} / "
            f"{_ms(_percentile(r['breakdown'][step], 0.95))}"
            for r in results
        ]
        steps.append(f"| {step} | " + " | ".join(cells) + " |")
    parts.append("\n".join(steps))
    return "\n\n".join(parts)


def _mean(shares: list[float], chosen: list[int]) -> str:
    values = [shares[i] for i in chosen]
    return f"{100 * statistics.mean(values):.0f}" if values else "–"


def _p95(result: dict[str, Any], system: str) -> float:
    return _percentile(result["times"][system], 0.95)


def _write_report(args: argparse.Namespace, report: str, results: list[dict[str, Any]]) -> None:
    from benchmarks.report import write_section

    marker = "## Search"
    papers = " ".join(str(n) for n in args.papers)
    mix = ", ".join(f"{share:.0%} {kind}" for kind, share in MIXES)
    section = (
        f"{marker}\n\nCommand: `.venv/bin/python benchmarks/search_bench.py --papers {papers} "
        f"--queries {args.queries}`, times inside one process (no HTTP), one query at a time. "
        "beirat: `beirat.search.queries.search` for an anonymous user (permission filter, "
        "facets, snippets, fuzzy retry when nothing matches); raw tantivy: the same text query "
        "alone, top 10 without a count (hits counted apart, untimed), no documents fetched; "
        "PostgreSQL "
        f"{_postgres_version()} with its default parallelism (2 workers per gather), "
        "shared_buffers 2 GB, work_mem 64 MB, jit off: PG GIN is "
        "`to_tsvector('german', title || ' ' || text)` in a GIN index, "
        "`websearch_to_tsquery('german', …)` (quotes make a phrase), "
        "`ORDER BY ts_rank … LIMIT 10`; PG RUM is the same tsvector and tsquery with a RUM "
        "index, `ORDER BY tsv <=> query LIMIT 10`, ranked inside the index. Typos: beirat "
        "retries with similar spellings when nothing matches, PostgreSQL does not. "
        f"{args.queries:,} deterministic queries ({mix}) after {WARM_UP} warm-up queries per "
        "system; corpus from benchmarks/generator.py (`sections=True`), ~320 words per paper. "
        "The tables by kind come first: the overall figures mix kinds whose ratios differ by "
        "orders of magnitude. The agreement tables tell apart what the systems match from how "
        "they rank it (BM25 in tantivy, ts_rank and RUM's distance in PostgreSQL).\n\n"
        f"{report}\n"
    )
    write_section(marker, section)


def _postgres_version() -> str:
    output = subprocess.run(
        [str(_pg_bin() / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    return output.split()[2]  # "postgres (PostgreSQL) 15.18 (Debian …)"


if __name__ == "__main__":
    main()
