"""Prometheus metrics: requests and their latency, outbox, task queue, search indexer.

Requests are counted by the view's name (never by path: a path may hold a tracking code) and
status. Under gunicorn the workers' counts are added up by prometheus-client's multiprocess mode
when ``PROMETHEUS_MULTIPROC_DIR`` names an empty folder (deploy/beirat-web.service gives each
start a fresh one; deploy/gunicorn.conf.py forgets a worker that ended). The state of the
installation (queues, ages, lag) is read from the database at every scrape; apps add their own
figures with ``register_gauges`` (the search app its indexer's lag).

``/metrics`` is closed to the public: it answers a request made on this machine straight to
gunicorn (loopback, past no proxy), or one with ``Authorization: Bearer <BEIRAT_METRICS_TOKEN>``;
anyone else gets 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

# One figure of the installation's state: name, help text, value.
Figure = tuple[str, str, float]

REQUESTS = CollectorRegistry(auto_describe=True)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUEST_COUNT = Counter(
    "beirat_http_requests",
    "Answered requests by method, view name and status code.",
    ["method", "view", "status"],
    registry=REQUESTS,
)
REQUEST_SECONDS = Histogram(
    "beirat_http_request_duration_seconds",
    "Time from the request reaching Django to the answer, by view name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120),
    registry=REQUESTS,
)

_FIGURES: list[Callable[[], Iterable[Figure]]] = []


def register_gauges(provider: Callable[[], Iterable[Figure]]) -> None:
    """An app's figures, read at every scrape (called in its AppConfig.ready())."""
    if provider not in _FIGURES:
        _FIGURES.append(provider)


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match is not None else "unresolved"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_COUNT.labels(method, view, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(view).observe(time.perf_counter() - started)
        return response


def core_figures() -> Iterator[Figure]:
    from django_tasks_db.models import DBTaskResult

    from beirat.core.models import OutboxMail

    now = timezone.now()
    queued = OutboxMail.objects.filter(status=OutboxMail.Status.QUEUED)
    yield ("beirat_outbox_queued", "Mails waiting in the outbox.", queued.count())
    oldest = queued.aggregate(oldest=models.Min("created_at"))["oldest"]
    yield (
        "beirat_outbox_oldest_age_seconds",
        "Age of the oldest mail still waiting in the outbox (0: none waits).",
        (now - oldest).total_seconds() if oldest else 0.0,
    )
    yield (
        "beirat_outbox_failed_last_day",
        "Mails given up in the last 24 hours.",
        OutboxMail.objects.filter(
            status=OutboxMail.Status.FAILED, created_at__gte=now - timedelta(days=1)
        ).count(),
    )
    counts = dict(
        DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
        .values_list("status")
        .annotate(n=models.Count("id"))
        .values_list("status", "n")
    )
    yield ("beirat_tasks_ready", "Background tasks waiting for a worker.", counts.get("READY", 0))
    yield (
        "beirat_tasks_running",
        "Background tasks a worker is running.",
        counts.get("RUNNING", 0),
    )


class StateCollector(Collector):
    def describe(self) -> list[GaugeMetricFamily]:
        return []  # read at every scrape, not when registered

    def collect(self) -> Iterator[GaugeMetricFamily]:
        failed = 0
        for provider in [core_figures, *_FIGURES]:
            try:
                figures = list(provider())
            except Exception:  # the database is away: the request figures still count
                logger.warning("metrics: %s failed", provider.__qualname__, exc_info=True)
                failed += 1
                continue
            for name, documentation, value in figures:
                yield GaugeMetricFamily(name, documentation, value=float(value))
        yield GaugeMetricFamily(
            "beirat_metrics_failed_providers",
            "Groups of figures that could not be read at this scrape (database away?).",
            value=failed,
        )


def metrics_allowed(request: HttpRequest) -> bool:
    token: str | None = settings.BEIRAT_METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "")
        if hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
            return True
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_X_REAL_IP" in request.META:
        return False  # through a proxy: the proxy's own address says nothing about the client
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        raise Http404
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUESTS)
    registry.register(StateCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
