"""Fixtures of the sync's tests against the local OParl test server."""

from __future__ import annotations

import pytest


@pytest.fixture
def quick_client(settings):
    """A client that gives up fast: the test server answers at once or never."""
    settings.BEIRAT_OPARL_SYNC_ATTEMPTS = 2
    settings.BEIRAT_OPARL_SYNC_BACKOFF_SECONDS = 0
    settings.BEIRAT_OPARL_SYNC_MAX_WAIT_SECONDS = 0.2
    settings.BEIRAT_OPARL_SYNC_TIMEOUT = 1
    return settings
