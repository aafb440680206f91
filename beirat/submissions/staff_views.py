"""IT management's workplace (/arbeitsplatz/eingaben/): the queue, one submission, decisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beirat.core import contributions, downloads, editing
from beirat.core.access import acting_user, staff_page
from beirat.core.forms import run_service
from beirat.core.pagination import paginate
from beirat.submissions import queries, rules
from beirat.submissions.forms import (
    AssignForm,
    DeclineForm,
    ForwardForm,
    MergeForm,
    NoteForm,
    QueueFilterForm,
    ReleaseForm,
    ReplyForm,
    TextBlockForm,
    TopicChoiceForm,
    TopicForm,
)
from beirat.submissions.models import Submission, TextBlock, Topic
from beirat.submissions.services import releases, triage
from beirat.submissions.similarity import similar_items

triage_page = staff_page(rules.can_triage)
NAV = "submissions/staff/_nav.html"
PAGES = editing.FormPages(NAV)
DECISION_PAGES = editing.FormPages(NAV, "submissions/staff/decision.html")
SIMILAR_KINDS = ("submission", "paper", "mandate")


def _detail_url(submission: Submission) -> str:
    return reverse("submissions:staff_detail", kwargs={"pk": submission.pk})


@triage_page
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    page = paginate(request, queries.triage_queue(request.user, form.chosen()))
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "form": form,
        "page": page,
        "filter_query": query.urlencode(),
        "counts": queries.queue_counts(),
        "overdue_before": queries.overdue_before(),
        "overdue_forwardings": list(queries.overdue_forwardings()),
    }
    return render(request, "submissions/staff/queue.html", context)


@triage_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    similar = similar_items(
        request.user,
        f"{submission.title}\n{submission.text}",
        kinds=SIMILAR_KINDS,
        exclude=[f"submission:{submission.pk}"],
    )
    context = {
        "submission": submission,
        "history": queries.full_history(submission),
        "notes": queries.notes_of(submission),
        "forwardings": [
            (item, ReleaseForm(forwarding=item)) for item in queries.forwardings_of(submission)
        ],
        "parts": contributions.parts(contributions.TRIAGE_DETAIL, request, submission),
        "attachments": list(submission.attachments.all()),
        "similar": similar,
        "assign_form": AssignForm(initial={"assignee": submission.assigned_to}),
        "topic_form": TopicChoiceForm(initial={"topic": submission.topic}),
        "note_form": NoteForm(),
        "overdue_before": queries.overdue_before(),
    }
    return render(request, "submissions/staff/detail.html", context)


@triage_page
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        triage.assign(
            submission=submission,
            assignee=form.cleaned_data["assignee"],
            actor=acting_user(request),
        )
        messages.success(request, _("Die Zuständigkeit wurde gespeichert."))
    return redirect(_detail_url(submission))


@triage_page
@require_POST
def set_topic(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    form = TopicChoiceForm(request.POST)
    if form.is_valid():
        triage.set_topic(
            submission=submission, topic=form.cleaned_data["topic"], actor=acting_user(request)
        )
        messages.success(request, _("Das Thema wurde gespeichert."))
    return redirect(_detail_url(submission))


@triage_page
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        triage.add_note(
            submission=submission, text=form.cleaned_data["text"], actor=acting_user(request)
        )
        messages.success(request, _("Die Notiz wurde gespeichert."))
    else:
        messages.error(request, _("Eine leere Notiz wurde nicht gespeichert."))
    return redirect(_detail_url(submission) + "#notizen")


@triage_page
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    block_id = _number(request.GET.get("baustein"))
    block = TextBlock.objects.filter(pk=block_id).first() if block_id else None
    form = ReplyForm(editing.bound(request), initial={"text": block.text if block else ""})
    return DECISION_PAGES.edit(
        request,
        form,
        action=lambda: triage.reply(
            submission=submission,
            text=form.cleaned_data["text"],
            close=form.cleaned_data["close"],
            actor=acting_user(request),
        ),
        success_message=_("Die Antwort wurde veröffentlicht."),
        title=_("Antworten: %(title)s") % {"title": submission.title},
        cancel_url=_detail_url(submission),
        extra={
            "submit_label": _("Antwort veröffentlichen"),
            "text_blocks": TextBlock.objects.all(),
            "text_block_url": reverse("submissions:staff_reply", kwargs={"pk": pk}),
            "subject": submission,
        },
    )


@triage_page
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    form = ForwardForm(editing.bound(request), submission=submission)
    return DECISION_PAGES.edit(
        request,
        form,
        action=lambda: triage.forward(
            submission=submission,
            office=form.cleaned_data["office"],
            note=form.cleaned_data["note"],
            actor=acting_user(request),
            attachments=form.cleaned_data.get("attachments", []),
        ),
        success_message=_("Die Eingabe wurde an das Fachamt weitergeleitet."),
        title=_("Weiterleiten: %(title)s") % {"title": submission.title},
        cancel_url=_detail_url(submission),
        extra={"submit_label": _("Weiterleiten"), "subject": submission},
    )


@triage_page
@require_POST
def release_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    """Change which attachments the office of one forwarding may read."""
    forwarding = queries.get_forwarding_for_triage(pk)
    form = ReleaseForm(request.POST, forwarding=forwarding)
    saved = form.is_valid() and run_service(
        form,
        lambda: releases.release_attachments(
            forwarding=forwarding,
            attachments=form.cleaned_data["attachments"],
            actor=acting_user(request),
        ),
    )
    if saved:
        messages.success(
            request,
            _("Gespeichert: %(office)s sieht die angekreuzten Anhänge, keine anderen.")
            % {"office": forwarding.office},
        )
    else:
        messages.error(
            request,
            _("Die Freigabe wurde nicht geändert. Bitte wählen Sie nur Anhänge dieser Eingabe."),
        )
    return redirect(_detail_url(forwarding.submission) + "#weiterleitungen")


@triage_page
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    form = MergeForm(editing.bound(request), submission=submission)
    return DECISION_PAGES.edit(
        request,
        form,
        action=lambda: triage.merge(
            submission=submission, into=form.cleaned_data["into"], actor=acting_user(request)
        ),
        success_message=_("Die Eingabe wurde zusammengeführt und geschlossen."),
        title=_("Zusammenführen: %(title)s") % {"title": submission.title},
        cancel_url=_detail_url(submission),
        extra={"submit_label": _("Zusammenführen"), "destructive": True, "subject": submission},
    )


@triage_page
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    form = DeclineForm(editing.bound(request))
    return DECISION_PAGES.edit(
        request,
        form,
        action=lambda: triage.decline(
            submission=submission, reason=form.cleaned_data["reason"], actor=acting_user(request)
        ),
        success_message=_("Die Eingabe wurde abgelehnt."),
        title=_("Ablehnen: %(title)s") % {"title": submission.title},
        cancel_url=_detail_url(submission),
        extra={"submit_label": _("Ablehnen"), "destructive": True, "subject": submission},
    )


@triage_page
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_attachment_for_triage(pk)
    return downloads.attachment(item.file, item.name, item.content_type)


@triage_page
def topics(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/staff/topics.html", {"topics": Topic.objects.all()})


@triage_page
def topic_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    topic = queries.get_topic(pk) if pk else Topic()
    form = TopicForm(editing.bound(request), instance=topic)
    return PAGES.edit(
        request,
        form,
        action=lambda: triage.save_topic(topic=form.instance, actor=acting_user(request)),
        success_message=_("Das Thema wurde gespeichert."),
        title=_("Thema bearbeiten") if pk else _("Neues Thema"),
        cancel_url=reverse("submissions:staff_topics"),
    )


@triage_page
def text_blocks(request: HttpRequest) -> HttpResponse:
    context = {"text_blocks": TextBlock.objects.all()}
    return render(request, "submissions/staff/text_blocks.html", context)


@triage_page
def text_block_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    block = queries.get_text_block(pk) if pk else TextBlock()
    form = TextBlockForm(editing.bound(request), instance=block)
    return PAGES.edit(
        request,
        form,
        action=lambda: triage.save_text_block(text_block=form.instance, actor=acting_user(request)),
        success_message=_("Der Textbaustein wurde gespeichert."),
        title=_("Textbaustein bearbeiten") if pk else _("Neuer Textbaustein"),
        cancel_url=reverse("submissions:staff_text_blocks"),
    )


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None
