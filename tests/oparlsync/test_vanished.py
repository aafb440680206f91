"""Objects a source drops without a ``deleted`` entry: a full run that read every list to its end
treats them as deleted there; a list cut short, too many at once or an incremental run remove
nothing."""

from __future__ import annotations

from typing import Any

import pytest

from beirat.council.models import Meeting, Paper
from beirat.directory.models import Committee, Membership, Person
from beirat.oparlsync import services
from beirat.oparlsync.models import Source, SyncRun
from tests.oparlsync.server import OParlTestServer, register_source

pytestmark = pytest.mark.django_db
TYPE = "https://schema.oparl.org/1.1/"


@pytest.fixture
def server(quick_client):
    with OParlTestServer() as running:
        yield running


def _organization(server: OParlTestServer, key: int) -> dict[str, Any]:
    return {
        "id": f"{server.base}/organization/{key}",
        "type": f"{TYPE}Organization",
        "name": f"Ausschuss {key}",
        "classification": "Ausschuss",
    }


def _person(server: OParlTestServer, key: int, organization: int) -> dict[str, Any]:
    return {
        "id": f"{server.base}/person/{key}",
        "type": f"{TYPE}Person",
        "familyName": f"Muster{key}",
        "givenName": "Erika",
        "membership": [
            {
                "id": f"{server.base}/membership/{key}",
                "type": f"{TYPE}Membership",
                "organization": f"{server.base}/organization/{organization}",
                "role": "Mitglied",
            }
        ],
    }


def _meeting(server: OParlTestServer, key: int) -> dict[str, Any]:
    return {
        "id": f"{server.base}/meeting/{key}",
        "type": f"{TYPE}Meeting",
        "name": f"{key}. Sitzung",
        "start": f"2024-03-0{key % 9 + 1}T17:00:00+01:00",
        "organization": [f"{server.base}/organization/1"],
    }


def _paper(server: OParlTestServer, key: int) -> dict[str, Any]:
    return {
        "id": f"{server.base}/paper/{key}",
        "type": f"{TYPE}Paper",
        "name": f"Vorlage {key}",
        "reference": f"VO/2024/{key:04d}",
        "date": "2024-03-01",
    }


def _serve(
    server: OParlTestServer,
    *,
    organizations: list[int],
    persons: list[int],
    meetings: list[int],
    papers: list[int],
) -> None:
    body = server.example("Body-01")
    body.pop("legislativeTerm", None)
    server.serve("/", server.example("System-01"))
    server.page("/bodies", [body])
    server.page("/body/0/organizations/", [_organization(server, key) for key in organizations])
    server.page("/body/0/persons/", [_person(server, key, 1) for key in persons])
    server.page("/body/0/memberships/", [])
    server.page("/body/0/meetings/", [_meeting(server, key) for key in meetings])
    server.page("/body/0/papers/", [_paper(server, key) for key in papers])


def _source(server: OParlTestServer) -> Source:
    source: Source = register_source(server)
    return source


def _notes(run: SyncRun) -> str:
    return " ".join(note["note"] for note in run.notes)


def test_a_full_run_treats_what_the_source_dropped_as_deleted(server):
    _serve(server, organizations=[1, 2], persons=[1, 2], meetings=[1, 2], papers=[1, 2, 3])
    source = _source(server)
    first = services.synchronise(source=source)
    assert first.status == SyncRun.Status.FINISHED, first.failures
    assert Paper.objects.count() == 3

    # The source drops a paper, a meeting, a person (with the membership in it), a committee.
    _serve(server, organizations=[1], persons=[1], meetings=[1], papers=[1, 2])
    run = services.synchronise(source=source, full=True)

    assert run.status == SyncRun.Status.FINISHED, run.failures
    assert run.deleted == 5  # paper, meeting, membership, person, committee
    assert Paper.objects.get(reference="VO/2024/0003").status == Paper.Status.WITHDRAWN
    assert Paper.objects.get(reference="VO/2024/0002").status == Paper.Status.PUBLISHED
    assert list(Meeting.objects.values_list("name", flat=True)) == ["1. Sitzung"]
    assert not Committee.objects.get(name="Ausschuss 2").public
    assert Committee.objects.get(name="Ausschuss 1").public
    assert not Person.objects.get(family_name="Muster2").public
    assert Membership.objects.get(person__family_name="Muster2").end_date is not None
    assert Membership.objects.get(person__family_name="Muster1").end_date is None
    assert "In der Quelle nicht mehr vorhanden" in _notes(run)

    again = services.synchronise(source=source, full=True)
    assert (again.deleted, again.changed, again.created) == (0, 0, 0)  # told once


