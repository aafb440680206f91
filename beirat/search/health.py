"""The search index in /readyz and /metrics: is it there, and does its indexer keep up?

The indexer saves its position (the last log row applied) after every batch, and at least hourly
while nothing changes (indexer.CHECKED_EVERY). The index is ready when it exists, no log row
older than BEIRAT_READY_INDEX_SECONDS waits beyond its position, and the position was saved
within two of those hours (an indexer that died on a quiet site).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.conf import settings
from django.db import models

from beirat.core.health import Outcome
from beirat.core.metrics import Figure
from beirat.search import index
from beirat.search.indexer import CHECKED_EVERY
from beirat.search.models import SearchLogEntry


def _position() -> index.Position | None:
    generation = index.current_generation()
    return None if generation is None else index.Position.load(generation)


def _waiting(position: index.Position) -> tuple[int, float]:
    """Log rows beyond the position, and the age in seconds of the oldest of them."""
    waiting = SearchLogEntry.objects.filter(id__gt=position.high).aggregate(
        count=models.Count("id"), oldest=models.Min("created_at")
    )
    oldest = waiting["oldest"]
    return waiting["count"], (time.time() - oldest.timestamp()) if oldest else 0.0


def index_readiness() -> Outcome:
    position = _position()
    if position is None:
        return Outcome(False, f"no index in {index.search_dir()} (is the indexer running?)")
    count, age = _waiting(position)
    limit: int = settings.BEIRAT_READY_INDEX_SECONDS
    if age > limit:
        return Outcome(False, f"{count} change(s) waiting, the oldest for {age:.0f} s")
    silent = time.time() - position.checked_at
    if silent > 2 * CHECKED_EVERY + limit:
        return Outcome(False, f"the indexer last read the log {silent:.0f} s ago")
    return Outcome(True, f"{count} change(s) waiting, the oldest for {age:.0f} s")


def index_figures() -> Iterator[Figure]:
    position = _position()
    count, age = _waiting(position) if position is not None else (0, 0.0)
    yield (
        "beirat_search_index_present",
        "1 if this server has a search index.",
        int(bool(position)),
    )
    yield ("beirat_search_log_waiting", "Search log rows the indexer has not applied.", count)
    yield (
        "beirat_search_indexer_lag_seconds",
        "Age of the oldest search log row the indexer has not applied (0: none waits).",
        age,
    )
