"""Delete search log rows older than BEIRAT_SEARCH_LOG_DAYS (for the nightly timer)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from beirat.search.services import prune_log


class Command(BaseCommand):
    help = "Löscht alte Einträge des Suchprotokolls."

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.BEIRAT_SEARCH_LOG_DAYS
        deleted = prune_log(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"{deleted} Einträge älter als {days} Tage gelöscht.")
