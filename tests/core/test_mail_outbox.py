import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from beirat.core.mail import deliver_mail
from beirat.core.models import OutboxMail


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Verbindung abgelehnt")


def run_worker():
    call_command(
        "db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0
    )


@pytest.mark.django_db(transaction=True)
def test_send_mail_goes_through_the_outbox_and_the_worker_delivers_it():
    send_mail("Ihre Eingabe", "Vielen Dank.", None, ["buerger@example.org"])
    assert OutboxMail.objects.get().status == OutboxMail.Status.QUEUED
    assert mail.outbox == []

    run_worker()

    stored = OutboxMail.objects.get()
    assert (stored.status, stored.attempts) == (OutboxMail.Status.SENT, 1)
    assert [(m.subject, m.to) for m in mail.outbox] == [("Ihre Eingabe", ["buerger@example.org"])]


@pytest.mark.django_db(transaction=True)
def test_mail_of_a_rolled_back_transaction_is_neither_stored_nor_sent():
    def send_then_fail():
        with transaction.atomic():
            send_mail("Nie", "gesendet", None, ["x@example.org"])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        send_then_fail()
    run_worker()
    assert (OutboxMail.objects.count(), mail.outbox) == (0, [])


@pytest.mark.django_db(transaction=True)
def test_html_alternative_is_kept_and_delivered():
    message = EmailMultiAlternatives("Betreff", "Text", None, ["a@example.org"])
    message.attach_alternative("<p>Text</p>", "text/html")
    message.send()
    run_worker()
    assert mail.outbox[0].alternatives[0][0] == "<p>Text</p>"


@pytest.mark.django_db
def test_a_mail_server_that_is_down_loses_nothing_and_delivery_succeeds_later(settings):
    settings.BEIRAT_MAIL_DELIVERY_BACKEND = f"{__name__}.FailingBackend"
    send_mail("Betreff", "Text", None, ["a@example.org"])
    stored = OutboxMail.objects.get()

    assert deliver_mail(mail_id=stored.pk) == OutboxMail.Status.QUEUED
    stored.refresh_from_db()
    assert stored.attempts == 1
    assert "Verbindung abgelehnt" in stored.last_error
    assert stored.next_attempt_at > timezone.now()

    settings.BEIRAT_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMail.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now())
    assert deliver_mail(mail_id=stored.pk) == OutboxMail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_delivery_gives_up_after_the_configured_attempts(settings):
    settings.BEIRAT_MAIL_DELIVERY_BACKEND = f"{__name__}.FailingBackend"
    settings.BEIRAT_MAIL_MAX_ATTEMPTS = 2
    send_mail("Betreff", "Text", None, ["a@example.org"])
    stored = OutboxMail.objects.get()
    deliver_mail(mail_id=stored.pk)
    OutboxMail.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now())
    assert deliver_mail(mail_id=stored.pk) == OutboxMail.Status.FAILED


@pytest.mark.django_db
def test_a_mail_being_delivered_elsewhere_is_not_sent_twice():
    send_mail("Betreff", "Text", None, ["a@example.org"])
    stored = OutboxMail.objects.get()
    # Another worker holds the lease.
    OutboxMail.objects.filter(pk=stored.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert deliver_mail(mail_id=stored.pk) is None
    assert mail.outbox == []


@pytest.mark.django_db
def test_send_queued_mail_command_delivers_everything_due():
    for number in range(3):
        send_mail(f"Betreff {number}", "Text", None, ["a@example.org"])
    call_command("send_queued_mail", verbosity=0)
    assert sorted(m.subject for m in mail.outbox) == ["Betreff 0", "Betreff 1", "Betreff 2"]
