"""Reads of the council app. Public reads show only published, public records."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, F, Max, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from beirat.core import versioned_cache
from beirat.core.roles import AnyUser
from beirat.council import numbering, rules
from beirat.council.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    Mandate,
    MandateProgress,
    Meeting,
    Paper,
    PaperAttachment,
    PaperSection,
    reference_slug_of,
    shown_result,
)
from beirat.directory import queries as directory_queries
from beirat.directory import rules as directory_rules
from beirat.directory.models import Committee, Person
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
PaperType = Paper.Type
ConsultationOutcome = Consultation.Outcome
# The address form of a paper's number, for callers that read papers as rows.
paper_slug = reference_slug_of


def public_papers() -> QuerySet[Paper]:
    return Paper.objects.filter(status=Paper.Status.PUBLISHED, public=True)


def is_public_paper(paper: Paper) -> bool:
    """What public_papers() decides, for a paper already read (no second query)."""
    return rules.can_view_paper(AnonymousUser(), paper)


def withdrawn_public_papers() -> QuerySet[Paper]:
    """Papers that were public and are withdrawn, each with its number: shown only as deleted
    (nothing public is ever hard-deleted)."""
    return Paper.objects.filter(status=Paper.Status.WITHDRAWN, public=True).exclude(reference="")


def official_pdf_of(paper: Paper) -> bytes:
    """The official PDF of a paper as it is now. Read from file storage; a version not stored
    yet is rendered and stored first (beirat/council/documents.py)."""
    # Imported here: the PDF asks this module which results it may print.
    from beirat.council import documents

    return documents.current_pdf(paper)


def invitation_pdf_of(meeting: Meeting) -> bytes:
    """The invitation's PDF; ask has_invitation() first."""
    from beirat.council import documents

    return documents.invitation_document(meeting)


def public_minutes_pdf_of(meeting: Meeting) -> bytes:
    """The public part of the minutes as PDF; ask has_minutes() first."""
    from beirat.council import documents

    return documents.minutes_document(meeting, public_part=True)


# Results of meetings --------------------------------------------------------------------------
#
# One rule for every result of a meeting (outcome, votes, the agenda item's result, the decision
# text): it exists only once the meeting has taken place (services refuse it before), and it is
# never shown before, on any page, in the search index, OParl or the PDF, whoever asks. Results
# written before the rule existed, or a meeting moved into the future, stay hidden until then.


def meeting_has_results(meeting: Meeting | None) -> bool:
    """Whether results of the meeting may be shown: it has begun and was not cancelled."""
    return meeting is not None and meeting.has_taken_place


def taken_place_q(prefix: str = "") -> Q:
    """The meetings whose results may be shown, as a filter (``prefix``: "meeting__" …)."""
    return Q(**{f"{prefix}start__lte": timezone.now()}) & ~Q(
        **{f"{prefix}state": Meeting.State.CANCELLED}
    )


def consultation_has_results(consultation: Consultation) -> bool:
    """Whether the outcome and votes of a route entry may be shown: its meeting (or its agenda
    item's meeting) has taken place; without a meeting, its date is not in the future."""
    meeting = consultation.meeting
    if meeting is None and consultation.agenda_item is not None:
        meeting = consultation.agenda_item.meeting
    held = meeting.has_taken_place if meeting is not None else None
    return _route_entry_has_results(held, consultation.planned_date)


def _route_entry_has_results(held: bool | None, planned_date: datetime.date | None) -> bool:
    """consultation_has_results() once its meeting is known: ``held`` says whether the meeting
    (or the agenda item's meeting) has taken place, None when the entry has neither."""
    if held is not None:
        return held
    return planned_date is None or planned_date <= timezone.localdate()


def consultations_with_results() -> Q:
    """consultation_has_results() as a filter on consultations (outcome and votes may show)."""
    held = taken_place_q("meeting__")
    held_item = Q(meeting__isnull=True) & taken_place_q("agenda_item__meeting__")
    undated = Q(meeting__isnull=True, agenda_item__isnull=True) & (
        Q(planned_date__isnull=True) | Q(planned_date__lte=timezone.localdate())
    )
    return held | held_item | undated


