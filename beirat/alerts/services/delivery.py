"""Sending what the scan queued: at once (after every scan) or as the daily digest. One mail
per subscription, so that its one-click unsubscribe ends exactly that alert."""

from __future__ import annotations

from django.db import transaction

from beirat.alerts.models import Pending, Subscription
from beirat.alerts.services import mails, scan


def deliver(frequency: str) -> int:
    """Mail every confirmed subscription of ``frequency`` its queued changes; returns how many
    mails went into the outbox. The rows go in the same transaction as the mails."""
    sent = 0
    with transaction.atomic():
        waiting = (
            Subscription.objects.filter(
                frequency=frequency, confirmed_at__isnull=False, pending__isnull=False
            )
            .distinct()
            .select_related("recipient")
        )
        for subscription in waiting:
            items = list(Pending.objects.filter(subscription=subscription))
            mails.send_alert(subscription, items, digest=frequency == Subscription.Frequency.DAILY)
            Pending.objects.filter(pk__in=[item.pk for item in items]).delete()
            sent += 1
    return sent


def send_alerts() -> tuple[int, int]:
    """Look for changes, then mail the immediate alerts: (changes queued, mails)."""
    queued = scan.scan()
    return queued, deliver(Subscription.Frequency.IMMEDIATE)


def send_digest() -> int:
    """The daily digest: first the latest changes, then one mail per daily subscription."""
    scan.scan()
    return deliver(Subscription.Frequency.DAILY)
