"""What a production installation needs before it may answer anyone.

Registered as Django system checks (``manage.py check`` lists them) and, in production, run by
``CoreConfig.ready()`` for every process: gunicorn, the worker, the indexer, every manage.py
command. A missing address or an unwritable upload folder then stops the start with a message
naming the variable, instead of mails linking to 127.0.0.1 or uploads answering 503.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register("beirat")
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.PRODUCTION:
        return []
    return [*_site_url_errors(), *_media_dir_errors()]


def refuse_to_start_if_misconfigured() -> None:
    """Raise ImproperlyConfigured with every production error (called in production only)."""
    errors = production_settings()
    if errors:
        raise ImproperlyConfigured(
            "\n".join(f"{error.msg} {error.hint or ''}".strip() for error in errors)
        )


def _site_url_errors() -> list[checks.CheckMessage]:
    url: str = settings.BEIRAT_SITE_URL
    if not url:
        return [
            checks.Error(
                "BEIRAT_SITE_URL is not set: links in e-mails, PDFs, OParl and feeds would "
                "point nowhere.",
                hint="Set BEIRAT_SITE_URL=https://… (the address citizens use) in /etc/beirat/env.",
                id="beirat.E001",
            )
        ]
    if not url.startswith("https://"):
        return [
            checks.Error(
                f"BEIRAT_SITE_URL is {url!r}; production is served over HTTPS only.",
                hint="Set BEIRAT_SITE_URL=https://… in /etc/beirat/env.",
                id="beirat.E002",
            )
        ]
    return []


def _media_dir_errors() -> list[checks.CheckMessage]:
    media = Path(settings.MEDIA_ROOT)
    problem = media_dir_problem(media)
    if problem is None:
        return []
    return [
        checks.Error(
            f"BEIRAT_MEDIA_DIR {media} {problem}: uploads would fail.",
            hint="Create it, owned by the user the site runs as (docs/deployment.md, step 4).",
            id="beirat.E003",
        )
    ]


def media_dir_problem(media: Path) -> str | None:
    """Why files cannot be written to the folder, or None if a file can be (and was) written."""
    if not media.is_dir():
        return "does not exist"
    if not os.access(media, os.W_OK | os.X_OK):
        return "is not writable for this user"
    try:
        with tempfile.NamedTemporaryFile(dir=media, prefix=".write-test-"):
            pass
    except OSError as error:
        return f"is not writable ({error.strerror})"
    return None
