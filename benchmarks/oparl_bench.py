"""OParl benchmark: crawl throughput against a floor, and page 1 against page 10,000.

    .venv/bin/python benchmarks/oparl_bench.py [--papers 1000000] [--crawl 20000]

Runs on its own SQLite file under var/bench/ (built once by benchmarks/generator.py, then
reused). Server time only: requests go through Django's test client in this process, so the
numbers compare our code with itself, not with the network. Results are printed and written to
docs/benchmarks.md.
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


def _setup(papers: int) -> None:
    from benchmarks import corpus

    default = ROOT / "var" / "bench" / f"oparl-{papers}.sqlite3"
    if "DATABASE_URL" not in os.environ and not corpus.reusable(default, papers):
        corpus.discard(default)  # made by another generator, or never finished
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{default}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beirat.settings")
    os.environ.setdefault("BEIRAT_LOG_LEVEL", "WARNING")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _prepare(papers: int) -> int:
    from django.core.management import call_command

    from beirat.council.models import Paper
    from beirat.directory.models import Body

    call_command("migrate", verbosity=0)
    body = Body.objects.order_by("pk").first()
    if body is None or Paper.objects.count() < papers:
        from benchmarks.generator import generate

        started = time.perf_counter()
        body = generate(papers=papers)
        print(f"generated {papers:,} papers in {time.perf_counter() - started:.0f} s")
        if os.environ["DATABASE_URL"].startswith("sqlite:///"):
            from benchmarks import corpus

            corpus.mark(Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")))
    # As the deployment's nightly timer does (manage.py optimize_database).
    call_command("optimize_database", verbosity=0)
    return body.pk


def _crawl(client, body_id: int, limit: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    import orjson

    url = f"/oparl/v1/body/{body_id}/paper?limit=100"
    seen = 0
    started = time.perf_counter()
    while url and seen < limit:
        page = orjson.loads(client.get(url).content)
        seen += len(page["data"])
        url = page["links"].get("next", "").removeprefix(_base())
    return seen, time.perf_counter() - started


def _floor(limit: int) -> tuple[int, float]:
    """The same rows straight from the database to JSON: the papers, and what the endpoint
    reads of each to write it (its committee route, the papers answering it for
    subordinatedPaper, its mandates, its attachments for auxiliaryFile)."""
    import orjson

    from beirat.council.models import Consultation, Mandate, Paper, PaperAttachment

    seen, after = 0, 0
    started = time.perf_counter()
    while seen < limit:
        rows = list(
            Paper.objects.filter(pk__gt=after, status="published", public=True)
            .order_by("pk")
            .values()[:100]
        )
        if not rows:
            break
        keys = [row["id"] for row in rows]
        route = list(Consultation.objects.filter(paper_id__in=keys).values())
        # Unordered, as the endpoint reads them (it sorts them itself): in the papers' own
        # order SQLite would walk the date index over every paper.
        answers = list(
            Paper.objects.filter(responds_to_id__in=keys, status="published", public=True)
            .order_by()
            .values("id", "date", "responds_to_id")
        )
        mandates = list(Mandate.objects.filter(paper_id__in=keys).values())
        attachments = list(PaperAttachment.objects.filter(paper_id__in=keys).values())
        orjson.dumps(
            {
                "papers": rows,
                "route": route,
                "answers": answers,
                "mandates": mandates,
                "attachments": attachments,
            }
        )
        seen += len(rows)
        after = rows[-1]["id"]
    return seen, time.perf_counter() - started


def _page_times(client, body_id: int, after: int, repeat: int = 15) -> float:  # type: ignore[no-untyped-def]
    url = f"/oparl/v1/body/{body_id}/paper?limit=100" + (f"&after={after}" if after else "")
    client.get(url)  # warm up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _base() -> str:
    from django.conf import settings

    return str(settings.BASE_URL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--crawl", type=int, default=20_000)
    args = parser.parse_args()
    _setup(args.papers)
    from django.test import Client
    from django.test.utils import setup_test_environment

    from beirat.council.models import Paper

    setup_test_environment()
    body_id = _prepare(args.papers)
    from django.test.utils import override_settings

    client = Client()
    # The process's first request imports the site's whole URL configuration (every app's
    # views, a few hundred ms), whatever it asks for: made here, so that the crawl measures the
    # list (the page times below warm up the same way). The system object, not a paper page.
    client.get("/oparl/v1/system")
    # Rendered: the page cache off, every page serialised as after a change. That is what the
    # floor is compared with; kept pages (a second crawl, nothing changed) are shown beside it.
    with override_settings(BEIRAT_PAGE_CACHE_SECONDS=0):
        crawled, crawl_seconds = _crawl(client, body_id, args.crawl)
        floored, floor_seconds = _floor(args.crawl)
        pks = Paper.objects.filter(body_id=body_id).order_by("pk").values_list("pk", flat=True)
        page_10000_after = pks[min(999_900, pks.count() - 100)] if pks.count() > 100 else 0
        first = _page_times(client, body_id, 0)
        late = _page_times(client, body_id, page_10000_after)
    _crawl(client, body_id, args.crawl)  # fills the page cache
    kept, kept_seconds = _crawl(client, body_id, args.crawl)
    share = (crawled / crawl_seconds) / (floored / floor_seconds)
    rows = [
        ("papers in the corpus", f"{Paper.objects.filter(body_id=body_id).count():,}"),
        ("crawl of the paper list (API objects/s)", f"{crawled / crawl_seconds:,.0f}"),
        ("floor: same rows straight to JSON (objects/s)", f"{floored / floor_seconds:,.0f}"),
        ("crawl as a share of the floor (goal ≥ 0.5)", f"{share:.2f} ({_met(share >= 0.5)})"),
        ("crawl of kept pages, nothing changed (objects/s)", f"{kept / kept_seconds:,.0f}"),
        ("page 1, 100 papers (ms, median of 15)", f"{first * 1000:.1f}"),
        ("page 10,000, 100 papers (ms, median of 15)", f"{late * 1000:.1f}"),
        ("page 10,000 / page 1", f"{late / first:.2f}"),
    ]
    report = "\n".join(f"| {name} | {value} |" for name, value in rows)
    print(report)
    _write_report(args, report)


def _met(condition: bool) -> str:
    return "met" if condition else "missed"


def _commit() -> str:
    import subprocess

    def git(*command: str) -> str:
        run = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True)
        return run.stdout.strip()

    dirty = " with uncommitted changes" if git("status", "--porcelain") else ""
    return f"commit {git('rev-parse', '--short', 'HEAD')}{dirty}"


def _write_report(args: argparse.Namespace, report: str) -> None:
    from benchmarks.report import write_section

    marker = "## OParl"
    section = (
        f"{marker}\n\nCommand: `make bench` (`.venv/bin/python benchmarks/oparl_bench.py "
        f"--papers {args.papers} --crawl {args.crawl}`), {_commit()}, SQLite, "
        f"{os.cpu_count()} cores, server time through Django's test client. The crawl, the floor "
        "and the page times with the page cache off (every page serialised, as after a change); "
        "the floor reads the same rows (papers of the page, their route, the papers answering "
        "them, their mandates and attachments: what the endpoint reads to write them) with "
        "`.values()` and dumps them with orjson.\n\n"
        f"| measure | value |\n|---|---|\n{report}\n"
    )
    write_section(marker, section)


if __name__ == "__main__":
    main()
