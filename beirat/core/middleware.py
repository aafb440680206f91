"""Request-wide rules of the core app."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from beirat.core.roles import needs_two_factor
from beirat.core.sso import second_factor_by_provider

PROTECTED_PREFIXES = ("/arbeitsplatz/", "/admin/")
PRIVATE_PREFIXES = ("/arbeitsplatz/", "/admin/", "/konto/")
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class RequireTwoFactorMiddleware:
    """The roles of ROLES_REQUIRING_TWO_FACTOR must set up a second factor before they reach the
    workplace."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PROTECTED_PREFIXES) and self._lacks_second_factor(request):
            messages.warning(
                request,
                _(
                    "Für Ihre Rolle ist eine Zwei-Faktor-Anmeldung vorgeschrieben. "
                    "Bitte richten Sie sie jetzt ein."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _lacks_second_factor(request: HttpRequest) -> bool:
        user = request.user
        if not needs_two_factor(user):
            return False
        if second_factor_by_provider(request):
            return False  # the city's identity provider checked one at this sign-in
        return not Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


class ChosenLanguageMiddleware:
    """German unless the visitor chose another language with the switch (a cookie).

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted: a city's
    official pages read the same for everyone until someone asks for English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class PrivateCacheMiddleware:
    """Nothing personal may be kept by a browser or proxy cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES) or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