def _refuse_save(*args: object, **kwargs: object) -> None:
    raise RuntimeError("A record with withheld results is for display only.")


VOTE_FIELDS = ("votes_yes", "votes_no", "votes_abstain", "votes_biased")
# What a route entry shows once its meeting has taken place, and what it shows before.
WITHHELD_RESULTS: dict[str, str | None] = {"outcome": "", **dict.fromkeys(VOTE_FIELDS)}


def _has_any_result(outcome: str, votes: tuple[int | None, ...]) -> bool:
    return bool(outcome or sum(count or 0 for count in votes))


def shown_consultation(consultation: Consultation) -> Consultation:
    """The route entry as it may be shown: outcome and votes cleared (on this instance only,
    which can no longer be saved) while its meeting has not taken place."""
    votes = tuple(getattr(consultation, name) for name in VOTE_FIELDS)
    if _has_any_result(consultation.outcome, votes) and not consultation_has_results(consultation):
        for name, value in WITHHELD_RESULTS.items():
            setattr(consultation, name, value)
        setattr(consultation, "save", _refuse_save)  # noqa: B010
    return consultation


@dataclass(frozen=True)
class ItemResult:
    """What an agenda item's meeting produced, as it may be shown: empty before it took place."""

    result: str = ""
    decision_text: str = ""
    consultation: Consultation | None = None

    @property
    def outcome_label(self) -> str:
        if self.consultation is not None and self.consultation.outcome:
            return str(self.consultation.get_outcome_display())
        return shown_result(self.result)

    @property
    def exists(self) -> bool:
        return bool(self.result or self.decision_text or self.outcome_label)


def result_of(item: AgendaItem, consultation: Consultation | None = None) -> ItemResult:
    """The result, decision text and route entry (outcome, votes) of an agenda item, withheld
    while its meeting has not taken place. ``item.meeting`` and ``item.decision`` should be
    read with the item (select_related)."""
    if not meeting_has_results(item.meeting):
        return ItemResult(consultation=shown_consultation(consultation) if consultation else None)
    decision: Decision | None = getattr(item, "decision", None)
    return ItemResult(
        result=item.result,
        decision_text=decision.text if decision is not None else "",
        consultation=consultation,
    )


def public_consultations() -> QuerySet[Consultation]:
    """The committee route of public papers. An entry's meeting or agenda item may still be
    closed: ask is_public_meeting() and is_on_public_agenda() before linking them."""
    # A join, not ``paper__in=public_papers()``: SQLite listed every public paper for that
    # subquery, even when asked for the route of a hundred.
    return Consultation.objects.filter(paper__status=Paper.Status.PUBLISHED, paper__public=True)


# The columns of a route entry as rows (public_route_rows()), without the paper's.
ROUTE_ROW_FIELDS = (
    "id",
    "paper_id",
    "committee_id",
    "meeting_id",
    "agenda_item_id",
    "role",
    "authoritative",
    "outcome",
    "planned_date",
    *VOTE_FIELDS,
    "created_at",
    "modified_at",
)


def public_route_rows(of_papers: Q) -> list[dict[str, Any]]:
    """The committee route of the papers ``of_papers`` selects (a filter on consultations:
    ``Q(paper_id__in=…)``) as shown_route_rows(), in ROUTE_ORDER."""
    return shown_route_rows(public_consultations().filter(of_papers).order_by(*ROUTE_ORDER))


