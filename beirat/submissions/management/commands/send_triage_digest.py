"""Mail IT management the day's new submissions and overdue forwardings (for a daily timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from beirat.submissions.services.digest import send_triage_digest


class Command(BaseCommand):
    help = "Schickt dem IT-Management die neuen Eingaben und überfälligen Weiterleitungen."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_triage_digest()
        self.stdout.write(f"{sent} Übersicht(en) in den Postausgang gelegt.")
