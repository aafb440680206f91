"""The deployment of docs/deployment.md, as far as one machine allows: PostgreSQL and two app
servers on loopback sharing one database and one folder of uploads, each with gunicorn and its
own search indexer, in production mode behind a (simulated) reverse proxy.

    .venv/bin/python benchmarks/two_servers.py

Checks, each printed with its outcome (exit 1 if one fails):
1. a submission handed in on server A, with an attachment, is on its tracking page on server B;
2. the per-client rate limit is one limit across both servers (the database cache);
3. a login on server A is a login on server B (sessions in the database);
4. a paper published through server A's database is found by server B's search within 2 s;
5. a plain-HTTP request is sent to HTTPS and pages carry HSTS (production settings).
Recorded in docs/benchmarks.md ("Two app servers").
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOKEN = re.compile(r'name="issued" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
SUBMISSIONS_PER_HOUR = 10  # beirat/submissions/views.py
MIN_FILL_SECONDS = 3.2  # a human needs longer than BEIRAT_FORM_MIN_SECONDS (3 s) for the form


class Server:
    """gunicorn plus the search indexer of one app server."""

    def __init__(self, name: str, environment: dict[str, str], folder: Path) -> None:
        from benchmarks.load_bench import _free_port

        self.name = name
        self.port = _free_port()
        self.environment = {**environment, "BEIRAT_SEARCH_DIR": str(folder / f"search-{name}")}
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        gunicorn = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "beirat.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
        ]
        indexer = [sys.executable, "manage.py", "search_indexer"]
        for command in (gunicorn, indexer):
            self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.environment))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/")[0] in (200, 301):
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"Server {self.name} ist nicht gestartet.")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {**PROXY_HEADERS, **(headers or {})}
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path, headers=headers)


def main() -> None:
    from benchmarks.search_bench import Postgres

    folder = Path(tempfile.mkdtemp(prefix="beirat-two-servers-"))
    folder.chmod(0o755)  # PostgreSQL runs as its own user and must reach its data folder
    postgres = Postgres(folder / "pg")
    postgres.start()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "beirat.settings",
        "BEIRAT_PRODUCTION": "1",
        "BEIRAT_SECRET_KEY": secrets.token_urlsafe(64),
        "BEIRAT_ALLOWED_HOSTS": "127.0.0.1",
        "BEIRAT_SITE_URL": "https://127.0.0.1",
        "BEIRAT_VAR_DIR": str(folder / "var"),
        "BEIRAT_MEDIA_DIR": str(folder / "shared-media"),
        "BEIRAT_ERASURE_LEDGER": str(folder / "shared-ledger.jsonl"),
        "BEIRAT_LOG_LEVEL": "WARNING",
        "DATABASE_URL": postgres.dsn,
    }
    (folder / "shared-media").mkdir()  # production refuses to start without it
    servers = [Server("a", environment, folder), Server("b", environment, folder)]
    results: list[tuple[str, bool, str]] = []
    try:
        _manage(environment, "migrate", "--noinput", "-v0")
        # load_demo refuses production (its accounts have the published demo password); the
        # benchmark loads the demo into the same database with development settings.
        _manage({**environment, "BEIRAT_PRODUCTION": "0"}, "load_demo")
        _manage(environment, "collectstatic", "--noinput", "-v0")
        for server in servers:
            server.start()
        a, b = servers
        results.append(_submission_on_a_tracked_on_b(a, b))
        results.append(_one_rate_limit_for_both(a, b))
        results.append(_login_on_a_works_on_b(a, b))
        results.append(_paper_found_on_b(environment, b))
        results.append(_withdrawn_paper_gone_from_both(environment, a, b))
        results.append(_https_and_hsts(a))
    finally:
        for server in servers:
            server.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
    _print_and_record(results)
    if not all(passed for _name, passed, _detail in results):
        raise SystemExit(1)


def _manage(environment: dict[str, str], *arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _token(server: Server, address: str) -> str:
    """The signed token of a freshly loaded submission form."""
    _status, _headers, page = server.get("/eingaben/neu/", **{"X-Forwarded-For": address})
    found = TOKEN.search(page)
    return found.group(1) if found else ""


def _submit(server: Server, token: str, title: str, address: str) -> tuple[int, str]:
    """Post the form with a PDF attached; (status, tracking page or the error shown)."""
    boundary = "beirat" + secrets.token_hex(8)
    fields = {
        "issued": token,
        "title": title,
        "text": "Eine App mit der Belegung der Parkhäuser wäre hilfreich.",
        "email": "erika@example.org",
        "consent": "on",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = "".join(parts).encode() + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
        f'filename="plan.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + _pdf()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "X-Forwarded-For": address,
    }
    status, answer, page = server.request("POST", "/eingaben/neu/", body, headers)
    if status == 302:
        return status, urllib.parse.urlsplit(answer.get("Location", "")).path
    errors = re.findall(r'class="kern-error[^"]*"[^>]*>(.*?)<', page, re.DOTALL)
    return status, " ".join(" ".join(error.split()) for error in errors)[:200]


def _pdf() -> bytes:
    """A one-page PDF, made by the same library the site's papers are printed with."""
    import weasyprint

    return bytes(weasyprint.HTML(string="<p>Plan</p>").write_pdf())


def _submission_on_a_tracked_on_b(a: Server, b: Server) -> tuple[str, bool, str]:
    token = _token(a, "203.0.113.1")
    time.sleep(MIN_FILL_SECONDS)
    status, tracking = _submit(a, token, "Eingabe über Server A", "203.0.113.1")
    if status != 302:
        return "submission on A, tracking page on B", False, f"POST on A: {status} {tracking}"
    seen, _headers, page = b.get(tracking)
    passed = seen == 200 and "Eingabe über Server A" in page and "plan.pdf" in page
    return "submission on A, tracking page on B", passed, f"A: 302 → {tracking}; B: {seen}"


