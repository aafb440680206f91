"""Public pages of the submissions app: hand in, look up, follow and manage by tracking code.

These forms work without an account and without a cookie before submission; the signed form
token (core/form_tokens.py) replaces Django's cookie-based CSRF check, and the tracking code
is the key: whoever has it may follow, add to, withdraw or download the submission.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from beirat.core import contributions, downloads
from beirat.core.form_tokens import PublicFormMixin
from beirat.core.forms import ConfirmForm
from beirat.core.rate_limits import allow, exceeded
from beirat.submissions import documents, queries
from beirat.submissions.forms import AddInformationForm, LookupForm, SubmissionForm
from beirat.submissions.models import Submission
from beirat.submissions.services import intake

SUBMISSIONS_PER_HOUR = 10  # per client; people hand in one or two, robots hundreds
WRONG_CODES_PER_HOUR = 20
RECEIPTS_PER_HOUR = 30  # a PDF costs the server a second; a person saves one or two


def files_not_stored() -> str:
    """The form error when the file store refused an attachment (a full disk). The page is
    answered with 503: the server is at fault, not the visitor, and monitoring sees it."""
    return _(
        "Ihre Anhänge konnten gerade nicht gespeichert werden, deshalb ist nichts eingegangen. "
        "Bitte versuchen Sie es in einigen Minuten noch einmal oder senden Sie Ihren Text "
        "ohne Anhänge."
    )


class PublicConfirmForm(PublicFormMixin, ConfirmForm):
    pass


def by_code(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Fetch the submission of the URL's code for the view, or answer 404.

    Guessing codes is hopeless (135 bits), and trying is slow too: wrong codes are counted
    per client, and past the limit every code page answers 429 for the rest of the hour.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, code: str, **kwargs: Any) -> HttpResponse:
        if exceeded(request, scope="wrong-code", limit=WRONG_CODES_PER_HOUR, window_seconds=3600):
            return render(request, "submissions/too_many.html", status=429)
        try:
            submission = queries.get_submission_by_code(code)
        except Http404:
            allow(request, scope="wrong-code", limit=WRONG_CODES_PER_HOUR, window_seconds=3600)
            raise
        response = view(request, submission, **kwargs)
        # The code is the key to the submitter's text and history: no browser or proxy may keep
        # a copy (the visitor is anonymous, so PrivateCacheMiddleware does not see it as private).
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapped


@csrf_exempt
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not allow(request, scope="submit", limit=SUBMISSIONS_PER_HOUR, window_seconds=3600):
            form.add_error(
                None,
                _(
                    "Von Ihrem Anschluss kamen in der letzten Stunde sehr viele Eingaben. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
            )
            return render(request, "submissions/new.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission = intake.submit(
                    title=data["title"],
                    text=data["text"],
                    topic=data["topic"],
                    name=data["name"],
                    email=data["email"],
                    language=translation.get_language() or "de",
                    files=data["attachments"],
                )
            except intake.AttachmentsNotStored:
                form.add_error("attachments", files_not_stored())
                return render(request, "submissions/new.html", {"form": form}, status=503)
            messages.success(request, _("Vielen Dank! Ihre Eingabe ist eingegangen."))
            return redirect(submission)
        if request.FILES:
            form.add_error("attachments", _("Bitte wählen Sie Ihre Anhänge noch einmal aus."))
    return render(request, "submissions/new.html", {"form": form})


def home_part(request: HttpRequest, subject: None) -> dict[str, object]:
    """The start page's part: hand in an idea, or follow one by its tracking code."""
    return {}


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("submissions:track", code=form.cleaned_data["code"])
    return render(request, "submissions/lookup.html", {"form": form})


def _tracking_context(submission: Submission) -> dict[str, Any]:
    return {
        "submission": submission,
        # Shown in its groups of four, each kept whole: a phone breaks the line between groups.
        "code_groups": submission.tracking_code.split("-"),
        "history": queries.public_entries(submission),
        "attachments": list(submission.attachments.all()),
    }


@by_code
def track(request: HttpRequest, submission: Submission) -> HttpResponse:
    context = {
        **_tracking_context(submission),
        "parts": contributions.parts(contributions.TRACKING_PAGE, request, submission),
        "add_form": AddInformationForm(),
    }
    return render(request, "submissions/track.html", context)