def shown_route_rows(consultations: QuerySet[Consultation]) -> list[dict[str, Any]]:
    """Route entries read from public_consultations() (filtered, ordered or sliced by the
    caller) as rows (``.values()``: a list page reads hundreds, and model instances cost more
    than the query), as anyone may see them. Each row says whether its meeting may be linked
    (``meeting_shown``, as is_public_meeting() decides) and whether its agenda item is on the
    public agenda (``agenda_item_shown``, as is_on_public_agenda()); outcome and votes are
    withheld as shown_consultation() withholds them."""
    rows = list(consultations.values(*ROUTE_ROW_FIELDS))
    # The meetings and agenda items, read only when the entries have any (undated entries
    # have neither).
    meetings = _meetings_as_shown({row["meeting_id"] for row in rows} - {None})
    items = _agenda_items_as_shown({row["agenda_item_id"] for row in rows} - {None})
    for row in rows:
        meeting = meetings.get(row["meeting_id"])
        item = items.get(row["agenda_item_id"])
        row["meeting_shown"] = meeting is not None and meeting.shown
        row["agenda_item_shown"] = item is not None and item.shown
        held = meeting.held if meeting else item.held if item else None
        votes = tuple(row[name] for name in VOTE_FIELDS)
        if _has_any_result(row["outcome"], votes) and not _route_entry_has_results(
            held, row["planned_date"]
        ):
            row.update(WITHHELD_RESULTS)
    return rows


@dataclass(frozen=True)
class _Shown:
    shown: bool  # may be linked from a public page
    held: bool  # has taken place (Meeting.has_taken_place, of the item's meeting for an item)


def _meetings_as_shown(keys: set[int]) -> dict[int, _Shown]:
    if not keys:
        return {}
    rows = (
        Meeting.objects.filter(pk__in=keys)
        .annotate(
            shown=ExpressionWrapper(public_meeting_q(), BooleanField()),
            held=ExpressionWrapper(taken_place_q(), BooleanField()),
        )
        .values_list("pk", "shown", "held")
    )
    return {key: _Shown(bool(shown), bool(held)) for key, shown, held in rows}


def _agenda_items_as_shown(keys: set[int]) -> dict[int, _Shown]:
    if not keys:
        return {}
    rows = (
        AgendaItem.objects.filter(pk__in=keys)
        .annotate(
            shown=ExpressionWrapper(Q(public=True), BooleanField()),
            held=ExpressionWrapper(taken_place_q("meeting__"), BooleanField()),
        )
        .values_list("pk", "shown", "held")
    )
    return {key: _Shown(bool(shown), bool(held)) for key, shown, held in rows}


def mandates_of_public_papers() -> QuerySet[Mandate]:
    """The mandates of public papers, nothing joined or prefetched (to prefetch onto papers;
    public_mandates() is the list of the mandates page)."""
    return Mandate.objects.filter(paper__status=Paper.Status.PUBLISHED, paper__public=True)


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


def paper_filter_choices() -> tuple[list[int], QuerySet[Committee]]:
    """The years that have public papers and the committees that handed public ones in: the
    filter's choices, each a scan of every paper, hence cached per change; read together (one
    read of the version and one of both values: with the database cache two queries, not four)."""
    found = versioned_cache.cached_many(
        PAPERS, {"years": _paper_years, "originators": _originator_ids}
    )
    return found["years"], Committee.objects.filter(pk__in=found["originators"])


def _paper_years() -> list[int]:
    return sorted({day.year for day in public_papers().dates("date", "year")}, reverse=True)


def _originator_ids() -> list[int]:
    with_papers = Committee.objects.filter(public=True, originated_papers__isnull=False)
    return list(with_papers.distinct().values_list("pk", flat=True))


# What the address of a mirrored paper can be: letters, digits, dots, hyphens. Anything else
# (a NUL byte, which PostgreSQL refuses in a query, or a very long string) is not looked up.
MIRRORED_SLUG = re.compile(r"[\w.\-]{1,60}")


def get_paper_for(user: AnyUser, reference_slug: str) -> Paper:
    """The paper with number ``AF-0013-2021`` if the user may see it, else 404."""
    # Not the paper it responds to: a second paper in the same row is more columns to build
    # and hash; the page reads it with the responses (related_papers()).
    papers = Paper.objects.select_related("division", "author_unit", "originator")
    try:
        reference = numbering.parse_reference(reference_slug)
    except ValidationError:
        paper = None
    else:
        paper = _lowest_key(papers.filter(reference=str(reference)))
    if paper is None and MIRRORED_SLUG.fullmatch(reference_slug):
        # A paper mirrored from another council information system keeps that system's number
        # (``1234/2014``, ``VO/2014/1234-01``); its address is the number with hyphens.
        mirrored = (
            papers.exclude(source_name="")
            .annotate(slug=Replace("reference", Value("/"), Value("-")))
            .filter(slug=reference_slug)
        )
        paper = _lowest_key(mirrored)
    if paper is None or not rules.can_view_paper(user, paper):
        raise Http404
    return paper


