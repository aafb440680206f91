"""The daily digest of e-mail alerts (timer: every morning)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from beirat.alerts.services.delivery import send_digest


class Command(BaseCommand):
    help = "Mail the daily digest of e-mail alerts."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_digest()} digest mails in the outbox")
