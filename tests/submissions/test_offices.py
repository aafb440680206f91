"""Offices work on forwarded submissions; the public sees the progress, never who submitted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beirat.directory.queries import offices_of
from beirat.submissions.models import Event, Forwarding, Submission
from tests.factories.directory import UnitFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = pytest.mark.django_db


def url(name, forwarding):
    return reverse(f"submissions:office_{name}", kwargs={"pk": forwarding.pk})


@pytest.fixture
def forwarding(office_user):
    submission = SubmissionFactory(status=Submission.Status.FORWARDED)
    return submission.forwardings.create(office=offices_of(office_user).get())


def test_office_sees_its_forwardings_without_contact_data(office, forwarding):
    other = SubmissionFactory(title="Für ein anderes Amt").forwardings.create(office=UnitFactory())

    listing = office.get(reverse("submissions:office"))
    page = office.get(url("forwarding", forwarding))

    assert [item for item, _title in listing.context["forwardings"]] == [forwarding]
    assert other.submission.title not in listing.content.decode()
    assert forwarding.submission.text in page.content.decode()
    assert "erika" not in page.content.decode().lower()


def test_accept_suggests_a_date_and_publishes_it(office, anonymous, forwarding):
    page = office.get(url("accept", forwarding))
    suggested = page.context["form"]["expected_by"].value()
    assert suggested == timezone.localdate() + datetime.timedelta(days=30)

    office.post(url("accept", forwarding), {"expected_by": "2031-05-01"})

    forwarding.refresh_from_db()
    assert forwarding.status == Forwarding.Status.ACCEPTED
    tracking = anonymous.get(forwarding.submission.get_absolute_url()).content.decode()
    assert "voraussichtlich bis zum 01.05.2031 fertig" in tracking


def test_suggestion_follows_the_offices_past_turnaround(office, forwarding):
    now = timezone.now()
    for days in (4, 10, 12):
        SubmissionFactory().forwardings.create(
            office=forwarding.office,
            status=Forwarding.Status.DONE,
            accepted_at=now - datetime.timedelta(days=days),
            closed_at=now,
        )

    page = office.get(url("accept", forwarding))

    assert page.context["form"]["expected_by"].value() == timezone.localdate() + datetime.timedelta(
        days=10
    )


def test_moving_the_date_needs_a_public_note(office, anonymous, forwarding):
    office.post(url("accept", forwarding), {"expected_by": "2031-05-01"})

    hidden = office.post(
        url("progress", forwarding),
        {"note": "Verzögerung", "visibility": "internal", "expected_by": "2031-09-01"},
    )
    office.post(
        url("progress", forwarding),
        {
            "note": "Lieferengpass",
            "visibility": "public",
            "expected_by": "2031-09-01",
            "step": "publish",
        },
    )

    assert "Ein neues Datum braucht einen öffentlichen Stand, der den Grund nennt." in (
        hidden.content.decode()
    )
    forwarding.refresh_from_db()
    assert forwarding.expected_by == datetime.date(2031, 9, 1)
    tracking = anonymous.get(forwarding.submission.get_absolute_url()).content.decode()
    assert "Lieferengpass (Neues voraussichtliches Datum: 01.09.2031)" in tracking


def test_internal_progress_stays_internal(office, anonymous, forwarding):
    office.post(url("accept", forwarding), {"expected_by": "2031-05-01"})

    office.post(
        url("progress", forwarding), {"note": "Rückfrage beim Kämmerer", "visibility": "internal"}
    )

    event = forwarding.submission.events.get(text="Rückfrage beim Kämmerer")
    assert (event.kind, event.public) == (Event.Kind.OFFICE_PROGRESS, False)
    tracking = anonymous.get(forwarding.submission.get_absolute_url()).content.decode()
    assert "Kämmerer" not in tracking


def test_a_note_without_a_chosen_audience_is_not_saved(office, forwarding):
    office.post(url("accept", forwarding), {"expected_by": "2031-05-01"})

    page = office.post(url("progress", forwarding), {"note": "Rückfrage beim Kämmerer"})

    assert "Bitte wählen Sie, ob der Stand nur intern bleibt" in page.content.decode()
    assert not forwarding.submission.events.filter(text__contains="Kämmerer").exists()


def test_a_public_note_is_shown_as_the_citizen_reads_it_before_it_is_published(
    office, anonymous, forwarding
):
    office.post(url("accept", forwarding), {"expected_by": "2031-05-01"})
    data = {"note": "Die Daten kommen im Mai.", "visibility": "public"}

    preview = office.post(url("progress", forwarding), data)

    assert "So liest die einreichende Person Ihren Stand" in preview.content.decode()
    assert "Die Daten kommen im Mai." in preview.content.decode()
    tracking = anonymous.get(forwarding.submission.get_absolute_url()).content.decode()
    assert "Die Daten kommen im Mai." not in tracking

    office.post(url("progress", forwarding), {**data, "step": "publish"})

    tracking = anonymous.get(forwarding.submission.get_absolute_url()).content.decode()
    assert "Die Daten kommen im Mai." in tracking


def test_closing_publishes_the_result_and_answers_the_submission(office, anonymous, forwarding):
    office.post(url("accept", forwarding), {"expected_by": "2031-05-01"})

    office.post(url("close", forwarding), {"result": "Die Parkhausdaten sind jetzt offen."})

    forwarding.refresh_from_db()
    submission = Submission.objects.get(pk=forwarding.submission_id)
    assert forwarding.status == Forwarding.Status.DONE
    assert submission.status == Submission.Status.ANSWERED
    tracking = anonymous.get(submission.get_absolute_url()).content.decode()
    assert "Die Parkhausdaten sind jetzt offen." in tracking


def test_hand_back_returns_to_triage_with_the_reason(office, triage, forwarding):
    office.post(url("hand_back", forwarding), {"reason": "Zuständig ist Amt 32."})

    forwarding.refresh_from_db()
    submission = forwarding.submission
    submission.refresh_from_db()
    assert forwarding.status == Forwarding.Status.RETURNED
    assert submission.status == Submission.Status.IN_REVIEW
    event = submission.events.get(kind=Event.Kind.OFFICE_PROGRESS)
    assert not event.public
    detail = triage.get(reverse("submissions:staff_detail", kwargs={"pk": submission.pk}))
    assert "Zuständig ist Amt 32." in detail.content.decode()


def test_steps_out_of_order_are_refused(office, forwarding):
    response = office.post(url("close", forwarding), {"result": "Fertig"})

    assert "passt nicht zum Stand der Weiterleitung" in response.content.decode()
    forwarding.refresh_from_db()
    assert forwarding.status == Forwarding.Status.SENT


def test_overdue_forwardings_are_flagged_to_triage(triage, forwarding):
    forwarding.status = Forwarding.Status.ACCEPTED
    forwarding.expected_by = timezone.localdate() - datetime.timedelta(days=1)
    forwarding.save()

    response = triage.get(reverse("submissions:queue"))

    assert response.context["overdue_forwardings"] == [forwarding]
    assert "Überfällige Weiterleitungen" in response.content.decode()
