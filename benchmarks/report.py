"""docs/benchmarks.md: each benchmark rewrites its own section and leaves the others alone."""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(marker: str, section: str) -> None:
    """Replace the section starting with ``marker`` (a "## " heading), or append it."""
    text = PATH.read_text() if PATH.exists() else "# Benchmarks\n"
    before, found, after = text.partition(marker + "\n")
    if not found:
        PATH.write_text(text.rstrip() + "\n\n" + section.rstrip() + "\n")
        return
    _, heading, rest = after.partition("\n## ")
    tail = "\n## " + rest if heading else ""
    PATH.write_text(before.rstrip() + "\n\n" + section.rstrip() + "\n" + tail)
