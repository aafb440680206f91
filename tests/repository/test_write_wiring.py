"""Writes that skip the search log and the page cache fail loudly (see tests/write_guard.py)."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_save

from beirat.core import wiring
from beirat.core.models import OutboxMail
from beirat.council.models import Paper
from tests import write_guard
from tests.factories.council import PaperFactory

WIRED = {"Paper": "council.Paper", "Recommendation": "board.Recommendation"}


def test_the_app_code_makes_no_plain_bulk_write_on_a_wired_model():
    assert write_guard.scan() == []


def test_models_shown_on_pages_are_wired_and_the_outbox_is_not():
    assert wiring.is_wired(Paper)
    assert not wiring.is_wired(OutboxMail)


@pytest.mark.parametrize(
    "source",
    [
        "Paper.objects.filter(pk=1).update(modified_at=now)",
        "Paper.objects.bulk_create(papers)",
        "Recommendation.objects.all().bulk_update(items, ['status'])",
    ],
)
def test_the_scan_finds_a_plain_bulk_write(source):
    assert len(write_guard.scan_source(source, "x.py", WIRED)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "wiring.update_rows(Paper.objects.filter(pk=1), modified_at=now)",
        "OutboxMail.objects.filter(pk=1).update(status='sent')",
        "context.update(extra)",
        "Paper.objects.filter(pk=1).delete()",
    ],
)
def test_the_scan_lets_wired_and_unwired_writes_pass(source):
    assert write_guard.scan_source(source, "x.py", WIRED) == []


@pytest.mark.django_db
def test_update_rows_sends_post_save_for_each_row():
    papers = PaperFactory.create_batch(2)
    heard = []

    def listen(sender, instance, created, update_fields, **kwargs):
        heard.append((instance.pk, created, update_fields))

    post_save.connect(listen, sender=Paper, dispatch_uid="test.listen")
    try:
        count = wiring.update_rows(Paper.objects.filter(pk__in=[p.pk for p in papers]), name="X")
    finally:
        post_save.disconnect(dispatch_uid="test.listen", sender=Paper)
    assert count == 2
    assert sorted(heard) == sorted((p.pk, False, frozenset({"name"})) for p in papers)
    assert set(Paper.objects.values_list("name", flat=True)) == {"X"}


@pytest.mark.django_db
def test_the_guard_refuses_a_plain_update_from_app_code(monkeypatch):
    paper = PaperFactory()
    # Pretend the call comes from the app's code, as the write in a service would.
    monkeypatch.setattr(write_guard, "_called_from_app_code", lambda: True)
    with write_guard.guard(), pytest.raises(write_guard.UnwiredWriteError, match=r"council\.Paper"):
        Paper.objects.filter(pk=paper.pk).update(name="Y")
    with write_guard.guard():
        wiring.update_rows(Paper.objects.filter(pk=paper.pk), name="Y")
        OutboxMail.objects.filter(pk=0).update(subject="unwired is fine")
