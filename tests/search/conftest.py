import io

import pytest
from django.core.management import call_command

from beirat.search.indexer import Indexer


class SearchIndex:
    """This test's server index: ``sync()`` does what the indexer process does in a poll."""

    def __init__(self, root):
        self.root = root
        self.indexer = Indexer(root)
        self.started = False

    def sync(self) -> int:
        if not self.started:
            self.indexer.start()
            self.started = True
        return self.indexer.catch_up()

    def close(self) -> None:
        self.indexer.close()


@pytest.fixture
def search_index(settings, db):
    index = SearchIndex(settings.BEIRAT_SEARCH_DIR)
    yield index
    index.close()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
