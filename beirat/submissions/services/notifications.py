"""Mail to the submitter about public steps: to confirmed addresses only, in the language the
submission was made in. Stored in the outbox inside the caller's transaction, so the step and its
mail are kept together or not at all; delivery starts after commit."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from beirat.submissions import wording
from beirat.submissions.models import Event, Submission


@dataclass(frozen=True)
class StatusMail:
    subject: str
    body: str


def notify_submitter(submission: Submission, event: Event) -> None:
    if event.public and submission.submitter_email and submission.email_confirmed_at:
        _send_status_mail(submission, event)


def status_mail(submission: Submission, event: Event, *, track_url: str) -> StatusMail:
    """The mail about ``event`` as the submitter reads it, in the submission's language. The
    office's preview passes a stand-in for ``track_url``: the link holds the tracking code."""
    with translation.override(submission.language):
        context = {
            "submission": submission,
            "entry": wording.entry(event),
            "track_url": track_url,
        }
        body = render_to_string("submissions/mail/status.txt", context)
        subject = gettext("Neues zu Ihrer Eingabe „%(title)s“") % {"title": submission.title}
    return StatusMail(subject=subject, body=body)


def _send_status_mail(submission: Submission, event: Event) -> None:
    track_url = settings.BEIRAT_SITE_URL + submission.get_absolute_url()
    mail = status_mail(submission, event, track_url=track_url)
    EmailMessage(subject=mail.subject, body=mail.body, to=[submission.submitter_email]).send()
