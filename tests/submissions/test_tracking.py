"""The tracking page and what the submitter can do with the code alone."""

import json

import pytest
from django.urls import reverse

from beirat.core.tracking_codes import new_tracking_code
from beirat.submissions.models import Event, Submission
from beirat.submissions.services import intake
from tests.factories.submissions import SubmissionFactory
from tests.submissions import files

pytestmark = pytest.mark.django_db


def url(name, submission, **kwargs):
    return reverse(f"submissions:{name}", kwargs={"code": submission.tracking_code, **kwargs})


def test_page_shows_public_history_not_internal_steps(anonymous):
    submission = SubmissionFactory()
    Event.objects.create(submission=submission, kind=Event.Kind.RECEIVED)
    Event.objects.create(submission=submission, kind=Event.Kind.ASSIGNED, public=False)

    response = anonymous.get(submission.get_absolute_url())

    history = [entry.sentence for entry in response.context["history"]]
    assert history == ["Ihre Eingabe ist eingegangen."]
    assert "erika@example.org" not in response.content.decode()
    assert 'content="noindex, nofollow"' in response.content.decode()


def test_code_typed_with_lower_case_and_look_alikes_is_found(anonymous):
    submission = SubmissionFactory()
    typed = submission.tracking_code.lower().replace("0", "o").replace("-", " ")

    response = anonymous.get(reverse("submissions:lookup"), {"code": typed})

    assert response.status_code == 302
    assert response.url == submission.get_absolute_url()


def test_lookup_explains_an_invalid_code(anonymous):
    response = anonymous.get(reverse("submissions:lookup"), {"code": "ABCD-1234"})

    assert "nicht gültig" in response.content.decode()


def test_wrong_codes_answer_404_then_429(anonymous):
    for _ in range(20):
        code = new_tracking_code()
        assert anonymous.get(reverse("submissions:track", kwargs={"code": code})).status_code == 404
    known = SubmissionFactory()

    response = anonymous.get(known.get_absolute_url())

    assert response.status_code == 429
    assert "Zu viele Versuche" in response.content.decode()


def test_add_information_with_a_file(anonymous):
    submission = SubmissionFactory()
    token = anonymous.get(submission.get_absolute_url()).context["add_form"]["issued"].initial

    response = anonymous.post(
        url("add_information", submission),
        {"issued": token, "text": "Noch ein Gedanke.", "attachments": [files.pdf("plan.pdf")]},
    )

    assert response.status_code == 302
    event = submission.events.get(kind=Event.Kind.INFO_ADDED)
    assert event.text == "Noch ein Gedanke.\n\nAngehängt: plan.pdf"
    assert submission.attachments.get().name == "plan.pdf"


def test_closed_submission_cannot_be_added_to(anonymous):
    submission = SubmissionFactory(status=Submission.Status.CLOSED)
    token = anonymous.get(submission.get_absolute_url()).context["add_form"]["issued"].initial

    response = anonymous.post(url("add_information", submission), {"issued": token, "text": "x"})

    assert response.status_code == 400
    assert not submission.events.filter(kind=Event.Kind.INFO_ADDED).exists()


def test_withdraw_needs_confirmation(anonymous):
    submission = SubmissionFactory()
    page = anonymous.get(url("withdraw", submission))
    token = page.context["form"]["issued"].initial

    unconfirmed = anonymous.post(url("withdraw", submission), {"issued": token})
    confirmed = anonymous.post(url("withdraw", submission), {"issued": token, "confirm": "on"})

    assert unconfirmed.status_code == 200
    assert confirmed.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.WITHDRAWN
    assert submission.closed_at is not None


def test_erase_contact_data(anonymous):
    submission = SubmissionFactory()
    token = anonymous.get(url("erase_contact", submission)).context["form"]["issued"].initial

    anonymous.post(url("erase_contact", submission), {"issued": token, "confirm": "on"})

    submission.refresh_from_db()
    assert (submission.submitter_name, submission.submitter_email) == ("", "")
    assert submission.events.filter(kind=Event.Kind.CONTACT_ERASED).exists()


def test_download_my_data(anonymous):
    submission = SubmissionFactory()

    response = anonymous.get(url("export", submission))

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["vorgangsnummer"] == submission.tracking_code
    assert data["e_mail"] == "erika@example.org"
    assert data["text"] == submission.text


def test_confirmation_link_confirms_the_address(anonymous):
    submission = SubmissionFactory()
    token = intake.confirmation_token(submission)

    anonymous.get(url("confirm_email", submission, token=token))

    submission.refresh_from_db()
    assert submission.email_confirmed_at is not None


def test_confirmation_link_for_another_address_does_nothing(anonymous):
    submission = SubmissionFactory()
    token = intake.confirmation_token(submission)
    submission.submitter_email = "other@example.org"
    submission.save()

    response = anonymous.get(url("confirm_email", submission, token=token), follow=True)

    submission.refresh_from_db()
    assert submission.email_confirmed_at is None
    assert "ungültig oder abgelaufen" in response.content.decode()
