"""Crawl the whole OParl API of the demo like a client would, and check everything it serves.

Starting at the system object, every string in a JSON response that starts with
``BASE_URL + "/oparl/v1/"`` is fetched (with its query string, so ``links.next`` pages are
followed too). JSON objects are checked with ``validate_object``, list pages with
``validate_list_page``. The ``accessUrl`` and ``downloadUrl`` of File objects serve the file and
are checked against the File's ``mimeType`` (official PDFs and the papers' attachments).
"""

from __future__ import annotations

import datetime
import io
import json
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from beirat.council.models import AgendaItem, Consultation, Decision, Meeting, Paper
from beirat.directory.demo import BOARD_MEMBERS
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MandateFactory,
    MeetingFactory,
    PaperAttachmentFactory,
    PaperFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory
from tests.oparl.schema_validation import (
    iter_embedded_objects,
    type_name_of,
    validate_list_page,
    validate_object,
)

REQUEST_LIMIT = 5000
FILE_URL_KEYS = ("accessUrl", "downloadUrl")
REQUIRED_TYPES = (
    "System",
    "Body",
    "Organization",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
    "Person",
    "Membership",
    "LegislativeTerm",
)


@dataclass
class Crawl:
    origin: str
    prefix: str
    client: Client = field(default_factory=Client)
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Every response body; JSON bodies also as re-serialised text without \\u escapes.
    bodies: list[tuple[str, bytes]] = field(default_factory=list)
    types_seen: Counter[str] = field(default_factory=Counter)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # fetched directly, by URL
    requests: int = 0
    referrer: dict[str, str] = field(default_factory=dict)
    file_urls: dict[str, str] = field(default_factory=dict)  # URL -> accessUrl/downloadUrl
    file_types: dict[str, str] = field(default_factory=dict)  # URL -> the File's mimeType

    def error(self, group: str, message: str) -> None:
        self.errors[group].append(message)

    def report(self) -> str:
        lines = [f"{self.requests} requests, object types seen: {dict(self.types_seen)}"]
        for group, messages in sorted(self.errors.items()):
            lines.append(f"\n== {group} ({len(messages)})")
            lines.extend(f"  {message}" for message in messages)
        return "\n".join(lines)

    def texts_containing(self, needle: str) -> list[str]:
        wanted = needle.lower().encode()
        return [url for url, body in self.bodies if wanted in body.lower()]

    def get(self, url: str) -> Any:
        self.requests += 1
        # The test client takes the path with its query string; the origin is BASE_URL's.
        response = self.client.get(url.removeprefix(self.origin))
        # A file's page on the site (an attachment's accessUrl) streams it.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.bodies.append((url, body))
        return response

    def where(self, url: str) -> str:
        return f"{url} (linked from {self.referrer.get(url, 'the start')})"


def iter_strings(value: Any, key: Any = None, parent: Any = None) -> Iterator[tuple[Any, str, Any]]:
    """(key, string, containing dict or list) for every string anywhere in ``value``."""
    if isinstance(value, str):
        yield key, value, parent
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from iter_strings(child, child_key, value)
    elif isinstance(value, list):
        for child in value:
            # A list's strings belong to the key of the list (e.g. "derivativeFile").
            yield from iter_strings(child, key, value)


