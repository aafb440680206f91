"""IT management's tracking of recommendations (/arbeitsplatz/beirat/empfehlungen/) and the
offices' view of the recommendations assigned to them (/arbeitsplatz/amt/empfehlungen/)."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beirat.board import queries, rules
from beirat.board.forms import (
    AssignOfficesForm,
    MilestoneForm,
    ProgressForm,
    RecommendationForm,
    StatusFilterForm,
)
from beirat.board.models import Milestone, OfficeAssignment, Recommendation
from beirat.board.services import recommendations as services
from beirat.core import editing
from beirat.core.access import acting_user, staff_page
from beirat.core.forms import Form
from beirat.core.pagination import paginate

manager_page = staff_page(rules.can_manage_board)
office_page = staff_page(rules.can_work_as_office)
OFFICE_NAV = "submissions/office/_nav.html"
PAGES = editing.FormPages("board/staff/_nav.html")
OFFICE_PAGES = editing.FormPages(OFFICE_NAV)


def _url(recommendation: Recommendation) -> str:
    return reverse("board:staff_recommendation", kwargs={"pk": recommendation.pk})


@manager_page
def recommendations(request: HttpRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET or None)
    found = queries.recommendations_for_staff()
    status = form.data.get("status", "") if form.is_bound else ""
    if status in Recommendation.Status.values:
        found = found.filter(status=status)
    context = {"form": form, "page": paginate(request, found), "counts": queries.staff_counts()}
    return render(request, "board/staff/recommendations.html", context)


@manager_page
def recommendation_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    statement = request.GET.get("stellungnahme", "")
    if statement.isdigit() and len(statement) < 10:
        initial["statement"] = int(statement)
    form = RecommendationForm(editing.bound(request), instance=Recommendation(), initial=initial)
    return PAGES.edit(
        request,
        form,
        action=lambda: services.record(
            recommendation=form.instance,
            offices=form.cleaned_data["offices"],
            actor=acting_user(request),
        ),
        success_message=_("Die Empfehlung wurde erfasst."),
        title=_("Neue Empfehlung oder neuer Hinweis"),
        cancel_url=reverse("board:staff_recommendations"),
    )


@manager_page
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_recommendation_for_staff(pk)
    context = {
        "recommendation": found,
        "timeline": queries.timeline(found, public_only=False),
        "progress": queries.rolled_up_progress(found),
        "milestones": list(found.milestones.all()),
        "parts": list(found.parts.all()),
    }
    return render(request, "board/staff/recommendation.html", context)


@manager_page
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_recommendation_for_staff(pk)
    form = RecommendationForm(editing.bound(request), instance=found, with_offices=False)
    return PAGES.edit(
        request,
        form,
        action=lambda: services.edit(recommendation=form.instance, actor=acting_user(request)),
        success_message=_("Die Empfehlung wurde gespeichert."),
        title=_("Empfehlung bearbeiten"),
        cancel_url=_url(found),
    )


@manager_page
def recommendation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_recommendation_for_staff(pk)
    form = AssignOfficesForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.assign_offices(
            recommendation=found, offices=form.cleaned_data["offices"], actor=acting_user(request)
        ),
        success_message=_("Die Empfehlung wurde den Fachämtern zugewiesen."),
        title=_("Fachämtern zuweisen: %(title)s") % {"title": found.title},
        cancel_url=_url(found),
    )


@manager_page
def recommendation_progress(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_recommendation_for_staff(pk)
    form = ProgressForm(
        editing.bound(request), initial={"status": found.status, "progress": found.progress}
    )
    return PAGES.edit(
        request,
        form,
        action=lambda: services.report_progress(
            recommendation=found, actor=acting_user(request), **form.cleaned_data
        ),
        success_message=_("Der Stand wurde gespeichert."),
        title=_("Stand melden: %(title)s") % {"title": found.title},
        cancel_url=_url(found),
    )


@manager_page
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_recommendation_for_staff(pk)
    form = MilestoneForm(editing.bound(request), instance=Milestone(recommendation=found))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.add_milestone(milestone=form.instance, actor=acting_user(request)),
        success_message=_("Der Meilenstein wurde gespeichert."),
        title=_("Neuer Meilenstein: %(title)s") % {"title": found.title},
        cancel_url=_url(found),
    )


@manager_page
def export(request: HttpRequest) -> HttpResponse:
    """The whole list as CSV (semicolons and UTF-8 with BOM, as German spreadsheets expect)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="empfehlungen-{stamp}.csv"'
    response.write("\ufeff")
    write_csv(response, queries.recommendations_for_staff().order_by("pk"))
    return response


