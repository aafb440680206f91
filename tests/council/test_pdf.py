"""The official paper PDF, checked against the two seed papers through poppler's text output."""

import datetime
import re
import subprocess
import zlib
from pathlib import Path

import pytest

from beirat.core.pdf import LocalOnlyURLFetcher, ResourceRefusedError, static_roots
from beirat.council.models import Consultation, Paper, PaperSection
from beirat.council.pdf import number_label, paper_pdf, title_line
from beirat.directory.models import Committee, OrganizationalUnit
from tests.factories.directory import BodyFactory, CommitteeFactory, UnitFactory

# Seed 000: answer AW/0011/2021 to inquiry AF/0013/2021, as printed.
AW_INTRODUCTION = (
    "Die Corona-Pandemie hat die große Notwendigkeit einer Digitalisierung der Verwaltungsarbeit "
    "offengelegt. Der neu eingerichtete IT-Beirat stellt dabei ein wesentliches Gremium dar.\n\n"
    "Die Verwaltung nimmt zu der Anfrage wie folgt Stellung:"
)
AW_ITEMS = [
    (
        "Fanden bereits erste Sitzungen des IT-Beirats statt, wenn ja, was war deren Inhalt?",
        "Ja, die Sitzungen fanden statt am 09.10.2020 und 24.03.2021.\n\n"
        "Inhalt war die Entgegennahme der Berichte zu den laufenden Aktivitäten und zum Stand der "
        "Digitalisierung sowie der Ergebnisse der Masterarbeit. Zu fachspezifischen Fragen wurden "
        "Anregungen gegeben.",
    ),
    (
        "Auf welche Weise werden Inhalte und Zielsetzungen des IT-Beirates festgelegt?",
        "Der IT-Beirat ist ehrenamtlich tätig. Er berät die Verwaltung auf ihrem "
        "Digitalisierungsprozess, nimmt zu Fachfragen Stellung, gibt Hinweise und stellt seine "
        "Netzwerkverbindungen zur Verfügung. Als eine grundsätzliche Voraussetzung zu einem "
        "Engagement in diesem Gremium wurde seitens der Experten die Bedingung geknüpft, dass der "
        "Beirat ausschließlich in einem Dialog mit der Stadtverwaltung steht. Politische Impulse "
        "sind nicht vorgesehen, man will nur zu konkreten Fachfragen Stellung nehmen.",
    ),
    (
        "Auf welche Weise werden die Inhalte und Zielsetzungen des IT-Beirates umgesetzt?",
        "Im Zuge der Umsetzung der Maßnahmen zur Digitalisierung der Verwaltungsprozesse erfolgt "
        "die Erarbeitung der erforderlichen Beschlussvorlagen unter Einbindung der Empfehlungen "
        "des IT-Beirates. Hinweise für die Prozesse im Zuge der allgemeinen Digitalisierung "
        "werden, sofern nötig, den zu beteiligenden Verwaltungsabteilungen zugeleitet und sofern "
        "möglich bei der Umsetzung unterstützt (z.B. Projektarbeiten an Uni und Hochschule, "
        "Smart-City-Angebote, Parkplatz-Apps u.s.w.). Die vielfältigen Netzwerkverbindungen "
        "werden ebenfalls genutzt, um z.B. neue Geschäftsfelder zu generieren. Dabei wären "
        "exemplarisch zu nennen: R56+, TZK, Start-Up-League, IT-Stadt-Koblenz, WWA, Initiative "
        "Koblenz-Mittelrhein, Mittelrhein-Digital u.v.m.. Personell ist die Stadt ebenfalls in all "
        "diesen Netzwerken vertreten, womit eine enge Kooperation bereits zu Beginn aufkeimender "
        "Geschäftsideen möglich ist.",
    ),
    (
        "Können auch Ideen der Umsetzung von außen (etwa durch die Bevölkerung) an den IT-Beirat "
        "herangetragen werden?",
        "Jederzeit sind Eingaben und Anregungen möglich. Alle Eingaben zu Digitalisierungsthemen "
        "werden durch das IT-Management der Stadt geprüft und bei Bedarf die Expertise des "
        "IT-Beirates eingeholt. Einen direkten Kontakt ist jedoch zum Schutze der ehrenamtlich "
        "arbeitenden Mitglieder nicht vorgesehen.",
    ),
    (
        "Ist grundsätzlich eine Zusammenarbeit mit der Wirtschaft (bspw. mit Startups) geplant?",
        "Eine Zusammenarbeit mit der Wirtschaft und vor allem mit Start-Ups fand bereits vor "
        "Einrichtung des IT-Beirates seit vielen Jahren intensiv durch die Einbindung der "
        "IT-Beteiligten in den unterschiedlichsten Gremien und Vereinigungen (sh. Zu Antwort 3) "
        "statt. Oftmals sind die Akteure in mehreren Vereinigungen und Institutionen in "
        "Personalunion tätig, womit eine straffe Kooperation möglich ist und die Gründungswilligen "
        "ein eng abgestimmtes Beratungsangebot vorfinden: Start-Up-Weekends und Start-Up-Slams "
        "(IT.Stadt-Koblenz), Gründerinitiativen an Uni und Hochschule, Start-Up-Leeague (IHK, HWK, "
        "Uni, WHU, HS, Wirtschaftsjunoren, TZK, Stadt, Landkreis etc.).",
    ),
]

