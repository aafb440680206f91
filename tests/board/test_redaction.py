"""Redaction before a text reaches the board: German patterns, what was removed, what stays."""

import pytest

from beirat.board.redaction import ADDRESS, EMAIL, NAME, PHONE, redact

LETTER = """Sehr geehrte Frau Dr. Müller,

ich wohne in der Hauptstraße 12a, 56068 Koblenz, und bin unter 0261 123456 oder
+49 170 1234567 erreichbar, Mail: erika.m@web.de.
Die Parkplatzsuche am Görresplatz ist schwierig; Vorlage AF/0013/2021 vom 09.10.2020.

Mit freundlichen Grüßen
Erika Musterfrau
Musterfirma GmbH"""


def test_a_letter_loses_every_personal_detail_and_keeps_its_matter():
    result = redact(LETTER, known_names=("Erika Musterfrau",))

    for secret in [
        "Müller",
        "Hauptstraße 12a",
        "56068",
        "123456",
        "1234567",
        "erika.m@web.de",
        "Erika",
        "Musterfrau",
        "Musterfirma",
    ]:
        assert secret not in result.text, secret
    for kept in ["Parkplatzsuche am Görresplatz", "AF/0013/2021", "09.10.2020", "Sehr geehrte"]:
        assert kept in result.text, kept
    kinds = [removal.kind for removal in result.removals]
    assert kinds.count("E-Mail") == 1
    assert kinds.count("Telefon") == 2
    assert kinds.count("Anschrift") == 2
    assert {EMAIL, PHONE, ADDRESS, NAME} <= {
        marker for marker in (EMAIL, PHONE, ADDRESS, NAME) if marker in result.text
    }


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Hallo Herr Schmidt!\nWas halten Sie davon?", "Schmidt"),
        ("Liebe Frau Yılmaz,\nanbei die Idee.", "Yılmaz"),
        ("Guten Tag Herr Prof. Dr. Weber, kurz zur Sache.", "Weber"),
        ("Das war es. Viele Grüße, Hans Meier", "Hans Meier"),
        ("Danke!\nMfG\nTom Becker", "Tom Becker"),
        ("Beste Grüße\n\nDr. Anna Schulz\nIT-Beratung Schulz", "Anna Schulz"),
        ("Post bitte an Koblenzer Straße 3 b senden.", "Koblenzer Straße 3"),
        ("Treffpunkt Am Plan 5 in 56068 Koblenz", "Am Plan 5"),
        ("Rückruf unter 0261/129-4711 bitte.", "129-4711"),
        ("Tel.: (0261) 12 34 56", "12 34 56"),
        ("Schreiben Sie an max.mustermann+beirat@stadt-koblenz.de", "mustermann"),
    ],
)
def test_german_patterns(text, secret):
    assert secret not in redact(text).text


@pytest.mark.parametrize(
    "text",
    [
        "Bitte richten Sie viele Grüße an alle Beteiligten aus.",
        "Der Rat tagte am 22.04.2021 um 14 Uhr; 2.500 Euro sind eingeplant.",
        "Vorlage ST/0078/2025 und AF/0013/2021 betreffen das Thema.",
        "Die Straße ist schlecht beleuchtet.",
    ],
)
def test_ordinary_text_is_left_alone(text):
    result = redact(text)

    assert result.text == text
    assert result.removals == ()


def test_known_names_are_removed_wherever_they_appear_but_titles_are_not_names():
    result = redact(
        "Frau Musterfrau schlägt vor, dass Erika und Dr. Müller …",
        known_names=("Dr. Erika Musterfrau",),
    )

    assert "Musterfrau" not in result.text
    assert "Erika" not in result.text
    assert "Dr. Müller" in result.text


def test_line_endings_from_a_browser_form_do_not_hide_a_signature():
    result = redact("Bitte umsetzen.\r\n\r\nViele Grüße\r\nErika Musterfrau")

    assert "Musterfrau" not in result.text
    assert [removal.original for removal in result.removals] == ["Erika Musterfrau"]
