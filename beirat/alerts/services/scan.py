"""What changed in the public data since the last look, and whom to tell.

The scan reads the other apps only through their public queries (the same reads as an anonymous
visitor's pages and the Atom feeds), so a non-public paper, a closed meeting, a non-public agenda
item or anything about the board's members never reaches it: what the scan cannot see it cannot
send. For every public record changed since the last scan it keeps a snapshot of the record's
public state (``Sighting``) and compares: a record without a snapshot is new (a record public
before alerts began is so once, at its first change); otherwise the differences become
sentences ("Neue Beratung: …").

Each change goes to the confirmed subscriptions it concerns as a ``Pending`` row; immediate
subscriptions are mailed at the end of the scan, daily ones by the digest (delivery.py).
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from beirat.alerts import queries
from beirat.alerts.models import Pending, ScanState, Sighting, Subscription
from beirat.board import queries as board_queries
from beirat.council import queries as council_queries
from beirat.search import queries as search_queries
from beirat.search.forms import SearchForm

# A transaction that began before the last scan may commit after it with an earlier time: look
# back this far every time; the snapshots make sure nothing is reported twice.
OVERLAP = datetime.timedelta(minutes=15)
SEEN_KEPT = 300  # a search's reported hits remembered
Fact = tuple[str, dict[str, Any]]


@dataclass
class Change:
    """One public record whose public state changed."""

    subject: str  # "paper:12"
    is_new: bool
    title: str
    url: str
    changed_at: datetime.datetime
    committees: frozenset[int] = frozenset()
    facts: list[Fact] = field(default_factory=list)


# Public state of each kind of record -----------------------------------------------------------


def _digest(values: Iterable[object]) -> str:
    return hashlib.sha256(json.dumps(list(values), default=str).encode()).hexdigest()[:16]


def paper_state(paper: Any) -> dict[str, Any]:
    """A public paper as the public sees it: its route with the results that may be shown."""
    route = council_queries.route_of(paper)
    content = [paper.name, paper.date, paper.recommended_resolution, paper.financial_impact]
    content += [paper.climate_impact]
    content += [
        (section.heading, section.question, section.text)
        for section in council_queries.sections_of(paper)
    ]
    committees = {entry.committee_id for entry in route}
    if paper.originator_id:
        committees.add(paper.originator_id)
    changed = max([paper.modified_at, *(entry.modified_at for entry in route)])
    return {
        "title": f"{paper.reference}: {paper.name}",
        "url": paper.get_absolute_url(),
        "withdrawn": paper.status == council_queries.PaperStatus.WITHDRAWN,
        "content": _digest(content),
        "route": {
            str(entry.pk): {
                "committee": entry.committee.name,
                "date": entry.planned_date.isoformat() if entry.planned_date else "",
                "outcome": entry.outcome,
            }
            for entry in route
        },
        "committees": sorted(committees),
        "created": paper.created_at.isoformat(),
        "changed": changed.isoformat(),
    }


def meeting_state(meeting: Any) -> dict[str, Any]:
    agenda = [str(item) for item in council_queries.public_agenda_of(meeting)]
    return {
        "title": meeting.display_name,
        "url": meeting.get_absolute_url(),
        "start": meeting.start.isoformat(),
        "location": meeting.location,
        "cancelled": meeting.state == council_queries.MeetingState.CANCELLED,
        "agenda": _digest(agenda),
        "committees": [meeting.committee_id],
        "created": meeting.created_at.isoformat(),
        "changed": meeting.modified_at.isoformat(),
    }


def recommendation_state(recommendation: Any) -> dict[str, Any]:
    return {
        "title": f"{recommendation.get_kind_display()}: {recommendation.title}",
        "url": recommendation.get_absolute_url(),
        "status": recommendation.status,
        "progress": board_queries.rolled_up_progress(recommendation),
        "committees": [],
        "created": recommendation.created_at.isoformat(),
        "changed": recommendation.modified_at.isoformat(),
    }


def _changed_papers(since: datetime.datetime) -> list[Any]:
    routed = council_queries.public_consultations().filter(modified_at__gte=since)
    changed = Q(modified_at__gte=since) | Q(pk__in=routed.values("paper_id"))
    public = council_queries.public_papers().filter(changed)
    withdrawn = council_queries.withdrawn_public_papers().filter(modified_at__gte=since)
    return [*public.select_related("originator"), *withdrawn.select_related("originator")]


def _changed_meetings(since: datetime.datetime) -> list[Any]:
    items = council_queries.public_agenda_items().filter(modified_at__gte=since)
    changed = Q(modified_at__gte=since) | Q(pk__in=items.values("meeting_id"))
    return list(council_queries.public_meetings().filter(changed).select_related("committee"))


def _changed_recommendations(since: datetime.datetime) -> list[Any]:
    return list(board_queries.public_recommendations().filter(modified_at__gte=since))


def current_states(since: datetime.datetime) -> dict[str, dict[str, Any]]:
    """subject → public state of every public record changed since ``since``."""
    states = {f"paper:{paper.pk}": paper_state(paper) for paper in _changed_papers(since)}
    states |= {f"meeting:{item.pk}": meeting_state(item) for item in _changed_meetings(since)}
    states |= {
        f"recommendation:{item.pk}": recommendation_state(item)
        for item in _changed_recommendations(since)
    }
    return states


# Differences as facts (sentences are made in the recipient's language, see describe()) -------


def _facts(subject: str, before: dict[str, Any], after: dict[str, Any]) -> list[Fact]:
    kind = subject.split(":")[0]
    if kind == "paper":
        return _paper_facts(before, after)
    if kind == "meeting":
        return _meeting_facts(before, after)
    return _recommendation_facts(before, after)


def _paper_facts(before: dict[str, Any], after: dict[str, Any]) -> list[Fact]:
    facts: list[Fact] = []
    if after["withdrawn"] and not before.get("withdrawn"):
        facts.append(("paper_withdrawn", {}))
    if after["content"] != before.get("content"):
        facts.append(("paper_changed", {}))
    old_route = before.get("route", {})
    for key, entry in after["route"].items():
        old = old_route.get(key)
        if old is None:
            facts.append(("consultation_added", entry))
        elif entry["outcome"] and entry["outcome"] != old.get("outcome"):
            facts.append(("outcome", entry))
    return facts


def _meeting_facts(before: dict[str, Any], after: dict[str, Any]) -> list[Fact]:
    facts: list[Fact] = []
    if after["cancelled"] and not before.get("cancelled"):
        facts.append(("meeting_cancelled", {}))
    if (after["start"], after["location"]) != (before.get("start"), before.get("location")):
        facts.append(("meeting_moved", {"start": after["start"], "location": after["location"]}))
    if after["agenda"] != before.get("agenda"):
        facts.append(("agenda_changed", {}))
    return facts


def _recommendation_facts(before: dict[str, Any], after: dict[str, Any]) -> list[Fact]:
    facts: list[Fact] = []
    if after["status"] != before.get("status"):
        facts.append(("status", {"before": before.get("status", ""), "after": after["status"]}))
    if after["progress"] != before.get("progress"):
        facts.append(("progress", {"before": before.get("progress"), "after": after["progress"]}))
    return facts


def _when(value: str) -> str:
    moment = timezone.localtime(datetime.datetime.fromisoformat(value))
    return formats.date_format(moment, "l, d.m.Y, H:i") + " " + _("Uhr")


def _date(value: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(value), "d.m.Y") if value else ""


def _status_label(value: str) -> str:
    try:
        return str(board_queries.RecommendationStatus(value).label)
    except ValueError:
        return value


def _outcome_label(value: str) -> str:
    try:
        return str(council_queries.ConsultationOutcome(value).label)
    except ValueError:
        return value


def describe(change: Change) -> list[str]:
    """The change in sentences, in the active language."""
    kind = change.subject.split(":")[0]
    lines: list[str] = []
    if change.is_new:
        lines.append(_("Neue Sitzung") if kind == "meeting" else _("Neu veröffentlicht"))
    for code, values in change.facts:
        lines.append(_sentence(code, values))
    return [line for line in lines if line]


def _sentence(code: str, values: dict[str, Any]) -> str:
    if code == "paper_withdrawn":
        return _("Die Vorlage wurde zurückgezogen.")
    if code == "paper_changed":
        return _("Der Inhalt der Vorlage wurde geändert.")
    if code == "consultation_added":
        if values.get("date"):
            return _("Neue Beratung: %(committee)s am %(date)s") % {
                "committee": values["committee"],
                "date": _date(values["date"]),
            }
        return _("Neue Beratung: %(committee)s") % {"committee": values["committee"]}
    if code == "outcome":
        return _("Ergebnis in %(committee)s: %(outcome)s") % {
            "committee": values["committee"],
            "outcome": _outcome_label(values["outcome"]),
        }
    if code == "meeting_cancelled":
        return _("Die Sitzung wurde abgesagt.")
    if code == "meeting_moved":
        where = f", {values['location']}" if values.get("location") else ""
        return _("Termin: %(when)s") % {"when": _when(values["start"])} + where
    if code == "agenda_changed":
        return _("Die öffentliche Tagesordnung wurde geändert.")
    if code == "status":
        return _("Umsetzungsstand: %(before)s → %(after)s") % {
            "before": _status_label(values["before"]) or "–",
            "after": _status_label(values["after"]),
        }
    if code == "progress":
        return _("Fortschritt: %(after)s %%") % {"after": values["after"]}
    return ""


# The scan ---------------------------------------------------------------------------------------


def _state(now: datetime.datetime) -> ScanState:
    state = ScanState.objects.select_for_update().order_by("pk").first()
    if state is None:
        state = ScanState.objects.create(started_at=now, scanned_until=now)
    return state


def find_changes(now: datetime.datetime) -> list[Change]:
    """The changes since the last scan; the snapshots are brought up to date. Call inside a
    transaction (the scan state is locked, so two scans never overlap)."""
    state = _state(now)
    states = current_states(state.scanned_until - OVERLAP)
    known = {s.subject: s for s in Sighting.objects.filter(subject__in=list(states))}
    changes = []
    for subject, after in states.items():
        sighting = known.get(subject)
        before = sighting.snapshot if sighting is not None else {}
        if sighting is None:
            Sighting.objects.create(subject=subject, snapshot=after, seen_at=now)
            # First seen in public (published, or public before alerts began and changed
            # for the first time since): new to whoever follows its committee.
            is_new = not after.get("withdrawn")
            facts: list[Fact] = []
        elif before == after:
            continue
        else:
            sighting.snapshot, sighting.seen_at = after, now
            sighting.save(update_fields=["snapshot", "seen_at"])
            is_new, facts = False, _facts(subject, before, after)
            if not facts:
                continue
        if is_new or facts:
            changes.append(_change(subject, after, is_new, facts))
    state.scanned_until = now
    state.save(update_fields=["scanned_until"])
    return changes


def _change(subject: str, state: dict[str, Any], is_new: bool, facts: list[Fact]) -> Change:
    return Change(
        subject=subject,
        is_new=is_new,
        title=state["title"],
        url=state["url"],
        changed_at=datetime.datetime.fromisoformat(state["changed"]),
        committees=frozenset(state["committees"]),
        facts=facts,
    )


def concerns(subscription: Subscription, change: Change) -> bool:
    """Whether a change is news for a subscription: a committee hears of new papers and
    meetings, a paper or recommendation of every change of itself. Nothing from before the
    subscription was confirmed."""
    confirmed = subscription.confirmed_at
    if confirmed is None or change.changed_at < confirmed - OVERLAP:
        return False
    kind = change.subject.split(":")[0]
    if subscription.kind == Subscription.Kind.COMMITTEE:
        return change.is_new and int(subscription.target) in change.committees
    if subscription.kind == Subscription.Kind.PAPER:
        return kind == "paper" and change.subject == f"paper:{subscription.target}"
    if subscription.kind == Subscription.Kind.RECOMMENDATION:
        return change.subject == f"recommendation:{subscription.target}"
    return False


def _row(subscription: Subscription, title: str, lines: list[str], url: str) -> Pending:
    return Pending(subscription=subscription, title=title, lines=lines, url=url)


def queue_changes(changes: list[Change]) -> int:
    """A Pending row for every confirmed subscription a change concerns. Pending is shown on no
    page and indexed nowhere (no receiver listens), so the rows are written in one statement."""
    if not changes:
        return 0
    rows = []
    following = queries.confirmed_subscriptions().exclude(kind=Subscription.Kind.SEARCH)
    for subscription in following:
        with translation.override(subscription.recipient.language):
            rows += [
                _row(subscription, change.title, describe(change), change.url)
                for change in changes
                if concerns(subscription, change)
            ]
    Pending.objects.bulk_create(rows)
    return len(rows)


def search_hits(target: str) -> list[search_queries.Hit]:
    """The newest public hits of a saved search, as an anonymous visitor finds them."""
    chosen = SearchForm(QueryDict(target)).chosen()
    if not chosen.text:
        return []
    results = search_queries.search(
        AnonymousUser(),
        chosen.text,
        chosen.filters,
        sort=search_queries.NEWEST,
        page=1,
        facets=False,
    )
    return list(results.hits)


def hit_key(hit: search_queries.Hit) -> str:
    return f"{hit.kind}:{hit.object_id}"


def queue_search_hits() -> int:
    """New hits of every confirmed saved search: those not reported before."""
    count = 0
    for subscription in queries.confirmed_subscriptions().filter(kind=Subscription.Kind.SEARCH):
        hits = search_hits(subscription.target)
        seen = set(subscription.seen)
        fresh = [hit for hit in hits if hit_key(hit) not in seen]
        if not fresh:
            continue
        with translation.override(subscription.recipient.language):
            rows = [_row(subscription, _hit_title(hit), [_hit_line(hit)], hit.url) for hit in fresh]
        Pending.objects.bulk_create(rows)
        count += len(rows)
        subscription.seen = [hit_key(hit) for hit in fresh] + list(subscription.seen)
        subscription.seen = subscription.seen[:SEEN_KEPT]
        subscription.save(update_fields=["seen"])
    return count


def _hit_title(hit: search_queries.Hit) -> str:
    return html.unescape(strip_tags(str(hit.title)))


def _hit_line(hit: search_queries.Hit) -> str:
    date = formats.date_format(hit.date, "d.m.Y") if hit.date else ""
    parts = (hit.type_label, hit.reference, date, hit.status_label)
    return _("Neuer Treffer: %(what)s") % {"what": " · ".join(part for part in parts if part)}


def baseline(subscription: Subscription) -> None:
    """What the subscriber has seen at the moment of confirming: a saved search's current hits
    and the public state of a followed paper or recommendation, so that only later changes are
    reported."""
    if not ScanState.objects.exists():
        # Alerts begin with the first confirmation: what is created from now on is new.
        now = timezone.now()
        ScanState.objects.create(started_at=now, scanned_until=now)
    if subscription.kind == Subscription.Kind.SEARCH:
        subscription.seen = [hit_key(hit) for hit in search_hits(subscription.target)]
        subscription.save(update_fields=["seen"])
        return
    state = _target_state(subscription)
    if state is None:
        return
    subject = f"{subscription.kind}:{subscription.target}"
    Sighting.objects.get_or_create(
        subject=subject, defaults={"snapshot": state, "seen_at": timezone.now()}
    )


def _target_state(subscription: Subscription) -> dict[str, Any] | None:
    pk = int(subscription.target)
    if subscription.kind == Subscription.Kind.PAPER:
        paper = council_queries.public_papers().filter(pk=pk).first()
        return paper_state(paper) if paper is not None else None
    if subscription.kind == Subscription.Kind.RECOMMENDATION:
        found = board_queries.public_recommendations().filter(pk=pk).first()
        return recommendation_state(found) if found is not None else None
    return None


def scan(now: datetime.datetime | None = None) -> int:
    """Look for changes and queue them for the subscriptions they concern; returns how many
    Pending rows were made. One transaction: a failure leaves the snapshots as they were."""
    now = now or timezone.now()
    with transaction.atomic():
        changes = find_changes(now)
        return queue_changes(changes) + queue_search_hits()
