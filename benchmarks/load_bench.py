"""Submissions under load: the real form flow against gunicorn on loopback, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/load_bench.py [--submissions 1000] [--concurrency 8]
        [--workers 4] [--seconds 120] [--databases sqlite postgres]

Each simulated citizen loads /eingaben/neu/, takes the signed form token from it (the form's
protection against forged posts: it is checked instead of a CSRF cookie, so that public pages
set no cookie) and posts a submission with an e-mail address, from an address of its own
(X-Forwarded-For, with BEIRAT_TRUSTED_PROXY_COUNT=1 as behind the reverse proxy of
docs/deployment.md, so the per-client rate limit sees many citizens, not one).

The floor does the same two requests to views that do nothing (benchmarks/urls.py): GET of a
trivial form page with the same kind of signed token, then a POST of the same body to a
trivial view that answers with a redirect, on the same server, under the same load. Both are
measured twice: the visit (GET + POST, timed together) and the POST alone (the form pages
fetched beforehand, off the clock), each with --submissions posts.

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

    latencies: list[float] = field(default_factory=list)  # what is timed: the visit or the POST
    posts: list[float] = field(default_factory=list)  # the POST within it
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
            "post_p50_ms": statistics.median(self.posts) * 1000 if self.posts else 0.0,
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
    from benchmarks.provenance import require_clean

    require_clean()
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
        runs = {}
        with Gunicorn(environment, args.workers) as server:
            # Floor and form in turn, visits first, so that neither gets the warmer server.
            for name, real, alone, first in (
                ("trivial visit", False, False, 0),
                ("form visit", True, False, 0),
                ("trivial post", False, True, args.submissions),
                ("form post", True, True, args.submissions),
            ):
                print(f"  {name} …", flush=True)
                runs[name] = _load(server.port, args, real=real, alone=alone, first=first)
        check = _check(environment, runs["form visit"], runs["form post"])
        return {**{name: run.summary() for name, run in runs.items()}, "check": check}
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


def _load(port: int, args: argparse.Namespace, *, real: bool, alone: bool, first: int) -> Run:
    """--submissions from --concurrency threads, numbered from ``first``: ``real`` the submission
    form, else the trivial pair; ``alone`` times the POST only, its form page fetched before."""
    run = Run()
    numbers = range(first, first + args.submissions)
    tokens: dict[int, str] = {}
    if alone:  # the form pages first, off the clock, from as many threads
        _threads(args.concurrency, iter(numbers), lambda n: _token(port, n, run, real, tokens))
    counter = iter(numbers)
    deadline = time.monotonic() + args.seconds

    def one(number: int) -> None:
        if time.monotonic() > deadline or (alone and number not in tokens):
            return  # out of time, or its form page failed (counted as an error)
        _one(port, number, run, real=real, token=tokens.get(number))

    started = time.perf_counter()
    _threads(args.concurrency, counter, one)
    run.seconds = time.perf_counter() - started
    return run


def _threads(count: int, numbers: Any, work: Any) -> None:
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            try:
                work(number)
            except (OSError, http.client.HTTPException) as error:
                print(f"  {number}: {error!r}", flush=True)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _headers(number: int) -> dict[str, str]:
    address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    return {"X-Forwarded-For": address, "Content-Type": "application/x-www-form-urlencoded"}


def _token(port: int, number: int, run: Run, real: bool, tokens: dict[int, str]) -> str | None:
    """The signed token of the form page (the real one or the trivial one)."""
    path = "/eingaben/neu/" if real else "/bench/trivial-form/"
    status, _, page = _request(port, "GET", path, None, _headers(number))
    token = TOKEN.search(page.decode())
    if status != 200 or token is None:
        with run.lock:
            run.errors.append(f"{number}: form page {status}")
        return None
    tokens[number] = token.group(1)
    return token.group(1)


def _one(port: int, number: int, run: Run, *, real: bool, token: str | None) -> None:
    """One citizen: the form page (unless its token is given) and the POST."""
    started = time.perf_counter()
    try:
        if token is None:
            token = _token(port, number, run, real, {})
            if token is None:
                return
        title = f"Lastprobe {number:06d}"
        body = urllib.parse.urlencode(
            {
                "issued": token,
                "title": title,
                "text": "Eine App mit der Belegung der Parkhäuser wäre hilfreich.",
                "name": "Erika Musterfrau",
                "email": f"last-{number:06d}@example.org",
                "consent": "on",
                "website": "",
            }
        ).encode()
        path = "/eingaben/neu/" if real else "/bench/trivial-post/"
        posted = time.perf_counter()
        status, answer_headers, _answer = _request(port, "POST", path, body, _headers(number))
    except (OSError, http.client.HTTPException) as error:
        with run.lock:
            run.errors.append(f"{number}: {error!r}")
        return
    done = time.perf_counter()
    with run.lock:
        run.latencies.append(done - started)
        run.posts.append(done - posted)
        if status != 302:
            run.errors.append(f"{number}: POST {status}")
        elif real:
            run.acknowledged[title] = answer_headers.get("Location", "")


def _check(environment: dict[str, str], *runs: Run) -> dict[str, Any]:
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
    acknowledged = {title: place for run in runs for title, place in run.acknowledged.items()}
    for title, location in acknowledged.items():
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
        "acknowledged": len(acknowledged),
        "stored": sum(stored["titles"].values()),
        "mails": sum(stored["mails"].values()),
        "problems": problems[:10],
    }


def _report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "## Submissions under load",
        "",
        f"`.venv/bin/python benchmarks/load_bench.py --submissions {args.submissions} "
        f"--concurrency {args.concurrency} --workers {args.workers} --seconds {args.seconds:g} "
        f"--databases {' '.join(args.databases)}`: gunicorn with {args.workers} workers and the "
        f"load generator ({args.concurrency} threads) share the machine; times from the client. "
        "A visit is what a citizen does: GET of the form page, POST of the form (timed "
        "together); the floor is the same two requests to views that do nothing (a form page "
        "with the same signed token, a POST of the same body answered with a redirect; "
        "benchmarks/urls.py). POST alone: the same, with the form pages fetched beforehand, off "
        f"the clock. {args.submissions} of each per row. Goal: the form's throughput at least "
        f"{GOAL_SHARE:g} of the floor's on the same server.",
        "",
        "| database | measured | floor per second | form per second | share of the floor "
        "| floor p50 / p95 / p99 (ms) | form p50 / p95 / p99 (ms) | errors (floor / form) |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def times(summary: dict[str, Any]) -> str:
        return f"{summary['p50_ms']:.1f} / {summary['p95_ms']:.1f} / {summary['p99_ms']:.1f}"

    verdicts = []
    for database, result in results.items():
        for label, key in (("visit: GET + POST", "visit"), ("POST alone", "post")):
            floor, form = result[f"trivial {key}"], result[f"form {key}"]
            share = form["per_second"] / floor["per_second"] if floor["per_second"] else 0.0
            verdict = "met" if share >= GOAL_SHARE else "missed"
            verdicts.append(f"{database}, {label}: {share:.2f}, {verdict}")
            lines.append(
                f"| {database} | {label} | {floor['per_second']:.0f} | {form['per_second']:.0f} "
                f"| {share:.2f} | {times(floor)} | {times(form)} | "
                f"{floor['errors']} / {form['errors']} |"
            )
    lines += ["", "| database | acknowledged → stored once, mail queued once |", "|---|---|"]
    for database, result in results.items():
        check = result["check"]
        lines.append(
            f"| {database} | {check['acknowledged']} → {check['stored']} stored, "
            f"{check['mails']} mails; {'OK' if not check['problems'] else check['problems']} |"
        )
    lines += ["", "Goal (share ≥ " + f"{GOAL_SHARE:g}):", ""]
    lines += [f"- {verdict}" for verdict in verdicts]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
