"""Reads of the submissions app."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beirat.core.models import User
from beirat.core.roles import AnyUser, Role
from beirat.core.tracking_codes import normalize_code
from beirat.directory.queries import offices_of
from beirat.search import queries as search_queries
from beirat.submissions import redaction, search_documents, wording
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


# How the queue can be sorted (the value in the address, ``?sortierung=``).
OLDEST, NEWEST, WAITING, BY_STATUS, BY_TOPIC = "aelteste", "neueste", "wartezeit", "status", "thema"
QUEUE_SORTS = (OLDEST, NEWEST, WAITING, BY_STATUS, BY_TOPIC)
# "#123" or "123": the submission with that number, beside what the words find.
NUMBER = re.compile(r"^#?(\d{1,9})$")
# A word, "a phrase" or -excluded, as the literal search reads them.
LITERAL_PIECE = re.compile(r'(-?)"([^"]+)"?|(-?)(\S+)')
MAX_LITERAL_PIECES = 12


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # "open", "" for all, or a status
    topic: Topic | None = None
    assigned: str = ""  # "", "me", "nobody"
    overdue: bool = False
    older_than_days: int | None = None
    text: str = ""  # words searched in title and text
    sort: str = OLDEST


@dataclass
class Queue:
    """The queue's submissions, and whether the words were searched with the German full-text
    index (False while this server's index is not built: then only the literal words count)."""

    submissions: QuerySet[Submission]
    full_text: bool = True


def overdue_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.BEIRAT_RESPONSE_DAYS)


def triage_queue(user: AnyUser, chosen: QueueFilter) -> Queue:
    """Submissions for IT management in the chosen order (oldest first unless chosen), with
    what the queue shows preloaded."""
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
    full_text = True
    if chosen.text:
        matches, full_text = _text_matches(user, chosen.text)
        submissions = submissions.filter(matches)
    return Queue(submissions=submissions.order_by(*_queue_order(chosen.sort)), full_text=full_text)


def _text_matches(user: AnyUser, text: str) -> tuple[Q, bool]:
    """What the words find: the index's German full text over title, text, topic and the
    submitter's additions ("Ampeln" finds "Ampel", "Strasse" finds "Straße"), or the literal
    words in title or text, or the submission's number. The literal words cover a submission
    that came in after the index's last update. Second: whether the index answered."""
    literal = _literal_matches(text)
    found = Q(pk__in=[]) if literal is None else literal
    number = NUMBER.match(text.strip())
    if number:
        found |= Q(pk=int(number.group(1)))
    ids = search_queries.matching_ids(user, text, kind=search_documents.SUBMISSION)
    if ids:
        found |= Q(pk__in=ids)
    return found, ids is not None


def _literal_matches(text: str) -> Q | None:
    """Every word (or "phrase") in the title or the text, no -excluded one; None for no word."""
    wanted: Q | None = None
    excluded = Q()
    for match in list(LITERAL_PIECE.finditer(text))[:MAX_LITERAL_PIECES]:
        minus = match.group(1) or match.group(3)
        piece = (match.group(2) or match.group(4) or "").strip("*\"'")
        if not piece:
            continue
        in_either = Q(title__icontains=piece) | Q(text__icontains=piece)
        if minus:
            excluded |= in_either
        else:
            wanted = in_either if wanted is None else wanted & in_either
    if wanted is None:
        return None
    return wanted & ~excluded if excluded else wanted


def _queue_order(sort: str) -> list[OrderBy | str]:
    received: list[OrderBy | str] = [F("received_at").asc(), "id"]
    if sort == NEWEST:
        return [F("received_at").desc(), "-id"]
    if sort == WAITING:
        # Without a first answer first (the oldest of them on top), then the longest answered.
        return [F("first_answered_at").asc(nulls_first=True), *received]
    if sort == BY_STATUS:
        # In the order of the work, not of the words: received, in review, forwarded, …
        steps = [
            When(status=value, then=Value(position))
            for position, value in enumerate(Submission.Status.values)
        ]
        return [Case(*steps, default=Value(len(steps))).asc(), *received]
    if sort == BY_TOPIC:
        return [
            F("topic__position").asc(nulls_last=True),
            F("topic__name").asc(nulls_last=True),
            *received,
        ]
    return received


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


def assignable_staff() -> QuerySet[User]:
    """Whom a submission can be given to: the active accounts of IT management, never one that
    is also a board member's (the workplace must not name a member behind a pseudonym); by
    name, as the lists show them."""
    return (
        triage_staff()
        .exclude(groups__name=Role.BOARD_MEMBER)
        .order_by("first_name", "last_name", "username")
    )


def submissions_for_triage(ids: list[int]) -> QuerySet[Submission]:
    """The chosen submissions (unknown numbers are left out), oldest first."""
    return (
        Submission.objects.filter(pk__in=ids)
        .select_related("topic", "assigned_to")
        .order_by("received_at", "id")
    )


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


# Aggregates for the public figures (beirat/figures): counts only, never a submission ----------

# The ways a submission can go, each named by the public steps of its history that show it.
OUTCOME_STEPS: dict[str, tuple[str, ...]] = {
    "answered": (Event.Kind.REPLIED, Event.Kind.BOARD_STATEMENT),
    "forwarded": (Event.Kind.FORWARDED,),
    "board_consulted": (Event.Kind.BOARD_CONSULTED,),
    "merged": (Event.Kind.MERGED,),
    "declined": (Event.Kind.DECLINED,),
}


@dataclass(frozen=True)
class AnswerTime:
    received_at: datetime.datetime
    first_answered_at: datetime.datetime | None


def answer_times(start: datetime.datetime, end: datetime.datetime) -> list[AnswerTime]:
    """(received, first answered or None) of every submission received in [start, end): the
    times the tracking page already tells each submitter, for counting, nothing else."""
    rows = Submission.objects.filter(received_at__gte=start, received_at__lt=end)
    return [
        AnswerTime(received, answered)
        for received, answered in rows.values_list("received_at", "first_answered_at")
    ]


def outcome_counts(start: datetime.datetime, end: datetime.datetime) -> dict[str, int]:
    """For each way of OUTCOME_STEPS, how many submissions received in [start, end) went it,
    read from public history steps only (an internal step counts nowhere). A submission that
    was forwarded and later answered counts in both."""
    received = Event.objects.filter(
        public=True, submission__received_at__gte=start, submission__received_at__lt=end
    )
    return {
        outcome: received.filter(kind__in=kinds).values("submission").distinct().count()
        for outcome, kinds in OUTCOME_STEPS.items()
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