# Seed 001: statement ST/0078/2025 on motion AT/0080/2025, with the scan's OCR errors repaired.
ST_INTRODUCTION = "Die Verwaltung hat mit folgendem Ergebnis geprüft:"
ST_ITEMS = [
    (
        "inwieweit und in welcher Form eine strukturierte Zusammenarbeit mit dem Verein IT.Stadt "
        "Koblenz e.V. (IT.Stadt Koblenz e. V. » Start) als dauerhaftem Partner für Digitalisierung "
        "und Smart-City-Entwicklung aufgebaut oder intensiviert werden kann.",
        "Antwort zu 1. Zusammenarbeit mit dem Verein IT.Stadt Koblenz e. V.:",
        "Die Stadt Koblenz ist bereits Mitglied im Verein IT.Stadt Koblenz e. V. Eine "
        "Intensivierung dieser Kooperation im Sinne eines strategischen Austauschs erscheint "
        "sinnvoll, insbesondere zur stärkeren Einbindung der lokalen digitalen Wirtschaft in die "
        "Digitaltransformation der Region Koblenz.",
    ),
    (
        "ob und wie IT.Stadt Koblenz e.V. in bestehende oder künftige städtische Gremien zur "
        "Digitalisierungs- und Innovationspolitik (z. B. Digitalisierungsausschuss, "
        "Smart-City-Steuerungsgruppe) beratend eingebunden werden kann.",
        "Antwort zu 2. Einbindung in städtische Gremien:",
        "Eine beratende Mitwirkung von IT.Stadt Koblenz e. V. beim Digitalbeirat ist fachlich "
        "grundsätzlich zu begrüßen. Im Allgemeinen ist Amt 80 / Wirtschaftsförderung sowohl "
        "Ausrichter des Digitalbeirates als auch Mitglied in der IT.Stadt Koblenz e.V.\n\n"
        "Eine beratende Mitwirkung von IT Stadt Koblenz e.V. beim Digitalbeirat wird "
        "verwaltungsseitig geprüft.",
    ),
    (
        "ob eine formale Mitgliedschaft der Stadt Koblenz im Verein IT.Stadt Koblenz e.V. oder die "
        "Entsendung eines städtischen Ansprechpartners (z. B. Chief Digital Officer / CDO) "
        "sinnvoll und rechtlich möglich ist,",
        "Antwort zu 3. Mitgliedschaft / Ansprechpartner:",
        "Eine Mitgliedschaft der Stadt Koblenz besteht bereits.",
    ),
    (
        "ob und wie die Stadt Koblenz im Rahmen ihrer Digitalstrategie auch eine Kooperation mit "
        "der PD – Berater der öffentlichen Hand GmbH (Startseite - PD - Berater der öffentlichen "
        "Hand) eingehen sollte [...].",
        "Antwort zu 4. Kooperation mit der PD GmbH:",
        "Eine punktuelle Zusammenarbeit mit der PD – Berater der öffentlichen Hand GmbH – wurde in "
        "der Vergangenheit geprüft. Die Expertise der PD insbesondere im Bereich "
        "Strategieentwicklung, Umsetzungsplanung und Fördermittelmanagement ist unbestritten. "
        "Allerdings zeigen Erfahrungen, dass derartige externe Begleitung in der Stadtverwaltung "
        "nur dann wirksam wird, wenn es gelingt, intern auch Umsetzungs- und "
        "Steuerungskapazitäten zu mobilisieren. Insofern müsste vor einer Mandatierung eine "
        "verbindliche interne Verankerung, z. B. in Form einer ressortübergreifenden Taskforce "
        "unter Beteiligung des Konzerns Koblenz erfolgen.\n\n"
        "Eine Kooperation mit der PD GmbH wird verwaltungsseitig geprüft.",
    ),
]
ST_RESOLUTION = (
    "Der Stadtrat beauftragt die Verwaltung, auf Grundlage der oben stehenden Ausführungen die "
    "Möglichkeiten einer beratenden Mitwirkung des IT.Stadt Koblenz e. V. in städtische Gremien "
    "sowie einer Kooperation mit der PD GmbH zu prüfen."
)
OUTCOME_LABELS = [
    "einstimmig",
    "mehrheitl.",
    "ohne BE",
    "abgelehnt",
    "Kenntnis",
    "abgesetzt",
    "verwiesen",
    "vertagt",
    "geändert",
]


