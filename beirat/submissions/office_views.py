"""The offices' workplace (/arbeitsplatz/amt/): submissions forwarded to the user's office."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beirat.core import downloads, editing
from beirat.core.access import acting_user, staff_page
from beirat.core.forms import run_service
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
        "forwardings": [(item, queries.office_title(item)) for item in forwardings],
        "open_only": open_only,
        "today": timezone.localdate(),
    }
    return render(request, "submissions/office/list.html", context)


@office_page
def forwarding(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_forwarding_for_office(request.user, pk)
    context = {
        "forwarding": found,
        "copy": queries.office_copy(found),
        "history": queries.office_history(found),
        "attachments": list(queries.attachments_visible_to_office(request.user, found)),
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
        success_message=_("Die Eingabe ist an das IT-Management zurückgegeben."),
        title=_("Zurückgeben: %(title)s") % {"title": found.submission.title},
        cancel_url=_url(found),
        done_url=reverse("submissions:office"),
        extra={"submit_label": _("Zurückgeben")},
    )


@office_page
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress note. An internal one is saved at once; a public one is first shown as the
    citizen will read it (tracking page and mail), then published or changed again. The
    preview carries everything typed, so "Ändern" brings the form back as it was."""
    found = queries.get_forwarding_for_office(request.user, pk)
    form = ProgressForm(editing.bound(request))
    title = _("Stand melden: %(title)s") % {"title": queries.office_title(found)}
    step = request.POST.get("step", "")
    if request.method == "POST" and step != "edit" and form.is_valid():
        data = form.cleaned_data
        public = data["visibility"] == ProgressForm.PUBLIC
        if public and step != "publish":
            previews: list[offices.ProgressPreview] = []
            show = run_service(
                form,
                lambda: previews.append(
                    offices.preview_progress(
                        forwarding=found,
                        note=data["note"],
                        expected_by=data["expected_by"],
                        track_url=_("[Link zur Seite der Eingabe]"),
                    )
                ),
            )
            if show:
                context = {
                    "form": form,
                    "title": title,
                    "preview": previews[0],
                    "cancel_url": _url(found),
                    "nav_template": PAGES.nav_template,
                }
                return render(request, "submissions/office/progress_preview.html", context)
        elif run_service(
            form,
            lambda: offices.report_progress(
                forwarding=found,
                note=data["note"],
                public=public,
                expected_by=data["expected_by"],
                actor=acting_user(request),
            ),
        ):
            done = (
                _("Der Stand ist veröffentlicht.")
                if public
                else _("Der Stand ist gespeichert. Ihn sehen nur das IT-Management und Ihr Amt.")
            )
            messages.success(request, done)
            return redirect(_url(found))
    return PAGES.show(
        request,
        form,
        title=title,
        cancel_url=_url(found),
        extra={"submit_label": _("Weiter"), "intro": ProgressForm.intro()},
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


@office_page
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An attachment IT management released for this forwarding, as a download; 404 for any
    other."""
    found = queries.get_forwarding_for_office(request.user, pk)
    item = queries.get_attachment_for_office(request.user, found, attachment_pk)
    return downloads.attachment(item.file, item.name, item.content_type)
