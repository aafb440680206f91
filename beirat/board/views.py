"""Public pages of the board: /beirat/ (task, statements, meetings, recommendations) and
/empfehlungen/ (every public recommendation with its status and timeline).

Nothing here names a member: statements belong to the board, progress to offices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from beirat.board import queries
from beirat.board.forms import StatusFilterForm
from beirat.board.models import Recommendation
from beirat.board.recommendation_views import write_csv
from beirat.core import contributions, downloads
from beirat.core.pagination import paginate
from beirat.directory.queries import public_members_of

if TYPE_CHECKING:
    from beirat.council.models import Paper
    from beirat.submissions.models import Submission


def home_section(request: HttpRequest, subject: None) -> dict[str, object]:
    """The start page's part: the latest statements and recommendations."""
    return {
        "statements": list(queries.public_statements()[:3]),
        "recommendations": list(queries.public_recommendations()[:3]),
    }


def paper_part(request: HttpRequest, paper: Paper) -> dict[str, object]:
    """The paper page's part: the board's public recommendations that went into the paper."""
    return {"board_recommendations": queries.public_recommendations().filter(paper=paper)}


def tracking_part(request: HttpRequest, submission: Submission) -> dict[str, object]:
    """The tracking page's part: what became of the idea (statement, recommendation, paper)."""
    return {
        "submission": submission,
        "statements": queries.statements_for_submission(submission.pk),
        "chain": queries.chain_for_submission(submission.pk),
    }


def no_context(request: HttpRequest, subject: None) -> dict[str, object]:
    """Parts that need nothing but their template (/offene-daten/)."""
    return {}


def triage_part(request: HttpRequest, submission: Submission) -> dict[str, object]:
    """IT management's view of a submission: the expert questions asked about it."""
    return {"expert_requests": queries.requests_about(submission.pk)}


def board(request: HttpRequest) -> HttpResponse:
    context = {
        "statements": queries.public_statements()[:5],
        "meetings": queries.public_board_meetings_with_reports()[:10],
        "recommendations": queries.public_recommendations()[:5],
        "counts": queries.public_counts(),
        "organisations": [
            membership
            for committee in queries.public_board_committees()
            for membership in public_members_of(committee)
        ],
        "committee": queries.public_board_committees().first(),
    }
    return render(request, "board/public/board.html", context)


def statements(request: HttpRequest) -> HttpResponse:
    context = {"page": paginate(request, queries.public_statements())}
    return render(request, "board/public/statements.html", context)


def statement(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_public_statement(pk)
    context = {
        "statement": found,
        "recommendations": queries.public_recommendations().filter(statement=found),
    }
    return render(request, "board/public/statement.html", context)


def recommendations(request: HttpRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET or None)
    status = request.GET.get("status", "")
    status = status if status in Recommendation.Status.values else ""
    context = {
        "form": form,
        "status": status,
        "filter_query": f"status={status}" if status else "",
        "page": paginate(request, queries.public_recommendations(status)),
        "counts": queries.public_counts(),
        "statuses": Recommendation.Status.choices,
    }
    return render(request, "board/public/recommendations.html", context)


def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_public_recommendation(pk)
    context = {
        "recommendation": found,
        "timeline": queries.timeline(found, public_only=True),
        "progress": queries.rolled_up_progress(found),
        "milestones": list(found.milestones.all()),
        "parts": queries.public_parts_of(found),
        "paper": queries.public_paper_of(found),
        "page_parts": contributions.parts(contributions.RECOMMENDATION_PAGE, request, found),
    }
    return render(request, "board/public/recommendation.html", context)


def recommendations_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="empfehlungen-{stamp}.csv"'
    response.write("\ufeff")
    write_csv(response, queries.public_recommendations().order_by("pk"), public=True)
    return response


def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = queries.get_report(pk)
    if not (report.public and report.meeting.public):
        raise Http404
    return downloads.attachment(report.file, report.file_name or "bericht")