def _one_rate_limit_for_both(a: Server, b: Server) -> tuple[str, bool, str]:
    servers = [a if number % 2 else b for number in range(SUBMISSIONS_PER_HOUR + 1)]
    tokens = [_token(server, "203.0.113.9") for server in servers]
    time.sleep(MIN_FILL_SECONDS)
    statuses = [
        _submit(server, token, f"Grenze {number}", "203.0.113.9")[0]
        for number, (server, token) in enumerate(zip(servers, tokens, strict=True))
    ]
    passed = statuses[:-1] == [302] * SUBMISSIONS_PER_HOUR and statuses[-1] == 429
    return "one rate limit across A and B", passed, f"answers in turn from B and A: {statuses}"


def _login_on_a_works_on_b(a: Server, b: Server) -> tuple[str, bool, str]:
    status, headers, page = a.get("/konto/login/")
    csrf = CSRF.search(page)
    cookies = _cookies(headers)
    if csrf is None:
        return "login on A, signed in on B", False, f"login page on A: {status}"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf.group(1), "login": "mitglied-a", "password": _password()}
    ).encode()
    status, headers, _page = a.request(
        "POST",
        "/konto/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookies,
            "Referer": "https://127.0.0.1/konto/login/",
            "Origin": "https://127.0.0.1",
        },
    )
    session = _cookies(headers)
    seen, _headers, _page = b.get("/arbeitsplatz/", Cookie=session)
    passed = status == 302 and "sessionid" in session and seen == 200
    return "login on A, signed in on B", passed, f"login on A: {status}; workplace on B: {seen}"


def _paper_found_on_b(environment: dict[str, str], b: Server) -> tuple[str, bool, str]:
    script = (
        "import django; django.setup()\n"
        "from tests.factories.council import PublishedPaperFactory\n"
        "from beirat.directory.models import Body\n"
        "PublishedPaperFactory(body=Body.objects.first(), name='Zweiserverprobe Glasfaser', "
        "reference='AF/0999/2026', year=2026, sequence=999)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)
    started = time.monotonic()
    while time.monotonic() - started < 10:
        _status, _headers, page = b.get("/suche/?q=Zweiserverprobe")
        if "AF/0999/2026" in page:
            seconds = time.monotonic() - started
            return "paper found on B's search", seconds <= 2, f"after {seconds:.2f} s"
        time.sleep(0.1)
    return "paper found on B's search", False, "not within 10 s"


def _withdrawn_paper_gone_from_both(
    environment: dict[str, str], a: Server, b: Server
) -> tuple[str, bool, str]:
    """Public pages are kept for anonymous visitors in the shared database cache: a paper
    withdrawn from the public (here by a third process, as a clerk would on any server) must be
    gone from both servers' next answer, not after the kept page runs out."""
    address = "/vorlagen/AF-0999-2026/"
    before = [server.get(address)[0] for server in (a, b, a, b)]  # rendered once, then kept
    script = (
        "import django; django.setup()\n"
        "from beirat.council.models import Paper\n"
        "paper = Paper.objects.get(reference='AF/0999/2026')\n"
        "paper.public = False\n"
        "paper.save()\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)
    after = [server.get(address)[0] for server in (b, a)]
    passed = before == [200] * 4 and after == [404, 404]
    name = "paper withdrawn, gone from kept pages on A and B"
    return name, passed, f"before (A, B, A, B): {before}; right after (B, A): {after}"


def _https_and_hsts(a: Server) -> tuple[str, bool, str]:
    connection = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    connection.request("GET", "/", headers={"Host": "127.0.0.1"})  # no proxy header: plain HTTP
    plain = connection.getresponse()
    plain.read()
    status, headers, _page = a.get("/")
    passed = (
        plain.status == 301
        and plain.getheader("Location", "").startswith("https://")
        and status == 200
        and "max-age=" in headers.get("Strict-Transport-Security", "")
    )
    hsts = headers.get("Strict-Transport-Security", "")
    return "HTTPS redirect and HSTS", passed, f"plain HTTP: {plain.status}; HTTPS: {hsts}"


def _cookies(headers: dict[str, str]) -> str:
    found = re.findall(r"(?:^|, )(\w+)=([^;]*)", headers.get("Set-Cookie", ""))
    return "; ".join(f"{name}={value}" for name, value in found)


def _password() -> str:
    """The demo accounts' password (beirat/directory/demo.py), without setting up Django here."""
    return os.environ.get("BEIRAT_DEMO_PASSWORD") or "Koblenz-Demo-2026"


def _print_and_record(results: list[tuple[str, bool, str]]) -> None:
    from benchmarks.report import write_section
    from benchmarks.search_bench import _commit

    lines = [
        "## Two app servers",
        "",
        f"`.venv/bin/python benchmarks/two_servers.py` (commit {_commit()}): PostgreSQL and two "
        "app servers (gunicorn with 2 workers and a search indexer each) on loopback, production "
        "settings, one database, one shared folder of uploads, requests as the reverse proxy "
        "sends them (X-Forwarded-Proto, X-Forwarded-For).",
        "",
        "| check | result | detail |",
        "|---|---|---|",
    ]
    lines += [
        f"| {name} | {'passed' if passed else 'FAILED'} | {detail} |"
        for name, passed, detail in results
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    write_section("## Two app servers", report)


if __name__ == "__main__":
    main()
