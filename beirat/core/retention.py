"""Retention: how long each kind of record is kept, and the job that enforces it.

Every rule is declared here or in a domain app's ``retention.py`` (registered in its
AppConfig.ready(), since core imports no domain app); the periods themselves come from one
setting, ``BEIRAT_RETENTION_DAYS``. The public register (/datenschutz/aufbewahrung/) and
``manage.py apply_retention`` read the same rules, so what the city promises is what runs.

Erasures a person asked for are not a matter of dates: after a database restore they would be
undone. They are written to an append-only ledger outside the database (``erasure_ledger``),
and every run of the job applies the ledger again.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from beirat.core import audit
from beirat.core.models import AuditEntry, OutboxMail

RETENTION_ACTOR = "Aufbewahrungsfristen"


@dataclass(frozen=True)
class Rule:
    """One kind of record: what it holds, when it goes and what remains.

    ``due`` yields the keys of the records whose period ended before the cutoff; ``erase``
    erases one record by key inside a transaction and says whether anything was left to erase
    (False when it already was, so running it twice changes nothing).
    """

    key: str
    record_type: str | Promise
    content: str | Promise
    starts: str | Promise  # from when the period runs
    then: str | Promise  # what happens when it ends
    legal_basis: str | Promise
    due: Callable[[datetime.datetime], Iterable[Any]] | None = None
    erase: Callable[[Any], bool] | None = None

    @property
    def days(self) -> int | None:
        """None: kept without a time limit (archival records), shown so in the register."""
        value: int | None = settings.BEIRAT_RETENTION_DAYS.get(self.key)
        return value

    @property
    def period(self) -> str:
        """The period in words, as the public register shows it."""
        days = self.days
        if days is None:
            return gettext("unbefristet")
        if days == 0:
            return gettext("sofort")
        if days % 365 == 0:
            years = days // 365
            return ngettext("%(count)d Jahr", "%(count)d Jahre", years) % {"count": years}
        return ngettext("%(count)d Tag", "%(count)d Tage", days) % {"count": days}


RULES: list[Rule] = []


def register(rule: Rule) -> None:
    if rule.key not in settings.BEIRAT_RETENTION_DAYS:
        raise LookupError(f"BEIRAT_RETENTION_DAYS has no period for {rule.key!r}.")
    if all(existing.key != rule.key for existing in RULES):
        RULES.append(rule)


def rule(key: str) -> Rule:
    return next(found for found in RULES if found.key == key)


@dataclass
class Outcome:
    rule: Rule
    due: int = 0
    erased: int = 0


def apply(
    *,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Outcome]:
    """Erase everything whose period has ended; in a dry run only count it."""
    now = now or timezone.now()
    outcomes = []
    for current in RULES:
        outcome = Outcome(current)
        outcomes.append(outcome)
        if current.days is None or current.due is None or current.erase is None:
            continue
        keys = list(current.due(now - datetime.timedelta(days=current.days)))
        outcome.due = len(keys)
        for done, key in enumerate(keys, start=1):
            if not dry_run and current.erase(key):
                outcome.erased += 1
            if progress:
                progress(str(current.record_type), done, len(keys))
    return outcomes


# The ledger of erasures on request --------------------------------------------------------


def ledger_path() -> Path:
    return Path(settings.BEIRAT_ERASURE_LEDGER)


def record_erasure(rule_key: str, key: Any) -> None:
    """Append one erasure on request to the ledger, synced to disk before the transaction that
    erases commits: a ledger line without its erasure only erases what was asked for anyway,
    an erasure without its line could come back with a restore."""
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"rule": rule_key, "key": key, "at": timezone.now().isoformat()})
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def ledger_entries() -> list[tuple[str, Any]]:
    path = ledger_path()
    if not path.exists():
        return []
    entries = []
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
            entries.append((str(entry["rule"]), entry["key"]))
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash while writing: its erasure never committed
    return entries


def reapply_ledger() -> int:
    """Erase again what was erased on request; after a restore from a backup older than the
    erasure this is what keeps it erased. Returns how many records still held the data."""
    erased = 0
    for rule_key, key in ledger_entries():
        found = next((candidate for candidate in RULES if candidate.key == rule_key), None)
        if found is not None and found.erase is not None and found.erase(key):
            erased += 1
    return erased


# Core's own records ------------------------------------------------------------------------


def _old_audit_entries(cutoff: datetime.datetime) -> Iterable[int]:
    return AuditEntry.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)


def _delete_audit_entry(pk: int) -> bool:
    deleted, _by_model = AuditEntry.objects.filter(pk=pk).delete()
    return deleted > 0


def _old_mails(cutoff: datetime.datetime) -> Iterable[int]:
    finished = OutboxMail.objects.exclude(status=OutboxMail.Status.QUEUED)
    return finished.filter(created_at__lt=cutoff).values_list("pk", flat=True)


def _delete_mail(pk: int) -> bool:
    deleted, _by_model = (
        OutboxMail.objects.filter(pk=pk).exclude(status=OutboxMail.Status.QUEUED).delete()
    )
    return deleted > 0


def _expired_sessions(cutoff: datetime.datetime) -> Iterable[str]:
    # The session's own expiry decides, not the cutoff: a session ends after
    # SESSION_COOKIE_AGE and its row is of no further use.
    return Session.objects.filter(expire_date__lt=timezone.now()).values_list(
        "session_key", flat=True
    )


def _delete_session(key: str) -> bool:
    deleted, _by_model = Session.objects.filter(session_key=key).delete()
    return deleted > 0


def erase_with_audit(
    *, action: str, instance: Any, work: Callable[[], bool], changes: dict[str, Any] | None = None
) -> bool:
    """Run ``work`` in a transaction and, when it erased something, leave an audit entry that
    says that (not what) was erased."""
    with transaction.atomic():
        erased = work()
        if erased:
            audit.record(
                actor=None,
                actor_label=RETENTION_ACTOR,
                action=action,
                instance=instance,
                changes=changes or {},
            )
    return erased


register(
    Rule(
        key="audit_log",
        record_type=_("Protokoll der Änderungen"),
        content=_("wer wann was geändert hat (Benutzername, Aktion, geänderte Felder)"),
        starts=_("ab dem Eintrag"),
        then=_("Der Eintrag wird gelöscht."),
        legal_basis=_("Art. 5 Abs. 2 und Art. 32 DSGVO (Nachweis, Sicherheit)"),
        due=_old_audit_entries,
        erase=_delete_audit_entry,
    )
)
register(
    Rule(
        key="outbox",
        record_type=_("Versendete E-Mails"),
        content=_("Empfängeradresse, Betreff und Text jeder versendeten Nachricht"),
        starts=_("ab dem Versand"),
        then=_("Die Nachricht wird aus dem Postausgang gelöscht."),
        legal_basis=_("Art. 6 Abs. 1 Buchst. e DSGVO (Nachweis der Zustellung)"),
        due=_old_mails,
        erase=_delete_mail,
    )
)
register(
    Rule(
        key="sessions",
        record_type=_("Anmeldesitzungen der Mitarbeitenden"),
        content=_("Sitzungskennung und Anmeldestatus"),
        starts=_("ab dem Ablauf der Sitzung"),
        then=_("Die Sitzung wird gelöscht."),
        legal_basis=_("Art. 6 Abs. 1 Buchst. e DSGVO"),
        due=_expired_sessions,
        erase=_delete_session,
    )
)
