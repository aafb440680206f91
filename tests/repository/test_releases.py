"""deploy/releases records every release tag, for copies of the repository that carry no tags.

deploy/test-runbook upgrades from the previous release; when its checkout has no tags (a CI
checkout of the branch alone), it reads the tag and commit from deploy/releases. The list must
therefore agree with the tags wherever a checkout has them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
GIT = shutil.which("git") or "git"
RELEASES = REPOSITORY / "deploy" / "releases"
ENTRY = re.compile(r"^(v\d+\.\d+\.\d+) ([0-9a-f]{40})$")


def _entries(text: str) -> list[tuple[str, str]]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = ENTRY.match(line)
        if match is None:
            message = f"deploy/releases, line {number}: not 'vX.Y.Z <40 hex digits>': {line!r}"
            raise ValueError(message)
        entries.append((match.group(1), match.group(2)))
    return entries


def _git(*arguments: str) -> str:
    return subprocess.run(  # noqa: S603 - git on our own checkout
        [GIT, "-C", str(REPOSITORY), *arguments], capture_output=True, text=True, check=True
    ).stdout


def _local_release_tags() -> dict[str, str]:
    fields = "--format=%(refname:short) %(*objectname) %(objectname)"
    lines = _git("for-each-ref", fields, "refs/tags/v*")
    tags = {}
    for line in lines.splitlines():
        name, peeled, own = [*line.split(" "), ""][:3]
        tags[name] = peeled or own  # an annotated tag's commit is its peeled object
    return tags


def test_every_entry_is_a_tag_and_a_full_commit_in_order() -> None:
    entries = _entries(RELEASES.read_text(encoding="utf-8"))
    assert entries, "deploy/releases lists no release"
    versions = [tuple(int(part) for part in tag[1:].split(".")) for tag, _ in entries]
    assert versions == sorted(versions), "deploy/releases must list releases oldest first"
    assert len(set(versions)) == len(versions), "a release is listed twice"


def test_a_malformed_line_is_refused() -> None:
    with pytest.raises(ValueError, match="line 2"):
        _entries("v0.1.0 " + "a" * 40 + "\nv0.2 " + "b" * 40)


@pytest.mark.skipif(not (REPOSITORY / ".git").exists(), reason="not a git checkout")
def test_the_tags_this_checkout_has_are_listed_with_their_commits() -> None:
    listed = dict(_entries(RELEASES.read_text(encoding="utf-8")))
    for tag, commit in _local_release_tags().items():
        assert listed.get(tag) == commit, f"tag {tag} ({commit}) is not in deploy/releases so"
