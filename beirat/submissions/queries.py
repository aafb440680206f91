"""Reads of the submissions app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beirat.core.models import User
from beirat.core.roles import AnyUser, Role
from beirat.core.tracking_codes import normalize_code
from beirat.directory.queries import offices_of
from beirat.submissions import redaction, wording
from beirat.submissions.models import (
    Attachment,
    Event,
    Forwarding,
    InternalNote,
    Submission,
    TextBlock,
    Topic,
)


def get_submission_by_code(code: str) -> Submission:
    """The submission with this tracking code, or 404; the code is the submitter's key."""
    canonical = normalize_code(code)
    submission = (
        Submission.objects.select_related("topic").filter(tracking_code=canonical).first()
        if canonical
        else None
    )
    if submission is None:
        raise Http404
    return submission


def public_history(submission: Submission) -> list[Event]:
    return list(
        submission.events.filter(public=True).select_related("office").order_by("created_at", "id")
    )


def public_entries(submission: Submission) -> list[wording.Entry]:
    """The public history as the citizen reads it: a plain sentence per step, then its text."""
    return [wording.entry(event) for event in public_history(submission)]


def get_attachment_of(submission: Submission, pk: int) -> Attachment:
    """One of the submission's own attachments (reached through its tracking code), or 404."""
    return get_object_or_404(Attachment, pk=pk, submission=submission)


def data_of(submission: Submission) -> dict[str, Any]:
    """Everything stored about the submission that concerns its submitter (GDPR Art. 15)."""
    return {
        "vorgangsnummer": submission.tracking_code,
        "eingegangen_am": submission.received_at.isoformat(),
        "titel": submission.title,
        "text": submission.text,
        "thema": str(submission.topic) if submission.topic else None,
        "status": submission.get_status_display(),
        "name": submission.submitter_name or None,
        "e_mail": submission.submitter_email or None,
        "e_mail_bestaetigt_am": submission.email_confirmed_at.isoformat()
        if submission.email_confirmed_at
        else None,
        "einwilligung_am": submission.consent_at.isoformat(),
        "anhaenge": [
            {"name": item.name, "art": item.content_type, "groesse_bytes": item.size}
            for item in submission.attachments.all()
        ],
        "verlauf": [
            {
                "am": event.created_at.isoformat(),
                "was": wording.sentence(event),
                "text": wording.shown_text(event),
            }
            for event in public_history(submission)
        ],
    }


# Triage ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # "open", "" for all, or a status
    topic: Topic | None = None
    assigned: str = ""  # "", "me", "nobody"
    overdue: bool = False
    older_than_days: int | None = None


def overdue_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.BEIRAT_RESPONSE_DAYS)


def triage_queue(user: AnyUser, chosen: QueueFilter) -> QuerySet[Submission]:
    """Submissions for IT management, oldest first, with what the queue shows preloaded."""
    submissions = Submission.objects.select_related("topic", "assigned_to").annotate(
        attachment_count=Count("attachments", distinct=True)
    )
    if chosen.status == "open":
        submissions = submissions.filter(status__in=Submission.OPEN_STATUSES)
    elif chosen.status in Submission.Status.values:
        submissions = submissions.filter(status=chosen.status)
    if chosen.topic is not None:
        submissions = submissions.filter(topic=chosen.topic)
    if chosen.assigned == "me":
        submissions = submissions.filter(assigned_to=user.pk)
    elif chosen.assigned == "nobody":
        submissions = submissions.filter(assigned_to__isnull=True)
    if chosen.overdue:
        submissions = submissions.filter(
            status__in=Submission.OPEN_STATUSES,
            first_answered_at__isnull=True,
            received_at__lt=overdue_before(),
        )
    if chosen.older_than_days:
        cutoff = timezone.now() - datetime.timedelta(days=chosen.older_than_days)
        submissions = submissions.filter(received_at__lt=cutoff)
    return submissions.order_by("received_at", "id")


def get_submission_for_triage(pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related("topic", "assigned_to", "merged_into"), pk=pk
    )


def full_history(submission: Submission) -> list[Event]:
    return list(submission.events.select_related("actor").order_by("created_at", "id"))


def notes_of(submission: Submission) -> list[InternalNote]:
    return list(submission.internal_notes.select_related("author").order_by("created_at"))


def forwardings_of(submission: Submission) -> list[Forwarding]:
    return list(
        submission.forwardings.select_related("office")
        .prefetch_related("released_attachments")
        .order_by("created_at")
    )


def attachments_of(submission: Submission) -> QuerySet[Attachment]:
    """All of the submission's attachments: IT management sees every one."""
    return submission.attachments.order_by("created_at", "id")


