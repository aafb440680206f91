"""Typed readers for environment variables.

Settings are configured only through the environment. Every reader rejects a value it cannot
understand with an ImproperlyConfigured error naming the variable, so a typo stops the start
instead of silently running with a default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nein", ""}


class Environment:
    """Reads typed values from a mapping (``os.environ`` by default)."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self.source = os.environ if source is None else source

    def _raw(self, name: str) -> str | None:
        value = self.source.get(name)
        return None if value is None else value.strip()

    def string(self, name: str, default: str) -> str:
        value = self._raw(name)
        return default if value is None or value == "" else value

    def optional_string(self, name: str) -> str | None:
        value = self._raw(name)
        return value or None

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")

    def integer(
        self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
        if maximum is not None and number > maximum:
            raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}.")
        return number

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None or value == "":
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def colour(self, name: str, default: str) -> str:
        """A CSS colour as #rgb or #rrggbb (it ends up in a style sheet: nothing else passes)."""
        value = self.string(name, default)
        if not re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value):
            raise ImproperlyConfigured(f"{name} must be a colour like #004b87, not {value!r}.")
        return value

    def local_path(self, name: str) -> str:
        """An address on this site ("/static/stadt/logo.svg"): a page loads nothing from others."""
        value = self.string(name, "")
        if value and (not value.startswith("/") or value.startswith("//") or '"' in value):
            raise ImproperlyConfigured(f"{name} must be a path on this site like /static/…")
        return value

    def choice(self, name: str, default: str, choices: set[str] | frozenset[str]) -> str:
        value = self.string(name, default)
        if value not in choices:
            allowed = ", ".join(sorted(choices))
            raise ImproperlyConfigured(f"{name} must be one of {allowed}, not {value!r}.")
        return value

    def database(self, name: str, default: str, *, base_dir: Path) -> dict[str, Any]:
        return parse_database_url(self.string(name, default), base_dir=base_dir, variable=name)


def parse_database_url(
    url: str, *, base_dir: Path, variable: str = "DATABASE_URL"
) -> dict[str, Any]:
    """Turn ``sqlite:///path`` or ``postgres://user:pw@host:port/name`` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return _sqlite_database(parts.path, base_dir=base_dir)
    if parts.scheme in {"postgres", "postgresql"}:
        return _postgres_database(parts, variable=variable)
    raise ImproperlyConfigured(
        f"{variable} must start with sqlite:/// or postgres://, not {parts.scheme or url!r}."
    )


def _sqlite_database(path: str, *, base_dir: Path) -> dict[str, Any]:
    # sqlite:///relative/path is taken relative to the project, sqlite:////abs/path is absolute.
    relative = path[1:] if path.startswith("/") else path
    if not relative:
        raise ImproperlyConfigured("A sqlite:/// database URL needs a file name.")
    name = Path(relative) if relative.startswith("/") else base_dir / relative
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
            # the start of a transaction, so two writers queue instead of failing mid-way.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def _postgres_database(parts: Any, *, variable: str) -> dict[str, Any]:
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{variable} needs a database name after the host.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{variable} has an invalid port.") from None
    options = dict(parse_qsl(parts.query))
    conn_max_age = options.pop("conn_max_age", "60")
    if not conn_max_age.isdigit():
        raise ImproperlyConfigured(f"{variable}: conn_max_age must be a number of seconds.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port or ""),
        "CONN_MAX_AGE": int(conn_max_age),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


def site_url(env: Environment, *, default: str) -> str:
    """The site's one public address, from BEIRAT_SITE_URL or its former name BEIRAT_BASE_URL.

    An origin only (scheme and host, optionally a port): every link is this plus an absolute
    path. Empty when neither is set and there is no default (production decides that in
    beirat/core/checks.py, so that the message reaches manage.py and gunicorn alike).
    """
    current = env.optional_string("BEIRAT_SITE_URL")
    former = env.optional_string("BEIRAT_BASE_URL")
    if current and former and current.rstrip("/") != former.rstrip("/"):
        raise ImproperlyConfigured(
            "BEIRAT_SITE_URL and BEIRAT_BASE_URL (its former name) differ; set only "
            "BEIRAT_SITE_URL."
        )
    value = (current or former or default).rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query:
        raise ImproperlyConfigured(
            f"BEIRAT_SITE_URL must be the site's address like https://digitalbeirat.koblenz.de "
            f"(scheme and host, no path), not {value!r}."
        )
    return value
