"""Whole public pages for anonymous visitors, kept until the next change of any data.

Most of a public page's time is Django's template engine, not the database (docs/benchmarks.md,
"Page times at scale"), and public pages are read far more often than anything changes. So the
busiest ones (start page, paper list, paper, meeting, OParl) keep what their view answered to an
anonymous visitor in a cache of their own (CACHES["pages"]: its culling never touches the rate
limits in the default cache), each with the version of the family ``pages`` it was made under;
it is served while that is still the current version.

Any committed change (saved, deleted, many-to-many) of any model but the few no page shows
(UNSHOWN_MODELS) gives that family a new version (beirat/core/apps.py): every page is rendered
anew afterwards. That is coarse on purpose: a
page may show data of many apps (a paper with its recommendations, route and mandates) and a
finer scheme would have to know them all, and forgetting one would keep a page public that
should no longer be. ``BEIRAT_PAGE_CACHE_SECONDS`` bounds what changes without a write (the
clock: "upcoming meetings"); 0 switches the cache off.

Never kept: pages for signed-in people; requests with parameters other than the view's
pagination, conditional or htmx requests; pages with a message for the visitor; answers that
are not a plain 200, set a cookie, used the CSRF token or say no-store. Middleware still runs on
every request, so security headers and the like are never taken from the cache.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from beirat.core import versioned_cache

FAMILY = "pages"
# The family's version lives beside the pages (in their cache), so one lookup fetches both.
VERSION_KEY = versioned_cache.version_key(FAMILY)
# Models whose rows no public page shows; their writes (a session at login, a mail being sent,
# the search log, the task queue) do not make cached pages stale.
UNSHOWN_MODELS = frozenset(
    {
        "sessions.session",
        "core.outboxmail",
        "search.searchlogentry",
        "search.logepoch",
        "django_tasks_database.dbtaskresult",
        "admin.logentry",
        # Bookkeeping of the OParl sync: what a run read, never on a public page.
        "oparlsync.source",
        "oparlsync.syncrun",
        "oparlsync.syncedobject",
        # E-mail alerts: no public page shows who follows what.
        "alerts.recipient",
        "alerts.subscription",
        "alerts.pending",
        "alerts.sighting",
        "alerts.scanstate",
    }
)
# Part of every key: a release that keeps pages in another shape changes it, and the pages an
# older release left in the database cache are never read.
KEPT_FORMAT = 2
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since")

View = Callable[..., HttpResponse]


def public_page(*, params: Iterable[str] = ()) -> Callable[[View], View]:
    """Keep the view's answers to anonymous visitors; ``params`` are the query parameters a
    kept page may have (its pagination), any other parameter makes the page be rendered."""
    allowed = frozenset(params)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = _key(request, allowed)
            if key is None:
                return view(request, *args, **kwargs)
            pages = caches["pages"]
            # The version and the page in one lookup (one query with the database cache). The
            # version is read before the view reads any data: a page made while a change
            # commits carries the old version and is not served again.
            found = pages.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or versioned_cache.version(FAMILY, pages)
            kept = found.get(key)
            if kept is not None and kept[0] == version:
                return _thaw(kept)
            response = view(request, *args, **kwargs)
            if _may_keep(request, response):
                pages.set(key, _freeze(version, response))
            return response

        return wrapped

    return decorate


def content_changed(sender: type[models.Model], **kwargs: Any) -> None:
    """Receiver of post_save, post_delete and m2m_changed of every model a page may show
    (connected in apps.py): after commit, every kept page is old. One bump per transaction,
    however many rows it writes."""
    connection = transaction.get_connection()
    if any(callback is _bump for _savepoints, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def _bump() -> None:
    versioned_cache.bump(FAMILY, caches["pages"])


def _key(request: HttpRequest, allowed: frozenset[str]) -> str | None:
    if settings.BEIRAT_PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return None
    if request.user.is_authenticated or not set(request.GET) <= allowed:
        return None
    if request.headers.get("HX-Request") or any(h in request.headers for h in CONDITIONAL_HEADERS):
        return None
    if len(messages.get_messages(request)):  # len() looks without using them up
        return None
    address = f"{request.get_full_path()}|{translation.get_language()}"
    return f"page{KEPT_FORMAT}:{hashlib.sha256(address.encode()).hexdigest()}"


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "no-store" not in response.get("Cache-Control", "")
    )


Kept = tuple[str, bytes, list[tuple[str, str]]]


def _freeze(version: str, response: HttpResponse) -> Kept:
    # Compressed: pages shrink to a tenth, and the database cache moves and base64-decodes
    # a tenth of the bytes on every hit, which costs more than decompressing them.
    return version, zlib.compress(response.content, 1), list(response.headers.items())


def _thaw(kept: Kept) -> HttpResponse:
    _version, compressed, headers = kept
    response = HttpResponse(zlib.decompress(compressed))
    for name, value in headers:
        response.headers[name] = value
    return response
