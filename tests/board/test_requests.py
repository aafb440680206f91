"""Expert requests: IT management asks (redacted), members answer under pseudonyms, IT management
publishes one statement that answers the submission."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beirat.board.models import BoardStatement, ExpertAnswer, ExpertRequest
from beirat.board.services import requests as services
from beirat.core.models import AuditEntry, OutboxMail
from beirat.core.roles import Role
from beirat.submissions.models import Event, Submission
from tests.factories.board import ExpertRequestFactory
from tests.factories.core import user_with_role
from tests.factories.submissions import SubmissionFactory

pytestmark = pytest.mark.django_db

ASK = "/arbeitsplatz/beirat/fachfragen/neu/"
LETTER = (
    "Sehr geehrte Damen und Herren,\nich schlage freies WLAN am Görresplatz vor. "
    "Erreichbar unter 0261 987654.\n\nMit freundlichen Grüßen\nErika Musterfrau"
)


@pytest.fixture
def submission():
    return SubmissionFactory(
        title="Freies WLAN am Görresplatz",
        text=LETTER,
        submitter_name="Erika Musterfrau",
        submitter_email="erika@example.org",
        email_confirmed_at=timezone.now(),
    )


@pytest.fixture
def second_member(db):
    return user_with_role(Role.BOARD_MEMBER, username="zweites-mitglied")


def ask_data(**overrides):
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": "Freies WLAN am Görresplatz",
        "question": "Welche Technik empfiehlt der Beirat?",
        "excerpt": LETTER,
        "deadline": deadline.isoformat(),
    }
    data.update(overrides)
    return data


def test_the_preview_shows_what_redaction_removes_and_sends_nothing(triage, submission):
    response = triage.post(f"{ASK}?eingabe={submission.pk}", ask_data())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Vorschau" in page
    assert "<del>0261 987654</del>" in page
    assert "<del>Erika Musterfrau</del>" in page
    assert not ExpertRequest.objects.exists()


def test_the_confirmed_request_reaches_every_member_alone_and_redacted(
    triage, submission, board_member_user, second_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = triage.post(f"{ASK}?eingabe={submission.pk}", {**ask_data(), "senden": "1"})

    assert response.status_code == 302
    request = ExpertRequest.objects.get()
    assert "Musterfrau" not in request.excerpt
    assert "987654" not in request.excerpt
    assert "freies WLAN am Görresplatz" in request.excerpt
    submission.refresh_from_db()
    assert submission.status == Submission.Status.BOARD_CONSULTED
    assert submission.events.filter(kind=Event.Kind.BOARD_CONSULTED, public=True).exists()
    to_members = [m for m in OutboxMail.objects.all() if "Fachfrage" in m.subject]
    assert sorted(address for m in to_members for address in m.recipients) == sorted(
        [board_member_user.email, second_member.email]
    )
    assert all(len(m.recipients) == 1 for m in to_members)
    for mail in to_members:
        for member in (board_member_user, second_member):
            assert member.last_name not in mail.body
    assert AuditEntry.objects.filter(action="board.ask").exists()


def test_back_to_editing_keeps_the_text(triage, submission):
    response = triage.post(f"{ASK}?eingabe={submission.pk}", {**ask_data(), "bearbeiten": "1"})

    assert "Welche Technik empfiehlt der Beirat?" in response.content.decode()
    assert not ExpertRequest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("question", ""), ("deadline", "2020-01-01"), ("title", ""), ("deadline", "kein Datum")],
)
def test_bad_requests_are_refused_with_a_message(triage, submission, field, value):
    response = triage.post(ASK, {**ask_data(**{field: value}), "senden": "1"})

    assert response.status_code == 200
    assert not ExpertRequest.objects.exists()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RECEIVED


def test_members_never_see_submitter_data(board_member, submission, triage_user):
    request = services.ask_board(
        title=submission.title,
        question="Was meint der Beirat?",
        excerpt=submission.text,
        deadline=timezone.localdate(),
        submission=submission,
        actor=triage_user,
    )

    page = board_member.get(f"/arbeitsplatz/beirat/fachfragen/{request.pk}/").content.decode()

    assert "Was meint der Beirat?" in page
    for secret in ["Musterfrau", "erika@example.org", "987654", submission.tracking_code]:
        assert secret not in page
    assert f"/arbeitsplatz/eingaben/{submission.pk}/" not in page


def test_members_see_each_other_under_stable_pseudonyms(
    board_member, board_member_user, second_member
):
    first, second = ExpertRequestFactory(), ExpertRequestFactory(title="Zweite Frage")
    services.answer(request=first, member=second_member, text="Freifunk ist bewährt.")
    board_member.post(
        f"/arbeitsplatz/beirat/fachfragen/{first.pk}/antworten/", {"text": "Ich stimme zu."}
    )
    services.answer(request=second, member=second_member, text="Auch hier: ja.")

    page = board_member.get(f"/arbeitsplatz/beirat/fachfragen/{first.pk}/").content.decode()
    again = board_member.get(f"/arbeitsplatz/beirat/fachfragen/{second.pk}/").content.decode()

    assert "Mitglied A" in page
    assert "Mitglied A" in again
    assert "Ihre Antwort" in page
    assert second_member.last_name not in page
    assert second_member.username not in page
    assert ExpertAnswer.objects.filter(request=first).count() == 2


def test_an_answer_can_be_reworded_but_not_doubled(board_member, board_member_user):
    request = ExpertRequestFactory()
    url = f"/arbeitsplatz/beirat/fachfragen/{request.pk}/antworten/"

    board_member.post(url, {"text": "Erste Fassung"})
    board_member.post(url, {"text": "Zweite Fassung"})

    assert list(ExpertAnswer.objects.values_list("text", flat=True)) == ["Zweite Fassung"]


def test_answering_a_closed_request_is_refused(board_member):
    request = ExpertRequestFactory(status=ExpertRequest.Status.CLOSED)

    response = board_member.post(
        f"/arbeitsplatz/beirat/fachfragen/{request.pk}/antworten/", {"text": "Zu spät"}
    )

    assert response.status_code == 400
    assert "geschlossen" in response.content.decode()
    assert not ExpertAnswer.objects.exists()


def test_empty_answer_is_refused(board_member):
    request = ExpertRequestFactory()

    board_member.post(f"/arbeitsplatz/beirat/fachfragen/{request.pk}/antworten/", {"text": " "})

    assert not ExpertAnswer.objects.exists()


def test_the_statement_is_published_once_and_answers_the_submission(
    triage, anonymous, submission, triage_user, django_capture_on_commit_callbacks
):
    request = ExpertRequestFactory(submission=submission)
    url = f"/arbeitsplatz/beirat/fachfragen/{request.pk}/stellungnahme/"
    data = {"title": "WLAN in der Altstadt", "text": "Der Beirat empfiehlt Freifunk."}

    with django_capture_on_commit_callbacks(execute=True):
        first = triage.post(url, data)
        second = triage.post(url, data)

    assert first.status_code == 302
    assert second.status_code == 302
    statement = BoardStatement.objects.get()
    request.refresh_from_db()
    assert request.status == ExpertRequest.Status.CLOSED
    assert "Der Beirat empfiehlt Freifunk." in anonymous.get("/beirat/").content.decode()
    tracking = anonymous.get(f"/eingaben/{submission.tracking_code}/").content.decode()
    assert statement.get_absolute_url() in tracking
    mails = [m for m in OutboxMail.objects.all() if "erika@example.org" in m.recipients]
    assert len(mails) == 1
    assert "Der Beirat empfiehlt Freifunk." in mails[0].body
    with pytest.raises(ValidationError, match="bereits eine Stellungnahme"):
        services.publish_statement(request=request, title="x", text="y", actor=triage_user)


def test_members_cannot_ask_or_publish(board_member):
    request = ExpertRequestFactory()

    assert board_member.get(ASK).status_code == 404
    response = board_member.get(f"/arbeitsplatz/beirat/fachfragen/{request.pk}/stellungnahme/")
    assert response.status_code == 404
