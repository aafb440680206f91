"""Small helpers the test modules share (fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def counted_get(client: Client, path: str) -> tuple[Any, int]:
    """GET ``path``: the response and how many database queries answering it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, len(captured.captured_queries)


def query_count(client: Client, path: str) -> int:
    """How many database queries a GET of ``path`` takes; the page must answer 200."""
    response, count = counted_get(client, path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return count
