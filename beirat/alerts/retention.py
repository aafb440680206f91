"""Retention rules of e-mail alerts (registered in AlertsConfig.ready())."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from beirat.alerts.models import Recipient, Subscription
from beirat.alerts.services.subscriptions import ERASURE_RULE, erase_recipient
from beirat.core import retention

UNCONFIRMED_RULE = "alert_unconfirmed"


def _unconfirmed(cutoff: datetime.datetime) -> Iterable[int]:
    due = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    return due.values_list("pk", flat=True)


def delete_unconfirmed(pk: int) -> bool:
    subscription = Subscription.objects.filter(pk=pk, confirmed_at__isnull=True).first()
    if subscription is None:
        return False

    def work() -> bool:
        recipient = subscription.recipient
        subscription.delete()
        if not recipient.subscriptions.exists():
            recipient.delete()
        return True

    return retention.erase_with_audit(
        action="alerts.retention.unconfirmed", instance=subscription, work=work
    )


def erase_on_request(pk: int) -> bool:
    """Again after a restore: the address whose alerts were erased on request (ledger)."""
    recipient = Recipient.objects.filter(pk=pk).first()
    if recipient is None:
        return False
    with transaction.atomic():
        erase_recipient(recipient)
    return True


def register() -> None:
    retention.register(
        retention.Rule(
            key=UNCONFIRMED_RULE,
            record_type=_("Nicht bestätigte E-Mail-Benachrichtigungen"),
            content=_("E-Mail-Adresse und was sie verfolgen wollte"),
            starts=_("ab der Anmeldung"),
            then=_("Die Anmeldung wird mit der Adresse gelöscht; es wurde nie etwas versandt."),
            legal_basis=_("Art. 6 Abs. 1 Buchst. a DSGVO (Einwilligung, noch nicht bestätigt)"),
            due=_unconfirmed,
            erase=delete_unconfirmed,
        )
    )
    retention.register(
        retention.Rule(
            key=ERASURE_RULE,
            record_type=_("E-Mail-Benachrichtigungen"),
            content=_(
                "E-Mail-Adresse, Sprache, die verfolgten Gremien, Vorlagen, Empfehlungen "
                "und Suchen, Häufigkeit"
            ),
            starts=_("bis zur Abmeldung"),
            then=_(
                "Gelöscht, sobald die Person sich abmeldet (ein Klick in jeder E-Mail) oder "
                "die Löschung verlangt; die Adresse geht mit ihrer letzten Benachrichtigung."
            ),
            legal_basis=_("Art. 6 Abs. 1 Buchst. a DSGVO (Einwilligung), Art. 17 DSGVO"),
            erase=erase_on_request,
        )
    )
