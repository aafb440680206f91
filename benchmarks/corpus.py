"""Which generator made a cached corpus: a corpus under var/bench/ is reused only when the code
that made it is the same as this commit's."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generator_source(*extra: str) -> str:
    """The digest of what a generated corpus depends on: the generator's and the vocabulary's
    source, and ``extra`` texts (a script that prepares the corpus further, say)."""
    digest = hashlib.sha256()
    for name in ("generator.py", "vocabulary.py"):
        digest.update((ROOT / "benchmarks" / name).read_bytes())
    for text in extra:
        digest.update(text.encode())
    return digest.hexdigest()
