"""IT management's decisions on a submission. Every one is audited and, where the public sees it,
written to the submission's history; mail goes to confirmed addresses only, stored in the outbox
in the same transaction as the decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from beirat.core import audit
from beirat.core.models import User
from beirat.directory.models import OrganizationalUnit
from beirat.submissions import queries, redaction
from beirat.submissions.models import (
    Attachment,
    Event,
    Forwarding,
    InternalNote,
    Submission,
    TextBlock,
    Topic,
)
from beirat.submissions.services.intake import AUDITED_FIELDS
from beirat.submissions.services.notifications import notify_submitter
from beirat.submissions.services.releases import release_attachments

CLOSED_MESSAGE = gettext_lazy(
    "Diese Eingabe ist abgeschlossen; sie kann nicht mehr entschieden werden."
)


def assign(*, submission: Submission, assignee: User | None, actor: User) -> None:
    """Give the submission to a person of IT management (or to nobody). A new submission is
    then in review, which the public history shows. Side effects: audit, mail on review start."""
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        submission.assigned_to = assignee
        starts_review = submission.status == Submission.Status.RECEIVED
        if starts_review:
            submission.status = Submission.Status.IN_REVIEW
        submission.save(update_fields=["assigned_to", "status", "modified_at"])
        _event(submission, Event.Kind.ASSIGNED, actor, public=False)
        if starts_review:
            _event(submission, Event.Kind.IN_REVIEW, actor)
        _audit(submission, actor, "submissions.assign", before)


def set_topic(*, submission: Submission, topic: Topic | None, actor: User) -> None:
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        submission.topic = topic
        submission.save(update_fields=["topic", "modified_at"])
        _event(submission, Event.Kind.TOPIC, actor, public=False, text=topic.name if topic else "–")
        _audit(submission, actor, "submissions.set_topic", before)


def add_note(*, submission: Submission, text: str, actor: User) -> InternalNote:
    """An internal note; never shown to the public. Side effect: audit entry."""
    with transaction.atomic():
        note = InternalNote.objects.create(submission=submission, text=text, author=actor)
        audit.record_creation(actor=actor, action="submissions.add_note", instance=note)
    return note


def reply(*, submission: Submission, text: str, close: bool, actor: User) -> Event:
    """Answer the submitter publicly, and close the submission if that settles it. Whoever
    answers a submission nobody is assigned to takes it on (an internal history step).
    Side effects: history, audit; a mail to a confirmed address."""
    _require_open(submission)
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        takes_it_on = submission.assigned_to_id is None and _assignable(actor)
        if takes_it_on:
            submission.assigned_to = actor
            _event(submission, Event.Kind.ASSIGNED, actor, public=False)
        event = _event(submission, Event.Kind.REPLIED, actor, text=text)
        _answered(
            submission,
            Submission.Status.CLOSED if close else Submission.Status.ANSWERED,
            extra_fields=["assigned_to"] if takes_it_on else None,
        )
        if close:
            _event(submission, Event.Kind.CLOSED, actor)
        _audit(submission, actor, "submissions.reply", before)
        notify_submitter(submission, event)
    return event


def forward(
    *,
    submission: Submission,
    office: OrganizationalUnit,
    note: str,
    actor: User,
    attachments: Iterable[Attachment] = (),
) -> Forwarding:
    """Hand the submission to an office, which may read the ``attachments`` released to it
    (none unless chosen). Side effects: history (naming the office), audit (each release too);
    a mail to the office and one to a confirmed submitter."""
    _require_open(submission)
    if submission.forwardings.filter(
        office=office, status__in=[Forwarding.Status.SENT, Forwarding.Status.ACCEPTED]
    ).exists():
        raise ValidationError({"office": gettext("Die Eingabe liegt diesem Amt bereits vor.")})
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        forwarding = Forwarding.objects.create(
            submission=submission, office=office, note=note, created_by=actor
        )
        event = _event(submission, Event.Kind.FORWARDED, actor, text=str(office), office=office)
        _answered(submission, Submission.Status.FORWARDED)
        audit.record_creation(actor=actor, action="submissions.forward", instance=forwarding)
        release_attachments(forwarding=forwarding, attachments=attachments, actor=actor)
        _audit(submission, actor, "submissions.forward", before)
        notify_submitter(submission, event)
        if office.email:
            _notify_office(forwarding)
    return forwarding


def merge(*, submission: Submission, into: Submission, actor: User) -> None:
    """Close a duplicate in favour of the submission it repeats. The history names the other
    submission by its title only: its code is its submitter's key. Side effects: audit, mail."""
    _require_open(submission)
    if into.pk == submission.pk or into.merged_into_id == submission.pk:
        raise ValidationError(
            {"into": gettext("Eine Eingabe kann nicht mit sich selbst zusammengeführt werden.")}
        )
    while into.merged_into is not None:  # merge into the surviving one, not into a duplicate
        into = into.merged_into
    if into.pk == submission.pk:  # the chain leads back here: that would be a circle
        raise ValidationError(
            {"into": gettext("Diese Eingabe wurde bereits mit der aktuellen zusammengeführt.")}
        )
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        submission.merged_into = into
        event = _event(submission, Event.Kind.MERGED, actor, text=into.title)
        _answered(submission, Submission.Status.MERGED, extra_fields=["merged_into"])
        _audit(submission, actor, "submissions.merge", before)
        notify_submitter(submission, event)


