"""Hardened defaults, each proven here in one place.

Production settings are only ever read in a subprocess with production environment variables:
the settings module reads the environment once, at import, and the test process runs with the
development defaults.
"""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as live_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import URLResolver, get_resolver, include, path
from django.utils import timezone
from django.utils.html import escape
from django.views.static import serve

import beirat.settings as project_settings
from beirat.board.models import BoardStatement, ExpertAnswer
from beirat.core import downloads
from beirat.core.file_metadata import PDF, without_metadata
from beirat.core.mail import deliver_mail, due_mails
from beirat.core.models import OutboxMail
from beirat.core.roles import Role
from beirat.submissions.models import Attachment, Submission, Topic

# The project's error handlers, so that this module can serve as a URLconf (section 5).
from beirat.urls import handler400, handler403, handler404, handler500  # noqa: F401
from tests.factories.board import ExpertRequestFactory
from tests.factories.core import UserFactory, user_with_role
from tests.factories.submissions import SubmissionFactory
from tests.submissions import files

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Sehr-sicheres-Passwort-1"  # the factories' password
LOCKED = "Zu viele gescheiterte Anmeldeversuche. Bitte versuchen Sie es später erneut."
PAYLOAD = '<script>alert(1)</script><a href="javascript:alert(1)">x</a>'


# --- 1. manage.py check --deploy, and HSTS under production settings -------------------------

PRODUCTION_PROBE = """
import json
import django

django.setup()
from django.conf import settings
from django.test import Client

client = Client(SERVER_NAME="beirat.example.org")
# Behind the proxy, as production runs: it reports the scheme in X-Forwarded-Proto.
https = client.get("/branding.css", headers={"x-forwarded-proto": "https"})
http = client.get("/branding.css", headers={"x-forwarded-proto": "http"})
print(json.dumps({
    "https": {"status": https.status_code, "headers": dict(https.headers)},
    "http": {"status": http.status_code, "headers": dict(http.headers)},
    "silenced": settings.SILENCED_SYSTEM_CHECKS,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_age": settings.SESSION_COOKIE_AGE,
    "session_expire_at_browser_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "media_root": str(settings.MEDIA_ROOT),
    "static_root": str(settings.STATIC_ROOT),
}))
"""


def production_environment(var_dir: Path) -> dict[str, str]:
    """Only what an operator sets: nothing inherited from the test run (no DATABASE_URL etc.)."""
    (var_dir / "media").mkdir(exist_ok=True)  # production refuses to start without it
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "beirat.settings",
        "BEIRAT_PRODUCTION": "1",
        "BEIRAT_SECRET_KEY": "k7R2-vXq9wLz4pN8sT1yB6mH3cF5jD0gAeUoIiKrQtWxZbVnMlPaSdGfHjKl",
        "BEIRAT_ALLOWED_HOSTS": "beirat.example.org",
        "BEIRAT_CSRF_TRUSTED_ORIGINS": "https://beirat.example.org",
        "BEIRAT_SITE_URL": "https://beirat.example.org",
        "BEIRAT_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'beirat.sqlite3'}",
    }


