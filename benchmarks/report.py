"""docs/benchmarks.md: each benchmark rewrites its own section and leaves the others alone.

Every section gets, under its heading, the stamp of benchmarks/provenance.py: the commit it
measured, the date and the machine, and in bold if it was measured on uncommitted changes.
BEIRAT_BENCH_REPORT names another file (`make bench-quick` writes var/bench/quick.md).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = Path(os.environ.get("BEIRAT_BENCH_REPORT") or ROOT / "docs" / "benchmarks.md")


def write_section(marker: str, section: str) -> None:
    """Replace the section starting with ``marker`` (a "## " heading), or append it."""
    from benchmarks.provenance import stamp

    heading, _, body = section.strip().partition("\n")
    section = f"{heading}\n\n{stamp()}\n\n{body.strip()}\n"
    text = PATH.read_text() if PATH.exists() else "# Benchmarks\n"
    before, found, after = text.partition(marker + "\n")
    if not found:
        PATH.parent.mkdir(parents=True, exist_ok=True)
        PATH.write_text(text.rstrip() + "\n\n" + section.rstrip() + "\n")
        return
    _, heading_found, rest = after.partition("\n## ")
    tail = "\n## " + rest if heading_found else ""
    PATH.write_text(before.rstrip() + "\n\n" + section.rstrip() + "\n" + tail)
