"""Background tasks: enqueued after commit, retried with back-off.

Tasks take ids, never model instances; they fetch what they need, return quietly when it is
gone and call one service.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.utils import timezone
from django_tasks import task as define_task
from django_tasks.base import Task

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

MAX_ATTEMPTS = 6
FIRST_DELAY_SECONDS = 30


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` once the current transaction commits; never for a rolled-back one."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=False)


def retry_delay(attempt: int) -> datetime.timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, 4 min … capped at one hour."""
    return datetime.timedelta(seconds=min(FIRST_DELAY_SECONDS * 2 ** (attempt - 1), 3600))


def retrying_task(
    *, max_attempts: int = MAX_ATTEMPTS, queue_name: str = "default"
) -> Callable[[Callable[..., T]], Task[Any, T | None]]:
    """Define a task that, when it raises, enqueues itself again later (up to max_attempts).

    The attempt number travels as the keyword ``_attempt`` so a retried run knows its place.
    The failed run is still recorded as failed by the backend, which keeps the error visible.
    """

    def decorate(function: Callable[..., T]) -> Task[Any, T | None]:
        @functools.wraps(function)
        def run(*args: Any, _attempt: int = 1, **kwargs: Any) -> T | None:
            try:
                return function(*args, **kwargs)
            except Exception:
                if _attempt >= max_attempts:
                    logger.exception(
                        "Task %s gave up after %d attempts", function.__name__, _attempt
                    )
                    raise
                run_after = timezone.now() + retry_delay(_attempt)
                logger.warning(
                    "Task %s failed (attempt %d), retrying at %s",
                    function.__name__,
                    _attempt,
                    run_after.isoformat(),
                )
                defined.using(run_after=run_after).enqueue(*args, _attempt=_attempt + 1, **kwargs)
                raise

        defined: Task[Any, T | None] = define_task(queue_name=queue_name)(run)
        return defined

    return decorate
