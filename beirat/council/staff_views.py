"""The clerk workplace (/arbeitsplatz/rat/): papers, committee route, meetings, mandates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beirat.core import downloads, editing
from beirat.core.access import acting_user, staff_page
from beirat.core.forms import ConfirmForm, run_service
from beirat.core.pagination import paginate
from beirat.council import queries, rules, services
from beirat.council.documents import minutes_document
from beirat.council.forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    AttachmentForm,
    AttachmentTitleForm,
    AttendanceForm,
    ConsultationForm,
    ItemResultForm,
    MandateForm,
    MandateProgressForm,
    MeetingForm,
    MoveForm,
    OutcomeForm,
    PaperForm,
    RegisterPaperForm,
    SectionForm,
)
from beirat.council.models import (
    AgendaItem,
    Consultation,
    Mandate,
    Meeting,
    Paper,
    PaperSection,
    outcome_of_result,
)
from beirat.directory.queries import the_body
from beirat.directory.services import installation_body

clerk_page = staff_page(rules.can_manage_council)
PAGES = editing.FormPages("council/staff/_nav.html")


def _paper_url(paper: Paper) -> str:
    return reverse("council:staff_paper", kwargs={"pk": paper.pk})


def _meeting_url(meeting: Meeting) -> str:
    return reverse("council:staff_meeting", kwargs={"pk": meeting.pk})


def _result_url(item: AgendaItem) -> str:
    return reverse("council:staff_decision", kwargs={"pk": item.pk})


def _refused_if_mirrored(request: HttpRequest, paper: Paper) -> HttpResponse | None:
    """A paper from another council information system is read-only."""
    return editing.refused(
        request, lambda: services.require_own_paper(paper), lambda: _paper_url(paper)
    )


def _refused_if_mirrored_meeting(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """A meeting from another council information system is read-only."""
    return editing.refused(
        request, lambda: services.require_own_meeting(meeting), lambda: _meeting_url(meeting)
    )


@clerk_page
def workplace(request: HttpRequest) -> HttpResponse:
    return render(request, "council/staff/index.html", queries.clerk_overview())


@clerk_page
def paper_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.papers_for_staff(request.GET.get("status", "")))
    return render(
        request,
        "council/staff/papers.html",
        {"page": page, "statuses": Paper.Status.choices, "status": request.GET.get("status", "")},
    )


@clerk_page
def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    paper = queries.get_paper_for_staff(pk)
    context = {
        "paper": paper,
        "sections": queries.sections_of(paper),
        "route": queries.route_for_staff(paper),
        "mandates": queries.mandates_of(paper),
        "attachments": queries.attachments_of(paper),
    }
    return render(request, "council/staff/paper.html", context)


@clerk_page
def paper_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = acting_user(request)
    # The city is made from the settings on the first POST only: a GET never writes.
    city = installation_body(actor=actor) if request.method == "POST" else the_body()
    paper = queries.get_paper_for_staff(pk) if pk else Paper(body=city)
    if (refused := _refused_if_mirrored(request, paper)) is not None:
        return refused
    form = PaperForm(editing.bound(request), instance=paper)
    save = services.update_paper if pk else services.create_paper
    return PAGES.edit(
        request,
        form,
        action=lambda: save(paper=form.instance, actor=actor),
        success_message=_("Die Vorlage wurde gespeichert."),
        title=_("Vorlage bearbeiten") if pk else _("Neue Vorlage"),
        cancel_url=reverse("council:staff_papers") if pk is None else _paper_url(paper),
        done_url=lambda: _paper_url(form.instance),  # a new paper: on to it, not to the list
    )


@clerk_page
def paper_register(request: HttpRequest, pk: int) -> HttpResponse:
    paper = queries.get_paper_for_staff(pk)
    if (refused := _refused_if_mirrored(request, paper)) is not None:
        return refused
    form = RegisterPaperForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.register_paper(
            paper=paper,
            reference=form.cleaned_data["reference"] or None,
            actor=acting_user(request),
        ),
        success_message=_("Die Vorlage wurde registriert."),
        title=_("Vorlage registrieren: %(name)s") % {"name": paper.name},
        cancel_url=_paper_url(paper),
        extra={"submit_label": _("Nummer vergeben")},
    )


@clerk_page
def paper_publish(request: HttpRequest, pk: int) -> HttpResponse:
    paper = queries.get_paper_for_staff(pk)
    if (refused := _refused_if_mirrored(request, paper)) is not None:
        return refused
    form = ConfirmForm(editing.bound(request))
    # One sentence that says what happens, ticked to confirm; no question, no second text.
    form.fields["confirm"].label = _(
        "%(ref)s „%(name)s“ soll jetzt für alle auf der Website, in der Suche und in der "
        "OParl-Schnittstelle erscheinen."
    ) % {"ref": paper.reference or _("Die Vorlage"), "name": paper.name}
    return PAGES.edit(
        request,
        form,
        action=lambda: services.publish_paper(paper=paper, actor=acting_user(request)),
        success_message=_("Die Vorlage ist jetzt öffentlich."),
        title=_("Vorlage veröffentlichen"),
        cancel_url=_paper_url(paper),
        extra={"submit_label": _("Veröffentlichen")},
    )


@clerk_page
def paper_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    paper = queries.get_paper_for_staff(pk)
    if (refused := _refused_if_mirrored(request, paper)) is not None:
        return refused
    form = ConfirmForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.withdraw_paper(paper=paper, actor=acting_user(request)),
        success_message=_("Die Vorlage wurde zurückgezogen."),
        title=_("%(ref)s zurückziehen?") % {"ref": paper.reference or paper.name},
        cancel_url=_paper_url(paper),
        extra={"destructive": True, "submit_label": _("Zurückziehen")},
    )


@clerk_page
def section_edit(
    request: HttpRequest, paper_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    section = (
        queries.get_section(pk)
        if pk
        else PaperSection(paper=queries.get_paper_for_staff(paper_pk or 0), position=0)
    )
    if (refused := _refused_if_mirrored(request, section.paper)) is not None:
        return refused
    form = SectionForm(editing.bound(request), instance=section)
    save = services.update_section if pk else services.add_section
    return PAGES.edit(
        request,
        form,
        action=lambda: save(section=form.instance, actor=acting_user(request)),
        success_message=_("Der Abschnitt wurde gespeichert."),
        title=_("Abschnitt von %(ref)s") % {"ref": section.paper.reference or section.paper.name},
        cancel_url=_paper_url(section.paper),
    )


# Attachments (Anlagen) -----------------------------------------------------------------------


def _attachments_url(paper: Paper) -> str:
    return f"{_paper_url(paper)}#anlagen"


@clerk_page
def attachment_new(request: HttpRequest, paper_pk: int) -> HttpResponse:
    paper = queries.get_paper_for_staff(paper_pk)
    if (refused := _refused_if_mirrored(request, paper)) is not None:
        return refused
    form = AttachmentForm(editing.bound(request), request.FILES or None)
    return PAGES.edit(
        request,
        form,
        action=lambda: _add_attachment(paper, form, request),
        success_message=_("Die Anlage wurde angefügt."),
        title=_("Anlage zu %(ref)s anfügen") % {"ref": paper.reference or paper.name},
        cancel_url=_attachments_url(paper),
        extra={"submit_label": _("Anlage anfügen")},
    )


def _add_attachment(paper: Paper, form: AttachmentForm, request: HttpRequest) -> None:
    try:
        services.add_attachment(
            paper=paper,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["upload"],
            actor=acting_user(request),
        )
    except services.AttachmentNotStored:
        raise ValidationError(
            _(
                "Die Datei ließ sich gerade nicht speichern; es wurde nichts angefügt. Bitte "
                "versuchen Sie es später noch einmal."
            )
        ) from None


@clerk_page
def attachment_rename(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = queries.get_attachment_for_staff(pk)
    if (refused := _refused_if_mirrored(request, attachment.paper)) is not None:
        return refused
    form = AttachmentTitleForm(editing.bound(request), initial={"title": attachment.title})
    return PAGES.edit(
        request,
        form,
        action=lambda: services.rename_attachment(
            attachment=attachment, title=form.cleaned_data["title"], actor=acting_user(request)
        ),
        success_message=_("Die Anlage wurde umbenannt."),
        title=_("Anlage umbenennen: %(title)s") % {"title": attachment.title},
        cancel_url=_attachments_url(attachment.paper),
    )


@clerk_page
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = queries.get_attachment_for_staff(pk)
    if (refused := _refused_if_mirrored(request, attachment.paper)) is not None:
        return refused
    form = ConfirmForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.remove_attachment(
            attachment=attachment, actor=acting_user(request)
        ),
        success_message=_("Die Anlage wurde entfernt."),
        title=_("Anlage „%(title)s“ entfernen?") % {"title": attachment.title},
        cancel_url=_attachments_url(attachment.paper),
        extra={
            "destructive": True,
            "submit_label": _("Entfernen"),
            "intro": _(
                "Die Datei wird gelöscht und verschwindet von der Seite der Vorlage, aus dem "
                "amtlichen PDF, der Suche und der OParl-Schnittstelle."
            ),
        },
    )


@clerk_page
@require_POST
def attachment_move(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = queries.get_attachment_for_staff(pk)
    if (refused := _refused_if_mirrored(request, attachment.paper)) is not None:
        return refused
    form = MoveForm(request.POST)
    if form.is_valid():
        up = form.cleaned_data["direction"] == "up"
        services.move_attachment(attachment=attachment, up=up, actor=acting_user(request))
        message = (
            _("„%(title)s“ wurde nach oben verschoben.")
            if up
            else _("„%(title)s“ wurde nach unten verschoben.")
        )
        messages.success(request, message % {"title": attachment.title})
    return redirect(_attachments_url(attachment.paper))


@clerk_page
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored file, for the council office (also of papers that are not public)."""
    attachment = queries.get_attachment_for_staff(pk)
    return downloads.attachment(attachment.file, attachment.download_name, attachment.media_type)


