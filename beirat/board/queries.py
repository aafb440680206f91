"""Reads of the board app. Public reads never touch a member; members' reads never touch a
submitter."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from beirat.board.models import (
    BoardStatement,
    ExpertAnswer,
    ExpertRequest,
    MemberPseudonym,
    OfficeAssignment,
    ProgressUpdate,
    Recommendation,
    Report,
)
from beirat.core.models import User
from beirat.core.roles import AnyUser, Role
from beirat.council import queries as council
from beirat.council.models import Consultation, Meeting, Paper
from beirat.directory.models import Committee
from beirat.directory.queries import offices_of

# Members' area and IT management -----------------------------------------------------------


def board_members_to_notify() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, groups__name=Role.BOARD_MEMBER.value, email__gt=""
    ).distinct()


def triage_addresses() -> list[str]:
    users = User.objects.filter(is_active=True, groups__name=Role.TRIAGE.value, email__gt="")
    return sorted(set(users.values_list("email", flat=True)))


def requests_for_board() -> QuerySet[ExpertRequest]:
    return ExpertRequest.objects.prefetch_related("answers").select_related("statement")


def get_request(pk: int) -> ExpertRequest:
    return get_object_or_404(ExpertRequest.objects.select_related("statement"), pk=pk)


@dataclass(frozen=True)
class ShownAnswer:
    """An answer as the board area shows it: under the member's pseudonym, never the name."""

    author: str
    text: str
    own: bool
    modified_at: object


def answers_as_seen_by(request: ExpertRequest, viewer: AnyUser) -> list[ShownAnswer]:
    answers = (
        ExpertAnswer.objects.filter(request=request)
        .select_related("author")
        .order_by("created_at", "id")
    )
    return [
        ShownAnswer(
            author=str(answer.author.label),
            text=answer.text,
            own=viewer.pk is not None and answer.author.member_id == viewer.pk,
            modified_at=answer.modified_at,
        )
        for answer in answers
    ]


def own_answer(request: ExpertRequest, member: AnyUser) -> ExpertAnswer | None:
    if member.pk is None:
        return None
    return ExpertAnswer.objects.filter(request=request, author__member_id=member.pk).first()


# The link between accounts and pseudonyms: the privacy role only (rules.can_see_pseudonym_links)


@dataclass(frozen=True)
class PseudonymLink:
    """One pseudonym and the account behind it (None once the account is deleted)."""

    label: str
    number: int
    account: User | None
    answers: int


def pseudonym_links() -> list[PseudonymLink]:
    """Every pseudonym ever given, with its account. Callers check
    rules.can_see_pseudonym_links first and audit every look (services/privacy.py)."""
    found = (
        MemberPseudonym.objects.select_related("member")
        .annotate(answer_count=Count("answers"))
        .order_by("number")
    )
    return [
        PseudonymLink(
            label=str(pseudonym.label),
            number=pseudonym.number,
            account=pseudonym.member,
            answers=pseudonym.answer_count,
        )
        for pseudonym in found
    ]


def board_committees() -> QuerySet[Committee]:
    return Committee.objects.filter(kind=Committee.Kind.ADVISORY_BOARD)


def public_board_committees() -> QuerySet[Committee]:
    return board_committees().filter(public=True)


def public_updates() -> QuerySet[ProgressUpdate]:
    """Progress reports a visitor may read (offices' and IT management's public notes)."""
    return ProgressUpdate.objects.filter(public=True)


def public_parts_of(recommendation: Recommendation) -> list[Recommendation]:
    return list(recommendation.parts.filter(public=True))


def public_paper_of(recommendation: Recommendation) -> Paper | None:
    """The council paper the recommendation went into, if a visitor may see it."""
    paper = recommendation.paper
    return paper if paper is not None and paper.is_public else None


def board_meetings() -> QuerySet[Meeting]:
    """Every meeting of the board, for its members and IT management."""
    reports = Prefetch("board_reports", queryset=Report.objects.order_by("created_at", "id"))
    return (
        Meeting.objects.filter(committee__in=board_committees())
        .select_related("committee")
        .prefetch_related("agenda_items", reports)
        .order_by("-start")
    )


def get_board_meeting(pk: int) -> Meeting:
    return get_object_or_404(board_meetings(), pk=pk)


def get_report(pk: int) -> Report:
    return get_object_or_404(Report.objects.select_related("meeting"), pk=pk)


# Recommendations ---------------------------------------------------------------------------


def recommendations_for_staff() -> QuerySet[Recommendation]:
    return Recommendation.objects.select_related("paper", "statement", "meeting").prefetch_related(
        "assignments__office", "parts"
    )


def get_recommendation_for_staff(pk: int) -> Recommendation:
    return get_object_or_404(recommendations_for_staff(), pk=pk)


def assignments_for_office(user: AnyUser) -> QuerySet[OfficeAssignment]:
    return (
        OfficeAssignment.objects.filter(office__in=offices_of(user))
        .select_related("recommendation", "office")
        .order_by("status", "-created_at")
    )


