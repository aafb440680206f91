"""Public council pages (/vorlagen/, /sitzungen/, /beschlusskontrolle/) and the clerk workplace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beirat.core import contributions
from beirat.core.page_cache import public_page
from beirat.core.pagination import paginate
from beirat.council import queries
from beirat.council.documents import current_pdf
from beirat.council.forms import PaperFilterForm, outcome_legend
from beirat.council.pdf import title_line


@public_page(params=["seite"])
def papers(request: HttpRequest) -> HttpResponse:
    form = PaperFilterForm(request.GET or None)
    chosen = form.chosen()
    papers = queries.paper_list(request.user, chosen)
    if papers is None:
        page = paginate(request, [])
    else:
        count = queries.paper_list_count(request.user, chosen, papers)
        page = paginate(request, papers, count=count)
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "form": form,
        "page": page,
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
        "downloads": contributions.parts(contributions.PAPER_DOWNLOADS, request, found),
        "parts": contributions.parts(contributions.PAPER_PAGE, request, found),
    }
    return render(request, "council/paper.html", context)


@public_page(params=["seite"])
def meetings(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.meetings_visible_to(request.user))
    return render(request, "council/meetings.html", {"page": page})


@public_page()
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_meeting_for(request.user, pk)
    context = {
        "meeting": found,
        "agenda": queries.agenda_of(request.user, found),
        "results_pending": found.state != queries.MeetingState.CANCELLED
        and not queries.meeting_has_results(found),
    }
    return render(request, "council/meeting.html", context)


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
