"""This server's indexer: builds the index if it has none, then follows the search log.

Run exactly one per server, beside the app server (``make run`` does; see
docs/deployment.md). Stops cleanly on SIGTERM or Ctrl+C; killed hard, it resumes from its
last saved position.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beirat.core.progress import ProgressBar
from beirat.search.indexer import Indexer, IndexerBusy


class Command(BaseCommand):
    help = "Hält den Suchindex dieses Servers aktuell (ein Prozess je Server)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Nur nachholen, was aussteht, dann beenden."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
        indexer = Indexer()
        bar = ProgressBar(self.stdout, "Suchindex")
        try:
            indexer.start(progress=bar.update)
            applied = indexer.catch_up()
            self.stdout.write(f"Suchindex bereit ({applied} Änderungen nachgeholt).")
            if not options["once"]:
                indexer.follow(stop=stop, poll_seconds=settings.BEIRAT_SEARCH_POLL_SECONDS)
        except IndexerBusy as error:
            raise CommandError(
                f"Auf diesem Server läuft schon ein Indexer ({error}). Einer je Server genügt."
            ) from error
        finally:
            indexer.close()
