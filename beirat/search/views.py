"""The search page: /suche/?q=… with facets, sorting and pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from beirat.core import contributions
from beirat.search import queries
from beirat.search.feeds import feed_query
from beirat.search.forms import SearchForm

# Facet → (request parameter, heading)
FACETS = {
    "type": ("art", _("Art")),
    "year": ("jahr", _("Jahr")),
    "committee": ("gremium", _("Gremium")),
    "status": ("status", _("Status")),
}


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    selected: bool


@dataclass(frozen=True)
class ResultPage:
    """What pagination.html needs, for a result list counted by the index, not a queryset."""

    number: int
    num_pages: int
    count: int

    @property
    def paginator(self) -> ResultPage:
        return self

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    chosen = form.chosen()
    results = queries.search(
        request.user, chosen.text, chosen.filters, sort=chosen.sort, page=_page_number(request)
    )
    query = request.GET.copy()
    query.pop("seite", None)
    context = {
        "form": form,
        "chosen": chosen,
        "results": results,
        "page": ResultPage(results.page, results.pages, results.total),
        "offset": (results.page - 1) * queries.PAGE_SIZE,
        "facets": _facet_links(results, query),
        "filter_query": query.urlencode(),
        "suggestion_query": _with(query, "q", results.suggestion) if results.suggestion else "",
        "feed_query": feed_query(request.GET) if chosen.text else "",
    }
    if chosen.text:
        context["parts"] = contributions.parts(
            contributions.SEARCH_PAGE, request, context["feed_query"]
        )
    return render(request, "search/search.html", context)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("seite", "1")
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


def _facet_links(
    results: queries.SearchResults, query: QueryDict
) -> list[tuple[str, list[FacetLink]]]:
    groups = []
    for name, (parameter, heading) in FACETS.items():
        chosen = query.get(parameter, "")
        links = [
            FacetLink(
                label=value.label,
                count=value.count,
                url="?" + _with(query, parameter, "" if chosen == value.value else value.value),
                selected=chosen == value.value,
            )
            for value in results.facets.get(name, [])
        ]
        if links:
            groups.append((str(heading), links))
    return groups


def _with(query: QueryDict, parameter: str, value: str) -> str:
    changed = query.copy()
    if value:
        changed[parameter] = value
    else:
        changed.pop(parameter, None)
    return changed.urlencode()