def crawl(limit: int = REQUEST_LIMIT) -> Crawl:
    origin = settings.BASE_URL
    state = Crawl(origin=origin, prefix=f"{origin}/oparl/v1/")
    start = f"{state.prefix}system"
    queue: deque[str] = deque([start])
    queued = {start}

    def collect(url: str, document: Any) -> None:
        for key, value, parent in iter_strings(document):
            is_file_url = (
                key in FILE_URL_KEYS and isinstance(parent, dict) and type_name_of(parent) == "File"
            )
            if is_file_url:
                if value.startswith(f"{origin}/"):
                    state.file_urls.setdefault(value, key)
                    state.file_types.setdefault(value, str(parent.get("mimeType", "")))
                    state.referrer.setdefault(value, url)
            elif value.startswith(state.prefix) and value not in queued:
                queued.add(value)
                queue.append(value)
                state.referrer.setdefault(value, url)

    while queue:
        if state.requests >= limit:
            state.error("crawl", f"stopped after {limit} requests, {len(queue)} URLs left")
            break
        url = queue.popleft()
        if url in state.file_urls:
            continue  # a file, checked below
        response = state.get(url)
        if response.status_code != 200:
            state.error(
                "dangling references (non-200)", f"{state.where(url)}: {response.status_code}"
            )
            continue
        content_type = response.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip() != "application/json":
            state.error("headers", f"{url}: Content-Type {content_type!r}")
        if response.headers.get("Access-Control-Allow-Origin") != "*":
            state.error(
                "headers",
                f"{url}: Access-Control-Allow-Origin "
                f"{response.headers.get('Access-Control-Allow-Origin')!r}",
            )
        try:
            document = json.loads(response.content)
        except ValueError as exc:
            state.error("not JSON", f"{url}: {exc}")
            continue
        state.bodies.append((url, json.dumps(document, ensure_ascii=False).encode()))

        if isinstance(document, dict) and "data" in document and "pagination" in document:
            errors = validate_list_page(document)
        elif isinstance(document, dict) and type_name_of(document) is not None:
            errors = validate_object(document)
            state.objects[url] = document
            if document.get("id") != url:
                state.error("id differs from URL", f"{url}: id is {document.get('id')!r}")
        else:
            errors = [f"neither an OParl object nor a list page: {str(document)[:200]}"]
        for message in errors:
            state.error("validation", f"{url} {message}")

        if type_name_of(document) is not None:
            state.types_seen[type_name_of(document) or ""] += 1
        for _path, embedded in iter_embedded_objects(document):
            state.types_seen[type_name_of(embedded) or ""] += 1
        collect(url, document)

    for url, key in sorted(state.file_urls.items()):
        if state.requests >= limit:
            state.error("crawl", f"stopped after {limit} requests before checking {url}")
            break
        response = state.get(url)
        if response.status_code != 200:
            state.error(
                "dangling references (non-200)", f"{state.where(url)}: {response.status_code}"
            )
            continue
        content_type = response.headers.get("Content-Type", "")
        expected = state.file_types[url]
        if not expected or content_type.split(";")[0].strip() != expected:
            state.error("files", f"{url} ({key}): Content-Type {content_type!r}, File {expected!r}")
        disposition = response.headers.get("Content-Disposition", "")
        if key == "downloadUrl" and not disposition.lower().startswith("attachment"):
            state.error("files", f"{url} (downloadUrl): Content-Disposition {disposition!r}")
    return state


def load_demo() -> None:
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_whole_demo_system_validates_without_dangling_references():
    load_demo()
    result = crawl()

    assert not result.errors, result.report()
    missing = [name for name in REQUIRED_TYPES if not result.types_seen[name]]
    assert not missing, f"the crawl reached no {missing}\n{result.report()}"
    assert f"{result.prefix}system" in result.objects
    assert result.file_urls, "no File accessUrl/downloadUrl to check"
    assert "downloadUrl" in result.file_urls.values()
    # The demo's attachment: reached as a File of its own, listed and downloaded.
    attachments = [url for url in result.objects if "/file/a" in url]
    assert attachments, result.report()
    assert any(f"{url}/download" in result.file_urls for url in attachments)


@pytest.mark.django_db
def test_no_board_member_appears_in_the_api():
    load_demo()
    result = crawl()

    names = {family for _username, _title, _given, family, _email in BOARD_MEMBERS}
    assert {"Ehrenfeld", "Rheinländer", "Kastor"} <= names
    needles = [
        *names,
        *(f"{given} {family}" for _u, _t, given, family, _e in BOARD_MEMBERS),
        *(email for *_rest, email in BOARD_MEMBERS),
    ]
    found = {needle: result.texts_containing(needle) for needle in needles}
    assert not {needle: urls for needle, urls in found.items() if urls}

    # The crawl did see the public content that sits right next to them.
    assert result.texts_containing("Digitalbeirat"), result.report()


