"""The indexer: one per server, the only writer of that server's index.

It applies the search log in id order and re-reads each changed object from the database, so
the index can always be thrown away and rebuilt. After every tantivy commit it saves the log
position beside the index; killed at any moment, it starts again from the last saved position
and applies a few rows twice, which is harmless (delete, then add).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from uuid import uuid4

import tantivy
from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Max
from django.urls import reverse

from beirat.search import index
from beirat.search.models import LogEpoch, SearchLogEntry
from beirat.search.sources import SOURCES, SearchDocument, object_key

logger = logging.getLogger(__name__)

BATCH = 500
WRITER_HEAP = 64_000_000
# A gap wider than this is a bulk rollback, not a transaction still running.
MAX_GAP = 10_000
CHECKED_EVERY = 3600.0

Progress = Callable[[int, int], None]


class IndexerBusy(Exception):
    """Another indexer holds this server's index."""


class Indexer:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or index.search_dir()
        self.generation: Path | None = None
        self.position = index.Position()
        self._index: tantivy.Index | None = None
        self._writer: tantivy.IndexWriter | None = None

    # Life cycle ----------------------------------------------------------------------------

    def start(self, progress: Progress | None = None) -> None:
        """Open this server's index, or build it from the database if it is missing or stale."""
        # Sources build URLs: load the URLconf now, not on the first change (seconds late).
        reverse("core:home")
        generation = index.current_generation(self.root)
        position = index.Position.load(generation) if generation else None
        if (
            generation is None
            or position is None
            or position.format != index.INDEX_FORMAT
            or self._too_old(position)
            or position.epoch != current_epoch()
        ):
            self.rebuild(progress=progress)
            return
        self._open(generation, position)
        index.remove_older_generations(generation)

    def close(self) -> None:
        if self._writer is not None:
            try:
                self._writer.wait_merging_threads()
            except (ValueError, OSError):  # its folder was deleted under it: nothing to keep
                logger.warning("Suchindex: Schreiber ohne Ordner geschlossen")
        self._writer = None
        self._index = None

    def follow(self, *, stop: threading.Event, poll_seconds: float) -> None:
        """Apply the log as it grows until ``stop`` is set; survive database outages."""
        try:
            self._follow(stop, poll_seconds)
        finally:
            connection.close()  # this thread's connection; it would outlive the thread

    def _follow(self, stop: threading.Event, poll_seconds: float) -> None:
        failures = 0
        while not stop.is_set():
            try:
                self._switch_if_rebuilt_elsewhere()
                self._rebuild_if_restored()
                applied = self.catch_up()
                failures = 0
            except Exception:
                # The database restarting or a broken object must not end the indexer; back off.
                failures += 1
                logger.exception("Suchindex: Anwenden des Protokolls fehlgeschlagen")
                close_old_connections()
                stop.wait(min(60.0, poll_seconds * 2**failures))
                continue
            if not applied:
                close_old_connections()
                stop.wait(poll_seconds)

    # Applying the log -----------------------------------------------------------------------

    def catch_up(self) -> int:
        """Apply every log row not applied yet; the number of rows applied."""
        total = 0
        while True:
            started = time.time()
            rows = self._next_rows()
            if rows:
                self._apply(rows)
                total += len(rows)
            if len(rows) < BATCH:
                self._checked(started)
                return total

    def _checked(self, when: float) -> None:
        # Written at least hourly while idle, so a quiet site's index does not look stale.
        stale = when - self.position.checked_at > CHECKED_EVERY
        self.position.checked_at = when
        if stale and self.generation is not None:
            self.position.save(self.generation)

    def _next_rows(self) -> list[tuple[int, str, int]]:
        position = self.position
        rows = list(
            SearchLogEntry.objects.filter(id__gt=position.high)
            .order_by("id")
            .values_list("id", "kind", "object_id")[:BATCH]
        )
        now = time.time()
        expected = position.high + 1
        for row_id, _, _ in rows:
            if expected < row_id and row_id - expected <= MAX_GAP:
                position.pending.update(dict.fromkeys(range(expected, row_id), now))
            expected = row_id + 1
        if position.pending:
            gap_limit = now - settings.BEIRAT_SEARCH_GAP_SECONDS
            late = list(
                SearchLogEntry.objects.filter(id__in=list(position.pending)).values_list(
                    "id", "kind", "object_id"
                )
            )
            for row_id, _, _ in late:
                position.pending.pop(row_id, None)
            position.pending = {
                key: seen for key, seen in position.pending.items() if seen >= gap_limit
            }
            rows += late
        return rows

    def _apply(self, rows: Sequence[tuple[int, str, int]]) -> None:
        versions: dict[tuple[str, int], int] = {}
        for row_id, kind, object_id in rows:
            versions[(kind, object_id)] = max(row_id, versions.get((kind, object_id), 0))
        by_kind: dict[str, list[int]] = defaultdict(list)
        for kind, object_id in versions:
            by_kind[kind].append(object_id)
        writer = self._require_writer()
        for kind, ids in by_kind.items():
            for object_id in ids:
                writer.delete_documents_by_term("object", object_key(kind, object_id))
            source = SOURCES.get(kind)
            if source is None:  # a kind no longer searchable: its documents just go
                continue
            for document in source.documents(ids):
                version = versions[(kind, document.object_id)]
                writer.add_document(index.to_tantivy(document, version=version))
        writer.commit()
        self.position.high = max(self.position.high, *(row[0] for row in rows))
        assert self.generation is not None
        self.position.save(self.generation)

    # Building from the database ---------------------------------------------------------------

    def rebuild(self, progress: Progress | None = None, *, take_over: bool = True) -> Path:
        """Build a new generation from the database and make it current; the log is followed
        from where it stood before the database was read. ``take_over`` False (the command run
        beside a running indexer) leaves the older generation to that indexer, which switches."""
        epoch = current_epoch()  # read first: a restore while building makes the next check see it
        mark = SearchLogEntry.objects.aggregate(high=Max("id"))["high"] or 0
        position = index.Position(
            high=mark, pending=_recent_gaps(mark), checked_at=time.time(), epoch=epoch
        )
        generation = index.new_generation(self.root)
        built = index.open_index(generation, create=True)
        writer = _writer_for(built)
        all_ids = {kind: list(source.all_ids()) for kind, source in SOURCES.items()}
        total = sum(len(ids) for ids in all_ids.values())
        done = 0
        for kind, ids in all_ids.items():
            for count, documents in _documents_in_batches(kind, ids):
                for document in documents:
                    writer.add_document(index.to_tantivy(document, version=mark))
                done += count
                if progress:
                    progress(done, total)
        writer.commit()
        writer.wait_merging_threads()
        position.save(generation)
        index.activate(generation)
        self.close()
        self._open(generation, position)
        if take_over:
            index.remove_older_generations(generation)
        return generation

    # Internals -----------------------------------------------------------------------------

    def _open(self, generation: Path, position: index.Position) -> None:
        self.generation = generation
        self.position = position
        self._index = index.open_index(generation)
        self._writer = None

    def _require_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            assert self._index is not None, "start() first"
            self._writer = _writer_for(self._index)
        return self._writer

    def _switch_if_rebuilt_elsewhere(self) -> None:
        # `manage.py rebuild_search` builds a new generation beside us and switches CURRENT.
        current = index.current_generation(self.root)
        if current is None:
            self.close()
            self.rebuild()
        elif current != self.generation:
            position = index.Position.load(current)
            if position is not None:
                self.close()
                self._open(current, position)
                index.remove_older_generations(current)

    def _rebuild_if_restored(self) -> None:
        if self.position.epoch != current_epoch():
            logger.warning("Suchindex: Datenbank wurde wiederhergestellt, baue neu auf")
            self.close()
            self.rebuild()

    def _too_old(self, position: index.Position) -> bool:
        # Older than the log's retention: rows it still needs may have been pruned.
        retention = settings.BEIRAT_SEARCH_LOG_DAYS * 86_400
        return position.checked_at < time.time() - retention


