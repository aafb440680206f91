"""One way to paginate every list page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 50


class KnownCountPaginator(Paginator):  # type: ignore[type-arg]  # not generic at run time
    """A paginator told the number of items (from a cache) instead of counting every time."""

    def __init__(self, object_list: Any, per_page: int, *, known_count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count


def paginate(
    request: HttpRequest, items: Any, *, per_page: int = PAGE_SIZE, count: int | None = None
) -> Page[Any]:
    """The requested page; an invalid or too large page number gives the nearest valid page.
    ``count``: the number of items when already known, which saves counting them again."""
    paginator = (
        Paginator(items, per_page)
        if count is None
        else KnownCountPaginator(items, per_page, known_count=count)
    )
    return paginator.get_page(request.GET.get("seite"))