@pytest.mark.django_db
def test_non_public_papers_never_appear():
    load_demo()
    registered = cast(
        Paper,
        PublishedPaperFactory(
            status=Paper.Status.REGISTERED,
            name="Registriert aber unveröffentlicht MARKER-7f3a-REG",
            sequence=9001,
            reference="AF/9001/2021",
        ),
    )
    not_public = cast(
        Paper,
        PublishedPaperFactory(
            public=False,
            name="Veröffentlicht aber nicht öffentlich MARKER-7f3a-NP",
            sequence=9002,
            reference="AF/9002/2021",
        ),
    )
    draft = cast(Paper, PaperFactory(name="Entwurf MARKER-7f3a-DRAFT"))
    control = cast(
        Paper,
        PublishedPaperFactory(
            name="Öffentliche Kontrollvorlage MARKER-7f3a-PUB",
            sequence=9003,
            reference="AF/9003/2021",
        ),
    )

    result = crawl()

    assert result.texts_containing("MARKER-7f3a-PUB"), "the public control paper was not reached"
    for marker in ("MARKER-7f3a-REG", "MARKER-7f3a-NP", "MARKER-7f3a-DRAFT"):
        assert not result.texts_containing(marker), marker
    for reference in ("AF/9001/2021", "AF/9002/2021"):
        assert not result.texts_containing(reference), reference

    # Guessing the URL of a hidden paper from the control's id does not reveal it either.
    control_ids = [
        url
        for url, obj in result.objects.items()
        if type_name_of(obj) == "Paper" and obj.get("name") == control.name
    ]
    assert len(control_ids) == 1, control_ids
    control_id = control_ids[0]
    assert control_id.endswith(f"/{control.pk}"), f"{control_id} is not built from the key"
    client = Client()
    for hidden in (registered, not_public, draft):
        guessed = control_id.removesuffix(str(control.pk)) + str(hidden.pk)
        response = client.get(guessed.removeprefix(settings.BASE_URL))
        assert response.status_code == 404, (guessed, response.status_code)


@pytest.mark.django_db
def test_each_paper_in_the_list_is_the_object_served_at_its_id():
    """The list reads routes, answers and mandates for a whole page at once; the object at its
    id reads them for one paper. Both must say the same, field for field."""
    load_demo()
    client = Client()
    body = json.loads(client.get("/oparl/v1/bodies").content)["data"][0]
    url = body["paper"].removeprefix(settings.BASE_URL) + "?limit=2"
    compared = with_answers = with_mandates = 0
    while url:
        page = json.loads(client.get(url).content)
        for entry in page["data"]:
            alone = json.loads(client.get(entry["id"].removeprefix(settings.BASE_URL)).content)
            assert entry == alone, entry["id"]
            compared += 1
            with_answers += bool(entry.get("subordinatedPaper"))
            with_mandates += bool(entry.get("beirat:mandates"))
        url = page["links"].get("next", "").removeprefix(settings.BASE_URL)

    assert compared >= 4
    assert with_answers  # the demo's inquiry is answered: the grouping is exercised
    assert with_mandates or not Paper.objects.filter(mandates__isnull=False).exists()


def _list_entries_compared_with_objects(client: Client, url: str) -> list[dict[str, Any]]:
    """Every entry of a paper list, paged from ``url``, each checked to be the object served
    at its id."""
    entries = []
    while url:
        page = json.loads(client.get(url).content)
        for entry in page["data"]:
            alone = json.loads(client.get(entry["id"].removeprefix(settings.BASE_URL)).content)
            assert entry == alone, entry["id"]
            entries.append(entry)
        url = page["links"].get("next", "").removeprefix(settings.BASE_URL)
    return entries


