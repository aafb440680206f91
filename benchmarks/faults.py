"""Faults without loss: kill -9 of app and task workers during writes, the database
restarted under load, the mail server down for a while, a full disk.

    .venv/bin/python benchmarks/faults.py [--submissions 120] [--only kill database mail disk]
                                          [--simulate-disk-full] [--no-report]

Runs the production shape on this machine: a throwaway PostgreSQL cluster, gunicorn with two
workers, one `db_worker --queue-name '*'` restarted after every exit (as systemd's
Restart=always does) and a local SMTP sink that records every message. Submissions go through
the public form over HTTP as a browser sends them: GET for the signed token, a pause as long
as a person needs (BEIRAT_FORM_MIN_SECONDS), POST; every attempt comes from its own address
behind the trusted proxy header (BEIRAT_TRUSTED_PROXY_COUNT=1), as many citizens do, because the
limit of 10 submissions per client and hour is a constant, not a setting. The SMTP sink takes
0.1 s per message, as a real mail server takes a moment, so that a kill can land mid-delivery.

Each fault prints what it did and PASS or FAIL; the script exits 1 if any fault failed, stops
every process it started, and writes the summary to docs/benchmarks.md (unless --no-report).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import functools
import io
import os
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fault_rig import (  # noqa: E402  (after the path is set)
    Attempt,
    Exchange,
    FormClient,
    Gunicorn,
    Load,
    Postgres,
    SmtpSink,
    SupervisedWorker,
    Upload,
    pdf_of_size,
    wait_for,
)

FAULTS = {
    "kill": "kill -9",
    "database": "database restart",
    "mail": "mail server down",
    "disk": "disk full",
}
if TYPE_CHECKING:
    from beirat.core.models import OutboxMail

TIME_LIMIT_SECONDS = 330  # a stuck fault must not hold `make bench`: everything is torn down
NOT_STORED = "Ihre Anhänge konnten gerade nicht gespeichert werden"


@dataclass
class Outcome:
    fault: str
    done: str
    numbers: list[tuple[str, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    short: str = ""  # the line in the summary table

    @property
    def passed(self) -> bool:
        return not self.problems

    def note(self, name: str, value: object) -> None:
        self.numbers.append((name, value))
        print(f"    {name}: {value}")

    def require(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)
            print(f"    PROBLEM: {problem}")


class Rig:
    """Everything the faults need, started in order and stopped in reverse, whatever happens."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="beirat-faults."))
        stack.callback(self._remove_directory)
        self.directory.chmod(0o755)  # the cluster below runs as `postgres`
        self.media = self.directory / "var" / "media"
        self.media.mkdir(parents=True)
        self.postgres = Postgres(self.directory / "pg")
        stack.callback(self.postgres.stop)
        self.postgres.start()
        self.sink = SmtpSink()
        stack.callback(self.sink.close)
        self.sink.start()
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "beirat.settings",
                "DATABASE_URL": self.postgres.url,
                "BEIRAT_VAR_DIR": str(self.directory / "var"),
                "BEIRAT_SEARCH_DIR": str(self.directory / "search"),
                "BEIRAT_ERASURE_LEDGER": str(self.directory / "erasure-ledger.jsonl"),
                "BEIRAT_SECRET_KEY": secrets.token_urlsafe(64),
                "BEIRAT_PRODUCTION": "false",
                "BEIRAT_DEBUG": "false",  # the city's error pages, never Django's debug page
                "BEIRAT_MAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "BEIRAT_SMTP_HOST": "127.0.0.1",
                "BEIRAT_SMTP_PORT": str(self.sink.port),
                "BEIRAT_TRUSTED_PROXY_COUNT": "1",
                "BEIRAT_LOG_LEVEL": "WARNING",
            }
        )
        import django
        from django.core.management import call_command

        django.setup()
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        print(
            f"  PostgreSQL on port {self.postgres.port}, migrated in "
            f"{time.monotonic() - started:.0f} s; SMTP sink on port {self.sink.port}"
        )
        self.gunicorn = Gunicorn(self.directory, workers=2)
        stack.callback(self.gunicorn.stop)
        self.gunicorn.start()
        self.worker = SupervisedWorker(self.directory)
        stack.callback(self.worker.stop)
        self.worker.start()
        self.mounted: Path | None = None
        self.stuck_tasks = 0  # RUNNING tasks of dead workers, counted by earlier faults
        self.abandoned = 0  # messages abandoned at the sink, counted by earlier faults
        stack.callback(self.unmount)
        print(
            f"  gunicorn (master {self.gunicorn.master_pid}, workers "
            f"{self.gunicorn.worker_pids()}) on port {self.gunicorn.port}; db_worker started"
        )

    def client(self, network: int) -> FormClient:
        return FormClient(self.gunicorn.port, network=network)

    def unmount(self) -> None:
        if self.mounted is not None:
            subprocess.run(["umount", "--lazy", str(self.mounted)], check=False)
            self.mounted = None

    def _remove_directory(self) -> None:
        subprocess.run(["rm", "-rf", str(self.directory)], check=False)

    def keep_logs(self) -> str:
        """Copy the processes' logs to var/bench/faults/ (the directory goes) and say where."""
        kept = ROOT / "var" / "bench" / "faults"
        kept.mkdir(parents=True, exist_ok=True)
        for name in ("gunicorn.log", "worker.log"):
            (kept / name).write_bytes((self.directory / name).read_bytes())
        (kept / "postgres.log").write_bytes((self.postgres.directory / "server.log").read_bytes())
        return f"Logs of this run: {kept}/"


