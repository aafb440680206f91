"""IT management releases single attachments to the office a submission is forwarded to.

The office sees and downloads only what was released for its forwarding; everything else
answers 404. Releases are chosen when forwarding (none ticked) and changed later on the
submission's triage page; each release and each withdrawal is an audit entry.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from beirat.core.models import AuditEntry
from beirat.directory.queries import offices_of
from beirat.submissions.models import Forwarding, Submission
from beirat.submissions.services import releases
from tests.factories.directory import UnitFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = pytest.mark.django_db


def add_attachment(submission, name):
    item = submission.attachments.create(
        name=name, content_type="application/pdf", size=len(name) + 5
    )
    item.file.save("anhang", ContentFile(b"%PDF-" + name.encode()))
    return item


@pytest.fixture
def submission():
    found = SubmissionFactory(status=Submission.Status.IN_REVIEW)
    for name in ("lageplan.pdf", "meldebescheinigung.pdf", "foto-garten.pdf"):
        add_attachment(found, name)
    return found


@pytest.fixture
def plan(submission):
    return submission.attachments.get(name="lageplan.pdf")


@pytest.fixture
def certificate(submission):
    return submission.attachments.get(name="meldebescheinigung.pdf")


@pytest.fixture
def photo(submission):
    return submission.attachments.get(name="foto-garten.pdf")


@pytest.fixture
def own_office(office_user):
    return offices_of(office_user).get()


@pytest.fixture
def forwarding(submission, own_office, plan, triage_user):
    """Forwarded to the office persona's office with the site plan released."""
    found = submission.forwardings.create(office=own_office)
    releases.release_attachments(forwarding=found, attachments=[plan], actor=triage_user)
    return found


def office_page(client, forwarding):
    return client.get(reverse("submissions:office_forwarding", kwargs={"pk": forwarding.pk}))


def download(client, forwarding, attachment):
    kwargs = {"pk": forwarding.pk, "attachment_pk": attachment.pk}
    return client.get(reverse("submissions:office_attachment", kwargs=kwargs))


def release_entries(forwarding):
    entries = AuditEntry.objects.filter(
        object_type="submissions.forwarding", object_id=str(forwarding.pk)
    ).order_by("id")
    return [
        (entry.action, entry.actor_label, entry.changes["attachment"])
        for entry in entries
        if entry.action in (releases.RELEASE, releases.WITHDRAW)
    ]


# Forwarding ------------------------------------------------------------------------------------


def test_the_forward_form_offers_every_attachment_by_name_and_ticks_none(triage, submission):
    response = triage.get(reverse("submissions:staff_forward", kwargs={"pk": submission.pk}))

    field = response.context["form"]["attachments"]
    assert [choice.choice_label.split(" (")[0] for choice in field] == [
        "lageplan.pdf",
        "meldebescheinigung.pdf",
        "foto-garten.pdf",
    ]
    assert not field.value()
    assert 'type="checkbox"' in str(field)
    assert "checked" not in str(field)


def test_forwarding_releases_the_ticked_attachments_only(
    triage, submission, own_office, plan, photo
):
    response = triage.post(
        reverse("submissions:staff_forward", kwargs={"pk": submission.pk}),
        {"office": own_office.pk, "note": "", "attachments": [plan.pk, photo.pk]},
    )

    assert response.status_code == 302
    forwarding = Forwarding.objects.get()
    assert set(forwarding.released_attachments.all()) == {plan, photo}
    assert release_entries(forwarding) == [
        (releases.RELEASE, "triage", {"before": None, "after": plan.pk}),
        (releases.RELEASE, "triage", {"before": None, "after": photo.pk}),
    ]


def test_forwarding_without_a_tick_releases_nothing(triage, office, submission, own_office):
    triage.post(
        reverse("submissions:staff_forward", kwargs={"pk": submission.pk}),
        {"office": own_office.pk, "note": ""},
    )

    forwarding = Forwarding.objects.get()
    assert not forwarding.released_attachments.exists()
    assert release_entries(forwarding) == []
    page = office_page(office, forwarding).content.decode()
    assert "Das IT-Management hat für Ihr Amt keine Anhänge freigegeben." in page
    assert "lageplan.pdf" not in page


