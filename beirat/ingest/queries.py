"""Reads of the ingest app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from beirat.ingest.models import ImportRecord


def imports(status: str = "") -> QuerySet[ImportRecord]:
    found = ImportRecord.objects.select_related("paper", "created_by")
    if status in ImportRecord.Status.values:
        found = found.filter(status=status)
    return found


def get_import(pk: int) -> ImportRecord:
    return get_object_or_404(ImportRecord.objects.select_related("paper"), pk=pk)


def waiting_for_review() -> int:
    return ImportRecord.objects.filter(status=ImportRecord.Status.REVIEW).count()


def original_of(paper_id: int) -> ImportRecord | None:
    """The newest imported file of a paper that was read from a file, if any."""
    return (
        ImportRecord.objects.filter(paper_id=paper_id)
        .exclude(original="")
        .exclude(status__in=[ImportRecord.Status.FAILED, ImportRecord.Status.QUEUED])
        .order_by("-created_at", "-id")
        .first()
    )
