"""Reads of the council app. Public reads show only published, public records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beirat.core import versioned_cache
from beirat.core.roles import AnyUser
from beirat.council import documents, numbering, rules
from beirat.council.models import (
    AgendaItem,
    Consultation,
    Mandate,
    MandateProgress,
    Meeting,
    Paper,
    PaperSection,
)
from beirat.directory.models import Committee
from beirat.search import queries as search_queries


@dataclass(frozen=True)
class PaperFilter:
    text: str = ""
    paper_type: str = ""
    year: int | None = None
    committee: Committee | None = None
    originator: Committee | None = None


MAX_TEXT_MATCHES = 5_000
# The cache family of values derived from all papers (beirat/core/versioned_cache.py); bumped
# by the signals in CouncilConfig.ready().
PAPERS = "papers"

# Choices that other apps compare with or map, so that they need not import the models.
MeetingState = Meeting.State
PaperStatus = Paper.Status


def public_papers() -> QuerySet[Paper]:
    return Paper.objects.filter(status=Paper.Status.PUBLISHED, public=True)


def withdrawn_public_papers() -> QuerySet[Paper]:
    """Papers that were public and are withdrawn, each with its number: shown only as deleted
    (nothing public is ever hard-deleted)."""
    return Paper.objects.filter(status=Paper.Status.WITHDRAWN, public=True).exclude(reference="")


def official_pdf_of(paper: Paper) -> bytes:
    """The official PDF of a paper as it is now. Read from file storage; a version not stored
    yet is rendered and stored first (beirat/council/documents.py)."""
    return documents.current_pdf(paper)


def public_consultations() -> QuerySet[Consultation]:
    """The committee route of public papers. An entry's meeting or agenda item may still be
    closed: ask is_public_meeting() and is_on_public_agenda() before linking them."""
    return Consultation.objects.filter(paper__in=public_papers())


def mandates_of_public_papers() -> QuerySet[Mandate]:
    """The mandates of public papers, nothing joined or prefetched (to prefetch onto papers;
    public_mandates() is the list of the mandates page)."""
    return Mandate.objects.filter(paper__in=public_papers())


def papers_visible_to(user: AnyUser) -> QuerySet[Paper]:
    if rules.can_manage_council(user):
        return Paper.objects.all()
    return public_papers()


def paper_list(user: AnyUser, chosen: PaperFilter) -> QuerySet[Paper] | None:
    """The papers matching the filters, newest first; None while search is not ready here."""
    papers = papers_visible_to(user).select_related("originator", "author_unit")
    if chosen.text:
        # The same index and analyzer as /suche/: "Anträge" finds "Antrag", AF/0013/2021 its paper.
        ids = search_queries.matching_ids(user, chosen.text, kind="paper", limit=MAX_TEXT_MATCHES)
        if ids is None:
            return None
        papers = papers.filter(pk__in=ids)
    if chosen.paper_type:
        papers = papers.filter(paper_type=chosen.paper_type)
    if chosen.year:
        # A date range, not date__year: the index on the date serves a range, not a function.
        first = datetime.date(chosen.year, 1, 1)
        papers = papers.filter(date__gte=first, date__lt=first.replace(year=chosen.year + 1))
    if chosen.committee is not None:
        papers = papers.filter(consultations__committee=chosen.committee).distinct()
    if chosen.originator is not None:
        papers = papers.filter(originator=chosen.originator)
    return papers.order_by("-date", "-id")


def paper_list_count(user: AnyUser, chosen: PaperFilter, papers: QuerySet[Paper]) -> int | None:
    """How many papers the list holds: counted once per change of the papers (a count of a
    million rows on every view would make the list slower the bigger the archive), except for
    a text search, whose matches come from the index and are few."""
    if chosen.text:
        return None
    audience = "staff" if rules.can_manage_council(user) else "public"
    key = ":".join(
        str(part)
        for part in (
            "count",
            audience,
            chosen.paper_type,
            chosen.year,
            chosen.committee.pk if chosen.committee else "",
            chosen.originator.pk if chosen.originator else "",
        )
    )
    return versioned_cache.cached(PAPERS, key, papers.count)


def paper_years() -> list[int]:
    """The years that have public papers (a scan of every paper, hence cached per change)."""

    def compute() -> list[int]:
        return sorted({day.year for day in public_papers().dates("date", "year")}, reverse=True)

    return versioned_cache.cached(PAPERS, "years", compute)


def originators() -> QuerySet[Committee]:
    def compute() -> list[int]:
        with_papers = Committee.objects.filter(public=True, originated_papers__isnull=False)
        return list(with_papers.distinct().values_list("pk", flat=True))

    return Committee.objects.filter(pk__in=versioned_cache.cached(PAPERS, "originators", compute))


def get_paper_for(user: AnyUser, reference_slug: str) -> Paper:
    """The paper with number ``AF-0013-2021`` if the user may see it, else 404."""
    try:
        reference = numbering.parse_reference(reference_slug)
    except ValidationError:
        raise Http404 from None
    paper = (
        Paper.objects.select_related("division", "author_unit", "originator", "responds_to")
        .filter(reference=str(reference))
        .first()
    )
    if paper is None or not rules.can_view_paper(user, paper):
        raise Http404
    return paper


def sections_of(paper: Paper) -> list[PaperSection]:
    return list(paper.sections.order_by("position"))


def mandates_of(paper: Paper) -> list[Mandate]:
    return list(paper.mandates.select_related("responsible_unit").order_by("status", "due_date"))


def route_of(paper: Paper) -> list[Consultation]:
    return list(
        paper.consultations.select_related("committee", "meeting", "agenda_item").order_by(
            "position", "planned_date", "id"
        )
    )


def related_papers(user: AnyUser, paper: Paper) -> list[Paper]:
    """The paper it responds to and the papers responding to it, as far as the user may see."""
    related = [paper.responds_to] if paper.responds_to else []
    related += list(paper.responses.all())
    return [item for item in related if rules.can_view_paper(user, item)]


def public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(public=True, committee__public=True)


def is_public_meeting(meeting: Meeting) -> bool:
    """What public_meetings() decides, for a meeting already read (with its committee)."""
    return rules.can_view_meeting(AnonymousUser(), meeting)


def public_agenda_items() -> QuerySet[AgendaItem]:
    """The public items of public meetings."""
    return AgendaItem.objects.filter(public=True, meeting__in=public_meetings())


def public_agenda_items_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The public items on a meeting's agenda; none if the meeting is not public."""
    return public_agenda_items().filter(meeting=meeting)


