"""Atom feeds of the board: its statements, and its recommendations and hints as they are
entered and change (status, progress).

Public records only, whoever asks (beirat/core/feeds.py). Statements and recommendations
belong to the board, never to a person: no entry names an author or a member.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from beirat.board import queries
from beirat.board.models import BoardStatement, Recommendation
from beirat.core.feeds import AtomFeed, absolute, summary

LIMIT = 50


class StatementsFeed(AtomFeed):
    def title(self) -> str:
        return _("Stellungnahmen des Digitalbeirats")

    def subtitle(self) -> str:
        return _("Die veröffentlichten Stellungnahmen, die neuesten zuerst.")

    def link(self) -> str:
        return absolute(reverse("board:statements"))

    def items(self) -> list[BoardStatement]:
        return list(queries.latest_public_statements(LIMIT))

    def item_title(self, item: BoardStatement) -> str:
        return item.title

    def item_description(self, item: BoardStatement) -> str:
        return summary(text=item.text)

    def item_pubdate(self, item: BoardStatement) -> datetime.datetime:
        return item.published_at

    def item_updateddate(self, item: BoardStatement) -> datetime.datetime:
        return item.published_at


class RecommendationsFeed(AtomFeed):
    def title(self) -> str:
        return _("Empfehlungen und Hinweise des Digitalbeirats")

    def subtitle(self) -> str:
        return _(
            "Die zuletzt eingetragenen oder in ihrem Umsetzungsstand geänderten Empfehlungen "
            "zuerst."
        )

    def link(self) -> str:
        return absolute(reverse("board:recommendations"))

    def items(self) -> list[Recommendation]:
        return list(queries.recently_changed_public_recommendations(LIMIT))

    def item_title(self, item: Recommendation) -> str:
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item: Recommendation) -> str:
        status = _("Umsetzungsstand: %(status)s (%(progress)s %%)") % {
            "status": item.get_status_display(),
            "progress": queries.rolled_up_progress(item),  # as the recommendation's page
        }
        return summary(status, text=item.text)

    def item_pubdate(self, item: Recommendation) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Recommendation) -> datetime.datetime:
        return item.modified_at

    def item_categories(self, item: Recommendation) -> list[str]:
        return [str(item.get_kind_display()), str(item.get_status_display())]