def _lowest_key(papers: QuerySet[Paper]) -> Paper | None:
    """``first()`` (the lowest key) without ORDER BY: a number is one paper's, or one per body,
    so the matches are few; ordering the query instead made Django hash every column of the
    four tables in the row (a third of the query's time)."""
    return min(papers.order_by(), key=lambda paper: paper.pk, default=None)


# Attachments (Anlagen) -----------------------------------------------------------------------
#
# An attachment has no visibility of its own: it is public exactly when its paper is. Whoever
# may see the paper (get_paper_for) sees its attachments; everything else asks public_papers().


def attachments_of(paper: Paper) -> list[PaperAttachment]:
    """The attachments of a paper the caller has already been allowed to see, in order."""
    return list(paper.attachments.order_by("order", "pk"))


def get_attachment_of(paper: Paper, pk: int) -> PaperAttachment:
    """One attachment of a paper the caller may see; 404 when it belongs to another paper."""
    return get_object_or_404(paper.attachments.select_related("paper"), pk=pk)


def public_attachments() -> QuerySet[PaperAttachment]:
    """The attachments of public papers (OParl)."""
    # A join, as in public_consultations(): ``paper__in=public_papers()`` made SQLite list
    # every public paper for the subquery, even when asked for the attachments of a hundred.
    return PaperAttachment.objects.filter(
        paper__status=Paper.Status.PUBLISHED, paper__public=True
    ).select_related("paper")


def get_attachment_for_staff(pk: int) -> PaperAttachment:
    return get_object_or_404(PaperAttachment.objects.select_related("paper"), pk=pk)


def sections_of(paper: Paper) -> list[PaperSection]:
    return list(paper.sections.order_by("position"))


def mandates_of(paper: Paper) -> list[Mandate]:
    return list(paper.mandates.select_related("responsible_unit").order_by("status", "due_date"))


# The route in the order of its dates; undated entries last, in their planned order.
ROUTE_ORDER = (F("planned_date").asc(nulls_last=True), "position", "id")


def route_order_key(consultation: Consultation) -> tuple[bool, datetime.date, int, int]:
    """ROUTE_ORDER in Python, for the few entries of one paper."""
    planned = consultation.planned_date
    return (planned is None, planned or datetime.date.min, consultation.position, consultation.pk)


def _route(paper: Paper) -> list[Consultation]:
    # Sorted here, not by the database: with four related tables in the row, ordering the
    # query made Django hash every selected column (a third of the query's time).
    entries = paper.consultations.select_related(
        "committee", "meeting", "agenda_item", "agenda_item__meeting"
    ).order_by()
    return sorted(entries, key=route_order_key)


def route_of(paper: Paper) -> list[Consultation]:
    """The paper's committee route as anyone may see it: by date, results of meetings that have
    not taken place withheld (shown_consultation())."""
    return [shown_consultation(consultation) for consultation in _route(paper)]


def route_for_staff(paper: Paper) -> list[Consultation]:
    """The route as stored, for the council office (which also sees results it must correct)."""
    return _route(paper)


def related_papers(user: AnyUser, paper: Paper) -> list[Paper]:
    """The paper it responds to and the papers responding to it, as far as the user may see."""
    responses = Q(responds_to=paper)
    either = responses | Q(pk=paper.responds_to_id) if paper.responds_to_id else responses
    found = Paper.objects.filter(either)  # one query for both
    # The one it responds to first, then the responses in their order (Paper.Meta.ordering).
    related = sorted(found, key=lambda item: item.pk != paper.responds_to_id)
    return [item for item in related if rules.can_view_paper(user, item)]


def public_meeting_q(prefix: str = "") -> Q:
    """public_meetings() as a filter, also on a related meeting (``prefix``: "meeting__" …)."""
    return Q(**{f"{prefix}public": True, f"{prefix}committee__public": True})


def public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(public_meeting_q())


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


