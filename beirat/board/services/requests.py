"""Expert requests: IT management asks, members answer, IT management publishes the statement.

Mail goes through the outbox, stored in the same transaction as the step it tells of (delivered
after commit), one message per member, naming no other member; the
submitter hears of the consultation and the statement through the submissions app.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from beirat.board import queries
from beirat.board.models import BoardStatement, ExpertAnswer, ExpertRequest, MemberPseudonym
from beirat.board.redaction import redact
from beirat.core import audit
from beirat.core.models import User
from beirat.submissions.models import Submission
from beirat.submissions.services import triage


def ask_board(
    *,
    title: str,
    question: str,
    excerpt: str,
    deadline: datetime.date,
    submission: Submission | None,
    actor: User,
) -> ExpertRequest:
    """Send a question to the board. Question and excerpt are redacted here, on the server,
    whatever the preview showed. Side effects: the submission's history says the board was
    consulted; audit; one mail to each member."""
    if not question.strip():
        raise ValidationError({"question": gettext("Bitte stellen Sie eine Frage.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": gettext("Die Frist liegt in der Vergangenheit.")})
    names = submitter_names(submission)
    with transaction.atomic():
        request = ExpertRequest.objects.create(
            submission=submission,
            title=redact(title, known_names=names).text,
            question=redact(question, known_names=names).text,
            excerpt=redact(excerpt, known_names=names).text,
            deadline=deadline,
            created_by=actor,
        )
        audit.record_creation(actor=actor, action="board.ask", instance=request)
        if submission is not None:
            triage.consult_board(submission=submission, actor=actor)
        _mail_members(request)
    return request


def submitter_names(submission: Submission | None) -> tuple[str, ...]:
    if submission is None or not submission.submitter_name:
        return ()
    return (submission.submitter_name,)


def answer(*, request: ExpertRequest, member: User, text: str) -> ExpertAnswer:
    """A member's answer, or its new wording, stored under the member's pseudonym (given on the
    first answer). Side effects: audit under the pseudonym, recording the text's length, never
    its words or the account; a mail to IT management naming only the pseudonym."""
    if not text.strip():
        raise ValidationError({"text": gettext("Eine leere Antwort wurde nicht gespeichert.")})
    with transaction.atomic():
        locked = ExpertRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise ValidationError(
                gettext("Diese Fachfrage ist geschlossen; Antworten sind nicht mehr möglich.")
            )
        pseudonym = pseudonym_of(member)
        found = ExpertAnswer.objects.filter(request=locked, author=pseudonym).first()
        length_before = len(found.text) if found else None
        given = found or ExpertAnswer(request=locked, author=pseudonym)
        given.text = text
        given.save()
        audit.record(
            actor=None,
            actor_label=audit_label(pseudonym),
            action="board.answer",
            instance=given,
            changes={"text_length": {"before": length_before, "after": len(text)}},
        )
        if found is None:
            _mail_triage_about(given)
    return given


def audit_label(pseudonym: MemberPseudonym) -> str:
    """How the audit trail names a member who acted: the pseudonym (in the site's language, as
    every entry is written), never the account."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(pseudonym.label)


def pseudonym_of(member: User) -> MemberPseudonym:
    """The member's stable pseudonym, given at first need (under a lock: numbers are unique)."""
    existing = MemberPseudonym.objects.filter(member=member).first()
    if existing is not None:
        return existing
    for _attempt in range(3):
        try:
            with transaction.atomic():
                highest = MemberPseudonym.objects.aggregate(highest=Max("number"))["highest"]
                return MemberPseudonym.objects.create(member=member, number=(highest or 0) + 1)
        except IntegrityError:
            continue  # another member got the number at the same moment; take the next
    raise ValidationError(gettext("Bitte versuchen Sie es noch einmal."))


def close_request(*, request: ExpertRequest, actor: User) -> None:
    """No more answers. Side effect: audit."""
    with transaction.atomic():
        locked = ExpertRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise ValidationError(gettext("Diese Fachfrage ist bereits geschlossen."))
        before = audit.snapshot(locked, ["status", "closed_at"])
        locked.status = ExpertRequest.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit.record(
            actor=actor,
            action="board.close_request",
            instance=locked,
            changes=audit.diff(before, audit.snapshot(locked, ["status", "closed_at"])),
        )
    request.refresh_from_db()


def publish_statement(
    *, request: ExpertRequest | None, title: str, text: str, actor: User
) -> BoardStatement:
    """Publish the Stellungnahme des Digitalbeirats: once per request, signed by no person.
    Side effects: the request is closed; the submission is answered with the statement (its
    history and a mail to a confirmed address); audit."""
    if not text.strip():
        raise ValidationError({"text": gettext("Die Stellungnahme ist leer.")})
    with transaction.atomic():
        if request is not None:
            request = ExpertRequest.objects.select_for_update().get(pk=request.pk)
            if BoardStatement.objects.filter(request=request).exists():
                raise ValidationError(
                    gettext("Zu dieser Fachfrage ist bereits eine Stellungnahme veröffentlicht.")
                )
        statement = BoardStatement.objects.create(
            request=request, title=title, text=text, published_at=timezone.now(), created_by=actor
        )
        audit.record_creation(actor=actor, action="board.publish_statement", instance=statement)
        if request is not None:
            if request.is_open:
                request.status = ExpertRequest.Status.CLOSED
                request.closed_at = timezone.now()
                request.save(update_fields=["status", "closed_at"])
            if request.submission is not None:
                triage.answer_with_board_statement(
                    submission=request.submission, text=_statement_note(statement), actor=actor
                )
    return statement


def _statement_note(statement: BoardStatement) -> str:
    return f"{statement.title}\n\n{statement.text}"


# Mail ------------------------------------------------------------------------------------------


def _mail_members(request: ExpertRequest) -> None:
    """One message per member, addressed to that member alone: no list of recipients to read."""
    url = settings.BEIRAT_SITE_URL + reverse("board:request", kwargs={"pk": request.pk})
    for member in queries.board_members_to_notify():
        with translation.override("de"):
            body = render_to_string("board/mail/new_request.txt", {"request": request, "url": url})
            subject = gettext("Neue Fachfrage an den Digitalbeirat: %(title)s") % {
                "title": request.title
            }
        EmailMessage(subject=subject, body=body, to=[member.email]).send()


def _mail_triage_about(answer: ExpertAnswer) -> None:
    url = settings.BEIRAT_SITE_URL + reverse("board:request", kwargs={"pk": answer.request_id})
    recipients = queries.triage_addresses()
    if not recipients:
        return
    with translation.override("de"):
        context = {"answer": answer, "pseudonym": answer.author, "url": url}
        body = render_to_string("board/mail/new_answer.txt", context)
        subject = gettext("Neue Antwort zur Fachfrage „%(title)s“") % {
            "title": answer.request.title
        }
    for address in recipients:
        EmailMessage(subject=subject, body=body, to=[address]).send()
