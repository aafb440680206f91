"""The German analyzer: documents and queries meet in the same terms."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beirat.search import analysis


def same_terms(left: str, right: str) -> bool:
    return analysis.terms(left) == analysis.terms(right)


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("Straße", "Strasse"),
        ("Anträge", "Antrag"),
        ("Anträge", "Antraege"),
        ("München", "Muenchen"),
        ("Kooperationen", "Kooperation"),
        ("Digitalisierung", "DIGITALISIERUNG"),
        ("Digitali\u00adsierung", "Digitalisierung"),  # soft hyphen
        ("Digitali-\nsierung", "Digitalisierung"),  # broken at the line end
        ("Ste11ungnahme", "Stellungnahme"),  # OCR: digits for letters
        ("fiir", "für"),  # OCR: ü read as ii (and "für" is a stop word)
        ("Priifung", "Prüfung"),
        ("gepriift", "geprüft"),
        ("begriiBen", "begrüßen"),  # OCR: ß read as B
        ("6ffentlichen", "öffentlichen"),
        ("ﬁnanziell", "finanziell"),  # ligature
        ("Bu\u0308rger", "Bürger"),  # decomposed umlaut (NFD)
    ],
)
def test_spelling_variants_give_the_same_terms(written, searched):
    assert same_terms(written, searched)


def test_stop_words_are_not_terms():
    assert analysis.terms("Antrag der FDP und die Stadt") == ["antrag", "fdp", "stadt"]


@pytest.mark.parametrize(
    ("compound", "part"),
    [
        ("Parkplatzsuche", "Parkplatz"),
        ("Wirtschaftsförderung", "Wirtschaft"),
        ("Stellungnahme", "Stellung"),
        ("Glasfaserausbau", "Glasfaser"),
        ("Digitalbeirat", "Beirat"),
    ],
)
def test_compounds_give_their_parts(compound, part):
    _, parts = analysis.index_fields(compound)
    assert analysis.terms(part)[0] in parts.split()


def test_hyphenated_compounds_give_each_word():
    body, _ = analysis.index_fields("Parkplatz-App")
    assert body.split() == [analysis.terms("Parkplatz")[0], "app"]


def test_short_and_unknown_words_are_not_split():
    assert analysis.compound_parts("rathaus") == ()  # shorter than a compound worth splitting
    assert analysis.compound_parts("xqzvtrwplk") == ()


def test_words_carry_offsets_into_the_normalised_text():
    text = analysis.normalize("Die Anträge zur Straße")
    found = [(text[word.start : word.end], word.term) for word in analysis.words(text)]
    assert found == [("Anträge", "antrag"), ("Straße", "strass")]


@given(st.text(max_size=300))
def test_any_text_can_be_analysed(text):
    body, _ = analysis.index_fields(text)
    assert isinstance(body, str)
    assert all(term for term in body.split())
