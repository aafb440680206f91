"""The processes benchmarks/faults.py breaks: a throwaway PostgreSQL cluster, gunicorn, the task
worker under a supervisor, a local SMTP sink, and a client that uses the public form as a
browser does. Everything lives under one temporary directory and on free local ports."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], *, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def stop_process(process: subprocess.Popen[bytes], *, grace: float = 10) -> None:
    """SIGTERM to the process group, SIGKILL after ``grace`` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


# PostgreSQL ------------------------------------------------------------------------------------


class Postgres:
    """A cluster in ``directory``, as scripts/run-tests starts one (as `postgres` when root)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.bin = self._find_bin()
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @staticmethod
    def _find_bin() -> Path:
        found = shutil.which("initdb")
        if found:
            return Path(found).resolve().parent
        for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (candidate / "initdb").exists():
                return candidate
        raise RuntimeError("No PostgreSQL server binaries: apt-get install postgresql")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/beirat"

    def _ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        command = [*self.as_pg, str(self.bin / "pg_ctl"), "-D", str(self.directory / "data")]
        command += ["-l", str(self.directory / "server.log"), "-w", "-t", "60", *args]
        if args[0] in ("start", "restart"):
            command += ["-o", options]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        self.directory.mkdir(parents=True)
        if self.as_pg:
            shutil.chown(self.directory, "postgres")
        initdb = [*self.as_pg, str(self.bin / "initdb"), "-D", str(self.directory / "data")]
        initdb += ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        subprocess.run(initdb, check=True, stdout=subprocess.DEVNULL)
        self._ctl("start")
        createdb = [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port)]
        subprocess.run([*createdb, "-U", "postgres", "beirat"], check=True)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every open connection is cut, the server comes back."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.directory / "data" / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate")


# gunicorn and the task worker ------------------------------------------------------------------


class Gunicorn:
    def __init__(self, directory: Path, *, workers: int) -> None:
        self.port = free_port()
        self.workers = workers
        self.log = directory / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "beirat.wsgi", "--chdir", str(ROOT)]
        command += ["--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}"]
        command += ["--timeout", "30", "--graceful-timeout", "5"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        if not wait_for(lambda: len(self.worker_pids()) == self.workers, timeout=30):
            raise RuntimeError(f"gunicorn did not start, see {self.log}")

    @property
    def master_pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            return []

    def kill_worker(self) -> int:
        """kill -9 of one worker; the master notices and starts a new one."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


class SupervisedWorker:
    """`manage.py db_worker --queue-name '*'`, restarted after it exits, as systemd's
    Restart=always does. Each start has its own worker id, so tasks left behind by a killed
    worker can be told from those of the running one."""

    RESTART_SECONDS = 1.0

    def __init__(self, directory: Path) -> None:
        self.log = directory / "worker.log"
        self.starts = 0
        self.killed_ids: list[str] = []
        self.kill_times: list[float] = []  # time.monotonic() of each kill -9
        self.exits: list[tuple[str, int]] = []  # (worker id, return code) of every exit
        self.process: subprocess.Popen[bytes] | None = None
        self.worker_id = ""
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._supervise, daemon=True)

    def start(self) -> None:
        self._spawn()
        self._thread.start()

    def _spawn(self) -> None:
        self.starts += 1
        self.worker_id = f"faults-{self.starts}"
        command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*"]
        command += ["--interval", "1", "--no-reload", "--no-startup-delay"]
        command += ["--worker-id", self.worker_id]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                process = self.process
            assert process is not None
            code = process.wait()
            self.exits.append((self.worker_id, code))
            if self._stopping.wait(self.RESTART_SECONDS):
                return
            with self._lock:
                self._spawn()

    def kill(self) -> str:
        """kill -9 of the running worker; returns its id."""
        with self._lock:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError("the db_worker is not running")
            killed = self.worker_id
            self.killed_ids.append(killed)
            os.kill(self.process.pid, signal.SIGKILL)
            self.kill_times.append(time.monotonic())
        return killed

    def crashed(self) -> list[str]:
        """Workers that exited by themselves (not killed by us, not stopped at the end)."""
        return [wid for wid, code in self.exits if wid not in self.killed_ids and code != 0]

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            if self.process is not None:
                stop_process(self.process)
        self._thread.join(timeout=15)


