"""An office's work on a forwarded submission: accept or hand back, report progress, close.

The public parts (an accepted forwarding's expected date, public progress notes, the result)
appear on the submission's tracking page, under the office's public name, and in a mail to a
confirmed address; what the service writes for the citizen is in the submission's language.
Every step records its office: offices read only their own internal notes. Offices never see
contact data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from beirat.core import audit
from beirat.core.models import User
from beirat.submissions import wording
from beirat.submissions.models import Event, Forwarding, Submission
from beirat.submissions.services.notifications import StatusMail, notify_submitter, status_mail

FORWARDING_FIELDS = ("status", "expected_by", "return_reason", "result")


def accept(*, forwarding: Forwarding, expected_by: datetime.date, actor: User) -> None:
    """The office takes the submission on, with the date it expects to be done.
    Side effects: public history entry naming that date, audit."""
    _require(forwarding, Forwarding.Status.SENT)
    with transaction.atomic():
        before = audit.snapshot(forwarding, FORWARDING_FIELDS)
        forwarding.status = Forwarding.Status.ACCEPTED
        forwarding.expected_by = expected_by
        forwarding.accepted_at = timezone.now()
        forwarding.save(update_fields=["status", "expected_by", "accepted_at"])
        with translation.override(forwarding.submission.language):
            text = gettext(
                "Das Amt hat Ihre Eingabe übernommen und ist voraussichtlich bis zum %(date)s "
                "fertig."
            ) % {"date": date_format(expected_by, "d.m.Y")}
        _event(forwarding, actor, text=text)
        _audit(forwarding, actor, "submissions.office_accept", before)


def hand_back(*, forwarding: Forwarding, reason: str, actor: User) -> None:
    """Not this office's matter: back to IT management with the reason (internal)."""
    _require(forwarding, Forwarding.Status.SENT, Forwarding.Status.ACCEPTED)
    with transaction.atomic():
        before = audit.snapshot(forwarding, FORWARDING_FIELDS)
        forwarding.status = Forwarding.Status.RETURNED
        forwarding.return_reason = reason
        forwarding.closed_at = timezone.now()
        forwarding.save(update_fields=["status", "return_reason", "closed_at"])
        text = gettext("Von %(office)s zurückgegeben: %(reason)s") % {
            "office": forwarding.office,
            "reason": reason,
        }
        _event(forwarding, actor, text=text, public=False)
        submission = forwarding.submission
        if not _active_forwardings(submission).exists():
            submission.status = Submission.Status.IN_REVIEW
            submission.save(update_fields=["status", "modified_at"])
        _audit(forwarding, actor, "submissions.office_hand_back", before)


def report_progress(
    *,
    forwarding: Forwarding,
    note: str,
    public: bool,
    expected_by: datetime.date | None,
    actor: User,
) -> None:
    """A progress note, internal (IT management and the office) or public (tracking page and
    a mail); moving the expected date needs a public note saying why."""
    _require(forwarding, Forwarding.Status.ACCEPTED)
    moves_date = _moves_date(forwarding, expected_by)
    if moves_date and not public:
        raise ValidationError(
            {
                "visibility": gettext(
                    "Ein neues Datum braucht einen öffentlichen Stand, der den Grund nennt."
                )
            }
        )
    text = progress_text(forwarding, note=note, expected_by=expected_by)  # before the move
    with transaction.atomic():
        before = audit.snapshot(forwarding, FORWARDING_FIELDS)
        if expected_by is not None and moves_date:
            forwarding.expected_by = expected_by
            forwarding.save(update_fields=["expected_by"])
        _event(forwarding, actor, text=text, public=public)
        _audit(forwarding, actor, "submissions.office_progress", before)


@dataclass(frozen=True)
class ProgressPreview:
    """A public note before it is saved: the tracking page's entry and the mail."""

    entry: wording.Entry
    mail: StatusMail


