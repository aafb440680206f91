import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beirat.core.background import enqueue_on_commit, retry_delay
from tests.core.flaky_tasks import flaky


def run_due_tasks():
    # Make every deferred retry due now, then let the real worker run the queue once.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    call_command(
        "db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0
    )


def test_retry_delay_grows_exponentially_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(20) == datetime.timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_failing_task_is_retried_later_and_then_succeeds(tmp_path):
    marker = tmp_path / "failures"
    marker.write_text("2")
    enqueue_on_commit(flaky, str(marker))
    for _ in range(3):
        run_due_tasks()
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]


@pytest.mark.django_db(transaction=True)
def test_retry_is_scheduled_with_back_off(tmp_path):
    marker = tmp_path / "failures"
    marker.write_text("1")
    flaky.enqueue(str(marker))
    call_command(
        "db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0
    )
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=20)
    assert retry.args_kwargs["kwargs"] == {"_attempt": 2}


@pytest.mark.django_db(transaction=True)
def test_task_gives_up_after_max_attempts(tmp_path):
    marker = tmp_path / "failures"
    marker.write_text("9")
    flaky.enqueue(str(marker))
    for _ in range(5):
        run_due_tasks()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_for_a_rolled_back_transaction(tmp_path):
    def enqueue_then_fail():
        with transaction.atomic():
            enqueue_on_commit(flaky, str(tmp_path / "x"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        enqueue_then_fail()
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_optimize_database_refreshes_the_planner_statistics():
    import io

    output = io.StringIO()
    call_command("optimize_database", stdout=output)
    assert output.getvalue().startswith("ANALYZE in ")


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_died_is_run_again(tmp_path, settings):
    """django-tasks-db leaves a task RUNNING for good when its worker is killed mid-task;
    requeue_stale_tasks hands it back once it ran longer than the lease."""
    marker = tmp_path / "failures"
    marker.write_text("0")
    flaky.enqueue(str(marker))
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.BEIRAT_TASK_LEASE_MINUTES + 1)
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago, worker_ids=["killed"])
    flaky.enqueue(str(marker))  # and one that a live worker has just taken
    DBTaskResult.objects.filter(status="READY").update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["alive"]
    )
    run_due_tasks()
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 2  # nobody else runs them

    call_command("requeue_stale_tasks", stdout=io.StringIO())
    run_due_tasks()

    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "RUNNING",
        "SUCCESSFUL",
    ]
    assert DBTaskResult.objects.get(status="RUNNING").worker_ids == ["alive"]
