"""``/healthz`` (the process answers) and ``/readyz`` (it can do its work), for monitoring.

``/readyz`` runs every readiness check and answers 200 when all pass, 503 when one fails, with
a JSON body naming each check's result and the version. Core checks the database, the cache,
the upload folder and the outbox; apps add theirs with ``register_readiness_check`` (the search
app: its index is there and its indexer read the log recently).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beirat.core.checks import media_dir_problem
from beirat.core.log_records import mask
from beirat.core.version import beirat_version


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str


ReadinessCheck = Callable[[], Outcome]
_CHECKS: dict[str, ReadinessCheck] = {}


def register_readiness_check(name: str, check: ReadinessCheck) -> None:
    _CHECKS[name] = check


def check_database() -> Outcome:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Outcome(True, connection.vendor)


def check_cache() -> Outcome:
    key, value = "beirat:readyz", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        return Outcome(False, "a value written was not read back")
    return Outcome(True, "written and read back")


def check_media() -> Outcome:
    problem = media_dir_problem(Path(settings.MEDIA_ROOT))
    return Outcome(problem is None, problem or "writable")


def check_outbox() -> Outcome:
    from beirat.core.models import OutboxMail

    minutes: int = settings.BEIRAT_READY_OUTBOX_MINUTES
    cutoff = timezone.now() - timedelta(minutes=minutes)
    stuck = (
        OutboxMail.objects.filter(status=OutboxMail.Status.QUEUED)
        .filter(
            models.Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
            | models.Q(next_attempt_at__lt=cutoff)
        )
        .count()
    )
    if stuck:
        return Outcome(False, f"{stuck} mail(s) due for more than {minutes} minutes")
    return Outcome(True, f"nothing due for more than {minutes} minutes")


for _name, _check in (
    ("database", check_database),
    ("cache", check_cache),
    ("media", check_media),
    ("outbox", check_outbox),
):
    register_readiness_check(_name, _check)


def run_checks() -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    for name, check in _CHECKS.items():
        started = time.perf_counter()
        try:
            outcome = check()
        except Exception as error:  # a check that fails to run is a failed check
            outcome = Outcome(False, mask(f"{type(error).__name__}: {error}")[:300])
        results[name] = {
            "ok": outcome.ok,
            "detail": outcome.detail,
            "seconds": round(time.perf_counter() - started, 4),
        }
    return results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "version": beirat_version()})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {
            "status": "ready" if ready else "not ready",
            "version": beirat_version(),
            "checks": results,
        },
        status=200 if ready else 503,
    )