@by_code
def receipt(request: HttpRequest, submission: Submission) -> HttpResponse:
    """The tracking code on paper: a PDF with code, title, date and link, as a download."""
    if not allow(request, scope="receipt", limit=RECEIPTS_PER_HOUR, window_seconds=3600):
        return render(request, "submissions/too_many.html", status=429)
    language = translation.get_language() or "de"
    response = HttpResponse(
        documents.receipt_pdf(submission, language=language), content_type="application/pdf"
    )
    filename = f"vorgangsnummer-{submission.tracking_code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@by_code
def attachment(request: HttpRequest, submission: Submission, pk: int) -> HttpResponse:
    """One of the submitter's own attachments, as a download; only through the code."""
    item = queries.get_attachment_of(submission, pk)
    response = downloads.attachment(item.file, item.name, item.content_type)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_http_methods(["POST"])
@by_code
def add_information(request: HttpRequest, submission: Submission) -> HttpResponse:
    form = AddInformationForm(request.POST, request.FILES)
    status = 400
    if not submission.is_open:
        form.add_error(
            None, _("Diese Eingabe ist abgeschlossen und kann nicht mehr ergänzt werden.")
        )
    elif form.is_valid():
        try:
            intake.add_information(
                submission=submission,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
            )
        except intake.AttachmentsNotStored:
            form.add_error("attachments", files_not_stored())
            status = 503
        else:
            messages.success(request, _("Ihre Ergänzung ist eingegangen."))
            return redirect(submission)
    context = {**_tracking_context(submission), "add_form": form}
    return render(request, "submissions/track.html", context, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@by_code
def withdraw(request: HttpRequest, submission: Submission) -> HttpResponse:
    if not submission.is_open:
        messages.info(request, _("Diese Eingabe ist bereits abgeschlossen."))
        return redirect(submission)
    return _confirmed_step(
        request,
        submission,
        action=lambda: intake.withdraw(submission=submission),
        success_message=_("Ihre Eingabe ist zurückgezogen."),
        heading=_("Eingabe zurückziehen"),
        explanation=_(
            "Wir bearbeiten die Eingabe dann nicht weiter. Der Verlauf bleibt unter der "
            "Vorgangsnummer sichtbar; das lässt sich nicht rückgängig machen."
        ),
        submit_label=_("Eingabe zurückziehen"),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@by_code
def erase_contact(request: HttpRequest, submission: Submission) -> HttpResponse:
    if not (submission.submitter_name or submission.submitter_email):
        messages.info(request, _("Zu dieser Eingabe sind keine Kontaktdaten gespeichert."))
        return redirect(submission)
    return _confirmed_step(
        request,
        submission,
        action=lambda: intake.erase_contact_data(submission=submission),
        success_message=_("Ihr Name und Ihre E-Mail-Adresse sind gelöscht."),
        heading=_("Kontaktdaten löschen"),
        explanation=_(
            "Wir löschen Ihren Namen und Ihre E-Mail-Adresse. Ihre Eingabe wird weiter bearbeitet, "
            "aber wir können Ihnen nicht mehr schreiben; den Stand sehen Sie hier."
        ),
        submit_label=_("Kontaktdaten löschen"),
    )


def _confirmed_step(
    request: HttpRequest,
    submission: Submission,
    *,
    action: Callable[[], object],
    success_message: str,
    heading: str,
    explanation: str,
    submit_label: str,
) -> HttpResponse:
    """A step the submitter cannot undo: a page that explains it and asks for a tick; once
    ticked and sent, ``action`` runs and the tracking page says it is done."""
    form = PublicConfirmForm(request.POST or None)
    if form.is_valid():
        action()
        messages.success(request, success_message)
        return redirect(submission)
    context = {
        "submission": submission,
        "form": form,
        "heading": heading,
        "explanation": explanation,
        "submit_label": submit_label,
    }
    return render(request, "submissions/confirm.html", context)


@by_code
def export(request: HttpRequest, submission: Submission) -> HttpResponse:
    response = JsonResponse(
        queries.data_of(submission), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    filename = f"eingabe-{submission.tracking_code}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@by_code
def confirm_email(request: HttpRequest, submission: Submission, token: str) -> HttpResponse:
    if intake.confirm_email(submission=submission, token=token):
        messages.success(request, _("Danke, Ihre E-Mail-Adresse ist bestätigt."))
    else:
        messages.error(
            request,
            _(
                "Der Bestätigungslink ist ungültig oder abgelaufen. "
                "Ihre Eingabe ist davon nicht betroffen."
            ),
        )
    return redirect(submission)
