"""Writes of the core app that are not tied to another app's records."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def send_accessibility_feedback(*, message: str, page: str, email: str) -> None:
    """Forward a reported barrier to the city's accessibility contact.

    Side effect: one e-mail through the outbox. Nothing else is stored, so no retention applies.
    """
    body = render_to_string(
        "core/mail/accessibility_feedback.txt", {"message": message, "page": page, "email": email}
    )
    mail = EmailMessage(
        subject=_("Rückmeldung zur Barrierefreiheit"),
        body=body,
        to=[settings.CITY["accessibility_email"]],
        reply_to=[email] if email else None,
    )
    mail.send()
