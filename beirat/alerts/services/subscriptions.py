"""Subscribing, confirming, changing and ending alerts. Each write is one transaction with its
audit entry (which never holds the address) and stores its mail in the outbox."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from beirat.alerts.models import Recipient, Subscription
from beirat.alerts.services import mails, scan
from beirat.core import audit, retention
from beirat.core.models import OutboxMail, User

SUBSCRIBER = "Abonnent"  # the audit trail's actor label: no address
MAX_PER_ADDRESS = 50  # alerts one address may have; more is a robot's or a mistake
ERASURE_RULE = "alert_subscriptions"


@dataclass(frozen=True)
class Target:
    """What is followed: a kind, the id or query that names it, and how it is called."""

    kind: str
    target: str
    label: str


class Outcome(enum.Enum):
    REQUESTED = "requested"  # a new subscription, the confirmation mail is on its way
    RESENT = "resent"  # not confirmed yet: the confirmation mail again
    ALREADY = "already"  # confirmed before: a mail says so, nothing new is stored


class TooManyAlerts(Exception):
    """The address has MAX_PER_ADDRESS alerts already; nothing was stored."""


def normalise(email: str) -> str:
    return email.strip().lower()


def subscribe(*, email: str, target: Target, frequency: str, language: str) -> Outcome:
    """Ask for an alert. Side effects: the subscription (unconfirmed), an audit entry and the
    confirmation mail; for a subscription that exists, only a mail (never a second row)."""
    address = normalise(email)
    try:
        with transaction.atomic():
            return _subscribe(address, target, frequency, language)
    except IntegrityError:
        # The same request twice at once: the other one stored it.
        return Outcome.ALREADY


def _subscribe(address: str, target: Target, frequency: str, language: str) -> Outcome:
    recipient, _created = Recipient.objects.get_or_create(
        email=address, defaults={"language": language}
    )
    existing = recipient.subscriptions.filter(kind=target.kind, target=target.target).first()
    if existing is not None and existing.is_confirmed:
        mails.send_already_subscribed(existing)
        return Outcome.ALREADY
    if existing is not None:
        existing.frequency = frequency
        existing.save(update_fields=["frequency"])
        mails.send_confirmation(existing)
        return Outcome.RESENT
    if recipient.subscriptions.count() >= MAX_PER_ADDRESS:
        raise TooManyAlerts
    if recipient.language != language and not recipient.subscriptions.exists():
        recipient.language = language
        recipient.save(update_fields=["language"])
    subscription = Subscription.objects.create(
        recipient=recipient,
        kind=target.kind,
        target=target.target,
        label=target.label[:600],
        frequency=frequency,
    )
    audit.record(
        actor=None,
        actor_label=SUBSCRIBER,
        action="alerts.subscribe",
        instance=subscription,
        changes={"frequency": {"before": None, "after": frequency}},
    )
    mails.send_confirmation(subscription)
    return Outcome.REQUESTED


def confirm(*, subscription: Subscription) -> bool:
    """Turn the alert on; False if it was on already. Side effects: audit entry; the present
    public state becomes the baseline, so that only later changes are sent."""
    if subscription.is_confirmed:
        return False
    with transaction.atomic():
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        scan.baseline(subscription)
        audit.record(
            actor=None, actor_label=SUBSCRIBER, action="alerts.confirm", instance=subscription
        )
    return True


def unsubscribe(*, subscription: Subscription) -> None:
    """End one alert; the address goes with its last one. Side effect: audit entry."""
    with transaction.atomic():
        audit.record(
            actor=None, actor_label=SUBSCRIBER, action="alerts.unsubscribe", instance=subscription
        )
        recipient = subscription.recipient
        subscription.delete()
        if not recipient.subscriptions.exists():
            recipient.delete()


def set_frequency(*, subscription: Subscription, frequency: str) -> None:
    with transaction.atomic():
        before = subscription.frequency
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
        audit.record(
            actor=None,
            actor_label=SUBSCRIBER,
            action="alerts.frequency",
            instance=subscription,
            changes={"frequency": {"before": before, "after": frequency}},
        )


def delete_all(*, recipient: Recipient) -> int:
    """The subscriber ends every alert of the address. Returns how many there were."""
    with transaction.atomic():
        count = recipient.subscriptions.count()
        audit.record(
            actor=None,
            actor_label=SUBSCRIBER,
            action="alerts.delete_all",
            instance=recipient,
            changes={"subscriptions": {"before": count, "after": 0}},
        )
        recipient.delete()
    return count


def erase_address(*, email: str, actor: User) -> int:
    """Erase every alert of an address on the person's request (privacy role). Side effects:
    audit entry (that, not whose), a line in the erasure ledger so that a restore cannot bring
    the address back, and the alert mails to it are taken from the outbox."""
    recipient = Recipient.objects.filter(email=normalise(email)).first()
    if recipient is None:
        return 0
    with transaction.atomic():
        count = recipient.subscriptions.count()
        audit.record(
            actor=actor,
            action="alerts.erase_address",
            instance=recipient,
            changes={"subscriptions": {"before": count, "after": 0}},
        )
        retention.record_erasure(ERASURE_RULE, recipient.pk)
        erase_recipient(recipient)
    return count


def erase_recipient(recipient: Recipient) -> None:
    """The address, its alerts and the alert mails kept for it (sent or waiting)."""
    for mail in OutboxMail.objects.filter(recipients=[recipient.email]):
        if mails.ALERT_HEADER in (mail.headers or {}):
            mail.delete()
    recipient.delete()
