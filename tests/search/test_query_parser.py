"""Reading the user's words: syntax understood, anything else harmless and bounded."""

from hypothesis import given
from hypothesis import strategies as st

from beirat.search import query_parser, snippets
from beirat.search.query_parser import Clause, parse


def test_words_phrases_prefixes_exclusions_and_references():
    parsed = parse('Anträge "offene Daten" Digital* -Haushalt AF/13/2021')

    assert parsed.references == ["AF/0013/2021"]
    assert parsed.clauses == [
        Clause(terms=("antrag",)),
        Clause(terms=("off", "dat"), phrase=True),
        Clause(terms=("digital",), prefix=True),
        Clause(terms=("haushalt",), excluded=True),
    ]


def test_hyphenated_word_is_a_phrase_of_its_words():
    assert parse("Parkplatz-App").clauses == [Clause(terms=("parkplatz", "app"), phrase=True)]


def test_short_prefix_is_a_plain_word():
    assert parse("Di*").clauses == [Clause(terms=("di",))]


def test_only_exclusions_search_nothing():
    assert parse("-Haushalt").is_empty


def test_long_query_is_shortened_and_bounded():
    parsed = parse(" ".join(f"Wort{number}" for number in range(2000)))

    assert parsed.shortened
    assert len(parsed.clauses) == query_parser.MAX_CLAUSES


@given(st.text(max_size=600))
def test_any_text_parses_into_a_query_or_nothing(text):
    parsed = parse(text)

    query = query_parser.text_query(parsed)
    fuzzy = query_parser.text_query(parsed, fuzzy=True)

    assert (query is None) == (fuzzy is None)
    assert len(parsed.clauses) <= query_parser.MAX_CLAUSES


def test_excerpt_escapes_the_text_and_marks_matches():
    text = "Vorher <script>alert(1)</script> und dann die Anträge & mehr"

    excerpt = snippets.excerpt(text, frozenset({"antrag"}), ())

    assert "<script>" not in excerpt
    assert "&lt;script&gt;" in excerpt
    assert "<mark>Anträge</mark> &amp; mehr" in excerpt


def test_excerpt_finds_the_densest_place_in_a_long_text():
    text = "Füllwort " * 200 + "Glasfaser und Glasfaserausbau" + " Füllwort" * 200

    excerpt = snippets.excerpt(text, frozenset({"glasfas"}), ())

    assert excerpt.count("<mark>") == 2
    assert excerpt.startswith("…")
    assert excerpt.endswith("…")