# What the database and the mail sink hold ------------------------------------------------------


def fresh_connection() -> None:
    """The check's own connection may predate a database restart."""
    from django.db import connections

    connections.close_all()


def stored(marker: str) -> dict[str, list[str]]:
    """Tracking codes of the stored submissions, by title."""
    from beirat.submissions.models import Submission

    fresh_connection()
    found: dict[str, list[str]] = collections.defaultdict(list)
    rows = Submission.objects.filter(title__startswith=marker).values_list("title", "tracking_code")
    for title, code in rows:
        found[title].append(code)
    return found


def outbox_of(marker: str) -> list[OutboxMail]:
    from beirat.core.models import OutboxMail

    fresh_connection()
    return [m for m in OutboxMail.objects.all() if m.recipient_list[0].startswith(marker)]


def check_stored(outcome: Outcome, attempts: list[Attempt], marker: str) -> dict[str, list[str]]:
    """Accepted: stored exactly once, under the code the redirect named. No answer or a server
    error: stored at most once. Refused by the form: not stored."""
    found = stored(marker)
    for attempt in attempts:
        codes = found.get(attempt.title, [])
        if attempt.accepted:
            outcome.require(codes == [attempt.code], f"{attempt.title}: accepted, stored {codes}")
        elif attempt.post is not None and (attempt.unanswered or attempt.post.status >= 500):
            outcome.require(len(codes) <= 1, f"{attempt.title}: stored {len(codes)} times")
        else:
            outcome.require(not codes, f"{attempt.title}: refused, yet stored")
    twice = sum(len(codes) > 1 for codes in found.values())
    outcome.note("stored submissions / stored twice", f"{len(found)} / {twice}")
    return found


