"""Writes of the submissions app. Each runs in one transaction, records its audit entry and
stores its mail in the outbox inside that transaction; delivery starts after commit."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from beirat.core import audit, retention
from beirat.core.models import OutboxMail
from beirat.core.tracking_codes import new_tracking_code
from beirat.core.uploads import CheckedFile
from beirat.submissions.models import Attachment, Event, Submission, Topic

logger = logging.getLogger(__name__)
SUBMITTER = "Einreichende Person"  # the audit trail's actor label: no name, no address
CONFIRMATION_SALT = "beirat.submission-email"
CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 30
# The audit trail never holds contact data: erasing it must leave no copy behind.
AUDITED_FIELDS = ("title", "text", "topic", "status", "assigned_to", "merged_into")


class AttachmentsNotStored(Exception):
    """The file store refused an attachment (a full disk, say); nothing of the write was kept."""


def submit(
    *,
    title: str,
    text: str,
    topic: Topic | None,
    name: str,
    email: str,
    language: str,
    files: Sequence[CheckedFile],
) -> Submission:
    """Receive a submission. Side effects: audit entry; if an address was given, one mail with
    the tracking code and a link to confirm the address, delivered after commit."""
    with transaction.atomic():
        submission = Submission.objects.create(
            tracking_code=new_tracking_code(),
            title=title,
            text=text,
            topic=topic,
            submitter_name=name,
            submitter_email=email,
            language=language,
            consent_at=timezone.now(),
        )
        _attach(submission, files)
        Event.objects.create(submission=submission, kind=Event.Kind.RECEIVED)
        audit.record(
            actor=None,
            actor_label=SUBMITTER,
            action="submissions.submit",
            instance=submission,
            changes=audit.diff({}, audit.snapshot(submission, AUDITED_FIELDS)),
        )
        if email:
            # Into the outbox inside the transaction: the mail is stored with the submission or
            # not at all. Queued on commit, a worker killed right after the commit lost it.
            # Delivery still waits for the commit (queue_message enqueues it then).
            _send_confirmation(submission)
    return submission


def confirm_email(*, submission: Submission, token: str) -> bool:
    """Mark the address confirmed if the token is the one sent to it. Side effect: audit."""
    try:
        payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return False
    matches = payload == {"submission": submission.pk, "email": submission.submitter_email}
    if not matches or not submission.submitter_email:
        return False
    if submission.email_confirmed_at is None:
        with transaction.atomic():
            submission.email_confirmed_at = timezone.now()
            submission.save(update_fields=["email_confirmed_at", "modified_at"])
            audit.record(
                actor=None,
                actor_label=SUBMITTER,
                action="submissions.confirm_email",
                instance=submission,
            )
    return True


def add_information(*, submission: Submission, text: str, files: Sequence[CheckedFile]) -> Event:
    """The submitter adds text or files to an open submission. Side effect: audit entry."""
    with transaction.atomic():
        _attach(submission, files)
        names = ", ".join(checked.name for checked in files)
        shown = text if not names else f"{text}\n\n{gettext('Angehängt')}: {names}".strip()
        event = Event.objects.create(submission=submission, kind=Event.Kind.INFO_ADDED, text=shown)
        submission.save(update_fields=["modified_at"])
        audit.record(
            actor=None,
            actor_label=SUBMITTER,
            action="submissions.add_information",
            instance=submission,
            changes={"information": {"before": None, "after": shown}},
        )
    return event


def withdraw(*, submission: Submission) -> None:
    """The submitter withdraws an open submission. Side effect: audit entry."""
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        submission.status = Submission.Status.WITHDRAWN
        submission.closed_at = timezone.now()
        submission.save(update_fields=["status", "closed_at", "modified_at"])
        Event.objects.create(submission=submission, kind=Event.Kind.WITHDRAWN)
        audit.record(
            actor=None,
            actor_label=SUBMITTER,
            action="submissions.withdraw",
            instance=submission,
            changes=audit.diff(before, audit.snapshot(submission, AUDITED_FIELDS)),
        )


def erase_contact_data(*, submission: Submission) -> None:
    """Delete the submitter's name and address (GDPR Art. 17) on the submitter's request; the
    submission itself stays. Side effects: audit entry, which records that, not what, was
    erased; a line in the erasure ledger, so that a restore from a backup cannot undo it."""
    with transaction.atomic():
        clear_contact_data(submission)
        audit.record(
            actor=None,
            actor_label=SUBMITTER,
            action="submissions.erase_contact_data",
            instance=submission,
        )
        retention.record_erasure("submission_contact", submission.pk)


def clear_contact_data(submission: Submission) -> None:
    """Name and address off the submission, and off the mails kept in the outbox: a sent mail
    still names its recipient. Queued mails to the address stay when another submission uses
    it, so that person's other mail is not lost."""
    address = submission.submitter_email
    submission.submitter_name = ""
    submission.submitter_email = ""
    submission.email_confirmed_at = None
    submission.save(
        update_fields=["submitter_name", "submitter_email", "email_confirmed_at", "modified_at"]
    )
    Event.objects.create(submission=submission, kind=Event.Kind.CONTACT_ERASED)
    if address:
        mails = OutboxMail.objects.filter(recipients=[address])
        if Submission.objects.filter(submitter_email__iexact=address).exists():
            mails = mails.exclude(status=OutboxMail.Status.QUEUED)
        mails.delete()


def confirmation_token(submission: Submission) -> str:
    payload = {"submission": submission.pk, "email": submission.submitter_email}
    return signing.dumps(payload, salt=CONFIRMATION_SALT)


def _attach(submission: Submission, files: Sequence[CheckedFile]) -> None:
    """Store the files and their rows. Files are not transactional: when anything fails, the
    files written so far are deleted again before the caller's transaction rolls back, so that
    neither a row without its file nor a file without its row remains. A refusing file store
    (OSError: disk full, no permission) raises AttachmentsNotStored for the form to explain."""
    field = Attachment._meta.get_field("file")
    written: list[str] = []
    try:
        for checked in files:
            attachment = Attachment(
                submission=submission,
                name=checked.name,
                content_type=checked.content_type,
                size=len(checked.content),
            )
            name = field.generate_filename(attachment, "upload")
            written.append(name)  # before the write: a failed write leaves part of the file
            attachment.file.name = field.storage.save(
                name, ContentFile(checked.content), max_length=field.max_length
            )
            written[-1] = attachment.file.name
            attachment.save()
    except Exception as error:
        for name in written:
            field.storage.delete(name)
        if isinstance(error, OSError):
            logger.error("Attachment not stored, submission rolled back: %s", error)
            raise AttachmentsNotStored from error
        raise


def _send_confirmation(submission: Submission) -> None:
    site_url = settings.BEIRAT_SITE_URL
    track = site_url + submission.get_absolute_url()
    confirm = site_url + reverse(
        "submissions:confirm_email",
        kwargs={"code": submission.tracking_code, "token": confirmation_token(submission)},
    )
    with translation.override(submission.language):
        context = {"submission": submission, "track_url": track, "confirm_url": confirm}
        body = render_to_string("submissions/mail/received.txt", context)
        subject = gettext("Ihre Eingabe %(code)s") % {"code": submission.tracking_code}
    EmailMessage(subject=subject, body=body, to=[submission.submitter_email]).send()
