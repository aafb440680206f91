"""The repository stands on its own: no tracked file reads or names anything outside it.

A clone in an empty folder has nothing beside it, so a path that climbs out of the checkout
(``../shared/…``, ``Path(__file__).parents[5]``), a document that is not in the repository
(``DESIGN.md``) or an issue number of a tracker the reader cannot see would only work, or only
make sense, on the machine of whoever wrote it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[2]
GIT = shutil.which("git") or "git"

# Third-party files are kept as their authors wrote them.
VENDORED = ("/vendor/", "uv.lock")
TEXT_SUFFIXES = frozenset(
    {".py", ".md", ".txt", ".html", ".css", ".js", ".toml", ".cfg", ".ini", ".yml", ".yaml",
     ".json", ".jsonl", ".po", ".sh", ".service", ".timer", ".conf", ".svg", ""}
)  # fmt: skip

# Bad-input tests send path traversal on purpose; such a line says so and is not a reference.
ATTACK_INPUT = "# attack input"
_RELATIVE_PATH = re.compile(r"(?<![\w.])((?:\.\./)+[\w.\-/]*)")
_PARENTS = re.compile(r"__file__\)\.resolve\(\)\.parents\[(\d+)\]")
_MARKDOWN_NAME = re.compile(r"(?<![\w/.-])([A-Za-z0-9_\-/]+\.md)\b")
# What the project's commands write into its own var/ folder, e.g. var/bench/quick.md.
_GENERATED = re.compile(r"^/?var/bench/[\w.-]+\.md$")
_TRACKER_REFERENCE = re.compile(r"\b[Ii]ssues? #?\d+|\(#\d+\)|\bTicket #?\d+")
_MACHINE_PATHS = re.compile(r"(?<![\w.])/(?:work|root|home)/[\w.-]+")


def tracked_text_files() -> list[PurePosixPath]:
    listed = subprocess.run(  # noqa: S603 - git on our own checkout
        [GIT, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    paths = [PurePosixPath(name) for name in listed.split("\0") if name]
    return [
        path
        for path in paths
        if path.suffix in TEXT_SUFFIXES
        and not any(part in f"/{path}" for part in VENDORED)
        and (ROOT / path).is_file()
    ]


def read(path: PurePosixPath) -> str:
    return (ROOT / path).read_text(encoding="utf-8", errors="replace")


def escapes(start: PurePosixPath, relative: str) -> bool:
    """Whether ``relative``, read from the folder ``start``, leaves the repository."""
    depth = len(start.parts)
    for part in PurePosixPath(relative).parts:
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part != ".":
            depth += 1
    return False


def outside_references(path: PurePosixPath, text: str, markdown_names: set[str]) -> list[str]:
    text = "\n".join(line for line in text.splitlines() if ATTACK_INPUT not in line)
    found = []
    for match in _RELATIVE_PATH.finditer(text):
        # Relative to the file (links, imports) and to the checkout (commands run from the root).
        if escapes(path.parent, match.group(1)) and escapes(PurePosixPath(), match.group(1)):
            found.append(f"climbs out of the repository: {match.group(1)}")
    if path.suffix == ".py":
        for match in _PARENTS.finditer(text):
            if int(match.group(1)) >= len(path.parts):
                found.append(f"parents[{match.group(1)}] is above the repository")
    for match in _MARKDOWN_NAME.finditer(text):
        if _GENERATED.search(match.group(1)):
            continue  # a report our own commands write into var/ (ignored by git)
        if PurePosixPath(match.group(1)).name not in markdown_names:
            found.append(f"names a document that is not in the repository: {match.group(1)}")
    found += [f"cites a tracker: {m.group(0)}" for m in _TRACKER_REFERENCE.finditer(text)]
    found += [f"names a path of one machine: {m.group(0)}" for m in _MACHINE_PATHS.finditer(text)]
    return found


def test_no_tracked_file_names_anything_outside_the_repository():
    files = tracked_text_files()
    assert len(files) > 100, "git ls-files found too few files: is this a checkout?"
    markdown_names = {path.name for path in files if path.suffix == ".md"}
    offenders = [
        f"{path}: {reason}"
        for path in files
        if path != PurePosixPath("tests/repository/test_self_contained.py")
        for reason in outside_references(path, read(path), markdown_names)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("README.md", "Architecture: `../shared/DESIGN.md`"),
        ("tests/oparl/x.py", 'DIR = Path(__file__).resolve().parents[3] / "shared"'),
        ("beirat/core/x.py", '"""The roles of DESIGN.md section 2."""'),
        ("tests/e2e/x.py", '"""Issue 6 in a real browser."""'),
        ("docs/x.md", "see /work/shared/seeds"),
        ("Makefile", "cp ../shared/oparl/schema ."),
        ("tests/x.py", "ROOT = Path(__file__).resolve().parents[2]"),
    ],
)
def test_the_guard_finds_each_kind_of_outside_reference(path, text):
    assert outside_references(PurePosixPath(path), text, {"README.md", "x.md"}) != []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("docs/deployment.md", "see [backup](backup.md) and ../README.md"),
        ("beirat/core/x.py", "ROOT = Path(__file__).resolve().parents[2]"),
        ("docs/x.md", "the folder /srv/beirat-shared and /etc/beirat/env"),
        ("tests/x.py", "the issue number field stays empty"),
        ("tests/x.py", 'Text("Pfad", "../../../../etc/passwd"),  # attack input'),
        ("Makefile", "REPORT := $(CURDIR)/var/bench/quick.md  # results in var/bench/quick.md"),
    ],
)
def test_the_guard_lets_references_inside_the_repository_pass(path, text):
    assert outside_references(PurePosixPath(path), text, {"backup.md", "README.md"}) == []