def _published_paper(body, paper_type, code, sequence, year, **fields) -> Paper:
    return Paper.objects.create(
        body=body,
        paper_type=paper_type,
        status=Paper.Status.PUBLISHED,
        reference=f"{code}/{sequence:04d}/{year}",
        type_code=code,
        sequence=sequence,
        year=year,
        **fields,
    )


def _add_sections(paper: Paper, introduction: str, items: list[tuple[str, ...]]) -> None:
    PaperSection.objects.create(
        paper=paper, position=0, kind=PaperSection.Kind.INTRODUCTION, text=introduction
    )
    for number, item in enumerate(items, start=1):
        question, *heading, text = item
        PaperSection.objects.create(
            paper=paper,
            position=number,
            kind=PaperSection.Kind.ITEM,
            number=str(number),
            question=question,
            heading=heading[0] if heading else "",
            text=text,
        )


def _council(body) -> Committee:
    return CommitteeFactory(
        body=body, kind=Committee.Kind.COUNCIL, name="Stadtrat", slug="stadtrat"
    )


def _division(body) -> OrganizationalUnit:
    return UnitFactory(
        body=body, kind=OrganizationalUnit.Kind.DIVISION, number="1", name="Dezernat 1"
    )


def answer_aw_0011_2021() -> Paper:
    """Seed 000 as database rows."""
    body = BodyFactory()
    inquiry = _published_paper(
        body,
        Paper.Type.INQUIRY,
        "AF",
        13,
        2021,
        date=datetime.date(2021, 3, 30),
        name="Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats",
    )
    answer = _published_paper(
        body,
        Paper.Type.ANSWER,
        "AW",
        11,
        2021,
        date=datetime.date(2021, 4, 12),
        name="Antwort zur Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats",
        division=_division(body),
        author_unit=UnitFactory(body=body, number="80", name="Amt für Wirtschaftsförderung"),
        responds_to=inquiry,
        body_heading="Antwort zur Anfrage:",
        climate_impact="keine",
    )
    _add_sections(answer, AW_INTRODUCTION, AW_ITEMS)
    Consultation.objects.create(
        paper=answer, committee=_council(body), planned_date=datetime.date(2021, 4, 22)
    )
    return answer


