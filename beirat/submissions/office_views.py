"""The offices' workplace (/arbeitsplatz/amt/): submissions forwarded to the user's office."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beirat.core import editing
from beirat.core.access import acting_user, staff_page
from beirat.submissions import queries, rules
from beirat.submissions.forms import AcceptForm, CloseForwardingForm, HandBackForm, ProgressForm
from beirat.submissions.models import Forwarding
from beirat.submissions.services import offices

office_page = staff_page(rules.can_work_as_office)
PAGES = editing.FormPages("submissions/office/_nav.html")


def _url(forwarding: Forwarding) -> str:
    return reverse("submissions:office_forwarding", kwargs={"pk": forwarding.pk})


@office_page
def office(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("alle") != "1"
    forwardings = queries.forwardings_for_office(request.user, open_only=open_only)
    context = {
        "forwardings": forwardings,
        "open_only": open_only,
        "today": timezone.localdate(),
    }
    return render(request, "submissions/office/list.html", context)


@office_page
def forwarding(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_forwarding_for_office(request.user, pk)
    context = {
        "forwarding": found,
        "submission": found.submission,
        "history": queries.office_history(found),
        "today": timezone.localdate(),
    }
    return render(request, "submissions/office/forwarding.html", context)


@office_page
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_forwarding_for_office(request.user, pk)
    form = AcceptForm(
        editing.bound(request), initial={"expected_by": offices.suggested_completion(found)}
    )
    return PAGES.edit(
        request,
        form,
        action=lambda: offices.accept(
            forwarding=found,
            expected_by=form.cleaned_data["expected_by"],
            actor=acting_user(request),
        ),
        success_message=_("Ihr Amt bearbeitet die Eingabe."),
        title=_("Annehmen: %(title)s") % {"title": found.submission.title},
        cancel_url=_url(found),
        extra={"submit_label": _("Annehmen")},
    )


@office_page
def hand_back(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_forwarding_for_office(request.user, pk)
    form = HandBackForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: offices.hand_back(
            forwarding=found, reason=form.cleaned_data["reason"], actor=acting_user(request)
        ),
        success_message=_("Die Eingabe ist an die IT-Steuerung zurückgegeben."),
        title=_("Zurückgeben: %(title)s") % {"title": found.submission.title},
        cancel_url=_url(found),
        done_url=reverse("submissions:office"),
        extra={"submit_label": _("Zurückgeben")},
    )


@office_page
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_forwarding_for_office(request.user, pk)
    form = ProgressForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: offices.report_progress(
            forwarding=found,
            note=form.cleaned_data["note"],
            public=form.cleaned_data["public"],
            expected_by=form.cleaned_data["expected_by"],
            actor=acting_user(request),
        ),
        success_message=_("Der Stand wurde gespeichert."),
        title=_("Stand melden: %(title)s") % {"title": found.submission.title},
        cancel_url=_url(found),
        extra={"submit_label": _("Stand speichern")},
    )


@office_page
def close(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_forwarding_for_office(request.user, pk)
    form = CloseForwardingForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: offices.close(
            forwarding=found, result=form.cleaned_data["result"], actor=acting_user(request)
        ),
        success_message=_("Die Weiterleitung ist abgeschlossen."),
        title=_("Abschließen: %(title)s") % {"title": found.submission.title},
        cancel_url=_url(found),
        done_url=reverse("submissions:office"),
        extra={"submit_label": _("Mit diesem Ergebnis abschließen")},
    )
