from django.urls import path

from beirat.core.feeds import read_only
from beirat.search import feeds, views

app_name = "search"

urlpatterns = [
    path("suche/", views.search, name="search"),
    # Not kept like public pages: the index follows a change only after it is committed.
    path("suche/feed/", read_only(feeds.SearchFeed()), name="feed"),
]
