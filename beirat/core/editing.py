"""The shape every staff form page shares: bind, call one service, redirect or show errors.

Views stay three steps long (STYLE.md 4); the service's ValidationError lands next to the
fields it names and nothing the user typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from beirat.core.forms import run_service

FORM_TEMPLATE = "core/form_page.html"


def bound(request: HttpRequest) -> Any:
    """The submitted data of a POST, or None so that a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    *,
    form: BaseForm,
    title: str,
    cancel_url: str,
    nav_template: str = "",
    extra: dict[str, Any] | None = None,
    template: str = FORM_TEMPLATE,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "nav_template": nav_template,
        **(extra or {}),
    }
    return render(request, template, context)


def edit_page(
    request: HttpRequest,
    *,
    form: BaseForm,
    action: Callable[[], object],
    success_message: str,
    done_url: str,
    title: str,
    cancel_url: str,
    nav_template: str = "",
    extra: dict[str, Any] | None = None,
    template: str = FORM_TEMPLATE,
) -> HttpResponse:
    """Show ``form``; on a valid POST run ``action`` (one service call) and redirect."""
    if request.method == "POST" and form.is_valid() and run_service(form, action):
        messages.success(request, success_message)
        return redirect(done_url)
    return form_page(
        request,
        form=form,
        title=title,
        cancel_url=cancel_url,
        nav_template=nav_template,
        extra=extra,
        template=template,
    )
