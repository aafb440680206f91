"""Operations: /healthz, /readyz, /metrics, request ids, masked logs, the production start checks
and load_demo's refusal (docs/deployment.md "Monitoring")."""

import json
import logging
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from beirat.core.environment import Environment, site_url
from beirat.core.log_records import mask
from beirat.core.models import OutboxMail
from beirat.core.tracking_codes import new_tracking_code
from beirat.core.version import beirat_version
from beirat.submissions.models import Submission
from tests.submissions import files
from tests.submissions.test_intake import NEW, deliver_outbox, form_data

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings):
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    return settings.MEDIA_ROOT


# --- /healthz and /readyz ---------------------------------------------------------------------


def test_healthz_says_the_process_answers(anonymous):
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": beirat_version()}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_with_database_cache_media_outbox_and_a_fresh_index(
    anonymous, media, search_index
):
    search_index.sync()

    response = anonymous.get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert body["version"] == beirat_version() != "unknown"
    assert set(body["checks"]) == {"database", "cache", "media", "outbox", "search_index"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_answers_503_and_names_what_is_missing(anonymous, search_index):
    search_index.sync()
    OutboxMail.objects.create(
        from_email="a@example.org", recipients=["b@example.org"], subject="s", body="b"
    )
    OutboxMail.objects.filter().update(created_at=timezone.now() - timedelta(hours=2))

    response = anonymous.get("/readyz")  # no media folder, a mail stuck for two hours

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "not ready"
    failed = {name for name, check in body["checks"].items() if not check["ok"]}
    assert failed == {"media", "outbox"}
    assert body["checks"]["media"]["detail"] == "does not exist"


def test_readyz_without_a_search_index_is_not_ready(anonymous, media):
    response = anonymous.get("/readyz")

    assert response.status_code == 503
    assert "no index" in response.json()["checks"]["search_index"]["detail"]


# --- /metrics ---------------------------------------------------------------------------------


def test_metrics_answer_on_loopback_in_prometheus_format(anonymous, media):
    anonymous.get("/healthz")

    response = anonymous.get("/metrics")

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert re.search(
        r'beirat_http_requests_total\{method="GET",status="200",view="core:healthz"\} \d', text
    )
    assert "beirat_http_request_duration_seconds_bucket" in text
    for name in (
        "beirat_outbox_queued",
        "beirat_outbox_oldest_age_seconds",
        "beirat_tasks_ready",
        "beirat_search_indexer_lag_seconds",
    ):
        assert f"\n{name} " in text


@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.5"},  # another machine
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"},  # through nginx
        {"REMOTE_ADDR": "10.0.0.2", "HTTP_AUTHORIZATION": "Bearer wrong"},
    ],
)
def test_metrics_are_closed_to_the_public(anonymous, settings, extra):
    settings.BEIRAT_METRICS_TOKEN = "s3cret-token-of-the-monitoring"

    response = anonymous.get("/metrics", **extra)

    assert response.status_code == 404
    assert b"beirat_" not in response.content


def test_metrics_open_with_the_token_from_anywhere(anonymous, settings):
    settings.BEIRAT_METRICS_TOKEN = "s3cret-token-of-the-monitoring"

    response = anonymous.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        HTTP_AUTHORIZATION="Bearer s3cret-token-of-the-monitoring",
    )

    assert response.status_code == 200


# --- request ids and masked logs --------------------------------------------------------------


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def captured():
    handler = Capture()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.records
    root.removeHandler(handler)
    root.setLevel(previous)


def test_the_proxys_request_id_is_kept_in_log_and_answer(anonymous, captured):
    response = anonymous.get(
        f"/eingaben/{new_tracking_code()}/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef"
    )

    assert response.status_code == 404
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    not_found = [r for r in captured if r.name == "django.request"]
    assert [r.request_id for r in not_found] == ["0123456789abcdef0123456789abcdef"]
    assert not_found[0].getMessage() == "Not Found: /eingaben/<tracking-code>/"


def test_a_request_without_or_with_a_strange_id_gets_a_new_one(anonymous):
    plain = anonymous.get("/healthz")
    strange = anonymous.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert re.fullmatch(r"[0-9a-f]{32}", plain["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", strange["X-Request-ID"])
    assert plain["X-Request-ID"] != strange["X-Request-ID"]


def test_json_lines_are_utc_and_masked():
    from beirat.core.log_records import JsonFormatter, install_masking

    install_masking()
    code = new_tracking_code()
    record = logging.getLogger("beirat.test").makeRecord(
        "beirat.test",
        logging.WARNING,
        __file__,
        1,
        "mail to %s for %s",
        ("x@example.org", code),
        None,
    )

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "mail to <email> for <tracking-code>"
    assert line["time"].endswith("Z")
    assert line["level"] == "WARNING"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "GET /eingaben/7KQ2-M9XD-4HNP-ABCD-EFGH-JKMN-PQR5/ergaenzen/",
            "GET /eingaben/<tracking-code>/ergaenzen/",
        ),
        ("/eingaben/7kq2m9xd4hnp/", "/eingaben/<tracking-code>/"),  # mistyped: still masked
        ("/eingaben/neu/ and /eingaben/", "/eingaben/neu/ and /eingaben/"),
        ("code 7KQ2 M9XD 4HNP ABCD EFGH JKMN PQR5.", "code <tracking-code>."),
        ("Erika.Muster+x@stadt.koblenz.de wrote", "<email> wrote"),
        ("Donaudampfschifffahrtsgesellsch", "Donaudampfschifffahrtsgesellsch"),
    ],
)
def test_mask(text, expected):
    assert mask(text) == expected


