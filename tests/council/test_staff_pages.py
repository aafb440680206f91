import datetime

import pytest
from django.utils import timezone

from beirat.core.audit import history_of
from beirat.council.models import Consultation, Mandate, Meeting, Paper
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MandateFactory,
    MeetingFactory,
    PaperFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import BodyFactory, CommitteeFactory, UnitFactory
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


def test_clerk_writes_registers_and_publishes_a_paper(clerk, clerk_user, anonymous):
    BodyFactory()
    response = clerk.post(
        "/arbeitsplatz/rat/vorlagen/neu/",
        {
            "paper_type": "resolution_proposal",
            "date": "2026-11-20",
            "name": "Einführung einer Parkplatz-App mit Echtzeitbelegung",
            "public": "on",
            "body_heading": "Begründung:",
        },
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    clerk.post(
        f"/arbeitsplatz/rat/vorlagen/{paper.pk}/abschnitte/neu/",
        {"kind": "text", "text": "Die Verwaltung schlägt vor …"},
    )
    clerk.post(f"/arbeitsplatz/rat/vorlagen/{paper.pk}/registrieren/", {"reference": ""})
    paper.refresh_from_db()
    assert paper.reference == "BV/0001/2026"
    assert anonymous.get("/vorlagen/BV-0001-2026/").status_code == 404
    clerk.post(f"/arbeitsplatz/rat/vorlagen/{paper.pk}/veroeffentlichen/", {"confirm": "on"})
    assert anonymous.get("/vorlagen/BV-0001-2026/").status_code == 200
    assert {entry.actor for entry in history_of(paper)} == {clerk_user}


def test_registering_with_a_broken_number_shows_the_reason_and_stores_nothing(clerk):
    paper = PaperFactory()
    response = clerk.post(
        f"/arbeitsplatz/rat/vorlagen/{paper.pk}/registrieren/", {"reference": "AF-13"}
    )
    assert "keine Vorlagennummer" in response.content.decode()
    assert 'value="AF-13"' in response.content.decode()
    paper.refresh_from_db()
    assert (paper.status, paper.reference) == (Paper.Status.DRAFT, "")


def test_publishing_needs_confirmation(clerk):
    paper = PublishedPaperFactory(status=Paper.Status.REGISTERED)
    response = clerk.post(f"/arbeitsplatz/rat/vorlagen/{paper.pk}/veroeffentlichen/", {})
    assert "Bitte bestätigen Sie den Vorgang." in response.content.decode()
    paper.refresh_from_db()
    assert paper.status == Paper.Status.REGISTERED


def test_votes_beyond_the_committee_size_are_refused_with_a_message(clerk):
    consultation = ConsultationFactory(committee=CommitteeFactory(name="Stadtrat", seat_count=57))
    response = clerk.post(
        f"/arbeitsplatz/rat/gremienweg/{consultation.pk}/ergebnis/",
        {
            "outcome": "majority",
            "votes_yes": "50",
            "votes_no": "10",
            "votes_abstain": "0",
        },
    )
    html = response.content.decode()
    assert "60 Stimmen sind mehr, als Stadtrat Sitze hat (57)." in html
    assert 'value="50"' in html
    assert Consultation.objects.get().outcome == ""


def test_negative_votes_are_refused_by_the_form(clerk):
    consultation = ConsultationFactory()
    response = clerk.post(
        f"/arbeitsplatz/rat/gremienweg/{consultation.pk}/ergebnis/",
        {"outcome": "majority", "votes_yes": "-3"},
    )
    assert response.status_code == 200
    assert Consultation.objects.get().outcome == ""


def test_planning_a_meeting_that_ends_before_it_starts_is_refused(clerk):
    committee = CommitteeFactory()
    response = clerk.post(
        "/arbeitsplatz/rat/sitzungen/neu/",
        {
            "committee": committee.pk,
            "start": "2026-12-10T17:00",
            "end": "2026-12-10T16:00",
            "state": "scheduled",
            "public": "on",
        },
    )
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_future_meeting_cannot_be_marked_as_held(clerk):
    meeting = MeetingFactory(start=timezone.now() + datetime.timedelta(days=10))
    response = clerk.post(
        f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/bearbeiten/",
        {
            "committee": meeting.committee.pk,
            "start": timezone.localtime(meeting.start).strftime("%Y-%m-%dT%H:%M"),
            "state": "held",
            "public": "on",
        },
    )
    assert "kann nicht durchgeführt sein" in response.content.decode()


def test_agenda_item_with_a_paper_enters_the_papers_committee_route(clerk):
    meeting = MeetingFactory()
    paper = PublishedPaperFactory()
    clerk.post(
        f"/arbeitsplatz/rat/sitzungen/{meeting.pk}/",
        {"number": "Ö 3", "name": paper.name, "public": "on", "paper": paper.pk},
    )
    assert paper.consultations.get().meeting == meeting


def test_decision_and_mandate_with_progress_until_done(clerk):
    item = AgendaItemFactory(paper=PublishedPaperFactory())
    clerk.post(
        f"/arbeitsplatz/rat/tagesordnung/{item.pk}/beschluss/",
        {"outcome": "majority", "text": "Der Stadtrat beauftragt die Verwaltung zu prüfen."},
    )
    assert item.decision.text.startswith("Der Stadtrat beauftragt")
    unit = UnitFactory()
    clerk.post(
        f"/arbeitsplatz/rat/vorlagen/{item.paper.pk}/auftraege/neu/",
        {
            "title": "Kooperation prüfen",
            "responsible_unit": unit.pk,
            "due_date": "2026-12-31",
            "decision": item.decision.pk,
        },
    )
    mandate = Mandate.objects.get()
    clerk.post(
        f"/arbeitsplatz/rat/auftraege/{mandate.pk}/stand/",
        {"note": "Erledigt mit Bericht an den Rat.", "status": "done", "public": "on"},
    )
    mandate.refresh_from_db()
    assert (mandate.status, mandate.progress.count()) == (Mandate.Status.DONE, 1)


@pytest.mark.parametrize(
    "path",
    ["/arbeitsplatz/rat/vorlagen/", "/arbeitsplatz/rat/sitzungen/", "/arbeitsplatz/rat/auftraege/"],
)
def test_staff_lists_run_the_same_number_of_queries_for_one_and_three_items(clerk, path):
    def add_items(count):
        for _ in range(count):
            MandateFactory(paper=PublishedPaperFactory(originator=CommitteeFactory()))
            MeetingFactory()

    add_items(1)
    one = query_count(clerk, path)
    add_items(2)
    assert query_count(clerk, path) == one


def test_demo_seed_papers_are_loaded_once(clerk):
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert sorted(Paper.objects.values_list("reference", flat=True)) == [
        "AF/0013/2021",
        "AT/0080/2025",
        "AW/0011/2021",
        "ST/0078/2025",
    ]
    assert Mandate.objects.count() == 2
    assert Meeting.objects.count() == 4
