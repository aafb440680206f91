"""Which generator made a cached corpus: a corpus under var/bench/ is reused only when the code
that made it is the same as this commit's."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
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


def paper_count(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(path)) as connection:
            return int(connection.execute("SELECT count(*) FROM council_paper").fetchone()[0])
    except sqlite3.Error:
        return 0


def reusable(path: Path, papers: int) -> bool:
    """A SQLite corpus with at least ``papers`` papers, made by this commit's generator."""
    marker = Path(f"{path}.source")
    return (
        paper_count(path) >= papers
        and marker.exists()
        and marker.read_text().strip() == generator_source()
    )


def mark(path: Path) -> None:
    """Note beside a SQLite corpus that this commit's generator made it."""
    Path(f"{path}.source").write_text(generator_source() + "\n")


def discard(path: Path) -> None:
    """A SQLite corpus, its write-ahead log and its marker, gone."""
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy, whatever is still in the write-ahead log."""
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)
