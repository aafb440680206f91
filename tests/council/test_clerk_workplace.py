"""The council office's workplace: fewer steps from a new paper to its decision."""

import datetime

import pytest
from django.utils import timezone

from beirat.core.audit import history_of
from beirat.council.models import AgendaItem, Consultation, Decision, Meeting, Paper
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import BodyFactory, CommitteeFactory

pytestmark = pytest.mark.django_db
STAFF = "/arbeitsplatz/rat"


def _future_meeting(**fields) -> Meeting:
    return MeetingFactory(start=timezone.now() + datetime.timedelta(days=10), **fields)


def test_saving_a_new_paper_or_meeting_lands_on_it(clerk):
    BodyFactory()
    response = clerk.post(
        f"{STAFF}/vorlagen/neu/",
        {"paper_type": "inquiry", "date": "2026-11-20", "name": "Offene Daten", "public": "on"},
    )
    assert response["Location"] == f"{STAFF}/vorlagen/{Paper.objects.get().pk}/"
    committee = CommitteeFactory()
    response = clerk.post(
        f"{STAFF}/sitzungen/neu/",
        {"committee": committee.pk, "start": "2026-12-20T17:00", "state": "scheduled"},
    )
    assert response["Location"] == f"{STAFF}/sitzungen/{Meeting.objects.get().pk}/"


def test_dates_of_a_new_paper_and_meeting_default_to_today(clerk):
    today = timezone.localdate()
    assert f'value="{today:%Y-%m-%d}"' in clerk.get(f"{STAFF}/vorlagen/neu/").content.decode()
    assert (
        f'value="{today:%Y-%m-%d}T17:00"' in clerk.get(f"{STAFF}/sitzungen/neu/").content.decode()
    )


def test_an_agenda_item_left_without_subject_takes_the_papers(clerk):
    meeting = _future_meeting()
    paper = PublishedPaperFactory(name="Parkhausbelegung als offene Daten")
    page = clerk.get(f"{STAFF}/sitzungen/{meeting.pk}/").content.decode()
    assert 'data-subject="Parkhausbelegung als offene Daten"' in page
    assert "agenda-subject.js" in page
    clerk.post(f"{STAFF}/sitzungen/{meeting.pk}/", {"number": "Ö 1", "paper": paper.pk, "name": ""})
    assert AgendaItem.objects.get().name == "Parkhausbelegung als offene Daten"
    response = clerk.post(f"{STAFF}/sitzungen/{meeting.pk}/", {"number": "Ö 2", "name": ""})
    assert "Bitte geben Sie einen Gegenstand an" in response.content.decode()


def test_agenda_items_are_edited_moved_and_removed_before_the_meeting_audited(clerk, clerk_user):
    meeting = _future_meeting()
    first = AgendaItemFactory(meeting=meeting, order=0, name="Erster")
    second = AgendaItemFactory(meeting=meeting, order=1, name="Zweiter")
    scheduled = ConsultationFactory(
        committee=meeting.committee, meeting=meeting, agenda_item=second, planned_date=None
    )
    clerk.post(f"{STAFF}/tagesordnung/{first.pk}/bearbeiten/", {"number": "Ö 9", "name": "Neu"})
    first.refresh_from_db()
    assert (first.number, first.name) == ("Ö 9", "Neu")
    clerk.post(f"{STAFF}/tagesordnung/{second.pk}/verschieben/", {"direction": "up"})
    order = list(meeting.agenda_items.order_by("order").values_list("name", flat=True))
    assert order == ["Zweiter", "Neu"]
    assert clerk.get(f"{STAFF}/tagesordnung/{second.pk}/verschieben/").status_code == 405
    response = clerk.post(f"{STAFF}/tagesordnung/{second.pk}/entfernen/", {})
    assert "Bitte bestätigen Sie den Vorgang." in response.content.decode()
    clerk.post(f"{STAFF}/tagesordnung/{second.pk}/entfernen/", {"confirm": "on"})
    assert list(meeting.agenda_items.values_list("name", flat=True)) == ["Neu"]
    scheduled.refresh_from_db()
    assert (scheduled.meeting, scheduled.agenda_item) == (None, None)
    actions = {entry.action for entry in history_of(first)} | {
        entry.action for entry in history_of(second)
    }
    assert {"agenda_item.updated", "agenda_item.moved", "agenda_item.removed"} <= actions


