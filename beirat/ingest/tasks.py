"""Background tasks of the ingest app."""

from __future__ import annotations

from beirat.core.background import retrying_task
from beirat.ingest.models import ImportRecord


@retrying_task(max_attempts=2)
def process_import(record_id: int) -> None:
    """Extract, parse and apply one uploaded file (OCR of a scan takes seconds per page)."""
    from beirat.ingest.services import process_queued

    record = ImportRecord.objects.filter(pk=record_id).first()
    if record is not None:
        process_queued(record)
