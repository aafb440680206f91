"""Any search as an Atom feed: /suche/feed/?q=… with the filters of /suche/, newest first.

What the search page shows an anonymous visitor, whoever asks (beirat/core/feeds.py): the
index is asked with the public audience only, so a feed never holds a document a visitor could
not find on /suche/. No words, no entries.
"""

from __future__ import annotations

import datetime
import html
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from beirat.core.feeds import EMPTY_FEED_DATE, AtomFeed, FeedRequest, absolute, summary
from beirat.search import queries
from beirat.search.forms import SearchForm

PAGES = 3  # the 30 newest hits
# Parameters of the search page that do not change what is found.
NOT_KEPT = ("seite", "sortierung")


def feed_query(query: QueryDict) -> str:
    """The query string of a search's feed (and of its page): the words and filters only."""
    kept = query.copy()
    for name in NOT_KEPT:
        kept.pop(name, None)
    return kept.urlencode()


class SearchFeed(AtomFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedRequest:
        chosen = SearchForm(request.GET or None).chosen()
        query = feed_query(request.GET)
        path = request.path + (f"?{query}" if query else "")
        return FeedRequest(path=path, subject=(chosen, query))

    def title(self, obj: FeedRequest) -> str:
        chosen, _query = obj.subject
        if not chosen.text:
            return _("Suche")
        return _("Suche: „%(text)s“") % {"text": chosen.text}

    def subtitle(self, obj: FeedRequest) -> str:
        return _("Die neuesten Treffer dieser Suche unter den Veröffentlichungen.")

    def link(self, obj: FeedRequest) -> str:
        _chosen, query = obj.subject
        return absolute(reverse("search:search") + (f"?{query}" if query else ""))

    def items(self, obj: FeedRequest) -> list[queries.Hit]:
        chosen, _query = obj.subject
        hits: list[queries.Hit] = []
        for page in range(1, PAGES + 1):
            results = queries.search(
                AnonymousUser(),
                chosen.text,
                chosen.filters,
                sort=queries.NEWEST,
                page=page,
                facets=False,
            )
            hits += results.hits
            if page >= results.pages:
                break
        return hits

    def item_title(self, item: queries.Hit) -> str:
        return html.unescape(strip_tags(item.title))

    def item_description(self, item: queries.Hit) -> str:
        label = " · ".join(
            part
            for part in (
                item.type_label,
                item.reference,
                item.date.strftime("%d.%m.%Y") if item.date else "",
                item.status_label,
            )
            if part
        )
        # The excerpt is HTML already (escaped text, the words marked).
        excerpt = str(item.excerpt)
        return summary(label) + (f"<br>{excerpt}" if excerpt else "")

    def item_link(self, item: queries.Hit) -> str:
        return absolute(item.url)

    def item_updateddate(self, item: queries.Hit) -> datetime.datetime:
        if item.date is None:
            return EMPTY_FEED_DATE
        zone = timezone.get_current_timezone()
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=zone)
