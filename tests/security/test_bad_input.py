"""The bad-input corpus against every form and API parameter.

The targets are found, not listed: every page of the permission matrix (and its account pages)
is opened as the personas that may see it and its forms are read (tests/security/targets.py); the
OParl lists come with the parameters their OpenAPI document names; every URL parameter of the
matrix's routes is a target too. The cases are in tests/security/corpus.py, one list per category;
what every request must hold is in tests/security/probe.py.

Where each kind of case goes (kept to about 90 seconds on a 2-core machine):
- text: into every POST form (a form class shown for creating and editing once), into every GET
  form with all its parameters at once, into each OParl parameter (the lists taking turns: one
  parser), and into each URL parameter (routes sharing the address before the parameter, and so
  its lookup, taking turns);
- files: into every file input, each case;
- request bodies and headers: to the POST forms in turn (BODY_SHARE, HEADER_SHARE), headers also
  to every GET address;
- query strings: to every GET address and every page that reads one.
Each request runs in a savepoint that is rolled back after the checks, so every case meets the
same world; the injections are kept instead, and then every page is read back.

The table of cases and requests per category is printed at the end of the module and written to
test-artifacts/security/bad-input.txt.
"""

from __future__ import annotations

import copy
import functools
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.signals import request_started
from django.db import models
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.urls import resolve, reverse
from django.utils.http import parse_header_parameters

from tests.conftest import PERSONAS
from tests.permissions.test_matrix import world  # noqa: F401 - the matrix's objects, reused
from tests.security import corpus, probe, targets
from tests.security.corpus import CATEGORIES, MINIMUM_CASES, RAW_MARKUP

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "security" / "bad-input.txt"
INJECTION = "HTML/JS injection"
# Whole requests (bodies, headers) go to the POST forms in turn: form i gets case j of a category
# when (i + j) % SHARE == 0, so each form meets every SHARE-th case and each case a SHARE-th of the
# forms. Their parsing is Django's and shared middleware; what differs per form is how the view
# takes an empty or garbled POST, which every form still shows several times.
BODY_SHARE = 3
HEADER_SHARE = 5
REDIRECTS = (301, 302, 303)
ESCAPED_SCRIPT = b"&lt;script&gt;alert(1)&lt;/script&gt;"
# Where staff download each stored file, and the field with the name it is offered under.
DOWNLOADS = {
    "submissions.Attachment": ("submissions:staff_attachment", "triage", "name"),
    "board.Report": ("board:report_file", "triage", "file_name"),
    "ingest.ImportRecord": ("ingest:original", "clerk", "file_name"),
    "council.PaperAttachment": ("council:staff_attachment_download", "clerk", "file_name"),
}


@pytest.fixture(scope="module")
def report(request) -> Iterator[probe.Report]:
    found = probe.Report()
    yield found
    if not found.categories:
        return
    table = found.table()
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(table + "\n", encoding="utf-8")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(f"Bad-input corpus ({ARTIFACT.relative_to(ARTIFACT.parents[2])}):")
        for line in table.splitlines():
            reporter.write_line(line)


def test_every_category_keeps_its_cases():
    assert set(CATEGORIES) == set(MINIMUM_CASES)
    shrunk = {
        name: len(cases) for name, cases in CATEGORIES.items() if len(cases) < MINIMUM_CASES[name]
    }
    assert shrunk == {}
    names = [case.name for cases in CATEGORIES.values() for case in cases]
    assert len(names) == len(set(names))  # a case counted twice would inflate the report


def test_every_stored_file_has_a_checked_download():
    stored = {model._meta.label for model, _field in probe.file_fields()}
    assert stored == set(DOWNLOADS)


# The run ------------------------------------------------------------------------------------


