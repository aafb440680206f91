"""Which code a benchmark measured: one commit, one run, a clean tree.

    .venv/bin/python benchmarks/provenance.py start   # refuses a dirty tree, starts the document
    .venv/bin/python benchmarks/provenance.py finish  # checks every section names this run

`make bench` calls `start` before the first benchmark and `finish` after the last: the document
(docs/benchmarks.md, or BEIRAT_BENCH_REPORT) is begun anew with the commit, the date, the
machine and its CPU count at the top, and every section that benchmarks/report.py writes names
the commit it measured (the stamp). Nothing of an earlier run is kept.

A dirty tree (changes to anything but docs/, tests/ and Markdown files, or new files elsewhere)
is refused by `start` and by every benchmark that calls require_clean(), unless
BEIRAT_BENCH_ALLOW_DIRTY=1 (as `make bench-quick` sets): then each section's stamp says in bold
that it is not a result.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ALLOW_DIRTY = "BEIRAT_BENCH_ALLOW_DIRTY"
RUN_COMMIT = "BEIRAT_BENCH_COMMIT"  # set by `make bench`: the commit the whole run measures
# Paths whose changes do not change what is measured: the report itself, other docs, tests.
IGNORED = ("docs/", "tests/")


def _git(*arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout


def commit(short: bool = True) -> str:
    return _git("rev-parse", *(["--short"] if short else []), "HEAD").strip()


def changes() -> list[str]:
    """Changed, staged or new files that can change what is measured."""
    found = []
    for line in _git("status", "--porcelain", "--untracked-files=all").splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')
        if not path.startswith(IGNORED) and not path.endswith(".md"):
            found.append(path)
    return found


def dirty_allowed() -> bool:
    return os.environ.get(ALLOW_DIRTY, "") not in ("", "0")


def require_clean() -> None:
    """Refuse to measure uncommitted code, unless BEIRAT_BENCH_ALLOW_DIRTY=1."""
    changed = changes()
    if changed and not dirty_allowed():
        shown = ", ".join(changed[:8]) + (" …" if len(changed) > 8 else "")
        raise SystemExit(
            f"Uncommitted changes ({len(changed)}: {shown}): a benchmark measures a commit. "
            f"Commit them, or set {ALLOW_DIRTY}=1 to run anyway (every section is then marked "
            "as not a result)."
        )


def run_commit_moved() -> str | None:
    """The run's commit if HEAD is no longer at it (someone committed during `make bench`)."""
    started = os.environ.get(RUN_COMMIT)
    if started and not commit(short=False).startswith(started):
        return started
    return None


def stamp() -> str:
    """The line under each section's heading: the commit measured and whether it was clean."""
    head = commit()
    today = datetime.date.today().isoformat()
    changed = changes()
    moved = run_commit_moved()
    lines = [f"Commit {head}, {today}, {_machine()}."]
    if moved:
        lines.append(
            f"**Not a result of the run: HEAD moved from {moved[:7]} to {head} during `make "
            "bench`.**"
        )
    if changed:
        shown = ", ".join(changed[:6]) + (" …" if len(changed) > 6 else "")
        lines.append(
            f"**Not a result: measured with {len(changed)} uncommitted change(s) on top of "
            f"{head} ({shown}).**"
        )
    return " ".join(lines)


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024**2:.0f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}){memory}, Linux {platform.release()}"


def _start(quick: bool) -> None:
    from benchmarks.report import PATH

    if not quick:
        require_clean()
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "make bench-quick" if quick else "make bench"
    header = [
        "# Benchmarks",
        "",
        f"Every table below comes from one run of `{command}`, started {started} on commit "
        f"{commit(short=False)}, on {_machine()}. Each section names the commit it measured; a "
        "section that was not measured on that commit, or on uncommitted changes, says so in "
        "bold. Nothing is carried over from earlier runs unless a table says so.",
    ]
    changed = changes()
    if changed:
        header += [
            "",
            f"**Started with {len(changed)} uncommitted change(s): the sections so marked are "
            "not results.**",
        ]
    if quick:
        header += [
            "",
            "**A quick run (smaller corpora, fewer repetitions) for checking a change: not the "
            "figures of record.**",
        ]
    PATH.parent.mkdir(parents=True, exist_ok=True)
    PATH.write_text("\n".join(header) + "\n")
    print(f"{PATH}: begun for commit {commit()}", flush=True)


def _finish() -> None:
    from benchmarks.report import PATH

    text = PATH.read_text()
    sections = text.split("\n## ")[1:]
    head = commit()
    missing = [s.splitlines()[0] for s in sections if f"Commit {head}," not in s]
    marked = [s.splitlines()[0] for s in sections if "**Not a result" in s]
    for title in missing:
        print(f"section '{title}' does not name commit {head}", flush=True)
    for title in marked:
        print(f"section '{title}' is marked as not a result", flush=True)
    print(f"{PATH}: {len(sections)} sections", flush=True)
    if missing or (marked and not dirty_allowed()):
        raise SystemExit(1)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "start":
        _start(quick="--quick" in sys.argv)
    elif command == "finish":
        _finish()
    elif command == "check":
        require_clean()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
