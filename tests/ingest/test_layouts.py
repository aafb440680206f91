"""Papers in the layouts of other council information systems (tests/ingest/corpus): every field
measured over the corpus, a few of them as PDFs, the number templates, the route tables in both
orientations, and texts that are no paper.

The accuracy report: ``.venv/bin/pytest -p no:cacheprovider -s tests/ingest/test_layouts.py -k
accuracy``.
"""

import contextlib
import datetime
import html
import time

import pytest
from weasyprint import HTML

from beirat.ingest.extract import extract
from beirat.ingest.parse import NotAPaper, parse
from beirat.ingest.references import (
    DEFAULT_PATTERNS,
    PatternError,
    compile_pattern,
    compile_patterns,
    configured_patterns,
    find_reference,
)
from tests.ingest import layout_corpus as corpus

PAPERS = corpus.papers()
BY_NAME = {paper.name: paper for paper in PAPERS}
REQUIRED_SHARE = 0.95
# One paper of each layout family, printed to PDF and read back through the text layer.
AS_PDF = (
    "a1_allris_auenstadt_beschlussvorlage",
    "b1_sessionnet_birkenfelde_beschlussvorlage",
    "c1_somacos_erlenbach_beschlussvorlage",
    "d2_transposed_fichtenau_beschlussvorlage",
    "e1_plain_holunderheim_antrag",
)


def test_the_corpus_has_twenty_papers_in_five_layouts():
    layouts = {paper.name.split("_")[1] for paper in PAPERS}

    assert len(PAPERS) >= 20
    assert len(layouts) >= 5, layouts
    for paper in PAPERS:
        assert set(paper.expected) >= corpus.SIDECAR_KEYS, paper.name


def test_field_accuracy_over_the_corpus():
    drafts = {paper.name: (paper.parse(), paper.expected) for paper in PAPERS}

    all_right, per_field, wrong = corpus.measure(drafts)

    print("\n" + corpus.report(all_right, per_field, len(drafts)))
    assert all_right >= REQUIRED_SHARE, wrong
    assert min(per_field.values()) >= REQUIRED_SHARE, (per_field, wrong)


def test_the_measure_notices_a_wrong_field():
    paper = BY_NAME["b1_sessionnet_birkenfelde_beschlussvorlage"]
    expected = {**paper.expected, "route": paper.expected["route"][:2], "date": "2023-03-15"}

    assert corpus.wrong_fields(paper.parse(), expected) == ["date", "route"]


PDF_STYLE = (
    "@page { size: A4 landscape; margin: 1cm } pre { font: 8pt monospace; white-space: pre-wrap }"
)


def as_pdf(text: str) -> bytes:
    page = f"<html><head><style>{PDF_STYLE}</style></head><body><pre>{html.escape(text)}</pre>"
    pdf: bytes = HTML(string=page + "</body></html>").write_pdf()
    return pdf


@pytest.mark.parametrize("name", AS_PDF)
def test_a_pdf_of_a_paper_reads_as_its_text(name):
    paper = BY_NAME[name]
    extracted = extract(as_pdf(paper.text), f"{name}.pdf")

    assert extracted.ocr_pages == 0
    assert corpus.wrong_fields(paper.parse(extracted.text), paper.expected) == []


# Paper numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "printed", "number", "year"),
    [
        ("Vorlage: AF/0013/2021", "AF/0013/2021", 13, 2021),
        ("Stadt X    Vorlage - VO/2024/0123", "VO/2024/0123", 123, 2024),
        ("Beschlussvorlage  Drucksache 0456/2023", "Drucksache 0456/2023", 456, 2023),
        ("Drucksache Nr. 0456/2023", "Drucksache Nr. 0456/2023", 456, 2023),
        ("Vorlage Nr. 123/2024", "Vorlage Nr. 123/2024", 123, 2024),
        ("Antrag Nr.: 17/2024", "Antrag Nr.: 17/2024", 17, 2024),
        ("Mitteilungsvorlage – Nr. 45 / 2024", "Mitteilungsvorlage – Nr. 45 / 2024", 45, 2024),
        ("BV 0230/2024", "BV 0230/2024", 230, 2024),
    ],
)
def test_the_default_templates_read_the_common_numbers(text, printed, number, year):
    found = find_reference(text, compile_patterns(DEFAULT_PATTERNS))

    assert found is not None
    assert (found.text, found.number, found.year) == (printed, number, year)


@pytest.mark.parametrize(
    "text", ["Stand 12.03.2024", "Seite 2 von 3", "Tel. 0261/129-0", "2024/0123"]
)
def test_no_number_where_there_is_none(text):
    assert find_reference(text, compile_patterns(DEFAULT_PATTERNS)) is None


def test_a_city_template_with_a_two_digit_year():
    pattern = compile_pattern("Drs.Nr. {number}/{yy}")

    found = find_reference("öffentliche Vorlage Drs.Nr. 137/06", [pattern])

    assert found is not None
    assert (found.number, found.year) == (137, 2006)


