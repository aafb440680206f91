"""The body's legislative terms (Wahlperioden): embedded in the body or as their own list,
stored once, adopted where the city entered them already, and bad ones reported."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from beirat.directory.models import LegislativeTerm
from beirat.directory.services import installation_body
from beirat.oparlsync import services
from beirat.oparlsync.models import Source, SyncedObject
from tests.oparlsync.server import OParlTestServer, register_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_client")]


def _serve(server: OParlTestServer, body: dict[str, Any]) -> None:
    server.serve("/", server.example("System-01"))
    server.page("/bodies", [body])
    for listed in ("organizations", "persons", "memberships", "meetings", "papers"):
        server.page(f"/body/0/{listed}/", [])


def _term(server: OParlTestServer, number: int, name: str, start: str, end: str) -> dict[str, Any]:
    return {
        "id": server.url(f"/term/{number}"),
        "type": "https://schema.oparl.org/1.1/LegislativeTerm",
        "name": name,
        "startDate": start,
        "endDate": end,
        "modified": "2014-01-08T14:28:31+01:00",
    }


def _source(server: OParlTestServer) -> Source:
    """The source registered on first use, the same one after."""
    existing = Source.objects.first()
    return existing if existing is not None else register_source(server)


@pytest.fixture
def server():
    with OParlTestServer() as running:
        yield running


def test_the_embedded_term_of_the_official_example_is_stored_once(server):
    _serve(server, server.example("Body-01"))
    run = services.synchronise(source=_source(server))
    assert run.failed == 0, run.failures
    term = LegislativeTerm.objects.get()
    assert (term.name, term.start_date, term.end_date) == (
        "21. Wahlperiode",
        datetime.date(2010, 12, 3),
        datetime.date(2013, 12, 3),
    )
    assert SyncedObject.objects.filter(local_model="directory.legislativeterm").count() == 1
    again = services.synchronise(source=_source(server), full=True)
    assert (again.created, again.changed, again.failed) == (0, 0, 0)
    assert LegislativeTerm.objects.count() == 1


def test_terms_only_as_their_own_list_are_read_from_it(server):
    body = server.example("Body-01")
    del body["legislativeTerm"]
    body["legislativeTermList"] = server.url("/body/0/terms")
    server.page(
        "/body/0/terms",
        [_term(server, 1, "Wahlperiode 2019–2024", "2019-07-01", "2024-06-30")],
        "/body/0/terms/2",
    )
    server.page("/body/0/terms/2", [_term(server, 2, "Wahlperiode 2024–2029", "2024-07-01", "")])
    _serve(server, body)
    run = services.synchronise(source=_source(server))
    assert run.failed == 0, run.failures
    names = list(LegislativeTerm.objects.order_by("start_date").values_list("name", "end_date"))
    assert names == [
        ("Wahlperiode 2019–2024", datetime.date(2024, 6, 30)),
        ("Wahlperiode 2024–2029", None),
    ]


def test_a_term_entered_here_is_adopted_not_doubled(server):
    body = installation_body(actor=None)
    LegislativeTerm.objects.create(
        body=body, name="21. Wahlperiode", start_date=datetime.date(2010, 12, 1)
    )
    _serve(server, server.example("Body-01"))
    run = services.synchronise(source=_source(server))
    assert run.failed == 0, run.failures
    term = LegislativeTerm.objects.get()
    assert term.start_date == datetime.date(2010, 12, 1)  # kept as the city entered it
    assert any("vorhandenen Wahlperiode" in note["note"] for note in run.notes)


def test_bad_and_overlapping_terms_are_reported_and_the_rest_is_stored(server):
    body = installation_body(actor=None)
    LegislativeTerm.objects.create(
        body=body, name="Ratsperiode 2014", start_date=datetime.date(2014, 6, 1)
    )
    source_body = server.example("Body-01")
    source_body["legislativeTerm"] = [
        _term(server, 1, "", "2009-01-01", "2010-01-01"),  # no name
        _term(server, 2, "Wahlperiode 2014–2019", "2014-07-01", "2019-06-30"),  # overlaps
        _term(server, 3, "21. Wahlperiode", "2010-12-03", "2013-12-03"),
    ]
    _serve(server, source_body)
    run = services.synchronise(source=_source(server))
    reasons = {failure["url"].rsplit("/", 1)[-1]: failure["reason"] for failure in run.failures}
    assert "ohne Bezeichnung" in reasons["1"]
    assert "überschneidet sich mit „Ratsperiode 2014“" in reasons["2"]
    assert set(LegislativeTerm.objects.values_list("name", flat=True)) == {
        "Ratsperiode 2014",
        "21. Wahlperiode",
    }
