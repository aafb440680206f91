"""Public pages of e-mail alerts: subscribe, confirm, unsubscribe, manage. No account and no
cookie: the subscribe form carries the signed form token, every other page is reached by a
signed link from a mail (tokens.py), which is the key.

What one may follow is looked up through the owning apps' public queries, so nobody can
subscribe to a non-public committee, paper or recommendation (the form answers 404 as the
page would).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from beirat.alerts import queries, tokens
from beirat.alerts.forms import SEARCH_FIELDS, TARGET_FIELDS, FrequencyForm, SubscribeForm
from beirat.alerts.models import Subscription
from beirat.alerts.services import subscriptions
from beirat.alerts.services.subscriptions import Target
from beirat.board import queries as board_queries
from beirat.core.rate_limits import allow, allow_for, exceeded
from beirat.council import queries as council_queries
from beirat.directory import queries as directory_queries
from beirat.search.forms import SearchForm

SUBSCRIPTIONS_PER_HOUR = 20  # per client: a person follows a few things, a robot hundreds
MAILS_PER_ADDRESS_PER_DAY = 5  # confirmation mails to one address, whoever asks
BAD_LINKS_PER_HOUR = 30  # per client, as wrong tracking codes
HIDDEN_FIELDS = (*TARGET_FIELDS, *SEARCH_FIELDS)


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page behind a signed link: no browser or proxy keeps a copy, no search engine lists it."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def by_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Too many made-up links from one client: 429 for the rest of the hour. A link that is not
    ours (or expired) is counted and answered with a page that says so."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        if exceeded(request, scope="alert-link", limit=BAD_LINKS_PER_HOUR, window_seconds=3600):
            return render(request, "alerts/too_many.html", {"links": True}, status=429)
        try:
            return view(request, token, **kwargs)
        except tokens.ExpiredLink:
            return _message(request, _("Dieser Link ist abgelaufen"), _expired_text(), 410)
        except tokens.BadLink:
            allow(request, scope="alert-link", limit=BAD_LINKS_PER_HOUR, window_seconds=3600)
            text = _(
                "Dieser Link ist ungültig. Bitte kopieren Sie ihn vollständig aus der E-Mail "
                "oder öffnen Sie ihn direkt aus der E-Mail."
            )
            return _message(request, _("Ungültiger Link"), text, 400)

    return private(wrapped)


def _expired_text() -> str:
    return _(
        "Aus Sicherheitsgründen gelten diese Links nur eine begrenzte Zeit. Jede "
        "Benachrichtigung enthält einen neuen Link; für eine neue Anmeldung nutzen Sie das "
        "Formular auf der Seite, die Sie verfolgen möchten."
    )


def _message(request: HttpRequest, heading: str, text: str, status: int = 200) -> HttpResponse:
    context = {"heading": heading, "text": text}
    return render(request, "alerts/message.html", context, status=status)


# What can be followed ---------------------------------------------------------------------------


def target_from(data: QueryDict | dict[str, Any]) -> Target | None:
    """What the request asks to follow, if it is public; None for anything else."""
    try:
        if data.get("fuer_gremium"):
            committee = directory_queries.get_committee_for(
                AnonymousUser(), str(data["fuer_gremium"])
            )
            return Target(Subscription.Kind.COMMITTEE, str(committee.pk), committee.name)
        if data.get("fuer_vorlage"):
            paper = council_queries.get_paper_for(AnonymousUser(), str(data["fuer_vorlage"]))
            return Target(Subscription.Kind.PAPER, str(paper.pk), str(paper))
        if data.get("fuer_empfehlung"):
            found = board_queries.get_public_recommendation(int(str(data["fuer_empfehlung"])))
            return Target(Subscription.Kind.RECOMMENDATION, str(found.pk), found.title)
    except (Http404, ValueError):
        return None
    return search_target(data)


def search_target(data: QueryDict | dict[str, Any]) -> Target | None:
    """A saved search: its words and filters, kept as the search's query string."""
    query = QueryDict(mutable=True)
    for name in SEARCH_FIELDS:
        if data.get(name):
            query[name] = str(data[name])
    chosen = SearchForm(query).chosen()
    if not chosen.text:
        return None
    return Target(Subscription.Kind.SEARCH, query.urlencode(), chosen.text)


# Parts on the pages of other apps ---------------------------------------------------------------


