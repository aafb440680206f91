"""Single sign-on: whom the city's identity provider lets in, and as whom.

allauth runs the protocols (OpenID Connect, SAML); this module decides, by the policy of
``BEIRAT_SSO_*`` (beirat/core/sso_settings.py):

* **who** — the first sign-in connects the existing account whose verified e-mail address (or
  user name, from a claim) matches; an unknown person is refused with a page that names whom to
  ask. Only with ``BEIRAT_SSO_CREATE_ACCOUNTS`` is an account made, and only for a member of a
  group that maps to a role.
* **roles** — with ``BEIRAT_SSO_GROUP_ROLES`` the roles named there follow the provider's
  groups at every sign-in; other roles stay as an administrator set them.
* **second factor** — when the provider says it checked one (``amr``/``acr``, SAML
  AuthnContextClassRef), beirat neither asks for its own code nor demands its set-up.
* **sign-out** — ends the provider's session too where it offers that (OpenID Connect
  RP-initiated logout, SAML single logout).

Every sign-in, refusal and failure writes an audit entry.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.socialaccount.providers.base.constants import AuthError, AuthProcess
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.checks import CheckMessage, Error, register
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beirat.core.accounts import StaffAccountAdapter, StaffSocialAccountAdapter
from beirat.core.models import AuditEntry, User
from beirat.core.roles import Role
from beirat.core.sso_providers import PENDING_ID_TOKEN
from beirat.core.sso_settings import OIDC_PROVIDER_ID, SAML_ORGANIZATION, Policy

logger = logging.getLogger(__name__)

# The signed-in session's record of its single sign-on (provider, second factor, logout data).
SESSION_KEY = "beirat_sso"
OIDC = "openid_connect"
SAML = "saml"

# Why a sign-in was refused or failed: the code in the audit entry, the sentence on the page.
REASONS: dict[str, Any] = {
    "unknown": gettext_lazy(
        "Zu Ihrer Anmeldung beim Anmeldedienst der Stadt gibt es hier kein Konto."
    ),
    "not_connected": gettext_lazy(
        "Ihr Konto ist noch nicht mit dem Anmeldedienst der Stadt verbunden."
    ),
    "email_missing": gettext_lazy("Der Anmeldedienst hat keine E-Mail-Adresse übermittelt."),
    "email_unverified": gettext_lazy(
        "Der Anmeldedienst hat Ihre E-Mail-Adresse nicht als bestätigt gemeldet. Ein Konto wird "
        "nur über eine bestätigte Adresse verbunden."
    ),
    "claim_missing": gettext_lazy(
        "Der Anmeldedienst hat die Angabe nicht übermittelt, an der Ihr Konto erkannt wird."
    ),
    "ambiguous": gettext_lazy(
        "Zu Ihren Angaben gibt es hier mehr als ein Konto. Welches gemeint ist, muss die "
        "Administration klären; verbunden wurde keines."
    ),
    "inactive": gettext_lazy("Ihr Konto ist gesperrt."),
    "connected_other": gettext_lazy(
        "Ihr Konto ist bereits mit einer anderen Kennung des Anmeldedienstes verbunden."
    ),
    "no_group": gettext_lazy("Sie gehören keiner Gruppe an, der hier eine Rolle zugeordnet ist."),
    "unreachable": gettext_lazy(
        "Der Anmeldedienst der Stadt antwortet gerade nicht. Bitte versuchen Sie es später noch "
        "einmal oder melden Sie sich mit Benutzername und Passwort an."
    ),
    "client_rejected": gettext_lazy(
        "Der Anmeldedienst hat die Zugangsdaten dieser Anwendung abgelehnt. Das muss die "
        "Administration in der Einrichtung beheben."
    ),
    "invalid_token": gettext_lazy(
        "Die Bestätigung des Anmeldedienstes war ungültig (falscher Aussteller, falsche "
        "Empfängerin oder abgelaufen). Aus Sicherheitsgründen wurden Sie nicht angemeldet."
    ),
    "invalid_state": gettext_lazy(
        "Die Anmeldung passt nicht zu dieser Sitzung (sie wurde verändert, abgelaufen oder in "
        "einem anderen Browser begonnen). Bitte beginnen Sie die Anmeldung noch einmal."
    ),
    "invalid_response": gettext_lazy(
        "Die Antwort des Anmeldedienstes war ungültig. Aus Sicherheitsgründen wurden Sie nicht "
        "angemeldet."
    ),
    "cancelled": gettext_lazy("Die Anmeldung wurde beim Anmeldedienst abgebrochen."),
    "failed": gettext_lazy("Die Anmeldung über den Anmeldedienst ist fehlgeschlagen."),
}
FAILURE_STATUS = {"unreachable": 503, "cancelled": 401}


def policy() -> Policy:
    configured: Policy = settings.BEIRAT_SSO
    return configured


@dataclass(frozen=True)
class Identity:
    """What the provider said about the person, the same for OpenID Connect and SAML."""

    kind: str  # openid_connect or saml
    provider: str  # allauth's name of the provider's app (SocialAccount.provider): city-sso
    provider_name: str
    uid: str
    email: str
    email_verified: bool
    username: str
    first_name: str
    last_name: str
    claims: dict[str, Any]
    amr: tuple[str, ...]
    acr: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.provider_name}: {self.email or self.username or self.uid}"

    def claim_values(self, name: str) -> list[str]:
        value = self.claims.get(name)
        if value is None:
            return []
        items = value if isinstance(value, list | tuple) else [value]
        return [str(item) for item in items if item is not None and str(item) != ""]

    def groups(self) -> list[str]:
        return self.claim_values(policy().group_claim)


def _truthy(value: Any) -> bool:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"true", "1", "yes", "y", "t"}


def _words(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split()
    return tuple(str(item) for item in items)


def identity_of(sociallogin: SocialLogin) -> Identity:
    account = sociallogin.account
    data: dict[str, Any] = account.extra_data or {}
    provider = account.get_provider()
    name = str(getattr(provider, "name", account.provider))
    kind = str(getattr(provider, "id", account.provider))
    if kind == SAML:
        mapped: dict[str, Any] = data.get("mapped") or {}
        attributes: dict[str, Any] = data.get("attributes") or {}
        claims = {**attributes, **mapped}
        return Identity(
            kind=SAML,
            provider=account.provider,
            provider_name=name,
            uid=str(account.uid),
            email=str(mapped.get("email") or ""),
            email_verified=_truthy(mapped.get("email_verified", False)),
            username=str(mapped.get("username") or ""),
            first_name=str(mapped.get("first_name") or ""),
            last_name=str(mapped.get("last_name") or ""),
            claims=claims,
            amr=_words(attributes.get(policy().saml_amr_attribute)),
            acr=_words(data.get("authn_contexts")),
        )
    id_token: dict[str, Any] = data.get("id_token") or {}
    userinfo: dict[str, Any] = data.get("userinfo") or {}
    claims = {**id_token, **userinfo}
    return Identity(
        kind=kind,
        provider=account.provider,
        provider_name=name,
        uid=str(account.uid),
        email=str(claims.get("email") or ""),
        email_verified=_truthy(claims.get("email_verified", False)),
        username=str(claims.get("preferred_username") or ""),
        first_name=str(claims.get("given_name") or ""),
        last_name=str(claims.get("family_name") or ""),
        claims=claims,
        # The authentication methods are the ID token's: the sign-in that just happened.
        amr=_words(id_token.get("amr")),
        acr=_words(id_token.get("acr")),
    )


def provider_checked_second_factor(identity: Identity) -> bool:
    """The provider states that it checked a second factor (amr/acr values of the policy)."""
    rules = policy()
    return bool(set(identity.amr) & set(rules.mfa_amr) or set(identity.acr) & set(rules.mfa_acr))


# --- audit -------------------------------------------------------------------------------------


def _facts(**values: Any) -> dict[str, dict[str, Any]]:
    return {name: {"before": None, "after": value} for name, value in values.items() if value}


def audit(
    action: str,
    *,
    user: User | None = None,
    identity: Identity | None = None,
    provider_name: str = "",
    **facts: Any,
) -> AuditEntry:
    """One entry per sign-in, refusal or failure. The subject is the account where there is
    one; the provider's identity (e-mail, identifier) is kept so that an administrator can
    answer the person who asks why they were refused."""
    name = identity.provider_name if identity else provider_name
    label = identity.label if identity else (name or "Single Sign-on")
    return AuditEntry.objects.create(
        actor=user,
        actor_label=(user.get_username() if user else label)[:150],
        action=action,
        object_type="core.user",
        object_id=str(user.pk) if user else "",
        object_label=(str(user) if user else label)[:255],
        changes=_facts(
            provider=name,
            uid=identity.uid if identity else "",
            email=identity.email if identity else "",
            **facts,
        ),
    )


# --- who is let in -----------------------------------------------------------------------------


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _candidates_by_email(email: str) -> list[User]:
    by_account = set(User.objects.filter(email__iexact=email).values_list("pk", flat=True))
    by_address = set(
        EmailAddress.objects.filter(email__iexact=email, verified=True).values_list(
            "user_id", flat=True
        )
    )
    return list(User.objects.filter(pk__in=by_account | by_address).order_by("pk"))


def find_account(identity: Identity) -> User:
    """The one existing account this identity belongs to, or Refused."""
    rules = policy()
    if rules.match == "none":
        raise Refused("not_connected")
    if rules.match == "claim":
        values = identity.claim_values(rules.match_claim)
        if not values:
            raise Refused("claim_missing")
        candidates = list(User.objects.filter(username__iexact=values[0]).order_by("pk"))
    else:
        if not identity.email:
            raise Refused("email_missing")
        if not (identity.email_verified or rules.trust_email):
            raise Refused("email_unverified")
        candidates = _candidates_by_email(identity.email)
    if not candidates:
        raise Refused("unknown")
    if len(candidates) > 1:
        raise Refused("ambiguous")
    user = candidates[0]
    if not user.is_active:
        raise Refused("inactive")
    if SocialAccount.objects.filter(user=user, provider=identity.provider).exists():
        raise Refused("connected_other")
    return user


def roles_from_groups(identity: Identity) -> set[str]:
    mapping = policy().group_roles
    return {mapping[group] for group in identity.groups() if group in mapping}


def _free_username(wanted: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", wanted)[:140] or "sso"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def create_account(identity: Identity) -> User:
    """A new account for a member of a mapped group (BEIRAT_SSO_CREATE_ACCOUNTS)."""
    if not roles_from_groups(identity):
        raise Refused("no_group")
    if not identity.email:
        raise Refused("email_missing")
    if not (identity.email_verified or policy().trust_email):
        raise Refused("email_unverified")
    if _candidates_by_email(identity.email):
        raise Refused("ambiguous")
    user = User(
        username=_free_username(identity.username or identity.email.split("@")[0]),
        email=identity.email,
        first_name=identity.first_name[:150],
        last_name=identity.last_name[:150],
    )
    user.set_unusable_password()
    user.save()
    audit("sso.account_created", user=user, identity=identity)
    return user


def sync_roles(user: User, identity: Identity) -> None:
    """The roles named in BEIRAT_SSO_GROUP_ROLES follow the provider's groups; others stay."""
    mapping = policy().group_roles
    if not mapping:
        return
    managed = set(mapping.values())
    wanted = roles_from_groups(identity)
    current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    if current == wanted:
        return
    for group in Group.objects.filter(name__in=wanted - current):
        user.groups.add(group)
    removed = list(Group.objects.filter(name__in=current - wanted))
    if removed:
        user.groups.remove(*removed)
    with contextlib.suppress(AttributeError):
        delattr(user, "_beirat_roles")  # the cache of roles.roles_of
    AuditEntry.objects.create(
        actor=user,
        actor_label=user.get_username(),
        action="sso.roles_updated",
        object_type="core.user",
        object_id=str(user.pk),
        object_label=str(user)[:255],
        changes={"roles": {"before": sorted(current), "after": sorted(wanted)}},
    )


