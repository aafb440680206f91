"""Redaction before a text reaches the board: German patterns, what was removed, what stays."""

import pytest

from beirat.board.redaction import (
    ADDRESS,
    BIRTH_DATE,
    COMPANY,
    EMAIL,
    IBAN,
    LICENCE_PLATE,
    NAME,
    PHONE,
    redact,
)

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
    # The title of a known name is no name: "Dr." stays wherever it stands. Müller goes too
    # now, as every "Dr. X" names a person.
    assert "Dr. " + NAME in result.text
    assert "Müller" not in result.text


def test_line_endings_from_a_browser_form_do_not_hide_a_signature():
    result = redact("Bitte umsetzen.\r\n\r\nViele Grüße\r\nErika Musterfrau")

    assert "Musterfrau" not in result.text
    assert [removal.original for removal in result.removals] == ["Erika Musterfrau"]


# --- Names where people write them -----------------------------------------------------------


def removed_and_kept(text, removed, kept):
    result = redact(text).text
    for word in removed:
        assert not _stands(word, result), (word, result)
    for word in kept:
        assert word in result, (word, result)
    return result


def _stands(word, text):
    import re

    return re.search(rf"(?<![\\w-]){re.escape(word)}(?![\\w-])", text) is not None


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Sehr geehrte Frau Kowalczyk,\nbitte prüfen.", ["Kowalczyk"], ["Sehr geehrte Frau"]),
        ("Lieber Jonas,\ndanke!", ["Jonas"], ["Lieber"]),
        ("Liebe Petra, lieber Tom,\nanbei die Liste.", ["Petra", "Tom"], ["Liste"]),
        ("Hallo Kjell,\ndie App hängt.", ["Kjell"], ["App"]),
        ("Guten Tag Herr Brückner,\nwie besprochen.", ["Brückner"], ["Guten Tag Herr"]),
        ("Moin Jens!\nWie geht's?", ["Jens"], ["Moin"]),
        ("Servus Herr Huber, passt.", ["Huber"], ["Servus Herr"]),
        ("Grüß Gott Frau Obermaier, danke.", ["Obermaier"], ["Grüß Gott Frau"]),
    ],
)
def test_greetings_of_every_common_form_lose_the_name(text, removed, kept):
    removed_and_kept(text, removed, kept)


@pytest.mark.parametrize(
    "text",
    [
        "Liebe Stadt,\nbitte mehr Bänke.",
        "Liebe Verwaltung,\nwarum dauert das so lange?",
        "Sehr geehrte Damen und Herren,\nanbei mein Antrag.",
        "Sehr geehrter Herr Oberbürgermeister,\ndie Ampel ist defekt.",
        "Hallo Frau Bürgermeisterin, hallo Herr Baudezernent,\ndanke.",
        "Liebes Team der Stadtverwaltung,\ndie App ist gut.",
        "Moin Koblenz!\nDer Radweg ist gefährlich.",
        "Liebe Koblenzerinnen und Koblenzer, am Samstag ist Digitaltag.",
        "Hallo zusammen,\nin Lahnstein gibt es das schon.",
    ],
)
def test_greetings_to_an_office_a_town_or_everyone_stay(text):
    assert redact(text).removals == ()


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("Gut so.\nMit freundlichen Grüßen / Max Müller, Rheinstraße 5", ["Max", "Müller"]),
        ("Gut so.\nMfG\nTom Becker", ["Tom", "Becker"]),
        ("Gut so. LG Jannik", ["Jannik"]),
        ("Gut so.\nVG, Murat Yıldırım", ["Murat", "Yıldırım"]),
        ("Gut so.\nBeste Grüße\n\nDr. Anna Schulz", ["Anna", "Schulz"]),
        ("Gut so.\nGruß\nDetlef", ["Detlef"]),
        ("Gut so.\nHerzliche Grüße\nWolfgang Ehrlich", ["Wolfgang", "Ehrlich"]),
        ("Gut so.\nMit freundlichem Gruß\nIhre Heidrun Esch", ["Heidrun", "Esch"]),
        ("Gut so.\nViele Grüße aus Güls\nTheo", ["Theo"]),
        ("Gut so. Schönen Gruß vom Oberwerth, Uwe", ["Uwe"]),
        ("Gut so.\nGrüße, Olga & Dmitrij Kusnezow", ["Olga", "Dmitrij", "Kusnezow"]),
        ("Gut so.\nLiebe Grüße\ndie Schmidts", ["Schmidts"]),
        ("gut so\nlg sandra", ["sandra"]),
        ("Gut so.\ngez. Andreas Pütz", ["Andreas", "Pütz"]),
    ],
)
def test_closings_lose_the_name_on_their_line_and_below(text, removed):
    removed_and_kept(text, removed, ["Gut so" if text.startswith("Gut") else "gut so"])