def _route_with_every_case(paper: Paper) -> dict[str, Consultation]:
    """A committee route with each case the list reads differently from the object at its id:
    meetings held, to come, cancelled, closed or of a closed committee; agenda items public and
    closed, with and without a meeting of their own; undated entries; results withheld."""
    committee = CommitteeFactory(body=paper.body)
    closed_committee = CommitteeFactory(body=paper.body, public=False)
    soon = timezone.now() + datetime.timedelta(days=30)
    held = MeetingFactory(committee=committee, agenda_fixed_at=timezone.now())
    to_come = MeetingFactory(committee=committee, start=soon, agenda_fixed_at=timezone.now())
    cancelled = MeetingFactory(committee=committee, state=Meeting.State.CANCELLED)
    closed = MeetingFactory(committee=committee, public=False)
    of_closed_committee = MeetingFactory(committee=closed_committee)
    public_item = cast(AgendaItem, AgendaItemFactory(meeting=held, result="einstimmig angenommen"))
    closed_item = AgendaItemFactory(meeting=held, public=False, name="MARKER-5e1d-ITEM")
    AgendaItemFactory(meeting=held, name="Nach dem nicht öffentlichen Punkt")
    item_to_come = cast(AgendaItem, AgendaItemFactory(meeting=to_come, result="MARKER-5e1d-EARLY"))
    Decision.objects.create(agenda_item=public_item, text="Der Ausschuss beschließt.")
    Decision.objects.create(agenda_item=item_to_come, text="MARKER-5e1d-DECISION")
    AgendaItemFactory(meeting=closed, name="MARKER-5e1d-CLOSED-MEETING")
    unanimous = {"outcome": Consultation.Outcome.UNANIMOUS, "votes_yes": 9, "votes_no": 0}
    cases = {
        "held": {"meeting": held, "agenda_item": public_item, **unanimous, "votes_abstain": 1},
        "held, item closed": {"meeting": held, "agenda_item": closed_item, "outcome": "majority"},
        "to come, withheld": {"meeting": to_come, "agenda_item": item_to_come, **unanimous},
        "to come, zero votes": {"meeting": to_come, "votes_yes": 0, "votes_no": 0},
        "cancelled, withheld": {"meeting": cancelled, "outcome": "postponed"},
        "closed meeting": {"meeting": closed, "outcome": "noted", "role": "Kenntnisnahme"},
        "closed committee": {"meeting": of_closed_committee, "votes_yes": 4},
        "item only, held": {"agenda_item": public_item, "outcome": "rejected"},
        "item only, to come": {"agenda_item": item_to_come, "outcome": "rejected"},
        "undated": {"outcome": "referred", "authoritative": True},
        "dated, to come": {"planned_date": soon.date(), "outcome": "noted", "votes_no": 2},
        "dated, past": {"planned_date": datetime.date(2021, 4, 1), "role": "Entscheidung"},
    }
    return {
        name: cast(
            Consultation,
            ConsultationFactory(paper=paper, committee=committee, position=position, **fields),
        )
        for position, (name, fields) in enumerate(cases.items())
    }


