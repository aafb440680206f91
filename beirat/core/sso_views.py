"""Single sign-on pages: allauth's sign-in views wrapped so that a provider that is down or
answers nonsense gives the German page (and an audit entry) instead of a server error, and the
administrators' page that shows the configured provider and tests the connection.

The wrapped views keep allauth's addresses (core/urls.py names them first, so they win).
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.error import URLError

import requests
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.saml import views as saml_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from beirat.core import sso
from beirat.core.access import staff_page
from beirat.core.rules import can_manage_sign_in
from beirat.core.sso_providers import CityOpenIDConnectAdapter

# What reading the provider's discovery document or metadata can raise when it is down, slow
# or answers something else (python3-saml raises plain exceptions for XML it cannot read).
PROVIDER_FAILURES = (requests.RequestException, URLError, OSError, ValueError, KeyError)


def _provider_name(request: HttpRequest, provider_id: str) -> str:
    try:
        app = get_social_adapter(request).get_app(request, provider=provider_id)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    return str(app.name or provider_id)


def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    name = _provider_name(request, provider_id)
    try:
        view = OAuth2LoginView.adapter_view(CityOpenIDConnectAdapter(request, provider_id))
        response: HttpResponse = view(request)
    except PROVIDER_FAILURES as error:
        return sso.failure_page(request, name, error)
    return response


def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    name = _provider_name(request, provider_id)
    try:
        view = OAuth2CallbackView.adapter_view(CityOpenIDConnectAdapter(request, provider_id))
        response: HttpResponse = view(request)
    except PROVIDER_FAILURES as error:
        return sso.failure_page(request, name, error)
    return response


def saml_login(request: HttpRequest, organization_slug: str) -> HttpResponse:
    try:
        response: HttpResponse = saml_views.login(request, organization_slug=organization_slug)
    except Http404:
        raise
    except Exception as error:  # metadata unreadable: python3-saml raises plain Exceptions
        return sso.failure_page(request, organization_slug, error)
    return response


def saml_finish_acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    try:
        response: HttpResponse = saml_views.finish_acs(request, organization_slug=organization_slug)
    except Http404:
        raise
    except Exception as error:
        return sso.failure_page(request, organization_slug, error)
    return response


@staff_page(can_manage_sign_in)
def sign_in_settings(request: HttpRequest) -> HttpResponse:
    """The configured providers, the values to enter at the provider, and (on POST) whether
    each provider answers."""
    results = sso.check_connections() if request.method == "POST" else None
    context = {"providers": sso.summaries(request), "results": results, "policy": sso.policy()}
    status = HTTPStatus.OK
    if request.method not in {"GET", "HEAD", "POST"}:
        status = HTTPStatus.METHOD_NOT_ALLOWED
    return render(request, "core/sso/settings.html", context, status=status)
