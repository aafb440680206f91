"""The two seed papers as they are, with the papers and meetings around them.

Seed 000 is the answer AW/0011/2021 to the CDU fraction's inquiry AF/0013/2021; seed 001 is the
statement ST/0078/2025 on the FDP fraction's motion AT/0080/2025 (OCR errors of the scan repaired).
Built through the services; everything is looked up by its number first, so loading twice
changes nothing.
"""

from __future__ import annotations

import datetime
import io
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import pikepdf

from beirat.core import wiring
from beirat.core.file_metadata import PDF
from beirat.core.uploads import CheckedFile
from beirat.council import services
from beirat.council.models import AgendaItem, Consultation, Mandate, Meeting, Paper, PaperSection
from beirat.directory.models import Body, Committee, OrganizationalUnit
from beirat.directory.services import installation_body

BERLIN = ZoneInfo("Europe/Berlin")

INQUIRY_2021: dict[str, Any] = {
    "reference": "AF/0013/2021",
    "paper_type": Paper.Type.INQUIRY,
    "date": datetime.date(2021, 3, 29),
    "originator": "cdu-ratsfraktion",
    "name": "Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats",
    "sections": [
        (
            "item",
            "1",
            "Fanden bereits erste Sitzungen des IT-Beirats statt, wenn ja, was war deren Inhalt?",
            "",
            "",
        ),
        (
            "item",
            "2",
            "Auf welche Weise werden Inhalte und Zielsetzungen des IT-Beirates festgelegt?",
            "",
            "",
        ),
        (
            "item",
            "3",
            "Auf welche Weise werden die Inhalte und Zielsetzungen des IT-Beirates umgesetzt?",
            "",
            "",
        ),
        (
            "item",
            "4",
            "Können auch Ideen der Umsetzung von außen (etwa durch die Bevölkerung) an "
            "den IT-Beirat herangetragen werden?",
            "",
            "",
        ),
        (
            "item",
            "5",
            "Ist grundsätzlich eine Zusammenarbeit mit der Wirtschaft (bspw. mit "
            "Startups) geplant?",
            "",
            "",
        ),
    ],
}

