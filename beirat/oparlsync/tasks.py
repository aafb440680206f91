"""Background runs: the worker synchronises a source when asked from its page or when due."""

from __future__ import annotations

from django_tasks import task

from beirat.oparlsync import services
from beirat.oparlsync.models import Source


@task()
def synchronise_source(source_id: int, full: bool = False) -> str:
    """One run of one source; a source busy with another run is left to it."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    try:
        run = services.synchronise(source=source, full=full)
    except services.SourceBusy:
        return "busy"
    return run.status


@task()
def synchronise_due_sources() -> int:
    """Every due source (for a timer: ``manage.py oparl_sync --due`` does the same)."""
    return len(services.run_due())
