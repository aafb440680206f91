"""Account rules for django-allauth: staff accounts are created by administrators only, and the
first login of an account leads from the password through the second factor's set-up without
asking for the password again."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

# Longer than any user name (150 characters) or e-mail address (254): no account has it.
MAX_LOGIN_LENGTH = 254

# How long after a login with the password alone the first second factor may be set up without
# entering the password again: time to install an authenticator app and scan its code.
FIRST_FACTOR_SECONDS = 15 * 60
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# The pages of the first set-up: adding the factor, then seeing the recovery codes it made.
FIRST_FACTOR_SETUP = frozenset({"mfa_activate_totp", "mfa_add_webauthn"})
FIRST_FACTOR_CODES = frozenset({"mfa_view_recovery_codes", "mfa_download_recovery_codes"})


class StaffAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Citizens take part without an account; staff accounts come from the administration.
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        login = str(credentials.get("username") or credentials.get("email") or "")
        if len(login) > MAX_LOGIN_LENGTH:
            # allauth looks the login up case-insensitively, which SQLite does with LIKE, and a
            # pattern of more than 50,000 bytes is a server error there ("LIKE or GLOB pattern
            # too complex"). The login form sets no length, so a failed login is answered here,
            # counted like any other.
            self.pre_authenticate(request, **credentials)
            return None
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """allauth asks for the password again before any change of the second factors
        ("Zugriff bestätigen"), even a minute after the login. A person who has just logged in
        with the password and has no second factor yet is not asked again to set up the first
        one and to read the recovery codes it made; every later change asks as before."""
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and self.request is not None:
            return not _setting_up_first_factor(self.request)
        return required


def _setting_up_first_factor(request: HttpRequest) -> bool:
    user = request.user
    match = request.resolver_match
    if not user.is_authenticated or match is None:
        return False
    records = get_authentication_records(request, user)
    if not records or any(record.get("method") == "mfa" for record in records):
        # Not logged in by this session, or logged in with a second factor: it exists already.
        return False
    logged_in_at = float(records[0].get("at", 0))
    if time.time() - logged_in_at >= FIRST_FACTOR_SECONDS:
        return False
    if match.url_name in FIRST_FACTOR_SETUP:
        return not Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()
    return match.url_name in FIRST_FACTOR_CODES


class SecondFactorForm(AuthenticateForm):  # type: ignore[misc]
    """The code asked after the password; tells the page whether to offer a security key."""

    @property
    def has_security_key(self) -> bool:
        keys = Authenticator.objects.filter(user_id=self.user.pk, type=Authenticator.Type.WEBAUTHN)
        return bool(keys.exists())


class StaffSocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # Single sign-on connects existing accounts; it never creates new ones by itself.
        return False