# The SMTP sink ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    at: float  # time.monotonic() when the sink accepted it (its 250)
    recipients: tuple[str, ...]
    subject: str


class SmtpSink:
    """A mail server that accepts everything and records every message it accepts. Like a real
    one it takes a moment per message (``processing`` seconds between the end of DATA and its
    250); a message counts as accepted with that 250, and a client that is gone before it (a
    killed worker) has delivered nothing (RFC 5321: responsibility passes with the OK reply).
    ``stop`` closes the port, so connections are refused as by a mail server that is down."""

    def __init__(self, *, processing: float = 0.1) -> None:
        self.port = free_port()
        self.processing = processing
        self.received: list[ReceivedMail] = []
        self.abandoned = 0  # messages whose sender vanished before the 250
        self.busy = threading.Event()  # set while a message is between DATA and its 250
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        threading.Thread(target=self._loop.run_forever, daemon=True).start()

    def start(self) -> None:
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)

    def close(self) -> None:
        if self._loop.is_running():
            self.stop()
            self._loop.call_soon_threadsafe(self._loop.stop)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(
            self._session, "127.0.0.1", self.port, reuse_address=True
        )

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(text: str) -> None:
            writer.write(text.encode() + b"\r\n")

        recipients: list[str] = []
        reply("220 faults-sink ESMTP")
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    reply("250-faults-sink\r\n250 8BITMIME")
                elif verb == b"MAIL":
                    recipients = []
                    reply("250 OK")
                elif verb == b"RCPT":
                    found = re.search(rb"<([^>]*)>", line)
                    recipients.append(found.group(1).decode() if found else "")
                    reply("250 OK")
                elif verb == b"DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    data = await self._data(reader)
                    self.busy.set()
                    await asyncio.sleep(self.processing)
                    self.busy.clear()
                    if reader.at_eof():
                        self.abandoned += 1
                        break
                    self._record(data, recipients)
                    reply("250 OK: queued")
                elif verb == b"QUIT":
                    reply("221 Bye")
                    break
                else:  # HELO, RSET, NOOP
                    reply("250 OK")
                await writer.drain()
        finally:
            writer.close()

    @staticmethod
    async def _data(reader: asyncio.StreamReader) -> bytes:
        lines = []
        while (line := await reader.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _record(self, data: bytes, recipients: list[str]) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        mail = ReceivedMail(time.monotonic(), tuple(recipients), str(message["Subject"]))
        self.received.append(mail)

    def to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self.received if address in mail.recipients]

    def to_prefix(self, prefix: str) -> list[ReceivedMail]:
        return [m for m in self.received if any(r.startswith(prefix) for r in m.recipients)]


# The public form, used as a browser uses it ---------------------------------------------------

FORM = "/eingaben/neu/"
MIN_FORM_AGE = 3.2  # BEIRAT_FORM_MIN_SECONDS is 3 (a code default, not configurable by env)
ISSUED = re.compile(r'name="issued" value="([^"]+)"')
ERROR_PAGE = "Entschuldigung, hier ist etwas schiefgegangen."


@dataclass
class Exchange:
    """One HTTP request and what came back (status 0: no answer at all)."""

    started: float
    ended: float
    status: int
    body: str = ""
    location: str = ""
    error: str = ""

    @property
    def city_error_page(self) -> bool:
        return ERROR_PAGE in self.body and "Traceback" not in self.body


@dataclass
class Attempt:
    """One submission through the form: GET (token), wait like a person, POST."""

    number: int
    title: str
    email: str
    form: Exchange | None = None
    post: Exchange | None = None
    issued_at: float = 0.0
    token: str = ""

    @property
    def accepted(self) -> bool:
        return self.post is not None and self.post.status == 302

    @property
    def unanswered(self) -> bool:
        return self.post is not None and self.post.status == 0

    @property
    def form_unanswered(self) -> bool:
        return self.post is None and self.form is not None and self.form.status == 0

    @property
    def code(self) -> str:
        assert self.post is not None
        return self.post.location.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Upload:
    name: str
    content: bytes
    content_type: str = "application/pdf"