def refusal_page(request: HttpRequest, reason: str, *, status: int = 403) -> HttpResponse:
    return render(
        request,
        "core/sso/refused.html",
        {"message": REASONS.get(reason, REASONS["failed"]), "contact": policy().contact},
        status=status,
    )


def on_social_login(request: HttpRequest, sociallogin: SocialLogin) -> None:
    """allauth's pre_social_login: connect, create or refuse; roles; audit."""
    identity = identity_of(sociallogin)
    try:
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            _connect_signed_in(request, sociallogin, identity)
            return
        with transaction.atomic():
            if sociallogin.is_existing:
                user = sociallogin.user
                if not user.is_active:
                    raise Refused("inactive")
                sync_roles(user, identity)
                audit("sso.signed_in", user=user, identity=identity)
                return
            try:
                user = find_account(identity)
                action = "sso.connected"
            except Refused as refusal:
                if not (policy().create_accounts and refusal.reason == "unknown"):
                    raise
                user = create_account(identity)
                action = "sso.connected_new_account"
            sociallogin.connect(request, user)
            sync_roles(user, identity)
            audit(action, user=user, identity=identity)
    except Refused as refusal:
        request.session.pop(PENDING_ID_TOKEN, None)
        audit("sso.refused", identity=identity, reason=refusal.reason)
        raise ImmediateHttpResponse(refusal_page(request, refusal.reason)) from refusal


