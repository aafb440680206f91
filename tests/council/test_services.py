import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beirat.core.audit import history_of
from beirat.council import services
from beirat.council.models import Consultation, Decision, Mandate, Meeting, Paper, PaperSection
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MandateFactory,
    MeetingFactory,
    PaperFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory

pytestmark = pytest.mark.django_db


def test_register_assigns_the_next_number_of_the_type_and_year():
    first = PaperFactory(paper_type=Paper.Type.STATEMENT, date=datetime.date(2025, 6, 25))
    second = PaperFactory(
        paper_type=Paper.Type.STATEMENT, date=datetime.date(2025, 7, 1), body=first.body
    )
    services.register_paper(paper=first, actor=None)
    services.register_paper(paper=second, actor=None)
    assert sorted(Paper.objects.values_list("reference", flat=True)) == [
        "ST/0001/2025",
        "ST/0002/2025",
    ]


def test_a_historical_number_is_kept_and_the_sequence_continues_after_it():
    old = PaperFactory(paper_type=Paper.Type.STATEMENT, date=datetime.date(2025, 6, 25))
    services.register_paper(paper=old, reference="ST/0078/2025", actor=None)
    new = PaperFactory(
        paper_type=Paper.Type.STATEMENT, date=datetime.date(2025, 7, 1), body=old.body
    )
    assert services.register_paper(paper=new, actor=None).reference == "ST/0079/2025"


def test_a_duplicate_number_is_refused_and_nothing_is_stored():
    first = PaperFactory()
    services.register_paper(paper=first, reference="AF/0013/2021", actor=None)
    second = PaperFactory(body=first.body)
    with pytest.raises(ValidationError, match="bereits vergeben"):
        services.register_paper(paper=second, reference="AF/0013/2021", actor=None)
    second.refresh_from_db()
    assert (second.status, second.reference) == (Paper.Status.DRAFT, "")


def test_a_number_that_breaks_the_pattern_or_the_type_is_refused():
    paper = PaperFactory(paper_type=Paper.Type.INQUIRY)
    with pytest.raises(ValidationError, match="keine Vorlagennummer"):
        services.register_paper(paper=paper, reference="AF 13 2021", actor=None)
    with pytest.raises(ValidationError, match="passt nicht"):
        services.register_paper(paper=paper, reference="AW/0011/2021", actor=None)


def test_the_number_cannot_be_changed_after_registration():
    paper = services.register_paper(paper=PaperFactory(), actor=None)
    paper.reference = "AF/0999/2021"
    with pytest.raises(ValidationError, match="nicht mehr geändert"):
        services.update_paper(paper=paper, actor=None)


def test_publishing_needs_a_registered_paper_and_is_audited():
    paper = PaperFactory()
    with pytest.raises(ValidationError, match="registrieren"):
        services.publish_paper(paper=paper, actor=None)
    paper = services.register_paper(paper=paper, actor=None)
    services.publish_paper(paper=paper, actor=None)
    assert [e.action for e in history_of(paper)] == ["paper.published", "paper.registered"]


def test_an_answer_responds_only_to_an_inquiry():
    motion = PaperFactory(paper_type=Paper.Type.MOTION)
    answer = Paper(
        body=motion.body,
        paper_type=Paper.Type.ANSWER,
        date=motion.date,
        name="x",
        responds_to=motion,
    )
    with pytest.raises(ValidationError, match="Antwort bezieht sich auf eine Anfrage"):
        services.create_paper(paper=answer, actor=None)


def test_sections_are_stored_in_the_given_order_and_the_change_is_audited():
    paper = PaperFactory()
    services.replace_sections(
        paper=paper,
        actor=None,
        sections=[
            PaperSection(kind="introduction", text="Einleitung"),
            PaperSection(kind="item", number="1", question="Frage?", text="Antwort."),
        ],
    )
    assert list(paper.sections.values_list("position", "kind")) == [
        (1, "introduction"),
        (2, "item"),
    ]
    assert history_of(paper).get().action == "paper.sections_changed"


def test_a_decision_text_for_a_meeting_in_the_future_is_refused():
    item = AgendaItemFactory(meeting__start=timezone.now() + datetime.timedelta(days=45))
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        services.record_decision(agenda_item=item, text="Der Ausschuss nimmt Kenntnis.", actor=None)
    assert not Decision.objects.filter(agenda_item=item).exists()


