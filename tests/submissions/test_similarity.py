"""Re-scoring similar items: German-aware overlap, typos forgiven, the words that matched."""

from beirat.search.queries import Hit
from beirat.submissions import similarity


def hit(title, text=""):
    return Hit(
        kind="submission",
        object_id=hash(title) % 1000,
        title=title,
        excerpt="",
        url="/",
        type_label="Eingabe",
        date=None,
        reference="",
        status_label="",
        text=text,
    )


def test_compound_and_split_words_count_as_shared():
    ranked = similarity.rank(
        "Eine App für die Parkplatzsuche in der Altstadt",
        [hit("Kostenloses WLAN in der Bibliothek"), hit("Suche nach einem Parkplatz per App")],
    )

    assert [item.hit.title for item in ranked] == [
        "Suche nach einem Parkplatz per App",
        "Kostenloses WLAN in der Bibliothek",
    ]
    assert set(ranked[0].shared_words) >= {"Suche", "Parkplatz", "App"}


def test_umlaut_and_typo_variants_still_score():
    ranked = similarity.rank(
        "Strassenbeleuchtung mit Sensoren steuern",
        [hit("Straßenbeleuchtung über Sensoren steuern"), hit("Mülleimer leeren")],
    )

    assert ranked[0].hit.title == "Straßenbeleuchtung über Sensoren steuern"
    assert ranked[0].score > ranked[1].score
    # Without sentence vectors shared words cannot tell the same idea from a look-alike.
    assert not ranked[0].same_idea


def test_shared_words_stand_in_both_texts_once_without_fragments():
    ranked = similarity.rank(
        "Kostenloses WLAN z. B. im Rathaus und in der Stadtbibliothek",
        [hit("Kostenloses WLAN in der Bibliothek, kostenloses Parken z. B. am Rathaus")],
    )

    words = ranked[0].shared_words
    assert [word.lower() for word in words].count("kostenloses") == 1
    assert "z" not in words
    assert "B" not in words
    assert "Parken" not in words  # not in the submission
    assert {"WLAN", "Bibliothek", "Rathaus"} <= set(words)


def test_a_word_is_not_shared_because_one_of_its_own_parts_matches():
    ranked = similarity.rank("Die Suche im Portal", [hit("Parkplatzsuche am Bahnhof")])

    assert "Parkplatzsuche" not in ranked[0].shared_words