def _connect_signed_in(request: HttpRequest, sociallogin: SocialLogin, identity: Identity) -> None:
    """ "Verbinden" on the account's connections page: the signed-in person connects their own
    account (allauth saves it), never the account that an address would match."""
    user = request.user
    if not isinstance(user, User):
        raise Refused("not_connected")
    if sociallogin.is_existing:
        return  # allauth refuses an identity that belongs to another account
    if SocialAccount.objects.filter(user=user, provider=identity.provider).exists():
        raise Refused("connected_other")
    audit("sso.connected", user=user, identity=identity)


def failure_reason(
    error: Any = None, exception: BaseException | None = None, context: dict[str, Any] | None = None
) -> str:
    context = context or {}
    if error == AuthError.CANCELLED:
        return "cancelled"
    if isinstance(exception, requests.RequestException | TimeoutError | OSError):
        return "unreachable"
    text = str(exception or "")
    if "invalid_client" in text or "unauthorized_client" in text:
        return "client_rejected"
    if "id_token" in text or "token already used" in text:
        return "invalid_token"
    if "state_id" in context:  # allauth found no sign-in of this session with that state
        return "invalid_state"
    if context.get("saml_errors"):
        return "invalid_response"
    return "failed"


def on_authentication_error(
    request: HttpRequest,
    provider: Any,
    error: Any = None,
    exception: BaseException | None = None,
    extra_context: dict[str, Any] | None = None,
) -> None:
    """allauth's on_authentication_error: an audit entry and the German page instead of
    allauth's. A cancelled sign-in goes back to allauth's cancelled page."""
    context = extra_context or {}
    reason = failure_reason(error, exception, context)
    request.session.pop(PENDING_ID_TOKEN, None)
    detail = str(exception or context.get("saml_last_error_reason") or "")[:300]
    audit(
        "sso.failed",
        provider_name=str(getattr(provider, "name", "") or ""),
        reason=reason,
        detail=detail,
    )
    logger.warning("single sign-on failed: %s %s", reason, detail)
    if reason == "cancelled":
        return
    raise ImmediateHttpResponse(
        refusal_page(request, reason, status=FAILURE_STATUS.get(reason, 401))
    )