def get_forwarding_for_triage(pk: int) -> Forwarding:
    return get_object_or_404(Forwarding.objects.select_related("submission", "office"), pk=pk)


def get_attachment_for_triage(pk: int) -> Attachment:
    return get_object_or_404(Attachment.objects.select_related("submission"), pk=pk)


def triage_staff() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.TRIAGE, is_active=True).order_by("username")


def merge_candidates(submission: Submission) -> QuerySet[Submission]:
    return (
        Submission.objects.exclude(pk=submission.pk)
        .exclude(status__in=[Submission.Status.MERGED, Submission.Status.WITHDRAWN])
        .order_by("-received_at")
    )


def queue_counts() -> dict[str, int]:
    open_submissions = Submission.objects.filter(status__in=Submission.OPEN_STATUSES)
    return {
        "open": open_submissions.count(),
        "new": open_submissions.filter(status=Submission.Status.RECEIVED).count(),
        "overdue": open_submissions.filter(
            first_answered_at__isnull=True, received_at__lt=overdue_before()
        ).count(),
    }


def get_topic(pk: int) -> Topic:
    return get_object_or_404(Topic, pk=pk)


def get_text_block(pk: int) -> TextBlock:
    return get_object_or_404(TextBlock, pk=pk)


# Offices ---------------------------------------------------------------------------------------


def forwardings_for_office(user: AnyUser, *, open_only: bool) -> QuerySet[Forwarding]:
    forwardings = Forwarding.objects.filter(office__in=offices_of(user)).select_related(
        "office", "submission"
    )
    if open_only:
        forwardings = forwardings.filter(
            status__in=[Forwarding.Status.SENT, Forwarding.Status.ACCEPTED]
        )
    return forwardings.order_by("status", "expected_by", "created_at")


def get_forwarding_for_office(user: AnyUser, pk: int) -> Forwarding:
    """A forwarding to one of the user's offices, or 404."""
    return get_object_or_404(
        Forwarding.objects.select_related("office", "submission", "submission__topic"),
        pk=pk,
        office__in=offices_of(user),
    )


@dataclass(frozen=True)
class OfficeStep:
    """A step of the history as an office reads it: the submitter's name taken out."""

    label: str
    office: str
    created_at: datetime.datetime
    public: bool
    text: str


@dataclass(frozen=True)
class OfficeCopy:
    """The submission as an office reads it: title, text and IT management's hint without the
    submitter's name, e-mail address or phone number."""

    title: str
    text: str
    note: str


def office_copy(forwarding: Forwarding) -> OfficeCopy:
    submission = forwarding.submission
    return OfficeCopy(
        title=redaction.for_office(submission, submission.title),
        text=redaction.for_office(submission, submission.text),
        note=redaction.for_office(submission, forwarding.note),
    )


def office_title(forwarding: Forwarding) -> str:
    return redaction.for_office(forwarding.submission, forwarding.submission.title)


def office_history(forwarding: Forwarding) -> list[OfficeStep]:
    """What the office may read of the history: the public steps, and the internal notes of
    its own office (never another office's), each without the submitter's name."""
    submission = forwarding.submission
    events = (
        submission.events.filter(
            Q(public=True) | Q(kind=Event.Kind.OFFICE_PROGRESS, office=forwarding.office_id)
        )
        .select_related("office")
        .order_by("created_at", "id")
    )
    return [
        OfficeStep(
            label=event.get_kind_display(),
            office=str(event.office) if event.office and event.kind != Event.Kind.FORWARDED else "",
            created_at=event.created_at,
            public=event.public,
            text=redaction.for_office(submission, event.text),
        )
        for event in events
    ]


def attachments_visible_to_office(user: AnyUser, forwarding: Forwarding) -> QuerySet[Attachment]:
    """What an office reads of the submission's attachments: only those IT management released
    for this forwarding, and only when the forwarding goes to one of the user's offices."""
    return Attachment.objects.filter(
        submission=forwarding.submission_id,
        released_to=forwarding,
        released_to__office__in=offices_of(user),
    ).order_by("created_at", "id")


def get_attachment_for_office(user: AnyUser, forwarding: Forwarding, pk: int) -> Attachment:
    """One attachment released for the forwarding, or 404: one never or no longer released
    answers as one that does not exist."""
    return get_object_or_404(attachments_visible_to_office(user, forwarding), pk=pk)


def overdue_forwardings() -> QuerySet[Forwarding]:
    return Forwarding.objects.filter(
        status=Forwarding.Status.ACCEPTED, expected_by__lt=timezone.localdate()
    ).select_related("office", "submission")
