"""The alert mails. Every one carries a one-click unsubscribe (RFC 8058: ``List-Unsubscribe``
with an https address and ``List-Unsubscribe-Post``) and a link to manage all alerts of the
address, and is stored in the outbox inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from beirat.alerts import tokens
from beirat.alerts.models import Pending, Recipient, Subscription

# Marks our mails in the outbox, so that erasing an address removes exactly these.
ALERT_HEADER = "X-Beirat-Alert"


def absolute(path: str) -> str:
    return settings.BEIRAT_SITE_URL + path


def confirm_url(subscription: Subscription) -> str:
    token = tokens.make(tokens.CONFIRM_SALT, subscription.pk, subscription.key)
    return absolute(reverse("alerts:confirm", kwargs={"token": token}))


def unsubscribe_url(subscription: Subscription) -> str:
    token = tokens.make(tokens.UNSUBSCRIBE_SALT, subscription.pk, subscription.key)
    return absolute(reverse("alerts:unsubscribe", kwargs={"token": token}))


def manage_url(recipient: Recipient) -> str:
    token = tokens.make(tokens.MANAGE_SALT, recipient.pk, recipient.key)
    return absolute(reverse("alerts:manage", kwargs={"token": token}))


def _send(subscription: Subscription, subject: str, template: str, **context: Any) -> None:
    recipient = subscription.recipient
    unsubscribe = unsubscribe_url(subscription)
    context |= {
        "subscription": subscription,
        "unsubscribe_url": unsubscribe,
        "manage_url": manage_url(recipient),
        "site_url": settings.BEIRAT_SITE_URL,
    }
    body = render_to_string(template, context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        ALERT_HEADER: "1",
    }
    EmailMessage(subject=subject, body=body, to=[recipient.email], headers=headers).send()


def send_confirmation(subscription: Subscription) -> None:
    with translation.override(subscription.recipient.language):
        subject = gettext("Bitte bestätigen Sie Ihre Benachrichtigung")
        _send(
            subscription,
            subject,
            "alerts/mail/confirm.txt",
            confirm_url=confirm_url(subscription),
            valid_days=tokens.CONFIRM_MAX_AGE.days,
        )


def send_already_subscribed(subscription: Subscription) -> None:
    with translation.override(subscription.recipient.language):
        subject = gettext("Diese Benachrichtigung besteht bereits")
        _send(subscription, subject, "alerts/mail/already.txt")


def send_alert(subscription: Subscription, items: Sequence[Pending], *, digest: bool) -> None:
    with translation.override(subscription.recipient.language):
        if digest:
            subject = gettext("Tagesübersicht: %(label)s") % {"label": subscription.label}
        else:
            subject = gettext("Neu: %(label)s") % {"label": subscription.label}
        entries = [
            {"title": item.title, "lines": item.lines, "url": absolute(item.url)} for item in items
        ]
        _send(subscription, subject[:255], "alerts/mail/alert.txt", entries=entries, digest=digest)