def test_a_signature_block_loses_name_and_company_and_keeps_the_role():
    text = (
        "Anbei mein Vorschlag.\n\nMit freundlichen Grüßen\n\nThomas Weidenfeller\n"
        "Geschäftsführer\nWeidenfeller Haustechnik GmbH\nIndustriestraße 7\n56070 Koblenz\n"
        "Tel.: 0261 8899770\nt.weidenfeller@example.org"
    )
    result = redact(text)

    assert "Weidenfeller" not in result.text
    assert "Thomas" not in result.text
    assert "Geschäftsführer" in result.text
    assert "8899770" not in result.text
    assert COMPANY in result.text
    assert ADDRESS in result.text


def test_a_signature_under_a_closing_that_names_a_group_stays():
    text = "Bitte ändern.\nMit freundlichen Grüßen\nIhre Anwohnerinitiative Goldgrube"

    assert redact(text).removals == ()


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        (
            "Guten Abend, mein Name ist Leonie Faßbender und ich wohne hier.",
            ["Leonie", "Faßbender"],
            [],
        ),
        ("Hi, ich heiße Emre und bin 16.", ["Emre"], []),
        ("Ich bin Katrin Ulbrich, Mutter von zwei Kindern.", ["Katrin", "Ulbrich"], ["Mutter"]),
        ("Ich bin der Kevin aus der 9b.", ["Kevin"], []),
        ("Ich bin Rentnerin und komme nicht zurecht.", [], ["Rentnerin"]),
        ("Ich bin Koblenzer Bürger.", [], ["Koblenzer", "Bürger"]),
        ("Wir, Anna und Peter Reinhardt, wohnen hier.", ["Anna", "Peter", "Reinhardt"], []),
        ("Ich, Hannelore Becker, beantrage Hilfe.", ["Hannelore", "Becker"], ["Hilfe"]),
        ("Name: Yusuf Aydın\nAnliegen: WLAN", ["Yusuf", "Aydın"], ["Anliegen"]),
        ("mein name ist lukas weber und ich bin 12", ["lukas", "weber"], []),
    ],
)
def test_people_who_name_themselves_lose_the_name(text, removed, kept):
    removed_and_kept(text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Meine Frau Anna und ich fahren Bus.", ["Anna"], ["Meine Frau"]),
        ("Mein Nachbar Herr Schulz ist auch dafür.", ["Schulz"], ["Mein Nachbar Herr"]),
        ("Unser Sohn Felix (9) geht zur Schule.", ["Felix"], ["(9)"]),
        ("Meine Tochter Lea und ihre Freundin Mia fahren Rad.", ["Lea", "Mia"], []),
        ("Unser Nachbar Kowalczyk hat kein Netz.", ["Kowalczyk"], ["Netz"]),
        ("Die Familie Özdemir wohnt hier.", ["Özdemir"], ["Familie"]),
        ("Meine Kinder Leon (8) und Emma (5) spielen.", ["Leon", "Emma"], []),
        ("mein nachbar jörg meint das auch", ["jörg"], ["nachbar"]),
        ("Ich habe einer Frau Hilfe angeboten.", [], ["Frau Hilfe"]),
    ],
)
def test_family_and_neighbours_lose_their_names(text, removed, kept):
    removed_and_kept(text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Das hat Herr Wittlich vom IT-Amt gesagt.", ["Wittlich"], ["IT-Amt"]),
        ("Frau Dr. Anna Weber war da.", ["Anna", "Weber"], ["Frau Dr."]),
        ("Im Ausschuss sprach Dr. Wiegand, später Prof. Hellmich.", ["Wiegand", "Hellmich"], []),
        ("Herr Oberbürgermeister Langner hat zugesagt.", ["Langner"], ["Oberbürgermeister"]),
        ("Frau Ministerin a. D. Weber-Lutz sprach.", ["Weber-Lutz"], ["Ministerin"]),
        ("Herrn und Frau Lehnert gehört das Haus.", ["Lehnert"], ["Herrn und Frau"]),
        ("Sehr geehrte Frau Prof. Dr. von Stetten, bitte.", ["Stetten"], ["Prof. Dr."]),
        ("Herr Schulz Bescheid geben.", ["Schulz"], ["Bescheid"]),
        ("Sehr geehrter Herr Koch,\nder Koch-Kurs ist voll.", ["Koch"], ["Koch-Kurs"]),
        ("Sehr geehrter Her Mayer, danke.", ["Mayer"], []),
        ("Ein Herr vom Ordnungsamt kam vorbei.", [], ["Herr vom Ordnungsamt"]),
    ],
)
def test_titles_and_honorifics_mark_a_name_anywhere(text, removed, kept):
    removed_and_kept(text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Beim Workshop (Moderation: Jana Kessler) gab es Ideen.", ["Jana", "Kessler"], []),
        ("Eine Teilnehmerin (Frau Albers) war dafür.", ["Albers"], ["Teilnehmerin"]),
        ("Ich (Lena, 14) finde das gut.", ["Lena"], ["14"]),
        ("Die Idee (Dirk Hennig) ist gut.", ["Dirk", "Hennig"], ["Idee"]),
        ("Das Amt (ÖPNV) und die Stadt (Koblenz) sind zuständig.", [], ["ÖPNV", "Koblenz"]),
    ],
)
def test_names_in_parentheses_go_and_other_asides_stay(text, removed, kept):
    removed_and_kept(text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Zuständig ist M. Hoffmann.", ["Hoffmann"], ["Zuständig"]),
        ("Vertretung: A.-K. Schmidt", ["Schmidt"], ["Vertretung"]),
        ("Danke.\nMfG\nK. Thelen", ["Thelen"], ["Danke"]),
        ("i. A. Sandra Kühn", ["Sandra", "Kühn"], ["i. A."]),
        ("Siehe Anlage A. Die Stadt hat Plan B. Bitte prüfen.", [], ["Anlage A.", "Die Stadt"]),
        ("Ich habe einen M. Sc. in Informatik.", [], ["M. Sc."]),
    ],
)
def test_initials_with_a_surname_go_and_abbreviations_stay(text, removed, kept):
    removed_and_kept(text, removed, kept)