# The office ------------------------------------------------------------------------------------


def test_the_office_lists_and_downloads_only_the_released_attachment(
    office, forwarding, plan, certificate, photo
):
    page = office_page(office, forwarding).content.decode()
    response = download(office, forwarding, plan)

    assert "lageplan.pdf" in page
    assert "meldebescheinigung.pdf" not in page
    assert "foto-garten.pdf" not in page
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lageplan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-lageplan.pdf"
    assert download(office, forwarding, certificate).status_code == 404
    assert download(office, forwarding, photo).status_code == 404


def test_a_release_for_another_office_does_not_reach_this_one(
    office, submission, own_office, plan, triage_user
):
    own = submission.forwardings.create(office=own_office)
    other = submission.forwardings.create(office=UnitFactory(number="61"))
    releases.release_attachments(forwarding=other, attachments=[plan], actor=triage_user)

    assert "lageplan.pdf" not in office_page(office, own).content.decode()
    assert download(office, own, plan).status_code == 404
    assert download(office, other, plan).status_code == 404


# Changing the release on the triage page -------------------------------------------------------


def test_the_triage_page_shows_the_release_and_changes_it_with_an_audit_entry_each(
    triage, office, forwarding, plan, certificate, photo
):
    detail = reverse("submissions:staff_detail", kwargs={"pk": forwarding.submission.pk})
    page = triage.get(detail)
    (shown, form) = page.context["forwardings"][0]
    assert shown == forwarding
    assert form["attachments"].value() == [plan.pk]  # ticked: what is released now

    response = triage.post(
        reverse("submissions:staff_release_attachments", kwargs={"pk": forwarding.pk}),
        {f"freigabe-{forwarding.pk}-attachments": [certificate.pk, photo.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{detail}#weiterleitungen"
    assert set(forwarding.released_attachments.all()) == {certificate, photo}
    assert release_entries(forwarding)[1:] == [
        (releases.RELEASE, "triage", {"before": None, "after": certificate.pk}),
        (releases.RELEASE, "triage", {"before": None, "after": photo.pk}),
        (releases.WITHDRAW, "triage", {"before": plan.pk, "after": None}),
    ]
    assert download(office, forwarding, plan).status_code == 404  # withdrawn
    assert download(office, forwarding, certificate).status_code == 200


def test_withdrawing_every_attachment_leaves_the_office_none(triage, office, forwarding, plan):
    triage.post(reverse("submissions:staff_release_attachments", kwargs={"pk": forwarding.pk}))

    assert not forwarding.released_attachments.exists()
    assert release_entries(forwarding)[-1] == (
        releases.WITHDRAW,
        "triage",
        {"before": plan.pk, "after": None},
    )
    assert download(office, forwarding, plan).status_code == 404


def test_saving_the_same_release_again_writes_no_audit_entry(triage, forwarding, plan):
    before = release_entries(forwarding)

    triage.post(
        reverse("submissions:staff_release_attachments", kwargs={"pk": forwarding.pk}),
        {f"freigabe-{forwarding.pk}-attachments": [plan.pk]},
    )

    assert release_entries(forwarding) == before


def test_an_attachment_of_another_submission_cannot_be_released(
    triage, forwarding, plan, triage_user
):
    stranger = add_attachment(SubmissionFactory(), "fremd.pdf")

    response = triage.post(
        reverse("submissions:staff_release_attachments", kwargs={"pk": forwarding.pk}),
        {f"freigabe-{forwarding.pk}-attachments": [stranger.pk]},
        follow=True,
    )

    assert "Die Freigabe wurde nicht geändert" in response.content.decode()
    assert list(forwarding.released_attachments.all()) == [plan]
    with pytest.raises(ValidationError):
        releases.release_attachments(
            forwarding=forwarding, attachments=[stranger], actor=triage_user
        )
    assert list(forwarding.released_attachments.all()) == [plan]