class FormClient:
    """Talks HTTP to gunicorn. Every attempt comes from its own address through the trusted
    proxy header (BEIRAT_TRUSTED_PROXY_COUNT=1): many citizens, not one robot."""

    def __init__(self, port: int, *, network: int) -> None:
        self.port = port
        self.network = network

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        timeout: float = 40,
    ) -> Exchange:
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            return Exchange(
                started,
                time.monotonic(),
                response.status,
                text,
                response.getheader("Location", ""),
            )
        except (OSError, http.client.HTTPException) as error:
            return Exchange(started, time.monotonic(), 0, error=f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    def fetch_form(self, attempt: Attempt) -> None:
        attempt.form = self.request("GET", FORM)
        found = ISSUED.search(attempt.form.body) if attempt.form.status == 200 else None
        attempt.token = found.group(1) if found else ""
        attempt.issued_at = time.monotonic()

    def send(self, attempt: Attempt, uploads: list[Upload] | None = None) -> None:
        """POST the form, no earlier than a person could have filled it."""
        time.sleep(max(0.0, attempt.issued_at + MIN_FORM_AGE - time.monotonic()))
        fields = {
            "issued": attempt.token,
            "title": attempt.title,
            "text": f"Text der Eingabe {attempt.title}: bitte prüfen.",
            "topic": "",
            "name": "Erika Musterfrau",
            "email": attempt.email,
            "consent": "on",
            "website": "",
        }
        body, content_type = multipart(fields, uploads or [])
        address = f"10.{self.network}.{attempt.number // 250}.{attempt.number % 250 + 1}"
        headers = {"Content-Type": content_type, "X-Forwarded-For": address}
        attempt.post = self.request("POST", FORM, body=body, headers=headers)

    def submit(self, attempt: Attempt, uploads: list[Upload] | None = None) -> None:
        self.fetch_form(attempt)
        if attempt.token:
            self.send(attempt, uploads)


def multipart(fields: dict[str, str], uploads: list[Upload]) -> tuple[bytes, str]:
    boundary = "faults-boundary-7d1c"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for upload in uploads:
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="attachments"; filename="{upload.name}"\r\n'
            f"Content-Type: {upload.content_type}\r\n\r\n"
        )
        parts.append(head.encode() + upload.content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@dataclass
class Load:
    """``count`` submissions from ``clients`` threads. Each thread keeps a few forms open at
    once (GET now, POST once the form is old enough), so the POSTs flow steadily."""

    client: FormClient
    attempts: list[Attempt]
    clients: int = 3
    open_forms: int = 8
    _next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    posted: int = 0

    def _take(self) -> Attempt | None:
        with self._lock:
            if self._next >= len(self.attempts):
                return None
            self._next += 1
            return self.attempts[self._next - 1]

    def _run(self) -> None:
        waiting: list[Attempt] = []
        while True:
            while len(waiting) < self.open_forms and (attempt := self._take()) is not None:
                self.client.fetch_form(attempt)
                if attempt.token:
                    waiting.append(attempt)
            if not waiting:
                return
            self.client.send(waiting.pop(0))
            with self._lock:
                self.posted += 1

    def reached(self, share: float) -> bool:
        """Whether ``share`` of the POSTs have been sent."""
        return self.posted >= share * len(self.attempts)

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._run, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        return threads


def pdf_of_size(size: int) -> bytes:
    """A valid one-page PDF of about ``size`` bytes (the padding is a comment in its content)."""
    padding = b"".join(b"% " + b"beirat " * 12 + b"\n" for _ in range(max(size - 400, 0) // 87))
    stream = b"BT /F1 12 Tf 72 720 Td (Anhang) Tj ET\n" + padding
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