def statement_st_0078_2025() -> Paper:
    """Seed 001 as database rows, decided unanimously."""
    body = BodyFactory()
    motion = _published_paper(
        body,
        Paper.Type.MOTION,
        "AT",
        80,
        2025,
        date=datetime.date(2025, 5, 20),
        name="Antrag der FDP-Fraktion: Kooperationen stärken. Digitalisierung gemeinsam gestalten.",
    )
    statement = _published_paper(
        body,
        Paper.Type.STATEMENT,
        "ST",
        78,
        2025,
        date=datetime.date(2025, 6, 25),
        name="Stellungnahme zum Antrag der FDP-Fraktion: Kooperationen stärken. "
        "Digitalisierung gemeinsam gestalten.",
        division=_division(body),
        author_unit=UnitFactory(body=body, number="10", name="Amt für Personal und Organisation"),
        responds_to=motion,
        body_heading="Stellungnahme:",
        financial_impact="",
        recommended_resolution=ST_RESOLUTION,
    )
    _add_sections(statement, ST_INTRODUCTION, ST_ITEMS)
    Consultation.objects.create(
        paper=statement,
        committee=_council(body),
        planned_date=datetime.date(2025, 6, 26),
        outcome=Consultation.Outcome.UNANIMOUS,
    )
    return statement


def _poppler(tool: str, *arguments: str) -> str:
    """Run one of poppler's command-line tools (Debian's poppler-utils) and return its output."""
    command = [f"/usr/bin/{tool}", *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler extracts it, without page footers, whitespace collapsed."""
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    layout = _poppler("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-")
    footer = re.compile(r"^\s*(\S+\s+)?Seite \d+ von \d+\s*$")
    lines = [line for line in layout.replace("\f", "\n").splitlines() if not footer.match(line)]
    return _normalised(" ".join(lines))


def _normalised(text: str) -> str:
    # A line may end after a hyphen ("Smart-|City"), so the space after one is dropped on both
    # sides of the comparison.
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.:?!])\s+", _normalised(text)) if part]


def _assert_in_order(text: str, expected: list[str]) -> None:
    position = 0
    for fragment in expected:
        found = text.find(_normalised(fragment), position)
        assert found >= 0, f"not found after position {position}: {fragment!r}"
        position = found + len(_normalised(fragment))


def _numbered(items: list[tuple[str, ...]]) -> list[str]:
    expected = []
    for number, (question, *rest) in enumerate(items, start=1):
        expected.append(f"{number}. {question}")
        for part in rest:
            expected.extend(_sentences(part))
    return expected


@pytest.mark.django_db
def test_answer_pdf_prints_every_header_field_question_and_answer_in_order(tmp_path):
    text = _pdf_text(paper_pdf(answer_aw_0011_2021()), tmp_path)

    _assert_in_order(
        text,
        [
            "KOBLENZ VERBINDET.",
            "Antwort zur Anfrage Nr. AF/0013/2021",
            "Vorlage: AW/0011/2021",
            "Datum: 12.04.2021",
            "Dezernat 1",
            "Verfasser: 80-Amt für Wirtschaftsförderung",
            "Az.:",
            "Betreff:",
            "Antwort zur Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats",
            "Gremienweg:",
            "22.04.2021",
            "Stadtrat",
            *OUTCOME_LABELS,
            "TOP",
            "Enthaltungen",
            "Gegenstimmen",
            "Antwort zur Anfrage:",
            *_sentences(AW_INTRODUCTION),
            *_numbered(AW_ITEMS),
            "Auswirkungen auf den Klimaschutz:",
            "keine",
        ],
    )
    assert "☒" not in text
    assert text.count("☐") == len(OUTCOME_LABELS) + 2
    assert "Finanzielle Auswirkungen" not in text
    assert "Beschlussempfehlung" not in text


@pytest.mark.django_db
def test_statement_pdf_ticks_the_recorded_outcome_and_keeps_the_text_order(tmp_path):
    text = _pdf_text(paper_pdf(statement_st_0078_2025()), tmp_path)

    _assert_in_order(
        text,
        [
            "Stellungnahme zum Antrag Nr. AT/0080/2025",
            "Vorlage: ST/0078/2025",
            "Datum: 25.06.2025",
            "Dezernat 1",
            "Verfasser: 10-Amt für Personal und Organisation",
            "Az.:",
            "Betreff:",
            "Stellungnahme zum Antrag der FDP-Fraktion: Kooperationen stärken. "
            "Digitalisierung gemeinsam gestalten.",
            "Gremienweg:",
            "26.06.2025 Stadtrat ☒ einstimmig ☐ mehrheitl. ☐ ohne BE",
            "☐ abgelehnt ☐ Kenntnis ☐ abgesetzt",
            "☐ verwiesen ☐ vertagt ☐ geändert",
            "TOP ☐ Enthaltungen ☐ Gegenstimmen",
            "Stellungnahme:",
            ST_INTRODUCTION,
            *_numbered(ST_ITEMS),
            "Finanzielle Auswirkungen: Beschlussempfehlung:",
            *_sentences(ST_RESOLUTION),
        ],
    )
    assert text.count("☒") == 1
    assert "Klimaschutz" not in text


@pytest.mark.django_db
def test_vote_counts_and_agenda_item_are_printed_in_the_route_box(tmp_path):
    paper = statement_st_0078_2025()
    paper.consultations.update(outcome=Consultation.Outcome.MAJORITY, votes_abstain=3, votes_no=0)

    text = _pdf_text(paper_pdf(paper), tmp_path)

    assert "☐ einstimmig ☒ mehrheitl." in text
    assert "☒ Enthaltungen 3 ☐ Gegenstimmen 0" in text


def _pdfinfo(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    output = _poppler("pdfinfo", "-enc", "UTF-8", str(path))
    pairs = (line.split(":", 1) for line in output.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.mark.django_db
def test_pdf_metadata_names_the_paper_and_no_person(tmp_path):
    paper = statement_st_0078_2025()

    info = _pdfinfo(paper_pdf(paper), tmp_path)

    assert "Author" not in info
    assert info["Creator"] == "beirat"
    assert info["Title"] == str(paper)
    assert info["Producer"].startswith("WeasyPrint")  # the software, never a person
    assert info["Tagged"] == "yes"


def _decompressed(pdf: bytes) -> bytes:
    """The PDF's streams inflated: the catalog sits in a compressed object stream."""
    streams = re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL)
    return b"\n".join(zlib.decompress(stream.group(1)) for stream in streams)


