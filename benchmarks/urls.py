"""beirat's URLs plus two trivial views, the yardsticks of the page and load benchmarks.

Both pass through every middleware of the real site (sessions, CSRF, CSP, language, two-factor
check, cache headers); they only do no work of their own.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from beirat.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@require_GET
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # like the submission form, which checks its own signed token instead
@require_POST
def trivial_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {len(request.POST)}", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/trivial-post/", trivial_post),
    *urlpatterns,
]
