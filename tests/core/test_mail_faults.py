"""The outbox when processes die or the database goes away in the middle of a delivery
(benchmarks/faults.py does the same with real processes)."""

import datetime

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beirat.core.mail import LEASE, deliver_mail
from beirat.core.models import OutboxMail


def run_worker():
    call_command(
        "db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0
    )


class DatabaseAwayOnce:
    """The database drops the connection once, when the worker records a mail as sent."""

    def __init__(self):
        self.dropped = 0

    def __call__(self, execute, sql, params, many, context):
        recording_sent = sql.startswith('UPDATE "core_outboxmail"') and "sent" in (params or ())
        if recording_sent and not self.dropped:
            self.dropped += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_a_mail_sent_while_the_database_restarts_is_recorded_once_it_is_back():
    send_mail("Betreff", "Text", None, ["a@example.org"])
    stored = OutboxMail.objects.get()
    away = DatabaseAwayOnce()

    with connection.execute_wrapper(away):
        status = deliver_mail(mail_id=stored.pk)

    stored.refresh_from_db()
    assert (away.dropped, status, stored.status) == (1, "sent", OutboxMail.Status.SENT)
    assert len(mail.outbox) == 1  # recorded, so neither the timer nor a retry sends it again
    call_command("send_queued_mail", verbosity=0)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_mail_whose_worker_was_killed_mid_delivery_goes_out_once_after_its_lease():
    send_mail("Betreff", "Text", None, ["a@example.org"])
    stored = OutboxMail.objects.get()
    # What kill -9 leaves behind: the task claimed by a worker that is gone, the mail leased.
    DBTaskResult.objects.get().claim("killed-worker")
    OutboxMail.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now() + LEASE)

    # django-tasks-db never hands a RUNNING task to another worker, dead or alive; the mail
    # depends on the outbox's timer. If this changes, the lease still prevents a second copy.
    run_worker()
    assert DBTaskResult.objects.get().status == "RUNNING"
    call_command("send_queued_mail", verbosity=0)
    assert mail.outbox == []  # still leased: the worker might only be slow

    five_minutes_later = timezone.now() - datetime.timedelta(seconds=1)
    OutboxMail.objects.filter(pk=stored.pk).update(next_attempt_at=five_minutes_later)
    call_command("send_queued_mail", verbosity=0)
    call_command("send_queued_mail", verbosity=0)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
