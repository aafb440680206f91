"""allauth's OpenID Connect and SAML providers, keeping what beirat needs after the sign-in.

Named in SOCIALACCOUNT_PROVIDERS[...]["provider_class"] (beirat/core/sso_settings.py):

* OpenID Connect: the raw ID token, which RP-initiated logout sends back as ``id_token_hint``.
  allauth keeps only its decoded claims; the token itself stays in the session, never in the
  database.
* SAML: besides the attributes, the authentication context (whether the provider checked a
  second factor), the NameID and the session index (both needed for single logout).
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from django.http import HttpRequest

# The raw ID token of a sign-in in progress; sso.py moves it to the signed-in session.
PENDING_ID_TOKEN = "beirat_sso_pending_id_token"  # noqa: S105 (a session key)


class CityOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):  # type: ignore[misc]
    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: Any
    ) -> SocialLogin:
        login = super().complete_login(request, app, token, **kwargs)
        id_token = kwargs["response"].get("id_token")
        if isinstance(id_token, str):
            request.session[PENDING_ID_TOKEN] = id_token
        return login


class CityOpenIDConnectProvider(OpenIDConnectProvider):  # type: ignore[misc]
    oauth2_adapter_class = CityOpenIDConnectAdapter
    # allauth finds a provider's URLs in its package; these are allauth's.
    package = "allauth.socialaccount.providers.openid_connect"


class CitySAMLProvider(SAMLProvider):  # type: ignore[misc]
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data: Any) -> dict[str, Any]:
        return {
            "attributes": data.get_attributes(),
            "mapped": self._extract(data),
            "authn_contexts": list(data.get_last_authn_contexts() or []),
            "name_id": data.get_nameid(),
            "name_id_format": data.get_nameid_format(),
            "name_id_qualifier": data.get_nameid_nq(),
            "name_id_sp_qualifier": data.get_nameid_spnq(),
            "session_index": data.get_session_index(),
        }
