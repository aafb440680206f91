"""Search benchmark: beirat's search beside raw tantivy and PostgreSQL full-text search.

    .venv/bin/python benchmarks/search_bench.py [--papers 100000 1000000] [--queries 1000]

For each corpus size: a SQLite file var/bench/search-<n>.sqlite3 of generated papers with
realistic German bodies (benchmarks/generator.py, sections=True), its tantivy index under
var/bench/search-<n>/ (built with the indexer's rebuild, timed) and the same papers in a
PostgreSQL table with a GIN-indexed tsvector (a throwaway cluster under var/bench/pg/, started
and stopped by this script). All three are built once and reused while their counts match.

1,000 deterministic queries (frequent and rare words, two words, phrases, references, typos)
run through
  - beirat: beirat.search.queries.search(AnonymousUser(), text), with the permission filter,
    facets, snippets and the fuzzy retry for typos: what the search page calls;
  - tantivy: the same text query (query_parser.text_query(parse(text))) alone, top 10 with the
    count, no documents fetched;
  - PostgreSQL: plainto_tsquery/phraseto_tsquery('german', …) on the tsvector, ORDER BY ts_rank
    LIMIT 10.
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
    parser.add_argument(
        "--report-only", action="store_true", help="write the report from the last results"
    )
    args = parser.parse_args()
    if args.corpus:
        _child(args)
        return
    if args.report_only:
        results = [json.loads((BENCH / f"search-{n}.json").read_text()) for n in args.papers]
        report = _report(results)
        print(report)
        _write_report(args, report, results)
        return
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
            "-c maintenance_work_mem=1GB -c work_mem=64MB -c max_parallel_workers_per_gather=0 "
            "-c max_wal_size=8GB -c jit=off"
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
    result: dict[str, Any] = {"papers": papers, "commit": _commit()}
    result["generate_seconds"] = _prepare_database(papers)
    result["index"] = _prepare_index(papers)
    import psycopg

    with psycopg.connect(os.environ["BENCH_POSTGRES"], autocommit=True) as connection:
        result["postgres_load_seconds"] = _prepare_postgres(connection, database, papers)
        queries = _queries(database, args.queries)
        result["kinds"] = [kind for kind, _ in queries]
        result["queries"] = [text for _, text in queries]
        result["times"], result["hits"] = _measure(queries, connection)
    result["breakdown"] = _breakdown(queries)
    result["freshness"] = []
    Path(args.result).write_text(json.dumps(result))  # kept if the freshness test fails
    result["freshness"] = _freshness(args.freshness)
    Path(args.result).write_text(json.dumps(result))


def _commit() -> str:
    """The code measured: the commit, marked if beirat/ had changes not committed."""

    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    changed = git("status", "--porcelain", "--", "beirat")
    return git("rev-parse", "--short", "HEAD") + (" + changes" if changed else "")


def _discard_incomplete(database: Path, papers: int) -> None:
    if not database.exists():
        return
    try:
        with sqlite3.connect(database) as connection:
            count = connection.execute("SELECT count(*) FROM council_paper").fetchone()[0]
            sections = connection.execute("SELECT count(*) FROM council_papersection").fetchone()
    except sqlite3.Error:
        count, sections = 0, (0,)
    if count < papers or not sections[0]:
        print(f"{database.name}: {count:,} papers, not {papers:,}: generating again", flush=True)
        for stale in database.parent.glob(database.name + "*"):
            stale.unlink()
        shutil.rmtree(BENCH / f"search-{papers}", ignore_errors=True)


def _prepare_database(papers: int) -> float | None:
    from django.core.management import call_command

    from beirat.council.models import Paper

    call_command("migrate", verbosity=0)
    if Paper.objects.count() >= papers:
        return _stored(papers, "generate_seconds")
    from benchmarks.generator import generate

    started = time.perf_counter()
    generate(papers=papers, seed=SEED, sections=True)
    call_command("optimize_database", verbosity=0)
    seconds = time.perf_counter() - started
    print(f"generated {papers:,} papers in {seconds:.0f} s", flush=True)
    _store(papers, "generate_seconds", seconds)
    return seconds


def _prepare_index(papers: int) -> dict[str, Any]:
    from beirat.council.models import Paper
    from beirat.search import index
    from beirat.search.indexer import Indexer

    root = index.search_dir()
    generation = index.current_generation(root)
    position = index.Position.load(generation) if generation else None
    current_format = getattr(index, "INDEX_FORMAT", None)
    if generation is not None and getattr(position, "format", None) == current_format:
        try:
            documents = index.open_index(generation).searcher().num_docs
        except ValueError:  # an index of another format
            documents = -1
        if documents == Paper.objects.count():
            return {
                "seconds": _stored(papers, "index_seconds"),
                "bytes": _size(generation),
                "documents": documents,
            }
    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  indexed {done:,} of {total:,}", flush=True)

    started = time.perf_counter()
    generation = Indexer(root).rebuild(progress=progress)
    seconds = time.perf_counter() - started
    print(f"indexed {papers:,} papers in {seconds:.0f} s", flush=True)
    _store(papers, "index_seconds", seconds)
    documents = index.open_index(generation).searcher().num_docs
    return {"seconds": seconds, "bytes": _size(generation), "documents": documents}


def _size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _stored(papers: int, key: str) -> float | None:
    path = BENCH / f"search-{papers}.build.json"
    try:
        return float(json.loads(path.read_text())[key])
    except (OSError, KeyError, ValueError):
        return None


def _store(papers: int, key: str, value: float) -> None:
    path = BENCH / f"search-{papers}.build.json"
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        stored = {}
    stored[key] = value
    path.write_text(json.dumps(stored))


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


def _prepare_postgres(connection: Any, database: Path, papers: int) -> float | None:
    table = f"papers_{papers}"
    with sqlite3.connect(database) as counting:
        expected = counting.execute("SELECT count(*) FROM council_paper").fetchone()[0]
    exists = connection.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0]
    if exists and connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == expected:  # noqa: S608
        return _stored(papers, "postgres_seconds")
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
    _store(papers, "postgres_seconds", seconds)
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
) -> tuple[dict[str, list[float]], list[int]]:
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import index, query_parser
    from beirat.search import queries as search_queries

    anonymous = AnonymousUser()

    def beirat(text: str) -> None:
        search_queries.search(anonymous, text)

    hits: list[int] = []

    def raw(text: str) -> None:
        query = query_parser.text_query(query_parser.parse(text))
        if query is not None:
            hits.append(index.reader().searcher().search(query, 10).count)  # type: ignore[attr-defined]
        else:
            hits.append(0)

    table = f"papers_{_corpus()}"
    sql = (
        f"SELECT id FROM {table}, {{function}}('german', %s) query "  # noqa: S608
        "WHERE tsv @@ query ORDER BY ts_rank(tsv, query) DESC LIMIT 10"
    )

    def postgres(text: str) -> None:
        function = "plainto_tsquery"
        if text.startswith('"'):
            function, text = "phraseto_tsquery", text.strip('"')
        connection.execute(sql.format(function=function), (text,)).fetchall()

    systems = {"beirat": beirat, "tantivy": raw, "postgres": postgres}
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
    return times, hits[-len(queries) :]


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


def _report(results: list[dict[str, Any]]) -> str:
    header = "| measure | " + " | ".join(f"{r['papers']:,} papers" for r in results) + " |"
    lines = [header, "|---|" + "---|" * len(results)]

    def row(name: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {name} | " + " | ".join(cell(r) for r in results) + " |")

    def seconds(value: float | None) -> str:
        return "–" if value is None else f"{value:,.0f} s"

    row("generating the corpus (SQLite)", lambda r: seconds(r["generate_seconds"]))
    row("building the tantivy index", lambda r: seconds(r["index"]["seconds"]))
    row("index size", lambda r: f"{r['index']['bytes'] / 1e9:.2f} GB")
    row("loading PostgreSQL (COPY + GIN)", lambda r: seconds(r["postgres_load_seconds"]))
    for system, label in (("beirat", "beirat"), ("tantivy", "raw tantivy"), ("postgres", "PG FTS")):
        for share, name in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
            row(
                f"{label} {name} (ms)",
                lambda r, s=system, q=share: _ms(_percentile(r["times"][s], q)),
            )
    row(
        "beirat p95 / raw tantivy p95 (goal ≤ 2)",
        lambda r: f"{_p95(r, 'beirat') / _p95(r, 'tantivy'):.2f}",
    )
    row(
        "PG FTS p95 / beirat p95 (goal ≥ 10)",
        lambda r: f"{_p95(r, 'postgres') / _p95(r, 'beirat'):.1f}",
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
    table = "\n".join(lines)
    kinds = [kind for kind, _ in MIXES]
    by_kind = [
        "| p95 by kind (ms): beirat / tantivy / PG; median hits | "
        + " | ".join(f"{r['papers']:,} papers" for r in results)
        + " |",
        "|---|" + "---|" * len(results),
    ]
    for kind in kinds:
        cells = []
        for r in results:
            chosen = [i for i, k in enumerate(r["kinds"]) if k == kind]
            cells.append(
                " / ".join(
                    _ms(_percentile([r["times"][s][i] for i in chosen], 0.95))
                    for s in ("beirat", "tantivy", "postgres")
                )
                + f"; {statistics.median(r['hits'][i] for i in chosen):,.0f}"
            )
        by_kind.append(f"| {kind} ({len(chosen)}) | " + " | ".join(cells) + " |")
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
    return "\n\n".join([table, "\n".join(by_kind), "\n".join(steps)])


def _p95(result: dict[str, Any], system: str) -> float:
    return _percentile(result["times"][system], 0.95)


def _write_report(args: argparse.Namespace, report: str, results: list[dict[str, Any]]) -> None:
    from benchmarks.report import write_section

    marker = "## Search"
    papers = " ".join(str(n) for n in args.papers)
    mix = ", ".join(f"{share:.0%} {kind}" for kind, share in MIXES)
    section = (
        f"{marker}\n\nCommand: `make bench` (`.venv/bin/python benchmarks/search_bench.py "
        f"--papers {papers} --queries {args.queries}`), 2 cores, times inside one process (no "
        "HTTP). beirat: `beirat.search.queries.search` for an anonymous user (permission "
        "filter, facets, snippets, fuzzy retry when nothing matches); raw tantivy: the same text "
        "query alone, top 10 with the count, no documents fetched; PG FTS: PostgreSQL "
        f"{_postgres_version()}, `to_tsvector('german', title || ' ' || text)` in a GIN index, "
        "`plainto_tsquery` (`phraseto_tsquery` for phrases), `ORDER BY ts_rank … LIMIT 10`. "
        f"{args.queries:,} deterministic queries ({mix}) after {WARM_UP} warm-up queries; "
        f"beirat at {', '.join(sorted({r.get('commit', '?') for r in results}))}; "
        "corpus from benchmarks/generator.py (`sections=True`), ~320 words per paper.\n\n"
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
