"""OParl sync benchmark: a full sync of N papers from a local beirat endpoint, compared with the
endpoint's own crawl rate in the same run, and an incremental run after 100 changes.

    .venv/bin/python benchmarks/oparlsync_bench.py [--papers 2000] [--changes 100]

The source is another beirat: its own SQLite file under var/bench/ (benchmarks/generator.py,
built once and reused, its records dated a day back as a system's are when a sync runs every few
hours), served by gunicorn (2 workers, page cache off so that every page is rendered as after a
change) on a loopback port. Its papers' official PDFs are rendered once into the source's own
media folder, as beirat's worker does after every change (council.tasks.render_paper_pdf): the
endpoint serves stored files, as a council system does. The target is a fresh SQLite file with a
media folder of its own.

1. crawl, the floor: exactly what the sync reads over HTTP (every list: organizations, persons,
   memberships, meetings, papers, following links.next; and every file of every paper), nothing
   stored, one request at a time as a crawler reads: the endpoint's objects per second, three
   times (median, and the range). The lists alone are reported beside it. Once more with the
   files of each page over as many connections as the sync uses (it reads a page's files
   over READ_AHEAD_CONNECTIONS connections): the stricter floor, reported beside;
2. full sync, once: manage.py oparl_sync's service, everything stored: objects per second, and
   the share of the median crawl rate (goal ≥ 0.5), also shown against the fastest crawl;
3. 100 papers change at the source (their PDFs rendered again, as the worker would); the
   incremental run (modified_since) takes (goal < 5 s).
Results are printed and written to docs/benchmarks.md ("OParl sync").
"""

from __future__ import annotations

import argparse
import datetime
import inspect
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = ROOT / "var" / "bench"
LISTS = ("organization", "person", "membership", "meeting", "paper")
CRAWLS = 3


def _media(database: Path) -> Path:
    return database.with_name(database.stem + "-media")


def _source_environment(database: Path, base: str, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "BEIRAT_MEDIA_DIR": str(media),
        "DJANGO_SETTINGS_MODULE": "beirat.settings",
        "BEIRAT_SITE_URL": base,
        "BEIRAT_PAGE_CACHE_SECONDS": "0",
        "BEIRAT_LOG_LEVEL": "WARNING",
    }


# Renders the official PDF of the given papers (all published ones when none are named) into
# the source's media folder, as the worker does after a change.
RENDER = """
import sys
import django
django.setup()
from django.core.files.storage import default_storage
from beirat.council.documents import _path, pdf_version
from beirat.council.models import Paper
from beirat.council.pdf import paper_pdf
import os
from pathlib import Path
chosen = [int(value) for value in sys.argv[1:]]
share, shares = (int(part) for part in os.environ.get("BENCH_RENDER_SHARE", "0/1").split("/"))
papers = Paper.objects.filter(status=Paper.Status.PUBLISHED, public=True).exclude(reference="")
papers = papers.filter(pk__in=chosen) if chosen else papers
keys = [pk for pk in papers.order_by("pk").values_list("pk", flat=True) if pk % shares == share]
for done, paper in enumerate(Paper.objects.filter(pk__in=keys).order_by("pk").iterator(), start=1):
    target = Path(default_storage.path(_path(paper, pdf_version(paper))))
    if not target.exists():
        # Whole files only: a run stopped half-way leaves no truncated PDF to resume from.
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".part")
        part.write_bytes(paper_pdf(paper))
        os.replace(part, target)
    if done % 500 == 0 or done == len(keys):
        print(f"  PDF {done:,}/{len(keys):,} (share {share + 1} of {shares})", flush=True)
"""


