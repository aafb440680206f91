"""The shipped deployment files (deploy/): units and timers pass `systemd-analyze verify`, the
nginx site passes `nginx -t` and logs no tracking code (deploy/check-files), and every scheduled
job has a timer with a clock time."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
JOBS = [
    "send_queued_mail",
    "requeue_stale_tasks",
    "apply_retention",
    "optimize_database",
    "prune_search_log",
    "send_triage_digest",
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
