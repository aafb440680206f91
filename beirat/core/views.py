"""Pages of the core app: start page, workplace, legal pages, language switch, error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from beirat.core import contributions, retention, services
from beirat.core.access import staff_page
from beirat.core.contributions import HOME, parts, workplace_sections
from beirat.core.forms import AccessibilityFeedbackForm
from beirat.core.page_cache import public_page
from beirat.core.pagination import paginate
from beirat.core.queries import own_roles, recent_audit_entries
from beirat.core.rules import can_view_audit_log


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"sections": parts(HOME, request)})


@login_required
def workplace(request: HttpRequest) -> HttpResponse:
    context = {
        "roles": own_roles(request.user),
        "sections": workplace_sections(request.user),
    }
    return render(request, "core/workplace.html", context)


@csrf_exempt  # anonymous form without a cookie; the signed form token replaces the check
def accessibility(request: HttpRequest) -> HttpResponse:
    form = AccessibilityFeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.send_accessibility_feedback(
            message=form.cleaned_data["message"],
            page=form.cleaned_data["page"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Vielen Dank. Ihre Rückmeldung ist bei uns eingegangen."))
        return redirect("core:accessibility")
    return render(request, "core/accessibility.html", {"form": form})


@staff_page(can_view_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/audit_log.html", {"page": paginate(request, recent_audit_entries())}
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def retention_register(request: HttpRequest) -> HttpResponse:
    return render(request, "core/retention.html", {"rules": retention.RULES})


def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "core/imprint.html")


@require_GET
def branding(request: HttpRequest) -> HttpResponse:
    """The city's colour as a style sheet: the CSP allows no inline styles, and settings may
    change without rebuilding the static files."""
    colour = settings.CITY["primary_colour"]
    response = HttpResponse(f":root {{ --beirat-brand: {colour}; }}\n", content_type="text/css")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public_page()
def open_data(request: HttpRequest) -> HttpResponse:
    """What the site publishes as open data and under which licence; the apps fill in their
    interfaces, calendars, feeds and downloads (beirat/core/contributions.py)."""
    context = {
        "licence": settings.BEIRAT_DATA_LICENCE,
        "site_url": settings.BEIRAT_SITE_URL,
        "interfaces": parts(contributions.OPEN_DATA_INTERFACES, request),
        "calendars": parts(contributions.OPEN_DATA_CALENDARS, request),
        "feeds": parts(contributions.OPEN_DATA_FEEDS, request),
        "downloads": parts(contributions.OPEN_DATA_DOWNLOADS, request),
    }
    return render(request, "core/open_data.html", context)


def easy_language(request: HttpRequest) -> HttpResponse:
    """How to take part, in Leichte Sprache (BITV 2.0 § 4)."""
    return render(request, "core/easy_language.html")


@require_GET
def switch_language(request: HttpRequest, language: str) -> HttpResponse:
    """Set the language cookie by a plain link, so no page needs a form (and no CSRF cookie)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:home")
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.PRODUCTION,
            httponly=True,
        )
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django's default is a bare English "Bad Request (400)". No context processors, as for the
    # 500 page: a request refused early (a foreign Host header) has no session or user yet.
    return HttpResponse(loader.get_template("400.html").render({"city": settings.CITY}), status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason is logged by the CSRF middleware (django.security.csrf), never shown.
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: whatever broke must not break the error page too.
    return HttpResponse(loader.get_template("500.html").render({"city": settings.CITY}), status=500)
