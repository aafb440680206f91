"""Background tasks of the core app."""

from __future__ import annotations

from django_tasks import task

from beirat.core import mail


@task()
def deliver_outbox_mail(mail_id: int) -> str | None:
    """Deliver one outbox mail; a failure schedules its own retry inside ``deliver_mail``."""
    status = mail.deliver_mail(mail_id=mail_id)
    return None if status is None else str(status)