def _prepare_source(database: Path, papers: int) -> None:
    """Built once per size in a process of its own (its own database and media setting):
    the papers, dated a day back, and their rendered PDFs. Made again when the generator or
    the rendering script changed; an interrupted preparation goes on where it stopped (the
    papers are kept, the PDFs already rendered too)."""
    from benchmarks.corpus import generator_source

    made_by = generator_source(RENDER, inspect.getsource(_age))
    complete = database.with_suffix(".complete")
    if complete.exists() and complete.read_text().strip() == made_by:
        return
    generated_by = generator_source(inspect.getsource(_age))
    generated = database.with_suffix(".generated")
    environment = _source_environment(database, "http://127.0.0.1", _media(database))
    if database.exists() and generated.exists() and generated.read_text().strip() == generated_by:
        print(f"{database.name}: the papers are there; rendering the PDFs still missing")
    else:
        _generate(database, papers, environment)
        generated.write_text(generated_by + "\n")
    started = time.perf_counter()
    _render_in_parallel(environment)
    print(f"rendered their PDFs in {time.perf_counter() - started:.0f} s")
    complete.write_text(made_by + "\n")


def _generate(database: Path, papers: int, environment: dict[str, str]) -> None:
    if database.exists():
        print(f"{database.name}: made by another generator: generating again", flush=True)
    database.with_suffix(".generated").unlink(missing_ok=True)
    database.unlink(missing_ok=True)
    shutil.rmtree(_media(database), ignore_errors=True)
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from benchmarks.generator import generate\n"
        f"generate(papers={papers})\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)
    _age(database, days=1)
    print(f"generated {papers:,} papers in {time.perf_counter() - started:.0f} s")


def _render_in_parallel(environment: dict[str, str]) -> None:
    """One renderer per core, each with every n-th paper: preparation, not measured, and at
    100,000 papers hours in one process. Each process commits nothing but files; SQLite is
    only read."""
    shares = os.cpu_count() or 1
    renderers = [
        subprocess.Popen(
            [sys.executable, "-c", RENDER],
            cwd=ROOT,
            env={**environment, "BENCH_RENDER_SHARE": f"{share}/{shares}"},
        )
        for share in range(shares)
    ]
    failed = [renderer.args for renderer in renderers if renderer.wait() != 0]
    if failed:
        raise SystemExit(f"rendering the source's PDFs failed in {len(failed)} process(es)")