# --- second factor and the signed-in session ---------------------------------------------------


class SecondFactorStage(AuthenticateStage):  # type: ignore[misc]
    """allauth's question for the account's own second factor, skipped after a sign-in at a
    provider that states it checked one."""

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if isinstance(sociallogin, SocialLogin) and provider_checked_second_factor(
            identity_of(sociallogin)
        ):
            return False
        handle: bool = super()._should_handle(request)
        return handle


def remember_sign_in(
    sender: Any, request: HttpRequest, user: User, sociallogin: SocialLogin | None = None, **_: Any
) -> None:
    """After every login: what the session needs to know of its single sign-on, or nothing
    (a login with the password forgets what an earlier sign-in said)."""
    pending = request.session.pop(PENDING_ID_TOKEN, None)
    if sociallogin is None:
        request.session.pop(SESSION_KEY, None)
        return
    identity = identity_of(sociallogin)
    extra: dict[str, Any] = sociallogin.account.extra_data or {}
    record: dict[str, Any] = {
        "user": user.pk,
        "provider": identity.kind,
        "second_factor": provider_checked_second_factor(identity),
    }
    if identity.kind == OIDC and pending:
        record["id_token"] = pending
    if identity.kind == SAML:
        for key in ("name_id", "name_id_format", "name_id_qualifier", "name_id_sp_qualifier"):
            record[key] = extra.get(key)
        record["session_index"] = extra.get("session_index")
    request.session[SESSION_KEY] = record


