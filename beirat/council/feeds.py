"""Atom feeds of the council: new and changed papers, meetings, and both for one committee.

Public records only, whoever asks (beirat/core/feeds.py); a meeting's entry names its public
agenda items, never a result. An unknown or non-public committee answers 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from beirat.core.feeds import AtomFeed, FeedRequest, absolute, newest_first, summary
from beirat.council import queries
from beirat.council.models import Meeting, Paper
from beirat.directory import queries as directory_queries

LIMIT = 50


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.start)
    text = formats.date_format(start, "l, d.m.Y, H:i")
    if meeting.end is not None:
        text += "–" + formats.time_format(timezone.localtime(meeting.end), "H:i")
    return text + " " + _("Uhr")


def _paper_title(paper: Paper) -> str:
    return f"{paper.reference}: {paper.name}"


def _paper_summary(paper: Paper) -> str:
    date = formats.date_format(paper.date, "d.m.Y")
    kind = _("%(type)s vom %(date)s") % {"type": paper.get_paper_type_display(), "date": date}
    originator = paper.originator
    by = _("Antragsteller: %(name)s") % {"name": originator.name} if originator else ""
    return summary(kind, by)


def _meeting_title(meeting: Meeting) -> str:
    if meeting.state == Meeting.State.CANCELLED:
        return _("Abgesagt: %(meeting)s") % {"meeting": meeting.display_name}
    return meeting.display_name


def _meeting_summary(meeting: Meeting) -> str:
    found = getattr(meeting, "public_items", None)
    if found is None:
        found = queries.public_agenda_of(meeting)
    items = [str(item) for item in found]
    agenda = _("Tagesordnung: %(items)s") % {"items": "; ".join(items)} if items else ""
    return summary(
        _meeting_state(meeting), _when(meeting), meeting.committee.name, meeting.location, agenda
    )


def _meeting_state(meeting: Meeting) -> str:
    return _("Sitzung – %(state)s") % {"state": meeting.get_state_display()}


class _CouncilFeed(AtomFeed):
    def item_title(self, item: Paper | Meeting) -> str:
        if isinstance(item, Paper):
            return _paper_title(item)
        return _meeting_title(item)

    def item_description(self, item: Paper | Meeting) -> str:
        if isinstance(item, Paper):
            return _paper_summary(item)
        return _meeting_summary(item)

    def item_updateddate(self, item: Paper | Meeting) -> datetime.datetime:
        return item.modified_at

    def item_categories(self, item: Paper | Meeting) -> list[str]:
        if isinstance(item, Paper):
            return [str(item.get_paper_type_display())]
        return [_("Sitzung")]


class PapersFeed(_CouncilFeed):
    def title(self) -> str:
        return _("Vorlagen: neu und geändert")

    def subtitle(self) -> str:
        return _("Die zuletzt veröffentlichten oder geänderten öffentlichen Vorlagen.")

    def link(self) -> str:
        return absolute(reverse("council:papers"))

    def items(self) -> list[Paper]:
        return list(queries.recently_changed_public_papers(LIMIT))


class MeetingsFeed(_CouncilFeed):
    def title(self) -> str:
        return _("Sitzungen: neu und geändert")

    def subtitle(self) -> str:
        return _("Die zuletzt eingetragenen oder geänderten öffentlichen Sitzungen.")

    def link(self) -> str:
        return absolute(reverse("council:meetings"))

    def items(self) -> list[Meeting]:
        return list(queries.recently_changed_public_meetings(LIMIT))


class CommitteeFeed(_CouncilFeed):
    """One committee: the papers on its route or handed in by it, and its meetings."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedRequest:
        committee = directory_queries.get_committee_for(AnonymousUser(), kwargs["slug"])
        return FeedRequest(path=request.path, subject=committee)

    def title(self, obj: FeedRequest) -> str:
        return _("%(committee)s: Vorlagen und Sitzungen") % {"committee": obj.subject.name}

    def subtitle(self, obj: FeedRequest) -> str:
        return _("Neue und geänderte öffentliche Vorlagen und Sitzungen dieses Gremiums.")

    def link(self, obj: FeedRequest) -> str:
        return absolute(obj.subject.get_absolute_url())

    def items(self, obj: FeedRequest) -> list[Paper | Meeting]:
        committee = obj.subject
        papers = queries.recently_changed_public_papers_of(committee, LIMIT)
        meetings = list(queries.recently_changed_public_meetings(LIMIT, committee))
        both: list[Paper | Meeting] = [*papers, *meetings]
        return newest_first(both, key=lambda item: (item.modified_at, item.pk), limit=LIMIT)
