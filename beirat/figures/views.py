from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from beirat.core.page_cache import public_page
from beirat.figures import cells, queries, sections


@require_safe
@public_page()
def page(request: HttpRequest) -> HttpResponse:
    """/zahlen/: submissions, answer times, the board's recommendations and the council's
    mandates in figures, each as a chart and a table; small groups hidden (cells.py)."""
    figures = queries.city_figures()
    context = {
        "figures": figures,
        "key_figures": sections.key_figures(figures),
        "sections": sections.sections(figures),
        "first_month": figures.months[0].first_day,
        "last_month": figures.months[-1].first_day,
        "smallest_shown": cells.SMALLEST_SHOWN,
    }
    return render(request, "figures/page.html", context)
