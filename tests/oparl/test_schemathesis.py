"""Property-based checks of the OParl endpoints against their own OpenAPI description.

Bounded for CI: a fixed number of generated requests per operation. Every answer must be one the
description allows (status codes, content types), never a server error.
"""

import io

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

APP = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/oparl/v1/openapi.json", APP)


@pytest.fixture
def demo(db):
    # As Django's test client does: the WSGI handler must not close the test's connection at the
    # end of each request (on PostgreSQL that would end the test transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    call_command("load_demo", stdout=io.StringIO())
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_oparl_answers_only_what_its_description_allows(case, demo):
    case.call_and_validate()
