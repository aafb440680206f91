"""Several values of one family read together (versioned_cache.cached_many)."""

from django.core.cache import cache

from beirat.core import versioned_cache


def test_values_are_computed_once_per_version_and_read_together(monkeypatch):
    calls: list[str] = []

    def computing(name, value):
        def compute():
            calls.append(name)
            return value

        return compute

    computes = {"years": computing("years", [2024, 2021]), "ids": computing("ids", [3, 1])}
    first = versioned_cache.cached_many("test-family", computes)
    lookups: list[list[str]] = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: lookups.append(keys) or real_get_many(keys))
    again = versioned_cache.cached_many("test-family", computes)
    versioned_cache.bump("test-family")
    after_change = versioned_cache.cached_many("test-family", computes)

    assert first == again == after_change == {"years": [2024, 2021], "ids": [3, 1]}
    assert calls == ["years", "ids", "years", "ids"]
    assert [len(keys) for keys in lookups] == [2, 2]


def test_a_value_cached_alone_is_the_same_one():
    versioned_cache.cached("other-family", "count", lambda: 7)

    found = versioned_cache.cached_many("other-family", {"count": lambda: 8})

    assert found == {"count": 7}