def is_on_public_agenda(item: AgendaItem) -> bool:
    """Whether an item already read is in the public part of its agenda (its meeting may still
    be closed: see is_public_meeting())."""
    return rules.can_view_agenda_item(AnonymousUser(), item)


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all() if rules.can_manage_council(user) else public_meetings()
    return meetings.select_related("committee").order_by("-start", "-id")


def get_meeting_for(user: AnyUser, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("committee").filter(pk=pk).first()
    if meeting is None or not rules.can_view_meeting(user, meeting):
        raise Http404
    return meeting


def agenda_of(user: AnyUser, meeting: Meeting) -> list[tuple[AgendaItem, bool]]:
    """The items the user may see, each with whether its paper may be linked."""
    items = meeting.agenda_items.select_related("paper", "decision").order_by("order")
    if not rules.can_manage_council(user):
        items = items.filter(public=True)
    return [
        (item, item.paper is not None and rules.can_view_paper(user, item.paper)) for item in items
    ]


def public_mandates() -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(paper__status=Paper.Status.PUBLISHED, paper__public=True)
        .select_related("paper", "responsible_unit")
        .prefetch_related(
            Prefetch("progress", queryset=MandateProgress.objects.filter(public=True))
        )
        .order_by("status", "due_date", "id")
    )


def mandate_counts() -> dict[str, int]:
    mandates = public_mandates()
    today = timezone.localdate()
    return {
        "open": mandates.filter(status=Mandate.Status.OPEN).count(),
        "in_progress": mandates.filter(status=Mandate.Status.IN_PROGRESS).count(),
        "done": mandates.filter(status=Mandate.Status.DONE).count(),
        "overdue": mandates.filter(~Q(status=Mandate.Status.DONE), due_date__lt=today).count(),
    }


# Staff reads ------------------------------------------------------------------------------


def clerk_overview() -> dict[str, object]:
    today = timezone.localdate()
    return {
        "drafts": Paper.objects.filter(status=Paper.Status.DRAFT).count(),
        "registered": Paper.objects.filter(status=Paper.Status.REGISTERED).count(),
        "upcoming": Meeting.objects.filter(start__gte=timezone.now())
        .select_related("committee")
        .order_by("start")[:5],
        "open_mandates": Mandate.objects.exclude(status=Mandate.Status.DONE).count(),
        "overdue_mandates": Mandate.objects.exclude(status=Mandate.Status.DONE)
        .filter(due_date__lt=today)
        .count(),
    }


def papers_for_staff(status: str = "") -> QuerySet[Paper]:
    papers = Paper.objects.select_related("originator", "author_unit").order_by("-date", "-id")
    if status in Paper.Status.values:
        papers = papers.filter(status=status)
    return papers


def get_paper_for_staff(pk: int) -> Paper:
    return get_object_or_404(
        Paper.objects.select_related("division", "author_unit", "originator", "responds_to"), pk=pk
    )


def get_section(pk: int) -> PaperSection:
    return get_object_or_404(PaperSection.objects.select_related("paper"), pk=pk)


def get_consultation(pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.select_related("paper", "committee", "meeting", "agenda_item"), pk=pk
    )


def get_agenda_item(pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__committee"), pk=pk
    )


def mandates_for_staff() -> QuerySet[Mandate]:
    return Mandate.objects.select_related("paper", "responsible_unit").order_by(
        "status", "due_date", "id"
    )


def get_mandate(pk: int) -> Mandate:
    return get_object_or_404(Mandate.objects.select_related("paper", "responsible_unit"), pk=pk)