def test_a_paper_that_comes_back_is_published_again(server):
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1, 2])
    source = _source(server)
    services.synchronise(source=source)
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1])
    services.synchronise(source=source, full=True)
    assert Paper.objects.get(reference="VO/2024/0002").status == Paper.Status.WITHDRAWN
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1, 2])
    services.synchronise(source=source, full=True)
    assert Paper.objects.get(reference="VO/2024/0002").status == Paper.Status.PUBLISHED


def test_an_incremental_run_removes_nothing_it_was_not_told(server):
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1, 2])
    source = _source(server)
    services.synchronise(source=source)
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1])
    run = services.synchronise(source=source)
    assert run.is_incremental
    assert run.deleted == 0
    assert Paper.objects.filter(status=Paper.Status.PUBLISHED).count() == 2


def test_a_list_cut_short_removes_nothing(server):
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1, 2])
    source = _source(server)
    services.synchronise(source=source)
    # Paper 2 is on a second page the server no longer answers.
    server.page("/body/0/papers/", [_paper(server, 1)], "/papers/2")
    run = services.synchronise(source=source, full=True)
    assert run.deleted == 0
    assert Paper.objects.filter(status=Paper.Status.PUBLISHED).count() == 2
    assert "Liste paper nicht vollständig gelesen" in _notes(run)


def test_an_entry_that_cannot_be_had_is_not_taken_for_gone(server):
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1, 2])
    source = _source(server)
    services.synchronise(source=source)
    # Paper 2 listed by its URL only, which answers 404 this time.
    server.page("/body/0/papers/", [_paper(server, 1), f"{server.base}/paper/2"])
    run = services.synchronise(source=source, full=True)
    assert run.deleted == 0
    assert Paper.objects.filter(status=Paper.Status.PUBLISHED).count() == 2


def test_too_many_gone_at_once_removes_nothing_and_says_so(server):
    papers = list(range(1, 14))
    _serve(server, organizations=[1], persons=[], meetings=[], papers=papers)
    source = _source(server)
    services.synchronise(source=source)
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[1])
    run = services.synchronise(source=source, full=True)
    assert run.deleted == 0
    assert Paper.objects.filter(status=Paper.Status.PUBLISHED).count() == 13
    assert "12 von 13 Objekten der Liste paper fehlen" in _notes(run)


def test_a_resumed_run_does_not_check_for_gone_objects(server):
    _serve(server, organizations=[1, 2], persons=[], meetings=[], papers=[1])
    source = _source(server)
    services.synchronise(source=source)
    _serve(server, organizations=[1], persons=[], meetings=[], papers=[])

    def stop_at_the_papers(kind: str, done: int, total: int) -> None:
        if kind == "meeting":
            raise KeyboardInterrupt

    server.page("/body/0/meetings/", [_meeting(server, 1)])
    with pytest.raises(KeyboardInterrupt):
        services.synchronise(source=source, full=True, progress=stop_at_the_papers)
    resumed = services.synchronise(source=source)
    assert resumed.status == SyncRun.Status.FINISHED
    assert resumed.deleted == 0
    assert "Fortgesetzter Abgleich" in _notes(resumed)
    assert Committee.objects.get(name="Ausschuss 2").public


def _reads_of_all_mappings(queries: list[dict[str, str]]) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("SELECT")
        and 'FROM "oparlsync_syncedobject"' in query["sql"]
        and '"oparl_id" =' not in query["sql"]
        and '"local_id" =' not in query["sql"]
    ]


def test_an_incremental_run_reads_only_the_mappings_it_meets(server):
    """At 100,000 papers, reading every mapping took longer than an incremental run may."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _serve(server, organizations=[1], persons=[1], meetings=[1], papers=[1, 2, 3])
    source = _source(server)
    services.synchronise(source=source)
    changed = {**_paper(server, 2), "name": "Neuer Betreff"}
    server.page("/body/0/papers/", [changed])
    with CaptureQueriesContext(connection) as incremental:
        run = services.synchronise(source=source)
    assert run.is_incremental
    assert run.changed == 1
    assert Paper.objects.get(reference="VO/2024/0002").name == "Neuer Betreff"
    assert _reads_of_all_mappings(incremental.captured_queries) == []
    with CaptureQueriesContext(connection) as full:
        services.synchronise(source=source, full=True)
    assert len(_reads_of_all_mappings(full.captured_queries)) == 1  # the control: read at once


def test_memberships_inside_people_cut_short_are_not_taken_for_gone(server):
    _serve(server, organizations=[1], persons=[1, 2], meetings=[], papers=[])
    source = _source(server)
    services.synchronise(source=source)
    # The people's second page (with person 2 and the membership inside) cannot be read; the
    # membership list itself is read to its end (empty, as before).
    server.page("/body/0/persons/", [_person(server, 1, 1)], "/persons/2")
    run = services.synchronise(source=source, full=True)
    assert run.deleted == 0
    assert Membership.objects.filter(end_date__isnull=True).count() == 2
