"""Retention rules for submissions (registered in SubmissionsConfig.ready())."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import F, ProtectedError, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from beirat.core import retention
from beirat.submissions.models import Attachment, Submission
from beirat.submissions.services.intake import clear_contact_data


def finished_before(cutoff: datetime.datetime) -> QuerySet[Submission]:
    """Submissions nobody works on any more, finished before the cutoff. An answered one has no
    closing date; its last change stands in for it."""
    return (
        Submission.objects.exclude(status__in=Submission.OPEN_STATUSES)
        .annotate(finished_at=Coalesce(F("closed_at"), F("modified_at")))
        .filter(finished_at__lt=cutoff)
    )


def _with_contact(cutoff: datetime.datetime) -> Iterable[int]:
    due = finished_before(cutoff).exclude(submitter_name="", submitter_email="")
    return due.values_list("pk", flat=True)


def erase_contact(pk: int) -> bool:
    submission = Submission.objects.filter(pk=pk).first()
    if submission is None or not (submission.submitter_name or submission.submitter_email):
        return False

    def work() -> bool:
        clear_contact_data(submission)
        return True

    return retention.erase_with_audit(
        action="submissions.retention.contact", instance=submission, work=work
    )


def _with_attachments(cutoff: datetime.datetime) -> Iterable[int]:
    due = finished_before(cutoff).filter(attachments__isnull=False).distinct()
    return due.values_list("pk", flat=True)


def delete_attachments(pk: int) -> bool:
    submission = Submission.objects.filter(pk=pk).first()
    if submission is None or not submission.attachments.exists():
        return False
    return retention.erase_with_audit(
        action="submissions.retention.attachments",
        instance=submission,
        work=lambda: _delete_files(submission.attachments.all()) > 0,
    )


def _delete_files(attachments: QuerySet[Attachment]) -> int:
    count = 0
    for attachment in attachments:
        attachment.file.delete(save=False)
        attachment.delete()
        count += 1
    return count


def _finished_submissions(cutoff: datetime.datetime) -> Iterable[int]:
    # Merged duplicates first: the submission they point to cannot go before them.
    due = finished_before(cutoff).order_by(F("merged_into").desc(nulls_last=True), "pk")
    return due.values_list("pk", flat=True)


def delete_submission(pk: int) -> bool:
    submission = Submission.objects.filter(pk=pk).first()
    if submission is None:
        return False

    def work() -> bool:
        _delete_files(submission.attachments.all())
        submission.delete()
        return True

    try:
        return retention.erase_with_audit(
            action="submissions.retention.deleted",
            instance=submission,
            work=work,
            changes={"title": {"before": submission.title, "after": None}},
        )
    except ProtectedError:
        return False  # a duplicate of it is not due yet; both go when that one is


def register() -> None:
    common = {
        "starts": _("ab Abschluss der Eingabe"),
        "legal_basis": _("Art. 6 Abs. 1 Buchst. e DSGVO, Art. 17 DSGVO"),
    }
    retention.register(
        retention.Rule(
            key="submission_contact",
            record_type=_("Kontaktdaten zu Eingaben"),
            content=_("Name und E-Mail-Adresse der einreichenden Person"),
            then=_(
                "Name und E-Mail-Adresse werden gelöscht; die Eingabe bleibt ohne sie "
                "erhalten, ein Protokolleintrag vermerkt die Löschung."
            ),
            due=_with_contact,
            erase=erase_contact,
            **common,
        )
    )
    retention.register(
        retention.Rule(
            key="submission_attachments",
            record_type=_("Hochgeladene Dateien zu Eingaben"),
            content=_("Anhänge, die Einreichende mitgeschickt haben"),
            then=_("Die Dateien werden gelöscht."),
            due=_with_attachments,
            erase=delete_attachments,
            **common,
        )
    )
    retention.register(
        retention.Rule(
            key="submissions",
            record_type=_("Eingaben und Anregungen"),
            content=_(
                "Titel, Text, Verlauf, Weiterleitungen und interne Notizen; die "
                "Vorgangsnummer gilt danach nicht mehr"
            ),
            then=_(
                "Die Eingabe wird mit ihrem Verlauf gelöscht. Veröffentlichte "
                "Stellungnahmen und Empfehlungen des Beirats bleiben."
            ),
            due=_finished_submissions,
            erase=delete_submission,
            **common,
        )
    )