ANSWER_2021: dict[str, Any] = {
    "reference": "AW/0011/2021",
    "paper_type": Paper.Type.ANSWER,
    "date": datetime.date(2021, 4, 12),
    "division": "Dezernat 1",
    "author": "80",
    "responds_to": "AF/0013/2021",
    "name": "Antwort zur Anfrage der CDU-Ratsfraktion: Arbeit des IT-Beirats",
    "body_heading": "Antwort zur Anfrage:",
    "climate_impact": "keine",
    "sections": [
        (
            "introduction",
            "",
            "",
            "",
            "Die Corona-Pandemie hat die große Notwendigkeit einer Digitalisierung der "
            "Verwaltungsarbeit offengelegt. Der neu eingerichtete IT-Beirat stellt dabei ein "
            "wesentliches Gremium dar.\n\nDie Verwaltung nimmt zu der Anfrage wie folgt Stellung:",
        ),
        (
            "item",
            "1",
            INQUIRY_2021["sections"][0][2],
            "",
            "Ja, die Sitzungen fanden statt am 09.10.2020 und 24.03.2021.\n\n"
            "Inhalt war die Entgegennahme der Berichte zu den laufenden Aktivitäten und zum Stand "
            "der Digitalisierung sowie der Ergebnisse der Masterarbeit. Zu fachspezifischen Fragen "
            "wurden Anregungen gegeben.",
        ),
        (
            "item",
            "2",
            INQUIRY_2021["sections"][1][2],
            "",
            "Der IT-Beirat ist ehrenamtlich tätig. Er berät die Verwaltung auf ihrem "
            "Digitalisierungsprozess, nimmt zu Fachfragen Stellung, gibt Hinweise und stellt seine "
            "Netzwerkverbindungen zur Verfügung. Als eine grundsätzliche Voraussetzung zu einem "
            "Engagement in diesem Gremium wurde seitens der Experten die Bedingung geknüpft, dass "
            "der Beirat ausschließlich in einem Dialog mit der Stadtverwaltung steht. Politische "
            "Impulse sind nicht vorgesehen, man will nur zu konkreten Fachfragen Stellung nehmen.",
        ),
        (
            "item",
            "3",
            INQUIRY_2021["sections"][2][2],
            "",
            "Im Zuge der Umsetzung der Maßnahmen zur Digitalisierung der Verwaltungsprozesse "
            "erfolgt die Erarbeitung der erforderlichen Beschlussvorlagen unter Einbindung der "
            "Empfehlungen des IT-Beirates. Hinweise für die Prozesse im Zuge der allgemeinen "
            "Digitalisierung werden, sofern nötig, den zu beteiligenden Verwaltungsabteilungen "
            "zugeleitet und sofern möglich bei der Umsetzung unterstützt (z.B. Projektarbeiten an "
            "Uni und Hochschule, Smart-City-Angebote, Parkplatz-Apps u.s.w.). Die vielfältigen "
            "Netzwerkverbindungen werden ebenfalls genutzt, um z.B. neue Geschäftsfelder zu "
            "generieren. Dabei wären exemplarisch zu nennen: R56+, TZK, Start-Up-League, "
            "IT-Stadt-Koblenz, WWA, Initiative Koblenz-Mittelrhein, Mittelrhein-Digital u.v.m.. "
            "Personell ist die Stadt ebenfalls in all diesen Netzwerken vertreten, womit eine enge "
            "Kooperation bereits zu Beginn aufkeimender Geschäftsideen möglich ist.",
        ),
        (
            "item",
            "4",
            INQUIRY_2021["sections"][3][2],
            "",
            "Jederzeit sind Eingaben und Anregungen möglich. Alle Eingaben zu "
            "Digitalisierungsthemen werden durch das IT-Management der Stadt geprüft und bei Bedarf "
            "die Expertise des IT-Beirates eingeholt. Einen direkten Kontakt ist jedoch zum Schutze "
            "der ehrenamtlich arbeitenden Mitglieder nicht vorgesehen.",
        ),
        (
            "item",
            "5",
            INQUIRY_2021["sections"][4][2],
            "",
            "Eine Zusammenarbeit mit der Wirtschaft und vor allem mit Start-Ups fand bereits vor "
            "Einrichtung des IT-Beirates seit vielen Jahren intensiv durch die Einbindung der "
            "IT-Beteiligten in den unterschiedlichsten Gremien und Vereinigungen (sh. Zu Antwort 3) "
            "statt. Oftmals sind die Akteure in mehreren Vereinigungen und Institutionen in "
            "Personalunion tätig, womit eine straffe Kooperation möglich ist und die "
            "Gründungswilligen ein eng abgestimmtes Beratungsangebot vorfinden: Start-Up-Weekends "
            "und Start-Up-Slams (IT.Stadt-Koblenz), Gründerinitiativen an Uni und Hochschule, "
            "Start-Up-Leeague (IHK, HWK, Uni, WHU, HS, Wirtschaftsjunoren, TZK, Stadt, Landkreis "
            "etc.).",
        ),
    ],
}

MOTION_2025: dict[str, Any] = {
    "reference": "AT/0080/2025",
    "paper_type": Paper.Type.MOTION,
    "date": datetime.date(2025, 6, 2),
    "originator": "fdp-fraktion",
    "name": "Antrag der FDP-Fraktion: Kooperationen stärken. Digitalisierung gemeinsam gestalten.",
    "sections": [
        ("introduction", "", "", "", "Die Verwaltung wird beauftragt zu prüfen,"),
        (
            "item",
            "1",
            "inwieweit und in welcher Form eine strukturierte Zusammenarbeit mit dem "
            "Verein IT.Stadt Koblenz e.V. (IT.Stadt Koblenz e. V. » Start) als "
            "dauerhaftem Partner für Digitalisierung und Smart-City-Entwicklung "
            "aufgebaut oder intensiviert werden kann.",
            "",
            "",
        ),
        (
            "item",
            "2",
            "ob und wie IT.Stadt Koblenz e.V. in bestehende oder künftige städtische "
            "Gremien zur Digitalisierungs- und Innovationspolitik (z. B. "
            "Digitalisierungsausschuss, Smart-City-Steuerungsgruppe) beratend "
            "eingebunden werden kann.",
            "",
            "",
        ),
        (
            "item",
            "3",
            "ob eine formale Mitgliedschaft der Stadt Koblenz im Verein IT.Stadt "
            "Koblenz e.V. oder die Entsendung eines städtischen Ansprechpartners (z. B. "
            "Chief Digital Officer / CDO) sinnvoll und rechtlich möglich ist,",
            "",
            "",
        ),
        (
            "item",
            "4",
            "ob und wie die Stadt Koblenz im Rahmen ihrer Digitalstrategie auch eine "
            "Kooperation mit der PD – Berater der öffentlichen Hand GmbH (Startseite - "
            "PD - Berater der öffentlichen Hand) eingehen sollte [...].",
            "",
            "",
        ),
    ],
}

