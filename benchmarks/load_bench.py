"""Submissions under load: the real form flow against gunicorn on loopback, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/load_bench.py [--submissions 1000] [--concurrency 8]
        [--workers 4] [--seconds 120] [--databases sqlite postgres]

Each simulated citizen loads /eingaben/neu/, takes the signed form token from it (the form's
protection against forged posts: it is checked instead of a CSRF cookie, so that public pages
set no cookie) and posts a submission with an e-mail address, from an address of its own
(X-Forwarded-For, with BEIRAT_TRUSTED_PROXY_COUNT=1 as behind the reverse proxy of
docs/deployment.md, so the per-client rate limit sees many citizens, not one). The yardstick is
a trivial POST view on the same server, same body, same load (benchmarks/urls.py).

Bounded: at most --submissions flows and --seconds per run. Afterwards every acknowledged
submission (a redirect to its tracking page) must be stored exactly once and its confirmation
mail queued exactly once. The form's minimum fill time (3 s against robots) is set to 0 here:
the load generator is a robot on purpose.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))
TOKEN = re.compile(r'name="issued" value="([^"]+)"')
GOAL_SHARE = 0.5


@dataclass
class Run:
    """What one load run saw: latencies of the measured requests, answers, errors."""

    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # title -> tracking page
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def percentile(share: float) -> float:
            return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000

        return {
            "requests": len(self.latencies),
            "per_second": len(self.latencies) / self.seconds if self.seconds else 0.0,
            "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
            "p95_ms": percentile(0.95) if ordered else 0.0,
            "p99_ms": percentile(0.99) if ordered else 0.0,
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    results = {}
    for database in args.databases:
        print(f"{database} …", flush=True)
        results[database] = _measure_database(database, args)
    report = _report(results, args)
    print(report)
    from benchmarks.report import write_section

    write_section("## Submissions under load", report)
    failed = [name for name, result in results.items() if result["check"]["problems"]]
    if failed:
        raise SystemExit(f"Prüfung nach der Last fehlgeschlagen: {', '.join(failed)}")


def _measure_database(database: str, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"beirat-load-{database}-"))
    folder.chmod(0o755)  # PostgreSQL runs as its own user and must reach its data folder
    postgres = None
    environment = _environment(folder)
    try:
        if database == "postgres":
            from benchmarks.search_bench import Postgres

            postgres = Postgres(folder / "pg")
            postgres.start()
            environment["DATABASE_URL"] = postgres.dsn
        else:
            environment["DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
        _manage(environment, "migrate", "--noinput", "-v0")
        _manage(environment, "load_demo")
        with Gunicorn(environment, args.workers) as server:
            trivial = _load(server.port, args, flow=False)
            flows = _load(server.port, args, flow=True)
        check = _check(environment, flows)
        return {"trivial": trivial.summary(), "form": flows.summary(), "check": check}
    finally:
        if postgres:
            postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "BEIRAT_VAR_DIR": str(folder),
        "BEIRAT_LOG_LEVEL": "WARNING",
        "BEIRAT_TRUSTED_PROXY_COUNT": "1",
        "BEIRAT_FORM_MIN_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
    }


def _manage(environment: dict[str, str], *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


class Gunicorn:
    """gunicorn as docs/deployment.md runs it, on a free loopback port."""

    def __init__(self, environment: dict[str, str], workers: int) -> None:
        self.environment = environment
        self.workers = workers
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "benchmarks.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.environment)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn ist nicht gestartet.")
        for _ in range(self.workers * 3):  # every worker loads the code before the clock runs
            _request(self.port, "GET", "/bench/trivial/", None, {})
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _load(port: int, args: argparse.Namespace, *, flow: bool) -> Run:
    """--submissions posts from --concurrency threads; ``flow``: the real form, else the
    trivial POST view with the same body."""
    run = Run()
    counter = iter(range(args.submissions))
    counter_lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def next_number() -> int | None:
        with counter_lock:
            return next(counter, None)

    def citizen() -> None:
        while time.monotonic() < deadline:
            number = next_number()
            if number is None:
                return
            try:
                _one(port, number, run, flow=flow)
            except (OSError, http.client.HTTPException) as error:
                with run.lock:
                    run.errors.append(f"{number}: {error!r}")

    threads = [threading.Thread(target=citizen) for _ in range(args.concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def _one(port: int, number: int, run: Run, *, flow: bool) -> None:
    address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    headers = {"X-Forwarded-For": address, "Content-Type": "application/x-www-form-urlencoded"}
    status, _headers, page = _request(port, "GET", "/eingaben/neu/", None, headers)
    token = TOKEN.search(page.decode())
    if status != 200 or token is None:
        with run.lock:
            run.errors.append(f"{number}: form page {status}")
        return
    title = f"Lastprobe {number:06d}"
    body = urllib.parse.urlencode(
        {
            "issued": token.group(1),
            "title": title,
            "text": "Eine App mit der Belegung der Parkhäuser wäre hilfreich.",
            "name": "Erika Musterfrau",
            "email": f"last-{number:06d}@example.org",
            "consent": "on",
            "website": "",
        }
    ).encode()
    path = "/eingaben/neu/" if flow else "/bench/trivial-post/"
    started = time.perf_counter()
    status, answer_headers, _answer = _request(port, "POST", path, body, headers)
    elapsed = time.perf_counter() - started
    with run.lock:
        run.latencies.append(elapsed)
        expected = 302 if flow else 200
        if status != expected:
            run.errors.append(f"{number}: POST {status}")
        elif flow:
            run.acknowledged[title] = answer_headers.get("Location", "")


def _check(environment: dict[str, str], run: Run) -> dict[str, Any]:
    """Every acknowledged submission stored exactly once, with its confirmation mail queued
    exactly once; asked of the database by a separate process."""
    script = (
        "import json, sys, django; django.setup()\n"
        "from collections import Counter\n"
        "from beirat.submissions.models import Submission\n"
        "from beirat.core.models import OutboxMail\n"
        "rows = Submission.objects.filter(title__startswith='Lastprobe ')\n"
        "titles = Counter(rows.values_list('title', flat=True))\n"
        "codes = dict(rows.values_list('title', 'tracking_code'))\n"
        "mails = Counter(a for r in OutboxMail.objects.values_list('recipients', flat=True) "
        "for a in r if a.startswith('last-'))\n"
        "print(json.dumps({'titles': titles, 'codes': codes, 'mails': mails}))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    stored = json.loads(output.strip().splitlines()[-1])
    problems = []
    for title, location in run.acknowledged.items():
        number = title.removeprefix("Lastprobe ")
        if stored["titles"].get(title) != 1:
            problems.append(f"{title}: stored {stored['titles'].get(title, 0)} times")
        elif not location.endswith(f"/eingaben/{stored['codes'][title]}/"):
            problems.append(f"{title}: acknowledged with {location}")
        if stored["mails"].get(f"last-{number}@example.org") != 1:
            problems.append(
                f"{title}: {stored['mails'].get(f'last-{number}@example.org', 0)} mails"
            )
    duplicates = [title for title, count in stored["titles"].items() if count > 1]
    problems += [f"{title}: duplicate" for title in duplicates]
    return {
        "acknowledged": len(run.acknowledged),
        "stored": sum(stored["titles"].values()),
        "mails": sum(stored["mails"].values()),
        "problems": problems[:10],
    }


def _report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    from benchmarks.search_bench import _commit

    lines = [
        "## Submissions under load",
        "",
        f"`.venv/bin/python benchmarks/load_bench.py --submissions {args.submissions} "
        f"--concurrency {args.concurrency} --workers {args.workers} --seconds {args.seconds:g} "
        f"--databases {' '.join(args.databases)}` (commit {_commit()}, 2 cores shared by "
        f"gunicorn with {args.workers} workers and the load generator). Times are the POST's, "
        "from the client; each flow also loads the form first. Goal: the form's throughput at "
        f"least {GOAL_SHARE:g} of the trivial POST view's on the same server.",
        "",
        "| database | POST | flows | flows per second (form + POST) | p50 / p95 / p99 (ms) "
        "| errors | share of trivial | acknowledged → stored once, mail queued once |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for database, result in results.items():
        for label, key in (("trivial view", "trivial"), ("submission form", "form")):
            summary = result[key]
            share = result["form"]["per_second"] / result["trivial"]["per_second"]
            check = result["check"]
            lines.append(
                f"| {database} | {label} | {summary['requests']} | {summary['per_second']:.0f} | "
                f"{summary['p50_ms']:.1f} / {summary['p95_ms']:.1f} / {summary['p99_ms']:.1f} | "
                f"{summary['errors']} | {share:.2f} |"
                + (
                    f" {check['acknowledged']} → {check['stored']} stored, {check['mails']} "
                    f"mails; {'OK' if not check['problems'] else check['problems']} |"
                    if key == "form"
                    else " – |"
                )
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