@dataclass(frozen=True)
class MeetingFilter:
    committee: Committee | None = None
    year: int | None = None
    period: str = ""  # UPCOMING, PAST or "" (all)


UPCOMING, PAST = "kommende", "vergangene"


def _upcoming_q() -> Q:
    """Meetings not over yet: starting later, or begun and still running by their end."""
    now = timezone.now()
    return Q(start__gte=now) | Q(end__gte=now)


def meeting_list(user: AnyUser, chosen: MeetingFilter) -> QuerySet[Meeting]:
    """The meetings the user may see matching the filters: coming ones soonest first, the
    others newest first."""
    meetings = meetings_visible_to(user)
    if chosen.committee is not None:
        meetings = meetings.filter(committee=chosen.committee)
    if chosen.year:
        zone = timezone.get_current_timezone()
        first = datetime.datetime(chosen.year, 1, 1, tzinfo=zone)
        meetings = meetings.filter(start__gte=first, start__lt=first.replace(year=chosen.year + 1))
    if chosen.period == UPCOMING:
        return meetings.filter(_upcoming_q()).order_by("start", "id")
    if chosen.period == PAST:
        return meetings.exclude(_upcoming_q())
    return meetings


def meetings_between(
    user: AnyUser, first: datetime.date, last: datetime.date, committee: Committee | None = None
) -> list[Meeting]:
    """The meetings the user may see that begin on the days ``first`` to ``last`` (local),
    in the order of their beginning (the month view)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    meetings = meetings_visible_to(user).filter(start__gte=start, start__lt=end)
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    return list(meetings.order_by("start", "id"))


def neighbouring_meeting_days(
    user: AnyUser, first: datetime.date, last: datetime.date, committee: Committee | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The local days of the last meeting before ``first`` and of the first after ``last``
    that the user may see (of one committee), None where there is none: the month view steps
    from month to month with meetings, so no one (and no crawler) pages through empty months
    without end."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    meetings = meetings_visible_to(user)
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    before = meetings.filter(start__lt=start).order_by("-start").values_list("start", flat=True)
    after = meetings.filter(start__gte=end).order_by("start").values_list("start", flat=True)
    earlier, later = before.first(), after.first()
    return (
        timezone.localtime(earlier).date() if earlier else None,
        timezone.localtime(later).date() if later else None,
    )


def meeting_years(user: AnyUser) -> list[int]:
    """The years (local) in which meetings the user may see begin, newest first."""
    starts = meetings_visible_to(user).order_by().datetimes("start", "year")
    return sorted({moment.year for moment in starts}, reverse=True)


def meeting_committees(user: AnyUser) -> QuerySet[Committee]:
    """The committees with meetings the user may see (the filter of /sitzungen/)."""
    with_meetings = meetings_visible_to(user).order_by().values("committee_id")
    return Committee.objects.filter(pk__in=with_meetings).order_by("kind", "name")


# Calendars and feeds: public records only, whoever asks (a feed reader or a calendar program
# sends no login, and what it keeps must not depend on who subscribed).


def is_public_committee(committee: Committee) -> bool:
    """Whether a committee (already read) is public, and so has a calendar and a feed."""
    return directory_rules.can_view_committee(AnonymousUser(), committee)


def public_committees_with_meetings() -> QuerySet[Committee]:
    """Public committees that have public meetings (their calendars, on /offene-daten/)."""
    return meeting_committees(AnonymousUser())


def public_committees() -> QuerySet[Committee]:
    """Every public committee (each has a feed of its papers and meetings)."""
    return directory_queries.public_committees()


def public_calendar_meetings(committee: Committee | None = None) -> QuerySet[Meeting]:
    """Every public meeting (of one committee), cancelled ones included, by their beginning,
    each with its public agenda items in order as ``public_items``."""
    items = Prefetch(
        "agenda_items", queryset=public_agenda_items().order_by("order"), to_attr="public_items"
    )
    meetings = public_meetings().select_related("committee").prefetch_related(items)
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    return meetings.order_by("start", "id")


def public_agenda_of(meeting: Meeting) -> list[AgendaItem]:
    """The public items of a public meeting's agenda, in order (no results: see agenda_of)."""
    return list(public_agenda_items_of(meeting).order_by("order"))


