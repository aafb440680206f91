"""Account rules for django-allauth: staff accounts are created by administrators only."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

# Longer than any user name (150 characters) or e-mail address (254): no account has it.
MAX_LOGIN_LENGTH = 254


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


class StaffSocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        # Single sign-on connects existing accounts; it never creates new ones by itself.
        return False
