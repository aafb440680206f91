"""Compute the sentence vectors of every text the triage panel compares, with a progress bar.

Texts whose vector of the current model is stored and whose text is unchanged are skipped, so
the command catches up after missed tasks and, after a new encoder version, embeds everything
again. Safe while the site and the worker run.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from beirat.core.progress import ProgressBar
from beirat.search import embeddings
from beirat.search.models import TextVector
from beirat.search.sources import SOURCES
from beirat.search.vectors import EMBEDDED_KINDS

BATCH = 32


class Command(BaseCommand):
    help = "Berechnet die Satzvektoren für ähnliche Eingaben (nur fehlende oder veraltete)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        all_ids = {
            kind: list(SOURCES[kind].all_ids()) for kind in EMBEDDED_KINDS if kind in SOURCES
        }
        total = sum(len(ids) for ids in all_ids.values())
        bar = ProgressBar(self.stdout, "Satzvektoren")
        done = embedded = 0
        bar.update(0, total)
        for kind, ids in all_ids.items():
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                embedded += embeddings.embed_objects([(kind, object_id) for object_id in batch])
                done += len(batch)
                bar.update(done, total)
            stored = set(TextVector.objects.filter(kind=kind).values_list("object_id", flat=True))
            gone = sorted(stored - set(ids))
            for start in range(0, len(gone), 500):  # objects deleted while no task ran
                TextVector.objects.filter(
                    kind=kind, object_id__in=gone[start : start + 500]
                ).delete()
        TextVector.objects.exclude(kind__in=list(all_ids)).delete()
        bar.finish()
        seconds = time.monotonic() - started
        rate = f", {embedded / seconds:.1f} Texte/s" if embedded else ""
        self.stdout.write(
            f"Satzvektoren: {embedded} von {total} Objekten neu berechnet in {seconds:.1f} s{rate}."
        )