def recently_changed_public_papers(limit: int) -> QuerySet[Paper]:
    """Public papers, the last published or changed first."""
    return public_papers().select_related("originator").order_by("-modified_at", "-id")[:limit]


def recently_changed_public_meetings(
    limit: int, committee: Committee | None = None
) -> QuerySet[Meeting]:
    """Public meetings (of one committee), the last entered or changed first, each with its
    public agenda items as ``public_items``."""
    items = Prefetch(
        "agenda_items", queryset=public_agenda_items().order_by("order"), to_attr="public_items"
    )
    meetings = public_meetings().select_related("committee").prefetch_related(items)
    if committee is not None:
        meetings = meetings.filter(committee=committee)
    return meetings.order_by("-modified_at", "-id")[:limit]


def recently_changed_public_papers_of(committee: Committee, limit: int) -> list[Paper]:
    """Public papers a committee deliberates (on its route) or handed in, the last published
    or changed first."""
    routed = public_consultations().filter(committee=committee).values("paper_id")
    papers = public_papers().filter(Q(pk__in=routed) | Q(originator=committee))
    return list(papers.select_related("originator").order_by("-modified_at", "-id")[:limit])


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    paper_visible: bool
    result: ItemResult


def agenda_of(user: AnyUser, meeting: Meeting) -> list[AgendaRow]:
    """The items the user may see, each with whether its paper may be linked and its result
    (outcome with votes, decision text), withheld while the meeting has not taken place."""
    items = meeting.agenda_items.select_related("paper", "decision", "meeting").order_by()
    if not rules.can_manage_council(user):
        items = items.filter(public=True)
    # In their order, sorted here: ordering the query made Django hash every column of the
    # four tables in the row (the key settles what the database would have left open).
    items_list = sorted(items, key=lambda item: (item.order, item.pk))
    consultations = _consultations_by_item(items_list)
    return [
        AgendaRow(
            item,
            item.paper is not None and rules.can_view_paper(user, item.paper),
            result_of(item, consultations.get(item.pk)),
        )
        for item in items_list
    ]


def _consultations_by_item(items: list[AgendaItem]) -> dict[int, Consultation]:
    found: dict[int, Consultation] = {}
    rows = Consultation.objects.filter(agenda_item__in=items).select_related(
        "committee", "meeting", "agenda_item__meeting"
    )
    # The first entry (lowest key) per item, chosen here rather than by ORDER BY (see above).
    for consultation in sorted(rows.order_by(), key=lambda entry: entry.pk):
        if consultation.agenda_item_id is not None:
            found.setdefault(consultation.agenda_item_id, consultation)
    return found


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


@dataclass(frozen=True)
class MandateDates:
    """What the figures page needs of a public mandate: when it was entered, when it was done
    (None while it is not), and when it is due."""

    created_at: datetime.datetime
    completed_on: datetime.date | None
    due_date: datetime.date | None


def public_mandate_dates() -> list[MandateDates]:
    rows = mandates_of_public_papers().values_list(
        "created_at", "status", "completed_on", "due_date"
    )
    return [
        MandateDates(created, completed if status == Mandate.Status.DONE else None, due)
        for created, status, completed, due in rows
    ]


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
        AgendaItem.objects.select_related("meeting", "meeting__committee", "paper"), pk=pk
    )


def agenda_for_staff(meeting: Meeting) -> list[AgendaRow]:
    """Every item of the agenda with its stored result, for the council office."""
    items = list(
        meeting.agenda_items.select_related("paper", "decision", "meeting").order_by("order")
    )
    consultations = _consultations_by_item(items)
    rows = []
    for item in items:
        decision = getattr(item, "decision", None)
        result = ItemResult(
            item.result, decision.text if decision else "", consultations.get(item.pk)
        )
        rows.append(AgendaRow(item, True, result))
    return rows


def consultation_of_item(item: AgendaItem) -> Consultation | None:
    """The route entry treated under an agenda item (its outcome and votes), if any."""
    return (
        Consultation.objects.filter(agenda_item=item)
        .select_related("paper", "committee", "meeting", "agenda_item")
        .order_by("id")
        .first()
    )


