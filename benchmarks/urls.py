"""beirat's URLs plus trivial views, the yardsticks of the page and load benchmarks.

All pass through every middleware of the real site (sessions, CSRF, CSP, language, two-factor
check, cache headers); they only do no work of their own. The load benchmark's floor is a
citizen's visit done by nothing: trivial_form serves a form page with the same signed token as
the submission form (no template, no database), trivial_post takes the same fields and answers
as the submission form answers a good post, with a redirect, having stored nothing.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from beirat.core.form_tokens import issue_token
from beirat.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@require_GET
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def trivial_form(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<!doctype html><form method="post" action="/bench/trivial-post/">'
        f'<input type="hidden" name="issued" value="{escape(issue_token())}"></form>'
    )


@csrf_exempt  # like the submission form, which checks its own signed token instead
@require_POST
def trivial_post(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"/bench/trivial/?fields={len(request.POST)}")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/trivial-form/", trivial_form),
    path("bench/trivial-post/", trivial_post),
    *urlpatterns,
]
