"""The shipped deployment files (deploy/): units and timers pass `systemd-analyze verify`, the
nginx site passes `nginx -t` and logs no tracking code (deploy/check-files), and every scheduled
job has a timer with a clock time. The runbook and its test are in lock-step: every shell block
of docs/deployment.md's installation, backup and upgrade sections is marked, and
deploy/test-runbook runs every mark, in the runbook's order (the test itself runs in .ci/run)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RUNBOOK = DEPLOY.parent / "docs" / "deployment.md"
RUNBOOK_TEST = DEPLOY / "test-runbook"
# The sections whose commands an operator runs in order; the others show settings, not steps.
RUNBOOK_SECTIONS = ("## Installation", "## Backups", "## Upgrades and rollback")
MARK = re.compile(r"^\s*<!-- runbook-test: ([a-z0-9-]+) -->\s*$")
JOBS = [
    "send_queued_mail",
    "requeue_stale_tasks",
    "apply_retention",
    "optimize_database",
    "prune_search_log",
    "send_triage_digest",
    "send_alerts",
    "send_alert_digest",
    "backup",
]


@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists())
    or not shutil.which("systemd-analyze"),
    reason="needs nginx and systemd-analyze (.ci/run installs nginx-light)",
)
def test_check_files_passes():
    result = subprocess.run(  # noqa: S603 - our own script
        [str(DEPLOY / "check-files")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "units OK" in result.stdout
    assert "no tracking code" in result.stdout


@pytest.mark.parametrize("job", JOBS)
def test_every_scheduled_job_has_a_service_and_a_timer_with_a_time(job):
    name = job.replace("_", "-")
    service = (DEPLOY / "systemd" / f"beirat-{name}.service").read_text()
    timer = (DEPLOY / "systemd" / f"beirat-{name}.timer").read_text()

    assert f"manage.py {job}" in service
    assert "Type=oneshot" in service
    assert re.search(r"^OnCalendar=\S", timer, re.MULTILINE)


def test_the_web_server_listens_on_loopback_only():
    config = (DEPLOY / "gunicorn.conf.py").read_text()

    assert '"127.0.0.1:8000"' in config
    assert "0.0.0.0" not in config  # noqa: S104 - the address must not appear


def runbook_blocks() -> list[tuple[str | None, str]]:
    """(mark or None, text) of every shell block in the runbook's sections, in order."""
    blocks: list[tuple[str | None, str]] = []
    section, previous, inside, mark = "", "", False, None
    lines: list[str] = []
    for line in RUNBOOK.read_text().splitlines():
        stripped = line.strip()
        if inside:
            if stripped == "```":
                blocks.append((mark, "\n".join(lines)))
                inside = False
            else:
                lines.append(stripped)
            continue
        if line.startswith("## "):
            section = line
        if stripped == "```sh" and section.startswith(RUNBOOK_SECTIONS):
            found = MARK.match(previous)
            inside, mark, lines = True, found.group(1) if found else None, []
        if stripped:
            previous = line
    return blocks


def test_every_shell_block_of_the_runbook_is_marked_for_its_test():
    blocks = runbook_blocks()

    assert len(blocks) >= 15
    assert [text.splitlines()[0] for mark, text in blocks if mark is None] == []
    marks = [mark for mark, _ in blocks]
    assert len(marks) == len(set(marks))


def test_the_runbook_test_runs_every_marked_block_in_the_runbooks_order():
    script = RUNBOOK_TEST.read_text()
    run = re.findall(r"^run_block ([a-z0-9-]+)", script, re.MULTILINE)
    marked = re.findall(r"<!-- runbook-test: ([a-z0-9-]+) -->", RUNBOOK.read_text())

    assert run == marked


def test_what_the_runbook_test_types_instead_of_the_operator_is_in_the_runbook():
    """deploy/test-runbook replaces a few words (the release, the editor's work…); each must still
    be in its block, or the test would run something other than the runbook."""
    blocks = dict(runbook_blocks())
    script = RUNBOOK_TEST.read_text()
    substitutions = re.findall(r'^substitute ([a-z0-9-]+) "([^"]+)"', script, re.MULTILINE)

    assert len(substitutions) >= 5
    for mark, replaced in substitutions:
        assert replaced in blocks[mark], (mark, replaced)
