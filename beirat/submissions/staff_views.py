"""IT management's workplace (/arbeitsplatz/eingaben/): the queue, one submission, decisions."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from beirat.core import contributions, downloads, editing
from beirat.core.access import acting_user, staff_page
from beirat.core.forms import run_service
from beirat.core.pagination import PAGE_SIZE, paginate
from beirat.submissions import queries, rules
from beirat.submissions.forms import (
    AssignForm,
    BulkCloseForm,
    BulkForm,
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
from beirat.submissions.similarity_views import panel, record_merge

triage_page = staff_page(rules.can_triage)
NAV = "submissions/staff/_nav.html"
PAGES = editing.FormPages(NAV)
DECISION_PAGES = editing.FormPages(NAV, "submissions/staff/decision.html")
# What the queue's address keeps (search, filters, sorting, page); anything else is dropped.
QUEUE_KEYS = ("q", "status", "topic", "assigned", "older_than_days", "overdue", "sortierung")
PAGE_KEY = "seite"
SELECTION = "auswahl"
MAX_SELECTION = 4 * PAGE_SIZE  # one page is chosen at a time; more is no person's selection


def _detail_url(submission: Submission) -> str:
    return reverse("submissions:staff_detail", kwargs={"pk": submission.pk})


@triage_page
def queue(request: HttpRequest) -> HttpResponse:
    """The queue: search, filters and sorting in the address; the ticked rows go to ``bulk``.
    ``?auswahl=`` ticks rows again (after a refused action or a cancelled closing)."""
    form = QueueFilterForm(request.GET or None)
    chosen = form.chosen()
    found = queries.triage_queue(request.user, chosen)
    page = paginate(request, found.submissions)
    filters = _queue_query(request.GET)
    context = {
        "form": form,
        "page": page,
        "search_text": chosen.text,
        "full_text": found.full_text,
        "filters_chosen": bool(filters),
        "filter_query": filters.urlencode(),
        "return_query": _queue_query(request.GET, page=True).urlencode(),
        "selected": set(_ids(request.GET.getlist(SELECTION))),
        "bulk_form": BulkForm(auto_id="sammel_%s"),
        "counts": queries.queue_counts(),
        "overdue_before": queries.overdue_before(),
        "overdue_forwardings": list(queries.overdue_forwardings()),
    }
    return render(request, "submissions/staff/queue.html", context)


@triage_page
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign or set the topic of the ticked submissions at once, or go on to confirm closing
    them. Back to the queue as it was (search, filters, sorting, page)."""
    form = BulkForm(request.POST)
    back = request.POST.get("zurueck", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_queue_url(back, selected=_ids(request.POST.getlist(SELECTION))))
    chosen = list(form.cleaned_data[SELECTION])
    action = form.cleaned_data["aktion"]
    if action == BulkForm.CLOSE:
        query = urlencode({SELECTION: [item.pk for item in chosen], "zurueck": back}, doseq=True)
        return redirect(reverse("submissions:staff_bulk_close") + f"?{query}")
    actor = acting_user(request)
    try:
        if action == BulkForm.ASSIGN:
            assignee = form.cleaned_data["assignee"]
            outcome = triage.assign_many(submissions=chosen, assignee=assignee, actor=actor)
            _report_assigned(request, outcome, str(assignee))
        else:
            topic = form.cleaned_data["topic"]
            outcome = triage.set_topic_many(submissions=chosen, topic=topic, actor=actor)
            _report_topic(request, outcome, str(topic))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_queue_url(back, selected=[item.pk for item in chosen]))
    return redirect(_queue_url(back))


