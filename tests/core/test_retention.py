"""Retention: the public register, the nightly job, and erasures that survive a restore."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from beirat.board.models import ExpertAnswer, ExpertRequest
from beirat.board.services.requests import pseudonym_of
from beirat.core import retention
from beirat.core.models import AuditEntry, OutboxMail
from beirat.ingest.models import ImportRecord
from beirat.submissions.models import Attachment, Event, Submission
from tests.factories.board import ExpertRequestFactory
from tests.factories.core import UserFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def closed_submission(days: int, **fields) -> Submission:
    submission = SubmissionFactory(**fields)
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.CLOSED, closed_at=days_ago(days)
    )
    submission.refresh_from_db()
    return submission


def with_attachment(submission: Submission) -> Attachment:
    attachment = Attachment(
        submission=submission, name="plan.pdf", content_type="application/pdf", size=5
    )
    attachment.file.save("plan", ContentFile(b"%PDF-"), save=False)
    attachment.save()
    return attachment


def run_job(*arguments: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *arguments, stdout=out)
    return out.getvalue()


# The public register ----------------------------------------------------------------------


def test_register_lists_every_rule_with_its_configured_period(anonymous, settings):
    settings.BEIRAT_RETENTION_DAYS = {**settings.BEIRAT_RETENTION_DAYS, "submission_contact": 90}

    page = anonymous.get(reverse("core:retention")).content.decode()

    for rule in retention.RULES:
        assert str(rule.record_type) in page
    assert "90 Tage" in page
    assert "unbefristet" in page  # the archival paper originals
    assert {rule.key for rule in retention.RULES} == set(settings.BEIRAT_RETENTION_DAYS)


def test_register_is_linked_from_the_privacy_notice(anonymous):
    page = anonymous.get(reverse("core:privacy")).content.decode()
    assert reverse("core:retention") in page


def test_a_rule_without_a_configured_period_is_refused():
    with pytest.raises(LookupError):
        retention.register(
            retention.Rule(
                key="unheard_of",
                record_type="x",
                content="x",
                starts="x",
                then="x",
                legal_basis="x",
            )
        )


# The job ----------------------------------------------------------------------------------


def test_contact_data_goes_after_the_period_and_an_audit_entry_remains(settings):
    due = closed_submission(181)
    not_yet = closed_submission(179)
    still_open = SubmissionFactory()
    Submission.objects.filter(pk=still_open.pk).update(received_at=days_ago(900))

    output = run_job()

    due.refresh_from_db()
    assert (due.submitter_name, due.submitter_email) == ("", "")
    assert due.events.filter(kind=Event.Kind.CONTACT_ERASED).exists()
    entry = AuditEntry.objects.get(action="submissions.retention.contact")
    assert entry.object_id == str(due.pk)
    assert entry.actor_label == retention.RETENTION_ACTOR
    assert "erika" not in json.dumps(entry.changes)  # that, not what, was erased
    for kept in (not_yet, still_open):
        kept.refresh_from_db()
        assert kept.submitter_email == "erika@example.org"
    assert "Kontaktdaten zu Eingaben: 1 von 1 gelöscht." in output


def test_an_answered_submission_counts_from_its_last_change():
    answered = SubmissionFactory(status=Submission.Status.ANSWERED)
    Submission.objects.filter(pk=answered.pk).update(modified_at=days_ago(200))

    run_job()

    answered.refresh_from_db()
    assert answered.submitter_email == ""


def test_a_dry_run_counts_and_erases_nothing():
    due = closed_submission(400)

    output = run_job("--dry-run")

    due.refresh_from_db()
    assert due.submitter_email == "erika@example.org"
    assert "Kontaktdaten zu Eingaben: 1 fällig." in output
    assert not AuditEntry.objects.filter(action__startswith="submissions.retention").exists()


def test_running_the_job_twice_erases_once():
    closed_submission(400)

    run_job()
    second = run_job()

    assert AuditEntry.objects.filter(action="submissions.retention.contact").count() == 1
    assert "Kontaktdaten zu Eingaben: 0 von 0 gelöscht." in second


def test_attachments_are_deleted_with_their_files(settings):
    submission = closed_submission(366)
    attachment = with_attachment(submission)
    path = attachment.file.path
    recent = with_attachment(closed_submission(10))

    run_job()

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not Path(path).exists()
    assert Attachment.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.filter(action="submissions.retention.attachments").count() == 1


def test_whole_submissions_go_after_ten_years_duplicates_first_and_questions_stay():
    target = closed_submission(3700)
    duplicate = closed_submission(3700)
    Submission.objects.filter(pk=duplicate.pk).update(
        merged_into=target, status=Submission.Status.MERGED
    )
    request = ExpertRequestFactory(submission=target, status=ExpertRequest.Status.CLOSED)
    attachment = with_attachment(target)
    file_path = attachment.file.path
    young_duplicate = closed_submission(10)
    survivor = closed_submission(3700)
    Submission.objects.filter(pk=young_duplicate.pk).update(merged_into=survivor)

    run_job()

    assert not Submission.objects.filter(pk__in=[target.pk, duplicate.pk]).exists()
    assert not Event.objects.filter(submission_id=target.pk).exists()
    request.refresh_from_db()
    assert request.submission is None
    assert not Path(file_path).exists()
    # its duplicate is not due yet, so the one it points to waits for it
    assert Submission.objects.filter(pk=survivor.pk).exists()
    deleted = AuditEntry.objects.filter(action="submissions.retention.deleted")
    assert deleted.count() == 2


def test_expert_requests_lose_excerpt_and_single_answers_not_the_question():
    request = ExpertRequestFactory(
        excerpt="Auszug", status=ExpertRequest.Status.CLOSED, closed_at=days_ago(800)
    )
    ExpertAnswer.objects.create(
        request=request, author=pseudonym_of(UserFactory()), text="Meine Meinung"
    )
    open_request = ExpertRequestFactory(excerpt="Auszug")

    run_job()

    request.refresh_from_db()
    assert (request.excerpt, request.answers.count()) == ("", 0)
    assert request.question
    open_request.refresh_from_db()
    assert open_request.excerpt == "Auszug"


def test_old_sent_mails_go_queued_ones_stay():
    sent = OutboxMail.objects.create(
        from_email="a@b.de",
        recipients=["x@example.org"],
        subject="s",
        body="b",
        status=OutboxMail.Status.SENT,
        sent_at=days_ago(100),
    )
    queued = OutboxMail.objects.create(
        from_email="a@b.de", recipients=["y@example.org"], subject="s", body="b"
    )
    OutboxMail.objects.filter(pk__in=[sent.pk, queued.pk]).update(created_at=days_ago(100))

    run_job()

    assert not OutboxMail.objects.filter(pk=sent.pk).exists()
    assert OutboxMail.objects.filter(pk=queued.pk).exists()


def test_old_audit_entries_go():
    submission = SubmissionFactory()
    old = AuditEntry.objects.create(
        actor_label="x", action="a", object_type="t", object_id=str(submission.pk), object_label="o"
    )
    AuditEntry.objects.filter(pk=old.pk).update(created_at=days_ago(1100))
    recent = AuditEntry.objects.create(
        actor_label="x", action="a", object_type="t", object_id="1", object_label="o"
    )

    run_job()

    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def test_files_of_failed_imports_go_originals_of_papers_stay(settings):
    failed = ImportRecord(file_name="kaputt.pdf", sha256="0" * 64, status="failed", reason="x")
    failed.original.save("kaputt", ContentFile(b"%PDF- kaputt"), save=False)
    failed.original_text = "Text"
    failed.save()
    imported = ImportRecord(file_name="gut.pdf", sha256="1" * 64, status="imported")
    imported.original.save("gut", ContentFile(b"%PDF- gut"), save=False)
    imported.save()
    ImportRecord.objects.update(created_at=days_ago(100))
    failed_path = failed.original.path

    run_job()

    failed.refresh_from_db()
    imported.refresh_from_db()
    assert (failed.original.name, failed.original_text, failed.reason) == ("", "", "x")
    assert not Path(failed_path).exists()
    assert imported.original


# Erasure on request, and after a restore ------------------------------------------------


def erase_by_code(client, submission):
    url = reverse("submissions:erase_contact", kwargs={"code": submission.tracking_code})
    token = client.get(url).context["form"]["issued"].initial
    client.post(url, {"issued": token, "confirm": "on"})


def test_erasure_by_code_also_removes_the_mails_kept_in_the_outbox(anonymous):
    submission = SubmissionFactory()
    other = SubmissionFactory(submitter_email="other@example.org")
    for address, status in (
        ("erika@example.org", OutboxMail.Status.SENT),
        ("erika@example.org", OutboxMail.Status.QUEUED),
        ("other@example.org", OutboxMail.Status.SENT),
    ):
        OutboxMail.objects.create(
            from_email="a@b.de",
            recipients=[address],
            subject="s",
            body="b",
            status=status,
            sent_at=NOW if status == OutboxMail.Status.SENT else None,
        )

    erase_by_code(anonymous, submission)

    assert list(OutboxMail.objects.values_list("recipients", flat=True)) == [
        [other.submitter_email]
    ]


def test_a_queued_mail_for_another_submission_of_the_same_person_is_kept(anonymous):
    submission = SubmissionFactory()
    SubmissionFactory()  # the same address, another open submission
    OutboxMail.objects.create(
        from_email="a@b.de", recipients=["erika@example.org"], subject="s", body="b"
    )

    erase_by_code(anonymous, submission)

    assert OutboxMail.objects.filter(status=OutboxMail.Status.QUEUED).count() == 1


def test_an_erasure_on_request_is_applied_again_after_a_restore(anonymous, settings):
    submission = SubmissionFactory()
    backup = serializers.serialize("json", [submission])  # the nightly backup, before

    erase_by_code(anonymous, submission)
    for restored in serializers.deserialize("json", backup):  # the restore brings it back
        restored.save()
    submission.refresh_from_db()
    assert submission.submitter_email == "erika@example.org"

    output = run_job()

    submission.refresh_from_db()
    assert (submission.submitter_name, submission.submitter_email) == ("", "")
    assert "Löschungen auf Antrag erneut angewandt: 1 (von 1 im Verzeichnis)." in output
    ledger = settings.BEIRAT_ERASURE_LEDGER.read_text()
    assert "erika" not in ledger
    assert submission.tracking_code not in ledger


def test_a_torn_last_ledger_line_is_skipped(settings):
    submission = SubmissionFactory()
    retention.record_erasure("submission_contact", submission.pk)
    with settings.BEIRAT_ERASURE_LEDGER.open("a") as ledger:
        ledger.write('{"rule": "submission_con')  # the process died mid-write

    assert retention.ledger_entries() == [("submission_contact", submission.pk)]
    assert retention.reapply_ledger() == 1
