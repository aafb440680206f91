"""Importing papers in the clerk workplace (/arbeitsplatz/import/): upload, report, review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beirat.core import downloads
from beirat.core.access import acting_user, staff_page
from beirat.core.pagination import paginate
from beirat.council.models import Paper
from beirat.council.queries import get_paper_for
from beirat.ingest import queries, rules, services
from beirat.ingest.forms import UploadForm
from beirat.ingest.models import ImportRecord

import_page = staff_page(rules.can_import)


def original_part(request: HttpRequest, paper: Paper) -> dict[str, object]:
    """The paper page's download of the file the paper was read from, if it was imported."""
    return {"paper": paper, "original": queries.original_of(paper.pk)}


@import_page
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form, the report of the batch just imported, and all imports so far."""
    posted = request.method == "POST"  # a POST with files only has an empty, falsy QueryDict
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    outcomes = []
    if request.method == "POST" and form.is_valid():
        actor = acting_user(request)
        for upload in form.cleaned_data["uploads"]:
            outcomes.append(services.queue_file(data=upload.read(), name=upload.name, actor=actor))
        form = UploadForm()
    status = request.GET.get("status", "")
    status = status if status in ImportRecord.Status.values else ""
    context = {
        "filter_query": f"status={status}" if status else "",
        "form": form,
        "outcomes": outcomes,
        "page": paginate(request, queries.imports(status)),
        "status": status,
        "statuses": ImportRecord.Status.choices,
        "waiting": queries.waiting_for_review(),
    }
    return render(request, "ingest/imports.html", context)


@import_page
def record(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_import(pk)
    fields = found.draft.get("fields", {})
    context = {
        "record": found,
        "fields": [
            (
                services.field_label(name),
                _route_text(found) if name == "route" else data.get("value"),
                data.get("confidence", 0),
                name in found.review_fields,
            )
            for name, data in fields.items()
        ],
        # Each repaired word once, however often the paper uses it.
        "repairs": list(dict.fromkeys(tuple(pair) for pair in found.draft.get("repairs", []))),
        "sections": found.draft.get("sections", []),
    }
    return render(request, "ingest/record.html", context)


@import_page
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_import(pk)
    try:
        services.confirm(record=found, actor=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Geprüft und veröffentlicht."))
    return redirect(reverse("ingest:record", kwargs={"pk": found.pk}))


@import_page
def original(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_import(pk)
    return downloads.attachment(found.original, found.file_name)


def _route_text(record: ImportRecord) -> str:
    entries = record.draft.get("route", [])
    return "; ".join(
        f"{entry.get('date') or '?'} {entry.get('committee', '')}" for entry in entries
    )


def paper_original(request: HttpRequest, reference: str) -> HttpResponse:
    """The file a public paper was imported from, beside its official PDF (same visibility)."""
    paper = get_paper_for(request.user, reference)
    found = queries.original_of(paper.pk)
    if found is None:
        raise Http404
    return downloads.attachment(found.original, found.file_name)