def _age(database: Path, days: int) -> None:
    """Every record as if written ``days`` earlier: the last sync ran after them."""
    tables = [
        "council_paper",
        "council_consultation",
        "council_meeting",
        "council_agendaitem",
        "directory_committee",
        "directory_organizationalunit",
        "directory_person",
        "directory_membership",
    ]
    with closing(sqlite3.connect(database)) as connection, connection:
        for table in tables:
            connection.execute(
                f"UPDATE {table} SET modified_at = datetime(modified_at, '-{days} day'), "  # noqa: S608
                f"created_at = datetime(created_at, '-{days} day')"
            )


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy, whatever is still in the write-ahead log."""
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)


def _change(database: Path, media: Path, count: int) -> None:
    """``count`` papers change at the source, and the worker renders their PDFs again."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with closing(sqlite3.connect(database)) as connection, connection:
        chosen = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM council_paper ORDER BY id LIMIT ?", (count,)
            )
        ]
        connection.executemany(
            "UPDATE council_paper SET name = name || ' (geändert)', modified_at = ? WHERE id = ?",
            [(now, pk) for pk in chosen],
        )
    environment = _source_environment(database, "http://127.0.0.1", media)
    arguments = [str(pk) for pk in chosen]
    subprocess.run(
        [sys.executable, "-c", RENDER, *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )


class Endpoint:
    def __init__(self, database: Path, media: Path) -> None:
        from benchmarks.load_bench import _free_port

        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment = _source_environment(database, self.base, media)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Endpoint:
        import requests

        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "beirat.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/oparl/v1/system", timeout=2).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.3)
        self.process.terminate()
        raise SystemExit("Der OParl-Server ist nicht gestartet.")

    def __exit__(self, *args: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def _files_of(entry: dict[str, object]) -> list[str]:
    files: list[object] = []
    for key in ("mainFile", "auxiliaryFile"):
        value = entry.get(key)
        files += value if isinstance(value, list) else ([value] if value else [])
    return [str(item["downloadUrl"]) for item in files if isinstance(item, dict)]


def _crawl(base: str, connections: int = 1) -> tuple[int, float, float]:
    """What the sync reads: every object of its lists, page by page, and every file of every
    paper, nothing stored; the files of a page over ``connections`` connections at once. The
    objects, the seconds in all, and the seconds spent on files."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    session = requests.Session()
    file_sessions = [requests.Session() for _ in range(connections)]

    def download(share: list[str], file_session: requests.Session) -> None:
        for url in share:
            response = file_session.get(url, timeout=60)
            response.raise_for_status()
            len(response.content)

    started = time.perf_counter()
    on_files = 0.0
    system = session.get(base + "/oparl/v1/system", timeout=30).json()
    bodies = session.get(system["body"], timeout=30).json()["data"]
    body = bodies[0]
    seen = 0
    with ThreadPoolExecutor(connections) as pool:
        for key in LISTS:
            url = body.get(key)
            while url:
                page = session.get(url, timeout=60).json()
                seen += len(page["data"])
                files_started = time.perf_counter()
                urls = [link for entry in page["data"] for link in _files_of(entry)]
                shares = [urls[index::connections] for index in range(connections)]
                list(pool.map(download, shares, file_sessions))
                on_files += time.perf_counter() - files_started
                url = page.get("links", {}).get("next")
    return seen, time.perf_counter() - started, on_files


def _setup_target(database: Path, media: Path) -> None:
    if database.exists():
        database.unlink()
    shutil.rmtree(media, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["BEIRAT_MEDIA_DIR"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _sync(source_id: int) -> tuple[int, float, object]:
    from beirat.oparlsync import services
    from beirat.oparlsync.models import Source

    source = Source.objects.get(pk=source_id)
    started = time.perf_counter()
    run = services.synchronise(source=source)
    seconds = time.perf_counter() - started
    objects = run.created + run.changed + run.unchanged + run.deleted + run.failed
    return objects, seconds, run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="build (or check) the source's corpus and PDFs, then stop: hours at 100,000 papers",
    )
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    source_db = FOLDER / f"oparlsync-source-{args.papers}.sqlite3"
    target_db = FOLDER / f"oparlsync-target-{args.papers}.sqlite3"
    _prepare_source(source_db, args.papers)
    if args.prepare_only:
        return
    # The run works on copies: its changes (and any PDF the endpoint renders) never touch the
    # cached corpus.
    working_copy = FOLDER / f"oparlsync-source-{args.papers}-run.sqlite3"
    _copy_database(source_db, working_copy)
    source_media = _media(working_copy)
    shutil.rmtree(source_media, ignore_errors=True)
    shutil.copytree(_media(source_db), source_media)
    # The corpus may have been built at an earlier commit (it takes hours at 100,000 papers):
    # the copy gets this commit's schema. The stored PDFs stay valid: their names depend on
    # the records, not on the code.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=_source_environment(working_copy, "http://127.0.0.1", source_media),
        check=True,
    )
    _setup_target(target_db, _media(target_db))
    from beirat.directory.services import installation_body
    from beirat.oparlsync import services
    from beirat.oparlsync.engine import READ_AHEAD_CONNECTIONS
    from beirat.oparlsync.models import Source

    with Endpoint(working_copy, source_media) as endpoint:
        # The floor three times (the first also warms the file cache the sync then reads
        # from); the share is taken against the median crawl and shown against the fastest.
        crawls = [_crawl(endpoint.base) for _ in range(CRAWLS)]
        # The same crawl with the sync's number of connections for files, once.
        parallel, parallel_seconds, _files = _crawl(endpoint.base, READ_AHEAD_CONNECTIONS)
        source = services.save_source(
            source=Source(
                name="Benchmark-RIS",
                system_url=endpoint.base + "/oparl/v1/system",
                body=installation_body(actor=None),
                interval_hours=0,
            ),
            actor=None,
        )
        synced, sync_seconds, full = _sync(source.pk)
        # The sync runs in this process; the crawls before it keep nothing, so the peak is
        # the sync's (and Django's own few dozen MiB).
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _change(working_copy, source_media, args.changes)
        _objects, incremental_seconds, incremental = _sync(source.pk)
    rates = sorted(crawled / seconds for crawled, seconds, _files in crawls)
    crawl_rate = statistics.median(rates)
    lists_rate = statistics.median(
        crawled / (seconds - on_files) for crawled, seconds, on_files in crawls
    )
    sync_rate = synced / sync_seconds
    share = sync_rate / crawl_rate
    rows = [
        ("papers at the source", f"{args.papers:,}"),
        ("objects read by the full sync", f"{synced:,} ({full.failed} failed)"),  # type: ignore[attr-defined]
        (
            f"endpoint crawl: lists and files, nothing stored (objects/s, median of {CRAWLS}; "
            "slowest, fastest)",
            f"{crawl_rate:,.0f} ({rates[0]:,.0f}, {rates[-1]:,.0f})",
        ),
        ("the same crawls' lists alone (objects/s, median, for comparison)", f"{lists_rate:,.0f}"),
        ("full sync, everything stored (objects/s, one run)", f"{sync_rate:,.0f}"),
        ("peak resident memory of the process that ran the full sync (MiB)", f"{peak_mib:,.0f}"),
        (
            "full sync as a share of the median crawl (goal ≥ 0.5)",
            f"{share:.3f} ({_met(share >= 0.5)})",
        ),
        ("full sync as a share of the fastest crawl", f"{sync_rate / rates[-1]:.3f}"),
        (
            f"crawl with the sync's {READ_AHEAD_CONNECTIONS} connections for files (objects/s, "
            "once)",
            f"{parallel / parallel_seconds:,.0f}",
        ),
        (
            "full sync as a share of that crawl (the same goal, measured strictly)",
            f"{sync_rate / (parallel / parallel_seconds):.3f} "
            f"({_met(sync_rate / (parallel / parallel_seconds) >= 0.5)})",
        ),
        (
            f"incremental run after {args.changes} changed papers (s, goal < 5)",
            f"{incremental_seconds:.2f} ({_met(incremental_seconds < 5)})",
        ),
        (
            "incremental run: changed / unchanged / failed",
            f"{incremental.changed} / {incremental.unchanged} / {incremental.failed}",  # type: ignore[attr-defined]
        ),
    ]
    report = "\n".join(f"| {name} | {value} |" for name, value in rows)
    print(report)
    _write_report(args, report)


def _met(condition: bool) -> str:
    return "met" if condition else "missed"


def _write_report(args: argparse.Namespace, report: str) -> None:
    from benchmarks.report import write_section

    marker = "## OParl sync"
    section = (
        f"{marker}\n\nCommand: `.venv/bin/python benchmarks/oparlsync_bench.py --papers "
        f"{args.papers} --changes {args.changes}`, SQLite on both sides, {os.cpu_count()} cores "
        "shared by the endpoint (gunicorn, 2 workers, page cache off) and the sync. The crawl, "
        "the floor, reads over HTTP exactly what the sync reads (every list and every file of "
        "every paper) and stores nothing; the sync stores every object through the council and "
        "directory services (audit entries, search log), each in its own savepoint, the page's "
        "mappings written at its end, one commit per page. The source's records are dated a day "
        "back and its PDFs rendered before the runs, as beirat's worker does after a change; "
        f"the {args.changes} changed papers' PDFs are rendered again before the incremental "
        f"run. The crawl runs {CRAWLS} times one request at a time, and once with the sync's "
        "number of connections for files (the sync reads a page's files over several "
        "connections while it stores the page before); the sync and the incremental run once "
        "each (a full sync at this size is long, so it runs once).\n\n"
        f"| measure | value |\n|---|---|\n{report}\n"
    )
    write_section(marker, section)


if __name__ == "__main__":
    main()
