"""Public council pages (/vorlagen/, /sitzungen/, /beschlusskontrolle/) and the clerk workplace."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from beirat.core import contributions, downloads
from beirat.core.page_cache import public_page
from beirat.core.pagination import paginate
from beirat.council import calendars, queries
from beirat.council.documents import current_pdf, invitation_document, minutes_document
from beirat.council.forms import MeetingFilterForm, PaperFilterForm, outcome_legend
from beirat.council.listing import PAPER_ROW_FIELDS, paper_rows
from beirat.council.months import month_of
from beirat.council.pdf import title_line
from beirat.directory import queries as directory_queries
from beirat.directory.models import Committee


@public_page(params=["seite"])
def papers(request: HttpRequest) -> HttpResponse:
    form = PaperFilterForm(request.GET or None)
    chosen = form.chosen()
    papers = queries.paper_list(request.user, chosen)
    if papers is None:
        page = paginate(request, [])
    else:
        count = queries.paper_list_count(request.user, chosen, papers)
        page = paginate(request, papers.values(*PAPER_ROW_FIELDS), count=count)
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "form": form,
        "page": page,
        "rows": paper_rows(page.object_list),
        "filter_query": query.urlencode(),
        "search_unavailable": papers is None,
    }
    return render(request, "council/papers.html", context)


@public_page()
def paper(request: HttpRequest, reference: str) -> HttpResponse:
    found = queries.get_paper_for(request.user, reference)
    context = {
        "paper": found,
        "title_line": title_line(found),
        "sections": queries.sections_of(found),
        "route": queries.route_of(found),
        "outcome_legend": outcome_legend(),
        "related": queries.related_papers(request.user, found),
        "mandates": queries.mandates_of(found),
        "attachments": queries.attachments_of(found),
        "downloads": contributions.parts(contributions.PAPER_DOWNLOADS, request, found),
        "parts": contributions.parts(contributions.PAPER_PAGE, request, found),
    }
    return render(request, "council/paper.html", context)


MONTH_VIEW = "monat"


@public_page(params=["seite"])
def meetings(request: HttpRequest) -> HttpResponse:
    """The meetings as a list with filters (committee, year, coming or past) or, with
    ``ansicht=monat``, one month as a calendar (``monat=2026-03``; this month by default)."""
    month_view = request.GET.get("ansicht") == MONTH_VIEW
    form = MeetingFilterForm(request.GET or None, user=request.user, month_view=month_view)
    chosen = form.chosen()
    committee_query = f"gremium={chosen.committee.slug}" if chosen.committee else ""
    context: dict[str, object] = {
        "form": form,
        "month_view": month_view,
        "committee": chosen.committee,
        "committee_query": committee_query,
        "filtered": bool(chosen.committee or chosen.year or chosen.period),
    }
    if month_view:
        context["month"] = month_of(request.user, request.GET.get("monat", ""), chosen.committee)
    else:
        query = request.GET.copy()
        query.pop("seite", None)
        context["page"] = paginate(request, queries.meeting_list(request.user, chosen))
        context["filter_query"] = query.urlencode()
    return render(request, "council/meetings.html", context)


@public_page()
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_meeting_for(request.user, pk)
    context = {
        "meeting": found,
        "agenda": queries.agenda_of(request.user, found),
        "results_pending": found.state != queries.MeetingState.CANCELLED
        and not queries.meeting_has_results(found),
        # Calendars hold public meetings only: a clerk reading a closed one is offered none.
        "calendar_offered": queries.is_public_meeting(found),
        "has_invitation": queries.has_invitation(found),
        "has_minutes": queries.has_minutes(found),
        "attendance": queries.attendance_of(found, public=True),
    }
    return render(request, "council/meeting.html", context)


@require_safe
@public_page()
def calendar(request: HttpRequest) -> HttpResponse:
    cal = calendars.calendar(
        queries.public_calendar_meetings(),
        name=_("Sitzungen – %(city)s") % {"city": settings.CITY["name"]},
        key="sitzungen",
    )
    return calendars.response(cal, "sitzungen.ics")


@require_safe
@public_page()
def committee_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    committee = directory_queries.get_committee_for(AnonymousUser(), slug)
    cal = calendars.calendar(
        queries.public_calendar_meetings(committee),
        name=_("Sitzungen – %(committee)s") % {"committee": committee.name},
        key=f"gremium-{committee.pk}",
    )
    return calendars.response(cal, f"sitzungen-{committee.slug}.ics")


@require_safe
@public_page()
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    found = list(queries.public_calendar_meetings().filter(pk=pk))
    if not found:
        raise Http404
    cal = calendars.calendar(found, name=found[0].display_name, key=f"sitzung-{pk}-kalender")
    return calendars.response(cal, f"sitzung-{pk}.ics")


# Parts of other apps' pages (beirat/core/contributions.py) ----------------------------------


def committee_part(request: HttpRequest, committee: Committee) -> dict[str, object]:
    """The committee page's part: its next meetings, its list of meetings, calendar and feed."""
    coming = queries.MeetingFilter(committee=committee, period=queries.UPCOMING)
    every = queries.MeetingFilter(committee=committee)
    return {
        "committee": committee,
        "upcoming": list(queries.meeting_list(request.user, coming)[:3]),
        "has_meetings": queries.meeting_list(request.user, every).exists(),
        "subscriptions": queries.is_public_committee(committee),
    }


def committee_head_part(request: HttpRequest, committee: Committee) -> dict[str, object]:
    """The committee page's <link> elements to its feed and calendar, if it is public."""
    return {"committee": committee, "subscriptions": queries.is_public_committee(committee)}


def open_data_calendars(request: HttpRequest, subject: None) -> dict[str, object]:
    return {"committees": list(queries.public_committees_with_meetings())}


def open_data_feeds(request: HttpRequest, subject: None) -> dict[str, object]:
    return {"committees": list(queries.public_committees())}


def mandates(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.public_mandates())
    return render(
        request, "council/mandates.html", {"page": page, "counts": queries.mandate_counts()}
    )


def paper_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    found = queries.get_paper_for(request.user, reference)
    response = HttpResponse(current_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.reference_slug}.pdf"'
    return response


def pdf_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response


@require_safe
def meeting_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The public invitation, once the agenda is fixed: non-public items by number only."""
    found = queries.get_invitation_meeting_for(request.user, pk)
    return pdf_response(invitation_document(found), f"einladung-sitzung-{found.pk}.pdf")


@require_safe
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The public part of the minutes, once the meeting has taken place."""
    found = queries.get_minutes_meeting_for(request.user, pk)
    content = minutes_document(found, public_part=True)
    return pdf_response(content, f"niederschrift-sitzung-{found.pk}.pdf")


@require_safe
def attachment_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """An attachment of a paper, as a download: 404 unless the visitor may see the paper."""
    found = queries.get_paper_for(request.user, reference)
    attachment = queries.get_attachment_of(found, pk)
    return downloads.attachment(attachment.file, attachment.download_name, attachment.media_type)
