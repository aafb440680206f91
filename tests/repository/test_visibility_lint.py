"""Only queries.py and rules.py decide who may see what; scripts/lint_visibility.py (part of
``make lint``) refuses a visibility filter or a role test anywhere else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "scripts" / "lint_visibility.py"


def run_lint(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script on our own folder
        [sys.executable, str(LINT), str(folder)], capture_output=True, text=True, check=False
    )


def test_the_app_decides_visibility_only_in_queries_and_rules():
    result = run_lint(ROOT / "beirat")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "line",
    [
        "papers = Paper.objects.filter(public=True)",
        "items = meeting.agenda_items.exclude(public=False)",
        "found = Paper.objects.filter(status=Paper.Status.PUBLISHED)",
        "found = Paper.objects.filter(status__in=['published', 'withdrawn'])",
        "hits = Recommendation.objects.filter(Q(paper__public=True))",
        "allowed = has_role(user, Role.TRIAGE)",
        "shown = Role.CLERK in roles_of(user)",
    ],
)
def test_a_decision_outside_queries_and_rules_fails_the_lint(tmp_path, line):
    app = tmp_path / "someapp"
    app.mkdir()
    (app / "views.py").write_text(f"def page(user, meeting):\n    {line}\n")
    (app / "queries.py").write_text(f"def public_things(user, meeting):\n    {line}\n")
    result = run_lint(tmp_path)
    assert result.returncode == 1
    assert "views.py:2" in result.stdout
    assert "queries.py:" not in result.stdout


def test_plain_filters_pass_the_lint(tmp_path):
    (tmp_path / "views.py").write_text(
        "def page(user):\n    return Paper.objects.filter(pk=1, kind='AF').exclude(status='open')\n"
    )
    assert run_lint(tmp_path).returncode == 0