def preview_progress(
    *, forwarding: Forwarding, note: str, expected_by: datetime.date | None, track_url: str
) -> ProgressPreview:
    """What the citizen will read once the public note is saved; nothing is stored.
    ``track_url`` stands in for the link to the tracking page: the office may not see it."""
    _require(forwarding, Forwarding.Status.ACCEPTED)
    event = Event(
        submission=forwarding.submission,
        kind=Event.Kind.OFFICE_PROGRESS,
        public=True,
        office=forwarding.office,
        text=progress_text(forwarding, note=note, expected_by=expected_by),
        created_at=timezone.now(),
    )
    return ProgressPreview(
        entry=wording.entry(event),
        mail=status_mail(forwarding.submission, event, track_url=track_url),
    )


def progress_text(forwarding: Forwarding, *, note: str, expected_by: datetime.date | None) -> str:
    """The note as stored; a moved date is added in the submission's language."""
    if expected_by is None or not _moves_date(forwarding, expected_by):
        return note
    with translation.override(forwarding.submission.language):
        return gettext("%(note)s (Neues voraussichtliches Datum: %(date)s)") % {
            "note": note,
            "date": date_format(expected_by, "d.m.Y"),
        }


def _moves_date(forwarding: Forwarding, expected_by: datetime.date | None) -> bool:
    return expected_by is not None and expected_by != forwarding.expected_by


def close(*, forwarding: Forwarding, result: str, actor: User) -> None:
    """The office is done; the result is public. When no office still works on the
    submission, it counts as answered."""
    _require(forwarding, Forwarding.Status.ACCEPTED)
    with transaction.atomic():
        before = audit.snapshot(forwarding, FORWARDING_FIELDS)
        forwarding.status = Forwarding.Status.DONE
        forwarding.result = result
        forwarding.closed_at = timezone.now()
        forwarding.save(update_fields=["status", "result", "closed_at"])
        with translation.override(forwarding.submission.language):
            text = gettext("Das Amt hat die Bearbeitung abgeschlossen. Das Ergebnis:") + "\n\n"
        _event(forwarding, actor, text=text + result)
        submission = forwarding.submission
        if not _active_forwardings(submission).exists():
            submission.status = Submission.Status.ANSWERED
            submission.save(update_fields=["status", "modified_at"])
        _audit(forwarding, actor, "submissions.office_close", before)


def suggested_completion(forwarding: Forwarding) -> datetime.date:
    """Today plus the office's median turnaround of its finished forwardings (30 days if none)."""
    finished = Forwarding.objects.filter(
        office=forwarding.office,
        status=Forwarding.Status.DONE,
        accepted_at__isnull=False,
        closed_at__isnull=False,
    ).values_list("accepted_at", "closed_at")[:200]
    durations = sorted(
        (closed - accepted).days for accepted, closed in finished if accepted and closed
    )
    days = durations[len(durations) // 2] if durations else 30
    return timezone.localdate() + datetime.timedelta(days=max(days, 1))


def _require(forwarding: Forwarding, *states: str) -> None:
    if forwarding.status not in states:
        raise ValidationError(
            gettext("Dieser Schritt passt nicht zum Stand der Weiterleitung (%(status)s).")
            % {"status": forwarding.get_status_display()}
        )


def _active_forwardings(submission: Submission):  # type: ignore[no-untyped-def]
    return submission.forwardings.filter(
        status__in=[Forwarding.Status.SENT, Forwarding.Status.ACCEPTED]
    )


def _event(forwarding: Forwarding, actor: User, *, text: str, public: bool = True) -> Event:
    """A step in the submission's history; the submitter hears of the public ones."""
    event = Event.objects.create(
        submission=forwarding.submission,
        kind=Event.Kind.OFFICE_PROGRESS,
        public=public,
        office=forwarding.office,
        text=text,
        actor=actor,
    )
    notify_submitter(forwarding.submission, event)
    return event


def _audit(forwarding: Forwarding, actor: User, action: str, before: dict[str, object]) -> None:
    after = audit.snapshot(forwarding, FORWARDING_FIELDS)
    audit.record(actor=actor, action=action, instance=forwarding, changes=audit.diff(before, after))
