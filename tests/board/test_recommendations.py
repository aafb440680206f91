"""Recommendations: handed to offices or worked into a paper, tracked to the end, in public."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from beirat.board.models import OfficeAssignment, ProgressUpdate, Recommendation
from beirat.board.queries import rolled_up_progress
from beirat.board.services import recommendations as services
from beirat.core.models import OutboxMail
from beirat.council.models import Paper
from beirat.directory.queries import offices_of
from tests.factories.board import BoardStatementFactory, RecommendationFactory
from tests.factories.council import PublishedPaperFactory
from tests.factories.directory import UnitFactory

pytestmark = pytest.mark.django_db

STAFF = "/arbeitsplatz/beirat/empfehlungen/"


@pytest.fixture
def office_unit(office_user):
    unit = offices_of(office_user).get()
    unit.email = "amt80@stadt.example"
    unit.save()
    return unit


def test_triage_records_a_recommendation_for_an_office(
    triage, office_unit, django_capture_on_commit_callbacks
):
    statement = BoardStatementFactory()
    data = {
        "kind": "recommendation",
        "title": "Freifunk auf städtischen Dächern",
        "text": "Die Stadt stellt Dachflächen zur Verfügung.",
        "public": "on",
        "statement": statement.pk,
        "offices": [office_unit.pk],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = triage.post(f"{STAFF}neu/", data)

    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert recommendation.statement == statement
    assert list(recommendation.assignments.values_list("office", flat=True)) == [office_unit.pk]
    (mail,) = OutboxMail.objects.all()
    assert mail.recipients == ["amt80@stadt.example"]
    assert "Freifunk auf städtischen Dächern" in mail.body


def test_an_office_that_does_not_exist_is_refused_and_nothing_is_stored(triage):
    data = {"kind": "hint", "title": "Hinweis", "text": "Text", "offices": [999_999]}

    response = triage.post(f"{STAFF}neu/", data)

    assert response.status_code == 200
    assert "offices" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_a_unit_that_is_not_an_office_is_refused():
    division = UnitFactory(kind="division", number="D1")

    with pytest.raises(ValidationError):
        services.record(
            recommendation=RecommendationFactory.build(), offices=[division], actor=None
        )
    assert not Recommendation.objects.exists()


def test_the_office_acknowledges_and_reports_it_implemented(office, office_unit, anonymous):
    recommendation = RecommendationFactory()
    assignment = OfficeAssignment.objects.create(recommendation=recommendation, office=office_unit)
    base = f"/arbeitsplatz/amt/empfehlungen/{assignment.pk}/"

    office.post(f"{base}annehmen/", {})
    office.post(
        f"{base}stand/",
        {"text": "Zehn Zugangspunkte laufen.", "status": "implemented", "public": "on"},
    )

    assignment.refresh_from_db()
    recommendation.refresh_from_db()
    assert assignment.status == OfficeAssignment.Status.ACKNOWLEDGED
    assert recommendation.status == Recommendation.Status.IMPLEMENTED
    assert recommendation.progress == 100
    page = anonymous.get(recommendation.get_absolute_url()).content.decode()
    assert "Zehn Zugangspunkte laufen." in page
    assert str(office_unit) in page
    assert "office" not in page  # the office's user is never named


def test_another_office_cannot_see_the_assignment(office):
    assignment = OfficeAssignment.objects.create(
        recommendation=RecommendationFactory(), office=UnitFactory()
    )

    assert office.get(f"/arbeitsplatz/amt/empfehlungen/{assignment.pk}/").status_code == 404


def test_not_implemented_needs_a_reason(triage_user):
    recommendation = RecommendationFactory()

    with pytest.raises(ValidationError) as raised:
        services.report_progress(
            recommendation=recommendation,
            text="Geprüft",
            status="not_implemented",
            progress=None,
            public=True,
            actor=triage_user,
        )

    assert "reason" in raised.value.message_dict
    assert not ProgressUpdate.objects.exists()


def test_internal_progress_stays_internal(triage_user, anonymous):
    recommendation = RecommendationFactory()
    services.report_progress(
        recommendation=recommendation,
        text="Haushaltsmittel intern geklärt",
        status="in_progress",
        progress=30,
        public=False,
        actor=triage_user,
    )

    page = anonymous.get(recommendation.get_absolute_url()).content.decode()

    assert "Haushaltsmittel intern geklärt" not in page
    assert "in Umsetzung" in page


def test_a_recommendation_links_to_a_resolution_proposal_only(triage_user):
    recommendation = RecommendationFactory()
    inquiry = PublishedPaperFactory(paper_type=Paper.Type.INQUIRY)
    proposal = PublishedPaperFactory(paper_type=Paper.Type.RESOLUTION_PROPOSAL)

    with pytest.raises(ValidationError):
        services.link_paper(recommendation=recommendation, paper=inquiry, actor=triage_user)
    services.link_paper(recommendation=recommendation, paper=proposal, actor=triage_user)

    assert proposal.board_recommendations.get() == recommendation


def test_progress_rolls_up_from_the_parts():
    whole = RecommendationFactory(progress=0)
    RecommendationFactory(parent=whole, progress=50)
    RecommendationFactory(parent=whole, status="implemented")
    RecommendationFactory(parent=whole, progress=10)

    assert rolled_up_progress(whole) == round((50 + 100 + 10) / 3)


def test_hidden_recommendations_stay_hidden(anonymous):
    hidden = RecommendationFactory(public=False, title="Interne Empfehlung XYZ")

    assert anonymous.get(hidden.get_absolute_url()).status_code == 404
    assert "Interne Empfehlung XYZ" not in anonymous.get("/empfehlungen/").content.decode()
    assert (
        "Interne Empfehlung XYZ" not in anonymous.get("/empfehlungen/export.csv").content.decode()
    )


def test_counts_by_status_on_the_public_list(anonymous):
    RecommendationFactory(status="implemented")
    RecommendationFactory(status="implemented")
    RecommendationFactory(status="open")

    response = anonymous.get("/empfehlungen/")

    counts = {value: count for value, _label, count in response.context["counts"]}
    assert counts == {"open": 1, "in_progress": 0, "implemented": 2, "not_implemented": 0}
    filtered = anonymous.get("/empfehlungen/?status=implemented")
    assert len(filtered.context["page"].object_list) == 2


def test_csv_export_of_the_whole_list_is_spreadsheet_safe(triage):
    RecommendationFactory(title='=HYPERLINK("http://böse")', public=False)
    RecommendationFactory(title="Freifunk")

    response = triage.get(f"{STAFF}export.csv")

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Nr."
    titles = [row[2] for row in rows[1:]]
    assert "Freifunk" in titles
    assert '\'=HYPERLINK("http://böse")' in titles
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_paper_shows_the_recommendations_worked_into_it(anonymous):
    proposal = PublishedPaperFactory(paper_type=Paper.Type.RESOLUTION_PROPOSAL)
    RecommendationFactory(paper=proposal, title="Offene Daten als Standard")
    RecommendationFactory(paper=proposal, title="Interne Empfehlung QQ", public=False)

    page = anonymous.get(proposal.get_absolute_url()).content.decode()

    assert "Offene Daten als Standard" in page
    assert "Interne Empfehlung QQ" not in page


def test_search_finds_public_statements_and_recommendations_only(anonymous, search_index):
    BoardStatementFactory(title="Freifunkstandorte", text="Der Beirat empfiehlt Freifunkstandorte.")
    RecommendationFactory(title="Verborgene Freifunkstandorte", public=False)
    search_index.sync()

    page = anonymous.get("/suche/?q=Freifunkstandorte").content.decode()

    assert "Stellungnahme des Digitalbeirats" in page
    assert "Verborgene" not in page


def test_the_start_page_shows_the_latest_public_statements_and_recommendations(anonymous):
    BoardStatementFactory(title="Stellungnahme zum WLAN")
    RecommendationFactory(title="Öffentliche Empfehlung")
    RecommendationFactory(title="Interne Empfehlung ZZ", public=False)

    page = anonymous.get("/").content.decode()

    assert "Stellungnahme zum WLAN" in page
    assert "Öffentliche Empfehlung" in page
    assert "Interne Empfehlung ZZ" not in page


def test_a_recommendation_taken_up_again_loses_its_old_reason(triage_user):
    recommendation = RecommendationFactory()
    for status, reason in [("not_implemented", "Kein Geld im Haushalt"), ("in_progress", "")]:
        services.report_progress(
            recommendation=recommendation,
            text="Neuer Stand",
            status=status,
            progress=None,
            public=True,
            actor=triage_user,
            reason=reason,
        )
        recommendation.refresh_from_db()

    assert recommendation.status == "in_progress"
    assert recommendation.reason == ""


def test_the_public_csv_does_not_name_a_paper_that_is_not_public(anonymous):
    hidden = PublishedPaperFactory(
        paper_type=Paper.Type.RESOLUTION_PROPOSAL, status=Paper.Status.REGISTERED
    )
    RecommendationFactory(title="Offene Daten", paper=hidden)

    text = anonymous.get("/empfehlungen/export.csv").content.decode("utf-8-sig")

    assert "Offene Daten" in text
    assert hidden.reference not in text