def settle_mail(outcome: Outcome, rig: Rig, marker: str) -> None:
    """Let the worker finish, then do what the deployment's timer does (send_queued_mail) for
    mail whose task died with a process. A mail claimed by a killed worker stays leased for five
    minutes (beirat.core.mail.LEASE); the check moves the end of such a lease to now instead of
    waiting, and says so."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from beirat.core.models import OutboxMail

    def worker_busy() -> bool:
        fresh_connection()
        ready = DBTaskResult.objects.ready().exists()
        running = DBTaskResult.objects.running().filter(worker_ids__contains=[rig.worker.worker_id])
        return ready or running.exists()

    wait_for(lambda: not worker_busy(), timeout=60, step=0.5)
    now = timezone.now()
    queued = [m for m in outbox_of(marker) if m.status == OutboxMail.Status.QUEUED]
    stranded = [m.pk for m in queued if m.next_attempt_at and m.next_attempt_at <= now]
    leased = [m.pk for m in queued if m.next_attempt_at and m.next_attempt_at > now]
    stuck = DBTaskResult.objects.running().exclude(worker_ids__contains=[rig.worker.worker_id])
    left = stuck.count() - rig.stuck_tasks
    rig.stuck_tasks += left
    outcome.note("tasks left RUNNING by killed or crashed workers (never run again)", left)
    outcome.note("mails stranded without a live task, sent by the timer", len(stranded))
    if stranded:
        send_queued_mail()
    outcome.note("mails leased by a killed worker, sent after the lease ran out", len(leased))
    if leased:
        OutboxMail.objects.filter(pk__in=leased).update(next_attempt_at=timezone.now())
        send_queued_mail()


def send_queued_mail() -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "send_queued_mail"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def check_mail(
    outcome: Outcome, rig: Rig, attempts: list[Attempt], found: dict[str, list[str]]
) -> None:
    """Every stored submission's confirmation arrived at the sink exactly once, under its code;
    nothing arrived for an attempt that was not stored.

    One exception, counted apart: SMTP cannot be exactly-once across a crash (RFC 1047). A
    worker killed after it handed a message over (end of DATA) and before the outbox row says
    "sent" leaves the mail leased, and it goes out again when the lease ends; whether the mail
    server had kept the first copy, the worker cannot know. A second copy passes only if a kill
    -9 of the db_worker fell within half a second of the first copy's acceptance.
    """
    wait_for(lambda: all(rig.sink.to(a.email) for a in attempts if a.title in found), timeout=10)
    delivered = twice = 0
    for attempt in attempts:
        received = rig.sink.to(attempt.email)
        codes = found.get(attempt.title, [])
        delivered += bool(received)
        if len(received) == 2 and any(
            abs(killed - received[0].at) <= 0.5 for killed in rig.worker.kill_times
        ):
            twice += 1
            received = received[:1]
        if len(received) > 1:
            kills = [round(killed - received[0].at, 3) for killed in rig.worker.kill_times]
            gaps = [round(mail.at - received[0].at, 3) for mail in received]
            print(f"    {attempt.email}: copies at +{gaps} s, db_worker kills at {kills} s")
        if codes:
            subjects = [mail.subject for mail in received]
            outcome.require(
                subjects == [f"Ihre Eingabe {codes[0]}"],
                f"{attempt.email}: {len(received)} mails for a stored submission ({subjects})",
            )
        else:
            outcome.require(not received, f"{attempt.email}: mail for a submission not stored")
    outcome.note("confirmation mails at the sink", delivered)
    outcome.note("sent twice: a kill fell between hand-over and the outbox record", twice)
    outcome.note(
        "messages abandoned at the sink by a killed sender", rig.sink.abandoned - rig.abandoned
    )
    rig.abandoned = rig.sink.abandoned


def count_posts(outcome: Outcome, attempts: list[Attempt]) -> None:
    statuses = collections.Counter(a.post.status for a in attempts if a.post is not None)
    outcome.note("forms (GET) without an answer", sum(a.form_unanswered for a in attempts))
    outcome.note(
        "POSTs: accepted (302) / no answer / other",
        f"{statuses[302]} / {statuses[0]} / "
        + (", ".join(f"{k}×{v}" for k, v in sorted(statuses.items()) if k not in (0, 302)) or "0"),
    )


def attempts_for(marker: str, count: int, offset: int = 0) -> list[Attempt]:
    return [
        Attempt(n, f"{marker} Nr. {n}", f"{marker}-{n}@example.org")
        for n in range(offset, offset + count)
    ]


# 1. kill -9 ----------------------------------------------------------------------------------


def kill_processes(rig: Rig, count: int) -> Outcome:
    outcome = Outcome(
        "kill -9 during writes",
        f"{count} submissions with e-mail through the form (3 clients); kill -9 of a gunicorn "
        "worker at 20 % and 55 % of the POSTs; of the db_worker at 35 % while it hands a mail to "
        "the mail server and at 75 % at a random moment (restarted after 1 s each)",
    )
    marker = f"K{secrets.token_hex(3)}"
    attempts = attempts_for(marker, count)
    load = Load(rig.client(network=1), attempts, clients=3)
    threads = load.start()

    def kill_worker_mid_delivery() -> str:
        outcome.require(rig.sink.busy.wait(timeout=20), "the worker delivered nothing")
        return rig.worker.kill()

    schedule: list[tuple[float, str, Callable[[], object]]] = [
        (0.20, "gunicorn worker", rig.gunicorn.kill_worker),
        (0.35, "db_worker (mid-delivery)", kill_worker_mid_delivery),
        (0.55, "gunicorn worker", rig.gunicorn.kill_worker),
        (0.75, "db_worker", rig.worker.kill),
    ]
    started = time.monotonic()
    for share, what, kill in schedule:
        wait_for(functools.partial(load.reached, share), timeout=120, step=0.02)
        if what.startswith("db_worker"):  # the previous one must have been restarted first
            wait_for(
                lambda: rig.worker.process is not None and rig.worker.process.poll() is None,
                timeout=10,
            )
        else:
            wait_for(lambda: len(rig.gunicorn.worker_pids()) == 2, timeout=10)
        victim = kill()
        print(
            f"    {time.monotonic() - started:5.1f} s: kill -9 {what} {victim} "
            f"after {load.posted} POSTs"
        )
    for thread in threads:
        thread.join(timeout=120)
    outcome.require(all(not t.is_alive() for t in threads), "the load did not finish in time")
    outcome.note("load duration (s)", f"{time.monotonic() - started:.1f}")
    count_posts(outcome, attempts)
    outcome.require(
        all(a.accepted or a.unanswered or a.form_unanswered for a in attempts),
        "a request failed otherwise than by its killed worker: "
        + ", ".join(
            f"{a.title}: {a.post.status if a.post else a.form.status if a.form else '-'}"
            for a in attempts
            if not (a.accepted or a.unanswered or a.form_unanswered)
        )[:300],
    )
    outcome.require(
        wait_for(lambda: len(rig.gunicorn.worker_pids()) == 2, timeout=10),
        "gunicorn did not replace its killed workers",
    )
    found = check_stored(outcome, attempts, marker)
    settle_mail(outcome, rig, marker)
    check_mail(outcome, rig, attempts, found)
    n = dict(outcome.numbers)
    outcome.short = (
        f"POSTs accepted / no answer / other: {n['POSTs: accepted (302) / no answer / other']}; "
        f"stored / twice: {n['stored submissions / stored twice']}; mails at the sink: "
        f"{n['confirmation mails at the sink']} (after a killed worker's lease: "
        f"{n['mails leased by a killed worker, sent after the lease ran out']}, by the timer: "
        f"{n['mails stranded without a live task, sent by the timer']})"
    )
    return outcome


# 2. The database restarted -------------------------------------------------------------------


def restart_database(rig: Rig, count: int) -> Outcome:
    outcome = Outcome(
        "database restarted",
        "pg_ctl restart -m fast twice, without touching gunicorn: once while idle (every worker "
        f"holds a persistent connection), once under a load of {count} submissions at 30 % of "
        "the POSTs, while the db_worker hands a mail to the mail server",
    )
    client = rig.client(network=2)
    pids = (rig.gunicorn.master_pid, sorted(rig.gunicorn.worker_pids()))
    crashes = len(rig.worker.crashed())
    waits = rig.worker.log.read_text().count("waiting for the database to record it")

    # Quiet: every gunicorn worker has a persistent connection (CONN_MAX_AGE) when it is cut.
    parallel_gets(client, 16)
    began = time.monotonic()
    rig.postgres.restart()
    print(f"    idle restart took {time.monotonic() - began:.1f} s")
    after = parallel_gets(client, 16)
    bad = [e.status for e in after if e.status != 200]
    outcome.note("first 16 requests after the idle restart: not 200", len(bad))
    outcome.require(not bad, f"after the idle restart the app answered {bad}")

    # Under load.
    marker = f"D{secrets.token_hex(3)}"
    attempts = attempts_for(marker, count)
    load = Load(client, attempts, clients=3)
    threads = load.start()
    wait_for(functools.partial(load.reached, 0.3), timeout=120, step=0.02)
    outcome.require(rig.sink.busy.wait(timeout=20), "no mail was being delivered")
    window_start = time.monotonic()
    rig.postgres.restart()
    window_end = time.monotonic()
    print(f"    restart under load: outage window {window_end - window_start:.1f} s")
    for thread in threads:
        thread.join(timeout=120)
    exchanges = [e for a in attempts for e in (a.form, a.post) if e is not None]

    def overlaps(exchange: Exchange) -> bool:
        return exchange.started <= window_end and exchange.ended >= window_start

    inside = [e for e in exchanges if overlaps(e)]
    outside = [e for e in exchanges if not overlaps(e)]
    failed_inside = [e for e in inside if e.status not in (200, 302)]
    outcome.note("outage window (s)", f"{window_end - window_start:.1f}")
    outcome.note(
        "requests overlapping the window: all / failed / city's error page",
        f"{len(inside)} / {len(failed_inside)} / {sum(e.city_error_page for e in failed_inside)}",
    )
    outcome.require(
        all(e.status >= 500 and e.city_error_page for e in failed_inside),
        "a request in the window failed without the city's error page: "
        + str([(e.status, e.error or e.body[:80]) for e in failed_inside if not e.city_error_page]),
    )
    bad_outside = [e.status for e in outside if e.status not in (200, 302)]
    outcome.note(
        "requests outside the window: all / failed", f"{len(outside)} / {len(bad_outside)}"
    )
    outcome.require(not bad_outside, f"requests outside the outage failed: {bad_outside}")
    count_posts(outcome, attempts)
    still = (rig.gunicorn.master_pid, sorted(rig.gunicorn.worker_pids()))
    outcome.require(still == pids, f"gunicorn processes changed: {pids} → {still}")
    outcome.note("gunicorn master and workers unchanged", still == pids)
    outcome.note(
        "db_worker exits of its own (restarted by the supervisor)",
        len(rig.worker.crashed()) - crashes,
    )
    outcome.note(
        "mails sent during the outage, recorded once the database was back",
        rig.worker.log.read_text().count("waiting for the database to record it") - waits,
    )
    found = check_stored(outcome, attempts, marker)
    settle_mail(outcome, rig, marker)
    check_mail(outcome, rig, attempts, found)
    n = dict(outcome.numbers)
    outcome.short = (
        f"idle restart: {n['first 16 requests after the idle restart: not 200']} of 16 requests "
        f"failed after it; under load: outage {n['outage window (s)']} s, failed in it "
        f"{len(failed_inside)} of {len(inside)} (all the city's error page), outside it "
        f"{len(bad_outside)} of {len(outside)}; gunicorn untouched; stored "
        f"{len(found)}, mails at the sink {n['confirmation mails at the sink']}"
    )
    return outcome


def parallel_gets(client: FormClient, count: int) -> list[Exchange]:
    results: list[Exchange] = []
    threads = [
        threading.Thread(target=lambda: results.append(client.request("GET", "/eingaben/neu/")))
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# 3. The mail server down ---------------------------------------------------------------------


def mail_server_down(rig: Rig, count: int) -> Outcome:
    from django.core.management import call_command
    from django.utils import timezone

    from beirat.core.models import OutboxMail

    outcome = Outcome(
        "mail server down",
        f"SMTP sink stopped, {count} submissions, every first delivery attempt refused; sink back "
        "after 10 s; the worker's own retry and send_queued_mail (the timer) race for the mail",
    )
    marker = f"M{secrets.token_hex(3)}"
    attempts = attempts_for(marker, count)
    rig.sink.stop()
    try:
        threads = Load(rig.client(network=3), attempts, clients=2).start()
        for thread in threads:
            thread.join(timeout=60)
        outcome.require(all(a.accepted for a in attempts), "a submission was not accepted")
        tried = wait_for(
            lambda: [m.attempts for m in outbox_of(marker)] == [1] * count, timeout=30, step=0.5
        )
        mails = outbox_of(marker)
        outcome.require(tried, f"attempts while down: {[m.attempts for m in mails]}")
        refused = sum("refused" in m.last_error.lower() for m in mails)
        outcome.note("mails tried while down / refused", f"{len(mails)} / {refused}")
        outcome.note("messages at the sink while down", len(rig.sink.to_prefix(marker)))
        time.sleep(10)
    finally:
        rig.sink.start()
    due = min(m.next_attempt_at or timezone.now() for m in outbox_of(marker))
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()))
    output = io.StringIO()  # the timer, in this process, racing the worker's retries (due now)
    call_command("send_queued_mail", stdout=output)
    print(f"    send_queued_mail when the retries fell due: {output.getvalue().strip()}")
    by_timer = int(output.getvalue().split(", ")[1].split()[0])
    outcome.note("delivered by the timer / by the worker", f"{by_timer} / {count - by_timer}")
    outcome.require(
        wait_for(
            lambda: all(m.status == OutboxMail.Status.SENT for m in outbox_of(marker)),
            timeout=60,
            step=0.5,
        ),
        "not every mail was sent after the mail server came back",
    )
    outcome.note("retry delay after the first failure (s, a constant)", retry_seconds())
    outcome.note("delivery attempts per mail", sorted({m.attempts for m in outbox_of(marker)}))
    check_mail(outcome, rig, attempts, stored(marker))
    n = dict(outcome.numbers)
    outcome.short = (
        f"first attempts refused: {n['mails tried while down / refused']}; after the mail server "
        f"was back: {n['confirmation mails at the sink']} mails (timer / worker: "
        f"{n['delivered by the timer / by the worker']})"
    )
    return outcome


def retry_seconds() -> int:
    from beirat.core.background import retry_delay

    return int(retry_delay(1).total_seconds())


# 4. A full disk ------------------------------------------------------------------------------


class TinyDisk:
    """MEDIA_ROOT on a 1 MiB tmpfs. Without the right to mount (not root), a simulation: gunicorn's
    processes get a file size limit (RLIMIT_FSIZE) below one attachment, so the write fails with
    EFBIG as it fails with ENOSPC on a full disk; freeing space lifts the limit again."""

    SIZE = 1024 * 1024
    FILLER = 400 * 1024

    def __init__(self, rig: Rig, *, simulate: bool) -> None:
        self.rig = rig
        self.simulated = simulate
        if not simulate:
            mounted = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={self.SIZE}", "tmpfs", str(rig.media)],
                capture_output=True,
                text=True,
                check=False,
            )
            self.simulated = mounted.returncode != 0
            if self.simulated:
                print(f"    cannot mount a tmpfs ({mounted.stderr.strip()}): simulating")
            else:
                rig.mounted = rig.media
        if self.simulated:
            self._limit(100 * 1024)
        else:  # the disk is shared with other data; that data is what gets deleted later
            (rig.media / "andere-daten.bin").write_bytes(os.urandom(self.FILLER))

    def _limit(self, soft: int) -> None:
        for pid in [self.rig.gunicorn.master_pid, *self.rig.gunicorn.worker_pids()]:
            hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)[1]
            if hard != resource.RLIM_INFINITY and soft != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard))

    def free(self) -> None:
        if self.simulated:
            self._limit(resource.RLIM_INFINITY)
        else:
            (self.rig.media / "andere-daten.bin").unlink()


def disk_full(rig: Rig, *, simulate: bool) -> Outcome:
    pdf = pdf_of_size(150 * 1000)
    disk = TinyDisk(rig, simulate=simulate)
    how = "RLIMIT_FSIZE of 100 KiB (simulation)" if disk.simulated else "a 1 MiB tmpfs"
    outcome = Outcome(
        "disk full",
        f"MEDIA_ROOT on {how}, 400 KiB of it taken by other data; submissions with a "
        f"{len(pdf) // 1000} kB PDF until one fails, then the other data deleted, two more",
    )
    marker = f"F{secrets.token_hex(3)}"
    client = rig.client(network=4)
    master = rig.gunicorn.master_pid
    attempts = attempts_for(marker, 12)
    tried: list[Attempt] = []
    for attempt in attempts[:10]:
        client.submit(attempt, [Upload("plan.pdf", pdf)])
        tried.append(attempt)
        if not attempt.accepted:
            break
    refused = tried[-1]
    outcome.note("accepted before the disk was full", sum(a.accepted for a in tried))
    assert refused.post is not None
    outcome.note("answer to the upload that did not fit", refused.post.status)
    outcome.require(not refused.accepted, "the disk never filled up")
    outcome.require(
        NOT_STORED in refused.post.body and "Traceback" not in refused.post.body,
        f"no clear German message: {refused.post.status} {refused.post.body[:200]!r}",
    )
    outcome.require(
        f'value="{refused.title}"' in refused.post.body, "the form lost what the user typed"
    )
    check_files(outcome, rig, tried, marker)

    disk.free()
    again = attempts[10:12]
    for attempt in again:
        client.submit(attempt, [Upload("plan.pdf", pdf)])
    outcome.note("after freeing space: accepted of 2", sum(a.accepted for a in again))
    outcome.require(all(a.accepted for a in again), "uploads still fail after freeing space")
    outcome.require(rig.gunicorn.master_pid == master, "gunicorn was restarted")
    check_files(outcome, rig, tried + again, marker)
    rig.unmount()
    outcome.short = (
        f"{sum(a.accepted for a in tried)} uploads stored, the next answered "
        f"{refused.post.status} with the German message; nothing half-stored, no orphan file; "
        f"after freeing space {sum(a.accepted for a in again)} of 2 stored, no restart"
    )
    return outcome


def check_files(outcome: Outcome, rig: Rig, attempts: list[Attempt], marker: str) -> None:
    """Nothing half-stored: each stored submission has its one attachment, whose file is there
    whole; no file lies in the store without its row (a partial write included)."""
    from beirat.submissions.models import Attachment

    found = check_stored(outcome, attempts, marker)
    rows = list(Attachment.objects.filter(submission__title__startswith=marker))
    by_title = collections.Counter(row.submission.title for row in rows)
    outcome.require(
        all(by_title[title] == 1 for title in found),
        f"submissions without exactly one attachment: {dict(by_title)}",
    )
    for row in rows:
        path = rig.media / row.file.name
        size = path.stat().st_size if path.exists() else -1
        outcome.require(
            size == row.size, f"{row.file.name}: {size} bytes on disk, {row.size} in row"
        )
    on_disk = {
        str(path.relative_to(rig.media))
        for path in (rig.media / "submissions").rglob("*")
        if path.is_file()
    }
    orphans = on_disk - {row.file.name for row in rows}
    outcome.note("files in the store / without a row", f"{len(on_disk)} / {len(orphans)}")
    outcome.require(not orphans, f"files without a row: {sorted(orphans)}")


# Running and reporting -----------------------------------------------------------------------


def run(fault: Callable[[], Outcome], title: str) -> Outcome:
    print(f"\n== {title}")
    started = time.monotonic()
    try:
        outcome = fault()
    except Exception as error:  # a fault that breaks the check itself is a failure, not a crash
        outcome = Outcome(title, "(aborted)", problems=[f"{type(error).__name__}: {error}"])
        print(f"    PROBLEM: {outcome.problems[0]}")
    outcome.seconds = time.monotonic() - started
    print(f"  {'PASS' if outcome.passed else 'FAIL'}: {title} ({outcome.seconds:.0f} s)")
    return outcome


def summary(outcomes: list[Outcome]) -> str:
    lines = ["| fault | result | in short | s |", "|---|---|---|---|"]
    for outcome in outcomes:
        result = "PASS" if outcome.passed else "**FAIL**"
        lines.append(f"| {outcome.fault} | {result} | {outcome.short} | {outcome.seconds:.0f} |")
    return "\n".join(lines)


def details(outcomes: list[Outcome]) -> str:
    lines = []
    for outcome in outcomes:
        numbers = "; ".join(f"{name}: {value}" for name, value in outcome.numbers)
        problems = " Problems: " + "; ".join(outcome.problems)[:600] if outcome.problems else ""
        lines.append(f"- **{outcome.fault}**: {outcome.done}. {numbers}.{problems}")
    return "\n".join(lines)


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"time limit of {seconds} s reached")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=120, help="for the kill -9 fault")
    parser.add_argument("--no-report", action="store_true", help="leave docs/benchmarks.md")
    parser.add_argument(
        "--simulate-disk-full", action="store_true", help="RLIMIT_FSIZE instead of a tmpfs"
    )
    parser.add_argument(
        "--only", nargs="+", choices=FAULTS, default=list(FAULTS), help="run only these faults"
    )
    args = parser.parse_args()
    if args.only != list(FAULTS):
        args.no_report = True  # the documented table is always the whole run
    started = time.monotonic()
    outcomes: list[Outcome] = []
    print("Setting up: PostgreSQL, SMTP sink, gunicorn (2 workers), db_worker")
    with time_limit(TIME_LIMIT_SECONDS), contextlib.ExitStack() as stack:
        rig = Rig(stack)
        faults: dict[str, Callable[[], Outcome]] = {
            "kill": lambda: kill_processes(rig, args.submissions),
            "database": lambda: restart_database(rig, 60),
            "mail": lambda: mail_server_down(rig, 10),
            "disk": lambda: disk_full(rig, simulate=args.simulate_disk_full),
        }
        try:
            for name in args.only:
                outcomes.append(run(faults[name], FAULTS[name]))
        finally:
            if not all(outcome.passed for outcome in outcomes):
                print(rig.keep_logs())
    seconds = time.monotonic() - started
    table = summary(outcomes)
    print(f"\n{table}\n\nRuntime {seconds:.0f} s.")
    if not args.no_report:
        write_report(args, f"{table}\n\n{details(outcomes)}", seconds)
    failed = [outcome.fault for outcome in outcomes if not outcome.passed]
    print("FAILED: " + ", ".join(failed) if failed else "All faults passed.")
    sys.exit(1 if failed else 0)


def write_report(args: argparse.Namespace, table: str, seconds: float) -> None:
    from benchmarks.report import write_section

    marker = "## Faults"
    command = f".venv/bin/python benchmarks/faults.py --submissions {args.submissions}"
    if args.simulate_disk_full:
        command += " --simulate-disk-full"
    section = (
        f"{marker}\n\nCommand: `make bench` (`{command}`), {datetime.date.today():%Y-%m-%d}, "
        f"2 cores, {seconds:.0f} s. A throwaway PostgreSQL cluster, gunicorn with 2 sync "
        "workers, one db_worker restarted 1 s after every exit (systemd's Restart=always), a "
        "local SMTP sink recording every message; submissions through the public form over "
        "HTTP. Mail is counted at the sink, not in the outbox.\n\n"
        "PASS means: every submission whose POST was answered with the redirect is stored "
        "exactly once under the code it named, one whose request got no answer or a 5xx at most "
        "once; every stored submission's confirmation reached the sink exactly once (a second "
        "copy only where a kill -9 fell between handing the message over and recording it, the "
        "window SMTP cannot close), none for anything not stored; 5xx only while the database "
        "was down, and then the city's error page; a full disk answered with a German message, "
        "no row without its file, no file without its row, uploads working again without a "
        "restart.\n\n"
        f"{table}\n"
    )
    write_section(marker, section)


if __name__ == "__main__":
    main()