STATEMENT_2025: dict[str, Any] = {
    "reference": "ST/0078/2025",
    "paper_type": Paper.Type.STATEMENT,
    "date": datetime.date(2025, 6, 25),
    "division": "Dezernat 1",
    "author": "10",
    "responds_to": "AT/0080/2025",
    "name": "Stellungnahme zum Antrag der FDP-Fraktion: Kooperationen stärken. Digitalisierung "
    "gemeinsam gestalten.",
    "body_heading": "Stellungnahme:",
    "financial_impact": "",
    "recommended_resolution": "Der Stadtrat beauftragt die Verwaltung, auf Grundlage der oben stehenden Ausführungen "
    "die Möglichkeiten einer beratenden Mitwirkung des IT.Stadt Koblenz e. V. in städtische "
    "Gremien sowie einer Kooperation mit der PD GmbH zu prüfen.",
    "sections": [
        ("introduction", "", "", "", "Die Verwaltung hat mit folgendem Ergebnis geprüft:"),
        (
            "item",
            "1",
            MOTION_2025["sections"][1][2],
            "Antwort zu 1. Zusammenarbeit mit dem Verein IT.Stadt Koblenz e. V.:",
            "Die Stadt Koblenz ist bereits Mitglied im Verein IT.Stadt Koblenz e. V. Eine "
            "Intensivierung dieser Kooperation im Sinne eines strategischen Austauschs erscheint "
            "sinnvoll, insbesondere zur stärkeren Einbindung der lokalen digitalen Wirtschaft in die "
            "Digitaltransformation der Region Koblenz.",
        ),
        (
            "item",
            "2",
            MOTION_2025["sections"][2][2],
            "Antwort zu 2. Einbindung in städtische Gremien:",
            "Eine beratende Mitwirkung von IT.Stadt Koblenz e. V. beim Digitalbeirat ist fachlich "
            "grundsätzlich zu begrüßen. Im Allgemeinen ist Amt 80 / Wirtschaftsförderung sowohl "
            "Ausrichter des Digitalbeirates als auch Mitglied in der IT.Stadt Koblenz e.V.\n\n"
            "Eine beratende Mitwirkung von IT Stadt Koblenz e.V. beim Digitalbeirat wird "
            "verwaltungsseitig geprüft.",
        ),
        (
            "item",
            "3",
            MOTION_2025["sections"][3][2],
            "Antwort zu 3. Mitgliedschaft / Ansprechpartner:",
            "Eine Mitgliedschaft der Stadt Koblenz besteht bereits.",
        ),
        (
            "item",
            "4",
            MOTION_2025["sections"][4][2],
            "Antwort zu 4. Kooperation mit der PD GmbH:",
            "Eine punktuelle Zusammenarbeit mit der PD – Berater der öffentlichen Hand GmbH – wurde "
            "in der Vergangenheit geprüft. Die Expertise der PD insbesondere im Bereich "
            "Strategieentwicklung, Umsetzungsplanung und Fördermittelmanagement ist unbestritten. "
            "Allerdings zeigen Erfahrungen, dass derartige externe Begleitung in der "
            "Stadtverwaltung nur dann wirksam wird, wenn es gelingt, intern auch Umsetzungs- und "
            "Steuerungskapazitäten zu mobilisieren. Insofern müsste vor einer Mandatierung eine "
            "verbindliche interne Verankerung, z. B. in Form einer ressortübergreifenden Taskforce "
            "unter Beteiligung des Konzerns Koblenz erfolgen.\n\n"
            "Eine Kooperation mit der PD GmbH wird verwaltungsseitig geprüft.",
        ),
    ],
}