def test_no_log_line_of_a_citizens_journey_holds_the_code_or_the_address(
    anonymous, captured, django_capture_on_commit_callbacks, media
):
    email = "erika.journey@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        submitted = anonymous.post(
            NEW, form_data(anonymous, email=email, attachments=[files.pdf("plan.pdf")]), follow=True
        )
    submission = Submission.objects.get()
    code = submission.tracking_code
    assert submitted.status_code == 200
    deliver_outbox()
    confirm = re.search(r"/eingaben/[^/\s]+/bestaetigen/[^/\s]+/", mail.outbox[0].body)
    assert confirm is not None
    assert anonymous.get(confirm.group(0), follow=True).status_code == 200
    track = anonymous.get(f"/eingaben/{code}/")
    assert track.status_code == 200
    token = track.context["add_form"]["issued"].initial
    added = anonymous.post(
        f"/eingaben/{code}/ergaenzen/",
        {"issued": token, "text": f"Noch etwas, erreichbar unter {email}."},
    )
    assert added.status_code == 302
    anonymous.get(f"/eingaben/{code}/nicht-da/")  # a 404 below the code is logged
    anonymous.get(f"/eingaben/{code.lower()}/beleg.pdf")
    page = anonymous.get(f"/eingaben/{code}/zurueckziehen/")
    token = page.context["form"]["issued"].initial
    withdrawn = anonymous.post(
        f"/eingaben/{code}/zurueckziehen/", {"issued": token, "confirm": "on"}
    )
    assert withdrawn.status_code == 302
    deliver_outbox()

    # Positive control: the journey's log lines were captured, masked.
    messages = [record.getMessage() for record in captured]
    assert "Not Found: /eingaben/<tracking-code>/nicht-da/" in messages
    compact = code.replace("-", "")
    for record in captured:
        text = logging.Formatter().format(record) + str(record.__dict__)
        for secret in (code, code.lower(), compact, email):
            assert secret not in text, (record.name, record.getMessage())


# --- production: refusing to start, load_demo -------------------------------------------------


def production_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "beirat.settings",
        "BEIRAT_PRODUCTION": "1",
        "BEIRAT_SECRET_KEY": "k7R2-vXq9wLz4pN8sT1yB6mH3cF5jD0gAeUoIiKrQtWxZbVnMlPaSdGfHjKl",
        "BEIRAT_ALLOWED_HOSTS": "beirat.example.org",
        "BEIRAT_SITE_URL": "https://beirat.example.org",
        "BEIRAT_VAR_DIR": str(var_dir),
        "BEIRAT_MEDIA_DIR": str(var_dir / "media"),
        "DATABASE_URL": f"sqlite:///{var_dir / 'beirat.sqlite3'}",
    }
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value}


def run(var_dir: Path, *arguments: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this Python and our own code
        [sys.executable, *arguments],
        cwd=ROOT,
        env=production_environment(var_dir, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_the_address_or_the_media_folder(tmp_path):
    # (tmp_path/media is not created: both faults at once)
    check = run(tmp_path, "manage.py", "check", BEIRAT_SITE_URL="")
    wsgi = run(tmp_path, "-c", "import beirat.wsgi", BEIRAT_SITE_URL="")

    assert check.returncode == 1
    assert check.stderr.startswith("beirat cannot start: BEIRAT_SITE_URL is not set")
    assert f"BEIRAT_MEDIA_DIR {tmp_path / 'media'} does not exist" in check.stderr
    assert "Traceback" not in check.stderr
    assert wsgi.returncode != 0  # gunicorn imports this: no worker boots
    assert "BEIRAT_SITE_URL is not set" in wsgi.stderr


def test_production_starts_with_both(tmp_path):
    (tmp_path / "media").mkdir()

    check = run(tmp_path, "manage.py", "check")

    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout


def test_production_refuses_a_plain_http_address(tmp_path):
    (tmp_path / "media").mkdir()

    check = run(tmp_path, "manage.py", "check", BEIRAT_SITE_URL="http://beirat.example.org")

    assert check.returncode == 1
    assert "BEIRAT_SITE_URL is 'http://beirat.example.org'" in check.stderr


def test_the_former_name_still_works_and_a_conflict_is_refused():
    former = site_url(Environment({"BEIRAT_BASE_URL": "https://a.example.org/"}), default="")
    with pytest.raises(ImproperlyConfigured, match="differ"):
        site_url(
            Environment(
                {"BEIRAT_BASE_URL": "https://a.example.org", "BEIRAT_SITE_URL": "https://b.de"}
            ),
            default="",
        )
    with pytest.raises(ImproperlyConfigured, match="BEIRAT_SITE_URL must be"):
        site_url(Environment({"BEIRAT_SITE_URL": "https://a.example.org/beirat"}), default="")

    assert former == "https://a.example.org"


def test_load_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("load_demo")

    assert not Submission.objects.exists()


def test_the_footer_shows_the_version(anonymous):
    assert f"beirat {beirat_version()}" in anonymous.get("/impressum/").content.decode()