def decline(*, submission: Submission, reason: str, actor: User) -> None:
    """Decline with a reason the submitter reads. Side effects: history, audit, mail."""
    _require_open(submission)
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        event = _event(submission, Event.Kind.DECLINED, actor, text=reason)
        _answered(submission, Submission.Status.DECLINED)
        _audit(submission, actor, "submissions.decline", before)
        notify_submitter(submission, event)


def consult_board(*, submission: Submission, actor: User) -> Event:
    """The board is asked about the submission (called by the board app). The public history
    says so without naming anyone. Side effects: history, audit; mail to a confirmed address."""
    _require_open(submission)
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        event = _event(submission, Event.Kind.BOARD_CONSULTED, actor)
        submission.status = Submission.Status.BOARD_CONSULTED
        submission.save(update_fields=["status", "modified_at"])
        _audit(submission, actor, "submissions.consult_board", before)
        notify_submitter(submission, event)
    return event


def answer_with_board_statement(*, submission: Submission, text: str, actor: User) -> Event:
    """The board's published statement answers the submission (called by the board app).
    Side effects: history with the statement's text, audit; mail to a confirmed address."""
    with transaction.atomic():
        before = audit.snapshot(submission, AUDITED_FIELDS)
        event = _event(submission, Event.Kind.BOARD_STATEMENT, actor, text=text)
        if submission.is_open:
            _answered(submission, Submission.Status.ANSWERED)
        _audit(submission, actor, "submissions.board_statement", before)
        notify_submitter(submission, event)
    return event


# Several at once (the queue's selection) ---------------------------------------------------------


@dataclass
class Outcome:
    """What a change to several submissions did: those it changed, and those it left as they
    were (already so, or, for closing, no longer open)."""

    changed: list[Submission] = field(default_factory=list)
    unchanged: list[Submission] = field(default_factory=list)


def assign_many(*, submissions: Iterable[Submission], assignee: User, actor: User) -> Outcome:
    """Give the submissions to one person of IT management, each as assign() does (history,
    an audit entry each); those already theirs stay as they are. All of it or nothing."""
    if not _assignable(assignee):
        raise ValidationError(
            {"assignee": gettext("Zuständig kann nur ein Konto des IT-Managements sein.")}
        )
    outcome = Outcome()
    with transaction.atomic():
        for submission in _locked(submissions):
            if submission.assigned_to_id == assignee.pk:
                outcome.unchanged.append(submission)
                continue
            assign(submission=submission, assignee=assignee, actor=actor)
            outcome.changed.append(submission)
    return outcome


