"""Backup and restore at scale: manage.py backup and restore of a million papers, SQLite and
PostgreSQL, timed from the outside.

    .venv/bin/python benchmarks/backup_bench.py [--papers 1000000] [--databases sqlite postgres]

The data is the page benchmark's (benchmarks/pages_bench.py makes var/bench/pages-N.sqlite3 and
copies it into PostgreSQL when needed). SQLite works on a copy of that file; PostgreSQL on a
database of its own in the page benchmark's cluster. Both commands check the manifest (row counts
of every table, hashes of every file) themselves, so a pass here is their own verdict; the
benchmark adds a count of papers before and after. Results are printed and written to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _prepare_postgres(json.loads(args.child))
        return
    from benchmarks.pages_bench import _sqlite_corpus

    BENCH.mkdir(parents=True, exist_ok=True)
    corpus = _sqlite_corpus(args.papers)
    rows = []
    for database in args.databases:
        print(f"{database}, {args.papers:,} papers …", flush=True)
        if database == "sqlite":
            rows.append(_sqlite(corpus))
        else:
            rows.append(_postgres(corpus, args.papers))
    report = _report(rows, args)
    print(report)
    from benchmarks.report import write_section

    write_section("## Backup and restore", report)


def _sqlite(corpus: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(dir=BENCH) as work:
        database = Path(work) / "live.sqlite3"
        shutil.copyfile(corpus, database)
        return _round_trip(f"sqlite:///{database}", Path(work), "sqlite")


def _postgres(corpus: Path, papers: int) -> dict[str, Any]:
    from benchmarks.search_bench import Postgres

    postgres = Postgres(BENCH / "pages-pg")
    postgres.start()
    try:
        from benchmarks.pages_bench import corpus_version

        dsn = postgres.dsn.rsplit("/", 1)[0] + f"/backup_{papers}_{corpus_version()}"
        job = {"admin_dsn": postgres.dsn, "dsn": dsn, "corpus": str(corpus), "papers": papers}
        subprocess.run([sys.executable, __file__, "--child", json.dumps(job)], check=True, cwd=ROOT)
        with tempfile.TemporaryDirectory(dir=BENCH) as work:
            return _round_trip(dsn, Path(work), "postgres")
    finally:
        postgres.stop()


def _prepare_postgres(job: dict[str, Any]) -> None:
    """A database of its own with the generated rows (made once, then reused)."""
    from benchmarks.pages_bench import _copy_from_sqlite, _create_database

    _create_database(job["admin_dsn"], job["dsn"].rsplit("/", 1)[1])
    os.environ["DATABASE_URL"] = job["dsn"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "beirat.settings"
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _copy_from_sqlite(Path(job["corpus"]))


def _round_trip(database_url: str, work: Path, name: str) -> dict[str, Any]:
    media = work / "media"
    media.mkdir()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "beirat.settings",
        "BEIRAT_MEDIA_DIR": str(media),
        "BEIRAT_SEARCH_DIR": str(work / "search"),
        "BEIRAT_LOG_LEVEL": "WARNING",
    }
    papers_before = _papers(environment)
    backup = work / "backup"
    started = time.perf_counter()
    _manage(environment, "backup", str(backup))
    backup_seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in backup.rglob("*") if path.is_file())
    started = time.perf_counter()
    _manage(environment, "restore", "--yes", str(backup))
    restore_seconds = time.perf_counter() - started
    papers_after = _papers(environment)
    return {
        "database": name,
        "papers_before": papers_before,
        "papers_after": papers_after,
        "backup_s": backup_seconds,
        "restore_s": restore_seconds,
        "size_mb": size / 1e6,
    }


def _manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments, "--verbosity", "0"],
        check=True,
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
    )


def _papers(environment: dict[str, str]) -> int:
    script = (
        "import django; django.setup(); from beirat.council.models import Paper; "
        "print(Paper.objects.count())"
    )
    found = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    return int(found.stdout.strip())


def _report(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    from benchmarks.search_bench import _commit

    databases = " ".join(args.databases)
    lines = [
        "## Backup and restore",
        "",
        f"`.venv/bin/python benchmarks/backup_bench.py --papers {args.papers} --databases "
        f"{databases}` (commit {_commit()}, 2 cores). `manage.py backup` then `manage.py restore "
        "--yes` of the same folder, each a process of its own, timed from the "
        "outside; both check the manifest (rows of every table, hashes of every file) and fail "
        "when it differs. The round trip byte for byte (rows, files, ten pages) is "
        "tests/core/test_backup.py in `make test`.",
        "",
        "| database | papers before → after | backup (s) | restore (s) | backup size (MB) |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['database']} | {row['papers_before']:,} → {row['papers_after']:,} | "
            f"{row['backup_s']:.0f} | {row['restore_s']:.0f} | {row['size_mb']:,.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