def test_a_name_in_an_e_mail_address_goes_with_the_address_and_elsewhere():
    result = redact("Schreiben Sie an johanna.bergmann@gmx.de.\nViele Grüße aus Koblenz\nJohanna")

    assert "bergmann" not in result.text
    assert "Johanna" not in result.text
    assert EMAIL in result.text
    assert "Koblenz" in result.text


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Gestern war ich mit Paula und Henri im Rathaus.", ["Paula", "Henri"], ["Rathaus"]),
        ("Kurze Frage von Ahmad Rahimi: geht das?", ["Ahmad", "Rahimi"], ["Frage"]),
        ("Gestern hat mir Karin Busch das erzählt.", ["Karin", "Busch"], []),
        ("Ich habe Anna Bescheid gesagt.", ["Anna"], ["Bescheid"]),
        ("Ernst Müller war auch da.", ["Ernst", "Müller"], []),
        ("Teilnehmer:\nBecker, Jonas\nHartmann, Uwe", ["Becker", "Jonas", "Hartmann", "Uwe"], []),
        ("Herr Kowalski kam nicht. Kowalski ist krank.", ["Kowalski"], ["krank"]),
        ("Laut Petersen fehlt das Geld.", ["Petersen"], ["Laut", "Geld"]),
    ],
)
def test_list_first_names_and_their_surnames_go(text, removed, kept):
    removed_and_kept(text, removed, kept)


@pytest.mark.parametrize(
    "text",
    [
        "Die Goethestraße und der Friedrich-Ebert-Ring sind dunkel.",
        "Die Albert-Schweitzer-Realschule braucht Server.",
        "Die Buslinie nach Maria Laach fährt selten.",
        "St. Martin zieht durch die Altstadt.",
        "Ernst gemeinte Frage: Warum kein WLAN?",
        "Tage wie heute zeigen, wie schlecht der Mobilfunk ist.",
        "Bitte den Koch-Kurs der Volkshochschule online anbieten.",
        "Max. 30 Personen dürfen in den Raum.",
        "Im Mai, Juni und August tagt der Rat.",
        "Der Baudezernent und die Beigeordnete waren im Bauausschuss.",
        "Das Kaiser-Wilhelm-Denkmal am Deutschen Eck ist schön.",
        "Die Stadtwerke Koblenz und die Sparkasse Koblenz bauen das WLAN in Mainz.",
        "Euer Bibliotheksteam",
        "Die Kosten betragen 12000 Euro; 56000 Einwohner sind betroffen.",
        "Die Beleuchtung auf dem Parkplatz 3 und am Gleis 2 ist defekt.",
        "Die Bundesstraße 9 ist gesperrt.",
        "Nach DIN EN 1176 müssen Spielgeräte geprüft werden.",
        "Bitte Vorlage 0123/2024 veröffentlichen.",
        "Das Projekt Green City Day läuft, Long Covid ist Thema.",
        "Der Bus fährt von Diez nach Westerburg; Kosmetik gibt es bei Rossmann.",
    ],
)
def test_streets_places_organisations_and_words_that_look_like_names_stay(text):
    result = redact(text)

    assert result.text == text
    assert result.removals == ()


