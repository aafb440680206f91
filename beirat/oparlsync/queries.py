"""Reads of the sources, their runs and the objects they brought."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from beirat.oparlsync.models import Source, SyncedObject, SyncRun


def sources() -> QuerySet[Source]:
    return Source.objects.select_related("body").order_by("name", "id")


def get_source(pk: int) -> Source:
    return get_object_or_404(sources(), pk=pk)


def source_by_url(system_url: str) -> Source | None:
    return Source.objects.filter(system_url=system_url).first()


def runs_of(source: Source) -> QuerySet[SyncRun]:
    return source.runs.order_by("-started_at", "-id")


def last_run(source: Source) -> SyncRun | None:
    return runs_of(source).first()


def last_finished_run(source: Source) -> SyncRun | None:
    return runs_of(source).filter(status=SyncRun.Status.FINISHED).first()


def unfinished_run(source: Source) -> SyncRun | None:
    """A run that was interrupted or whose process died: the next run resumes it."""
    return (
        runs_of(source)
        .filter(status__in=[SyncRun.Status.RUNNING, SyncRun.Status.INTERRUPTED])
        .first()
    )


def object_counts(source: Source) -> dict[str, int]:
    """How many objects of each OParl type the source has brought (deleted ones left out)."""
    counts: dict[str, int] = {}
    rows = SyncedObject.objects.filter(source=source, deleted=False).values_list(
        "oparl_type", flat=True
    )
    for oparl_type in rows.iterator():
        counts[oparl_type] = counts.get(oparl_type, 0) + 1
    return dict(sorted(counts.items()))


def due_sources() -> QuerySet[Source]:
    """Active sources with an interval whose next run is due (or never planned)."""
    from django.db.models import Q
    from django.utils import timezone

    return Source.objects.filter(active=True, interval_hours__gt=0).filter(
        Q(next_run_at__isnull=True) | Q(next_run_at__lte=timezone.now())
    )