def second_factor_by_provider(request: HttpRequest) -> bool:
    """This session's sign-in was at a provider that checked a second factor."""
    session = getattr(request, "session", None)
    record = session.get(SESSION_KEY) if session is not None else None
    return bool(
        isinstance(record, dict)
        and record.get("second_factor")
        and record.get("user") == request.user.pk
    )


def _absolute_home(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))


def _oidc_logout_url(request: HttpRequest, record: dict[str, Any]) -> str | None:
    adapter = get_social_adapter(request)
    provider = adapter.get_provider(request, OIDC_PROVIDER_ID)
    endpoint = provider.get_oauth2_adapter(request).openid_config.get("end_session_endpoint")
    if not endpoint:
        return None
    params = {
        "post_logout_redirect_uri": _absolute_home(request),
        "client_id": provider.app.client_id,
    }
    if record.get("id_token"):
        params["id_token_hint"] = record["id_token"]
    separator = "&" if urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


def _saml_logout_url(request: HttpRequest, record: dict[str, Any]) -> str | None:
    from allauth.socialaccount.providers.saml.utils import build_auth, get_app_or_404

    provider = get_app_or_404(request, SAML_ORGANIZATION).get_provider(request)
    auth = build_auth(request, provider)
    if not auth.get_slo_url():
        return None
    url: str = auth.logout(
        return_to=_absolute_home(request),
        name_id=record.get("name_id"),
        session_index=record.get("session_index"),
        nq=record.get("name_id_qualifier"),
        name_id_format=record.get("name_id_format"),
        spnq=record.get("name_id_sp_qualifier"),
    )
    return url


def logout_url(request: HttpRequest) -> str | None:
    """Where sign-out continues to end the provider's session too, if it offers that."""
    record = request.session.get(SESSION_KEY)
    if not isinstance(record, dict) or record.get("user") != request.user.pk:
        return None
    try:
        if record.get("provider") == OIDC:
            return _oidc_logout_url(request, record)
        if record.get("provider") == SAML:
            return _saml_logout_url(request, record)
    except Exception:  # the provider is down: sign out here at least
        logger.warning("single logout at the provider is not possible", exc_info=True)
    return None


# --- the adapters named in settings.py ---------------------------------------------------------


class SingleSignOnAccountAdapter(StaffAccountAdapter):
    def get_login_stages(self) -> list[str]:
        stages: list[str] = super().get_login_stages()
        return [
            "beirat.core.sso.SecondFactorStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in stages
        ]

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        url = logout_url(request) if request.user.is_authenticated else None
        return url or str(super().get_logout_redirect_url(request))

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        # A login with the password does not inherit what a provider once said.
        request.session.pop(SESSION_KEY, None)
        return super().authenticate(request, **credentials)