MEETINGS = [
    # committee slug, start (local), location, public
    ("digitalbeirat", datetime.datetime(2020, 10, 9, 15, 0), "Rathaus Koblenz", False),
    ("digitalbeirat", datetime.datetime(2021, 3, 24, 15, 0), "Videokonferenz", False),
    ("stadtrat", datetime.datetime(2021, 4, 22, 14, 0), "Rathaus Koblenz, Ratssaal", True),
    ("stadtrat", datetime.datetime(2025, 6, 26, 14, 0), "Rathaus Koblenz, Ratssaal", True),
]

MANDATES = [
    (
        "Beratende Mitwirkung von IT.Stadt Koblenz e. V. in städtischen Gremien prüfen",
        "Insbesondere beim Digitalbeirat, im Digitalisierungsausschuss und in der "
        "Smart-City-Steuerungsgruppe.",
        "80",
        datetime.date(2026, 12, 31),
    ),
    (
        "Kooperation mit der PD – Berater der öffentlichen Hand GmbH prüfen",
        "Vorher eine verbindliche interne Verankerung klären, z. B. eine ressortübergreifende "
        "Taskforce unter Beteiligung des Konzerns Koblenz.",
        "10",
        datetime.date(2026, 6, 30),
    ),
]


def load(*, stdout: TextIO) -> int:
    if Paper.objects.filter(reference="ST/0078/2025").exists():
        return 0
    body = installation_body(actor=None)
    units = {unit.number or unit.name: unit for unit in OrganizationalUnit.objects.all()}
    units.update({unit.name: unit for unit in OrganizationalUnit.objects.all()})
    committees = {committee.slug: committee for committee in Committee.objects.all()}
    council = committees["stadtrat"]
    if council.seat_count is None:
        council.seat_count = 57
        council.save(update_fields=["seat_count"])
    papers: dict[str, Paper] = {}
    for spec in (INQUIRY_2021, ANSWER_2021, MOTION_2025, STATEMENT_2025):
        papers[str(spec["reference"])] = _paper(spec, body, units, committees, papers)
    meetings = [
        _meeting(committees[slug], start, location, public)
        for slug, start, location, public in MEETINGS
    ]
    _treat(
        papers["AW/0011/2021"], meetings[2], "Ö 5", Consultation.Outcome.NOTED, role="Kenntnisnahme"
    )
    _treat(
        papers["ST/0078/2025"],
        meetings[3],
        "Ö 12",
        Consultation.Outcome.UNANIMOUS,
        role="Entscheidung",
    )
    _board_agenda(meetings[0], meetings[1])
    services.add_agenda_item(
        item=AgendaItem(
            meeting=meetings[3], number="N 1", name="Grundstücksangelegenheit", public=False
        ),
        actor=None,
    )
    _documents(meetings)
    decision_item = papers["ST/0078/2025"].agenda_items.get()
    decision = services.record_decision(
        agenda_item=decision_item,
        text=str(STATEMENT_2025["recommended_resolution"]),
        actor=None,
    )
    for title, description, unit, due_date in MANDATES:
        services.create_mandate(
            mandate=Mandate(
                paper=papers["ST/0078/2025"],
                decision=decision,
                title=title,
                description=description,
                responsible_unit=units[unit],
                due_date=due_date,
            ),
            actor=None,
        )
    services.add_attachment(
        paper=papers["ST/0078/2025"],
        title=ATTACHMENT_TITLE,
        upload=CheckedFile("zeitplan.pdf", PDF, _text_pdf(ATTACHMENT_LINES)),
        actor=None,
    )
    return len(papers) + len(meetings) + len(MANDATES) + 1


# The statement's attachment: a one-page PDF made here, so that the demo needs no file.
ATTACHMENT_TITLE = "Zeitplan der Umsetzung"
ATTACHMENT_LINES = (
    "Zeitplan der Umsetzung",
    "1. Quartal 2026: Bestandsaufnahme der bestehenden Mitgliedschaften",
    "2. Quartal 2026: Verankerung in der Verwaltung, Ansprechstelle benennen",
    "3. Quartal 2026: Bericht an den Ausschuss",
)


