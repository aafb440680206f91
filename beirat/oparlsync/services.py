"""Registering sources and running synchronisations: one run per source at a time."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beirat.core import audit
from beirat.core.models import User
from beirat.oparlsync import queries
from beirat.oparlsync.client import OParlClient
from beirat.oparlsync.engine import Progress, RunFailed, Synchronisation
from beirat.oparlsync.models import Source, SyncRun

logger = logging.getLogger(__name__)
# An incremental run asks for what changed since the last good run began, less this margin
# (clocks of two servers, transactions committed while that run was reading).
OVERLAP = datetime.timedelta(minutes=10)


class SourceBusy(Exception):
    """Another run of this source holds the lock."""


@transaction.atomic
def save_source(*, source: Source, actor: User | None) -> Source:
    """Register or change a source. Side effect: audit entry."""
    action = "oparl_source.updated" if source.pk else "oparl_source.created"
    if source.next_run_at is None and source.interval_hours:
        source.next_run_at = timezone.now()
    saved = audit.save_audited(source, actor=actor, action=action)
    from beirat.oparlsync.tasks import schedule_next

    transaction.on_commit(lambda: schedule_next(saved.pk))
    return saved


def _take_lock(source: Source) -> bool:
    """Compare-and-set on the row: exactly one caller gets it; an abandoned lock is taken over."""
    now = timezone.now()
    stale = now - datetime.timedelta(hours=settings.BEIRAT_OPARL_SYNC_LOCK_HOURS)
    taken = Source.objects.filter(
        Q(locked_since__isnull=True) | Q(locked_since__lt=stale), pk=source.pk
    ).update(locked_since=now)
    return taken == 1


def _release_lock(source: Source) -> None:
    next_run = (
        timezone.now() + datetime.timedelta(hours=source.interval_hours)
        if source.interval_hours
        else None
    )
    Source.objects.filter(pk=source.pk).update(locked_since=None, next_run_at=next_run)


def synchronise(
    *,
    source: Source,
    full: bool = False,
    progress: Progress | None = None,
    client: OParlClient | None = None,
) -> SyncRun:
    """Run (or resume) a synchronisation of ``source`` to its end.

    The first run, and one with ``full``, reads everything; later runs ask only for what changed
    since the last finished run (``modified_since``). A run that was interrupted is resumed at
    the page it reached. Raises SourceBusy when another run holds the source.
    """
    if not _take_lock(source):
        raise SourceBusy(_("Für diese Quelle läuft bereits ein Abgleich."))
    client = client or OParlClient()
    try:
        run = _run_to_resume(source, full)
        sync = Synchronisation(run, client, progress)
        try:
            sync.execute()
        except RunFailed as error:
            run.status, run.message = SyncRun.Status.FAILED, str(error)
        except KeyboardInterrupt:
            run.status = SyncRun.Status.INTERRUPTED
            run.message = _("Abgebrochen; der nächste Lauf setzt hier fort.")
            sync.finish()
            raise
        else:
            run.status = SyncRun.Status.FINISHED
        run.finished_at = timezone.now()
        sync.finish()
        logger.info(
            "OParl sync of %s: %s new, %s changed, %s deleted, %s failed",
            source.pk,
            run.created,
            run.changed,
            run.deleted,
            run.failed,
        )
        return run
    finally:
        _release_lock(source)
        if client is not None:
            client.close()


def _run_to_resume(source: Source, full: bool) -> SyncRun:
    unfinished = queries.unfinished_run(source)
    if unfinished is not None and not full:
        unfinished.status = SyncRun.Status.RUNNING
        unfinished.save(update_fields=["status"])
        return unfinished
    if unfinished is not None:
        unfinished.status = SyncRun.Status.FAILED
        unfinished.message = _("Durch einen vollständigen Abgleich ersetzt.")
        unfinished.save(update_fields=["status", "message"])
    last = None if full else queries.last_finished_run(source)
    since = last.started_at - OVERLAP if last is not None else None
    return SyncRun.objects.create(source=source, modified_since=since)


def run_due(*, progress: Progress | None = None) -> list[SyncRun]:
    """Every due source once (for the timer and the worker); a busy one is skipped."""
    runs = []
    for source in queries.due_sources():
        try:
            runs.append(synchronise(source=source, progress=progress))
        except SourceBusy:
            continue
    return runs