@clerk_page
def consultation_new(request: HttpRequest, paper_pk: int) -> HttpResponse:
    paper = queries.get_paper_for_staff(paper_pk)
    if (refused := _refused_if_mirrored(request, paper)) is not None:
        return refused
    form = ConsultationForm(editing.bound(request), instance=Consultation(paper=paper))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.add_consultation(
            consultation=form.instance, actor=acting_user(request)
        ),
        success_message=_("Der Gremienweg wurde ergänzt."),
        title=_("Gremienweg von %(ref)s ergänzen") % {"ref": paper.reference or paper.name},
        cancel_url=_paper_url(paper),
    )


@clerk_page
def consultation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = queries.get_consultation(pk)
    if (refused := _refused_if_mirrored(request, consultation.paper)) is not None:
        return refused
    if consultation.agenda_item is not None:
        # Treated under an agenda item: outcome, votes and decision text on one page.
        return redirect(_result_url(consultation.agenda_item))
    form = OutcomeForm(
        editing.bound(request),
        initial={
            "outcome": consultation.outcome,
            "votes_yes": consultation.votes_yes,
            "votes_no": consultation.votes_no,
            "votes_abstain": consultation.votes_abstain,
            "votes_biased": consultation.votes_biased,
        },
    )
    return PAGES.edit(
        request,
        form,
        action=lambda: services.record_outcome(
            consultation=consultation, actor=acting_user(request), **form.cleaned_data
        ),
        success_message=_("Das Beratungsergebnis wurde erfasst."),
        title=_("Ergebnis: %(c)s") % {"c": consultation},
        cancel_url=_paper_url(consultation.paper),
    )


