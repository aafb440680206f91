"""Sources in the clerk workplace (/arbeitsplatz/ratsinformationssysteme/): register a system,
see each run's counts and failures, start a run."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beirat.core import editing
from beirat.core.access import acting_user, staff_page
from beirat.core.pagination import paginate
from beirat.directory.queries import the_body
from beirat.directory.services import installation_body
from beirat.oparlsync import queries, rules, services, tasks
from beirat.oparlsync.forms import SourceForm
from beirat.oparlsync.models import Source

source_page = staff_page(rules.can_manage_sources)
PAGES = editing.FormPages("council/staff/_nav.html")


@source_page
def sources(request: HttpRequest) -> HttpResponse:
    """The sources with their last run, and the form to register one."""
    actor = acting_user(request)
    # The city is made from the settings on the first POST only: a GET never writes.
    city = installation_body(actor=actor) if request.method == "POST" else the_body()
    form = SourceForm(editing.bound(request), instance=Source(body=city))
    if request.method == "POST" and form.is_valid():
        source = services.save_source(source=form.instance, actor=actor)
        messages.success(request, _("Die Quelle wurde eingetragen."))
        return redirect(source.get_absolute_url())
    rows = [(source, queries.last_run(source)) for source in queries.sources()]
    return render(request, "oparlsync/sources.html", {"rows": rows, "form": form})


@source_page
def source(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.get_source(pk)
    context = {
        "source": found,
        "last": queries.last_run(found),
        "counts": queries.object_counts(found),
        "page": paginate(request, queries.runs_of(found)),
    }
    return render(request, "oparlsync/source.html", context)


@source_page
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found: Source = queries.get_source(pk)
    form = SourceForm(editing.bound(request), instance=found)
    return PAGES.edit(
        request,
        form,
        action=lambda: services.save_source(source=form.instance, actor=acting_user(request)),
        success_message=_("Die Quelle wurde gespeichert."),
        title=_("Quelle bearbeiten"),
        cancel_url=found.get_absolute_url(),
    )


@source_page
@require_POST
def source_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand a run to the worker; the page shows it once it has begun."""
    found = queries.get_source(pk)
    tasks.synchronise_source.enqueue(found.pk, full=request.POST.get("full") == "1")
    messages.success(request, _("Der Abgleich wurde gestartet; laden Sie die Seite gleich neu."))
    return redirect(reverse("oparlsync:source", kwargs={"pk": found.pk}))