def test_a_cancelled_meeting_takes_no_decision_text():
    item = AgendaItemFactory(meeting__state=Meeting.State.CANCELLED)
    with pytest.raises(ValidationError, match="abgesagt"):
        services.record_decision(agenda_item=item, text="Beschluss", actor=None)


def test_a_decision_text_after_the_meeting_is_recorded():
    item = AgendaItemFactory()
    decision = services.record_decision(agenda_item=item, text="Beschlossen.", actor=None)
    assert decision.text == "Beschlossen."


def test_outcome_for_a_meeting_in_the_future_is_refused():
    meeting = MeetingFactory(start=timezone.now() + datetime.timedelta(days=3))
    consultation = ConsultationFactory(committee=meeting.committee, meeting=meeting)
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        services.record_outcome(
            consultation=consultation,
            outcome="unanimous",
            votes_yes=10,
            votes_no=0,
            votes_abstain=0,
            votes_biased=None,
            actor=None,
        )
    consultation.refresh_from_db()
    assert consultation.outcome == ""


def test_more_votes_than_seats_are_refused():
    council = CommitteeFactory(seat_count=57, name="Stadtrat")
    consultation = ConsultationFactory(committee=council)
    with pytest.raises(ValidationError, match="mehr, als Stadtrat Sitze hat"):
        services.record_outcome(
            consultation=consultation,
            outcome="majority",
            votes_yes=40,
            votes_no=15,
            votes_abstain=5,
            votes_biased=None,
            actor=None,
        )
    assert Consultation.objects.get().votes_yes is None


def test_unanimous_with_votes_against_is_refused():
    consultation = ConsultationFactory()
    with pytest.raises(ValidationError, match="schließen sich aus"):
        services.record_outcome(
            consultation=consultation,
            outcome="unanimous",
            votes_yes=30,
            votes_no=2,
            votes_abstain=0,
            votes_biased=None,
            actor=None,
        )


def test_recorded_outcome_marks_the_meeting_held_and_fills_the_agenda_item_result():
    item = AgendaItemFactory()
    consultation = ConsultationFactory(
        committee=item.meeting.committee, meeting=item.meeting, agenda_item=item
    )
    services.record_outcome(
        consultation=consultation,
        outcome="unanimous",
        votes_yes=44,
        votes_no=0,
        votes_abstain=2,
        votes_biased=None,
        actor=None,
    )
    item.refresh_from_db()
    item.meeting.refresh_from_db()
    assert (item.result, item.meeting.state) == ("einstimmig", Meeting.State.HELD)


def test_adding_a_paper_to_an_agenda_puts_the_meeting_into_its_committee_route():
    paper = PublishedPaperFactory()
    meeting = MeetingFactory(start=timezone.make_aware(datetime.datetime(2025, 6, 26, 17)))
    item = services.add_agenda_item(
        item=AgendaItemFactory.build(meeting=meeting, paper=paper, name=paper.name), actor=None
    )
    consultation = paper.consultations.get()
    assert (consultation.meeting, consultation.agenda_item, consultation.planned_date) == (
        meeting,
        item,
        datetime.date(2025, 6, 26),
    )


def test_mandate_progress_moves_the_status_and_done_records_the_day():
    mandate = MandateFactory()
    services.report_mandate_progress(
        mandate=mandate,
        note="Gespräch geführt",
        status=Mandate.Status.IN_PROGRESS,
        public=True,
        actor=None,
    )
    services.report_mandate_progress(
        mandate=mandate,
        note="Ergebnis liegt vor",
        status=Mandate.Status.DONE,
        public=True,
        actor=None,
    )
    mandate.refresh_from_db()
    assert (mandate.status, mandate.completed_on) == (Mandate.Status.DONE, timezone.localdate())
    with pytest.raises(ValidationError, match="bereits erledigt"):
        services.report_mandate_progress(
            mandate=mandate, note="x", status="open", public=True, actor=None
        )


def test_mandate_is_overdue_after_its_due_date_until_done():
    mandate = MandateFactory(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert mandate.is_overdue
    mandate.status, mandate.completed_on = Mandate.Status.DONE, timezone.localdate()
    assert not mandate.is_overdue


def test_a_city_can_use_its_own_type_codes(settings):
    settings.BEIRAT_PAPER_TYPE_CODES = {"resolution_proposal": "DS"}
    paper = PaperFactory(paper_type=Paper.Type.RESOLUTION_PROPOSAL, date=datetime.date(2026, 1, 5))
    assert services.register_paper(paper=paper, actor=None).reference == "DS/0001/2026"
