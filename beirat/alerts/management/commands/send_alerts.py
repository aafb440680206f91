"""Look for changes of public data and mail the immediate alerts (timer: every 5 minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from beirat.alerts.services.delivery import send_alerts


class Command(BaseCommand):
    help = "Look for changes of public data and mail the immediate e-mail alerts."

    def handle(self, *args: Any, **options: Any) -> None:
        queued, mails = send_alerts()
        self.stdout.write(f"{queued} changes queued, {mails} alert mails in the outbox")