class SingleSignOnSocialAccountAdapter(StaffSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        on_social_login(request, sociallogin)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        on_authentication_error(request, provider, error, exception, extra_context)


# --- wiring ------------------------------------------------------------------------------------


def check_role_names(**kwargs: Any) -> list[CheckMessage]:
    keys = {role.value for role in Role}
    return [
        Error(
            f"BEIRAT_SSO_GROUP_ROLES maps {group!r} to {role!r}, which is no role "
            f"({', '.join(sorted(keys))}).",
            id="beirat.E101",
        )
        for group, role in policy().group_roles.items()
        if role not in keys
    ]


def connect() -> None:
    """Called once from CoreConfig.ready()."""
    user_logged_in.connect(remember_sign_in, dispatch_uid="beirat.core.sso.remember_sign_in")
    register(check_role_names)


def failure_page(
    request: HttpRequest, provider_name: str, exception: BaseException
) -> HttpResponse:
    """A failure before allauth's own handling starts (the provider's discovery document or
    metadata cannot be read when the sign-in begins)."""
    reason = failure_reason(exception=exception)
    if reason == "failed" and isinstance(exception, ValueError | KeyError):
        reason = "invalid_response"
    audit("sso.failed", provider_name=provider_name, reason=reason, detail=str(exception)[:300])
    logger.warning("single sign-on failed: %s %s", reason, exception)
    return refusal_page(request, reason, status=FAILURE_STATUS.get(reason, 502))


# --- the administrators' page: what is configured, and does the provider answer -----------------


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


@dataclass(frozen=True)
class ProviderSummary:
    kind: str  # "OpenID Connect" or "SAML"
    name: str
    address: str  # discovery document or metadata
    values: list[tuple[str, str]]  # what the administrator enters at the provider


def summaries(request: HttpRequest) -> list[ProviderSummary]:
    found = []
    for provider, app in _configured_apps():
        if provider == OIDC:
            slug = str(app["provider_id"])
            found.append(
                ProviderSummary(
                    kind="OpenID Connect",
                    name=str(app["name"]),
                    address=str(app["settings"]["server_url"]),
                    values=[
                        (_("Client-ID"), str(app["client_id"])),
                        (
                            _("Weiterleitungs-URI (Redirect URI)"),
                            request.build_absolute_uri(
                                reverse("openid_connect_callback", kwargs={"provider_id": slug})
                            ),
                        ),
                        (_("Adresse nach der Abmeldung"), _absolute_home(request)),
                        (_("Scopes"), " ".join(app["settings"].get("scope", []))),
                    ],
                )
            )
        elif provider == SAML:
            slug = str(app["client_id"])
            metadata = request.build_absolute_uri(reverse("saml_metadata", args=[slug]))
            found.append(
                ProviderSummary(
                    kind="SAML",
                    name=str(app["name"]),
                    address=str(app["settings"]["idp"]["metadata_url"]),
                    values=[
                        (
                            _("Entity-ID des Beirats"),
                            app["settings"]["sp"].get("entity_id") or metadata,
                        ),
                        (_("Metadaten des Beirats"), metadata),
                        (
                            _("Assertion Consumer Service (POST)"),
                            request.build_absolute_uri(reverse("saml_acs", args=[slug])),
                        ),
                        (
                            _("Single Logout Service (Redirect)"),
                            request.build_absolute_uri(reverse("saml_sls", args=[slug])),
                        ),
                        (
                            _("Entity-ID des Anmeldedienstes"),
                            str(app["settings"]["idp"]["entity_id"]),
                        ),
                    ],
                )
            )
    return found


def _configured_apps() -> list[tuple[str, dict[str, Any]]]:
    providers: dict[str, dict[str, Any]] = settings.SOCIALACCOUNT_PROVIDERS
    return [
        (provider, app) for provider, config in providers.items() for app in config.get("APPS", [])
    ]


def _check_oidc(app: dict[str, Any]) -> list[Finding]:
    server_url = str(app["settings"]["server_url"])
    address = (
        server_url
        if "/.well-known/" in server_url
        else (server_url.rstrip("/") + "/.well-known/openid-configuration")
    )
    timeout = policy().timeout_seconds
    try:
        response = requests.get(address, timeout=timeout)
        response.raise_for_status()
        document = response.json()
    except requests.Timeout:
        return [
            Finding(
                False,
                _("Keine Antwort von %(url)s innerhalb von %(seconds)s Sekunden.")
                % {"url": address, "seconds": timeout},
            )
        ]
    except requests.HTTPError as error:
        return [
            Finding(
                False,
                _("%(url)s antwortet mit dem Status %(status)s.")
                % {"url": address, "status": getattr(error.response, "status_code", "?")},
            )
        ]
    except requests.RequestException as error:
        return [
            Finding(
                False,
                _("%(url)s ist nicht erreichbar (%(error)s).")
                % {"url": address, "error": type(error).__name__},
            )
        ]
    except ValueError:
        return [
            Finding(
                False, _("%(url)s liefert kein Discovery-Dokument (kein JSON).") % {"url": address}
            )
        ]
    if not isinstance(document, dict):
        return [
            Finding(
                False, _("%(url)s liefert kein Discovery-Dokument (kein JSON).") % {"url": address}
            )
        ]
    findings = [Finding(True, _("Discovery-Dokument gelesen: %(url)s") % {"url": address})]
    missing = [
        key
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not document.get(key)
    ]
    if missing:
        findings.append(
            Finding(
                False, _("Im Discovery-Dokument fehlt: %(keys)s.") % {"keys": ", ".join(missing)}
            )
        )
        return findings
    issuer = str(document["issuer"]).rstrip("/")
    expected = address.split("/.well-known/")[0].rstrip("/")
    findings.append(
        Finding(
            issuer == expected,
            _("Aussteller (issuer): %(issuer)s") % {"issuer": issuer}
            if issuer == expected
            else _("Der Aussteller %(issuer)s passt nicht zur eingestellten Adresse %(url)s.")
            % {"issuer": issuer, "url": expected},
        )
    )
    try:
        keys = requests.get(str(document["jwks_uri"]), timeout=timeout)
        keys.raise_for_status()
        count = len(keys.json().get("keys", []))
        findings.append(Finding(count > 0, _("Signaturschlüssel: %(count)s") % {"count": count}))
    except (requests.RequestException, ValueError, AttributeError):
        findings.append(Finding(False, _("Die Signaturschlüssel (jwks_uri) sind nicht lesbar.")))
    if document.get("end_session_endpoint"):
        findings.append(
            Finding(
                True, _("Abmeldung beim Anmeldedienst wird unterstützt (end_session_endpoint).")
            )
        )
    else:
        findings.append(
            Finding(
                True,
                _(
                    "Der Anmeldedienst bietet keine Abmeldung an; beim Abmelden endet nur die "
                    "Sitzung im Beirat."
                ),
            )
        )
    return findings


def _check_saml(app: dict[str, Any]) -> list[Finding]:
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    idp = app["settings"]["idp"]
    address = str(idp["metadata_url"])
    timeout = policy().timeout_seconds
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse_remote(
            address, entity_id=idp["entity_id"], timeout=timeout
        )
    except TimeoutError:
        return [
            Finding(
                False,
                _("Keine Antwort von %(url)s innerhalb von %(seconds)s Sekunden.")
                % {"url": address, "seconds": timeout},
            )
        ]
    except OSError as error:
        return [
            Finding(
                False,
                _("%(url)s ist nicht erreichbar (%(error)s).")
                % {"url": address, "error": type(error).__name__},
            )
        ]
    except Exception as error:  # python3-saml raises plain Exceptions for bad XML
        return [
            Finding(
                False,
                _("%(url)s liefert keine lesbaren SAML-Metadaten (%(error)s).")
                % {"url": address, "error": str(error)[:200]},
            )
        ]
    found = parsed.get("idp") or {}
    if not found.get("entityId"):
        return [
            Finding(
                False,
                _("In den Metadaten fehlt der Anmeldedienst mit der Entity-ID %(entity)s.")
                % {"entity": idp["entity_id"]},
            )
        ]
    findings = [Finding(True, _("Metadaten gelesen: %(url)s") % {"url": address})]
    sso_url = (found.get("singleSignOnService") or {}).get("url")
    findings.append(
        Finding(
            bool(sso_url),
            _("Anmeldung (SSO): %(url)s") % {"url": sso_url}
            if sso_url
            else _("In den Metadaten fehlt die Anmeldeadresse (SingleSignOnService)."),
        )
    )
    has_certificate = bool(found.get("x509cert") or found.get("x509certMulti"))
    findings.append(
        Finding(
            has_certificate,
            _("Signaturzertifikat vorhanden.")
            if has_certificate
            else _("In den Metadaten fehlt das Signaturzertifikat."),
        )
    )
    slo_url = (found.get("singleLogoutService") or {}).get("url")
    findings.append(
        Finding(
            True,
            _("Abmeldung beim Anmeldedienst (SLO): %(url)s") % {"url": slo_url}
            if slo_url
            else _(
                "Der Anmeldedienst bietet keine Abmeldung an; beim Abmelden endet nur die "
                "Sitzung im Beirat."
            ),
        )
    )
    return findings


def check_connections() -> list[tuple[str, list[Finding]]]:
    """Reads each provider's discovery document or metadata, as a sign-in would."""
    results = []
    for provider, app in _configured_apps():
        check = _check_oidc if provider == OIDC else _check_saml
        results.append((str(app["name"]), check(app)))
    return results