def _documents_in_batches(
    kind: str, ids: Sequence[int]
) -> Iterator[tuple[int, list[SearchDocument]]]:
    """(number of objects, their documents) for each batch of ids."""
    source = SOURCES[kind]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        yield len(chunk), list(source.documents(chunk))


def _writer_for(tantivy_index: tantivy.Index) -> tantivy.IndexWriter:
    try:
        return tantivy_index.writer(heap_size=WRITER_HEAP, num_threads=1)
    except ValueError as error:
        raise IndexerBusy(str(error)) from error


def _recent_gaps(mark: int) -> dict[int, float]:
    """Ids below the mark that are missing now: transactions that may still commit."""
    present = set(
        SearchLogEntry.objects.filter(id__gt=mark - MAX_GAP, id__lte=mark).values_list(
            "id", flat=True
        )
    )
    lowest = min(present, default=mark + 1)
    now = time.time()
    return {row_id: now for row_id in range(lowest, mark + 1) if row_id not in present}


def current_epoch() -> str:
    """The database's LogEpoch token; made on first use."""
    epoch, _created = LogEpoch.objects.get_or_create(pk=1, defaults={"token": uuid4().hex})
    return epoch.token


def new_epoch() -> None:
    """Called after a restore (core.backups.database_restored): every index builds anew. A
    backup without the row needs nothing: the next current_epoch() makes a token that no index
    was built with."""
    LogEpoch.objects.filter(pk=1).update(token=uuid4().hex)