def write_csv(target: HttpResponse, found: object, *, public: bool = False) -> None:
    """The list as CSV; for the public, a paper that is not public is not named either."""
    writer = csv.writer(target, delimiter=";")
    writer.writerow(
        [
            _("Nr."),
            _("Art"),
            _("Titel"),
            _("Umsetzungsstand"),
            _("Fortschritt in Prozent"),
            _("Fachämter"),
            _("Vorlage"),
            _("Öffentlich"),
            _("Erfasst am"),
            _("Begründung, warum nicht umgesetzt"),
        ]
    )
    for item in found:  # type: ignore[attr-defined]
        writer.writerow(
            [
                item.pk,
                item.get_kind_display(),
                _spreadsheet_safe(item.title),
                item.get_status_display(),
                queries.rolled_up_progress(item),
                ", ".join(str(a.office) for a in item.assignments.all()),
                _paper_reference(item, public=public),
                _("ja") if item.public else _("nein"),
                timezone.localtime(item.created_at).strftime("%d.%m.%Y"),
                _spreadsheet_safe(item.reason),
            ]
        )


def _paper_reference(item: Recommendation, *, public: bool) -> str:
    if item.paper is None or (public and not item.paper.is_public):
        return ""
    return str(item.paper.reference)


def _spreadsheet_safe(value: str) -> str:
    """A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# Offices ---------------------------------------------------------------------------------------


def _office_url(assignment: OfficeAssignment) -> str:
    return reverse("board:office_assignment", kwargs={"pk": assignment.pk})


@office_page
def office_list(request: HttpRequest) -> HttpResponse:
    context = {
        "assignments": queries.assignments_for_office(request.user),
        "nav_template": OFFICE_NAV,
    }
    return render(request, "board/office/list.html", context)


@office_page
def office_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_assignment_for_office(request.user, pk)
    context = {
        "assignment": found,
        "recommendation": found.recommendation,
        "timeline": queries.timeline(found.recommendation, public_only=False),
        "progress": queries.rolled_up_progress(found.recommendation),
        "nav_template": OFFICE_NAV,
    }
    return render(request, "board/office/assignment.html", context)


@office_page
def office_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_assignment_for_office(request.user, pk)
    form = Form(editing.bound(request))  # nothing to fill in: the button confirms
    return OFFICE_PAGES.edit(
        request,
        form,
        action=lambda: services.acknowledge(assignment=found, actor=acting_user(request)),
        success_message=_("Ihr Amt hat die Empfehlung angenommen."),
        title=_("Empfehlung annehmen: %(title)s") % {"title": found.recommendation.title},
        cancel_url=_office_url(found),
        extra={"submit_label": _("Annehmen")},
    )


@office_page
def office_progress(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_assignment_for_office(request.user, pk)
    recommendation = found.recommendation
    form = ProgressForm(
        editing.bound(request),
        initial={"status": recommendation.status, "progress": recommendation.progress},
    )
    return OFFICE_PAGES.edit(
        request,
        form,
        action=lambda: services.report_progress(
            recommendation=recommendation,
            office=found.office,
            actor=acting_user(request),
            **form.cleaned_data,
        ),
        success_message=_("Der Stand wurde gespeichert."),
        title=_("Stand melden: %(title)s") % {"title": recommendation.title},
        cancel_url=_office_url(found),
    )