def _part(target: Target | None, hidden: dict[str, str]) -> dict[str, Any]:
    if target is None:
        return {}
    return {"form": SubscribeForm(initial=hidden), "target": target}


def committee_part(request: HttpRequest, committee: Any) -> dict[str, Any]:
    if not council_queries.is_public_committee(committee):
        return {}
    target = Target(Subscription.Kind.COMMITTEE, str(committee.pk), committee.name)
    return _part(target, {"fuer_gremium": committee.slug})


def paper_part(request: HttpRequest, paper: Any) -> dict[str, Any]:
    if not council_queries.is_public_paper(paper):
        return {}  # a clerk looking at a draft: nothing to follow for the public
    target = Target(Subscription.Kind.PAPER, str(paper.pk), str(paper))
    return _part(target, {"fuer_vorlage": paper.reference_slug})


def recommendation_part(request: HttpRequest, recommendation: Any) -> dict[str, Any]:
    target = Target(Subscription.Kind.RECOMMENDATION, str(recommendation.pk), recommendation.title)
    return _part(target, {"fuer_empfehlung": str(recommendation.pk)})


def search_part(request: HttpRequest, query: str) -> dict[str, Any]:
    return {"query": query} if query else {}


# Subscribe and confirm ------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    target = target_from(data)
    if target is None:
        raise Http404
    if request.method == "GET":
        form = SubscribeForm(initial={name: data.get(name, "") for name in HIDDEN_FIELDS})
        return _form_page(request, form, target)
    form = SubscribeForm(request.POST)
    if not allow(
        request, scope="alert-subscribe", limit=SUBSCRIPTIONS_PER_HOUR, window_seconds=3600
    ):
        form.add_error(
            None,
            _(
                "Von Ihrem Anschluss kamen in der letzten Stunde sehr viele Anmeldungen. Bitte "
                "versuchen Sie es später noch einmal."
            ),
        )
        return _form_page(request, form, target, status=429)
    if not form.is_valid():
        return _form_page(request, form, target, status=400)
    email = subscriptions.normalise(form.cleaned_data["email"])
    if not allow_for(
        email, scope="alert-address", limit=MAILS_PER_ADDRESS_PER_DAY, window_seconds=86400
    ):
        form.add_error(
            "email",
            _(
                "An diese Adresse haben wir heute schon mehrere E-Mails geschickt. Bitte sehen "
                "Sie in Ihrem Postfach nach (auch im Spam-Ordner) oder versuchen Sie es morgen "
                "noch einmal."
            ),
        )
        return _form_page(request, form, target, status=429)
    try:
        outcome = subscriptions.subscribe(
            email=email,
            target=target,
            frequency=form.cleaned_data["frequency"],
            language=translation.get_language() or "de",
        )
    except subscriptions.TooManyAlerts:
        form.add_error(
            None,
            _(
                "Für diese Adresse bestehen schon sehr viele Benachrichtigungen. Bitte löschen "
                "Sie zuerst einige über den Link „Benachrichtigungen verwalten“ in einer unserer "
                "E-Mails."
            ),
        )
        return _form_page(request, form, target, status=400)
    context = {"target": target, "email": email, "outcome": outcome.value}
    return private(lambda request: render(request, "alerts/requested.html", context))(request)


