"""Deliver every due mail of the outbox now (for a timer, or after an outage of the worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from beirat.core.mail import deliver_mail, due_mails
from beirat.core.models import OutboxMail


class Command(BaseCommand):
    help = "Versendet alle fälligen E-Mails des Postausgangs."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = list(due_mails().order_by("id").values_list("id", flat=True))
        sent = failed = 0
        for mail_id in ids:
            status = deliver_mail(mail_id=mail_id)
            sent += status == OutboxMail.Status.SENT
            failed += status in (OutboxMail.Status.QUEUED, OutboxMail.Status.FAILED)
        self.stdout.write(f"{len(ids)} fällig, {sent} versendet, {failed} nicht zugestellt")
