"""The search log and the indexer: nothing lost, nothing stale, two servers in step."""

import io
import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction

from beirat.search import index, queries
from beirat.search.indexer import Indexer, IndexerBusy
from beirat.search.models import SearchLogEntry
from beirat.search.services import prune_log
from tests.factories.council import PublishedPaperFactory
from tests.factories.directory import PartnerFactory

ANONYMOUS = AnonymousUser()


def found(text: str) -> int:
    return queries.search(ANONYMOUS, text).total


@pytest.mark.django_db
def test_change_writes_its_log_row_in_the_same_transaction():
    with transaction.atomic():
        paper = PublishedPaperFactory()
        rows = list(SearchLogEntry.objects.values_list("kind", "object_id", "visibility"))
        assert rows == [("paper", paper.pk, "public")]
        transaction.set_rollback(True)

    assert not SearchLogEntry.objects.exists()  # rolled back with the change


@pytest.mark.django_db
def test_deletion_and_related_changes_are_logged():
    partner = PartnerFactory()
    partner.cooperations.create(title="Hackathon")
    partner_id = partner.pk
    partner.delete()

    operations = list(SearchLogEntry.objects.order_by("id").values_list("operation", "object_id"))

    assert operations[0] == ("upsert", partner_id)
    assert ("delete", partner_id) in operations


def test_indexer_resumes_after_being_killed_between_commit_and_position(search_index, settings):
    PublishedPaperFactory(name="Erster Ratsbeschluss")
    search_index.sync()
    saved = index.Position.load(search_index.indexer.generation)
    PublishedPaperFactory(name="Zweiter Ratsbeschluss")
    search_index.sync()
    # The process dies after tantivy's commit, before its position reaches the disk:
    saved.save(search_index.indexer.generation)
    search_index.close()

    restarted = Indexer(settings.BEIRAT_SEARCH_DIR)
    restarted.start()
    replayed = restarted.catch_up()
    restarted.close()

    assert replayed == 1
    assert found("Ratsbeschluss") == 2  # replayed, not duplicated


def test_indexer_resumes_after_being_killed_before_commit(search_index, settings):
    search_index.sync()
    PublishedPaperFactory(name="Verlorener Beschluss")
    search_index.close()  # killed before it applied anything

    restarted = Indexer(settings.BEIRAT_SEARCH_DIR)
    restarted.start()
    restarted.catch_up()
    restarted.close()

    assert found("Verlorener") == 1


def test_late_committing_transaction_is_not_skipped(search_index):
    """On PostgreSQL a transaction that took its id earlier can commit after later ones."""
    PartnerFactory()  # so that the position is the sequence's real position on PostgreSQL too
    search_index.sync()
    high = search_index.indexer.position.high
    early = PartnerFactory(name="Nachzügler e.V.")  # its own row: high + 1
    SearchLogEntry.objects.filter(object_id=early.pk).delete()  # … not committed yet
    late = PartnerFactory(name="Vorreiter e.V.")
    assert SearchLogEntry.objects.get(object_id=late.pk).id == high + 2
    search_index.sync()
    assert found("Vorreiter") == 1
    assert high + 1 in search_index.indexer.position.pending

    log_row(high + 1, kind="partner", object_id=early.pk)  # the early transaction commits
    search_index.sync()

    assert found("Nachzügler") == 1
    assert search_index.indexer.position.pending == {}


def test_gap_of_a_rolled_back_transaction_is_given_up_after_a_while(search_index, settings):
    PartnerFactory()
    search_index.sync()
    high = search_index.indexer.position.high
    rolled_back = PublishedPaperFactory()
    PublishedPaperFactory()
    SearchLogEntry.objects.filter(object_id=rolled_back.pk).delete()
    search_index.sync()
    assert high + 1 in search_index.indexer.position.pending

    settings.BEIRAT_SEARCH_GAP_SECONDS = -1
    search_index.sync()

    assert search_index.indexer.position.pending == {}


def log_row(row_id, *, kind, object_id):
    SearchLogEntry.objects.create(
        id=row_id,
        kind=kind,
        object_id=object_id,
        version=0,
        visibility="public",
        operation="upsert",
    )


def test_rebuild_command_shows_progress_and_switches_a_running_indexer(search_index):
    PublishedPaperFactory(name="Vorlage vor dem Neuaufbau")
    search_index.sync()
    before = search_index.indexer.generation
    out = io.StringIO()

    call_command("rebuild_search", stdout=out)
    PublishedPaperFactory(name="Vorlage nach dem Neuaufbau")
    search_index.indexer._switch_if_rebuilt_elsewhere()
    search_index.sync()

    assert "100%" in out.getvalue()
    assert search_index.indexer.generation != before
    assert not before.exists()
    assert found("Neuaufbau") == 2


