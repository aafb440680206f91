"""Reports to the board and minutes of its meetings, each with an optional checked file."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from beirat.board.models import Report
from beirat.core import audit
from beirat.core.models import User
from beirat.submissions.uploads import CheckedFile


def add_report(*, report: Report, upload: CheckedFile | None, actor: User | None) -> Report:
    """Store the report (and its file under a generated name). Side effect: audit."""
    with transaction.atomic():
        report.created_by = actor
        if upload is not None:
            report.file_name = upload.name
            report.file.save("report", ContentFile(upload.content), save=False)
        audit.save_audited(report, actor=actor, action="board.add_report")
    return report