@clerk_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.meetings_visible_to(request.user))
    return render(request, "council/staff/meetings.html", {"page": page})


@clerk_page
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    meeting = queries.get_meeting_for(request.user, pk) if pk else Meeting()
    if (refused := _refused_if_mirrored_meeting(request, meeting)) is not None:
        return refused
    form = MeetingForm(editing.bound(request), instance=meeting)
    save = services.update_meeting if pk else services.plan_meeting
    return PAGES.edit(
        request,
        form,
        action=lambda: save(meeting=form.instance, actor=acting_user(request)),
        success_message=_("Die Sitzung wurde gespeichert."),
        title=_("Sitzung bearbeiten") if pk else _("Neue Sitzung"),
        cancel_url=_meeting_url(meeting) if pk else reverse("council:staff_meetings"),
        done_url=lambda: _meeting_url(form.instance),  # a new meeting: on to its agenda
    )


@clerk_page
def meeting_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.get_meeting_for(request.user, pk)
    editable = not meeting.is_mirrored
    if request.method == "POST" and (refused := _refused_if_mirrored_meeting(request, meeting)):
        return refused
    form = AgendaItemForm(editing.bound(request), instance=AgendaItem(meeting=meeting, order=0))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form, lambda: services.add_agenda_item(item=form.instance, actor=acting_user(request))
        )
    ):
        messages.success(request, _("Der Tagesordnungspunkt wurde angefügt."))
        return redirect(_meeting_url(meeting))
    context = {
        "meeting": meeting,
        "form": form,
        "agenda": queries.agenda_for_staff(meeting),
        "editable": editable,
        "agenda_open": editable and not meeting.has_taken_place and not meeting.agenda_is_fixed,
        "agenda_fixed": meeting.agenda_is_fixed,
        "can_fix": editable
        and not meeting.agenda_is_fixed
        and meeting.state != Meeting.State.CANCELLED,
        "can_reopen": editable and meeting.agenda_is_fixed and not meeting.has_taken_place,
        "held": queries.meeting_has_results(meeting),
        "has_invitation": queries.has_invitation(meeting),
        "attendance": queries.attendance_of(meeting, public=False),
    }
    return render(request, "council/staff/meeting.html", context)