@pytest.mark.django_db
def test_list_entries_with_every_kind_of_related_data_are_the_objects_at_their_ids():
    """The list reads papers and their route as rows (beirat/oparl/objects.py, _paper_rows),
    the object at its id from model instances: with routes, answers, mandates, attachments,
    withdrawn and mirrored papers, and non-public data next to them, they say the same; the
    non-public data appears in neither."""
    load_demo()
    body = Paper.objects.filter(status=Paper.Status.PUBLISHED).get(reference="AF/0013/2021").body
    paper = cast(Paper, PublishedPaperFactory(body=body, name="Vorlage mit allem", sequence=9101))
    route = _route_with_every_case(paper)
    newer = cast(
        Paper, PublishedPaperFactory(body=body, responds_to=paper, date=datetime.date(2021, 5, 1))
    )
    older = cast(
        Paper, PublishedPaperFactory(body=body, responds_to=paper, date=datetime.date(2021, 4, 1))
    )
    hidden_answer = cast(Paper, PublishedPaperFactory(body=body, responds_to=paper, public=False))
    MandateFactory(paper=paper, due_date=datetime.date(2021, 6, 1))
    MandateFactory(paper=paper, title="Erledigt", status="done", completed_on=datetime.date.today())
    PaperAttachmentFactory(paper=paper, order=1)
    PaperAttachmentFactory(paper=paper, order=2, title="Kostenschätzung")
    mirrored = cast(
        Paper,
        PublishedPaperFactory(
            body=body,
            reference="1234/2014",
            type_code="",
            sequence=None,
            year=None,
            source_name="Ratsinformationssystem der Nachbarstadt",
            source_url="https://ratsinfo.example.org/vo/1234",
        ),
    )
    ConsultationFactory(paper=mirrored, committee=route["held"].committee)
    # Non-public papers between the public ones, with a route, a mandate and an attachment.
    hidden = cast(Paper, PublishedPaperFactory(body=body, public=False, name="MARKER-5e1d-HIDDEN"))
    ConsultationFactory(paper=hidden, committee=route["held"].committee, outcome="noted")
    MandateFactory(paper=hidden, title="MARKER-5e1d-MANDATE")
    PaperAttachmentFactory(paper=hidden, title="MARKER-5e1d-ATTACHMENT")
    registered = cast(Paper, PublishedPaperFactory(body=body, status=Paper.Status.REGISTERED))
    withdrawn = cast(Paper, PublishedPaperFactory(body=body, name="MARKER-5e1d-WITHDRAWN"))
    ConsultationFactory(paper=withdrawn, committee=route["held"].committee)
    Paper.objects.filter(pk=withdrawn.pk).update(status=Paper.Status.WITHDRAWN)
    PublishedPaperFactory(body=body)  # a public paper after them all

    client = Client()
    base = f"/oparl/v1/body/{body.pk}/paper"
    since = "2000-01-01T00:00:00%2B01:00"
    # Only paged (the related rows read by key range), and with a filter (by the page's keys).
    paged = _list_entries_compared_with_objects(client, f"{base}?limit=3")
    changed = _list_entries_compared_with_objects(client, f"{base}?limit=3&modified_since={since}")
    created = _list_entries_compared_with_objects(client, f"{base}?limit=7&created_since={since}")

    def ids(entries: list[dict[str, Any]]) -> set[str]:
        return {entry["id"].rsplit("/", 1)[1] for entry in entries}

    public = {
        str(key)
        for key in Paper.objects.filter(status="published", public=True).values_list(
            "pk", flat=True
        )
    }
    assert ids(paged) == ids(created) == public
    assert ids(changed) == public | {str(withdrawn.pk)}
    assert [entry for entry in changed if entry.get("deleted")] == [
        json.loads(client.get(f"/oparl/v1/paper/{withdrawn.pk}").content)
    ]
    for entries in (paged, changed, created):
        text = json.dumps(entries, ensure_ascii=False)
        assert "MARKER-5e1d" not in text
        for key in (hidden.pk, hidden_answer.pk, registered.pk):
            assert f'/paper/{key}"' not in text, key
        for closed in (route["closed meeting"].meeting_id, route["closed committee"].meeting_id):
            assert f'/meeting/{closed}"' not in text
        assert f'/agendaitem/{route["held, item closed"].agenda_item_id}"' not in text

    # Each case was there to compare, as it should be shown.
    entry = next(item for item in paged if item["id"].endswith(f"/paper/{paper.pk}"))
    assert [item.rsplit("/", 1)[1] for item in entry["subordinatedPaper"]] == [
        str(newer.pk),
        str(older.pk),
    ]
    assert len(entry["beirat:mandates"]) == 2
    assert [item["name"] for item in entry["auxiliaryFile"]][1] == "Kostenschätzung"
    shown = {
        name: next(item for item in entry["consultation"] if item["id"].endswith(f"/{c.pk}"))
        for name, c in route.items()
    }
    assert shown["held"]["beirat:outcome"] == "unanimous"
    assert shown["held"]["agendaItem"].endswith(f"/agendaitem/{route['held'].agenda_item_id}")
    assert "agendaItem" not in shown["held, item closed"]
    assert shown["held, item closed"]["beirat:outcome"] == "majority"
    for withheld in ("to come, withheld", "cancelled, withheld", "item only, to come"):
        assert "beirat:outcome" not in shown[withheld], withheld
        assert "beirat:votesYes" not in shown[withheld], withheld
    assert "beirat:outcome" not in shown["dated, to come"]
    assert shown["to come, zero votes"]["beirat:votesYes"] == 0
    assert "meeting" not in shown["closed meeting"]
    assert shown["closed meeting"]["beirat:outcome"] == "noted"
    assert shown["closed committee"]["beirat:votesYes"] == 4
    assert shown["item only, held"]["beirat:outcome"] == "rejected"
    assert "agendaItem" not in shown["item only, held"]
    assert shown["undated"]["beirat:outcome"] == "referred"
    # The consultation and file lists read rows too: the same comparison.
    hidden_route = Consultation.objects.get(paper=hidden)
    for query in ("?limit=5", f"?limit=5&modified_since={since}"):
        consultations = _list_entries_compared_with_objects(
            client, f"/oparl/v1/body/{body.pk}/consultation{query}"
        )
        listed = {item["id"].rsplit("/", 1)[1] for item in consultations}
        assert {str(c.pk) for c in route.values()} <= listed
        assert str(hidden_route.pk) not in listed
        files = _list_entries_compared_with_objects(client, f"/oparl/v1/body/{body.pk}/file{query}")
        listed = {item["id"].rsplit("/", 1)[1] for item in files}
        assert {str(paper.pk), str(mirrored.pk)} <= listed
        assert not {str(hidden.pk), str(withdrawn.pk), str(registered.pk)} & listed
        assert "MARKER-5e1d" not in json.dumps(consultations + files, ensure_ascii=False)
    # Meetings and agenda items: read for the whole page, compared with the objects at their ids.
    for query in ("?limit=2", f"?limit=2&modified_since={since}"):
        listed_meetings = _list_entries_compared_with_objects(
            client, f"/oparl/v1/body/{body.pk}/meeting{query}"
        )
        items = _list_entries_compared_with_objects(
            client, f"/oparl/v1/body/{body.pk}/agendaitem{query}"
        )
        meeting_keys = {item["id"].rsplit("/", 1)[1] for item in listed_meetings}
        held = route["held"].meeting_id
        assert {str(held), str(route["to come, withheld"].meeting_id)} <= meeting_keys
        assert str(route["closed meeting"].meeting_id) not in meeting_keys
        assert str(route["closed committee"].meeting_id) not in meeting_keys
        of_held = next(item for item in listed_meetings if item["id"].endswith(f"/{held}"))
        assert [item["order"] for item in of_held["agendaItem"]] == [0, 1]
        assert of_held["agendaItem"][0]["resolutionText"] == "Der Ausschuss beschließt."
        assert of_held["invitation"]
        assert of_held["resultsProtocol"]
        assert str(route["held"].agenda_item_id) in {i["id"].rsplit("/", 1)[1] for i in items}
        assert "MARKER-5e1d" not in json.dumps(listed_meetings + items, ensure_ascii=False)
    mirror = next(item for item in paged if item["id"].endswith(f"/paper/{mirrored.pk}"))
    assert mirror["reference"] == "1234/2014"
    assert mirror["web"].endswith("/1234-2014/")
