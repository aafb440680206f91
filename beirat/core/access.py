"""The door to every non-public page: log in first, then the app's rule, else 404."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from beirat.core.models import User
from beirat.core.roles import AnyUser

View = Callable[..., HttpResponse]


def staff_page(rule: Callable[[AnyUser], bool]) -> Callable[[View], View]:
    """Anonymous visitors are sent to the login; logged-in users without the right get 404,
    so a page never confirms that something non-public exists (404, never 403)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def acting_user(request: HttpRequest) -> User:
    """The logged-in account behind a staff request (staff_page has made sure there is one)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user
