"""Reading untidy OParl values: dates in other forms or without time zone, relative and
http/https-mixed URLs, embedded objects where an id is expected and the reverse. Pure
functions; None (or "") where nothing usable was sent."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.utils import timezone

_GERMAN_DATE = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


def absolute_url(value: Any, base: str) -> str | None:
    """An http(s) URL from ``value`` (resolved against ``base`` when relative), else None."""
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str) or not value.strip():
        return None
    joined = urljoin(base, value.strip())
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return joined


def canonical(url: str, system_url: str) -> str:
    """One spelling per id: a server that mixes http and https (or default ports, or upper-case
    host names) still names each object once. The system's own scheme wins on its host."""
    parts = urlsplit(url)
    system = urlsplit(system_url)
    host = (parts.hostname or "").lower()
    port = parts.port
    scheme = parts.scheme.lower()
    if port in (80, 443):
        port = None
    if host == (system.hostname or "").lower():
        scheme = system.scheme.lower()
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def ref(value: Any, base: str) -> str | None:
    """An id: the URL itself, or the id of an object embedded where only its id was expected."""
    return absolute_url(value, base)


def refs(value: Any, base: str) -> list[str]:
    """A list of ids from a list, a single id or a single embedded object."""
    items = value if isinstance(value, list) else [value]
    found = [ref(item, base) for item in items]
    return [item for item in found if item]


def text(value: Any, limit: int | None = None) -> str:
    """A string from a string, number or list of strings (joined); "" otherwise."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        value = str(value)
    if isinstance(value, list):
        value = " ".join(text(item) for item in value if text(item))
    if not isinstance(value, str):
        return ""
    # NUL is no character of any text here, and PostgreSQL refuses it.
    cleaned = " ".join(value.replace("\x00", "").split())
    return cleaned[:limit] if limit else cleaned


def flag(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "ja", "yes"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "nein", "no"):
        return False
    return default


def integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def moment(value: Any) -> datetime.datetime | None:
    """A time from ISO 8601 (with or without zone, with a space instead of T, with "Z"), German
    "08.01.2014 14:28", or a bare date (midnight); a time without zone is the site's local time."""
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    parsed: datetime.datetime | None = None
    german = _GERMAN_DATE.match(raw)
    if german:
        day, month, year, hour, minute, second = german.groups()
        try:
            parsed = datetime.datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError:
            return None
    else:
        try:
            parsed = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def day(value: Any) -> datetime.date | None:
    """A date from an ISO date, a time (its local date) or a German date."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        pass
    found = moment(value)
    return timezone.localtime(found).date() if found else None