@triage_page
def bulk_close(request: HttpRequest) -> HttpResponse:
    """Confirm closing the ticked submissions: which will be closed, which cannot be (already
    closed), and the one answer every submitter reads. Closing is a reply that closes, for
    each of them, with the same history step and mail."""
    data = request.POST if request.method == "POST" else request.GET
    back = data.get("zurueck", "")
    chosen = list(queries.submissions_for_triage(_ids(data.getlist(SELECTION))))
    closable = [item for item in chosen if triage.can_be_closed(item)]
    if request.method == "POST":
        form = BulkCloseForm(request.POST)
        if form.is_valid():
            try:
                outcome = triage.close_many(
                    submissions=form.cleaned_data[SELECTION],
                    text=form.cleaned_data["text"],
                    actor=acting_user(request),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                _report_closed(request, outcome)
                return redirect(_queue_url(back))
    else:
        block_id = _number(request.GET.get("baustein"))
        block = TextBlock.objects.filter(pk=block_id).first() if block_id else None
        initial = {SELECTION: [item.pk for item in closable], "text": block.text if block else ""}
        form = BulkCloseForm(initial=initial)
    here = urlencode({SELECTION: [item.pk for item in closable], "zurueck": back}, doseq=True)
    context = {
        "form": form,
        "closable": closable,
        "not_closable": [item for item in chosen if item not in closable],
        "text_blocks": TextBlock.objects.all() if closable else [],
        "text_block_url": reverse("submissions:staff_bulk_close") + f"?{here}",
        "cancel_url": _queue_url(back, selected=[item.pk for item in chosen]),
        "back": _queue_query(QueryDict(back), page=True).urlencode(),
    }
    return render(request, "submissions/staff/bulk_close.html", context)


@triage_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = queries.get_submission_for_triage(pk)
    context = {
        "submission": submission,
        "history": queries.full_history(submission),
        "notes": queries.notes_of(submission),
        "forwardings": [
            (item, ReleaseForm(forwarding=item)) for item in queries.forwardings_of(submission)
        ],
        "parts": contributions.parts(contributions.TRIAGE_DETAIL, request, submission),
        "attachments": list(submission.attachments.all()),
        **panel(request.user, submission),
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
    # "Zusammenführen" beside a suggestion of the similar-items panel chooses it already.
    chosen = _number(request.GET.get("mit"))
    form = MergeForm(
        editing.bound(request), submission=submission, initial={"into": chosen} if chosen else None
    )

    def merge_and_keep_the_pair() -> None:
        into = form.cleaned_data["into"]
        triage.merge(submission=submission, into=into, actor=acting_user(request))
        record_merge(submission, into, request.user)

    return DECISION_PAGES.edit(
        request,
        form,
        action=merge_and_keep_the_pair,
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


def _ids(raw: Iterable[str]) -> list[int]:
    """The numbers among the values, each once, at most MAX_SELECTION."""
    found = dict.fromkeys(number for value in raw if (number := _number(value)) is not None)
    return list(found)[:MAX_SELECTION]


def _queue_query(data: QueryDict, *, page: bool = False) -> QueryDict:
    """The queue's own parameters from ``data`` (one value each), the page number if asked."""
    kept = QueryDict(mutable=True)
    for key in (*QUEUE_KEYS, PAGE_KEY) if page else QUEUE_KEYS:
        value = data.get(key)
        if value:
            kept[key] = value[:200]
    return kept


def _queue_url(query: str, *, selected: Iterable[int] = ()) -> str:
    """The queue with the search, filters, sorting and page of ``query`` (a query string the
    queue handed over; nothing else of it is kept), the ``selected`` rows ticked."""
    kept = _queue_query(QueryDict(query), page=True)
    kept.setlist(SELECTION, [str(pk) for pk in selected])
    encoded = kept.urlencode()
    return reverse("submissions:queue") + (f"?{encoded}" if encoded else "")


# What a change to several submissions says: how many changed, how many were already so.


def _report_assigned(request: HttpRequest, outcome: triage.Outcome, name: str) -> None:
    if count := len(outcome.changed):
        text = ngettext(
            "%(count)s Eingabe wurde %(name)s zugewiesen.",
            "%(count)s Eingaben wurden %(name)s zugewiesen.",
            count,
        )
        messages.success(request, text % {"count": count, "name": name})
    if count := len(outcome.unchanged):
        text = ngettext(
            "%(count)s Eingabe war %(name)s schon zugewiesen.",
            "%(count)s Eingaben waren %(name)s schon zugewiesen.",
            count,
        )
        messages.info(request, text % {"count": count, "name": name})


def _report_topic(request: HttpRequest, outcome: triage.Outcome, topic: str) -> None:
    if count := len(outcome.changed):
        text = ngettext(
            "%(count)s Eingabe hat jetzt das Thema „%(topic)s“.",
            "%(count)s Eingaben haben jetzt das Thema „%(topic)s“.",
            count,
        )
        messages.success(request, text % {"count": count, "topic": topic})
    if count := len(outcome.unchanged):
        text = ngettext(
            "%(count)s Eingabe hatte das Thema „%(topic)s“ schon.",
            "%(count)s Eingaben hatten das Thema „%(topic)s“ schon.",
            count,
        )
        messages.info(request, text % {"count": count, "topic": topic})


def _report_closed(request: HttpRequest, outcome: triage.Outcome) -> None:
    if count := len(outcome.changed):
        text = ngettext(
            "%(count)s Eingabe wurde beantwortet und abgeschlossen.",
            "%(count)s Eingaben wurden beantwortet und abgeschlossen.",
            count,
        )
        messages.success(request, text % {"count": count})
    if count := len(outcome.unchanged):
        text = ngettext(
            "%(count)s Eingabe war nicht mehr offen und blieb, wie sie war.",
            "%(count)s Eingaben waren nicht mehr offen und blieben, wie sie waren.",
            count,
        )
        messages.info(request, text % {"count": count})