def test_deleted_index_folder_is_rebuilt(search_index, settings):
    import shutil

    PublishedPaperFactory(name="Wiederhergestellte Vorlage")
    search_index.sync()
    search_index.close()
    shutil.rmtree(settings.BEIRAT_SEARCH_DIR)

    assert found("Wiederhergestellte") == 0
    fresh = Indexer(settings.BEIRAT_SEARCH_DIR)
    fresh.start()
    fresh.close()

    assert found("Wiederhergestellte") == 1


def test_second_indexer_on_the_same_index_is_refused(search_index, settings):
    PublishedPaperFactory()
    search_index.sync()
    search_index.indexer._require_writer()

    second = Indexer(settings.BEIRAT_SEARCH_DIR)
    second.start()
    PublishedPaperFactory()
    with pytest.raises(IndexerBusy):
        second.catch_up()


@pytest.mark.django_db
def test_prune_keeps_recent_rows_and_the_newest():
    import datetime

    old = PublishedPaperFactory()
    old_rows = SearchLogEntry.objects.count()
    SearchLogEntry.objects.update(created_at="2020-01-01T00:00:00Z")
    recent = PublishedPaperFactory()

    deleted = prune_log(older_than=datetime.timedelta(days=30))

    assert deleted == old_rows
    assert not SearchLogEntry.objects.filter(object_id=old.pk).exists()
    assert SearchLogEntry.objects.filter(object_id=recent.pk).exists()


@pytest.mark.django_db
def test_prune_never_deletes_the_newest_row():
    import datetime

    PublishedPaperFactory()
    SearchLogEntry.objects.update(created_at="2020-01-01T00:00:00Z")
    newest = SearchLogEntry.objects.order_by("-id").first()

    prune_log(older_than=datetime.timedelta(days=30))

    assert list(SearchLogEntry.objects.all()) == [newest]


@pytest.mark.django_db(transaction=True)
def test_change_is_findable_on_two_servers_within_two_seconds(tmp_path, settings):
    servers = [tmp_path / "server-a", tmp_path / "server-b"]
    stop = threading.Event()
    indexers = [Indexer(root) for root in servers]
    for indexer in indexers:
        indexer.start()
    threads = [
        threading.Thread(target=indexer.follow, kwargs={"stop": stop, "poll_seconds": 0.5})
        for indexer in indexers
    ]
    for thread in threads:
        thread.start()
    try:
        committed = time.monotonic()
        PublishedPaperFactory(name="Frischeprüfung Solarkataster")
        delays = []
        for root in servers:
            settings.BEIRAT_SEARCH_DIR = root
            while found("Solarkataster") == 0 and time.monotonic() - committed < 10:
                time.sleep(0.05)
            delays.append(time.monotonic() - committed)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        for indexer in indexers:
            indexer.close()

    assert max(delays) < 2.0, delays


def test_index_of_an_older_format_is_rebuilt(search_index, settings):
    PublishedPaperFactory(name="Formatwechsel")
    search_index.sync()
    generation = search_index.indexer.generation
    position = index.Position.load(generation)
    position.format = index.INDEX_FORMAT - 1
    position.save(generation)
    search_index.close()

    upgraded = Indexer(settings.BEIRAT_SEARCH_DIR)
    upgraded.start()
    upgraded.close()

    assert upgraded.generation != generation
    assert found("Formatwechsel") == 1


def test_quiet_index_is_not_mistaken_for_a_stale_one(search_index, settings):
    search_index.sync()
    position = search_index.indexer.position
    position.checked_at -= 2 * 3600  # the last change was long ago; the log was read since
    search_index.sync()

    saved = index.Position.load(search_index.indexer.generation)

    assert saved.checked_at > time.time() - 60


def test_a_restored_database_makes_every_indexer_build_anew(search_index, settings):
    """A restore takes the log back in time (its ids start over): an index that kept its
    position would miss what changes next. The restore's signal gives the database a new
    epoch; the running indexer and one starting later both build from the database."""
    from beirat.core.backups import database_restored
    from beirat.council.models import Paper

    paper = PublishedPaperFactory(name="Alter Titel der Vorlage")
    search_index.sync()
    # What a restore does to the data, without a log row (the log was rolled back too):
    Paper.objects.filter(pk=paper.pk).update(name="Wiederhergestellter Titel")
    search_index.sync()
    assert found("Wiederhergestellter") == 0  # the control: the log alone cannot see it

    database_restored.send(sender=None)
    search_index.indexer._rebuild_if_restored()

    assert found("Wiederhergestellter") == 1
    search_index.close()
    later = Indexer(settings.BEIRAT_SEARCH_DIR)
    later.start()  # built against the new epoch: opened, not built again
    assert index.Position.load(later.generation).epoch == search_index.indexer.position.epoch
    later.close()
