"""The board area (/arbeitsplatz/beirat/): expert requests, answers, statements, meetings.

Members and IT management share the pages; only IT management asks, closes and publishes.
Members never see a submitter's data: a request shows its redacted excerpt only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from beirat.board import queries, rules
from beirat.board.forms import AnswerForm, ExpertRequestForm, ReportForm, StatementForm
from beirat.board.models import ExpertRequest, Report
from beirat.board.redaction import redact
from beirat.board.services import privacy, reports
from beirat.board.services import requests as request_services
from beirat.core import downloads, editing
from beirat.core.access import acting_user, staff_page
from beirat.core.forms import run_service
from beirat.core.pagination import paginate
from beirat.submissions import queries as submission_queries
from beirat.submissions.models import Submission

board_page = staff_page(rules.can_enter_board_area)
manager_page = staff_page(rules.can_manage_board)
NAV = "board/staff/_nav.html"
ASK_PAGE = editing.FormPages(NAV, "board/staff/ask.html")
PUBLISH_PAGE = editing.FormPages(NAV, "board/staff/publish.html")
REPORT_PAGE = editing.FormPages(NAV, "board/staff/report_form.html")


def _request_url(request: ExpertRequest) -> str:
    return reverse("board:request", kwargs={"pk": request.pk})


@board_page
def workplace(request: HttpRequest) -> HttpResponse:
    found = queries.requests_for_board()
    context = {
        "open_requests": [item for item in found if item.is_open],
        "page": paginate(request, found.filter(status=ExpertRequest.Status.CLOSED)),
        "meetings": queries.board_meetings()[:5],
        "can_manage": rules.can_manage_board(request.user),
    }
    return render(request, "board/staff/workplace.html", context)


@board_page
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_request(pk)
    own = queries.own_answer(found, request.user)
    form = AnswerForm(initial={"text": own.text if own else ""})
    return _request_page(request, found, form if rules.is_board_member(request.user) else None)


@staff_page(rules.is_board_member)
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_request(pk)
    form = AnswerForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: request_services.answer(
            request=found, member=acting_user(request), text=form.cleaned_data["text"]
        ),
    ):
        messages.success(request, _("Ihre Antwort wurde gespeichert."))
        return redirect(_request_url(found))
    return _request_page(request, found, form, status=400)


def _request_page(
    request: HttpRequest, found: ExpertRequest, form: AnswerForm | None, status: int = 200
) -> HttpResponse:
    """A request with the answers under pseudonyms; the answer form for members only."""
    context = {
        "expert_request": found,
        "answers": queries.answers_as_seen_by(found, request.user),
        "answer_form": form,
        "own": queries.own_answer(found, request.user),
        "can_manage": rules.can_manage_board(request.user),
    }
    return render(request, "board/staff/request.html", context, status=status)


@manager_page
def ask(request: HttpRequest) -> HttpResponse:
    """Two steps: the form, then the redacted preview; only the confirmed preview is sent."""
    submission = _submission_from(request)
    form = ExpertRequestForm(editing.bound(request), initial=_initial_from(submission))
    editing_again = "bearbeiten" in request.POST
    if request.method == "POST" and not editing_again and form.is_valid():
        confirmed = request.POST.get("senden") == "1"
        if confirmed and run_service(form, lambda: _send(request, form, submission)):
            messages.success(request, _("Die Fachfrage wurde an den Beirat gesendet."))
            return redirect(reverse("board:workplace"))
        if not form.errors:
            return _preview(request, form, submission)
    return ASK_PAGE.show(
        request,
        form,
        title=_("Fachfrage an den Digitalbeirat"),
        cancel_url=_back_to(submission),
        extra={"submit_label": _("Vorschau der Schwärzung"), "subject": submission},
    )


def _send(request: HttpRequest, form: ExpertRequestForm, submission: Submission | None) -> None:
    request_services.ask_board(
        title=form.cleaned_data["title"],
        question=form.cleaned_data["question"],
        excerpt=form.cleaned_data["excerpt"],
        deadline=form.cleaned_data["deadline"],
        submission=submission,
        actor=acting_user(request),
    )


def _preview(
    request: HttpRequest, form: ExpertRequestForm, submission: Submission | None
) -> HttpResponse:
    names = request_services.submitter_names(submission)
    context = {
        "form": form,
        "subject": submission,
        "title": redact(form.cleaned_data["title"], known_names=names),
        "question": redact(form.cleaned_data["question"], known_names=names),
        "excerpt": redact(form.cleaned_data["excerpt"], known_names=names),
        "nav_template": NAV,
        "cancel_url": _back_to(submission),
    }
    return render(request, "board/staff/ask_preview.html", context)


def _submission_from(request: HttpRequest) -> Submission | None:
    raw = request.GET.get("eingabe") or request.POST.get("eingabe") or ""
    if not raw.isdigit() or len(raw) > 9:
        return None
    submission = submission_queries.get_submission_for_triage(int(raw))
    if not submission.is_open:
        messages.error(request, _("Diese Eingabe ist abgeschlossen."))
    return submission


def _initial_from(submission: Submission | None) -> dict[str, str]:
    if submission is None:
        return {}
    return {"title": submission.title, "excerpt": submission.text}


def _back_to(submission: Submission | None) -> str:
    if submission is None:
        return reverse("board:workplace")
    return reverse("submissions:staff_detail", kwargs={"pk": submission.pk})


@manager_page
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_request(pk)
    try:
        request_services.close_request(request=found, actor=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Fachfrage ist geschlossen."))
    return redirect(_request_url(found))


@manager_page
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_request(pk)
    if hasattr(found, "statement"):
        messages.info(
            request, _("Zu dieser Fachfrage ist bereits eine Stellungnahme veröffentlicht.")
        )
        return redirect(_request_url(found))
    form = StatementForm(editing.bound(request), initial={"title": found.title})
    return PUBLISH_PAGE.edit(
        request,
        form,
        action=lambda: request_services.publish_statement(
            request=found,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            actor=acting_user(request),
        ),
        success_message=_("Die Stellungnahme des Digitalbeirats ist veröffentlicht."),
        title=_("Stellungnahme veröffentlichen: %(title)s") % {"title": found.title},
        cancel_url=_request_url(found),
        extra={
            "submit_label": _("Veröffentlichen"),
            "answers": queries.answers_as_seen_by(found, request.user),
            "expert_request": found,
        },
    )


@board_page
def meetings(request: HttpRequest) -> HttpResponse:
    context = {
        "page": paginate(request, queries.board_meetings()),
        "can_manage": rules.can_manage_board(request.user),
    }
    return render(request, "board/staff/meetings.html", context)


@board_page
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_board_meeting(pk)
    context = {
        "meeting": found,
        "reports": list(found.board_reports.all()),
        "can_manage": rules.can_manage_board(request.user),
    }
    return render(request, "board/staff/meeting.html", context)


@manager_page
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_board_meeting(pk)
    report = Report(meeting=found)
    form = ReportForm(editing.bound(request), request.FILES or None, instance=report, meeting=found)
    return REPORT_PAGE.edit(
        request,
        form,
        action=lambda: reports.add_report(
            report=form.instance, upload=form.cleaned_data["upload"], actor=acting_user(request)
        ),
        success_message=_("Der Bericht wurde gespeichert."),
        title=_("Bericht zur Sitzung %(meeting)s") % {"meeting": found.display_name},
        cancel_url=reverse("board:meeting", kwargs={"pk": found.pk}),
    )


@board_page
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = queries.get_report(pk)
    return downloads.attachment(report.file, report.file_name or "bericht")


@staff_page(rules.can_see_pseudonym_links)
@require_GET
def pseudonyms(request: HttpRequest) -> HttpResponse:
    """Which account is behind which pseudonym: the privacy role only, every look audited."""
    links = queries.pseudonym_links()
    privacy.record_look(officer=acting_user(request), shown=len(links))
    return render(request, "board/staff/pseudonyms.html", {"links": links})
