"""What every Atom feed of the site shares (Django's syndication framework, RFC 4287).

The apps' feeds (council/feeds.py, board/feeds.py, search/feeds.py) list public records only,
whoever asks: a feed reader sends no login, and what it keeps must not depend on who
subscribed. The city is the author of every feed, never a person (board members are named
nowhere), and the licence of the data (settings.BEIRAT_DATA_LICENCE) is the feed's rights.
Every link is absolute under BEIRAT_SITE_URL, the one address of the site.

A feed's bytes depend on the data alone: an empty feed is dated at the start of the epoch
instead of "now", so that the same data give the same feed (and the differential visibility
test can compare feeds byte for byte).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from beirat.core.page_cache import View, public_page

SUMMARY_CHARACTERS = 600
EMPTY_FEED_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class CityAtomFeed(Atom1Feed):
    def latest_post_date(self) -> datetime.datetime:
        if not self.items:
            return EMPTY_FEED_DATE
        return super().latest_post_date()


def absolute(path: str) -> str:
    return settings.BEIRAT_SITE_URL + path


def summary(*parts: str, text: str = "") -> str:
    """An entry's summary as HTML (Atom's type="html"): the short ``parts`` one per line, then
    the beginning of ``text``; everything escaped."""
    lines = [escape(part) for part in parts if part]
    if text:
        lines.append(escape(Truncator(" ".join(text.split())).chars(SUMMARY_CHARACTERS)))
    return "<br>".join(lines)


class AtomFeed(Feed):  # type: ignore[type-arg]  # generic only in the stubs
    """An Atom feed of the city. Subclasses give title, link (a path), items and the item_*
    methods; ``feed_path`` (a path) names the feed itself when the request's path does not."""

    feed_type = CityAtomFeed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return FeedRequest(path=request.path)

    def feed_url(self, obj: Any) -> str:
        return absolute(obj.path)

    def feed_guid(self, obj: Any) -> str:
        return self.feed_url(obj)

    def author_name(self) -> str:
        return str(settings.CITY["name"])

    def author_link(self) -> str:
        return absolute("/")

    def feed_copyright(self) -> str:
        licence = settings.BEIRAT_DATA_LICENCE
        return f"{licence['name']} ({licence['url']})"

    def item_guid(self, item: Any) -> str:
        return self.item_link(item)

    def item_link(self, item: Any) -> str:
        return absolute(item.get_absolute_url())


class FeedRequest:
    """What a feed was asked for: its own path (with the query string a search feed keeps)
    and, for a committee's feed, the committee."""

    def __init__(self, path: str, subject: Any = None) -> None:
        self.path = path
        self.subject = subject


def newest_first(items: Iterable[Any], key: Any, limit: int) -> list[Any]:
    """Records of several kinds in one feed, the last changed first."""
    return sorted(items, key=key, reverse=True)[:limit]


def kept(feed: AtomFeed) -> View:
    """The feed as a view for GET and HEAD whose answers to anonymous readers are kept like
    public pages (beirat/core/page_cache.py): feed readers ask often, the data change seldom."""
    return require_safe(public_page()(feed))


def read_only(feed: AtomFeed) -> View:
    """The feed as a view for GET and HEAD, never kept (a search's: the index follows a change
    only after it is committed, later than the kept pages are renewed)."""
    return require_safe(feed)