def get_assignment_for_office(user: AnyUser, pk: int) -> OfficeAssignment:
    return get_object_or_404(assignments_for_office(user), pk=pk)


def timeline(recommendation: Recommendation, *, public_only: bool) -> list[ProgressUpdate]:
    updates = recommendation.updates.select_related("office").order_by("created_at", "id")
    if public_only:
        updates = updates.filter(public=True)
    return list(updates)


def rolled_up_progress(recommendation: Recommendation) -> int:
    """Its own percentage, or the mean of its parts' (recursively); 100 once implemented."""
    if recommendation.status == Recommendation.Status.IMPLEMENTED:
        return 100
    parts = list(recommendation.parts.all())
    if not parts:
        return int(recommendation.progress)
    return round(sum(rolled_up_progress(part) for part in parts) / len(parts))


# Choices that other apps (alerts) name, so that they need not import the models.
RecommendationStatus = Recommendation.Status


# Public --------------------------------------------------------------------------------------


def public_statements() -> QuerySet[BoardStatement]:
    return BoardStatement.objects.only("id", "title", "text", "published_at")


def get_public_statement(pk: int) -> BoardStatement:
    return get_object_or_404(public_statements(), pk=pk)


def public_recommendations(status: str = "") -> QuerySet[Recommendation]:
    found = Recommendation.objects.filter(public=True).select_related("paper", "statement")
    found = found.prefetch_related("assignments__office", "parts")
    if status in Recommendation.Status.values:
        found = found.filter(status=status)
    return found


def get_public_recommendation(pk: int) -> Recommendation:
    return get_object_or_404(public_recommendations(), pk=pk)


def latest_public_statements(limit: int) -> QuerySet[BoardStatement]:
    """The board's statements, the last published first (the statements feed)."""
    return public_statements().order_by("-published_at", "-id")[:limit]


def recently_changed_public_recommendations(limit: int) -> QuerySet[Recommendation]:
    """Public recommendations and hints, the last entered or changed first (their feed)."""
    return Recommendation.objects.filter(public=True).order_by("-modified_at", "-id")[:limit]


def public_counts() -> list[tuple[str, str, int]]:
    return _counts(Recommendation.objects.filter(public=True))


def staff_counts() -> list[tuple[str, str, int]]:
    return _counts(Recommendation.objects.all())


def _counts(found: QuerySet[Recommendation]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the order of the statuses."""
    counts = Counter(found.values_list("status", flat=True))
    return [
        (value, str(label), counts.get(value, 0)) for value, label in Recommendation.Status.choices
    ]


def public_status_labels() -> list[tuple[str, str]]:
    """(status, label) of the implementation statuses, in their order."""
    return [(value, str(label)) for value, label in Recommendation.Status.choices]


def public_statuses_by_entry() -> list[tuple[datetime.datetime, str]]:
    """(entered at, status now) of every public recommendation and hint (the figures page)."""
    return list(Recommendation.objects.filter(public=True).values_list("created_at", "status"))


def public_board_meetings() -> QuerySet[Meeting]:
    """The board's meetings as the public sees them: dates and public agenda items only."""
    return (
        Meeting.objects.filter(committee__in=board_committees())
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("-start")
    )


def public_board_meetings_with_reports() -> QuerySet[Meeting]:
    """The board's meetings for /beirat/, each with its public reports of a public meeting;
    minutes only once the meeting has taken place (council.taken_place_q())."""
    shown = (
        Report.objects.filter(public=True, meeting__public=True)
        .exclude(Q(kind=Report.Kind.MINUTES) & ~council.taken_place_q("meeting__"))
        .order_by("created_at", "id")
    )
    return public_board_meetings().prefetch_related(
        Prefetch("board_reports", queryset=shown, to_attr="public_reports")
    )


def requests_about(submission_id: int) -> list[ExpertRequest]:
    return list(
        ExpertRequest.objects.filter(submission_id=submission_id).select_related("statement")
    )


def statements_for_submission(submission_id: int) -> list[BoardStatement]:
    return list(BoardStatement.objects.filter(request__submission_id=submission_id))


@dataclass(frozen=True)
class ChainLink:
    """One recommendation on a submission's tracking page, with the paper and its decisions."""

    recommendation: Recommendation
    progress: int
    paper: Paper | None
    decisions: list[Consultation]


def chain_for_submission(submission_id: int) -> list[ChainLink]:
    """idea → statement → recommendation → paper → decision → implemented, public parts only."""
    found = public_recommendations().filter(statement__request__submission_id=submission_id)
    links = []
    for item in found.order_by("created_at", "id"):
        paper = item.paper if item.paper is not None and item.paper.is_public else None
        decisions: list[Consultation] = []
        if paper is not None:
            decisions = list(
                paper.consultations.exclude(outcome="")
                .filter(council.consultations_with_results())  # none before the meeting
                .select_related("committee", "meeting")
                .order_by("position", "planned_date", "id")
            )
        links.append(ChainLink(item, rolled_up_progress(item), paper, decisions))
    return links