@pytest.mark.parametrize(
    "template", ["{code}/{number}", "{number}/{year}/{number}", "Nr. {nummer}/{year}", "{year}"]
)
def test_a_template_without_number_and_year_is_refused(template):
    with pytest.raises(PatternError):
        compile_pattern(template)


def test_the_templates_come_from_the_setting(settings):
    settings.BEIRAT_IMPORT_REFERENCE_PATTERNS = ["Vorlagen-Nr. {year}/{number}"]

    (pattern,) = configured_patterns()
    found = find_reference("Vorlagen-Nr.: 2024/077", [pattern])

    assert found is not None
    assert (found.number, found.year) == (77, 2024)


def test_a_foreign_number_becomes_beirats_by_the_citys_code_for_the_type():
    text = BY_NAME["a1_allris_auenstadt_beschlussvorlage"].text

    draft = parse(text, type_codes={"resolution_proposal": "SV"})

    assert draft.value("reference") == "SV/0123/2024"
    assert draft.value("source_reference") == "VO/2024/0123"


def test_a_number_in_beirats_form_keeps_its_code_and_its_type():
    text = BY_NAME["a1_allris_auenstadt_beschlussvorlage"].text.replace(
        "VO/2024/0123", "MI/0123/2024"
    )

    draft = parse(text)

    assert (draft.value("reference"), draft.value("paper_type")) == ("MI/0123/2024", "notice")


# Route tables ------------------------------------------------------------------------------------


def test_a_transposed_route_keeps_each_committees_status():
    draft = BY_NAME["d3_transposed_fichtenau_antrag"].parse()

    assert [(entry.committee, entry.public) for entry in draft.route] == [
        ("Verwaltungsausschuss", False),
        ("Stadtrat", True),
    ]


def test_a_route_row_without_a_date_is_kept_undated():
    text = BY_NAME["b3_sessionnet_birkenfelde_antrag"].text.replace(
        "Rat der Stadt                    22.06.2023       Ö",
        "Rat der Stadt                                     Ö",
    )

    draft = parse(text)

    assert [(entry.committee, entry.date) for entry in draft.route] == [
        ("Ausschuss für Verkehr", datetime.date(2023, 6, 6)),
        ("Rat der Stadt", None),
    ]


def test_the_ocr_noise_of_a_date_is_repaired_and_flagged():
    draft = BY_NAME["f1_ocr_birkenfelde_beschlussvorlage"].parse()

    assert draft.route[1].date == datetime.date(2023, 11, 9)  # "O9.11.2023" in the scan
    assert "route" in draft.needs_review
    assert ("Begriindung", "Begründung") in draft.repairs


# Texts that are no paper -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Sehr geehrte Damen und Herren,\nanbei die Unterlagen.\n", "keine Vorlage"),
        ("Protokoll der Sitzung vom 12.03.2024\nTOP 1: Begrüßung", "keine Vorlage"),
        # A number alone, without the kind of paper and without a subject: a partial header.
        ("Drucksache 0456/2023\n\nBitte um Rückruf.", "weder die Art der Vorlage"),
        # The kind is missing: no beirat number can be given.
        ("Drucksache 0456/2023\nBetreff: Turnhalle\n", "Art der Vorlage"),
    ],
)
def test_a_text_that_is_no_paper_is_refused_with_a_reason(text, reason):
    with pytest.raises(NotAPaper, match=reason):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "Drucksache" + " " * 200_000 + "x",
        "Betreff" + "\u00a0" * 200_000 + "x",
        " " * 200_000 + "Sachverhalt x",
        "Vorlage Nr. " * 100_000,
        "Beratungsfolge\n" + "Stadtrat  01.01.2024  Ö\n" * 20_000,
        "VO/" * 200_000,
    ],
    ids=["spaces", "nbsp", "indent", "numbers", "route", "slashes"],
)
def test_a_huge_crafted_text_is_read_in_seconds(text):
    started = time.monotonic()
    with contextlib.suppress(NotAPaper):
        parse(text)

    assert time.monotonic() - started < 15


def test_the_settings_default_is_the_default_templates(settings):
    assert tuple(settings.BEIRAT_IMPORT_REFERENCE_PATTERNS) == DEFAULT_PATTERNS


def test_a_bad_template_in_the_setting_stops_the_start(settings):
    from django.core.exceptions import ImproperlyConfigured

    from beirat.ingest.apps import _check_reference_patterns

    settings.BEIRAT_IMPORT_REFERENCE_PATTERNS = ["{code}/{number}"]

    with pytest.raises(ImproperlyConfigured, match="BEIRAT_IMPORT_REFERENCE_PATTERNS"):
        _check_reference_patterns()


def test_a_supplements_suffix_stays_part_of_the_printed_number():
    found = find_reference("Drucksache Nr. 0456/2023-1", compile_patterns(DEFAULT_PATTERNS))

    assert found is not None
    assert (found.text, found.number, found.year) == ("Drucksache Nr. 0456/2023-1", 456, 2023)