def decision_text_of(item: AgendaItem) -> str:
    decision = Decision.objects.filter(agenda_item=item).first()
    return decision.text if decision is not None else ""


def agenda_item_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """The agenda items a route entry may name, grouped by meeting (newest first), each once."""
    items = AgendaItem.objects.select_related("meeting", "meeting__committee").order_by(
        "-meeting__start", "meeting_id", "order"
    )
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for item in items:
        label = groups.setdefault(item.meeting_id, (item.meeting.display_name, []))
        label[1].append((item.pk, str(item)))
    return list(groups.values())


def mandates_for_staff() -> QuerySet[Mandate]:
    return Mandate.objects.select_related("paper", "responsible_unit").order_by(
        "status", "due_date", "id"
    )


def get_mandate(pk: int) -> Mandate:
    return get_object_or_404(Mandate.objects.select_related("paper", "responsible_unit"), pk=pk)


# Meeting documents: invitation (Einladung) and minutes (Niederschrift) ----------------------
#
# The invitation exists once the agenda is fixed (and the meeting is not cancelled); it is the
# public invitation for everyone who may see the meeting: public items with their papers,
# non-public items only by number. The minutes exist by the rule for results of meetings
# (meeting_has_results()): never before the meeting has taken place, never for a cancelled one.
# Their public part lists the public items; the non-public part is for the council office only.


def has_invitation(meeting: Meeting) -> bool:
    return meeting.agenda_is_fixed and meeting.state != Meeting.State.CANCELLED


def has_minutes(meeting: Meeting) -> bool:
    return meeting_has_results(meeting)


def public_meetings_with_invitation() -> QuerySet[Meeting]:
    return (
        public_meetings()
        .filter(agenda_fixed_at__isnull=False)
        .exclude(state=Meeting.State.CANCELLED)
    )


def public_meetings_with_minutes() -> QuerySet[Meeting]:
    return public_meetings().filter(taken_place_q())


def get_invitation_meeting_for(user: AnyUser, pk: int) -> Meeting:
    """The meeting if the user may see it and its invitation exists, else 404."""
    meeting = get_meeting_for(user, pk)
    if not has_invitation(meeting):
        raise Http404
    return meeting


def get_minutes_meeting_for(user: AnyUser, pk: int) -> Meeting:
    """The meeting if the user may see it and its minutes exist, else 404."""
    meeting = get_meeting_for(user, pk)
    if not has_minutes(meeting):
        raise Http404
    return meeting


@dataclass(frozen=True)
class InvitationRow:
    """One line of the invitation's agenda: a non-public item shows only its number."""

    number: str
    public: bool
    name: str = ""
    paper_reference: str = ""


def invitation_agenda(meeting: Meeting) -> list[InvitationRow]:
    """The whole agenda in order, as the public invitation prints it."""
    anyone = AnonymousUser()
    rows = []
    for item in meeting.agenda_items.select_related("paper").order_by("order"):
        if not rules.can_view_agenda_item(anyone, item):
            rows.append(InvitationRow(number=item.number, public=False))
            continue
        shown_paper = item.paper is not None and rules.can_view_paper(anyone, item.paper)
        reference = item.paper.reference if shown_paper and item.paper else ""
        rows.append(InvitationRow(item.number, True, item.name, reference))
    return rows


@dataclass(frozen=True)
class MinutesRow:
    item: AgendaItem
    paper_reference: str
    result: ItemResult


def minutes_agenda(meeting: Meeting, *, public_part: bool) -> list[MinutesRow]:
    """The items of one part of the minutes (public or non-public), each with its result."""
    items = meeting.agenda_items.select_related("paper", "decision", "meeting").order_by("order")
    anyone = AnonymousUser()
    chosen = [item for item in items if rules.can_view_agenda_item(anyone, item) == public_part]
    consultations = _consultations_by_item(chosen)
    rows = []
    for item in chosen:
        paper = item.paper
        shown_paper = paper is not None and (not public_part or rules.can_view_paper(anyone, paper))
        reference = paper.reference if shown_paper and paper is not None else ""
        rows.append(MinutesRow(item, reference, result_of(item, consultations.get(item.pk))))
    return rows