def _text_pdf(lines: tuple[str, ...]) -> bytes:
    document = pikepdf.new()
    font = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    page = document.add_blank_page(page_size=(595, 842))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    shown = " T* ".join(f"({line})Tj" for line in lines)
    page.obj.Contents = document.make_stream(
        f"BT /F1 12 Tf 16 TL 72 760 Td {shown} ET".encode("cp1252")
    )
    output = io.BytesIO()
    document.save(output, deterministic_id=True)
    return output.getvalue()


def _paper(
    spec: dict[str, Any],
    body: Body,
    units: dict[str, OrganizationalUnit],
    committees: dict[str, Committee],
    papers: dict[str, Paper],
) -> Paper:
    paper = services.create_paper(
        paper=Paper(
            body=body,
            paper_type=spec["paper_type"],
            date=spec["date"],
            name=spec["name"],
            division=units.get(str(spec.get("division", ""))),
            author_unit=units.get(str(spec.get("author", ""))),
            originator=committees.get(str(spec.get("originator", ""))),
            responds_to=papers.get(str(spec.get("responds_to", ""))),
            body_heading=spec.get("body_heading", ""),
            climate_impact=spec.get("climate_impact"),
            financial_impact=spec.get("financial_impact"),
            recommended_resolution=spec.get("recommended_resolution"),
        ),
        actor=None,
    )
    sections = [
        PaperSection(kind=kind, number=number, question=question, heading=heading, text=text)
        for kind, number, question, heading, text in spec["sections"]
    ]
    services.replace_sections(paper=paper, sections=sections, actor=None)
    paper = services.register_paper(paper=paper, reference=str(spec["reference"]), actor=None)
    return services.publish_paper(paper=paper, actor=None)


def _meeting(
    committee: Committee, start: datetime.datetime, location: str, public: bool
) -> Meeting:
    return services.plan_meeting(
        meeting=Meeting(
            committee=committee,
            start=start.replace(tzinfo=BERLIN),
            location=location,
            public=public,
            state=Meeting.State.HELD,
        ),
        actor=None,
    )


def _treat(paper: Paper, meeting: Meeting, number: str, outcome: str, *, role: str) -> None:
    item = services.add_agenda_item(
        item=AgendaItem(meeting=meeting, number=number, name=paper.name, paper=paper),
        actor=None,
    )
    consultation = paper.consultations.get(agenda_item=item)
    consultation.role, consultation.authoritative = role, role == "Entscheidung"
    consultation.save(update_fields=["role", "authoritative", "modified_at"])
    votes = (None, None, None) if outcome == Consultation.Outcome.NOTED else (None, 0, 0)
    services.record_outcome(
        consultation=consultation,
        outcome=outcome,
        votes_yes=votes[0],
        votes_no=votes[1],
        votes_abstain=votes[2],
        votes_biased=None,
        actor=None,
    )


# Attendance per meeting (present, excused): counted only; the board's members are never named.
ATTENDANCE = [(7, 2), (6, 3), (49, 8), (52, 5)]


def _documents(meetings: list[Meeting]) -> None:
    """Each demo meeting's agenda is fixed (so it has an invitation) and its attendance
    recorded (its minutes show it)."""
    for meeting, (present, excused) in zip(meetings, ATTENDANCE, strict=True):
        services.fix_agenda(meeting=meeting, actor=None)
        # Fixed two weeks before the meeting, as it was then (the demo's meetings are past).
        fixed = meeting.start - datetime.timedelta(days=14)
        wiring.update_rows(Meeting.objects.filter(pk=meeting.pk), agenda_fixed_at=fixed)
        meeting.refresh_from_db()
        services.record_attendance(
            meeting=meeting, present_count=present, excused_count=excused, actor=None
        )


def _board_agenda(first: Meeting, second: Meeting) -> None:
    topics = {
        first: [
            "Bericht zu den laufenden Aktivitäten",
            "Bericht zum Stand der Digitalisierung",
            "Anregungen zu fachspezifischen Fragen",
        ],
        second: [
            "Bericht zu den laufenden Aktivitäten",
            "Bericht zum Stand der Digitalisierung",
            "Ergebnisse der Masterarbeit",
            "Anregungen zu fachspezifischen Fragen",
        ],
    }
    for meeting, names in topics.items():
        for number, name in enumerate(names, start=1):
            services.add_agenda_item(
                item=AgendaItem(meeting=meeting, number=f"N {number}", name=name, public=False),
                actor=None,
            )
