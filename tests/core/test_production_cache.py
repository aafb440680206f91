"""A production installation keeps its cache in the database: migrate must create the table."""

import pytest
from django.core.cache import caches
from django.db import connection

from beirat.core.apps import create_cache_table

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_table_of_the_database_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "beirat_cache_probe",
        }
    }
    assert "beirat_cache_probe" not in connection.introspection.table_names()

    create_cache_table(sender=None, using="default")

    assert "beirat_cache_probe" in connection.introspection.table_names()
    cache = caches.create_connection("default")
    cache.set("probe", 1)
    assert cache.get("probe") == 1
    create_cache_table(sender=None, using="default")  # a second migrate changes nothing
