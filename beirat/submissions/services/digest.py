"""The daily digest: IT management learns of new submissions and overdue forwardings by mail."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from beirat.submissions import queries
from beirat.submissions.models import Submission


def send_triage_digest(*, since: datetime.datetime | None = None) -> int:
    """Mail every IT management account with an address the submissions received since
    ``since`` (default: the last 24 hours) and the overdue forwardings. Sends nothing when
    there is nothing to report. Returns the number of mails queued (in the outbox)."""
    since = since or timezone.now() - datetime.timedelta(days=1)
    new = list(Submission.objects.filter(received_at__gte=since).order_by("received_at"))
    overdue = list(queries.overdue_forwardings())
    if not new and not overdue:
        return 0
    recipients = [user for user in queries.triage_staff() if user.email]
    queue_url = settings.BEIRAT_SITE_URL + reverse("submissions:queue")
    for user in recipients:
        with translation.override(getattr(user, "language", "") or "de"):
            body = render_to_string(
                "submissions/mail/digest.txt",
                {
                    "new": new,
                    "overdue": overdue,
                    "queue_url": queue_url,
                    "site_url": settings.BEIRAT_SITE_URL,
                },
            )
            subject = ngettext(
                "Eingaben: %(new)s neu, %(overdue)s Weiterleitung überfällig",
                "Eingaben: %(new)s neu, %(overdue)s Weiterleitungen überfällig",
                len(overdue),
            ) % {"new": len(new), "overdue": len(overdue)}
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return len(recipients)
