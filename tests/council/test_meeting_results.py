"""One rule for every result of a meeting (outcome, votes, result, decision text, minutes): it
exists only once the meeting has taken place, and it is shown nowhere before, whoever asks."""

import datetime

import orjson
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beirat.board import queries as board_queries
from beirat.board.models import Report
from beirat.board.services import reports
from beirat.council import queries, services
from beirat.council.models import AgendaItem, Consultation, Decision
from beirat.council.pdf import paper_context
from beirat.council.search_documents import meeting_documents
from beirat.directory.models import Committee
from tests.factories.council import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
    PublishedPaperFactory,
)
from tests.factories.directory import CommitteeFactory

pytestmark = pytest.mark.django_db
DECISION = "Der Ausschuss nimmt die Anfrage zur Kenntnis."


def _with_results(start: datetime.datetime) -> AgendaItem:
    """An item whose results were written straight into the tables (as before the rule, or
    before the meeting was moved)."""
    meeting = MeetingFactory(start=start)
    paper = PublishedPaperFactory()
    item = AgendaItemFactory(meeting=meeting, paper=paper, result="mehrheitlich")
    ConsultationFactory(
        paper=paper,
        committee=meeting.committee,
        meeting=meeting,
        agenda_item=item,
        planned_date=timezone.localtime(start).date(),
        outcome=Consultation.Outcome.MAJORITY,
        votes_yes=38,
        votes_no=9,
        votes_abstain=3,
    )
    Decision.objects.create(agenda_item=item, text=DECISION)
    return item


@pytest.fixture
def future_item() -> AgendaItem:
    return _with_results(timezone.now() + datetime.timedelta(days=45))


@pytest.fixture
def past_item() -> AgendaItem:
    return _with_results(timezone.now() - datetime.timedelta(days=3))


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("who", ["anonymous", "clerk"])
def test_the_public_meeting_page_shows_no_result_before_the_meeting(request, who, future_item):
    page = _page(request.getfixturevalue(who), future_item.meeting.get_absolute_url())
    assert future_item.name in page
    for hidden in (DECISION, "mehrheitlich", "Ja 38"):
        assert hidden not in page
    assert "sobald die Sitzung stattgefunden hat" in page


def test_after_the_meeting_outcome_and_counts_are_shown_together(anonymous, past_item):
    page = _page(anonymous, past_item.meeting.get_absolute_url())
    assert 'mehrheitlich</span></span> <span class="kern-body--small">Ja 38, Nein 9' in page
    assert DECISION in page


def test_the_paper_page_and_its_pdf_route_hide_the_outcome_before_the_meeting(
    anonymous, future_item
):
    page = _page(anonymous, future_item.paper.get_absolute_url())
    table = page[page.index("<table") : page.index("</table>")]
    assert "mehrheitlich" not in table
    assert "noch offen" in table
    assert "ohne BE</dt><dd>ohne Beschlussempfehlung" in page  # the legend of the codes
    route = paper_context(future_item.paper)["route"]
    assert [step.consultation.outcome for step in route] == [""]
    assert not any(box.ticked for row in route[0].outcome_rows for box in row)
    assert [box.count for box in route[0].vote_boxes] == [None, None]


def test_a_withheld_route_entry_cannot_be_saved(future_item):
    (shown,) = queries.route_of(future_item.paper)
    with pytest.raises(RuntimeError):
        shown.save()
    assert Consultation.objects.get().outcome == Consultation.Outcome.MAJORITY


def test_oparl_shows_no_result_resolution_text_or_votes_before_the_meeting(
    anonymous, future_item, past_item
):
    def get(path):
        return orjson.loads(anonymous.get(f"/oparl/v1/{path}").content)

    future_consultation = Consultation.objects.get(agenda_item=future_item)
    item = get(f"agendaitem/{future_item.pk}")
    assert "result" not in item
    assert "resolutionText" not in item
    meeting = get(f"meeting/{future_item.meeting_id}")
    assert DECISION not in orjson.dumps(meeting).decode()
    consultation = get(f"consultation/{future_consultation.pk}")
    assert not [key for key in consultation if "votes" in key or "outcome" in key]
    assert "mehrheitlich" not in orjson.dumps(get(f"paper/{future_item.paper_id}")).decode()

    held = get(f"agendaitem/{past_item.pk}")
    assert (held["result"], held["resolutionText"]) == ("mehrheitlich", DECISION)


def test_the_search_index_leaves_out_the_result_until_the_meeting(future_item, past_item):
    texts = {doc.object_id: doc.text for doc in meeting_documents([future_item.meeting_id])}
    assert "mehrheitlich" not in texts[future_item.meeting_id]
    held = {doc.object_id: doc.text for doc in meeting_documents([past_item.meeting_id])}
    assert "mehrheitlich" in held[past_item.meeting_id]


def test_the_pdf_version_changes_when_the_meeting_takes_place(future_item):
    from beirat.council.documents import pdf_version

    before = pdf_version(future_item.paper)
    future_item.meeting.start = timezone.now() - datetime.timedelta(minutes=1)
    future_item.meeting.save()
    assert pdf_version(future_item.paper) != before


def test_every_result_is_refused_before_the_meeting(future_item):
    consultation = Consultation.objects.get()
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        services.record_decision(agenda_item=future_item, text="Beschluss", actor=None)
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        services.record_item_result(
            agenda_item=future_item,
            consultation=consultation,
            outcome="noted",
            votes_yes=None,
            votes_no=None,
            votes_abstain=None,
            votes_biased=None,
            text="",
            actor=None,
        )
    # An entry without a meeting, dated in the future, has no outcome either.
    undated = ConsultationFactory(planned_date=timezone.localdate() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        services.record_outcome(
            consultation=undated,
            outcome="noted",
            votes_yes=None,
            votes_no=None,
            votes_abstain=None,
            votes_biased=None,
            actor=None,
        )


def test_minutes_of_the_board_exist_and_show_only_after_the_meeting():
    board = CommitteeFactory(kind=Committee.Kind.ADVISORY_BOARD)
    future = MeetingFactory(committee=board, start=timezone.now() + datetime.timedelta(days=9))
    minutes = Report(meeting=future, kind=Report.Kind.MINUTES, title="Niederschrift", public=True)
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        reports.add_report(report=minutes, upload=None, actor=None)
    # Minutes from before the rule, of a meeting moved into the future: not on /beirat/.
    minutes.save()
    shown = board_queries.public_board_meetings_with_reports().get(pk=future.pk)
    assert shown.public_reports == []


def test_the_tracking_chain_shows_no_decision_before_the_meeting(future_item, past_item):
    decided = Consultation.objects.filter(queries.consultations_with_results())
    assert list(decided) == [Consultation.objects.get(agenda_item=past_item)]
