"""A deterministic generator of German-like council papers for benchmarks.

The same seed gives the same corpus on every machine. Subjects and texts are assembled from the
vocabulary of real council papers (the seeds among them), with realistic lengths, so search,
list and API benchmarks work on data that looks like a city's archive. Rows are written with
bulk_create in batches: building a million papers takes minutes, not hours.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.db import connection, transaction

from beirat.council.models import Consultation, Paper, PaperSection
from beirat.directory.models import Body, Committee
from benchmarks import vocabulary

SUBJECT_OPENERS = [
    "Antrag der",
    "Anfrage der",
    "Stellungnahme zum Antrag der",
    "Antwort zur Anfrage der",
    "Beschlussvorlage:",
    "Mitteilung:",
]
ORIGINATORS = [
    "CDU-Ratsfraktion",
    "FDP-Fraktion",
    "SPD-Ratsfraktion",
    "Fraktion Bündnis 90/Die Grünen",
    "Freie Wähler",
    "Die Linke",
]
TOPICS = [
    "Digitalisierung der Verwaltung",
    "Parkplatz-App mit Echtzeitbelegung",
    "Smart-City-Strategie",
    "Glasfaserausbau in den Stadtteilen",
    "Onlinezugangsgesetz",
    "Open Data Portal",
    "Kooperation mit IT.Stadt Koblenz e.V.",
    "WLAN in Schulen",
    "Bürgerservice online",
    "Digitale Ratsarbeit",
    "Fördermittelmanagement",
    "Start-Up-League",
    "Radverkehrsförderung",
    "Klimaschutzkonzept",
    "Sanierung der Rheinanlagen",
    "Haushaltssatzung",
    "Stadtbücherei",
    "Digitalbeirat",
    "Mobilitätsdaten",
    "E-Akte",
]
SENTENCES = [
    "Die Verwaltung wird beauftragt, die Möglichkeiten einer Umsetzung zu prüfen.",
    "Die Maßnahme ist im Haushalt nicht veranschlagt.",
    "Eine Zusammenarbeit mit den Hochschulen der Region erscheint sinnvoll.",
    "Der Digitalbeirat wurde um eine fachliche Stellungnahme gebeten.",
    "Die finanziellen Auswirkungen werden im weiteren Verfahren dargestellt.",
    "Auswirkungen auf den Klimaschutz sind nicht zu erwarten.",
    "Die Stadt ist bereits Mitglied im Verein und in den Netzwerken vertreten.",
    "Das Amt für Wirtschaftsförderung koordiniert die Abstimmung mit den Kammern.",
    "Die Umsetzung erfolgt schrittweise ab dem kommenden Haushaltsjahr.",
]
TYPES = [
    Paper.Type.MOTION,
    Paper.Type.INQUIRY,
    Paper.Type.STATEMENT,
    Paper.Type.ANSWER,
    Paper.Type.RESOLUTION_PROPOSAL,
    Paper.Type.NOTICE,
]
CODES = {
    Paper.Type.MOTION: "AT",
    Paper.Type.INQUIRY: "AF",
    Paper.Type.STATEMENT: "ST",
    Paper.Type.ANSWER: "AW",
    Paper.Type.RESOLUTION_PROPOSAL: "BV",
    Paper.Type.NOTICE: "MI",
}
BATCH = 5000


def _papers(body: Body, count: int, seed: int) -> Iterator[Paper]:
    rng = random.Random(seed)
    sequences: dict[tuple[str, int], int] = {}
    start = datetime.date(2000, 1, 1)
    for index in range(count):
        paper_type = TYPES[rng.randrange(len(TYPES))]
        date = start + datetime.timedelta(days=index * 9000 // max(count, 1))
        code = CODES[paper_type]
        sequence = sequences.get((code, date.year), 0) + 1
        sequences[(code, date.year)] = sequence
        subject = (
            f"{SUBJECT_OPENERS[rng.randrange(len(SUBJECT_OPENERS))]} "
            f"{ORIGINATORS[rng.randrange(len(ORIGINATORS))]}: "
            f"{TOPICS[rng.randrange(len(TOPICS))]}"
        )
        yield Paper(
            body=body,
            paper_type=paper_type,
            status=Paper.Status.PUBLISHED,
            reference=f"{code}/{sequence:04d}/{date.year}",
            type_code=code,
            sequence=sequence,
            year=date.year,
            date=date,
            name=subject,
            recommended_resolution=" ".join(rng.choice(SENTENCES) for _ in range(3)),
        )


def generate(*, papers: int, seed: int = 2021, sections: bool = False) -> Body:
    """Create a city with ``papers`` published papers, each with one committee-route row.

    ``sections`` also gives every paper a realistic body (benchmarks.vocabulary): 1–4 sections
    of about 300 words in all. The papers themselves are the same either way, so the OParl
    benchmark's corpus does not change.
    """
    with transaction.atomic():
        body = Body.objects.create(name=f"Benchmarkstadt {seed}", short_name="Benchmark")
        council = Committee.objects.create(
            body=body, kind=Committee.Kind.COUNCIL, name="Stadtrat", slug=f"stadtrat-{seed}"
        )
    texts = vocabulary.Writer(seed) if sections else None
    batch: list[Paper] = []
    for paper in _papers(body, papers, seed):
        batch.append(paper)
        if len(batch) == BATCH:
            _write(batch, council, texts)
            batch = []
    if batch:
        _write(batch, council, texts)
    return body


def _write(batch: list[Paper], council: Committee, texts: vocabulary.Writer | None) -> None:
    with transaction.atomic():
        created = Paper.objects.bulk_create(batch)
        if created and created[0].pk is None:  # databases that do not return keys
            references = [paper.reference for paper in batch]
            created = list(Paper.objects.filter(reference__in=references, body=batch[0].body))
        Consultation.objects.bulk_create(
            Consultation(
                paper=paper,
                committee=council,
                position=1,
                planned_date=paper.date,
                role="Entscheidung",
            )
            for paper in created
        )
        if texts is not None:
            _write_sections(created, texts)


SECTION_COLUMNS = ("paper_id", "position", "kind", "number", "question", "heading", "text")


def _write_sections(papers: list[Paper], texts: vocabulary.Writer) -> None:
    """Plain INSERTs: a million papers have three million sections, and model instances cost
    more than writing the rows. Kinds are PaperSection.Kind values."""
    rows = [
        (
            paper.pk,
            position,
            PaperSection.Kind(fields["kind"]).value,
            fields["number"],
            fields["question"],
            fields["heading"],
            fields["text"],
        )
        for paper in papers
        for position, fields in enumerate(texts.sections(paper), start=1)
    ]
    table = connection.ops.quote_name(PaperSection._meta.db_table)
    columns = ", ".join(SECTION_COLUMNS)
    marks = ", ".join(["%s"] * len(SECTION_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
