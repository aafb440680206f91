"""IT management's queue and decisions."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beirat.core.mail import deliver_mail, due_mails
from beirat.core.models import AuditEntry, OutboxMail
from beirat.submissions.models import Event, Forwarding, Submission, TextBlock
from tests.factories.directory import UnitFactory
from tests.factories.submissions import SubmissionFactory, TopicFactory
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


def deliver_outbox():
    for mail_id in due_mails().values_list("id", flat=True):
        deliver_mail(mail_id=mail_id)


def staff_url(name, submission):
    return reverse(f"submissions:staff_{name}", kwargs={"pk": submission.pk})


def confirmed(**kwargs):
    return SubmissionFactory(email_confirmed_at=timezone.now(), **kwargs)


# Queue -------------------------------------------------------------------------------------------


def test_queue_shows_open_submissions_oldest_first_and_flags_overdue(triage):
    old = SubmissionFactory(title="Alte Eingabe")
    Submission.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=20)
    )
    new = SubmissionFactory(title="Neue Eingabe")
    SubmissionFactory(title="Erledigte Eingabe", status=Submission.Status.CLOSED)

    response = triage.get(reverse("submissions:queue"))

    assert list(response.context["page"].object_list) == [Submission.objects.get(pk=old.pk), new]
    assert response.content.decode().count("überfällig</span>") == 1
    assert response.context["counts"] == {"open": 2, "new": 2, "overdue": 1}


def test_queue_filters(triage, triage_user):
    topic = TopicFactory(name="Schulen")
    mine = SubmissionFactory(title="Meine", assigned_to=triage_user, topic=topic)
    SubmissionFactory(title="Fremde")

    by_me = triage.get(reverse("submissions:queue"), {"status": "open", "assigned": "me"})
    by_topic = triage.get(reverse("submissions:queue"), {"status": "", "topic": topic.pk})
    nobody = triage.get(reverse("submissions:queue"), {"status": "open", "assigned": "nobody"})

    assert list(by_me.context["page"].object_list) == [mine]
    assert list(by_topic.context["page"].object_list) == [mine]
    assert [s.title for s in nobody.context["page"].object_list] == ["Fremde"]


def test_queue_runs_the_same_queries_for_one_and_three(triage, django_assert_max_num_queries):
    SubmissionFactory(topic=TopicFactory())
    triage.get(reverse("submissions:queue"))  # warm the session
    one = query_count(triage, reverse("submissions:queue"))
    SubmissionFactory.create_batch(2, topic=TopicFactory())

    assert query_count(triage, reverse("submissions:queue")) == one


# Detail ------------------------------------------------------------------------------------------


def test_detail_shows_contact_data_and_similar_items(triage, search_index):
    submission = SubmissionFactory(text="Ladesäulen für Elektroautos am Deinhardplatz")
    twin = SubmissionFactory(title="Mehr Ladesäulen", text="Ladesäulen am Deinhardplatz fehlen")
    search_index.sync()

    response = triage.get(staff_url("detail", submission))

    content = response.content.decode()
    assert "erika@example.org" in content
    similar = response.context["similar"]
    assert [item.hit.object_id for item in similar] == [twin.pk]
    assert "Ladesäulen" in similar[0].shared_words
    assert "Deinhardplatz" in similar[0].shared_words


def test_attachment_download_is_an_attachment_with_its_own_name(triage):
    from django.core.files.base import ContentFile

    submission = SubmissionFactory()
    item = submission.attachments.create(name="plan.pdf", content_type="application/pdf", size=5)
    item.file.save("x", ContentFile(b"%PDF-"))

    response = triage.get(reverse("submissions:staff_attachment", kwargs={"pk": item.pk}))

    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


# Decisions ---------------------------------------------------------------------------------------


def test_assigning_starts_the_review_publicly(triage, triage_user):
    submission = SubmissionFactory()

    triage.post(staff_url("assign", submission), {"assignee": triage_user.pk})

    submission.refresh_from_db()
    assert (submission.status, submission.assigned_to) == (Submission.Status.IN_REVIEW, triage_user)
    public = [e.kind for e in submission.events.filter(public=True)]
    assert public == [Event.Kind.IN_REVIEW]
    assert AuditEntry.objects.filter(action="submissions.assign", actor=triage_user).exists()


def test_reply_reaches_the_tracking_page_and_a_confirmed_address(
    triage, anonymous, django_capture_on_commit_callbacks
):
    submission = confirmed()

    with django_capture_on_commit_callbacks(execute=True):
        triage.post(
            staff_url("reply", submission), {"text": "Danke, wir prüfen das.", "close": "on"}
        )

    submission.refresh_from_db()
    assert submission.status == Submission.Status.CLOSED
    assert submission.first_answered_at is not None
    assert "Danke, wir prüfen das." in anonymous.get(submission.get_absolute_url()).content.decode()
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["erika@example.org"]]
    assert "Danke, wir prüfen das." in mail.outbox[0].body


def test_unconfirmed_address_gets_no_mail(triage, django_capture_on_commit_callbacks):
    submission = SubmissionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        triage.post(staff_url("reply", submission), {"text": "Antwort"})

    deliver_outbox()
    assert mail.outbox == []


def test_text_block_fills_the_reply(triage):
    block = TextBlock.objects.create(title="Dank", text="Vielen Dank für Ihre Idee.")
    submission = SubmissionFactory()

    response = triage.get(staff_url("reply", submission), {"baustein": block.pk})

    assert response.context["form"]["text"].value() == "Vielen Dank für Ihre Idee."


def test_forwarding_names_the_office_publicly_and_mails_the_office_without_contact_data(
    triage, django_capture_on_commit_callbacks
):
    office = UnitFactory(
        name="Amt für Wirtschaftsförderung", number="80", email="amt80@example.org"
    )
    submission = SubmissionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        triage.post(staff_url("forward", submission), {"office": office.pk, "note": "Bitte prüfen"})

    forwarding = Forwarding.objects.get()
    assert (forwarding.office, forwarding.status) == (office, Forwarding.Status.SENT)
    event = submission.events.get(kind=Event.Kind.FORWARDED)
    assert event.public
    assert "Wirtschaftsförderung" in event.text
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["amt80@example.org"]]
    assert "erika" not in mail.outbox[0].body.lower()
    assert "Bitte prüfen" in mail.outbox[0].body


def test_a_decisions_mails_are_stored_with_it_in_one_transaction(
    triage, django_capture_on_commit_callbacks
):
    # No on-commit callback runs, as when the worker is killed right after the commit: the mails
    # to the office and to the submitter are in the outbox all the same, for the timer to send.
    office = UnitFactory(email="amt80@example.org")
    submission = confirmed()

    with django_capture_on_commit_callbacks(execute=False):
        triage.post(staff_url("forward", submission), {"office": office.pk})

    assert sorted(m.recipient_list[0] for m in OutboxMail.objects.all()) == [
        "amt80@example.org",
        submission.submitter_email,
    ]


def test_a_decision_that_fails_leaves_no_mail_behind(triage, monkeypatch):
    from beirat.submissions.services import triage as triage_services

    def fail_after_the_submitters_mail(*args, **kwargs):
        assert OutboxMail.objects.count() == 1  # the submitter's, already stored
        raise RuntimeError("the office's mail cannot be written")

    office = UnitFactory(email="amt80@example.org")
    submission = confirmed()
    monkeypatch.setattr(triage_services, "_notify_office", fail_after_the_submitters_mail)

    with pytest.raises(RuntimeError):
        triage_services.forward(submission=submission, office=office, note="", actor=None)

    assert not Forwarding.objects.exists()
    assert not OutboxMail.objects.exists()


def test_forwarding_twice_to_the_same_office_is_refused(triage):
    office = UnitFactory()
    submission = SubmissionFactory()
    triage.post(staff_url("forward", submission), {"office": office.pk})

    response = triage.post(staff_url("forward", submission), {"office": office.pk})

    assert "liegt diesem Amt bereits vor" in response.content.decode()
    assert Forwarding.objects.count() == 1


def test_merge_names_the_other_by_title_never_by_code(triage, anonymous):
    original = SubmissionFactory(title="Parkplatz-App")
    duplicate = SubmissionFactory(title="App für Parkplätze")

    triage.post(staff_url("merge", duplicate), {"into": original.pk})

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Submission.Status.MERGED, original)
    page = anonymous.get(duplicate.get_absolute_url()).content.decode()
    assert "Parkplatz-App" in page
    assert original.tracking_code not in page


def test_merge_into_a_merged_one_goes_to_the_survivor(triage):
    survivor = SubmissionFactory()
    middle = SubmissionFactory(status=Submission.Status.ANSWERED)
    from beirat.submissions.services import triage as decisions

    decisions.merge(submission=middle, into=survivor, actor=survivor_actor())
    late = SubmissionFactory()

    decisions.merge(
        submission=late, into=Submission.objects.get(pk=middle.pk), actor=survivor_actor()
    )

    late.refresh_from_db()
    assert late.merged_into == survivor


def survivor_actor():
    from tests.factories.core import UserFactory

    return UserFactory()


def test_decline_shows_the_reason_and_closes(triage, anonymous):
    submission = SubmissionFactory()

    triage.post(staff_url("decline", submission), {"reason": "Dafür ist das Land zuständig."})

    submission.refresh_from_db()
    assert submission.status == Submission.Status.DECLINED
    assert submission.closed_at is not None
    assert (
        "Dafür ist das Land zuständig."
        in anonymous.get(submission.get_absolute_url()).content.decode()
    )


def test_closed_submission_cannot_be_decided(triage):
    submission = SubmissionFactory(status=Submission.Status.WITHDRAWN)

    response = triage.post(staff_url("decline", submission), {"reason": "x"})

    assert response.status_code == 200
    assert "abgeschlossen" in response.content.decode()
    assert not submission.events.filter(kind=Event.Kind.DECLINED).exists()


def test_internal_note_never_reaches_the_public(triage, anonymous):
    submission = SubmissionFactory()

    triage.post(staff_url("note", submission), {"text": "Vertraulicher Vermerk"})

    assert "Vertraulicher Vermerk" in triage.get(staff_url("detail", submission)).content.decode()
    assert (
        "Vertraulicher Vermerk" not in anonymous.get(submission.get_absolute_url()).content.decode()
    )


def test_topics_and_text_blocks_are_edited_with_audit(triage, triage_user):
    triage.post(
        reverse("submissions:staff_topic_new"), {"name": "Open Data", "active": "on", "position": 1}
    )
    triage.post(reverse("submissions:staff_text_block_new"), {"title": "Dank", "text": "Danke!"})

    actions = set(AuditEntry.objects.filter(actor=triage_user).values_list("action", flat=True))
    assert actions == {"submissions.save_topic", "submissions.save_text_block"}


def test_submissions_are_found_by_triage_only(search_index, triage_user, clerk_user):
    from django.contrib.auth.models import AnonymousUser

    from beirat.search import queries

    SubmissionFactory(title="Glasfaser für Güls")
    search_index.sync()

    assert queries.search(triage_user, "Glasfaser Güls").total == 1
    assert queries.search(AnonymousUser(), "Glasfaser Güls").total == 0
    assert queries.search(clerk_user, "erika").total == 0  # contact data is never indexed


def test_daily_digest_lists_new_submissions_for_triage(triage_user):
    from io import StringIO

    from django.core.management import call_command

    triage_user.email = "it@example.org"
    triage_user.save()
    SubmissionFactory(title="Frische Idee")

    call_command("send_triage_digest", stdout=StringIO())
    deliver_outbox()

    assert [message.to for message in mail.outbox] == [["it@example.org"]]
    assert "Frische Idee" in mail.outbox[0].body
    assert "erika" not in mail.outbox[0].body.lower()


def test_no_digest_on_a_quiet_day(triage_user):
    triage_user.email = "it@example.org"
    triage_user.save()

    from io import StringIO

    from django.core.management import call_command

    call_command("send_triage_digest", stdout=StringIO())

    assert not due_mails().exists()


def test_merging_in_a_circle_is_refused(triage):
    from django.core.exceptions import ValidationError

    from beirat.submissions.services import triage as decisions

    first, second, third = SubmissionFactory(), SubmissionFactory(), SubmissionFactory()
    actor = survivor_actor()
    decisions.merge(submission=first, into=second, actor=actor)
    decisions.merge(submission=Submission.objects.get(pk=second.pk), into=third, actor=actor)

    with pytest.raises(ValidationError):
        decisions.merge(
            submission=Submission.objects.get(pk=third.pk),
            into=Submission.objects.get(pk=first.pk),
            actor=actor,
        )