@dataclass(frozen=True)
class ShownAttendance:
    """Attendance as it may be shown: counts always, names only where people may be named."""

    present_count: int
    excused_count: int
    present_names: tuple[str, ...] = ()
    excused_names: tuple[str, ...] = ()

    @property
    def present_unnamed(self) -> int:
        return self.present_count - len(self.present_names)

    @property
    def excused_unnamed(self) -> int:
        return self.excused_count - len(self.excused_names)


def attendance_of(meeting: Meeting, *, public: bool) -> ShownAttendance | None:
    """The meeting's attendance once it has taken place; None before, or when none is recorded.

    The identity shield: a board's meeting shows counts only, whoever asks. Elsewhere the public
    reads name the people who may be named publicly, the council office everyone a staff page
    may name; the others are counted only. Decided when read, so that a person who joins the
    board later is no longer named anywhere.
    """
    if not meeting_has_results(meeting):
        return None
    attendance = Attendance.objects.filter(meeting=meeting).first()
    if attendance is None:
        return None
    if not directory_rules.may_name_members_publicly(meeting.committee):
        return ShownAttendance(attendance.present_count, attendance.excused_count)
    nameable = (
        directory_queries.publicly_nameable_persons()
        if public
        else directory_queries.nameable_persons_for_staff()
    )

    def names(persons: QuerySet[Person]) -> tuple[str, ...]:
        shown = persons.filter(pk__in=nameable.values("pk")).order_by("family_name", "given_name")
        return tuple(person.full_name for person in shown)

    return ShownAttendance(
        attendance.present_count,
        attendance.excused_count,
        names(attendance.present_persons.all()),
        names(attendance.excused_persons.all()),
    )


def attendance_form_data(meeting: Meeting) -> dict[str, object]:
    """The recorded attendance as the clerk's form starts with it (the people a staff page may
    name only)."""
    attendance = Attendance.objects.filter(meeting=meeting).first()
    if attendance is None:
        return {}
    nameable = directory_queries.nameable_persons_for_staff()
    return {
        "present_count": attendance.present_count,
        "excused_count": attendance.excused_count,
        "present_persons": list(attendance.present_persons.filter(pk__in=nameable.values("pk"))),
        "excused_persons": list(attendance.excused_persons.filter(pk__in=nameable.values("pk"))),
    }


def attendance_choices(meeting: Meeting) -> QuerySet[Person]:
    """The people the clerk may name as attending: the committee's members (ever) whom staff
    pages may name; nobody for an advisory board."""
    if not directory_rules.may_name_members_publicly(meeting.committee):
        return Person.objects.none()
    members = meeting.committee.memberships.filter(person__isnull=False).values("person_id")
    return (
        directory_queries.nameable_persons_for_staff()
        .filter(pk__in=members)
        .order_by("family_name", "given_name")
    )


def minutes_modified(meeting: Meeting) -> datetime.datetime:
    """When anything the public minutes print last changed: the meeting, a public item, its
    decision or route entry, and at the earliest the meeting's beginning (they exist from then
    on). Non-public items do not count: their changes must not show in a public date."""
    return minutes_modified_of([meeting])[meeting.pk]


def minutes_modified_of(meetings: list[Meeting]) -> dict[int, datetime.datetime]:
    """minutes_modified() of several meetings (a list page), in one query, by meeting key."""
    found = {
        row.pop("meeting_id"): row
        for row in public_agenda_items()
        .filter(meeting__in=[meeting.pk for meeting in meetings])
        .order_by()
        .values("meeting_id")
        .annotate(
            item_changed=Max("modified_at"),
            decision_changed=Max("decision__modified_at"),
            consultation_changed=Max("consultations__modified_at"),
        )
    }
    modified = {}
    for meeting in meetings:
        moments = found.get(meeting.pk, {}).values()
        changed: list[datetime.datetime] = [moment for moment in moments if moment is not None]
        modified[meeting.pk] = max([meeting.modified_at, meeting.start, *changed])
    return modified
