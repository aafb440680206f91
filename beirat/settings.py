"""Settings for beirat, configured only by environment variables (see docs/configuration.md)."""

from __future__ import annotations

import secrets
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from beirat.core.environment import Environment, site_url
from beirat.core.sso_settings import single_sign_on

env = Environment()
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("BEIRAT_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env.boolean("BEIRAT_PRODUCTION", False)
DEBUG = env.boolean("BEIRAT_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("BEIRAT_DEBUG must be off when BEIRAT_PRODUCTION is on.")


def _secret_key() -> str:
    configured = env.optional_string("BEIRAT_SECRET_KEY")
    if configured:
        if len(configured) < 50:
            raise ImproperlyConfigured("BEIRAT_SECRET_KEY must be at least 50 characters long.")
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured("BEIRAT_SECRET_KEY is required when BEIRAT_PRODUCTION is on.")
    # Development and tests: one random key per checkout, kept out of git.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.strings("BEIRAT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.strings("BEIRAT_CSRF_TRUSTED_ORIGINS", [])
# The one address of the site as citizens reach it (https://digitalbeirat.koblenz.de): links in
# e-mails and PDFs, OParl ids, feeds. BEIRAT_BASE_URL is its former name, still read (deprecated);
# in production the app refuses to start without it (beirat/core/checks.py).
BEIRAT_SITE_URL = site_url(env, default="" if PRODUCTION else "http://127.0.0.1:8000")
BASE_URL = BEIRAT_SITE_URL  # deprecated name of the same setting

# The city running this installation: shown in the layout, the imprint and every e-mail.
CITY = {
    "name": env.string("BEIRAT_CITY_NAME", "Stadt Koblenz"),
    "short_name": env.string("BEIRAT_CITY_SHORT_NAME", "Koblenz"),
    "board_name": env.string("BEIRAT_BOARD_NAME", "Digitalbeirat"),
    "claim": env.string("BEIRAT_CITY_CLAIM", "KOBLENZ VERBINDET."),
    "address": env.string("BEIRAT_CITY_ADDRESS", "Willi-Hörter-Platz 1, 56068 Koblenz"),
    "email": env.string("BEIRAT_CITY_EMAIL", "digitalbeirat@stadt.koblenz.de"),
    "phone": env.string("BEIRAT_CITY_PHONE", "+49 261 129-0"),
    "accessibility_email": env.string(
        "BEIRAT_ACCESSIBILITY_EMAIL", "barrierefreiheit@stadt.koblenz.de"
    ),
    "privacy_officer_email": env.string("BEIRAT_PRIVACY_EMAIL", "datenschutz@stadt.koblenz.de"),
    "representative": env.string("BEIRAT_CITY_REPRESENTATIVE", "den Oberbürgermeister"),
    "primary_colour": env.colour("BEIRAT_PRIMARY_COLOUR", "#004b87"),
    # A logo on this site (e.g. a file collected from BEIRAT_STATIC_DIR); none by default.
    "logo": env.local_path("BEIRAT_LOGO_URL"),
}
# The licence of the published data (/offene-daten/, the feeds' rights): its name and address.
BEIRAT_DATA_LICENCE = {
    "name": env.string("BEIRAT_DATA_LICENCE_NAME", "Datenlizenz Deutschland – Namensnennung – 2.0"),
    "url": env.string("BEIRAT_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0"),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # allauth's list of security keys loads {% humanize %}; without it that page was a 500
    # (found by the permission matrix enumerating every URL).
    "django.contrib.humanize",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "csp",
    "beirat.core",
    "beirat.directory",
    "beirat.council",
    "beirat.oparl",
    "beirat.search",
    "beirat.submissions",
    "beirat.board",
    "beirat.ingest",
    "beirat.figures",
    "beirat.oparlsync",
    "beirat.alerts",
]

MIDDLEWARE = [
    # First: every later log line of the request carries its id; every answer is counted.
    "beirat.core.log_records.RequestIdMiddleware",
    "beirat.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "beirat.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "beirat.core.middleware.RequireTwoFactorMiddleware",
    "beirat.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "beirat.urls"
FORM_RENDERER = "beirat.core.forms.KernFormRenderer"
WSGI_APPLICATION = "beirat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "beirat" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "beirat.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": env.database(
        "DATABASE_URL", f"sqlite:///{(VAR_DIR / 'beirat.sqlite3').as_posix()}", base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: Argon2 first; staff accounts are made by an administrator, never by sign-up.
AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:workplace"
LOGOUT_REDIRECT_URL = "core:home"
# The staff adapters of beirat/core/accounts.py with single sign-on (beirat/core/sso.py).
ACCOUNT_ADAPTER = "beirat.core.sso.SingleSignOnAccountAdapter"
SOCIALACCOUNT_ADAPTER = "beirat.core.sso.SingleSignOnSocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{CITY['board_name']}] "
# Reverse proxies in front of the app servers (docs/deployment.md): rate limits count the
# address the proxy saw, not the proxy's own. 0 when gunicorn faces the clients directly.
BEIRAT_TRUSTED_PROXY_COUNT = env.integer(
    "BEIRAT_TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0, minimum=0, maximum=5
)
ALLAUTH_TRUSTED_PROXY_COUNT = BEIRAT_TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key", "reset_password": "5/h/ip,3/h/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = CITY["board_name"]
# The code asked after the password knows whether the account has a security key to offer.
MFA_FORMS = {"authenticate": "beirat.core.accounts.SecondFactorForm"}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
SOCIALACCOUNT_ONLY = False
# Single sign-on with the city's identity provider, OpenID Connect and/or SAML
# (beirat/core/sso_settings.py, docs/deployment.md "Single sign-on"). beirat/core/sso.py decides
# whom it lets in; accounts are never made by allauth's sign-up.
SINGLE_SIGN_ON = single_sign_on(env, default_contact=CITY["email"])
SOCIALACCOUNT_PROVIDERS = SINGLE_SIGN_ON.providers
BEIRAT_SSO = SINGLE_SIGN_ON.policy
SOCIALACCOUNT_REQUESTS_TIMEOUT = BEIRAT_SSO.timeout_seconds
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # it would wipe the password; sso.py connects
SOCIALACCOUNT_STORE_TOKENS = False
SESSION_COOKIE_AGE = env.integer("BEIRAT_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Django's own CSRF page is English and explains the check; ours is the city's page.
CSRF_FAILURE_VIEW = "beirat.core.views.csrf_failure"

# Languages: German first, English second; chosen by cookie, never by URL, so that the
# public addresses (/vorlagen/, /eingaben/neu/, …) stay the same in both languages.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
# The second holds allauth's messages in the formal address (its own German catalogue says du).
LOCALE_PATHS = [BASE_DIR / "beirat" / "locale", BASE_DIR / "beirat" / "locale_overrides"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Development serves files straight from the apps; production, and `make run`, serve the
# collected set: hashed names cached for a year as immutable, with brotli and gzip copies.
STATIC_COLLECTED = env.boolean("BEIRAT_STATIC_COLLECTED", PRODUCTION)
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "beirat" / "static"]
# Uploaded files. With several app servers this folder must be shared by all of them (a
# network file system, or an S3 bucket mounted there; docs/deployment.md).
MEDIA_ROOT = Path(env.string("BEIRAT_MEDIA_DIR", str(VAR_DIR / "media")))
MEDIA_URL = "/dateien/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background tasks: one database-backed queue, the same code path on SQLite and PostgreSQL.
TASKS = {
    "default": {"BACKEND": env.string("BEIRAT_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}
}

# E-mail: every message is written to the outbox first; the worker delivers it through the
# delivery backend below and retries while the mail server is down.
EMAIL_BACKEND = "beirat.core.mail.OutboxEmailBackend"
BEIRAT_MAIL_DELIVERY_BACKEND = env.string(
    "BEIRAT_MAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.string("BEIRAT_SMTP_HOST", "localhost")
EMAIL_PORT = env.integer("BEIRAT_SMTP_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.string("BEIRAT_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env.string("BEIRAT_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("BEIRAT_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.string("BEIRAT_MAIL_FROM", f"{CITY['board_name']} <{CITY['email']}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
BEIRAT_MAIL_MAX_ATTEMPTS = env.integer("BEIRAT_MAIL_MAX_ATTEMPTS", 12, minimum=1)

# Reading other council information systems over OParl (beirat.oparlsync, docs/oparl.md):
# seconds to wait for an answer, its largest size, attempts on 429/5xx/time-outs with back-off
# from BACKOFF seconds (doubling) up to MAX_WAIT (also the cap of a server's Retry-After), and
# after how many hours a run's lock counts as abandoned (its process died).
BEIRAT_OPARL_SYNC_TIMEOUT = env.integer("BEIRAT_OPARL_SYNC_TIMEOUT", 30, minimum=1)
BEIRAT_OPARL_SYNC_MAX_BYTES = (
    env.integer("BEIRAT_OPARL_SYNC_MAX_MB", 50, minimum=1, maximum=2000) * 1_000_000
)
BEIRAT_OPARL_SYNC_ATTEMPTS = env.integer("BEIRAT_OPARL_SYNC_ATTEMPTS", 5, minimum=1, maximum=20)
BEIRAT_OPARL_SYNC_BACKOFF_SECONDS: float = env.integer(
    "BEIRAT_OPARL_SYNC_BACKOFF_SECONDS", 2, minimum=0
)
BEIRAT_OPARL_SYNC_MAX_WAIT_SECONDS: float = env.integer(
    "BEIRAT_OPARL_SYNC_MAX_WAIT_SECONDS", 120, minimum=0
)
BEIRAT_OPARL_SYNC_LOCK_HOURS = env.integer("BEIRAT_OPARL_SYNC_LOCK_HOURS", 6, minimum=1)

# Response-time target: a submission without a first answer after this many days is overdue.
BEIRAT_RESPONSE_DAYS = env.integer("BEIRAT_RESPONSE_DAYS", 14, minimum=1, maximum=365)
# A task still running after this many minutes lost its worker (manage.py requeue_stale_tasks).
BEIRAT_TASK_LEASE_MINUTES = env.integer("BEIRAT_TASK_LEASE_MINUTES", 30, minimum=5)
# Proof of work for the public forms while a wave of automated submissions lasts (0 = off).
BEIRAT_PROOF_OF_WORK_BITS = env.integer("BEIRAT_PROOF_OF_WORK_BITS", 0, minimum=0, maximum=28)

# Retention (beirat/core/retention.py): days a record is kept, from the moment its rule names;
# the public register at /datenschutz/aufbewahrung/ shows these values. None: no time limit.
BEIRAT_RETENTION_DAYS: dict[str, int | None] = {
    "submission_contact": env.integer("BEIRAT_RETENTION_CONTACT_DAYS", 180, minimum=0),
    "submission_attachments": env.integer("BEIRAT_RETENTION_ATTACHMENT_DAYS", 365, minimum=0),
    "submissions": env.integer("BEIRAT_RETENTION_SUBMISSION_DAYS", 3650, minimum=30),
    "expert_requests": env.integer("BEIRAT_RETENTION_EXPERT_REQUEST_DAYS", 730, minimum=0),
    "audit_log": env.integer("BEIRAT_RETENTION_AUDIT_DAYS", 1095, minimum=180),
    "outbox": env.integer("BEIRAT_RETENTION_MAIL_DAYS", 90, minimum=7),
    "sessions": 0,
    "failed_imports": env.integer("BEIRAT_RETENTION_FAILED_IMPORT_DAYS", 90, minimum=1),
    "paper_originals": None,  # council papers are archival records (Landesarchivgesetz)
    "alert_unconfirmed": env.integer("BEIRAT_RETENTION_ALERT_UNCONFIRMED_DAYS", 7, minimum=1),
    "alert_subscriptions": None,  # kept until the person unsubscribes or asks for erasure
}
# Erasures on request, kept outside the database so that a restore cannot undo them. Keep it on
# storage that the app servers share and that a database restore does not roll back.
BEIRAT_ERASURE_LEDGER = Path(
    env.string("BEIRAT_ERASURE_LEDGER", str(VAR_DIR / "erasure-ledger.jsonl"))
)

# Search: each server keeps its own tantivy index, built from the database and fed by the log.
BEIRAT_SEARCH_DIR = Path(env.string("BEIRAT_SEARCH_DIR", str(VAR_DIR / "search")))
BEIRAT_SEARCH_POLL_SECONDS = (
    env.integer("BEIRAT_SEARCH_POLL_MILLISECONDS", 500, minimum=50, maximum=60_000) / 1000
)
BEIRAT_SEARCH_GAP_SECONDS = env.integer("BEIRAT_SEARCH_GAP_SECONDS", 900, minimum=1)
BEIRAT_SEARCH_LOG_DAYS = env.integer("BEIRAT_SEARCH_LOG_DAYS", 30, minimum=1)

# Paper type codes (AF/0013/2021): a city with other codes sets e.g. "motion=AN,notice=MV".
PAPER_TYPES = ("inquiry", "answer", "motion", "statement", "resolution_proposal", "notice")


def _paper_type_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for item in env.strings("BEIRAT_PAPER_TYPE_CODES", []):
        paper_type, _sep, code = item.partition("=")
        if paper_type.strip() not in PAPER_TYPES or not code.strip().isalpha():
            raise ImproperlyConfigured(
                f"BEIRAT_PAPER_TYPE_CODES: {item!r} is not type=CODE with a type of "
                f"{', '.join(PAPER_TYPES)}."
            )
        codes[paper_type.strip()] = code.strip().upper()
    return codes


BEIRAT_PAPER_TYPE_CODES = _paper_type_codes()

# How other cities print their paper numbers, for the import (docs/import.md): templates with
# {code}, {word}, {number}, {year} or {yy}, comma-separated, tried in this order. Checked when
# the ingest app starts (beirat/ingest/apps.py).
BEIRAT_IMPORT_REFERENCE_PATTERNS = env.strings(
    "BEIRAT_IMPORT_REFERENCE_PATTERNS",
    [
        "{code}/{number}/{year}",
        "{code}/{year}/{number}",
        "{word} {number}/{year}",
        "{code} {number}/{year}",
    ],
)

_CACHE_BACKEND = (
    "django.core.cache.backends.db.DatabaseCache"
    if PRODUCTION
    else "django.core.cache.backends.locmem.LocMemCache"
)
# Public pages for anonymous visitors are kept this long at most, and never past a change of the
# data (beirat/core/page_cache.py); 0 switches the page cache off.
BEIRAT_PAGE_CACHE_SECONDS = env.integer("BEIRAT_PAGE_CACHE_SECONDS", 60, minimum=0)
CACHES = {
    "default": {"BACKEND": _CACHE_BACKEND, "LOCATION": "beirat_cache"},
    # Pages apart: filling up with pages must never cull the rate limits of the default cache.
    # In memory (one copy per process) fewer of them, on disk (the database) more.
    "pages": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": "beirat_page_cache",
        "TIMEOUT": BEIRAT_PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 5000 if PRODUCTION else 500},
    },
}

# Security headers. No request to any third party: everything is served from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The sign-in and sign-out forms redirect to the configured identity provider.
        "form-action": [SELF, *SINGLE_SIGN_ON.form_action_origins],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.boolean("BEIRAT_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Monitoring on this machine asks gunicorn directly (plain HTTP, no proxy header).
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
    SECURE_HSTS_SECONDS = env.integer("BEIRAT_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.boolean("BEIRAT_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # check --deploy warns (W021) without preload. The preload list binds the whole
        # registered domain (the city's, not only this site) and takes months to leave, so it
        # is the city's decision (BEIRAT_HSTS_PRELOAD), not a default; HSTS itself stays on.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Operations (docs/deployment.md "Monitoring"): /metrics answers requests from this machine that
# came past no proxy, or any request with this token as "Authorization: Bearer …".
BEIRAT_METRICS_TOKEN = env.optional_string("BEIRAT_METRICS_TOKEN")
# /readyz reports the outbox as stuck when a mail due this many minutes ago is still queued.
BEIRAT_READY_OUTBOX_MINUTES = env.integer("BEIRAT_READY_OUTBOX_MINUTES", 30, minimum=1)
# /readyz reports the search index as stale when its indexer last read the log longer ago.
BEIRAT_READY_INDEX_SECONDS = env.integer("BEIRAT_READY_INDEX_SECONDS", 300, minimum=10)

# One JSON object per line on stderr (journald), times in UTC, with the request's id; tracking
# codes and e-mail addresses are masked in every record (beirat/core/log_records.py). "plain"
# (BEIRAT_LOG_FORMAT=plain) is the same in one line of text, for a terminal.
LOGGING_CONFIG = "beirat.core.log_records.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "beirat.core.log_records.JsonFormatter"},
        "plain": {"()": "beirat.core.log_records.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.choice(
                "BEIRAT_LOG_FORMAT", "json" if PRODUCTION else "plain", frozenset({"json", "plain"})
            ),
        }
    },
    "root": {"handlers": ["console"], "level": env.string("BEIRAT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