# --- Other personal data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "secret", "marker"),
    [
        ("Konto: DE89 3704 0044 0532 0130 00, bitte.", "0532 0130", IBAN),
        ("IBAN DE02120300000000202051 bitte.", "DE02120300000000202051", IBAN),
        ("Ich, geb. 12.03.1948, beantrage Hilfe.", "12.03.1948", BIRTH_DATE),
        ("Mein Vater (geboren am 4. Mai 1939) kommt nicht klar.", "1939", BIRTH_DATE),
        ("Geburtsdatum: 01.07.1990", "01.07.1990", BIRTH_DATE),
        ("Ich bin am 12.03.1980 geboren.", "12.03.1980", BIRTH_DATE),
        ("Das Auto KO-AB 123 parkt dort.", "KO-AB 123", LICENCE_PLATE),
        ("Der Wagen (KO AB 123) parkt dort.", "KO AB 123", LICENCE_PLATE),
        ("Mein Auto, MYK-X 1, wurde erfasst.", "MYK-X 1", LICENCE_PLATE),
        ("Ein E-Auto KO-XY 999E lädt.", "KO-XY 999E", LICENCE_PLATE),
        ("Ich wohne Hauptstr.12 in Koblenz.", "Hauptstr.12", ADDRESS),
        ("Post an Karl-Marx-Str. 5a bitte.", "5a", ADDRESS),
        ("Treffpunkt Am Alten Hospital 3.", "Hospital 3", ADDRESS),
        ("Mobil 0157 33221100 bitte.", "33221100", PHONE),
    ],
)
def test_bank_accounts_dates_of_birth_plates_addresses_and_numbers_go(text, secret, marker):
    result = redact(text)

    assert secret not in result.text
    assert marker in result.text


def test_a_phone_number_in_parentheses_leaves_both_parentheses():
    assert redact("Bei Rückfragen (0171 1234567) gern.").text == (f"Bei Rückfragen ({PHONE}) gern.")


def test_dates_that_are_no_birth_dates_stay():
    text = "Die Sitzung am 12.05.2025 wurde vertagt; geboren wurde die Idee 2019."

    assert "12.05.2025" in redact(text).text


# Names in no list (a rare first name, an unlisted surname) are found by their context alone;
# each case below needs its one rule.


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Hallo Tjark,\ndie App hängt.", ["Tjark"], ["Hallo", "App"]),
        ("Liebe Fenja!\nDanke.", ["Fenja"], ["Liebe"]),
        ("Wir, Tjark und Anna Hauschildt, wohnen hier.", ["Tjark", "Anna", "Hauschildt"], ["Wir"]),
        ("Die Idee kam von uns (Hauschildt) im März.", ["Hauschildt"], ["Idee", "März"]),
        ("Anna Schmidt, geb. Hauschildt, bittet um Antwort.", ["Hauschildt"], ["geb."]),
        ("Mein Name ist Ecem Tiedemann.", ["Ecem", "Tiedemann"], ["Mein Name ist"]),
        ("Meine Tochter Malwine geht zur Kita.", ["Malwine"], ["Tochter", "Kita"]),
        ("Danke.\nViele Grüße\nHauke Kuckertz", ["Hauke", "Kuckertz"], ["Viele Grüße"]),
        ("Frau Dr. Rosalind Kettelhack vom Verein", ["Rosalind", "Kettelhack"], ["Verein"]),
        ("Wir, Torben und Marike Ahlswede, schlagen vor", ["Marike", "Ahlswede"], ["schlagen"]),
        ("Servus, hier ist Quirin. Das Freibad", ["Quirin"], ["Freibad"]),
    ],
)
def test_names_in_no_list_are_found_by_their_context(text, removed, kept):
    removed_and_kept(text, removed, kept)
