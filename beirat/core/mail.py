"""The mail outbox: every e-mail is stored first and delivered by the background worker.

Django's EMAIL_BACKEND points at OutboxEmailBackend, so every ``send_mail`` (ours and the account
library's) lands in the outbox inside the caller's transaction. Delivery claims a row with a
short lease, sends through the real backend outside any transaction and records the outcome; a
failure schedules the next attempt with back-off, so a mail server that is down loses nothing.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from beirat.core.background import retry_delay
from beirat.core.models import OutboxMail
from beirat.core.queries import board_member_addresses

logger = logging.getLogger(__name__)
LEASE = datetime.timedelta(minutes=5)
# How long a worker waits for the database to record a mail that has left (a restart takes
# seconds); well inside the lease, so that no one else can claim the mail meanwhile.
RECORD_PATIENCE = datetime.timedelta(minutes=2)


class OutboxEmailBackend(BaseEmailBackend):
    """Stores messages in the outbox; the worker delivers them after commit."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            queue_message(message)
        return len(email_messages)


def queue_message(message: EmailMessage) -> OutboxMail:
    """Store one message in the outbox. Side effect: a delivery task after commit.

    To, Cc, Bcc and Reply-To are stored apart and delivered as they were given (a Bcc
    recipient stays hidden from the others); a mail to a board member is marked so."""
    from beirat.core.tasks import deliver_outbox_mail  # the task module imports this one

    html_body = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html_body = str(content)
    members = board_member_addresses()
    with transaction.atomic():
        mail = OutboxMail.objects.create(
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            recipients=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            to_board_member=any(address.lower() in members for address in message.recipients()),
            subject=message.subject[:255],
            body=str(message.body),
            html_body=html_body,
            headers={str(key): str(value) for key, value in (message.extra_headers or {}).items()},
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(lambda: deliver_outbox_mail.enqueue(mail.pk))
    return mail


def due_mails() -> models.QuerySet[OutboxMail]:
    now = timezone.now()
    return OutboxMail.objects.filter(status=OutboxMail.Status.QUEUED).filter(
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    )


def deliver_mail(*, mail_id: int) -> OutboxMail.Status | None:
    """Try to deliver one queued mail. Returns its status afterwards, None if not ours to send.

    Side effects: the e-mail itself; the outbox row records the attempt.
    """
    now = timezone.now()
    claimed = due_mails().filter(pk=mail_id).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    mail = OutboxMail.objects.get(pk=mail_id)
    try:
        _send(mail)
    except Exception as error:  # any transport error: keep the mail and try again later
        return _record_failure(mail, error)
    _record_sent(mail)
    return OutboxMail.Status.SENT


def _send(mail: OutboxMail) -> None:
    connection = get_connection(settings.BEIRAT_MAIL_DELIVERY_BACKEND, fail_silently=False)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.recipient_list,
        cc=mail.cc_list,
        bcc=mail.bcc_list,
        reply_to=mail.reply_to_list,
        headers=dict(mail.headers),
        connection=connection,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    message.send(fail_silently=False)


def _record_sent(mail: OutboxMail) -> None:
    """Mark the mail sent. It has left already: when the database is away for a moment (a
    restart), wait for it instead of giving up, or the lease would run out and the mail go out a
    second time. Inside a transaction there is nothing to wait for; the error goes up."""
    deadline = time.monotonic() + RECORD_PATIENCE.total_seconds()
    while True:
        try:
            OutboxMail.objects.filter(pk=mail.pk).update(
                status=OutboxMail.Status.SENT,
                sent_at=timezone.now(),
                attempts=mail.attempts + 1,
                next_attempt_at=None,
                last_error="",
            )
            return
        except DatabaseError as error:
            connection = transaction.get_connection()
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            logger.warning(
                "Mail %s sent, waiting for the database to record it: %s", mail.pk, error
            )
            connection.close()  # the next query connects anew
            time.sleep(1)


def _record_failure(mail: OutboxMail, error: Exception) -> OutboxMail.Status:
    attempts = mail.attempts + 1
    gave_up = attempts >= settings.BEIRAT_MAIL_MAX_ATTEMPTS
    status = OutboxMail.Status.FAILED if gave_up else OutboxMail.Status.QUEUED
    next_attempt = None if gave_up else timezone.now() + retry_delay(attempts)
    OutboxMail.objects.filter(pk=mail.pk).update(
        status=status,
        attempts=attempts,
        next_attempt_at=next_attempt,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    logger.warning("Mail %s not delivered (attempt %d): %s", mail.pk, attempts, error)
    if next_attempt is not None:
        from beirat.core.tasks import deliver_outbox_mail

        deliver_outbox_mail.using(run_after=next_attempt).enqueue(mail.pk)
    return status
