"""Background runs through the worker: asked for from a source's page, and scheduled.

A source with an interval schedules itself: when it is saved, and after each run, a run is
enqueued for its next due time (``run_after``). A scheduled run that finds the source not yet
due (an older schedule after the interval was changed) ends without enqueuing another, so the
schedules of one source converge on one. ``manage.py oparl_sync --due`` on a timer is the
fallback when the worker's queue was lost.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from beirat.oparlsync.models import Source


@task()
def synchronise_source(source_id: int, full: bool = False, scheduled: bool = False) -> str:
    """One run of one source; a source busy with another run is left to it."""
    from beirat.oparlsync import services

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    if scheduled and not _due(source):
        return "not due"
    try:
        run = services.synchronise(source=source, full=full)
    except services.SourceBusy:
        return "busy"  # the run that holds the source schedules the next one
    except Exception:
        schedule_next(source_id)  # the schedule goes on; the next run resumes this one
        raise
    schedule_next(source_id)
    return str(run.status)


def _due(source: Source) -> bool:
    return (
        source.active
        and source.interval_hours > 0
        and (source.next_run_at is None or source.next_run_at <= timezone.now())
    )


def schedule_next(source_id: int) -> None:
    """Enqueue the source's next scheduled run at its due time (none without an interval)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None or not source.active or not source.interval_hours:
        return
    when = source.next_run_at or timezone.now()
    synchronise_source.using(run_after=when).enqueue(source_id, scheduled=True)