@clerk_page
def agenda_fix(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.get_meeting_for(request.user, pk)
    if (refused := _refused_if_mirrored_meeting(request, meeting)) is not None:
        return refused
    form = ConfirmForm(editing.bound(request))
    form.fields["confirm"].label = _(
        "Die Tagesordnung von „%(meeting)s“ steht fest. Die Einladung erscheint jetzt auf der "
        "Seite der Sitzung und in der OParl-Schnittstelle; Änderungen an der Tagesordnung sind "
        "erst nach einem ausdrücklichen Wiederöffnen möglich."
    ) % {"meeting": meeting.display_name}
    return PAGES.edit(
        request,
        form,
        action=lambda: services.fix_agenda(meeting=meeting, actor=acting_user(request)),
        success_message=_("Die Tagesordnung ist festgesetzt; die Einladung ist veröffentlicht."),
        title=_("Tagesordnung festsetzen"),
        cancel_url=_meeting_url(meeting),
        extra={"submit_label": _("Festsetzen und Einladung veröffentlichen")},
    )


@clerk_page
def agenda_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.get_meeting_for(request.user, pk)
    if (refused := _refused_if_mirrored_meeting(request, meeting)) is not None:
        return refused
    form = ConfirmForm(editing.bound(request))
    form.fields["confirm"].label = _(
        "Die Tagesordnung von „%(meeting)s“ soll wieder geändert werden können; die Einladung "
        "wird bis zur erneuten Festsetzung zurückgezogen."
    ) % {"meeting": meeting.display_name}
    return PAGES.edit(
        request,
        form,
        action=lambda: services.reopen_agenda(meeting=meeting, actor=acting_user(request)),
        success_message=_(
            "Die Tagesordnung ist wieder offen. Die Einladung ist zurückgezogen, bis Sie die "
            "Tagesordnung erneut festsetzen."
        ),
        title=_("Tagesordnung wieder öffnen?"),
        cancel_url=_meeting_url(meeting),
        extra={
            "submit_label": _("Wieder öffnen"),
            "intro": _(
                "Die veröffentlichte Einladung wird zurückgezogen. Nach den Änderungen setzen "
                "Sie die Tagesordnung erneut fest; dann erscheint eine neue Einladung."
            ),
        },
    )


@clerk_page
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.get_meeting_for(request.user, pk)
    if (refused := _refused_if_mirrored_meeting(request, meeting)) is not None:
        return refused
    form = AttendanceForm(
        editing.bound(request), meeting=meeting, initial=queries.attendance_form_data(meeting)
    )
    intro = (
        _("Sie tragen die Anwesenheit ein, wie sie in der Niederschrift steht.")
        if "present_persons" in form.fields
        else _(
            "Die Anwesenheit dieser Sitzung wird nur gezählt: Niemand wird namentlich genannt, "
            "weder in der Niederschrift noch auf Seiten oder in der Schnittstelle."
        )
    )
    return PAGES.edit(
        request,
        form,
        action=lambda: services.record_attendance(
            meeting=meeting, actor=acting_user(request), **form.service_arguments()
        ),
        success_message=_("Die Anwesenheit wurde gespeichert."),
        title=_("Anwesenheit: %(meeting)s") % {"meeting": meeting.display_name},
        cancel_url=_meeting_url(meeting),
        extra={"intro": intro},
    )


@clerk_page
def closed_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The non-public part of the minutes: the council office only, once the meeting has taken
    place."""
    meeting = queries.get_minutes_meeting_for(request.user, pk)
    response = HttpResponse(
        minutes_document(meeting, public_part=False), content_type="application/pdf"
    )
    name = f"niederschrift-nichtoeffentlich-sitzung-{meeting.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@clerk_page
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_agenda_item(pk)
    if (refused := _refused_if_mirrored_meeting(request, item.meeting)) is not None:
        return refused
    form = AgendaItemEditForm(editing.bound(request), instance=item)
    return PAGES.edit(
        request,
        form,
        action=lambda: services.update_agenda_item(item=form.instance, actor=acting_user(request)),
        success_message=_("Der Tagesordnungspunkt wurde gespeichert."),
        title=_("Tagesordnungspunkt bearbeiten"),
        cancel_url=_meeting_url(item.meeting),
    )


@clerk_page
def agenda_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_agenda_item(pk)
    if (refused := _refused_if_mirrored_meeting(request, item.meeting)) is not None:
        return refused
    form = ConfirmForm(editing.bound(request))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.remove_agenda_item(item=item, actor=acting_user(request)),
        success_message=_("Der Tagesordnungspunkt wurde entfernt."),
        title=_("%(item)s von der Tagesordnung nehmen?") % {"item": item},
        cancel_url=_meeting_url(item.meeting),
        extra={
            "destructive": True,
            "submit_label": _("Entfernen"),
            "intro": _(
                "Eine Vorlage auf diesem Punkt bleibt im Gremienweg, aber ohne Sitzung und Datum."
            ),
        },
    )


@clerk_page
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_agenda_item(pk)
    if (refused := _refused_if_mirrored_meeting(request, item.meeting)) is not None:
        return refused
    form = MoveForm(request.POST)
    if form.is_valid():
        up = form.cleaned_data["direction"] == "up"
        if run_service(
            form,
            lambda: services.move_agenda_item(item=item, up=up, actor=acting_user(request)),
        ):
            messages.success(
                request,
                (
                    _("„%(item)s“ wurde nach oben verschoben.")
                    if up
                    else _("„%(item)s“ wurde nach unten verschoben.")
                )
                % {"item": item},
            )
        else:
            for error in form.non_field_errors():
                messages.error(request, str(error))
    return redirect(f"{_meeting_url(item.meeting)}#top-{item.pk}")


@clerk_page
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Outcome, votes and decision text of an agenda item: recorded on one page."""
    item = queries.get_agenda_item(pk)
    if (refused := _refused_if_mirrored_meeting(request, item.meeting)) is not None:
        return refused
    consultation = queries.consultation_of_item(item)
    initial: dict[str, object] = {"text": queries.decision_text_of(item)}
    if consultation is not None:
        initial |= {
            "outcome": consultation.outcome,
            "votes_yes": consultation.votes_yes,
            "votes_no": consultation.votes_no,
            "votes_abstain": consultation.votes_abstain,
            "votes_biased": consultation.votes_biased,
        }
    else:
        initial["outcome"] = outcome_of_result(item.result)
    form = ItemResultForm(
        editing.bound(request), initial=initial, with_votes=consultation is not None
    )
    return PAGES.edit(
        request,
        form,
        action=lambda: services.record_item_result(
            agenda_item=item,
            consultation=consultation,
            actor=acting_user(request),
            **form.service_arguments(),
        ),
        success_message=_("Ergebnis und Beschluss wurden gespeichert."),
        title=_("Ergebnis und Beschluss zu %(item)s") % {"item": item},
        cancel_url=_meeting_url(item.meeting),
        extra={
            "intro": _("Sitzung: %(meeting)s. Vorlage: %(paper)s.")
            % {
                "meeting": item.meeting.display_name,
                "paper": item.paper.reference or item.paper.name if item.paper else _("keine"),
            },
        },
    )


@clerk_page
def mandate_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.mandates_for_staff())
    return render(request, "council/staff/mandates.html", {"page": page})


@clerk_page
def mandate_new(request: HttpRequest, paper_pk: int) -> HttpResponse:
    paper = queries.get_paper_for_staff(paper_pk)
    form = MandateForm(editing.bound(request), instance=Mandate(paper=paper))
    return PAGES.edit(
        request,
        form,
        action=lambda: services.create_mandate(mandate=form.instance, actor=acting_user(request)),
        success_message=_("Der Prüfauftrag wurde angelegt."),
        title=_("Prüfauftrag aus %(ref)s") % {"ref": paper.reference or paper.name},
        cancel_url=_paper_url(paper),
    )


@clerk_page
def mandate_progress(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = queries.get_mandate(pk)
    form = MandateProgressForm(editing.bound(request), initial={"status": mandate.status})
    return PAGES.edit(
        request,
        form,
        action=lambda: services.report_mandate_progress(
            mandate=mandate, actor=acting_user(request), **form.cleaned_data
        ),
        success_message=_("Der Stand wurde eingetragen."),
        title=_("Stand melden: %(m)s") % {"m": mandate},
        cancel_url=reverse("council:staff_mandates"),
    )
