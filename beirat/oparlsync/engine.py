"""One synchronisation: read a source's system, body and lists, store each object through the
council and directory services, and record what happened.

Never stops half-way: each object is stored in its own transaction; one that cannot be read or
stored goes into the run's failures with its URL and the reason, and the run goes on. After
each page the run notes where it is, so an interrupted run resumes at that page.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import orjson
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from beirat.core import file_text, uploads, wiring
from beirat.core.uploads import CheckedFile
from beirat.council import services as council
from beirat.council.models import (
    AgendaItem,
    Consultation,
    Decision,
    Meeting,
    Paper,
    PaperAttachment,
)
from beirat.directory import services as directory
from beirat.directory.models import (
    Committee,
    LegislativeTerm,
    Membership,
    OrganizationalUnit,
    Person,
)
from beirat.oparlsync import shapes
from beirat.oparlsync.client import FetchError, OParlClient
from beirat.oparlsync.models import Source, SyncedObject, SyncRun
from beirat.oparlsync.reader import read_ahead

# The body's lists in the order their objects refer to each other.
LISTS = (
    ("organization", "organization"),
    ("person", "person"),
    ("membership", "membership"),
    ("meeting", "meeting"),
    ("paper", "paper"),
)
MAX_PAGES = 100_000
MAX_EMPTY_PAGES = 5
# A full run treats an object it read before and no longer finds in a list it read to the
# end as deleted, in this order (what points to an object goes before it). Unless more than
# this share of a kind (and more than VANISHED_FLOOR objects) would go at once: a source that
# lost data, or lists only part of it, is reported, and nothing is removed.
VANISHED_KINDS = (
    ("Paper", "paper"),
    ("Meeting", "meeting"),
    ("Membership", "membership"),
    ("Person", "person"),
    ("Organization", "organization"),
)
VANISHED_SHARE = 0.2
VANISHED_FLOOR = 10
REPORT_LIMIT = 2000  # failures and notes kept per run; the counts go on
# The files of one page read ahead are held in memory up to this size; the store fetches the
# rest itself when it comes to them.
READ_AHEAD_BYTES = 64 * 1024 * 1024
# A page's files are fetched over this many connections at once: downloading, checking and
# reading one file takes longer than storing its paper, and a server answers several at once.
READ_AHEAD_CONNECTIONS = 3
PAPER_TYPES = (  # (word in paperType, our type), first match wins
    ("antwort", Paper.Type.ANSWER),
    ("beantwort", Paper.Type.ANSWER),
    ("anfrage", Paper.Type.INQUIRY),
    ("stellungnahme", Paper.Type.STATEMENT),
    ("antrag", Paper.Type.MOTION),
    ("mitteilung", Paper.Type.NOTICE),
    ("bericht", Paper.Type.NOTICE),
    ("vorlage", Paper.Type.RESOLUTION_PROPOSAL),
)
OUTCOMES = set(Consultation.Outcome.values)
EXT = "beirat:"


class ObjectError(Exception):
    """An object that cannot be stored; the message is the reason for the report."""


class RunFailed(Exception):
    """The source as a whole cannot be read (not OParl, no body): the run ends here."""


@dataclass
class Outcome:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    # The reading thread reports too (a page that cannot be read).
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def fail(self, url: str, reason: str) -> None:
        with self.lock:
            self.failed += 1
            if len(self.failures) < REPORT_LIMIT:
                self.failures.append({"url": url, "reason": reason})

    def note(self, url: str, note: str) -> None:
        with self.lock:
            if len(self.notes) < REPORT_LIMIT:
                self.notes.append({"url": url, "note": note})


# What the reading thread fetched of one page's files: the checked file, or why not.
FileResult = CheckedFile | FetchError | ValidationError


Progress = Callable[[str, int, int], None]


def _digest(payload: Any) -> str:
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


class Synchronisation:
    """Runs one SyncRun of one source to its end (or to an interruption)."""

    def __init__(self, run: SyncRun, client: OParlClient, progress: Progress | None = None) -> None:
        self.run = run
        self.source: Source = run.source
        self.client = client
        # The reading threads' own connections: a requests session is not meant to be shared.
        self.reading_client = dataclasses.replace(client)
        self.file_clients = [dataclasses.replace(client) for _ in range(READ_AHEAD_CONNECTIONS)]
        self.read_files: dict[str, FileResult] = {}
        self.progress = progress
        self.outcome = Outcome(
            run.created,
            run.changed,
            run.unchanged,
            run.deleted,
            run.failed,
            list(run.failures),
            list(run.notes),
        )
        # A full run meets every object: its mappings are read at once. An incremental run
        # meets a few: each is read when first needed (loading 300,000 mappings for 100
        # changes took longer than the whole run may).
        self.preloaded = run.modified_since is None
        self.mapped: dict[str, SyncedObject] = (
            {item.oparl_id: item for item in SyncedObject.objects.filter(source=self.source)}
            if self.preloaded
            else {}
        )
        self.absent: set[str] = set()  # looked up, not mapped (incremental runs)
        # While a page is stored, its new and changed mappings wait here and are written in
        # one go at its end (a profile of a 2,000-paper sync found one insert per object at
        # about an eighth of its time). None outside a page: written at once.
        self.pending: dict[str, SyncedObject] | None = None
        # Per open savepoint: the mappings it changed, as they were before, so that a rolled
        # back object leaves the cached mappings as the database has them.
        self.touched: list[dict[str, tuple[SyncedObject | None, bool]]] = []
        self.seen: set[str] = set()
        # The lists read to their last page in this run, those the body offers, and the kinds
        # with an entry that had no usable id (whatever it was, it was not seen).
        self.complete_lists: set[str] = set()
        self.offered_lists: set[str] = set()
        self.unidentified: set[str] = set()
        self.organisations: dict[tuple[str, int], Committee | OrganizationalUnit | None] = {}
        self.unresolved = False
        self.expected = 0
        self.started = time.monotonic() - run.seconds

    # The run ------------------------------------------------------------------------------

    def execute(self) -> None:
        system_url = self.source.system_url
        system = self._fetch_required(system_url)
        if not isinstance(system, dict) or "/System" not in shapes.text(system.get("type")):
            raise RunFailed(_("Die Adresse liefert kein OParl-System."))
        body = self._body(system)
        self._legislative_terms(body)
        resume = dict(self.run.resume)
        started = resume.get("list") is None
        resumed = not started
        for index, (kind, key) in enumerate(LISTS):
            if not started and resume.get("list") != kind:
                continue
            page = resume.get("page") if not started else None
            started = True
            first = shapes.ref(body.get(key), system_url)
            if first is None:
                if kind in ("organization", "meeting", "paper"):
                    self.outcome.note(
                        shapes.text(body.get("id")), _("Liste %(kind)s fehlt") % {"kind": kind}
                    )
            else:
                self.offered_lists.add(kind)
                self._read_list(kind, page or self._with_filter(first))
            following = LISTS[index + 1][0] if index + 1 < len(LISTS) else "done"
            self.run.resume = {"list": following}
            self._save_run()
        if self.run.modified_since is None:
            self._remove_vanished(resumed)
        self.run.resume = {}

    def _body(self, system: dict[str, Any]) -> dict[str, Any]:
        base = self.source.system_url
        listing = system.get("body")
        bodies: list[Any] = []
        if isinstance(listing, list):  # embedded where a list URL is expected
            bodies = listing
        else:
            url = shapes.ref(listing, base)
            if url is None:
                raise RunFailed(_("Das System nennt keine Körperschaften."))
            for page, _following in self._pages(url):
                bodies += page
        wanted = self.source.body_url
        for entry in bodies:
            body = self._object(entry, "body")
            if body is None:
                continue
            body_id = shapes.ref(body.get("id"), base)
            if not wanted or (body_id and self._key(body_id) == self._key(wanted)):
                if not wanted and body_id:
                    self.source.body_url = self._key(body_id)
                    self.source.save(update_fields=["body_url", "modified_at"])
                return body
        if wanted:
            raise RunFailed(
                _("Die Körperschaft %(url)s ist im System nicht (mehr) vorhanden.")
                % {"url": wanted}
            )
        raise RunFailed(_("Das System hat keine Körperschaft."))

    def _legislative_terms(self, body: dict[str, Any]) -> None:
        """The body's Wahlperioden: embedded in the body (OParl 1.0 and 1.1), or only as the
        list ``legislativeTermList`` names (1.1). Few and small: read on every run, each in
        its own savepoint like any object, in one transaction."""
        entries = body.get("legislativeTerm")
        if not isinstance(entries, list):
            entries = []
            listing = shapes.ref(body.get("legislativeTermList"), self.source.system_url)
            for page, _following in self._pages(listing) if listing else ():
                entries += page
        with transaction.atomic():
            for entry in entries:
                self._one("legislative_term", entry)

    def _with_filter(self, url: str) -> str:
        since = self.run.modified_since
        if since is None:
            return url
        joiner = "&" if "?" in url else "?"
        stamp = timezone.localtime(since).isoformat(timespec="seconds")
        return f"{url}{joiner}modified_since={quote(stamp)}"

    def _read_list(self, kind: str, url: str) -> None:
        self.expected = 0
        # The next page (and its papers' files) is read while this one is stored. Closed at
        # once when the store stops (an interruption): the reading thread stops with it.
        pages = read_ahead(self._pages_with_files(kind, url))
        with closing(pages):
            self._store_pages(kind, pages)

    def _store_pages(
        self, kind: str, pages: Iterable[tuple[list[Any], str | None, dict[str, FileResult]]]
    ) -> None:
        done = 0
        for entries, following, files in pages:
            self.read_files = files
            # A page is committed at once, with the note where to go on: an interruption
            # loses at most this page, which the resumed run reads again. Inside, each object
            # has its own savepoint (_one), so a bad object never takes its neighbours along.
            with transaction.atomic():
                self.pending = {}
                try:
                    for entry in entries:
                        self._one(kind, entry)
                        done += 1
                    self._write_pending()
                finally:
                    self.pending = None
                self._checkpoint(kind, following)
            self.read_files = {}
            if self.progress:
                self.progress(kind, done, max(self.expected, done))

    def _pages_with_files(
        self, kind: str, url: str
    ) -> Iterator[tuple[list[Any], str | None, dict[str, FileResult]]]:
        """Runs in the reading thread: each page, and for papers the files they name."""
        following: str | None = url  # no page read yet
        for entries, following in self._pages(url, self.reading_client):
            files = self._read_files(entries) if kind == "paper" else {}
            yield entries, following, files
        if following is None:  # ended at a page without next, not cut short
            self.complete_lists.add(kind)

    def _pages(
        self, url: str, client: OParlClient | None = None
    ) -> Iterator[tuple[list[Any], str | None]]:
        """The entries of each page, following links.next; a loop, a repeated page, runs of
        empty pages or a page that cannot be read end the list (and are reported)."""
        client = client or self.client
        visited: set[str] = set()
        listed: set[str] = set()  # the store may be a page behind: self.seen lags
        empty = 0
        current: str | None = url
        pages = 0
        while current:
            key = self._key(current)
            if key in visited:
                self.outcome.note(current, _("Seitenverweis im Kreis; Liste hier beendet"))
                return
            visited.add(key)
            pages += 1
            if pages > MAX_PAGES:
                self.outcome.fail(current, _("Zu viele Seiten; Liste hier beendet"))
                return
            try:
                page = client.get(current)
            except FetchError as error:
                self.outcome.fail(current, _("Seite nicht lesbar: %(reason)s") % {"reason": error})
                return
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                self.outcome.fail(current, _("Keine OParl-Liste (data fehlt)"))
                return
            entries = page["data"]
            links = page.get("links")
            links = links if isinstance(links, dict) else {}
            following = shapes.ref(links.get("next"), current)
            ids = [self._entry_id(entry) for entry in entries]
            # One by one: the store adds to self.seen meanwhile. An entry without id counts as new.
            fresh = [i for i in ids if not i or (i not in listed and i not in self.seen)]
            listed.update(ids)
            if entries and not fresh and pages > 1:
                self.outcome.note(current, _("Seite wiederholt eine frühere; Liste hier beendet"))
                return
            empty = 0 if entries else empty + 1
            if empty >= MAX_EMPTY_PAGES:
                self.outcome.note(current, _("Mehrere leere Seiten; Liste hier beendet"))
                return
            pagination = page.get("pagination")
            if isinstance(pagination, dict):
                self.expected = shapes.integer(pagination.get("totalElements")) or 0
            yield entries, following
            current = following

    def _checkpoint(self, kind: str, following: str | None) -> None:
        self.run.resume = {"list": kind, "page": following} if following else {"list": kind}
        self._save_run()

    def _save_run(self) -> None:
        o = self.outcome
        self.run.created, self.run.changed, self.run.unchanged = o.created, o.changed, o.unchanged
        self.run.deleted, self.run.failed = o.deleted, o.failed
        self.run.failures, self.run.notes = o.failures, o.notes
        self.run.seconds = time.monotonic() - self.started
        self.run.save()

    def finish(self) -> None:
        self._save_run()
        for client in (self.reading_client, *self.file_clients):
            client.close()

    # Objects ------------------------------------------------------------------------------

    def _entry_id(self, entry: Any) -> str:
        found = shapes.ref(entry, self.source.system_url)
        return self._key(found) if found else ""

    def _key(self, url: str) -> str:
        return shapes.canonical(url, self.source.system_url)

    def _fetch_required(self, url: str) -> Any:
        try:
            return self.client.get(url)
        except FetchError as error:
            raise RunFailed(f"{url}: {error}") from None

    def _object(self, entry: Any, what: str) -> dict[str, Any] | None:
        """An object where one is expected: embedded, or fetched when only its URL was sent.
        One that cannot be had marks the object being stored for another reading next time."""
        unresolved, self.unresolved = self.unresolved, True  # until it is found below
        if isinstance(entry, str):
            url = shapes.absolute_url(entry, self.source.system_url)
            if url is None:
                self.outcome.fail(str(entry)[:300], _("Keine gültige Adresse"))
                return None
            try:
                entry = self.client.get(url)
            except FetchError as error:
                self.outcome.fail(url, str(error))
                return None
        if not isinstance(entry, dict) or not shapes.ref(entry.get("id"), self.source.system_url):
            self.outcome.fail(self._describe(entry), _("%(what)s ohne gültige id") % {"what": what})
            return None
        self.unresolved = unresolved
        return entry

    def _describe(self, entry: Any) -> str:
        return orjson.dumps(entry).decode()[:200] if entry is not None else "null"

    def _one(self, kind: str, entry: Any) -> None:
        found = self._object(entry, kind)
        if found is None:
            # Listed, but not to be had: not vanished. Without a usable id it could be anything.
            url = (
                shapes.absolute_url(entry, self.source.system_url)
                if isinstance(entry, str)
                else None
            )
            if url is not None:
                self.seen.add(self._key(url))
            else:
                self.unidentified.add(kind)
            return
        oparl_id = self._key(shapes.ref(found["id"], self.source.system_url) or "")
        if oparl_id in self.seen:
            return  # the same object twice in one run: once is enough
        self.seen.add(oparl_id)
        handler = getattr(self, f"_store_{kind}")
        try:
            with self._savepoint():
                handler(oparl_id, found)
        except Exception as error:  # any object's fault is reported, and the run goes on
            self.outcome.fail(oparl_id, _reason(error))

    def _remove_vanished(self, resumed: bool) -> None:
        """After a full run: what the source listed before and no longer lists is deleted
        there, even without a ``deleted`` entry (many systems just drop it). Only for lists
        read to their end, each entry identified, in one go (a resumed run did not see the
        pages before its interruption)."""
        if resumed:
            self.outcome.note(
                self.source.system_url,
                _("Fortgesetzter Abgleich: nicht geprüft, ob Objekte in der Quelle fehlen"),
            )
            return
        for oparl_type, kind in VANISHED_KINDS:
            known = [item for item in self.mapped.values() if item.oparl_type == oparl_type]
            vanished = [
                item for item in known if not item.deleted and item.oparl_id not in self.seen
            ]
            if not vanished:
                continue
            if not self._read_completely(kind):
                self.outcome.note(
                    self.source.system_url,
                    _("Liste %(kind)s nicht vollständig gelesen: nicht geprüft, ob Objekte fehlen")
                    % {"kind": kind},
                )
            elif len(vanished) > max(VANISHED_FLOOR, VANISHED_SHARE * len(known)):
                self.outcome.note(
                    self.source.system_url,
                    _(
                        "%(count)s von %(known)s Objekten der Liste %(kind)s fehlen in der Quelle; "
                        "zu viele auf einmal, nichts entfernt. Bitte prüfen Sie die Quelle."
                    )
                    % {"count": len(vanished), "known": len(known), "kind": kind},
                )
            else:
                self._remove(kind, oparl_type, vanished)

    def _read_completely(self, kind: str) -> bool:
        if kind in self.unidentified:
            return False
        if kind == "membership":
            # Memberships may come embedded in the people (as in the specification's example)
            # as well as in their own list: both must have been read to the end.
            listed = "membership" in self.complete_lists or "membership" not in self.offered_lists
            return listed and "person" in self.complete_lists and "person" not in self.unidentified
        return kind in self.complete_lists

    def _remove(self, kind: str, oparl_type: str, vanished: list[SyncedObject]) -> None:
        with transaction.atomic():
            for item in vanished:
                tombstone = {
                    "id": item.oparl_id,
                    "type": f"https://schema.oparl.org/1.1/{oparl_type}",
                    "deleted": True,
                }
                self._one(kind, tombstone)
                self.outcome.note(
                    item.oparl_id, _("In der Quelle nicht mehr vorhanden: wie gelöscht übernommen")
                )

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A savepoint that also rolls back the cached mappings its objects changed: they
        would otherwise name rows that were never kept."""
        level: dict[str, tuple[SyncedObject | None, bool]] = {}
        self.touched.append(level)
        try:
            with transaction.atomic():
                yield
        except BaseException:
            self.touched.pop()
            self._restore(level)
            raise
        self.touched.pop()
        if self.touched:  # kept for now; the enclosing savepoint may still roll back
            for oparl_id, before in level.items():
                self.touched[-1].setdefault(oparl_id, before)

    def _restore(self, level: dict[str, tuple[SyncedObject | None, bool]]) -> None:
        for oparl_id, (before, was_pending) in level.items():
            if before is None:
                self.mapped.pop(oparl_id, None)
            else:
                self.mapped[oparl_id] = before
            if self.pending is not None:
                if was_pending and before is not None:
                    self.pending[oparl_id] = before
                else:
                    self.pending.pop(oparl_id, None)

    def _will_change(self, oparl_id: str) -> None:
        """Called before a cached mapping is changed: keeps it as it was for a rollback."""
        if not self.touched or oparl_id in self.touched[-1]:
            return
        current = self.mapped.get(oparl_id)
        pending = self.pending is not None and oparl_id in self.pending
        self.touched[-1][oparl_id] = (copy.copy(current) if current else None, pending)

    def _write_mapping(self, stored: SyncedObject) -> None:
        _check_mapping(stored)
        if self.pending is None:
            stored.save()
        else:
            self.pending[stored.oparl_id] = stored
        self.mapped[stored.oparl_id] = stored

    def _write_pending(self) -> None:
        """The page's new and changed mappings, in one go each."""
        assert self.pending is not None
        waiting = list(self.pending.values())
        new = [stored for stored in waiting if stored.pk is None]
        changed = [stored for stored in waiting if stored.pk is not None]
        now = timezone.now()
        for stored in changed:
            stored.synced_at = now  # bulk_update leaves auto_now fields alone
        try:
            if connection.features.can_return_rows_from_bulk_insert:
                SyncedObject.objects.bulk_create(new, batch_size=500)
            else:  # SQLite before 3.35: the new rows' ids are needed for later changes
                for stored in new:
                    stored.save()
            SyncedObject.objects.bulk_update(changed, MAPPING_FIELDS, batch_size=500)
        except DatabaseError as error:
            # _check_mapping refuses what a database is known to refuse, object by object;
            # anything else ends the run with the reason rather than leave it hanging.
            raise RunFailed(
                _("Die Zuordnungen einer Seite ließen sich nicht speichern: %(error)s")
                % {"error": error}
            ) from error
        self.pending.clear()

    # Mapping ------------------------------------------------------------------------------

    def _mapping(self, oparl_id: str) -> SyncedObject | None:
        stored = self.mapped.get(oparl_id)
        if stored is not None or self.preloaded or oparl_id in self.absent:
            return stored
        stored = SyncedObject.objects.filter(source=self.source, oparl_id=oparl_id).first()
        if stored is None:
            self.absent.add(oparl_id)
        else:
            self.mapped[oparl_id] = stored
        return stored

    def _unchanged(self, oparl_id: str, digest: str) -> bool:
        stored = self._mapping(oparl_id)
        return stored is not None and stored.digest == digest and not stored.deleted

    def _local(self, model: type[Any], url: Any) -> Any:
        """The local record an OParl id refers to, or None (noted as unresolved)."""
        found = shapes.ref(url, self.source.system_url)
        if found is None:
            return None
        stored = self._mapping(self._key(found))
        label = model._meta.label_lower
        if stored is None or stored.local_model != label or stored.local_id is None:
            self.unresolved = True
            return None
        if model not in (Committee, OrganizationalUnit):
            return model.objects.filter(pk=stored.local_id).first()
        # Read once per run: papers name the same few committees and offices again and again,
        # and the organisations' list, stored first, is done by the time papers refer to them.
        key = (label, stored.local_id)
        if key not in self.organisations:
            self.organisations[key] = model.objects.filter(pk=stored.local_id).first()
        return self.organisations[key]

    def _first_local(self, model: type[Any], value: Any) -> Any:
        for url in shapes.refs(value, self.source.system_url):
            found = self._local(model, url)
            if found is not None:
                return found
        return None

    def _remember(
        self,
        oparl_id: str,
        payload: dict[str, Any],
        record: Any,
        *,
        digest: str,
        adopted: bool = False,
    ) -> None:
        self._will_change(oparl_id)
        stored = self._mapping(oparl_id) or SyncedObject(source=self.source, oparl_id=oparl_id)
        before = _mapping_state(stored)
        stored.oparl_type = shapes.text(payload.get("type")).rsplit("/", 1)[-1][:30]
        # Cut as the papers' and meetings' own links are: the column holds 1,000 characters.
        stored.web = (shapes.absolute_url(payload.get("web"), oparl_id) or "")[:1000]
        stored.local_model = record._meta.label_lower if record is not None else ""
        stored.local_id = record.pk if record is not None else None
        # A reference that could not be resolved yet: read the object again next time.
        stored.digest = "" if self.unresolved else digest
        stored.modified = shapes.text(payload.get("modified"), 40)
        stored.deleted = bool(payload.get("deleted") is True)
        stored.adopted = adopted or stored.adopted
        if stored.pk is None or _mapping_state(stored) != before:
            self._write_mapping(stored)  # an embedded object read again unchanged: no write
        self.mapped[oparl_id] = stored
        self.absent.discard(oparl_id)

    def _count(self, created: bool, changed: bool) -> None:
        if created:
            self.outcome.created += 1
        elif changed:
            self.outcome.changed += 1
        else:
            self.outcome.unchanged += 1

    def _begin(self, oparl_id: str, payload: dict[str, Any]) -> str | None:
        """The digest to store, or None when the object is as last read (nothing to do)."""
        self.unresolved = False
        digest = _digest(payload)
        if self._unchanged(oparl_id, digest):
            self.outcome.unchanged += 1
            return None
        return digest

    # Organizations ------------------------------------------------------------------------

    def _store_organization(self, oparl_id: str, data: dict[str, Any]) -> None:
        digest = self._begin(oparl_id, data)
        if digest is None:
            return
        stored = self._mapping(oparl_id)
        if data.get("deleted") is True:
            self._delete_organization(oparl_id, data, stored, digest)
            return
        name = shapes.text(data.get("name"), 200) or shapes.text(data.get("shortName"), 200)
        if not name:
            raise ObjectError(_("Organisation ohne Namen"))
        kind = shapes.text(data.get("organizationType")).lower()
        classification = shapes.text(data.get("classification")).lower()
        if kind == "verwaltungsbereich" or classification in ("amt", "dezernat"):
            number = shapes.text(data.get("shortName"), 10)
            if number and name.startswith(f"{number}-"):
                name = name[len(number) + 1 :]  # "80-Amt für …" is number and name
            self._store_unit(oparl_id, data, name, classification, stored, digest)
        else:
            self._store_committee(oparl_id, data, name, kind, classification, stored, digest)

    def _store_unit(
        self,
        oparl_id: str,
        data: dict[str, Any],
        name: str,
        classification: str,
        stored: SyncedObject | None,
        digest: str,
    ) -> None:
        body = self.source.body
        unit = (
            OrganizationalUnit.objects.filter(pk=stored.local_id).first()
            if stored and stored.local_id and stored.local_model == "directory.organizationalunit"
            else None
        )
        if unit is None:
            existing = OrganizationalUnit.objects.filter(body=body, name=name).first()
            if existing is not None:
                self._remember(oparl_id, data, existing, digest=digest, adopted=True)
                self.outcome.note(
                    oparl_id, _("Mit der vorhandenen Einheit „%(name)s“ verbunden") % {"name": name}
                )
                self._count(created=False, changed=True)
                return
        if stored is not None and stored.adopted:
            self._remember(oparl_id, data, unit, digest=digest)
            self._count(created=False, changed=False)
            return
        created = unit is None
        unit = unit or OrganizationalUnit(body=body)
        number = shapes.text(data.get("shortName"), 10)
        taken = (
            OrganizationalUnit.objects.filter(body=body, number=number, kind=unit.kind or "office")
            .exclude(pk=unit.pk)
            .exists()
        )
        values = {
            "kind": OrganizationalUnit.Kind.DIVISION
            if classification == "dezernat"
            else OrganizationalUnit.Kind.OFFICE,
            "name": name,
            "public_name": name,
            "number": "" if taken or not number.isdigit() else number,
            "parent": self._first_local(OrganizationalUnit, data.get("subOrganizationOf")),
        }
        changed = _assign(unit, values)
        if created:
            directory.create_unit(unit=unit, actor=None)
        elif changed:
            directory.update_unit(unit=unit, actor=None)
        self._remember(oparl_id, data, unit, digest=digest)
        self._count(created, changed)

    def _store_committee(
        self,
        oparl_id: str,
        data: dict[str, Any],
        name: str,
        kind: str,
        classification: str,
        stored: SyncedObject | None,
        digest: str,
    ) -> None:
        body = self.source.body
        committee = (
            Committee.objects.filter(pk=stored.local_id).first()
            if stored and stored.local_id and stored.local_model == "directory.committee"
            else None
        )
        if committee is None:
            # The same committee kept here already (never the advisory board: its members are
            # never named, and a source's memberships must not reach it).
            existing = (
                Committee.objects.filter(body=body, name=name)
                .exclude(kind=Committee.Kind.ADVISORY_BOARD)
                .first()
            )
            if existing is not None:
                self._remember(oparl_id, data, existing, digest=digest, adopted=True)
                self.outcome.note(
                    oparl_id, _("Mit dem vorhandenen Gremium „%(name)s“ verbunden") % {"name": name}
                )
                self._count(created=False, changed=True)
                return
        if stored is not None and stored.adopted:
            self._remember(oparl_id, data, committee, digest=digest)
            self._count(created=False, changed=False)
            return
        founded = shapes.day(data.get("startDate"))
        dissolved = shapes.day(data.get("endDate"))
        if founded and dissolved and dissolved < founded:
            dissolved = None
            self.outcome.note(oparl_id, _("Ende vor Beginn; Ende weggelassen"))
        values = {
            "kind": _committee_kind(kind, classification, name),
            "short_name": shapes.text(data.get("shortName"), 60),
            "founded_on": founded,
            "dissolved_on": dissolved,
            "seat_count": shapes.integer(data.get("votingMemberCount")),
            "public": True,
            "source_name": self.source.name[:200],
            "source_url": (shapes.absolute_url(data.get("web"), oparl_id) or "")[:1000],
        }
        if committee is None:
            committee = Committee(body=body, name=name, slug=self._slug(name))
            _assign(committee, values)
            directory.create_committee(committee=committee, actor=None)
            self._remember(oparl_id, data, committee, digest=digest)
            self._count(created=True, changed=True)
            return
        changed = _assign(committee, values)
        if changed:
            directory.update_committee(committee=committee, actor=None, from_source=True)
        if committee.name != name:
            directory.rename_committee(
                committee=committee,
                new_name=name,
                valid_from=timezone.localdate(),
                actor=None,
                from_source=True,
            )
            changed = True
        self._remember(oparl_id, data, committee, digest=digest)
        self._count(False, changed)

    def _slug(self, name: str) -> str:
        base = slugify(name)[:70] or "gremium"
        candidate, number = base, 1
        while Committee.objects.filter(slug=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def _delete_organization(
        self, oparl_id: str, data: dict[str, Any], stored: SyncedObject | None, digest: str
    ) -> None:
        if stored is not None and not stored.adopted and stored.local_id:
            if stored.local_model == "directory.committee":
                committee = Committee.objects.filter(pk=stored.local_id).first()
                if committee is not None and committee.public:
                    committee.public = False
                    directory.update_committee(committee=committee, actor=None, from_source=True)
            elif stored.local_model == "directory.organizationalunit":
                unit = OrganizationalUnit.objects.filter(pk=stored.local_id).first()
                if unit is not None and unit.active:
                    unit.active = False
                    directory.update_unit(unit=unit, actor=None)
        self._deleted(oparl_id, data, stored, digest)

    def _deleted(
        self, oparl_id: str, data: dict[str, Any], stored: SyncedObject | None, digest: str
    ) -> None:
        """Mark the mapping deleted; the local record (withdrawn, ended, hidden) keeps its link."""
        if stored is None:
            self.outcome.unchanged += 1  # deleted before it was ever read here
            self._remember(oparl_id, data, None, digest=digest)
            return
        if not stored.deleted:
            self.outcome.deleted += 1
        else:
            self.outcome.unchanged += 1
        self._will_change(oparl_id)
        stored.deleted = True
        stored.digest = digest
        stored.modified = shapes.text(data.get("modified"), 40)
        self._write_mapping(stored)

    # Legislative terms ---------------------------------------------------------------------

    def _store_legislative_term(self, oparl_id: str, data: dict[str, Any]) -> None:
        digest = self._begin(oparl_id, data)
        if digest is None:
            return
        stored = self._mapping(oparl_id)
        term = self._local(LegislativeTerm, oparl_id) if stored else None
        if data.get("deleted") is True:
            self._deleted(oparl_id, data, stored, digest)  # the term stays: history
            return
        name = shapes.text(data.get("name"), 100)
        start = shapes.day(data.get("startDate"))
        if not name or start is None:
            raise ObjectError(_("Wahlperiode ohne Bezeichnung oder ohne lesbaren Beginn"))
        end = shapes.day(data.get("endDate"))
        if end and end < start:
            end = None
            self.outcome.note(oparl_id, _("Ende vor Beginn; Ende weggelassen"))
        if term is None:
            existing = LegislativeTerm.objects.filter(body=self.source.body, name=name).first()
            if existing is not None:  # entered here before the source was connected
                self._remember(oparl_id, data, existing, digest=digest, adopted=True)
                self.outcome.note(
                    oparl_id,
                    _("Mit der vorhandenen Wahlperiode „%(name)s“ verbunden") % {"name": name},
                )
                self._count(created=False, changed=True)
                return
        if stored is not None and stored.adopted:  # kept as entered here
            self._remember(oparl_id, data, term, digest=digest)
            self._count(created=False, changed=False)
            return
        created = term is None
        term = term or LegislativeTerm(body=self.source.body)
        changed = _assign(term, {"name": name, "start_date": start, "end_date": end})
        if created:
            directory.create_legislative_term(term=term, actor=None)
        elif changed:
            directory.update_legislative_term(term=term, actor=None)
        self._remember(oparl_id, data, term, digest=digest)
        self._count(created, changed)

    # People -------------------------------------------------------------------------------

    def _store_person(self, oparl_id: str, data: dict[str, Any]) -> None:
        embedded = data.get("membership")
        digest = self._begin(oparl_id, data)
        if digest is not None:
            self._person(oparl_id, data, digest)
        # Memberships embedded in the person (as in the specification's example).
        if isinstance(embedded, list):
            for item in embedded:
                if isinstance(item, dict) and "person" not in item:
                    item = {**item, "person": oparl_id}
                if isinstance(item, dict):
                    self._one("membership", item)

    def _person(self, oparl_id: str, data: dict[str, Any], digest: str) -> None:
        stored = self._mapping(oparl_id)
        person = self._local(Person, oparl_id) if stored else None
        if data.get("deleted") is True:
            if person is not None and person.public:
                person.public = False
                directory.update_person(person=person, actor=None, from_source=True)
            self._deleted(oparl_id, data, stored, digest)
            return
        family = shapes.text(data.get("familyName"), 100)
        name = shapes.text(data.get("name"))
        if not family and name:
            family = name.split()[-1][:100]
        if not family:
            raise ObjectError(_("Person ohne Namen"))
        # Only the name: the source's contact data stay there.
        values = {
            "family_name": family,
            "given_name": shapes.text(data.get("givenName"), 100),
            "title": shapes.text(data.get("title"), 50),
            "form_of_address": shapes.text(data.get("formOfAddress"), 50),
            "public": True,
            "source_name": self.source.name[:200],
        }
        created = person is None
        person = person or Person()
        changed = _assign(person, values)
        if created:
            directory.create_person(person=person, actor=None)
        elif changed:
            directory.update_person(person=person, actor=None, from_source=True)
        self._remember(oparl_id, data, person, digest=digest)
        self._count(created, changed)

    def _store_membership(self, oparl_id: str, data: dict[str, Any]) -> None:
        digest = self._begin(oparl_id, data)
        if digest is None:
            return
        stored = self._mapping(oparl_id)
        membership = self._local(Membership, oparl_id) if stored else None
        if data.get("deleted") is True:
            if membership is not None and membership.end_date is None:
                directory.end_membership(
                    membership=membership,
                    end_date=timezone.localdate(),
                    actor=None,
                    from_source=True,
                )
            self._deleted(oparl_id, data, stored, digest)
            return
        person = self._local(Person, data.get("person"))
        committee = self._local(Committee, data.get("organization"))
        if person is None or committee is None:
            raise ObjectError(_("Mitgliedschaft ohne bekannte Person oder bekanntes Gremium"))
        if committee.kind == Committee.Kind.ADVISORY_BOARD:
            raise ObjectError(_("Mitgliedschaften im Beirat werden nicht übernommen"))
        start = shapes.day(data.get("startDate"))
        end = shapes.day(data.get("endDate"))
        if start and end and end < start:
            end = None
            self.outcome.note(oparl_id, _("Ende vor Beginn; Ende weggelassen"))
        values = {
            "committee": committee,
            "person": person,
            "role": _membership_role(shapes.text(data.get("role")), data.get("votingRight")),
            "start_date": start,
            "end_date": end,
            "note": shapes.text(data.get("role"), 300),
        }
        created = membership is None
        membership = membership or Membership()
        changed = _assign(membership, values)
        if created:
            directory.add_membership(membership=membership, actor=None, from_source=True)
        elif changed:
            directory.update_membership(membership=membership, actor=None, from_source=True)
        self._remember(oparl_id, data, membership, digest=digest)
        self._count(created, changed)

    # Meetings -----------------------------------------------------------------------------

    def _store_meeting(self, oparl_id: str, data: dict[str, Any]) -> None:
        digest = self._begin(oparl_id, data)
        if digest is None:
            return
        stored = self._mapping(oparl_id)
        meeting = self._local(Meeting, oparl_id) if stored else None
        if data.get("deleted") is True:
            if meeting is not None:
                self._remove_agenda(meeting, keep=set())
                council.remove_mirrored(meeting, actor=None, action="meeting.mirror_removed")
            self._deleted(oparl_id, data, stored, digest)
            return
        committee = self._first_local(Committee, data.get("organization"))
        if committee is None:
            raise ObjectError(_("Sitzung ohne bekanntes Gremium"))
        start = shapes.moment(data.get("start"))
        if start is None:
            raise ObjectError(_("Sitzung ohne lesbaren Beginn"))
        end = shapes.moment(data.get("end"))
        if end is not None and end < start:
            end = None
            self.outcome.note(oparl_id, _("Ende vor Beginn; Ende weggelassen"))
        state = shapes.text(data.get("meetingState")).lower()
        values = {
            "committee": committee,
            "name": shapes.text(data.get("name"), 200),
            "start": start,
            "end": end,
            "location": self._location(data.get("location")),
            "state": Meeting.State.CANCELLED
            if shapes.flag(data.get("cancelled"), False)
            else Meeting.State.HELD
            if ("durchgef" in state or "abgeschlossen" in state)
            else Meeting.State.SCHEDULED,
            "public": True,
            "source_name": self.source.name[:200],
            "source_url": (shapes.absolute_url(data.get("web"), oparl_id) or "")[:1000],
        }
        created = meeting is None
        meeting = meeting or Meeting()
        changed = _assign(meeting, values)
        if changed:
            council.save_mirrored(meeting, actor=None, action="meeting.mirrored")
        changed = self._agenda(oparl_id, meeting, data.get("agendaItem")) or changed
        self._remember(oparl_id, data, meeting, digest=digest)
        self._count(created, changed)

    def _location(self, value: Any) -> str:
        if isinstance(value, str):
            found = self._object(value, "Location")
            value = found or {}
        if not isinstance(value, dict):
            return ""
        described = shapes.text(value.get("description"))
        if not described:
            parts = [value.get(key) for key in ("room", "streetAddress", "postalCode", "locality")]
            described = ", ".join(shapes.text(part) for part in parts if shapes.text(part))
        return described[:300]

    def _agenda(self, meeting_id: str, meeting: Meeting, value: Any) -> bool:
        """The meeting's agenda as sent: items stored in the order of the list."""
        entries = value if isinstance(value, list) else []
        items: list[tuple[str, dict[str, Any]]] = []
        for entry in entries:
            found = self._object(entry, "AgendaItem")
            if found is None:
                continue
            item_id = self._key(shapes.ref(found["id"], self.source.system_url) or "")
            if item_id not in {known for known, _data in items}:
                items.append((item_id, found))
        keep: set[int] = {
            stored.local_id
            for item_id, _data in items
            if (stored := self._mapping(item_id)) and stored.local_id
        }
        changed = self._remove_agenda(meeting, keep=keep)
        existing = {item.pk: item for item in meeting.agenda_items.all()}
        wanted = {
            stored.local_id: order
            for order, (item_id, _data) in enumerate(items)
            if (stored := self._mapping(item_id)) and stored.local_id
        }
        if any(wanted.get(pk) != item.order for pk, item in existing.items()):
            # Free the positions first: (meeting, order) is unique at every step.
            for offset, item in enumerate(existing.values()):
                item.order = 30000 + offset
                wiring.update_rows(AgendaItem.objects.filter(pk=item.pk), order=item.order)
        for order, (item_id, data) in enumerate(items):
            stored = self._mapping(item_id)
            known = existing.get(stored.local_id) if stored and stored.local_id else None
            created = known is None
            item = known or AgendaItem(meeting=meeting)
            name = shapes.text(data.get("name"), 500) or shapes.text(data.get("number"), 500)
            item_changed = _assign(
                item,
                {
                    "order": order,
                    "number": shapes.text(data.get("number"), 20),
                    "name": name or _("Tagesordnungspunkt"),
                    "public": shapes.flag(data.get("public"), True),
                    "result": shapes.text(data.get("result"), 200),
                },
            )
            if item_changed:
                council.save_mirrored(item, actor=None, action="agenda_item.mirrored")
            changed = changed or created or item_changed
            resolution = data.get("resolutionText")
            self._decision(item, resolution if isinstance(resolution, str) else "")
            self._remember(item_id, data, item, digest=_digest(data))
        return changed

    def _decision(self, item: AgendaItem, text: str) -> None:
        text = text.strip()
        current = Decision.objects.filter(agenda_item=item).first()
        if not text:
            if current is not None:
                council.remove_mirrored(current, actor=None, action="decision.mirror_removed")
            return
        if current is None or current.text != text:
            decision = current or Decision(agenda_item=item)
            decision.text = text
            council.save_mirrored(decision, actor=None, action="decision.mirrored")

    def _remove_agenda(self, meeting: Meeting, *, keep: set[int]) -> bool:
        removed = False
        for item in meeting.agenda_items.exclude(pk__in=keep):
            council.remove_mirrored(item, actor=None, action="agenda_item.mirror_removed")
            removed = True
        return removed

    # Papers -------------------------------------------------------------------------------

    def _store_paper(self, oparl_id: str, data: dict[str, Any]) -> None:
        digest = self._begin(oparl_id, data)
        if digest is None:
            return
        stored = self._mapping(oparl_id)
        paper = self._local(Paper, oparl_id) if stored else None
        if data.get("deleted") is True:
            if paper is not None and paper.status != Paper.Status.WITHDRAWN:
                paper.status = Paper.Status.WITHDRAWN
                council.save_mirrored(paper, actor=None, action="paper.mirror_withdrawn")
            self._deleted(oparl_id, data, stored, digest)
            return
        reference = shapes.text(data.get("reference"))
        name = shapes.text(data.get("name"), 500) or reference[:500]
        if not name:
            raise ObjectError(_("Vorlage ohne Betreff und ohne Nummer"))
        date = shapes.day(data.get("date"))
        if date is None:
            date = shapes.day(data.get("created")) or timezone.localdate()
            self.outcome.note(
                oparl_id,
                _("Ohne lesbares Datum; %(date)s angenommen") % {"date": date.strftime("%d.%m.%Y")},
            )
        web = shapes.absolute_url(data.get("web"), oparl_id) or ""
        created = paper is None
        paper = paper or Paper(body=self.source.body)
        values = {
            "paper_type": _paper_type(shapes.text(data.get("paperType"))),
            "status": Paper.Status.PUBLISHED,
            "public": True,
            "reference": self._reference(oparl_id, reference, paper),
            "date": date,
            "name": name,
            "originator": self._first_local(Committee, data.get("originatorOrganization")),
            "author_unit": self._first_local(OrganizationalUnit, data.get("underDirectionOf")),
            "source_name": self.source.name[:200],
            "source_url": web[:1000],
        }
        saved = _assign(paper, values)
        if saved:
            council.save_mirrored(paper, actor=None, action="paper.mirrored")
        changed = self._route(paper, data.get("consultation"), created=created) or saved
        changed = self._files(paper, data, paper_saved=saved, created=created) or changed
        self._remember(oparl_id, data, paper, digest=digest)
        self._count(created, changed)

    # Files of papers ----------------------------------------------------------------------

    def _files(
        self, paper: Paper, data: dict[str, Any], *, paper_saved: bool, created: bool
    ) -> bool:
        """The paper's mainFile and auxiliaryFiles as its attachments, in that order: new ones
        downloaded, changed ones (another ``modified``) downloaded again, vanished or deleted
        ones removed. A file that cannot be had is reported; its attachment, if it had one,
        stays as it was, and the paper is read again next time."""
        entries: list[Any] = []
        for key in ("mainFile", "auxiliaryFile"):  # a single one where a list is expected, too
            value = data.get(key)
            entries += value if isinstance(value, list) else ([value] if value else [])
        kept: list[int] = []
        changed = False
        for entry in entries:
            found = self._object(entry, "File")
            if found is None:
                self.unresolved = True
                continue
            file_id = self._key(shapes.ref(found["id"], self.source.system_url) or "")
            if found.get("deleted") is True:
                continue
            try:
                with self._savepoint():
                    attachment, touched = self._file(paper, file_id, found, paper_saved)
            except (ValidationError, IntegrityError, council.AttachmentNotStored) as error:
                self.outcome.fail(file_id, _reason(error))
                self.unresolved = True
                attachment, touched = self._stored_attachment(paper, file_id), False
            changed = changed or touched
            if attachment is not None and attachment.pk not in kept:
                kept.append(attachment.pk)
        if created:  # added in the source's order just now: none to remove, none moved
            return changed
        for gone in paper.attachments.exclude(pk__in=kept):
            self._unmap(gone.pk)
            council.remove_mirrored_attachment(attachment=gone, actor=None)
            changed = True
        ordered = council.order_mirrored_attachments(paper=paper, ordered=kept, actor=None)
        return changed or ordered

    def _file(
        self, paper: Paper, file_id: str, data: dict[str, Any], paper_saved: bool
    ) -> tuple[PaperAttachment | None, bool]:
        stored = self._mapping(file_id)
        attachment = self._stored_attachment(paper, file_id)
        title = shapes.text(data.get("name"), 300) or shapes.text(data.get("fileName"), 300)
        modified = shapes.text(data.get("modified"), 40)
        current = attachment is not None and stored is not None and stored.modified == modified
        upload = None
        if not (current and modified):
            url = _file_url(data, file_id)
            upload = self._download(file_id, url, shapes.text(data.get("fileName")) or title)
            if upload is None:
                self.unresolved = True
                return attachment, False
        created = attachment is None
        before = (attachment.title, attachment.file.name) if attachment else None
        attachment = council.mirror_attachment(
            paper=paper,
            attachment=attachment,
            title=title,
            upload=upload,
            actor=None,
            paper_saved=paper_saved,
        )
        self._remember(file_id, data, attachment, digest=_digest(data))
        return attachment, created or before != (attachment.title, attachment.file.name)

    def _stored_attachment(self, paper: Paper, file_id: str) -> PaperAttachment | None:
        stored = self._mapping(file_id)
        if not stored or not stored.local_id or stored.local_model != "council.paperattachment":
            return None
        return paper.attachments.filter(pk=stored.local_id).first()

    def _download(self, file_id: str, url: str | None, name: str) -> CheckedFile | None:
        """The file checked as an upload is (size, type by content, bombs, metadata removed),
        or None with the reason in the report. Read ahead with its page, or fetched now."""
        if url is None:
            self.outcome.fail(file_id, _("Datei ohne Adresse (downloadUrl, accessUrl)"))
            return None
        result = self.read_files.pop(url, None) or _checked_file(self.client, url, name)
        if isinstance(result, FetchError):
            self.outcome.fail(url, _("Datei nicht geladen: %(reason)s") % {"reason": result})
        elif isinstance(result, ValidationError):
            reason = " ".join(result.messages)
            self.outcome.fail(url, _("Datei nicht angenommen: %(reason)s") % {"reason": reason})
        else:
            return result
        return None

    def _read_files(self, entries: list[Any]) -> dict[str, FileResult]:
        """Runs in the reading thread, without the database: the files of a page's papers that
        the store will download (new, or with another ``modified`` than last read), up to
        READ_AHEAD_BYTES, over READ_AHEAD_CONNECTIONS connections at once. Deciding from the
        mapping alone may fetch one the store then does not need (its paper fails, say); never
        the reverse, since the store fetches what is missing. In an incremental run the
        mapping holds only what the store met so far: a file not in it is fetched."""
        wanted: dict[str, str] = {}  # URL: file name
        for entry in entries:
            for found in _file_entries(entry):
                file_id = shapes.ref(found.get("id"), self.source.system_url)
                if file_id is None or found.get("deleted") is True:
                    continue
                if self._file_is_current(self._key(file_id), found):
                    continue
                url = _file_url(found, file_id)
                if url is not None and url not in wanted:
                    name = shapes.text(found.get("fileName")) or shapes.text(found.get("name"), 300)
                    wanted[url] = name
        if not wanted:
            return {}
        files: dict[str, FileResult] = {}
        budget = _Budget(READ_AHEAD_BYTES)
        language = translation.get_language()

        def fetch(share: list[tuple[str, str]], client: OParlClient) -> None:
            with translation.override(language):
                for url, name in share:
                    if budget.spent():
                        return  # the store fetches the rest when it comes to them
                    # Whatever else goes wrong is left to the store: it fetches the file again
                    # and reports the error with its paper, and the run goes on.
                    try:
                        result = _checked_file(client, url, name)
                    except Exception:  # noqa: S112
                        continue
                    files[url] = result
                    budget.spend(len(result.content) if isinstance(result, CheckedFile) else 0)

        items = list(wanted.items())
        count = len(self.file_clients)
        shares = [items[index::count] for index in range(count) if items[index::count]]
        with ThreadPoolExecutor(len(shares), thread_name_prefix="oparl-file") as pool:
            list(pool.map(fetch, shares, self.file_clients))  # raises what a fetch raised
        return files
        return files

    def _file_is_current(self, file_id: str, data: dict[str, Any]) -> bool:
        stored = self.mapped.get(file_id)
        modified = shapes.text(data.get("modified"), 40)
        return bool(
            stored is not None
            and stored.local_id
            and stored.local_model == "council.paperattachment"
            and modified
            and stored.modified == modified
        )

    def _unmap(self, attachment_pk: int) -> None:
        """The mapping of a removed attachment's File: kept as deleted, naming nothing here."""
        wanted = ("council.paperattachment", attachment_pk)
        found = {
            row.oparl_id: self.mapped.get(row.oparl_id) or row
            for row in SyncedObject.objects.filter(
                source=self.source, local_model=wanted[0], local_id=attachment_pk
            )
        }
        # The page's mappings are not written yet: the database may be behind them.
        found.update((stored.oparl_id, stored) for stored in (self.pending or {}).values())
        for stored in found.values():
            if (stored.local_model, stored.local_id) != wanted:
                continue
            self._will_change(stored.oparl_id)
            stored.local_id, stored.local_model, stored.deleted, stored.digest = None, "", True, ""
            self._write_mapping(stored)

    def _reference(self, oparl_id: str, wanted: str, paper: Paper) -> str:
        """The source's number; a stand-in when it has none or is too long; with the source's
        mark when another paper here has it already (ours, or another source's)."""
        if paper.pk and paper.reference and paper.reference.startswith(wanted or "\0"):
            return paper.reference  # as decided on first import
        surrogate = f"Q{self.source.pk}-{hashlib.sha1(oparl_id.encode()).hexdigest()[:8]}"  # noqa: S324
        if not wanted or len(wanted) > 20:
            self.outcome.note(
                oparl_id,
                _("Vorlagennummer fehlt oder ist zu lang; als %(ref)s übernommen")
                % {"ref": surrogate},
            )
            return surrogate
        taken = Paper.objects.filter(reference=wanted).exclude(pk=paper.pk).exists()
        if not taken:
            return wanted
        marked = f"{wanted[: 20 - len(str(self.source.pk)) - 2]}-Q{self.source.pk}"
        if Paper.objects.filter(reference=marked).exclude(pk=paper.pk).exists():
            marked = surrogate
        self.outcome.note(
            oparl_id,
            _("Vorlagennummer %(ref)s ist hier schon vergeben; als %(new)s übernommen")
            % {"ref": wanted, "new": marked},
        )
        return marked

    def _route(self, paper: Paper, value: Any, *, created: bool) -> bool:
        entries = value if isinstance(value, list) else ([value] if value else [])
        keep: set[int] = set()
        changed = False
        for position, entry in enumerate(entries, start=1):
            found = self._object(entry, "Consultation")
            if found is None:
                continue
            consultation_id = self._key(shapes.ref(found["id"], self.source.system_url) or "")
            try:
                with transaction.atomic():
                    consultation, touched = self._consultation(paper, position, found)
            except (ObjectError, ValidationError, IntegrityError) as error:
                self.outcome.fail(consultation_id, _reason(error))
                self.unresolved = True
                continue
            keep.add(consultation.pk)
            changed = changed or touched
            self._remember(consultation_id, found, consultation, digest=_digest(found))
        gone_ones = () if created else paper.consultations.exclude(pk__in=keep)  # new: none gone
        for gone in gone_ones:
            council.remove_mirrored(gone, actor=None, action="consultation.mirror_removed")
            changed = True
        return changed

    def _consultation(
        self, paper: Paper, position: int, data: dict[str, Any]
    ) -> tuple[Consultation, bool]:
        consultation_id = self._key(shapes.ref(data["id"], self.source.system_url) or "")
        stored = self._mapping(consultation_id)
        consultation = (
            paper.consultations.filter(pk=stored.local_id).first()
            if stored and stored.local_id
            else None
        )
        meeting = self._local(Meeting, data.get("meeting"))
        item = self._local(AgendaItem, data.get("agendaItem"))
        if item is not None and meeting is not None and item.meeting_id != meeting.pk:
            item = None
        if meeting is None and item is not None:
            meeting = item.meeting
        committee = self._first_local(Committee, data.get("organization"))
        committee = committee or (meeting.committee if meeting else None)
        if committee is None:
            raise ObjectError(_("Beratung ohne bekanntes Gremium"))
        if meeting is not None and meeting.committee_id != committee.pk:
            meeting, item = None, None
        outcome = shapes.text(data.get(f"{EXT}outcome"))
        planned = shapes.day(data.get(f"{EXT}plannedDate"))
        if planned is None and meeting is not None:
            planned = timezone.localtime(meeting.start).date()
        values = {
            "paper": paper,
            "committee": committee,
            "position": position,
            "planned_date": planned,
            "meeting": meeting,
            "agenda_item": item,
            "role": shapes.text(data.get("role"), 100),
            "authoritative": shapes.flag(data.get("authoritative"), False),
            "outcome": outcome if outcome in OUTCOMES else "",
            "votes_yes": shapes.integer(data.get(f"{EXT}votesYes")),
            "votes_no": shapes.integer(data.get(f"{EXT}votesNo")),
            "votes_abstain": shapes.integer(data.get(f"{EXT}votesAbstain")),
            "votes_biased": shapes.integer(data.get(f"{EXT}votesBiased")),
        }
        created = consultation is None
        consultation = consultation or Consultation()
        changed = _assign(consultation, values)
        if changed:
            council.save_mirrored(consultation, actor=None, action="consultation.mirrored")
        if item is not None and item.paper_id is None:
            item.paper = paper
            council.save_mirrored(item, actor=None, action="agenda_item.mirrored")
            changed = True
        return consultation, created or changed


class _Budget:
    """Bytes of read-ahead files held, shared by the threads that fetch them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0
        self.lock = threading.Lock()

    def spent(self) -> bool:
        with self.lock:
            return self.held > self.limit

    def spend(self, size: int) -> None:
        with self.lock:
            self.held += size


def _file_entries(paper: Any) -> list[dict[str, Any]]:
    """The embedded File objects of a paper's mainFile and auxiliaryFile (a single one where
    a list is expected, too)."""
    if not isinstance(paper, dict):
        return []
    entries: list[Any] = []
    for key in ("mainFile", "auxiliaryFile"):
        value = paper.get(key)
        entries += value if isinstance(value, list) else ([value] if value else [])
    return [entry for entry in entries if isinstance(entry, dict)]


def _file_url(data: dict[str, Any], file_id: str) -> str | None:
    return shapes.absolute_url(data.get("downloadUrl"), file_id) or shapes.absolute_url(
        data.get("accessUrl"), file_id
    )


def _checked_file(client: OParlClient, url: str, name: str) -> FileResult:
    """Downloaded, checked as an upload is, and its text read for the search."""
    try:
        content = client.download(url, uploads.MAX_BYTES)
        checked = uploads.check_file(SimpleUploadedFile(name or "anlage", content))
    except (FetchError, ValidationError) as error:
        return error
    return dataclasses.replace(
        checked, text=file_text.text_of(checked.content, checked.content_type)
    )


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IntegrityError):  # a unique or check constraint, named by the database
        return _constraint_message(str(error)) or _(
            "Widerspricht einer Regel der Datenbank: %(detail)s"
        ) % {"detail": error}
    return str(error) or error.__class__.__name__


def _constraint_message(detail: str) -> str:
    """The message of the constraint the database names in ``detail``, as the form would
    give it; "" when it names none of ours (SQLite names the columns of a unique one)."""
    for model in django_apps.get_models():
        for constraint in model._meta.constraints:
            if re.search(rf"\b{re.escape(constraint.name)}\b", detail):
                return str(constraint.get_violation_error_message())
    return ""


# What _remember and its kin change on a mapping: what a page's end writes back.
MAPPING_FIELDS = [
    "oparl_type",
    "web",
    "local_model",
    "local_id",
    "digest",
    "modified",
    "deleted",
    "adopted",
    "synced_at",
]


def _check_mapping(stored: SyncedObject) -> None:
    """What the database would refuse when the page's mappings are written at its end (a value
    too long for its column, a NUL character: PostgreSQL refuses both, SQLite neither), refused
    now, while it is still this object's fault alone."""
    for name in ("oparl_id", "oparl_type", "web", "local_model", "digest", "modified"):
        value = getattr(stored, name)
        field = SyncedObject._meta.get_field(name)
        limit = field.max_length if isinstance(field, models.Field) else None
        if "\x00" in value or (limit is not None and len(value) > limit):
            raise ObjectError(
                _("Nicht zu speichern: „%(field)s“ ist zu lang oder enthält ungültige Zeichen")
                % {"field": name}
            )


