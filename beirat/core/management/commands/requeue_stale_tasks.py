"""Give tasks whose worker died back to the queue (for a timer every few minutes).

django-tasks-db marks a task RUNNING when a worker takes it and never looks at it again: a
worker killed mid-task (kill -9, a crashed machine) leaves it RUNNING for good and nothing runs
it. Our tasks are safe to run again (a mail is delivered under the outbox's lease, a PDF is
rendered anew, an import of the same file changes nothing), so a task running far longer than
any of ours takes is handed back to the queue.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Gibt Aufgaben, deren Worker abgebrochen ist, an die Warteschlange zurück."

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = settings.BEIRAT_TASK_LEASE_MINUTES
        cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
        stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        requeued = stale.update(status=TaskResultStatus.READY, run_after=timezone.now())
        self.stdout.write(
            f"{requeued} Aufgaben, die seit über {minutes} Minuten liefen, wieder eingereiht."
        )
