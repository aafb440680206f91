"""Recommendations and hints: recorded by IT management, handed to offices or worked into a
council paper, and tracked through progress updates until implemented or not."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from beirat.board.models import Milestone, OfficeAssignment, ProgressUpdate, Recommendation
from beirat.core import audit, wiring
from beirat.core.models import User
from beirat.council.models import Paper
from beirat.directory.models import OrganizationalUnit

RECOMMENDATION_FIELDS = ("kind", "title", "text", "status", "reason", "progress", "public", "paper")


def record(
    *, recommendation: Recommendation, offices: Iterable[OrganizationalUnit], actor: User | None
) -> Recommendation:
    """Store a new recommendation and hand it to ``offices``. Side effects: audit; after
    commit a mail to each office."""
    offices = list(offices)
    _check_offices(offices)
    with transaction.atomic():
        recommendation.created_by = actor
        audit.save_audited(recommendation, actor=actor, action="board.record_recommendation")
        for office in offices:
            _assign(recommendation, office, actor)
    return recommendation


def edit(*, recommendation: Recommendation, actor: User) -> Recommendation:
    """Save changed wording, kind, visibility or paper. Side effect: audit."""
    with transaction.atomic():
        return audit.save_audited(recommendation, actor=actor, action="board.edit_recommendation")


def assign_offices(
    *, recommendation: Recommendation, offices: Iterable[OrganizationalUnit], actor: User
) -> list[OfficeAssignment]:
    """Hand the recommendation to further offices (offices it already has are refused)."""
    offices = list(offices)
    _check_offices(offices)
    already = set(recommendation.assignments.values_list("office_id", flat=True))
    doubled = [str(office) for office in offices if office.pk in already]
    if doubled:
        raise ValidationError(
            {
                "offices": gettext("Bereits zugewiesen: %(offices)s")
                % {"offices": ", ".join(doubled)}
            }
        )
    with transaction.atomic():
        return [_assign(recommendation, office, actor) for office in offices]


def link_paper(*, recommendation: Recommendation, paper: Paper | None, actor: User) -> None:
    """Work the recommendation into a council paper (a resolution proposal), or undo that."""
    if paper is not None and paper.paper_type != Paper.Type.RESOLUTION_PROPOSAL:
        raise ValidationError(
            {"paper": gettext("Empfehlungen werden in Beschlussvorlagen eingearbeitet.")}
        )
    with transaction.atomic():
        recommendation.paper = paper
        audit.save_audited(recommendation, actor=actor, action="board.link_paper")


def report_progress(
    *,
    recommendation: Recommendation,
    text: str,
    status: str,
    progress: int | None,
    public: bool,
    actor: User,
    office: OrganizationalUnit | None = None,
    reason: str = "",
) -> ProgressUpdate:
    """A timeline entry that may move the status and the percentage. "nicht umgesetzt" needs a
    reason; "umgesetzt" means 100 %. Side effects: the recommendation's status, audit."""
    if not text.strip():
        raise ValidationError({"text": gettext("Bitte beschreiben Sie den Stand.")})
    if status == Recommendation.Status.NOT_IMPLEMENTED and not (reason or "").strip():
        raise ValidationError(
            {"reason": gettext("Bitte begründen Sie, warum die Empfehlung nicht umgesetzt wird.")}
        )
    if office is not None and not recommendation.assignments.filter(office=office).exists():
        raise ValidationError(gettext("Diese Empfehlung ist Ihrem Amt nicht zugewiesen."))
    if status == Recommendation.Status.IMPLEMENTED:
        progress = 100
    with transaction.atomic():
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        new_progress = recommendation.progress if progress is None else progress
        update = ProgressUpdate.objects.create(
            recommendation=recommendation,
            text=text,
            status=status,
            progress=new_progress,
            public=public,
            office=office,
            author=actor,
        )
        recommendation.status = status
        recommendation.progress = new_progress
        # The reason belongs to "nicht umgesetzt" only; taken up again, the old reason goes.
        recommendation.reason = reason if status == Recommendation.Status.NOT_IMPLEMENTED else ""
        audit.save_audited(recommendation, actor=actor, action="board.progress")
        if office is not None:
            _acknowledge(recommendation, office)
    return update


def acknowledge(*, assignment: OfficeAssignment, actor: User) -> None:
    """The office confirms it has taken the recommendation on. Side effect: audit."""
    if assignment.status == OfficeAssignment.Status.ACKNOWLEDGED:
        raise ValidationError(gettext("Ihr Amt hat diese Empfehlung bereits angenommen."))
    with transaction.atomic():
        _acknowledge(assignment.recommendation, assignment.office)
        audit.record(actor=actor, action="board.acknowledge", instance=assignment)


def add_milestone(*, milestone: Milestone, actor: User) -> Milestone:
    with transaction.atomic():
        return audit.save_audited(milestone, actor=actor, action="board.milestone")


# Internals -------------------------------------------------------------------------------------


def _check_offices(offices: list[OrganizationalUnit]) -> None:
    unknown = [office for office in offices if office.pk is None]
    not_offices = [office for office in offices if office.kind != OrganizationalUnit.Kind.OFFICE]
    if unknown or not_offices:
        raise ValidationError({"offices": gettext("Bitte wählen Sie bestehende Fachämter.")})


def _assign(
    recommendation: Recommendation, office: OrganizationalUnit, actor: User | None
) -> OfficeAssignment:
    assignment = OfficeAssignment.objects.create(recommendation=recommendation, office=office)
    audit.record_creation(actor=actor, action="board.assign_office", instance=assignment)
    if office.email:
        _mail_office(assignment)
    return assignment


def _acknowledge(recommendation: Recommendation, office: OrganizationalUnit) -> None:
    sent = OfficeAssignment.objects.filter(
        recommendation=recommendation, office=office, status=OfficeAssignment.Status.SENT
    )
    wiring.update_rows(
        sent, status=OfficeAssignment.Status.ACKNOWLEDGED, acknowledged_at=timezone.now()
    )


def _mail_office(assignment: OfficeAssignment) -> None:
    url = settings.BEIRAT_SITE_URL + reverse(
        "board:office_assignment", kwargs={"pk": assignment.pk}
    )
    with translation.override("de"):
        body = render_to_string(
            "board/mail/assigned_to_office.txt", {"assignment": assignment, "url": url}
        )
        subject = gettext("Empfehlung des Digitalbeirats für Ihr Amt: %(title)s") % {
            "title": assignment.recommendation.title
        }
    EmailMessage(subject=subject, body=body, to=[assignment.office.email]).send()
