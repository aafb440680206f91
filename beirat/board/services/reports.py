"""Reports to the board and minutes of its meetings, each with an optional checked file."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from beirat.board.models import Report
from beirat.core import audit
from beirat.core.models import User
from beirat.core.uploads import CheckedFile
from beirat.council.services import require_taken_place


def add_report(*, report: Report, upload: CheckedFile | None, actor: User | None) -> Report:
    """Store the report (and its file under a generated name). Side effect: audit.

    Minutes are refused before their meeting has taken place, as every result of a meeting."""
    if report.kind == Report.Kind.MINUTES:
        require_taken_place(report.meeting)
    with transaction.atomic():
        report.created_by = actor
        if upload is not None:
            report.file_name = upload.name
            report.file.save("report", ContentFile(upload.content), save=False)
        audit.save_audited(report, actor=actor, action="board.add_report")
    return report