class Run:
    """One pass of the corpus over the discovered targets."""

    def __init__(
        self,
        *,
        objects: dict[str, Any],
        clients: dict[str, Client],
        sender: probe.Probe,
        discovery: targets.Discovery,
        queries: list[targets.Query],
        routes: list[targets.Route],
        settings: Any,
    ) -> None:
        self.world = objects  # the permission matrix's world
        self.settings = settings
        self.clients = clients
        self.probe = sender
        self.forms = _post_forms(discovery.forms)
        self.text_forms = _distinct_by_fields(self.forms)
        self.queries = queries
        self.routes = routes
        self.reading_pages = discovery.reading_pages
        self.personas = {urlsplit(form.action).path: form.persona for form in discovery.forms}
        self.personas.update({urlsplit(page.url).path: page.persona for page in self.reading_pages})
        self.redirects: set[tuple[str, str]] = set()  # (persona, address) of stored objects
        self.browsers: dict[str, Client] = {}
        self.turn = 0

    def send(self, case: corpus.Case, category: str, *, turn: int, keep: bool = False) -> None:
        """``turn``: the case's place in its category, which decides where it goes among
        targets that take turns."""
        self.turn = turn
        if isinstance(case, corpus.Text):
            self.text(category, case, keep=keep)
        elif isinstance(case, corpus.Body):
            self.body(category, case)
        elif isinstance(case, corpus.Upload):
            self.upload(category, case)
        elif isinstance(case, corpus.QueryString):
            self.query_string(category, case)
        else:
            self.headers(category, case)

    def text(self, category: str, case: corpus.Text, *, keep: bool = False) -> None:
        """Into every text field of every form, every query parameter, every URL parameter."""
        for form in self.text_forms if case.forms else []:
            if not form.text_fields:
                continue
            body, content_type = _encoded(form, form.values(case.value, into=case.into))
            sent = self.post(category, case.name, form, body, content_type, keep=keep)
            if keep and not sent.refused and sent.response.status_code in REDIRECTS:
                self.redirects.add((form.persona, sent.response["Location"]))
        for path, params in self._query_slots():
            self.probe.send(
                category=category,
                label=f"{case.name}: GET {path}?{'&'.join(params)}",
                client=self.clients[self.personas.get(path, "anonymous")],
                method="GET",
                path=path,
                environ={"QUERY_STRING": urlencode(dict.fromkeys(params, case.value))},
            )
        for route in self._routes():
            self.probe.send(
                category=category,
                label=f"{case.name}: GET {route.template} ({route.url_name})",
                client=self.clients[route.persona],
                method="GET",
                path=route.with_value(case.value),
            )

    def body(self, category: str, case: corpus.Body) -> None:
        """As the whole body of the POST forms, in turn (BODY_SHARE)."""
        for index, form in enumerate(self.forms):
            if (index + self.turn) % BODY_SHARE:
                continue
            body, content_type = case.build(form)
            self.post(
                category,
                case.name,
                form,
                body,
                content_type,
                method=case.method,
                environ=case.environ,
                expect=case.expect,
            )

    def upload(self, category: str, case: corpus.Upload) -> None:
        """Into every file input; the form's other fields are valid."""
        file_name, content, content_type = case.build()
        for form in self.forms:
            if not form.files:
                continue
            pairs = form.values()
            files = []
            expected = 0
            for item in form.files:
                if case.as_text:
                    pairs.append((item.name, content.decode()))
                    continue
                files += [(item.name, file_name, content, content_type)] * case.copies
                # A single file input keeps the last of several files.
                expected += case.copies if item.multiple else 1
            if not _kept_by_django(file_name):
                expected = 0
            self.post(
                category,
                case.name,
                form,
                corpus.multipart_with_files(pairs, files),
                MULTIPART_CONTENT,
                check_accepted=functools.partial(self._stored_files, expected=expected),
            )

    def query_string(self, category: str, case: corpus.QueryString) -> None:
        """As the query string of every GET address and every page that reads one."""
        addresses = [(path, params) for path, params in self._query_slots(whole=True)]
        addresses += [(urlsplit(page.url).path, ("seite",)) for page in self.reading_pages]
        for path, params in dict(addresses).items():
            self.probe.send(
                category=category,
                label=f"{case.name}: GET {path}",
                client=self.clients[self.personas.get(path, "anonymous")],
                method="GET",
                path=path,
                environ={"QUERY_STRING": case.build(params)},
            )

    def headers(self, category: str, case: corpus.Headers) -> None:
        """With every GET address and the POST forms in turn (HEADER_SHARE)."""
        settings = self.settings
        if case.production_proxy:
            settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        try:
            for index, form in enumerate(self.forms):
                if (index + self.turn) % HEADER_SHARE:
                    continue
                body, content_type = _encoded(form, form.values())
                environ = _with_cookies(case, self._browser(form.persona))
                self.post(
                    category,
                    case.name,
                    form,
                    body,
                    content_type,
                    environ=environ,
                    expect=case.expect,
                )
            for path, _params in self._query_slots(whole=True):
                client = self.clients[self.personas.get(path, "anonymous")]
                self.probe.send(
                    category=category,
                    label=f"{case.name}: GET {path}",
                    client=client,
                    method="GET",
                    path=path,
                    environ=_with_cookies(case, client),
                    expect=case.expect,
                )
        finally:
            settings.SECURE_PROXY_SSL_HEADER = None

    def _query_slots(self, *, whole: bool = False) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Where a value goes in the GET addresses.

        A form's filters are read independently (a bad one is dropped), so a form gets the value
        in all its parameters at once. The OParl lists share one parser that stops at the first
        bad parameter: each parameter is tried alone, the lists taking turns, so that every list
        and every parameter is reached. ``whole``: each address once, with all its parameters."""
        groups: dict[tuple[str, ...], list[str]] = {}
        for query in self.queries:
            groups.setdefault(query.params, []).append(query.path)
        turn = self.turn
        for params, paths in groups.items():
            if len(paths) == 1:
                yield paths[0], params
            elif whole:
                yield paths[turn % len(paths)], params
            else:
                for index, param in enumerate(params):
                    yield paths[(turn + index) % len(paths)], (param,)

    def _routes(self) -> list[targets.Route]:
        """One route per address prefix (the part before the parameter, which decides the
        lookup: /eingaben/{code}/… all look the submission up by its code), taking turns."""
        groups: dict[str, list[targets.Route]] = {}
        for route in self.routes:
            groups.setdefault(route.template.split("{}")[0], []).append(route)
        return [routes[self.turn % len(routes)] for routes in groups.values()]

    def post(
        self,
        category: str,
        case_name: str,
        form: targets.Form,
        body: bytes,
        content_type: str,
        *,
        method: str = "POST",
        environ: dict[str, str] | None = None,
        **checks: Any,
    ) -> probe.Sent:
        """A form sent as a browser sends it: CSRF checked (the test client skips that), the
        page's token in the body and, as a script on the page would send it, in the header too,
        so that a body the CSRF check cannot read still reaches the view."""
        token = {"HTTP_X_CSRFTOKEN": form.csrf_token} if form.csrf_token else {}
        return self.probe.send(
            category=category,
            label=f"{case_name}: {form.label()}",
            client=self._browser(form.persona),
            method=method,
            path=form.action,
            body=body,
            content_type=content_type,
            environ={**token, **(environ or {})},
            **checks,
        )

    def _browser(self, persona: str) -> Client:
        """The persona's client with CSRF checks, its own copy of the cookies (the CSRF cookie
        from reading the pages, the session)."""
        if persona not in self.browsers:
            browser = Client(enforce_csrf_checks=True)
            browser.cookies = copy.deepcopy(self.clients[persona].cookies)
            self.browsers[persona] = browser
        return self.browsers[persona]

    def _stored_files(self, sent: probe.Sent, expected: int) -> list[str]:
        """An accepted upload stores every file it carried, each downloadable under a safe name."""
        problems = []
        stored = 0
        for label, (url_name, persona, name_field) in DOWNLOADS.items():
            new = int(sent.after.rows[label][0]) - int(sent.before.rows[label][0])
            if new <= 0:
                continue
            model = apps.get_model(label)
            file_field = next(
                item for item in model._meta.concrete_fields if isinstance(item, models.FileField)
            )
            for row in model._default_manager.order_by("-pk")[:new]:
                if not getattr(row, file_field.attname):
                    continue
                stored += 1
                problems += _unsafe_name(label, getattr(row, name_field))
                response = self.clients[persona].get(reverse(url_name, kwargs={"pk": row.pk}))
                probe.body_of(response)
                problems += _unsafe_download(label, response)
        if sent.response.status_code in REDIRECTS and stored != expected:
            problems.append(f"{stored} Dateien gespeichert, {expected} gesendet")
        return problems

    def crawl(self, category: str, search_index: Any) -> int:
        """Every page of the matrix, as each persona that may see it, every page a stored object
        redirected to, and the search for the payloads: they come back escaped or not at all.
        Returns how many pages showed the stored script escaped."""
        search_index.sync()
        addresses = {
            (persona, page.url)
            for page in targets.pages(self.world)
            for persona in targets.readers(page)
        }
        addresses |= self.redirects
        addresses |= {("anonymous", f"/suche/?q={word}") for word in ("alert", "script", "img")}
        addresses |= {("triage", f"/suche/?q={word}") for word in ("alert", "script", "img")}
        shown_escaped = 0
        for persona, address in sorted(addresses):
            sent = self.probe.send(
                category=category,
                label=f"gespeicherte Nutzlast, GET {address} als {persona}",
                client=self.clients[persona],
                method="GET",
                path=urlsplit(address).path,
                environ={"QUERY_STRING": urlsplit(address).query},
                keep=True,
            )
            shown_escaped += ESCAPED_SCRIPT in sent.body
        return shown_escaped


def _post_forms(forms: list[targets.Form]) -> list[targets.Form]:
    """The POST forms, each view once (a form found on two pages posts to one view)."""
    found: dict[tuple[Any, ...], targets.Form] = {}
    for form in forms:
        if form.method == "POST":
            route = resolve(urlsplit(form.action).path)
            found.setdefault((route.view_name, form.field_names), form)
    return list(found.values())


def _distinct_by_fields(forms: list[targets.Form]) -> list[targets.Form]:
    """One form per set of fields and persona: a form class shown for creating and for editing
    takes text once, the editing one (its object is shown on existing pages)."""
    found: dict[tuple[Any, ...], targets.Form] = {}
    for form in forms:
        found[(form.field_names, form.persona, form.enctype)] = form
    return list(found.values())


def _with_cookies(case: corpus.Headers, client: Client) -> dict[str, str]:
    environ = dict(case.environ)
    if "HTTP_COOKIE" in environ and not case.replace_cookies:
        own = "; ".join(f"{morsel.key}={morsel.coded_value}" for morsel in client.cookies.values())
        environ["HTTP_COOKIE"] = (
            f"{own}; {environ['HTTP_COOKIE']}" if own else environ["HTTP_COOKIE"]
        )
    return environ


def _kept_by_django(file_name: str) -> bool:
    """Django drops a file part whose name is nothing once cleaned (".."): nothing to store."""
    return MultiPartParser.sanitize_file_name(None, file_name) is not None  # type: ignore[arg-type]


def _unsafe_name(label: str, name: str) -> list[str]:
    bad = [char for char in name if char in "/\\" or not char.isprintable()]
    return [f"{label}: gespeicherter Name {name!r} enthält {bad!r}"] if bad else []


def _unsafe_download(label: str, response: Any) -> list[str]:
    if response.status_code != 200:
        return [f"{label}: Download antwortet {response.status_code}"]
    header = response.get("Content-Disposition", "")
    if "\r" in header or "\n" in header:
        return [f"{label}: Zeilenumbruch in Content-Disposition {header!r}"]
    disposition, params = parse_header_parameters(header)
    name = params.get("filename", "")
    problems = []
    if disposition != "attachment":
        problems.append(f"{label}: Content-Disposition {header!r} ist kein Download")
    if not name or any(char in name for char in "/\\") or name in (".", ".."):
        problems.append(f"{label}: unsicherer Dateiname im Download {header!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{label}: Download ohne nosniff")
    return problems


def _encoded(form: targets.Form, pairs: list[tuple[str, str]]) -> tuple[bytes, str]:
    if form.enctype == "multipart/form-data":
        return corpus.multipart_with_files(pairs, []), MULTIPART_CONTENT
    return urlencode(pairs).encode(), corpus.FORM


@pytest.fixture
def clients(request) -> dict[str, Client]:
    return {persona: request.getfixturevalue(persona) for persona in PERSONAS}


@pytest.fixture
def corpus_run(world, clients, search_index, settings, report):  # noqa: F811 - the fixture
    search_index.sync()
    discovery = targets.discover(world, clients)
    document = clients["anonymous"].get(reverse("oparl:openapi")).content
    return Run(
        objects=world,
        clients=clients,
        sender=probe.Probe(
            report=report, media_root=Path(settings.MEDIA_ROOT), forbidden=RAW_MARKUP
        ),
        discovery=discovery,
        queries=targets.queries(discovery.forms, world, document),
        routes=targets.routes(world),
        settings=settings,
    )


@pytest.fixture
def without_ocr(monkeypatch) -> Iterator[None]:
    """As on a server without tesseract (OCR is optional): a scan's seconds of recognition are
    the design, bounded by ocr.SECONDS_PER_PAGE, not an attack; every step before it runs."""
    from beirat.ingest import ocr

    monkeypatch.setenv("PATH", "/nonexistent")
    ocr.tesseract.cache_clear()
    yield
    ocr.tesseract.cache_clear()


@pytest.fixture
def quiet_logs() -> Iterator[None]:
    """Thousands of refused requests would each log a warning or a traceback (a server error
    still fails: the test client raises it)."""
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


# A 10,000 × 10,000 PNG is refused by its size; Pillow warns about it as it opens it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bad_input_corpus(corpus_run, report, search_index, quiet_logs, without_ocr):
    """Zero server errors, nothing stored half, bounded time and memory, no live payload."""
    # The injections come last: they are kept, not undone, so that every page can be checked
    # for them, and would change what the other categories find.
    for category in sorted(CATEGORIES, key=lambda name: name == INJECTION):
        cases = CATEGORIES[category]
        started = time.perf_counter()
        report.category(category).cases = len(cases)
        keep = category == INJECTION
        for turn, case in enumerate(cases):
            corpus_run.send(case, category, turn=turn, keep=keep)
        if keep:
            assert corpus_run.crawl(category, search_index) > 0, "keine Nutzlast kam zurück"
        report.category(category).seconds = time.perf_counter() - started
    assert report.problems == [], "\n".join(report.problems[:80])


# The checks catch what they are for ----------------------------------------------------------


@pytest.fixture
def lone_probe(settings, db) -> probe.Probe:
    return probe.Probe(
        report=probe.Report(), media_root=Path(settings.MEDIA_ROOT), forbidden=RAW_MARKUP
    )


@pytest.fixture
def during_request():
    """Run a function at the start of the next requests, as a buggy view would."""
    connected = []

    def connect(function):
        def receiver(**_kwargs):
            function()

        request_started.connect(receiver, weak=False)
        connected.append(receiver)

    yield connect
    for receiver in connected:
        request_started.disconnect(receiver)


def test_an_orphan_file_left_by_an_accepted_request_is_found(
    lone_probe, anonymous, settings, during_request
):
    planted = Path(settings.MEDIA_ROOT) / "submissions" / "verwaist.pdf"

    def plant():
        planted.parent.mkdir(parents=True, exist_ok=True)
        planted.write_bytes(b"%PDF-1.4")

    during_request(plant)
    sent = lone_probe.send(
        category="Kontrolle", label="GET /", client=anonymous, method="GET", path="/"
    )

    assert not sent.refused
    assert lone_probe.report.problems == [
        "[Kontrolle] GET /: angenommen, aber verwaiste Datei submissions/verwaist.pdf"
    ]
    assert not planted.exists()  # undone with the request


def test_a_refused_request_that_stored_a_row_is_found(lone_probe, anonymous, during_request):
    from tests.factories.submissions import TopicFactory

    during_request(TopicFactory)
    sent = lone_probe.send(
        category="Kontrolle",
        label="GET unbekannt",
        client=anonymous,
        method="GET",
        path="/gibt-es-nicht/",
    )

    assert sent.refused
    [problem] = lone_probe.report.problems
    assert problem.startswith(
        "[Kontrolle] GET unbekannt: abgelehnt (Status 404), aber gespeichert: "
    )
    assert "submissions.Topic" in problem


def test_a_slow_request_and_an_unexpected_status_are_found(lone_probe, anonymous):
    lone_probe.bound_seconds = 0.0
    lone_probe.send(
        category="Kontrolle", label="GET /", client=anonymous, method="GET", path="/", expect=400
    )

    slow, status = lone_probe.report.problems
    assert slow.startswith("[Kontrolle] GET /: ")
    assert slow.endswith(" s (Grenze 0.0 s)")
    assert status == "[Kontrolle] GET /: Status 200 statt 400"


def test_live_markup_is_found_and_escaped_markup_is_not():
    page = "text/html; charset=utf-8"
    found = probe.raw_markup_in(b"<p><script>alert(1)</script></p>", page, RAW_MARKUP)
    escaped = probe.raw_markup_in(ESCAPED_SCRIPT, page, RAW_MARKUP)
    as_json = probe.raw_markup_in(
        b'{"t": "<script>alert(1)</script>"}', "application/json", RAW_MARKUP
    )

    assert (found, escaped, as_json) == (["<script>alert(1)</script>"], [], [])


def test_the_memory_a_request_takes_is_measured():
    memory = probe.PeakMemory()
    if not memory.available:
        pytest.skip("the kernel's high-water mark is a Linux feature")
    with memory.measure() as peak:
        block = b"x" * (300 * 1024 * 1024)  # written, so resident
        del block

    assert peak[0] >= 290 * 1024 * 1024
