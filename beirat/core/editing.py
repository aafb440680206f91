"""The shape every staff form page shares: bind, call one service, redirect or show errors.

A view stays three steps long (find the object, bind the form, hand both to the page) and holds
no logic of its own; the service's ValidationError lands next to the fields it names and nothing
the user typed is lost. Each staff area states once what its form pages share (``FormPages``),
so a view names only what differs: the action, its texts and where cancelling leads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from beirat.core.forms import run_service

FORM_TEMPLATE = "core/form_page.html"


def bound(request: HttpRequest) -> Any:
    """The submitted data of a POST, or None so that a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def refused(
    request: HttpRequest, check: Callable[[], None], back: str | Callable[[], str]
) -> HttpResponse | None:
    """None when ``check`` (a service's guard) passes; else back to ``back`` with the guard's
    reason as a message, before any form is shown (a record kept elsewhere, read-only here).
    ``back`` may be a callable: a new record has no address of its own yet."""
    try:
        check()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back if isinstance(back, str) else back())
    return None


@dataclass(frozen=True)
class FormPages:
    """The form pages of one staff area: the navigation beside them and the template they use.

    The template gets ``form``, ``title``, ``cancel_url``, ``nav_template`` and the page's
    ``extra`` context (``submit_label``, ``intro``, ``destructive``, ...).
    """

    nav_template: str = ""
    template: str = FORM_TEMPLATE

    def show(
        self,
        request: HttpRequest,
        form: BaseForm,
        *,
        title: str,
        cancel_url: str,
        extra: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The page with ``form``, unbound or with the errors of the last POST."""
        context = {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "nav_template": self.nav_template,
            **(extra or {}),
        }
        return render(request, self.template, context)

    def edit(
        self,
        request: HttpRequest,
        form: BaseForm,
        *,
        action: Callable[[], object],
        success_message: str,
        title: str,
        cancel_url: str,
        done_url: str | Callable[[], str] = "",
        extra: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Show ``form``; on a valid POST run ``action`` (one service call) and redirect.

        The redirect goes to ``done_url``, or where cancelling leads when it is not given; a
        callable ``done_url`` is asked after the action (the address of what it created).
        """
        if request.method == "POST" and form.is_valid() and run_service(form, action):
            messages.success(request, success_message)
            target = done_url() if callable(done_url) else done_url
            return redirect(target or cancel_url)
        return self.show(request, form, title=title, cancel_url=cancel_url, extra=extra)
