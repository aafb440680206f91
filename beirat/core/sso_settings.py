"""Single sign-on read from the environment: the allauth provider settings, the origins the
Content-Security-Policy must allow as form targets, and the sign-in policy (docs/deployment.md,
"Single sign-on"). Imported by settings.py, so nothing here touches a model.

OpenID Connect is configured by ``BEIRAT_OIDC_*``, SAML by ``BEIRAT_SAML_*``; both share the
policy of ``BEIRAT_SSO_*`` (who is let in, roles from groups, second factor, contact).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from beirat.core.environment import Environment

# The names in the URLs: /konto/oidc/city-sso/login/ and /konto/saml/city-saml/acs/.
OIDC_PROVIDER_ID = "city-sso"
SAML_ORGANIZATION = "city-saml"

# RFC 8176 "mfa" (Keycloak, Azure AD / Entra ID) and ADFS's URI for a second factor.
DEFAULT_MFA_AMR = ["mfa", "http://schemas.microsoft.com/claims/multipleauthn"]
# ADFS sends the methods as a SAML attribute of this name.
DEFAULT_SAML_AMR_ATTRIBUTE = "http://schemas.microsoft.com/claims/authnmethodsreferences"
# allauth's defaults plus the attribute names of Keycloak, ADFS and Azure AD.
DEFAULT_SAML_ATTRIBUTES: dict[str, list[str]] = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
    ],
    "email_verified": ["email_verified"],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "firstName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "lastName",
    ],
    "username": [
        "urn:oid:0.9.2342.19200300.100.1.1",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
        "username",
    ],
}
MATCH_MODES = ("email", "claim", "none")


@dataclass(frozen=True)
class Policy:
    """Who single sign-on lets in and how (read by beirat/core/sso.py)."""

    match: str = "email"  # "email", "claim" or "none"
    match_claim: str = ""  # with match == "claim": the claim compared with the user name
    trust_email: bool = False  # take the provider's e-mail as verified without email_verified
    contact: str = ""
    create_accounts: bool = False
    group_claim: str = "groups"
    group_roles: dict[str, str] = field(default_factory=dict)  # provider group → role key
    mfa_amr: tuple[str, ...] = tuple(DEFAULT_MFA_AMR)
    mfa_acr: tuple[str, ...] = ()
    saml_amr_attribute: str = DEFAULT_SAML_AMR_ATTRIBUTE
    timeout_seconds: int = 5


@dataclass(frozen=True)
class SingleSignOn:
    providers: dict[str, dict[str, Any]]
    form_action_origins: list[str]
    policy: Policy


def origin_of(url: str, variable: str) -> str:
    """scheme://host[:port] of an absolute http(s) address, the unit a CSP source names."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"{variable} must be an http(s) address, not {url!r}.")
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}{port}"


def group_roles(value: str, variable: str = "BEIRAT_SSO_GROUP_ROLES") -> dict[str, str]:
    """``group=role;group=role``; a group may itself hold "=" (an LDAP DN), the role is what
    follows the last one. Role keys are checked against the roles when the app starts."""
    mapping: dict[str, str] = {}
    for item in value.split(";"):
        if not item.strip():
            continue
        group, sep, role = item.rpartition("=")
        if not sep or not group.strip() or not role.strip():
            raise ImproperlyConfigured(f"{variable}: {item!r} is not group=role.")
        mapping[group.strip()] = role.strip()
    return mapping


def attribute_map(value: str, variable: str = "BEIRAT_SAML_ATTRIBUTES") -> dict[str, list[str]]:
    """``field=attribute;field=attribute`` over allauth's defaults (fields: uid, email,
    email_verified, first_name, last_name, username)."""
    mapping = {key: list(names) for key, names in DEFAULT_SAML_ATTRIBUTES.items()}
    for item in value.split(";"):
        if not item.strip():
            continue
        key, sep, name = item.partition("=")
        if not sep or key.strip() not in DEFAULT_SAML_ATTRIBUTES or not name.strip():
            fields = ", ".join(DEFAULT_SAML_ATTRIBUTES)
            raise ImproperlyConfigured(f"{variable}: {item!r} is not field=attribute ({fields}).")
        mapping[key.strip()] = [name.strip()]
    return mapping