def _form_page(
    request: HttpRequest, form: SubscribeForm, target: Target, status: int = 200
) -> HttpResponse:
    if form.is_bound and form.errors:
        form.renew_token()
    context = {"form": form, "target": target}
    return render(request, "alerts/subscribe.html", context, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@by_link
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail. GET only shows a button: a mail program that opens
    links to check them must not confirm for the person."""
    subscription = queries.subscription_for(tokens.CONFIRM_SALT, token, tokens.CONFIRM_MAX_AGE)
    if subscription is None:
        text = _(
            "Diese Anmeldung besteht nicht mehr: Sie wurde abbestellt oder nicht rechtzeitig "
            "bestätigt. Bitte melden Sie sich auf der Seite, die Sie verfolgen möchten, neu an."
        )
        return _message(request, _("Anmeldung nicht gefunden"), text, 410)
    if (request.method == "POST" and _posted(request)) or subscription.is_confirmed:
        subscriptions.confirm(subscription=subscription)
        context = {"subscription": subscription, "manage_url": _manage_path(subscription)}
        return render(request, "alerts/confirmed.html", context)
    return render(request, "alerts/confirm.html", {"subscription": subscription})


def _posted(request: HttpRequest) -> bool:
    """Read the body of a POST whose fields the view does not need, so that Django's limits on
    its size apply (an oversized body is answered 400, as on every other form)."""
    return request.POST is not None


def _manage_path(subscription: Subscription) -> str:
    recipient = subscription.recipient
    token = tokens.make(tokens.MANAGE_SALT, recipient.pk, recipient.key)
    return reverse("alerts:manage", kwargs={"token": token})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@by_link
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click (RFC 8058): a POST to the List-Unsubscribe address ends the alert, without a
    session or CSRF token; the GET of a person shows a button that sends that POST."""
    subscription = queries.subscription_for(tokens.UNSUBSCRIBE_SALT, token)
    if subscription is None:
        text = _("Diese Benachrichtigung ist bereits abbestellt. Sie erhalten dazu nichts mehr.")
        return _message(request, _("Bereits abbestellt"), text)
    if request.method == "POST" and _posted(request):
        label = str(subscription)
        subscriptions.unsubscribe(subscription=subscription)
        text = _("Sie erhalten zu „%(label)s“ keine E-Mails mehr.") % {"label": label}
        return _message(request, _("Abbestellt"), text)
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


# Manage all alerts of an address --------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
@by_link
def manage(request: HttpRequest, token: str) -> HttpResponse:
    recipient = queries.recipient_for(token)
    if recipient is None:
        text = _("Für diese Adresse bestehen keine Benachrichtigungen mehr.")
        return _message(request, _("Keine Benachrichtigungen"), text)
    notice, status = "", 200
    if request.method == "POST":
        notice, status = _change(recipient, request.POST)
        if not queries.subscriptions_of(recipient):
            text = _("Sie haben Ihre letzte Benachrichtigung gelöscht. Ihre Adresse ist gelöscht.")
            return _message(request, _("Keine Benachrichtigungen"), text)
    rows = [
        (item, FrequencyForm(initial={"frequency": item.frequency}, prefix=f"abo{item.pk}"))
        for item in queries.subscriptions_of(recipient)
    ]
    context = {"recipient": recipient, "rows": rows, "notice": notice, "token": token}
    return render(request, "alerts/manage.html", context, status=status)


def _change(recipient: Any, data: QueryDict) -> tuple[str, int]:
    try:
        subscription = queries.subscription_of(recipient, int(data.get("abo", "")))
    except ValueError:
        subscription = None
    if subscription is None:
        return _("Diese Benachrichtigung gibt es nicht mehr."), 400
    if data.get("aktion") == "loeschen":
        label = str(subscription)
        subscriptions.unsubscribe(subscription=subscription)
        return _("„%(label)s“ ist gelöscht.") % {"label": label}, 200
    form = FrequencyForm(data, prefix=f"abo{subscription.pk}")
    if not form.is_valid():
        return _("Bitte wählen Sie eine Häufigkeit."), 400
    subscriptions.set_frequency(subscription=subscription, frequency=form.cleaned_data["frequency"])
    return _("Die Häufigkeit von „%(label)s“ ist geändert.") % {"label": str(subscription)}, 200


@csrf_exempt
@require_http_methods(["GET", "POST"])
@by_link
def delete_all(request: HttpRequest, token: str) -> HttpResponse:
    """Every alert of the address, after a page that asks once more."""
    recipient = queries.recipient_for(token)
    if recipient is None:
        text = _("Für diese Adresse bestehen keine Benachrichtigungen mehr.")
        return _message(request, _("Keine Benachrichtigungen"), text)
    if request.method == "POST" and _posted(request):
        count = subscriptions.delete_all(recipient=recipient)
        text = ngettext(
            "Ihre Benachrichtigung und Ihre Adresse sind gelöscht. Sie erhalten von uns keine "
            "Benachrichtigungen mehr.",
            "Alle %(count)d Benachrichtigungen und Ihre Adresse sind gelöscht. Sie erhalten "
            "von uns keine Benachrichtigungen mehr.",
            count,
        ) % {"count": count}
        return _message(request, _("Alles gelöscht"), text)
    context = {"count": len(queries.subscriptions_of(recipient)), "token": token}
    return render(request, "alerts/delete_all.html", context)
