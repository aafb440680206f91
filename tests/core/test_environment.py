from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from beirat.core.environment import Environment, parse_database_url


def test_bool_accepts_german_and_english_words():
    env = Environment({"A": "ja", "B": "off", "C": " TRUE "})
    assert (env.boolean("A", False), env.boolean("B", True), env.boolean("C", False)) == (
        True,
        False,
        True,
    )


def test_bool_rejects_unknown_words_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="BEIRAT_DEBUG"):
        Environment({"BEIRAT_DEBUG": "vielleicht"}).boolean("BEIRAT_DEBUG", False)


def test_int_rejects_text_and_out_of_range_values():
    env = Environment({"PORT": "acht", "LOW": "5"})
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.integer("PORT", 1)
    with pytest.raises(ImproperlyConfigured, match="at least 10"):
        env.integer("LOW", 20, minimum=10)


def test_missing_values_fall_back_to_defaults():
    env = Environment({})
    assert (env.integer("X", 3), env.strings("Y", ["a"]), env.string("Z", "z")) == (3, ["a"], "z")


def test_list_splits_on_commas_and_drops_blanks():
    assert Environment({"HOSTS": "a.de, b.de,,"}).strings("HOSTS", []) == ["a.de", "b.de"]


def test_choice_rejects_values_outside_the_set():
    with pytest.raises(ImproperlyConfigured, match="one of a, b"):
        Environment({"MODE": "c"}).choice("MODE", "a", {"a", "b"})


def test_sqlite_url_is_relative_to_the_project_and_uses_wal_and_immediate_transactions():
    database = parse_database_url("sqlite:///var/db.sqlite3", base_dir=Path("/srv/beirat"))
    assert database["NAME"] == Path("/srv/beirat/var/db.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_sqlite_url_with_four_slashes_is_absolute():
    database = parse_database_url("sqlite:////data/beirat.db", base_dir=Path("/srv"))
    assert database["NAME"] == Path("/data/beirat.db")


def test_postgres_url_is_split_into_its_parts():
    database = parse_database_url(
        "postgres://beirat:g%40heim@db.local:5433/beirat?sslmode=require&conn_max_age=0",
        base_dir=Path("/srv"),
    )
    assert {key: database[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")} == {
        "NAME": "beirat",
        "USER": "beirat",
        "PASSWORD": "g@heim",
        "HOST": "db.local",
        "PORT": "5433",
    }
    assert database["OPTIONS"] == {"sslmode": "require"}
    assert database["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host", "sqlite:///", "nonsense"])
def test_unusable_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url, base_dir=Path("/srv"))