def run_in_production(var_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this Python, our own manage.py and probe
        [sys.executable, *arguments],
        cwd=ROOT,
        env=production_environment(var_dir),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def deploy_check(tmp_path_factory) -> subprocess.CompletedProcess[str]:
    var_dir = tmp_path_factory.mktemp("var")
    return run_in_production(var_dir, "manage.py", "check", "--deploy", "--fail-level", "WARNING")


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    result = run_in_production(tmp_path_factory.mktemp("var"), "-c", PRODUCTION_PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_is_clean_with_production_settings(deploy_check):
    output = deploy_check.stdout + deploy_check.stderr

    assert deploy_check.returncode == 0, output
    assert "WARNING" not in output
    assert "System check identified no issues" in output


def test_deploy_check_fails_without_the_production_hardening():
    # Positive control: the same check under the development settings of this test run (no
    # HSTS, no secure cookies) fails, so a clean result above means something.
    with pytest.raises(SystemCheckError) as failure:
        call_command("check", deploy=True, fail_level="WARNING")
    assert "security.W004" in str(failure.value)


def test_production_silences_only_the_preload_reminder(production):
    # HSTS preload binds the city's whole domain; settings.py says why it is opt-in.
    assert production["silenced"] == ["security.W021"]
    assert (production["session_cookie_secure"], production["csrf_cookie_secure"]) == (True, True)


def test_production_sends_hsts_over_https_and_redirects_plain_http(production):
    https, http = production["https"], production["http"]

    assert https["status"] == 200
    assert https["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert_strict_csp(https["headers"]["Content-Security-Policy"])
    assert https["headers"]["X-Content-Type-Options"] == "nosniff"
    assert (http["status"], http["headers"]["Location"]) == (
        301,
        "https://beirat.example.org/branding.css",
    )
    assert "Strict-Transport-Security" not in http["headers"]  # HSTS only means something on TLS


# --- 2. Headers on public, staff, tracking pages and downloads --------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_csp(header: str) -> None:
    directives = csp_directives(header)
    script_src = directives.get("script-src", directives["default-src"])
    object_src = directives.get("object-src", directives["default-src"])
    assert directives["default-src"] in (["'self'"], ["'none'"])
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(script_src)
    assert object_src == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("base-uri") in (["'none'"], ["'self'"])


@pytest.mark.parametrize(
    "weak",
    [
        "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'none'",
        "default-src 'self'; object-src 'none'; base-uri 'none'",
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    ],
)
def test_the_csp_check_refuses_a_weak_policy(weak):
    with pytest.raises(AssertionError):
        assert_strict_csp(weak)


def assert_security_headers(response) -> None:
    assert_strict_csp(response["Content-Security-Policy"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def submit_form(client: Client, **overrides):
    """The intake form as a browser sends it, with the token of a freshly served page."""
    page = client.get("/eingaben/neu/")
    data = {
        "issued": page.context["form"]["issued"].initial,
        "title": "Parkplatz-App",
        "text": "Eine App mit der Belegung der Parkhäuser.",
        "name": "Erika Musterfrau",
        "email": "erika@example.org",
        "consent": "on",
        "website": "",
        **overrides,
    }
    return client.post("/eingaben/neu/", data)


def submit_raw_upload(client: Client, disposition_filename: str, content: bytes):
    """The intake form with one attachment, its multipart header written by hand: the test
    client would strip folders from a file name before sending it, an attacker does not."""
    page = client.get("/eingaben/neu/")
    fields = {
        "issued": page.context["form"]["issued"].initial,
        "title": "Rechnung",
        "text": "Siehe Anhang.",
        "consent": "on",
        "website": "",
    }
    boundary = "beirat-test-boundary-5f2c"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
        f"{disposition_filename}\r\nContent-Type: application/pdf\r\n\r\n"
    ).encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(
        "/eingaben/neu/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )


@pytest.fixture
def attachment(db, anonymous) -> Attachment:
    response = submit_form(anonymous, attachments=[files.pdf("antrag.pdf")])
    assert response.status_code == 302
    return Attachment.objects.get()


def private_responses(anonymous, triage, attachment):
    code = attachment.submission.tracking_code
    return {
        "staff page": triage.get("/arbeitsplatz/eingaben/"),
        "triage detail": triage.get(f"/arbeitsplatz/eingaben/{attachment.submission.pk}/"),
        "tracking page": anonymous.get(f"/eingaben/{code}/"),
        "withdraw page": anonymous.get(f"/eingaben/{code}/zurueckziehen/"),
        "export": anonymous.get(f"/eingaben/{code}/meine-daten/"),
        "download": triage.get(f"/arbeitsplatz/eingaben/anhang/{attachment.pk}/"),
    }


@pytest.mark.django_db
def test_private_pages_and_downloads_have_every_security_header_and_are_never_stored(
    anonymous, triage, attachment
):
    for name, response in private_responses(anonymous, triage, attachment).items():
        assert response.status_code == 200, name
        assert_security_headers(response)
        assert "no-store" in response["Cache-Control"], name
        response.close()


@pytest.mark.django_db
def test_tracking_page_of_a_factory_submission_is_not_stored(anonymous):
    submission = SubmissionFactory()

    response = anonymous.get(f"/eingaben/{submission.tracking_code}/")

    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]
    assert response.cookies == {}


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/", "/impressum/", "/eingaben/neu/", "/beirat/", "/gremien/"])
def test_public_pages_have_every_security_header_and_may_be_cached(anonymous, page):
    response = anonymous.get(page)

    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in response.get("Cache-Control", "")


# --- 3. Login rate limits ---------------------------------------------------------------------


def log_in(client: Client, login: str, password: str):
    return client.post("/konto/login/", {"login": login, "password": password})


def is_logged_in(response) -> bool:
    return (response.status_code, response.get("Location")) == (302, "/arbeitsplatz/")


def test_the_configured_limits_are_five_failures_per_account_and_per_address():
    assert live_settings.ACCOUNT_RATE_LIMITS["login_failed"] == "5/5m/ip,5/5m/key"


@pytest.mark.django_db
def test_after_five_failures_even_the_right_password_is_refused_in_german():
    UserFactory(username="amt80")
    client = Client(REMOTE_ADDR="198.51.100.1")
    failures = [log_in(client, "amt80", "falsch") for _ in range(5)]

    locked = log_in(client, "amt80", PASSWORD)

    assert [LOCKED in failure.content.decode() for failure in failures] == [False] * 5
    assert locked.status_code == 200
    assert LOCKED in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_follows_the_account_across_addresses_and_spares_other_accounts():
    UserFactory(username="amt80")
    UserFactory(username="amt37")
    for number in range(5):  # one failure from each of five addresses
        log_in(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), "amt80", "falsch")
    fresh_address = Client(REMOTE_ADDR="203.0.113.9")

    locked = log_in(fresh_address, "amt80", PASSWORD)
    other_account = log_in(fresh_address, "amt37", PASSWORD)

    assert LOCKED in locked.content.decode()
    assert is_logged_in(other_account)


@pytest.mark.django_db
def test_the_lock_follows_the_address_across_accounts_and_spares_other_addresses():
    UserFactory(username="amt80")
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for number in range(5):  # one failure on each of five accounts
        log_in(attacker, f"geraten{number}", "falsch")

    from_attacker = log_in(attacker, "amt80", PASSWORD)
    from_elsewhere = log_in(Client(REMOTE_ADDR="203.0.113.10"), "amt80", PASSWORD)

    assert LOCKED in from_attacker.content.decode()
    assert is_logged_in(from_elsewhere)


@pytest.mark.django_db
def test_four_failures_do_not_lock_the_account():
    # Positive control for the two tests above: the limit is five, not fewer.
    UserFactory(username="amt80")
    client = Client(REMOTE_ADDR="198.51.100.2")
    for _ in range(4):
        log_in(client, "amt80", "falsch")

    assert is_logged_in(log_in(client, "amt80", PASSWORD))


# --- 4. Sessions expire ------------------------------------------------------------------------


@pytest.fixture
def member_client(db) -> Client:
    """A board member (no second factor) logged in through the real login form."""
    user_with_role(Role.BOARD_MEMBER, username="mitglied")
    client = Client()
    assert is_logged_in(log_in(client, "mitglied", PASSWORD))
    return client


def test_production_sessions_last_a_working_day_and_end_with_the_browser(production):
    assert production["session_cookie_age"] == 8 * 3600
    assert production["session_expire_at_browser_close"] is True


def test_sessions_are_bounded_and_cannot_be_read_by_scripts():
    assert 300 <= live_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert live_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert live_settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_the_session_cookie_is_a_browser_session_cookie(member_client):
    cookie = member_client.cookies[live_settings.SESSION_COOKIE_NAME]

    assert (cookie["max-age"], cookie["expires"]) == ("", "")
    assert cookie["httponly"] is True


@pytest.mark.django_db
def test_a_session_past_its_age_no_longer_authenticates(member_client):
    assert member_client.get("/arbeitsplatz/").status_code == 200  # positive control
    key = member_client.cookies[live_settings.SESSION_COOKIE_NAME].value
    stored = Session.objects.get(session_key=key)
    assert stored.expire_date <= timezone.now() + datetime.timedelta(
        seconds=live_settings.SESSION_COOKIE_AGE
    )

    # The session was last written SESSION_COOKIE_AGE and one second ago.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = member_client.get("/arbeitsplatz/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_visiting_pages_does_not_extend_a_session(member_client):
    key = member_client.cookies[live_settings.SESSION_COOKIE_NAME].value
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)

    for page in ("/arbeitsplatz/", "/", "/arbeitsplatz/beirat/"):
        assert member_client.get(page).status_code == 200, page

    assert Session.objects.get(session_key=key).expire_date == soon


@pytest.mark.django_db
def test_logout_ends_the_session_on_the_server(member_client):
    old_key = member_client.cookies[live_settings.SESSION_COOKIE_NAME].value

    member_client.post("/konto/logout/")
    replay = Client()
    replay.cookies[live_settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get("/arbeitsplatz/")

    assert not Session.objects.filter(session_key=old_key).exists()
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_a_session_planted_before_login_is_replaced_at_login():
    user_with_role(Role.BOARD_MEMBER, username="mitglied")
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    victim = Client()
    victim.cookies[live_settings.SESSION_COOKIE_NAME] = planted.session_key

    assert is_logged_in(log_in(victim, "mitglied", PASSWORD))
    attacker = Client()
    attacker.cookies[live_settings.SESSION_COOKIE_NAME] = planted.session_key

    assert victim.cookies[live_settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert attacker.get("/arbeitsplatz/").status_code == 302
    assert victim.get("/arbeitsplatz/").status_code == 200


# --- 5. Generic error pages --------------------------------------------------------------------

SECRET_DETAIL = "Geheimnis in /srv/beirat/beirat/settings.py"


def broken_view(request):
    raise RuntimeError(SECRET_DETAIL)


def forbidden_view(request):
    raise PermissionDenied(SECRET_DETAIL)


# This module doubles as a URLconf: the project's URLs and handlers plus two views that fail.
urlpatterns = [
    path("kaputt/", broken_view),
    path("verboten/", forbidden_view),
    path("", include("beirat.urls")),
]


def assert_generic(response, status: int, text: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert text in html
    assert live_settings.CITY["name"] in html
    for leak in (
        "Traceback",
        SECRET_DETAIL,
        "settings.py",
        str(ROOT),
        live_settings.SECRET_KEY,
        "ALLOWED_HOSTS",
        "beirat.urls",
        "DisallowedHost",
        "RuntimeError",
    ):
        assert leak not in html, leak


@pytest.fixture
def broken_site(settings) -> Client:
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_an_exception_in_a_view_shows_the_citys_page(broken_site, settings):
    assert settings.DEBUG is False

    response = broken_site.get("/kaputt/")

    assert_generic(response, 500, "Entschuldigung, hier ist ein Fehler aufgetreten.")


@pytest.mark.django_db
def test_with_debug_on_the_same_exception_would_show_its_details(broken_site, settings):
    # Positive control for the test above: the leak check would see a technical page.
    settings.DEBUG = True

    response = broken_site.get("/kaputt/")

    assert response.status_code == 500
    assert SECRET_DETAIL in response.content.decode()


@pytest.mark.django_db
def test_unknown_address_shows_the_citys_not_found_page(anonymous):
    assert_generic(anonymous.get("/gibt-es-nicht/"), 404, "Diese Seite gibt es nicht.")


@pytest.mark.django_db
def test_with_debug_on_an_unknown_address_would_list_the_urlconf(anonymous, settings):
    settings.DEBUG = True  # positive control for the test above

    assert "beirat.urls" in anonymous.get("/gibt-es-nicht/").content.decode()


@pytest.mark.django_db
def test_a_refused_permission_shows_the_citys_forbidden_page(broken_site):
    response = broken_site.get("/verboten/")

    assert_generic(response, 403, "Für diese Aktion fehlt die Berechtigung.")


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_shows_the_citys_forbidden_page(triage_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(triage_user)

    response = client.post("/arbeitsplatz/eingaben/themen/neu/", {"name": "Verkehr"})

    assert_generic(response, 403, "Das Formular konnte nicht zugeordnet werden.")
    assert "CSRF" not in response.content.decode()
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_staff_pages_hide_what_a_role_may_not_see_behind_not_found(no_role):
    # Not a 403: a 404 does not even confirm that the address exists.
    assert_generic(no_role.get("/arbeitsplatz/eingaben/"), 404, "Diese Seite gibt es nicht.")


@pytest.mark.django_db
def test_a_foreign_host_header_shows_the_citys_bad_request_page(anonymous):
    response = anonymous.get("/", headers={"host": "evil.example"})

    assert_generic(response, 400, "Diese Anfrage können wir nicht bearbeiten.")
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
def test_with_debug_on_the_foreign_host_would_be_explained(anonymous, settings):
    # Positive control: Django's technical page names the host and ALLOWED_HOSTS.
    settings.DEBUG = True

    response = anonymous.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert "ALLOWED_HOSTS" in response.content.decode()


@pytest.mark.django_db
def test_a_suspicious_request_shows_the_citys_bad_request_page(anonymous, settings):
    fields = {f"feld{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = anonymous.post("/eingaben/neu/", fields)

    assert_generic(response, 400, "Diese Anfrage können wir nicht bearbeiten.")
    assert "TooManyFieldsSent" not in response.content.decode()
    assert not Submission.objects.exists()


# --- 6. Uploads: outside the web root, generated names, safe headers ---------------------------


def test_uploads_live_outside_the_static_files_and_templates():
    media = Path(project_settings.MEDIA_ROOT).resolve()
    served = [
        Path(project_settings.STATIC_ROOT).resolve(),
        *(Path(folder).resolve() for folder in project_settings.STATICFILES_DIRS),
        (ROOT / "beirat").resolve(),
    ]

    for folder in served:
        assert not media.is_relative_to(folder), folder
        assert not folder.is_relative_to(media), folder
    assert getattr(project_settings, "WHITENOISE_ROOT", None) is None


def test_production_keeps_uploads_beside_not_inside_the_static_root(production):
    media, static = Path(production["media_root"]), Path(production["static_root"])

    assert not media.is_relative_to(static)
    assert not static.is_relative_to(media)


def url_callbacks(patterns) -> list:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += url_callbacks(pattern.url_patterns)
        else:
            found.append(pattern.callback)
    return found


def test_no_url_pattern_serves_files_from_disk():
    callbacks = url_callbacks(get_resolver().url_patterns)

    assert len(callbacks) > 100  # every app's patterns were walked
    assert serve not in callbacks


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("disposition_filename", "shown_name"),
    [
        ('filename="../../evil.pdf"', "evil.pdf"),
        ("filename*=UTF-8''..%2F..%2Fevil.pdf", "evil.pdf"),
        ('filename="..\\..\\evil.pdf"', "evil.pdf"),
        ('filename="rechnung.pdf"', "rechnung.pdf"),
    ],
)
def test_an_upload_is_stored_under_a_generated_name_in_media_root(
    anonymous, settings, tmp_path, disposition_filename, shown_name
):
    response = submit_raw_upload(anonymous, disposition_filename, files.pdf().read())

    assert response.status_code == 302
    stored = Attachment.objects.get()
    assert re.fullmatch(r"submissions/[0-9a-f]{32}\.pdf", stored.file.name)
    assert Path(stored.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert Path(stored.file.path).read_bytes() == without_metadata(files.pdf().read(), PDF, "")
    assert stored.name == shown_name  # shown to staff, never used on disk
    assert not list(tmp_path.rglob("evil.pdf")) + list(tmp_path.rglob("rechnung.pdf"))


@pytest.mark.django_db
def test_no_address_serves_the_stored_file_directly(anonymous, triage, attachment, settings):
    name = attachment.file.name
    addresses = [f"{settings.MEDIA_URL}{name}", f"/media/{name}", f"/static/{name}", f"/{name}"]

    for address in addresses:
        assert anonymous.get(address).status_code == 404, address
        assert triage.get(address).status_code == 404, address
    # Positive control: the file is there, and reachable through the checked download only.
    download = triage.get(f"/arbeitsplatz/eingaben/anhang/{attachment.pk}/")
    assert b"".join(download.streaming_content) == Path(attachment.file.path).read_bytes()


@pytest.mark.django_db
def test_a_download_is_an_attachment_that_no_browser_renders_or_sniffs(triage, attachment):
    response = triage.get(f"/arbeitsplatz/eingaben/anhang/{attachment.pk}/")

    assert response["Content-Disposition"] == 'attachment; filename="antrag.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'none'"]
    assert "sandbox" in directives
    assert "no-store" in response["Cache-Control"]
    response.close()


@pytest.mark.django_db
def test_quotes_and_line_breaks_in_an_uploaded_name_reach_no_header(anonymous, triage):
    hostile = 'rech"nung\r\nX-Evil: 1.pdf'
    submit_raw_upload(anonymous, f"filename*=UTF-8''{quote(hostile)}", files.pdf().read())
    stored = Attachment.objects.get()

    response = triage.get(f"/arbeitsplatz/eingaben/anhang/{stored.pk}/")

    assert response["Content-Disposition"] == 'attachment; filename="rechnungX-Evil 1.pdf"'
    assert "X-Evil" not in response.headers
    response.close()


@pytest.mark.django_db
def test_the_download_helper_quotes_any_name_it_is_given(attachment):
    # Names from other callers (imports, reports) do not all pass through safe_name.
    response = downloads.attachment(attachment.file, 'a".html\r\nSet-Cookie: x=1')
    header = response["Content-Disposition"]

    assert header == "attachment; filename*=utf-8''a%22.html%0D%0ASet-Cookie%3A%20x%3D1"
    assert "Set-Cookie" not in response.headers
    response.close()


# --- 7. User text is plain text, escaped wherever it is shown ----------------------------------


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # the text is there, shown as text


def test_the_escape_check_catches_raw_markup():
    with pytest.raises(AssertionError):
        assert_escaped(f"<p>{PAYLOAD}</p>")
    assert_escaped(f"<p>{escape(PAYLOAD)}</p>")


def test_no_mail_template_renders_html():
    templates = [*ROOT.joinpath("beirat").rglob("*.html")]
    mail_templates = [t for t in templates if "mail" in t.parts or "email" in t.parts]
    assert mail_templates == []


@pytest.fixture
def hostile_submission(anonymous, triage, django_capture_on_commit_callbacks) -> Submission:
    """A submission with the payload as title and text, a confirmed address and a triage reply
    carrying it too, all through the real forms."""
    with django_capture_on_commit_callbacks(execute=True):
        assert submit_form(anonymous, title=PAYLOAD, text=PAYLOAD).status_code == 302
    submission = Submission.objects.get()
    confirmation = re.search(
        r"/eingaben/[^/\s]+/bestaetigen/[^/\s]+/", OutboxMail.objects.get().body
    )
    anonymous.get(confirmation.group())
    with django_capture_on_commit_callbacks(execute=True):
        triage.post(f"/arbeitsplatz/eingaben/{submission.pk}/antworten/", {"text": PAYLOAD})
    submission.refresh_from_db()
    assert submission.email_confirmed_at is not None
    return submission


@pytest.mark.django_db
def test_submitted_and_replied_text_is_escaped_on_every_page(anonymous, triage, hostile_submission):
    submission = hostile_submission
    pages = {
        "tracking page": anonymous.get(submission.get_absolute_url()),
        "erase contact": anonymous.get(f"{submission.get_absolute_url()}kontaktdaten-loeschen/"),
        "queue": triage.get("/arbeitsplatz/eingaben/", {"status": ""}),  # all, answered too
        "detail": triage.get(f"/arbeitsplatz/eingaben/{submission.pk}/"),
        "reply form": triage.get(f"/arbeitsplatz/eingaben/{submission.pk}/antworten/"),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_escaped(response.content.decode())
    tracking = pages["tracking page"].content.decode()
    assert tracking.count(escape(PAYLOAD)) >= 3  # title, text and the reply in the history


@pytest.mark.django_db
def test_board_answers_and_statements_are_escaped_on_staff_and_public_pages(
    anonymous, triage, board_member, hostile_submission
):
    request = ExpertRequestFactory(submission=hostile_submission)
    board_member.post(f"/arbeitsplatz/beirat/fachfragen/{request.pk}/antworten/", {"text": PAYLOAD})
    triage.post(
        f"/arbeitsplatz/beirat/fachfragen/{request.pk}/stellungnahme/",
        {"title": PAYLOAD, "text": PAYLOAD},
    )
    statement = BoardStatement.objects.get()
    assert list(ExpertAnswer.objects.values_list("text", flat=True)) == [PAYLOAD]
    assert (statement.title, statement.text) == (PAYLOAD, PAYLOAD)
    pages = {
        "board request": board_member.get(f"/arbeitsplatz/beirat/fachfragen/{request.pk}/"),
        "public statement": anonymous.get(f"/beirat/stellungnahmen/{statement.pk}/"),
        "statements": anonymous.get("/beirat/stellungnahmen/"),
        "board": anonymous.get("/beirat/"),
        "tracking page": anonymous.get(hostile_submission.get_absolute_url()),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_escaped(response.content.decode())
    assert escape(PAYLOAD) in pages["board request"].content.decode()  # the answer itself
    assert pages["public statement"].content.decode().count(escape(PAYLOAD)) >= 2


@pytest.mark.django_db
def test_search_results_show_the_text_escaped(triage, hostile_submission, search_index):
    search_index.sync()

    response = triage.get("/suche/", {"q": "alert"})
    html = response.content.decode()

    assert f"/arbeitsplatz/eingaben/{hostile_submission.pk}/" in html
    assert "<mark>alert</mark>" in html  # the only markup: the highlight
    assert_escaped(html)


@pytest.mark.django_db
def test_mails_are_plain_text_with_the_text_as_typed(hostile_submission):
    for mail_id in due_mails().values_list("id", flat=True):
        deliver_mail(mail_id=mail_id)
    stored = list(OutboxMail.objects.all())

    assert len(stored) == 2  # the confirmation request and the reply
    assert [item.html_body for item in stored] == ["", ""]
    assert [getattr(message, "alternatives", []) for message in mail.outbox] == [[], []]
    assert all(PAYLOAD in message.body for message in mail.outbox)  # text/plain: nothing to escape
    assert all(message.content_subtype == "plain" for message in mail.outbox)