def _policy(env: Environment, *, default_contact: str) -> Policy:
    match = env.string("BEIRAT_SSO_MATCH", "email")
    claim = ""
    if match.startswith("claim:"):
        match, claim = "claim", match.removeprefix("claim:").strip()
        if not claim:
            raise ImproperlyConfigured(
                "BEIRAT_SSO_MATCH: name the claim, e.g. claim:preferred_username."
            )
    if match not in MATCH_MODES:
        raise ImproperlyConfigured(
            f"BEIRAT_SSO_MATCH must be email, claim:NAME or none, not {match!r}."
        )
    return Policy(
        match=match,
        match_claim=claim,
        trust_email=env.boolean("BEIRAT_SSO_TRUST_EMAIL", False),
        contact=env.string("BEIRAT_SSO_CONTACT", default_contact),
        create_accounts=env.boolean("BEIRAT_SSO_CREATE_ACCOUNTS", False),
        group_claim=env.string("BEIRAT_SSO_GROUP_CLAIM", "groups"),
        group_roles=group_roles(env.string("BEIRAT_SSO_GROUP_ROLES", "")),
        mfa_amr=tuple(env.strings("BEIRAT_SSO_MFA_AMR", DEFAULT_MFA_AMR)),
        mfa_acr=tuple(env.strings("BEIRAT_SSO_MFA_ACR", [])),
        saml_amr_attribute=env.string("BEIRAT_SAML_AMR_ATTRIBUTE", DEFAULT_SAML_AMR_ATTRIBUTE),
        timeout_seconds=env.integer("BEIRAT_SSO_TIMEOUT_SECONDS", 5, minimum=1, maximum=60),
    )


def single_sign_on(env: Environment, *, default_contact: str) -> SingleSignOn:
    # The provider classes are named even without an app: allauth reads them once, when it
    # first lists its providers.
    providers: dict[str, dict[str, Any]] = {
        "openid_connect": {
            "provider_class": "beirat.core.sso_providers.CityOpenIDConnectProvider",
            "APPS": [],
        },
        "saml": {"provider_class": "beirat.core.sso_providers.CitySAMLProvider", "APPS": []},
    }
    origins: list[str] = []
    policy = _policy(env, default_contact=default_contact)

    server_url = env.optional_string("BEIRAT_OIDC_SERVER_URL")
    if server_url:
        client_id = env.optional_string("BEIRAT_OIDC_CLIENT_ID")
        if not client_id:
            raise ImproperlyConfigured(
                "BEIRAT_OIDC_CLIENT_ID is required with BEIRAT_OIDC_SERVER_URL."
            )
        origins.append(origin_of(server_url, "BEIRAT_OIDC_SERVER_URL"))
        providers["openid_connect"] |= {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": env.string("BEIRAT_OIDC_NAME", "Single Sign-on"),
                    "client_id": client_id,
                    "secret": env.string("BEIRAT_OIDC_CLIENT_SECRET", ""),
                    "settings": {
                        "server_url": server_url,
                        "scope": env.string("BEIRAT_OIDC_SCOPES", "openid profile email").split(),
                    },
                }
            ],
        }

    metadata_url = env.optional_string("BEIRAT_SAML_METADATA_URL")
    if metadata_url:
        entity_id = env.optional_string("BEIRAT_SAML_ENTITY_ID")
        if not entity_id:
            raise ImproperlyConfigured(
                "BEIRAT_SAML_ENTITY_ID (the identity provider's entity ID) is required with "
                "BEIRAT_SAML_METADATA_URL."
            )
        origins.append(origin_of(metadata_url, "BEIRAT_SAML_METADATA_URL"))
        sso_origin = env.optional_string("BEIRAT_SAML_SSO_ORIGIN")
        if sso_origin:  # the IdP's sign-in page lives on another host than its metadata
            origins.append(origin_of(sso_origin, "BEIRAT_SAML_SSO_ORIGIN"))
        sp: dict[str, str] = {}
        if sp_entity_id := env.optional_string("BEIRAT_SAML_SP_ENTITY_ID"):
            sp["entity_id"] = sp_entity_id
        providers["saml"] |= {
            "APPS": [
                {
                    "name": env.string("BEIRAT_SAML_NAME", "Single Sign-on (SAML)"),
                    "provider_id": SAML_ORGANIZATION,
                    "client_id": SAML_ORGANIZATION,
                    "settings": {
                        "attribute_mapping": attribute_map(
                            env.string("BEIRAT_SAML_ATTRIBUTES", "")
                        ),
                        "idp": {
                            "entity_id": entity_id,
                            "metadata_url": metadata_url,
                            "metadata_request_timeout": policy.timeout_seconds,
                        },
                        "sp": sp,
                        "advanced": {
                            "want_assertion_signed": True,
                            "reject_idp_initiated_sso": True,
                            # Addresses such as http://localhost:8000/ (a test on one machine).
                            "allow_single_label_domains": True,
                        },
                    },
                }
            ],
        }
    return SingleSignOn(
        providers=providers, form_action_origins=list(dict.fromkeys(origins)), policy=policy
    )
