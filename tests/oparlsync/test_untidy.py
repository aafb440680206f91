"""The official OParl examples, served by a local server and bent into the shapes real systems
send: the sync never crashes, imports what can be read and reports each bad object with its
URL and the reason."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from beirat.core.models import AuditEntry
from beirat.council.models import AgendaItem, Consultation, Meeting, Paper
from beirat.directory.models import Committee, Membership, Person
from beirat.oparlsync import services
from beirat.oparlsync.models import Source, SyncedObject, SyncRun
from tests.factories.council import PublishedPaperFactory
from tests.oparlsync.server import Answer, OParlTestServer, json_answer, register_source

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _small_answers(quick_client):
    quick_client.BEIRAT_OPARL_SYNC_MAX_BYTES = 200_000


@pytest.fixture
def server():
    with OParlTestServer() as running:
        yield running


def _source(server: OParlTestServer) -> Source:
    source: Source = register_source(server)
    return source


def _system_and_body(server: OParlTestServer) -> dict[str, Any]:
    system = server.example("System-01")
    server.serve("/", system)
    body = server.example("Body-01")
    server.page("/bodies", [body])
    return body


def _untidy(server: OParlTestServer) -> None:
    """Every shape of the brief, in one system."""
    body = _system_and_body(server)
    base = server.base
    # Organizations: the example, a duplicate, one without a name, one sent only as a relative
    # URL (to be fetched), then an empty page and a next link back to the first page (a loop).
    finance = server.example("Organization-01")
    council = {
        "id": f"{base}/organization/96",
        "type": "https://schema.oparl.org/1.1/Organization",
        "name": "Rat der Stadt",
        "classification": "Rat",
        "votingMemberCount": "fünfzig",  # wrong type: left out, the rest imported
    }
    server.serve("/organization/96", council)
    nameless = {"id": f"{base}/organization/7", "type": "https://schema.oparl.org/1.1/Organization"}
    server.page(
        "/body/0/organizations/", [finance, finance, nameless, "/organization/96"], "/orgs/2"
    )
    server.page("/orgs/2", [], "/body/0/organizations/")
    # Persons: the example embeds its memberships (their organizations unknown: reported), one
    # membership to the finance committee added; one person without any name.
    person = server.example("Person-01")
    person["membership"].append(
        {
            "id": f"{base}/memberships/700",
            "organization": finance["id"].replace("http://", "https://"),  # http/https mixed
            "role": "Vorsitzende",
            "startDate": "2014-02-01",
            "endDate": "2013-01-01",  # before its start: left out, noted
        }
    )
    server.page("/body/0/persons/", [person, {"id": f"{base}/person/2", "name": ""}])
    # Memberships: the list answers an HTML error page.
    server.routes["/body/0/memberships/"] = Answer(
        200, b"<html><body>Wartungsarbeiten</body></html>", {"Content-Type": "text/html"}
    )
    # Meetings: the example; one with a German date without time zone and its agenda items
    # as URLs; one without start; one of an unknown committee; a huge page is not here.
    meeting = server.example("Meeting-01")
    german = {
        "id": f"{base}/meeting/282",
        "type": "https://schema.oparl.org/1.1/Meeting",
        "name": "5. Sitzung des Finanzausschusses",
        "start": "04.02.2013 17:00",
        "organization": f"{base}/organization/34",  # a single id where a list is expected
        "location": "/location/0",  # a URL where the object is expected
        "agendaItem": ["/agendaitem/1", "/agendaitem/2"],
    }
    server.serve("/location/0", server.example("Location-01"))
    server.serve(
        "/agendaitem/1",
        {"id": f"{base}/agendaitem/1", "number": 1, "name": "Eröffnung", "public": "true"},
    )
    server.routes["/agendaitem/2"] = Answer(500, b"Internal Server Error")
    no_start = {"id": f"{base}/meeting/283", "organization": [finance["id"]]}
    stranger = {
        "id": f"{base}/meeting/284",
        "start": "2013-03-01T10:00:00+01:00",
        "organization": [f"{base}/organization/9999"],
    }
    server.page("/body/0/meetings/", [meeting, german, no_start, stranger])
    # Papers: the example with its consultation pointed at the finance committee's meeting,
    # a paper whose number is one of ours, a paper of wrong types, papers sent as URLs that
    # fail in every way, then a second page of invalid JSON.
    paper = server.example("Paper-01")
    paper["consultation"][0].update(
        {
            "meeting": meeting["id"],
            "agendaItem": meeting["agendaItem"][0]["id"],
            "organization": [finance["id"].replace("http://", "https://")],
        }
    )
    ours = PublishedPaperFactory()
    colliding = {
        "id": f"{base}/paper/750",
        "name": "Antrag mit unserer Nummer",
        "reference": ours.reference,
        "date": "2014-04-05T10:00:00",  # a time where a date is expected, without zone
        "paperType": "Antrag",
    }
    wrong_types = {
        "id": f"{base}/paper/751",
        "name": 4711,
        "reference": ["SV", "12/2014"],
        "date": "kein Datum",
        "consultation": {"id": f"{base}/consultation/9", "organization": "nicht-da"},
    }
    empty = {"id": f"{base}/paper/752", "type": "https://schema.oparl.org/1.1/Paper"}
    no_id = {"name": "Vorlage ohne id"}
    server.routes["/paper/900"] = Answer(503, b"busy", {"Retry-After": "0"})
    server.routes["/paper/901"] = Answer(200, b"{not json", {"Content-Type": "application/json"})
    server.routes["/paper/902"] = Answer(302, b"", {"Location": "/paper/902"})
    server.routes["/paper/903"] = Answer(200, b"{}", {"Content-Type": "application/json"}, 2.5)
    server.routes["/paper/904"] = json_answer({"id": f"{base}/paper/904", "name": "x" * 300_000})
    later = {"id": f"{base}/paper/905", "name": "Nach 429 gelesen", "reference": "905/2014"}
    server.routes["/paper/905"] = lambda count: (
        Answer(429, b"", {"Retry-After": "0"}) if count == 1 else json_answer(later)
    )
    server.page(
        "/body/0/papers/",
        [
            paper,
            colliding,
            wrong_types,
            empty,
            no_id,
            *[f"/paper/{key}" for key in range(900, 906)],
        ],
        "/papers/2",
    )
    server.routes["/papers/2"] = Answer(200, b'{"data": [', {"Content-Type": "application/json"})
    del body  # served above


def _reasons(run: SyncRun) -> dict[str, str]:
    return {
        failure["url"].rsplit(":", 1)[-1].split("/", 1)[-1]: failure["reason"]
        for failure in run.failures
    }


def test_untidy_system_is_imported_as_far_as_it_can_be_read(server):
    _untidy(server)
    source = _source(server)
    run = services.synchronise(source=source)

    assert run.status == SyncRun.Status.FINISHED
    reasons = _reasons(run)
    assert "Organisation ohne Namen" in reasons["organization/7"]
    assert "Person ohne Namen" in reasons["person/2"]
    assert "HTML" in reasons["body/0/memberships/"]
    assert "lesbaren Beginn" in reasons["meeting/283"]
    assert "Gremium" in reasons["meeting/284"]
    assert "HTTP-Status 500" in reasons["agendaitem/2"]
    assert "Vorlage ohne Betreff" in reasons["paper/752"]
    assert "503" in reasons["paper/900"]
    assert "JSON" in reasons["paper/901"]
    assert "Weiterleitung" in reasons["paper/902"]
    assert "Zeitüberschreitung" in reasons["paper/903"]
    assert "größer" in reasons["paper/904"]
    assert "JSON" in reasons["papers/2"]
    assert any("ohne gültige id" in failure["reason"] for failure in run.failures)
    assert "consultation/9" in reasons  # a route entry of an unknown committee
    notes = " ".join(note["note"] for note in run.notes)
    assert "im Kreis" in notes
    assert "schon vergeben" in notes
    assert "Ende vor Beginn" in notes

    finance = Committee.objects.get(name="Ausschuss für Haushalt und Finanzen")
    assert Committee.objects.get(name="Rat der Stadt").kind == Committee.Kind.COUNCIL
    assert Committee.objects.filter(name=finance.name).count() == 1  # the duplicate once
    person = Person.objects.get(family_name="Mustermann")
    assert person.email == ""  # contact data stay at the source
    membership = Membership.objects.get(person=person, committee=finance)
    assert membership.role == Membership.Role.CHAIR
    assert membership.end_date is None

    # Mirrored records name their source, which makes them read-only here.
    assert (finance.source_name, person.source_name) == (source.name, source.name)
    german = Meeting.objects.get(name="5. Sitzung des Finanzausschusses")
    assert german.source_name == source.name
    assert german.start == timezone.make_aware(datetime.datetime(2013, 2, 4, 17, 0))
    assert german.location.startswith("Deutscher Bundestag")
    assert list(german.agenda_items.values_list("name", flat=True)) == ["Eröffnung"]

    imported = Paper.objects.get(reference="1234/2014")
    assert imported.is_public
    assert imported.is_mirrored
    assert imported.paper_type == Paper.Type.ANSWER  # "Beantwortung einer Anfrage"
    consultation = Consultation.objects.get(paper=imported)
    assert consultation.committee == finance
    item = AgendaItem.objects.get(pk=consultation.agenda_item_id)
    assert item.paper == imported
    assert item.meeting.name == "4. Sitzung des Finanzausschusses"
    collided = Paper.objects.get(name="Antrag mit unserer Nummer")
    assert collided.reference != collided.reference.split("-Q")[0]
    assert collided.date == datetime.date(2014, 4, 5)
    assert Paper.objects.get(name="4711").reference == "SV 12/2014"
    assert Paper.objects.filter(name="Nach 429 gelesen").exists()
    mapping = SyncedObject.objects.get(source=source, oparl_id=f"{server.base}/paper/749")
    assert mapping.local_id == imported.pk


def test_second_run_changes_nothing(server):
    _untidy(server)
    source = _source(server)
    first = services.synchronise(source=source)
    counts = (Paper.objects.count(), Meeting.objects.count(), Committee.objects.count())
    audited = AuditEntry.objects.count()
    second = services.synchronise(source=source, full=True)
    assert AuditEntry.objects.count() == audited  # not a single record was saved again
    assert (second.created, second.changed, second.deleted) == (0, 0, 0)
    assert second.unchanged > 0
    assert second.failed == first.failed  # the same bad objects, reported again
    assert (Paper.objects.count(), Meeting.objects.count(), Committee.objects.count()) == counts


def test_change_and_deletion_arrive_with_the_incremental_run(server):
    body = _system_and_body(server)
    finance = server.example("Organization-01")
    server.page("/body/0/organizations/", [finance])
    paper = server.example("Paper-01")
    del paper["consultation"]
    other = {"id": f"{server.base}/paper/2", "name": "Bleibt", "reference": "2/2014"}
    server.page("/body/0/papers/", [paper, other])
    source = _source(server)
    services.synchronise(source=source)

    changed = {**copy.deepcopy(paper), "name": "Neuer Betreff", "modified": "2014-05-01T10:00:00"}
    gone = {"id": other["id"], "type": "https://schema.oparl.org/1.1/Paper", "deleted": True}
    server.page("/body/0/papers/", [changed, gone])
    run = services.synchronise(source=source)
    assert run.is_incremental
    asked = [path for path in server.hits if path.startswith("/body/0/papers/?")]
    assert asked
    assert "modified_since=" in asked[-1]
    assert (run.changed, run.deleted) == (1, 1)
    assert Paper.objects.get(reference="1234/2014").name == "Neuer Betreff"
    assert Paper.objects.get(reference="2/2014").status == Paper.Status.WITHDRAWN
    del body


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (lambda s: s.serve("/", {"hello": "world"}), "kein OParl-System"),
        (
            lambda s: s.routes.__setitem__(
                "/",
                Answer(200, b"<!doctype html><title>RIS</title>", {"Content-Type": "text/html"}),
            ),
            "HTML",
        ),
        (
            lambda s: (s.serve("/", s.example("System-01")), s.page("/bodies", [])),
            "keine Körperschaft",
        ),
    ],
)
def test_a_source_that_is_no_usable_oparl_system_fails_with_the_reason(server, arrange, reason):
    arrange(server)
    run = services.synchronise(source=_source(server))
    assert run.status == SyncRun.Status.FAILED
    assert reason in run.message


def test_a_body_that_disappears_between_runs_stops_the_run_with_the_reason(server):
    body = _system_and_body(server)
    source = _source(server)
    assert services.synchronise(source=source).status == SyncRun.Status.FINISHED
    source.refresh_from_db()
    assert source.body_url.endswith("/body/0")
    server.page("/bodies", [{**body, "id": f"{server.base}/body/1"}])
    run = services.synchronise(source=source)
    assert run.status == SyncRun.Status.FAILED
    assert "nicht (mehr) vorhanden" in run.message


def test_an_interrupted_run_resumes_at_its_page(server):
    _system_and_body(server)
    organizations = [
        {"id": f"{server.base}/organization/{key}", "name": f"Ausschuss {key}"}
        for key in range(1, 7)
    ]
    server.page("/body/0/organizations/", organizations[:3], "/orgs/2")
    server.page("/orgs/2", organizations[3:])
    source = _source(server)

    def stop_after_first_page(kind: str, done: int, total: int) -> None:
        if kind == "organization" and done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services.synchronise(source=source, progress=stop_after_first_page)
    interrupted = SyncRun.objects.get()
    assert interrupted.status == SyncRun.Status.INTERRUPTED
    assert Committee.objects.count() == 3
    source.refresh_from_db()
    assert source.locked_since is None  # the lock is given back

    resumed = services.synchronise(source=source)
    assert resumed.pk == interrupted.pk
    assert resumed.status == SyncRun.Status.FINISHED
    assert Committee.objects.count() == 6
    assert server.hits["/body/0/organizations/"] == 1  # the first page was not read again
    assert resumed.created == 7  # the six committees and the body's legislative term


def test_one_run_per_source_at_a_time(server):
    _system_and_body(server)
    source = _source(server)
    Source.objects.filter(pk=source.pk).update(locked_since=timezone.now())
    with pytest.raises(services.SourceBusy):
        services.synchronise(source=source)
    assert not SyncRun.objects.exists()
    # A lock older than the limit belonged to a process that died: it is taken over.
    stale = timezone.now() - datetime.timedelta(hours=7)
    Source.objects.filter(pk=source.pk).update(locked_since=stale)
    assert services.synchronise(source=source).status == SyncRun.Status.FINISHED


def test_retry_after_is_honoured_up_to_the_limit(server, settings):
    from beirat.oparlsync.client import OParlClient

    waits: list[float] = []
    server.routes["/slow"] = lambda count: (
        Answer(429, b"", {"Retry-After": "30"}) if count == 1 else json_answer({"ok": True})
    )
    settings.BEIRAT_OPARL_SYNC_MAX_WAIT_SECONDS = 5
    client = OParlClient(sleep=waits.append)
    assert client.get(server.url("/slow")) == {"ok": True}
    assert waits == [5]  # the server asked for 30 s; we wait at most the configured 5


def test_the_report_is_json_safe_and_names_urls(server):
    _untidy(server)
    run = services.synchronise(source=_source(server))
    json.dumps(run.failures)
    assert all(failure["url"] and failure["reason"] for failure in run.failures)


def test_a_broken_database_rule_is_reported_in_the_rules_own_words():
    # Mirrored records leave unique and check constraints to the database; its IntegrityError
    # becomes the constraint's own message in the report, or a plain German sentence.
    from django.db import IntegrityError

    from beirat.oparlsync.engine import _reason

    sqlite = IntegrityError("CHECK constraint failed: meeting_ends_after_start")
    postgres = IntegrityError(
        'new row for relation "council_meeting" violates check constraint '
        '"meeting_ends_after_start"'
    )
    assert _reason(sqlite) == "Das Ende darf nicht vor dem Beginn liegen."
    assert _reason(postgres) == "Das Ende darf nicht vor dem Beginn liegen."
    unnamed = IntegrityError("UNIQUE constraint failed: council_consultation.paper_id")
    assert _reason(unnamed).startswith("Widerspricht einer Regel der Datenbank: UNIQUE")