@pytest.mark.django_db
def test_pdf_declares_german_as_its_language_and_shows_its_title():
    catalog = _decompressed(paper_pdf(statement_st_0078_2025()))

    assert b"/Lang (de)" in catalog
    assert b"/DisplayDocTitle true" in catalog
    assert b"/Author" not in catalog


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/font.woff2",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file:///../etc/passwd",
    ],
)
def test_pdf_url_fetcher_refuses_anything_but_local_static_files(url):
    fetcher = LocalOnlyURLFetcher(static_roots())

    with pytest.raises(ResourceRefusedError):
        fetcher.fetch(url)


def test_pdf_url_fetcher_reads_static_files_and_data_urls():
    fetcher = LocalOnlyURLFetcher(static_roots())
    favicon = static_roots()[0] / "beirat" / "favicon.svg"

    assert fetcher.fetch(favicon.as_uri()).read() == favicon.read_bytes()
    assert fetcher.fetch("data:text/plain,Koblenz").read() == b"Koblenz"


@pytest.mark.django_db
def test_title_line_names_the_paper_responded_to_or_else_the_type():
    statement = statement_st_0078_2025()

    assert title_line(statement) == "Stellungnahme zum Antrag Nr. AT/0080/2025"
    assert title_line(statement.responds_to) == "Antrag"


@pytest.mark.parametrize(("number", "label"), [("1", "1."), ("2.", "2."), ("a)", "a)"), ("", "")])
def test_item_numbers_are_printed_with_a_full_stop(number, label):
    assert number_label(number) == label
