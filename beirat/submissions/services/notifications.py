"""Mail to the submitter about public steps: to confirmed addresses only, in the language the
submission was made in. Stored in the outbox inside the caller's transaction, so the step and its
mail are kept together or not at all; delivery starts after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from beirat.submissions.models import Event, Submission


def notify_submitter(submission: Submission, event: Event) -> None:
    if event.public and submission.submitter_email and submission.email_confirmed_at:
        _send_status_mail(submission, event)


def _send_status_mail(submission: Submission, event: Event) -> None:
    with translation.override(submission.language):
        context = {
            "submission": submission,
            "event": event,
            "track_url": settings.BEIRAT_SITE_URL + submission.get_absolute_url(),
        }
        body = render_to_string("submissions/mail/status.txt", context)
        subject = gettext("Neues zu Ihrer Eingabe „%(title)s“") % {"title": submission.title}
    EmailMessage(subject=subject, body=body, to=[submission.submitter_email]).send()
