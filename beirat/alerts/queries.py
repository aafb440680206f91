"""Reads of the alerts app: a subscription or an address by its signed link.

A link with a bad signature raises tokens.BadLink (tokens.ExpiredLink when only its time is
over); a genuine link whose row is gone (unsubscribed, expired unconfirmed) gives None.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from beirat.alerts import tokens
from beirat.alerts.models import Recipient, Subscription


def subscription_for(
    salt: str, token: str, max_age: datetime.timedelta | None = None
) -> Subscription | None:
    reference = tokens.read(salt, token, max_age)
    return (
        Subscription.objects.select_related("recipient")
        .filter(pk=reference.pk, key=reference.key)
        .first()
    )


def recipient_for(token: str) -> Recipient | None:
    reference = tokens.read(tokens.MANAGE_SALT, token, tokens.MANAGE_MAX_AGE)
    return Recipient.objects.filter(pk=reference.pk, key=reference.key).first()


def subscriptions_of(recipient: Recipient) -> list[Subscription]:
    return list(recipient.subscriptions.order_by("kind", "label", "pk"))


def subscription_of(recipient: Recipient, pk: int) -> Subscription | None:
    return recipient.subscriptions.filter(pk=pk).first()


def recipient_by_address(email: str) -> Recipient | None:
    return Recipient.objects.filter(email=email.strip().lower()).first()


def confirmed_subscriptions() -> QuerySet[Subscription]:
    return Subscription.objects.filter(confirmed_at__isnull=False).select_related("recipient")
