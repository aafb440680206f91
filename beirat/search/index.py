"""The server's local tantivy index: its schema, its folder, and the readers of web workers.

The search folder holds generations (``gen-<time>/``, each a complete tantivy index with the log
position it has applied) and a file ``CURRENT`` naming the one in use. A rebuild writes a new
generation and then switches ``CURRENT``, so readers never see a half-built index; deleting the
whole folder is always safe (the indexer builds it again from the database).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import tantivy
from django.conf import settings

from beirat.search.sources import PUBLIC, SearchDocument

# Raise when the schema or the analyzer changes: indexes of another format are rebuilt.
INDEX_FORMAT = 2
TERMS = "beirat_terms"  # terms come analyzed from beirat.search.analysis; split at spaces only
CURRENT = "CURRENT"
POSITION = "position.json"
EPOCH = datetime.date(1970, 1, 1)


def search_dir() -> Path:
    return Path(settings.BEIRAT_SEARCH_DIR)


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("object", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("type", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("status", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("audience", tokenizer_name="raw", index_option="basic")
    # Set on documents the public may not see: excluding the few is cheaper than requiring
    # "public" on nearly every document, so anonymous searches run at raw tantivy speed.
    builder.add_text_field("restricted", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("replaced_for", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("reference", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("committee", indexed=True, fast=True)
    builder.add_unsigned_field("year", indexed=True, fast=True)
    builder.add_unsigned_field("day", fast=True)  # days since 1970, for sorting by date
    builder.add_unsigned_field("id", fast=True)  # the object's id, read without the stored part
    builder.add_text_field("title", tokenizer_name=TERMS, index_option="position")
    builder.add_text_field("body", tokenizer_name=TERMS, index_option="position")
    builder.add_text_field("parts", tokenizer_name=TERMS, index_option="freq")
    builder.add_bytes_field("stored", stored=True)  # orjson: title, url, text for snippets …
    return builder.build()


SCHEMA = build_schema()


def open_index(path: Path, *, create: bool = False) -> tantivy.Index:
    if create:
        path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    index.register_tokenizer(TERMS, analyzer)
    return index


# Stored text is what snippets are cut from; a 500-page report needs no more than its start.
MAX_STORED_TEXT = 20_000


def to_tantivy(document: SearchDocument, *, version: int) -> tantivy.Document:
    from beirat.search import analysis

    title = analysis.normalize(document.title)
    text = analysis.normalize(document.text)
    title_terms, title_parts = analysis.index_fields(title, normalized=True)
    body_terms, body_parts = analysis.index_fields(text, normalized=True)
    day = (document.date - EPOCH).days if document.date else 0
    stored = {
        "kind": document.kind,
        "id": document.object_id,
        "variant": document.variant,
        "title": title,  # normalised, so that highlighting needs no second pass
        "url": document.url,
        "type": document.type,
        "date": document.date.isoformat() if document.date else "",
        "reference": document.reference,
        "status": document.status,
        "text": text[:MAX_STORED_TEXT],
        "version": version,
    }
    fields: dict[str, Any] = {
        "object": document.object_key,
        "id": document.object_id,
        "kind": document.kind,
        "type": document.type,
        "audience": list(document.audiences),
        "title": title_terms,
        "body": body_terms,
        "parts": f"{title_parts} {body_parts}".strip(),
        "day": max(day, 0),
        "stored": orjson.dumps(stored),
    }
    if document.status:
        fields["status"] = document.status
    if PUBLIC not in document.audiences:
        fields["restricted"] = "yes"
    if document.replaced_for:
        fields["replaced_for"] = list(document.replaced_for)
    if document.reference:
        fields["reference"] = document.reference.lower()
    if document.committees:
        fields["committee"] = list(document.committees)
    if document.date:
        fields["year"] = document.date.year
    return tantivy.Document.from_dict(fields, SCHEMA)


@dataclass
class Position:
    """How far a generation has applied the log; saved beside the index after every commit.

    ``pending`` holds ids below ``high`` not seen yet: on PostgreSQL a transaction that began
    earlier can commit its log row after later ones. They are looked for again until
    BEIRAT_SEARCH_GAP_SECONDS have passed (then the transaction rolled back).
    """

    high: int = 0
    format: int = INDEX_FORMAT
    pending: dict[int, float] = field(default_factory=dict)
    # When the log was last read to its end: every row created before then has been applied.
    checked_at: float = 0.0
    # The database's LogEpoch token the index was built against (see models.LogEpoch).
    epoch: str = ""

    @classmethod
    def load(cls, generation: Path) -> Position | None:
        try:
            raw = json.loads((generation / POSITION).read_text())
        except (OSError, ValueError):
            return None
        pending = {int(key): float(value) for key, value in raw.get("pending", {}).items()}
        return cls(
            high=int(raw["high"]),
            format=int(raw.get("format", 0)),
            pending=pending,
            checked_at=float(raw.get("checked_at", 0.0)),
            epoch=str(raw.get("epoch", "")),
        )

    def save(self, generation: Path) -> None:
        payload = {
            "high": self.high,
            "format": self.format,
            "pending": self.pending,
            "checked_at": self.checked_at,
            "epoch": self.epoch,
        }
        _write_atomically(generation / POSITION, json.dumps(payload))


def current_generation(root: Path | None = None) -> Path | None:
    root = root or search_dir()
    try:
        name = (root / CURRENT).read_text().strip()
    except OSError:
        return None
    generation = root / name
    return generation if name and (generation / "meta.json").exists() else None


def new_generation(root: Path | None = None) -> Path:
    root = root or search_dir()
    path = root / f"gen-{time.time_ns()}"
    path.mkdir(parents=True)
    return path


def activate(generation: Path) -> None:
    """Make a generation the one readers use."""
    _write_atomically(generation.parent / CURRENT, generation.name)


def remove_older_generations(keep: Path) -> None:
    """Only the indexer calls this: it may still be writing to the generation before."""
    for old in keep.parent.glob("gen-*"):
        if old.name < keep.name:
            # A reader may still have the old files mapped; on POSIX that keeps them readable.
            shutil.rmtree(old, ignore_errors=True)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


class Reader:
    """A web worker's view of the index; it reloads when the indexer has committed.

    Checking two file times per search costs microseconds and needs no signal between
    processes, so any number of workers follow one indexer.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._index: tantivy.Index | None = None
        self._stamp: tuple[int, int] = (0, 0)

    def searcher(self) -> tantivy.Searcher | None:
        """The current searcher, or None while this server has no index yet."""
        stamp = self._read_stamp()
        if stamp is None:
            return None
        with self._lock:
            if self._index is None or stamp != self._stamp:
                self._open(stamp)
            return self._index.searcher() if self._index is not None else None

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            current = (self.root / CURRENT).stat().st_mtime_ns
            generation = current_generation(self.root)
            if generation is None:
                return None
            return current, (generation / "meta.json").stat().st_mtime_ns
        except OSError:
            return None

    def _open(self, stamp: tuple[int, int]) -> None:
        generation = current_generation(self.root)
        if generation is None:
            return
        if generation != self._generation or self._index is None:
            try:
                self._index = open_index(generation)
            except ValueError:  # an index of an older format: the indexer is rebuilding it
                return
            self._generation = generation
        else:
            with contextlib.suppress(ValueError):
                self._index.reload()
        self._stamp = stamp


_readers: dict[Path, Reader] = {}
_readers_lock = threading.Lock()


def reader() -> Reader:
    root = search_dir()
    with _readers_lock:
        found = _readers.get(root)
        if found is None:
            found = _readers[root] = Reader(root)
        return found