def test_the_agenda_of_a_meeting_that_took_place_stays_as_it_was(clerk):
    item = AgendaItemFactory(name="Bericht")  # the factory's meeting was 30 days ago
    for path, data in [
        ("bearbeiten/", {"number": "Ö 1", "name": "Anders"}),
        ("verschieben/", {"direction": "down"}),
        ("entfernen/", {"confirm": "on"}),
    ]:
        clerk.post(f"{STAFF}/tagesordnung/{item.pk}/{path}", data)
    item.refresh_from_db()
    assert item.name == "Bericht"
    page = clerk.get(f"{STAFF}/sitzungen/{item.meeting_id}/").content.decode()
    assert "verschieben/" not in page
    assert "Ergebnis und Beschluss erfassen" in page


def test_the_route_form_groups_agenda_items_by_meeting_each_once(clerk):
    paper = PublishedPaperFactory()
    for day in (3, 40):
        meeting = MeetingFactory(start=timezone.now() - datetime.timedelta(days=day))
        AgendaItemFactory(meeting=meeting, number="Ö 1", name="Mitteilungen")
    page = clerk.get(f"{STAFF}/vorlagen/{paper.pk}/gremienweg/neu/").content.decode()
    assert page.count("<optgroup") == 2
    assert page.count(">Ö 1 Mitteilungen</option>") == 2


def test_the_route_lists_its_dates_in_order(anonymous):
    paper = PublishedPaperFactory()
    for position, day in [(1, 20), (2, 5), (3, 12)]:
        ConsultationFactory(
            paper=paper, position=position, planned_date=datetime.date(2021, 4, day)
        )
    page = anonymous.get(paper.get_absolute_url()).content.decode()
    dates = [page.index(f"{day:02d}.04.2021") for day in (5, 12, 20)]
    assert dates == sorted(dates)


def test_publishing_asks_one_sentence(clerk):
    paper = PublishedPaperFactory(status=Paper.Status.REGISTERED)
    page = clerk.get(f"{STAFF}/vorlagen/{paper.pk}/veroeffentlichen/").content.decode()
    assert "soll jetzt für alle auf der Website, in der Suche und in der OParl" in page
    assert "Ja, ich bin sicher." not in page


def test_outcome_votes_and_decision_text_on_one_page(clerk, anonymous):
    item = AgendaItemFactory(paper=PublishedPaperFactory())
    consultation = ConsultationFactory(
        paper=item.paper, committee=item.meeting.committee, meeting=item.meeting, agenda_item=item
    )
    url = f"{STAFF}/tagesordnung/{item.pk}/beschluss/"
    page = clerk.get(url).content.decode()
    assert "Kenntnis – zur Kenntnis genommen, ohne Abstimmung" in page
    assert 'name="votes_yes"' in page
    assert 'name="text"' in page
    clerk.post(
        url,
        {
            "outcome": "majority",
            "votes_yes": "12",
            "votes_no": "3",
            "votes_abstain": "1",
            "text": "Der Ausschuss empfiehlt die Umsetzung.",
        },
    )
    consultation.refresh_from_db()
    assert (consultation.outcome, consultation.votes_yes) == ("majority", 12)
    assert Decision.objects.get().text == "Der Ausschuss empfiehlt die Umsetzung."
    assert clerk.get(f"{STAFF}/gremienweg/{consultation.pk}/ergebnis/")["Location"] == url
    public = " ".join(anonymous.get(item.meeting.get_absolute_url()).content.decode().split())
    assert "mehrheitlich" in public
    assert "Ja 12, Nein 3, Enthaltungen 1" in public
    assert "Der Ausschuss empfiehlt die Umsetzung." in public


def test_an_item_without_paper_records_outcome_and_text_without_votes(clerk):
    item = AgendaItemFactory()
    url = f"{STAFF}/tagesordnung/{item.pk}/beschluss/"
    assert 'name="votes_yes"' not in clerk.get(url).content.decode()
    clerk.post(url, {"outcome": "noted", "text": "Zur Kenntnis genommen."})
    item.refresh_from_db()
    assert item.result == "Kenntnis"
    assert Consultation.objects.count() == 0