def set_topic_many(*, submissions: Iterable[Submission], topic: Topic, actor: User) -> Outcome:
    """Give the submissions one topic, each as set_topic() does; those with it stay as they
    are. All of it or nothing."""
    outcome = Outcome()
    with transaction.atomic():
        for submission in _locked(submissions):
            if submission.topic_id == topic.pk:
                outcome.unchanged.append(submission)
                continue
            set_topic(submission=submission, topic=topic, actor=actor)
            outcome.changed.append(submission)
    return outcome


def close_many(*, submissions: Iterable[Submission], text: str, actor: User) -> Outcome:
    """Answer and close the submissions with one text, each as a reply that closes it does:
    the submitter reads the answer on the tracking page and gets the same mail, and whoever
    closes a submission nobody had takes it on. Those no longer open stay as they are (someone
    may have closed one meanwhile). All of it or nothing."""
    outcome = Outcome()
    with transaction.atomic():
        for submission in _locked(submissions):
            if not can_be_closed(submission):
                outcome.unchanged.append(submission)
                continue
            reply(submission=submission, text=text, close=True, actor=actor)
            outcome.changed.append(submission)
    return outcome


def can_be_closed(submission: Submission) -> bool:
    """Open, or answered and still to be closed; not closed, declined, merged or withdrawn."""
    return submission.is_open or submission.status == Submission.Status.ANSWERED


def save_topic(*, topic: Topic, actor: User) -> Topic:
    """Create or change a topic of the taxonomy. Side effect: audit entry."""
    with transaction.atomic():
        return audit.save_audited(topic, actor=actor, action="submissions.save_topic")


def save_text_block(*, text_block: TextBlock, actor: User) -> TextBlock:
    with transaction.atomic():
        return audit.save_audited(text_block, actor=actor, action="submissions.save_text_block")


# Internals -------------------------------------------------------------------------------------


def _require_open(submission: Submission) -> None:
    if not can_be_closed(submission):
        raise ValidationError(str(CLOSED_MESSAGE))


def _assignable(user: User | None) -> bool:
    return user is not None and queries.assignable_staff().filter(pk=user.pk).exists()


def _locked(submissions: Iterable[Submission]) -> list[Submission]:
    """The submissions as they are now, locked until the transaction ends (on PostgreSQL), so
    that a decision taken meanwhile in another window is seen, not overwritten."""
    ids = [submission.pk for submission in submissions]
    return list(Submission.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _answered(
    submission: Submission, status: str, *, extra_fields: list[str] | None = None
) -> None:
    now = timezone.now()
    submission.status = status
    if submission.first_answered_at is None:
        submission.first_answered_at = now
    if status in (
        Submission.Status.CLOSED,
        Submission.Status.DECLINED,
        Submission.Status.MERGED,
    ):
        submission.closed_at = now
    fields = ["status", "first_answered_at", "closed_at", "modified_at", *(extra_fields or [])]
    submission.save(update_fields=fields)


def _event(
    submission: Submission,
    kind: str,
    actor: User,
    *,
    public: bool = True,
    text: str = "",
    office: OrganizationalUnit | None = None,
) -> Event:
    return Event.objects.create(
        submission=submission, kind=kind, public=public, text=text, actor=actor, office=office
    )


def _audit(submission: Submission, actor: User, action: str, before: dict[str, object]) -> None:
    after = audit.snapshot(submission, AUDITED_FIELDS)
    audit.record(actor=actor, action=action, instance=submission, changes=audit.diff(before, after))


def _notify_office(forwarding: Forwarding) -> None:
    # Offices work in German; the mail names no submitter: contact data stays with triage, and
    # the name is taken out of the title and text as on the office's page.
    submission = forwarding.submission
    with translation.override("de"):
        title = redaction.for_office(submission, submission.title)
        context = {
            "forwarding": forwarding,
            "title": title,
            "text": redaction.for_office(submission, submission.text),
            "note": redaction.for_office(submission, forwarding.note),
            "url": settings.BEIRAT_SITE_URL
            + reverse("submissions:office_forwarding", kwargs={"pk": forwarding.pk}),
        }
        body = render_to_string("submissions/mail/forwarded_to_office.txt", context)
        subject = gettext("Weitergeleitete Eingabe: %(title)s") % {"title": title}
    EmailMessage(subject=subject, body=body, to=[forwarding.office.email]).send()
