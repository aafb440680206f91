"""Build this server's search index anew from the database, with a progress bar.

Safe while the site and the indexer run: the new index is built beside the old one, then
switched; the running indexer follows the log on from there.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from beirat.core.progress import ProgressBar
from beirat.search.indexer import Indexer, IndexerBusy


class Command(BaseCommand):
    help = "Baut den Suchindex dieses Servers neu aus der Datenbank auf."

    def handle(self, *args: Any, **options: Any) -> None:
        bar = ProgressBar(self.stdout, "Suchindex")
        started = time.monotonic()
        indexer = Indexer()
        try:
            generation = indexer.rebuild(progress=bar.update, take_over=False)
        except IndexerBusy as error:
            raise CommandError(f"Der Suchindex ist gesperrt: {error}") from error
        finally:
            indexer.close()
        bar.finish()
        self.stdout.write(
            f"Suchindex {generation.name} aufgebaut in {time.monotonic() - started:.1f} s."
        )