def _mapping_state(stored: SyncedObject) -> tuple[Any, ...]:
    return (
        stored.oparl_type,
        stored.web,
        stored.local_model,
        stored.local_id,
        stored.digest,
        stored.modified,
        stored.deleted,
        stored.adopted,
    )


def _assign(record: Any, values: dict[str, Any]) -> bool:
    """Set the values; whether any differed (an unchanged record is not saved at all)."""
    changed = record.pk is None
    for name, value in values.items():
        field = record._meta.get_field(name)
        if field.is_relation:
            # Compared by key: loading the related row only to compare it costs a query.
            if getattr(record, field.attname) != (value.pk if value is not None else None):
                setattr(record, name, value)
                changed = True
            continue
        current = getattr(record, name)
        if current != value:
            setattr(record, name, value)
            changed = True
    return changed


def _paper_type(label: str) -> str:
    wanted = label.casefold()
    for value, choice in Paper.Type.choices:
        if wanted == str(choice).casefold() or wanted == value:
            return str(value)
    for word, paper_type in PAPER_TYPES:
        if word in wanted:
            return str(paper_type)
    return str(Paper.Type.NOTICE)


def _committee_kind(kind: str, classification: str, name: str) -> str:
    words = f"{kind} {classification} {name}".lower()
    if "fraktion" in words:
        return str(Committee.Kind.FRACTION)
    if classification in ("rat", "stadtrat", "gemeinderat", "kreistag") or name.lower() in (
        "stadtrat",
        "rat der stadt",
        "gemeinderat",
    ):
        return str(Committee.Kind.COUNCIL)
    return str(Committee.Kind.COMMITTEE)


def _membership_role(role: str, voting: Any) -> str:
    lowered = role.lower()
    if "vorsitz" in lowered and "stellv" not in lowered:
        return str(Membership.Role.CHAIR)
    if "stellv" in lowered or "vertret" in lowered:
        return str(Membership.Role.REPRESENTATIVE)
    if voting is False or "beratend" in lowered or "sachkundig" in lowered:
        return str(Membership.Role.ADVISORY)
    return str(Membership.Role.MEMBER)
