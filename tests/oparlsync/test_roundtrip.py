"""Round trip: a second beirat (its own process, its own SQLite file with the demo data) serves
OParl; this one synchronises from it. The same public papers, meetings, consultations and
organisations arrive; a change and a withdrawal at the source arrive with the next run.

The source runs as a subprocess, not as Django's live_server, which would share this test's
database and so prove nothing."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from beirat.council.models import Consultation, Meeting, Paper, PaperAttachment
from beirat.directory.models import Committee, LegislativeTerm, OrganizationalUnit
from beirat.directory.services import installation_body
from beirat.oparlsync import services
from beirat.oparlsync.models import Source, SyncRun

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SourceInstance:
    """Another beirat: migrate, load the demo, serve it with runserver on a loopback port."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.database = folder / "source.sqlite3"
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "BEIRAT_SITE_URL": self.base,
            "BEIRAT_SEARCH_DIR": str(folder / "search"),
            "MEDIA_ROOT": str(folder / "media"),
            "BEIRAT_LOG_LEVEL": "WARNING",
        }
        self.environment.pop("DJANGO_SETTINGS_MODULE", None)
        self.server: subprocess.Popen[bytes] | None = None

    def manage(self, *arguments: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            check=True,
            timeout=300,
        )
        return done.stdout.decode()

    def start(self) -> None:
        self.manage("migrate", "--verbosity", "0")
        self.manage("load_demo")
        self.server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/oparl/v1/system", timeout=2).ok:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("Die Quell-Instanz ist nicht gestartet.")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.database) as connection:
            return list(connection.execute(sql))


@pytest.fixture(scope="module")
def source_instance(tmp_path_factory):
    instance = SourceInstance(tmp_path_factory.mktemp("oparl-source"))
    instance.start()
    yield instance
    instance.stop()


def test_round_trip_from_another_beirat(source_instance):
    source = services.save_source(
        source=Source(
            name="Beirat Koblenz (Quelle)",
            system_url=source_instance.base + "/oparl/v1/system",
            body=installation_body(actor=None),
            interval_hours=0,
        ),
        actor=None,
    )
    run = services.synchronise(source=source)
    assert run.status == SyncRun.Status.FINISHED
    assert run.failed == 0, run.failures

    # Read straight from the source's database, not through its API.
    public_papers = source_instance.rows(
        "SELECT reference, name, date FROM council_paper WHERE status='published' AND public=1"
    )
    mirrored = Paper.objects.filter(status=Paper.Status.PUBLISHED)
    assert {(p.reference, p.name, p.date.isoformat()) for p in mirrored} == set(public_papers)
    assert all(paper.source_url.startswith(source_instance.base) for paper in mirrored)

    routes = source_instance.rows(
        "SELECT p.reference, c.name FROM council_consultation r "
        "JOIN council_paper p ON p.id = r.paper_id JOIN directory_committee c "
        "ON c.id = r.committee_id WHERE p.status='published' AND p.public=1 AND c.public=1"
    )
    ours = Consultation.objects.values_list("paper__reference", "committee__name")
    assert sorted(ours) == sorted(routes)

    meetings = source_instance.rows(
        "SELECT m.start FROM council_meeting m JOIN directory_committee c "
        "ON c.id = m.committee_id WHERE m.public=1 AND c.public=1"
    )
    assert Meeting.objects.count() == len(meetings)

    committees = {
        name
        for (name,) in source_instance.rows("SELECT name FROM directory_committee WHERE public=1")
    }
    assert set(Committee.objects.values_list("name", flat=True)) == committees
    units = source_instance.rows("SELECT number, name FROM directory_organizationalunit")
    assert set(OrganizationalUnit.objects.values_list("number", "name")) == set(units)
    terms = source_instance.rows("SELECT name, start_date, end_date FROM directory_legislativeterm")
    assert terms  # the demo has one
    ours = LegislativeTerm.objects.values_list("name", "start_date", "end_date")
    assert {(name, str(start), str(end)) for name, start, end in ours} == set(terms)
    # Never the advisory board's members: the source does not publish them, and a board
    # imported here is an ordinary committee without memberships.
    assert not Committee.objects.filter(kind=Committee.Kind.ADVISORY_BOARD).exists()

    # The attachments arrive as the source keeps them (after each paper's official PDF, its
    # mainFile, which comes first): the same titles, types and words, in the same order.
    attachments = source_instance.rows(
        "SELECT p.reference, a.title, a.media_type, a.text FROM council_paperattachment a "
        "JOIN council_paper p ON p.id = a.paper_id WHERE p.status='published' AND p.public=1 "
        'ORDER BY p.reference, a."order"'
    )
    assert attachments  # the demo has one, on ST/0078/2025
    mirrored_attachments = [
        (a.paper.reference, a.title, a.media_type, a.text)
        for a in PaperAttachment.objects.filter(order__gt=1).order_by("paper__reference", "order")
    ]
    assert mirrored_attachments == attachments
    for paper in mirrored:
        main = paper.attachments.get(order=1)
        assert (main.media_type, main.title) == (
            "application/pdf",
            f"{paper.reference} {paper.get_paper_type_display()}",
        )

    downloads_before = PaperAttachment.objects.values_list("pk", "file").order_by("pk")
    again = services.synchronise(source=source)
    assert (again.created, again.changed, again.deleted, again.failed) == (0, 0, 0, 0)
    assert list(PaperAttachment.objects.values_list("pk", "file").order_by("pk")) == list(
        downloads_before
    )

    changed_ref, withdrawn_ref = sorted(reference for reference, _n, _d in public_papers)[:2]
    source_instance.manage(
        "shell",
        "-c",
        "from beirat.council.models import Paper\n"
        "from beirat.council import services\n"
        f"paper = Paper.objects.get(reference='{changed_ref}')\n"
        "paper.name = 'Geänderter Betreff aus der Quelle'\n"
        "services.update_paper(paper=paper, actor=None)\n"
        f"gone = Paper.objects.get(reference='{withdrawn_ref}')\n"
        "services.withdraw_paper(paper=gone, actor=None)\n",
    )
    incremental = services.synchronise(source=source)
    assert incremental.is_incremental
    assert incremental.failed == 0, incremental.failures
    assert incremental.deleted == 1
    assert incremental.changed >= 1
    assert Paper.objects.get(reference=changed_ref).name == "Geänderter Betreff aus der Quelle"
    assert Paper.objects.get(reference=withdrawn_ref).status == Paper.Status.WITHDRAWN
