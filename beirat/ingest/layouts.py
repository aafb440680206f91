"""The common layouts of council papers: header labels, the Beratungsfolge, the body headings.

Other cities' council information systems print the same parts under a few dozen names:
"Drucksache Nr. 0456/2023" or "Vorlage – VO/2024/0123" beside "Beschlussvorlage", a header of
labels ("Federführung:", "Betreff:", "Vorlage an:", "zur Sitzung am"), the committee route as a
table with a row per committee or a column per committee, then "Beschlussvorschlag"
(-antrag, -entwurf) and "Begründung" or "Sachverhalt". ``parse_common`` reads any of them into a
``PaperDraft``; Koblenz's own form is read by ``parse.py``. Pure functions, no database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from beirat.ingest.draft import (
    FRACTION_TYPES,
    GUESSED,
    MISSING,
    REPAIRED,
    SURE,
    Field,
    NotAPaper,
    RouteEntry,
    paragraphs,
    sections,
)
from beirat.ingest.references import FoundReference, ReferencePattern, find_reference

Confidence = Callable[[str], float]

# The kind of paper, by the words of its title; the earliest of them in the header counts.
_TYPE_WORDS = {
    "resolution_proposal": r"Beschlu(?:ss|ß)vorlage|Vorlage\s+zur\s+Beschlussfassung"
    r"|Sitzungsvorlage|Verwaltungsvorlage",
    "notice": r"Mitteilungsvorlage|Informationsvorlage|Vorlage\s+zur\s+Kenntnisnahme"
    r"|Mitteilung|Bericht\s+der\s+Verwaltung",
    "answer": r"Antwort|Beantwortung",
    "statement": r"Stellungnahme",
    "motion": r"(?:Dringlichkeits|Änderungs|Prüf|Fraktions)?[Aa]ntrag",
    "inquiry": r"(?:Große\s+|Kleine\s+)?Anfrage",
}
_TYPE = re.compile(
    "|".join(
        rf"(?P<{name}>(?<![\wäöüß])(?:{words})(?![\wäöüß]))" for name, words in _TYPE_WORDS.items()
    )
)

# Header labels and their variants. A label is followed by a colon, a tab, a bar or two spaces.
_LABELS = {
    "date": r"Datum|Erstellungsdatum|Stand|Vorlagedatum",
    "subject": r"Betreff|Betrifft|Gegenstand|Titel|Bezeichnung",
    "office": r"Federführung|Federführend(?:es\s+Amt|e\s+Stelle|er\s+Fachbereich|e\s+Dienststelle)?"
    r"|Fachbereich|Fachamt|Amt|Dienststelle|Organisationseinheit|Verfasser(?:/in|in)?"
    r"|Einbringer(?:/in)?|Vorlage\s+von|Absender(?:/in)?|Bereich",
    "originator": r"Antragsteller(?:/in|in|innen)?|Fragesteller(?:/in|in)?|Einreicher(?:/in)?"
    r"|Initiator(?:/in)?",
    "division": r"Dezernat|Geschäftsbereich",
    "file_number": r"Az\.|Aktenzeichen|Geschäftszeichen",
    "addressee": r"Vorlage\s+an|An\s+den|An\s+die|An",
    "session": r"zur(?:\s+Sitzung(?:\s+am)?)?|Sitzungstermin|Sitzungsdatum|Sitzung\s+am"
    r"|Beratung\s+am",
    "route": r"Beratungsfolge|Beratungsweg|Gremienfolge",
    "other": r"Bearbeiter(?:/in|in)?|Sachbearbeit(?:er|ung)(?:/in)?|Bearbeitung|Telefon|Tel\."
    r"|E-Mail"
    r"|Beteiligte\s+Ämter|Beteiligt|Mitzeichnung|Status|Öffentlichkeit|Vorlageart|Vorlagenart"
    r"|Anlagen?|Drucksache|Vorlage(?:\s+Nr\.?)?",
}
_LABEL_CELL = re.compile(
    r"^(?P<label>" + "|".join(f"(?P<{name}>{words})" for name, words in _LABELS.items()) + r")"
    r"\s*(?::|\t|\||\s{2,}|$|(?<=\bam)\s)\s*(?P<value>.*)$"
)
_COLON_LABEL = re.compile(r"^\s*(?:" + "|".join(_LABELS.values()) + r")\s*:")
_INNER_LABEL = re.compile(r"(?<=\S)\s+(?=(?:" + "|".join(_LABELS.values()) + r")\s*:)")
_ROUTE_START = re.compile(r"^\s*(?:" + _LABELS["route"] + r")(?![\wäöüß])")

# Body headings. Those that are also ordinary words need their colon.
_HEADINGS = {
    "decision": r"Beschluss(?:vorschlag|antrag|entwurf|empfehlung|text)"
    r"|Beschlußvorschlag|Vorschlag\s+zur\s+Beschlussfassung",
    "decision_colon": r"Antrag(?:stext)?",
    "reasoning": r"Begründung(?:\s*(?:/|und)\s*Sachverhalt)?"
    r"|Sachverhalt(?:\s*(?:/|und)\s*Begründung)?"
    r"|Sachdarstellung|Erläuterungen?|Problembeschreibung",
    "reasoning_colon": r"Inhalt|Anfrage|Mitteilung|Bericht|Antwort(?:\s+der\s+Verwaltung)?"
    r"|Stellungnahme(?:\s+der\s+Verwaltung)?",
    "financial_impact": r"Finanzielle\s+Auswirkungen|Haushaltsrechtliche\s+Auswirkungen"
    r"|Auswirkungen\s+auf\s+den\s+Haushalt|Finanzierung",
    "climate_impact": r"Auswirkungen\s+auf\s+den\s+Klimaschutz|Klimarelevanz|Klimaschutz",
    "end": r"Anlagen?|Anhang|Anlagenverzeichnis",
}
_HEADING_PREFIX = r"^[ \t]*(?:(?:[IVX]{1,4}\.|[A-F]\)|\d\.)[ \t]*)?"
_HEADING = re.compile(
    "|".join(
        _HEADING_PREFIX
        + rf"(?P<{name}>{words})"
        + (r"[ \t]*:" if name.endswith("_colon") else r"[ \t]*(?::|$)")
        for name, words in _HEADINGS.items()
    ),
    re.MULTILINE,
)
_SIGNATURE = re.compile(r"^[ \t]*(?:gez\.|i\.\s?A\.|Im Auftrag)(?:\s|$)", re.MULTILINE)

_DATE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\.[ \t]*(?:(?P<month>\d{1,2})\.[ \t]*|(?P<name>[A-ZÄ][a-zä]+)[ \t]+)"
    r"(?P<year>(?:19|20)\d{2})(?!\d)"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("Januar", "Jänner"),
            ("Februar",),
            ("März", "Maerz"),
            ("April",),
            ("Mai",),
            ("Juni",),
            ("Juli",),
            ("August",),
            ("September",),
            ("Oktober",),
            ("November",),
            ("Dezember",),
        ],
        start=1,
    )
    for name in names
}
# Cells of a table row: a tab, a bar, or two spaces and more.
_CELLS = re.compile(r"\t+|[ \t]*\|[ \t]*|[ \t]{2,}")
# The column labels of a route table and the words in its status and role cells.
_ROUTE_LABELS = {
    "committee": r"Gremium|Gremien|Beratungsfolge|Beratungsweg|Ausschuss|Ausschüsse",
    "date": r"Sitzungstermin|Sitzungsdatum|Datum|Termin|Sitzung",
    "other": r"Status|Öffentlichkeit|Zuständigkeit|Beratung|Rolle|Art|TOP|Ergebnis|Beschluss"
    r"|ö/nö|Ö/N|Beratungsart|Beratungstyp",
}
_ROUTE_LABEL = re.compile(
    "|".join(rf"(?P<{name}>^(?:{words})$)" for name, words in _ROUTE_LABELS.items())
)
_ROUTE_WORDS = {
    "ö",
    "n",
    "nö",
    "ö/n",
    "öffentlich",
    "nichtöffentlich",
    "nicht öffentlich",
    "vorberatung",
    "vorberatend",
    "entscheidung",
    "beschließend",
    "beschlussfassung",
    "kenntnisnahme",
    "zur kenntnis",
    "anhörung",
    "empfehlung",
    "beratung",
    "information",
    "vorlage",
    "erledigt",
    "geplant",
    "vertagt",
    "zurückgestellt",
}
_ARTICLE = re.compile(r"^(?:den|die|das|dem|der)\s+", re.IGNORECASE)


@dataclass
class _Header:
    """The header's labelled values, each with the line it came from."""

    values: dict[str, str]
    route_lines: range | None
    subject_lines: set[int]


def parse_common(
    text: str,
    *,
    confidence: Confidence,
    sure: float,
    patterns: Sequence[ReferencePattern],
    type_codes: Mapping[str, str],
) -> dict[str, Any]:
    """The fields, route and sections of a paper in one of the common layouts."""
    text, dates_repaired = _repair_dates(text)
    end = _header_end(text)
    lines = text[: min(end, HEADER_LIMIT)].split("\n")
    header = _read_header(lines)
    fields = _header_fields(lines, header, confidence, sure, patterns, type_codes)
    route = _route(lines, header, sure)
    fields["route"] = Field(len(route), sure if route else MISSING)
    if dates_repaired:  # which date was repaired is not kept: both are checked
        for name in ("date", "route"):
            fields[name].confidence = min(fields[name].confidence, REPAIRED)
    parts = _body_parts(text[end:])
    heading, reasoning = parts.get("reasoning", ("", ""))
    fields["body_heading"] = Field(heading, sure if heading else GUESSED)
    for name in ("recommended_resolution", "financial_impact", "climate_impact"):
        part = parts.get(name)
        value = "\n\n".join(paragraphs(part[1])) if part else None
        fields[name] = Field(value, confidence(value) if value else SURE)
    return {"fields": fields, "route": route, "sections": sections(reasoning)}


def _header_fields(
    lines: list[str],
    header: _Header,
    confidence: Confidence,
    sure: float,
    patterns: Sequence[ReferencePattern],
    type_codes: Mapping[str, str],
) -> dict[str, Field]:
    """Number, kind, subject, date, office, fraction: or NotAPaper with the reason."""
    route_lines = header.route_lines or range(0)
    outside_route = ["" if index in route_lines else line for index, line in enumerate(lines)]
    found = find_reference("\n".join(outside_route), patterns)
    if found is None:
        raise NotAPaper(
            "Keine Vorlagennummer im Kopf gefunden (z. B. AF/0013/2021, VO/2024/0123, "
            "Drucksache 0456/2023): keine Vorlage."
        )
    title_lines = "\n".join(
        line for index, line in enumerate(outside_route) if index not in header.subject_lines
    )
    fields = {"paper_type": _paper_type(found, title_lines, type_codes, sure)}
    fields.update(_reference_fields(found, fields["paper_type"], type_codes, sure))
    fields["name"] = _labelled(header, "subject", confidence)
    _refuse_a_partial_header(found, fields)
    _drop_the_number_from_values(header, found)
    fields["date"] = _paper_date(header, "\n".join(outside_route), sure)
    fields["author"] = _labelled(header, "office", confidence)
    fields["division"] = _labelled(header, "division", confidence)
    fields["file_number"] = _labelled(header, "file_number", confidence)
    fields["originator"] = _labelled(header, "originator", confidence)
    fields["responds_to"] = Field("", SURE)
    _forgive_absent_optional_fields(fields)
    return fields


def _refuse_a_partial_header(found: FoundReference, fields: dict[str, Field]) -> None:
    if fields["paper_type"].confidence != MISSING:
        return
    if not fields["name"].value:
        raise NotAPaper(
            f"„{found.text}“ steht im Text, aber weder die Art der Vorlage (Beschlussvorlage, "
            "Antrag, Anfrage …) noch ein Betreff: keine Vorlage."
        )
    raise NotAPaper(
        f"Die Art der Vorlage „{found.text}“ (Beschlussvorlage, Mitteilungsvorlage, Antrag, "
        "Anfrage …) steht nicht im Kopf; ohne sie lässt sich keine Vorlagennummer vergeben."
    )


# The header ------------------------------------------------------------------------------------


# A header is a page at most; what lies beyond this is not searched for labels and numbers,
# so that a huge file without headings costs no more than its repair.
HEADER_LIMIT = 10_000


def _header_end(text: str) -> int:
    """The header ends where the first body heading begins."""
    match = _HEADING.search(text)
    return match.start() if match else len(text)


def _read_header(lines: list[str]) -> _Header:
    values: dict[str, str] = {}
    route_lines: range | None = None
    subject_lines: set[int] = set()
    for index, line in enumerate(lines):
        if route_lines is not None and index in route_lines:
            continue
        if route_lines is None and _ROUTE_START.match(line):
            route_lines = range(index, _route_end(lines, index))
            continue
        cells = _header_cells(line)
        for cell_number, cell in enumerate(cells):
            match = _LABEL_CELL.match(cell)
            if match is None or match.lastgroup is None:
                continue
            name = next(key for key in _LABELS if match.group(key))
            value = match.group("value").strip()
            following = cells[cell_number + 1 : cell_number + 2]
            if not value and following and not _LABEL_CELL.match(following[0]):
                value = following[0]  # "Betreff:      Erweiterung …", the value in its own cell
            if name == "subject" and name not in values:
                value, used = _continued(lines, index, value)
                subject_lines.update(used)
            elif not value and cell_number == len(cells) - 1:
                value = _next_line_value(lines, index)  # "Federführend:" above its value
            if name not in values and (value or name == "subject"):
                values[name] = value
    return _Header(values, route_lines, subject_lines)


def _header_cells(line: str) -> list[str]:
    """The cells of a header line; a scan that lost the gap between two labelled cells
    ("… Klimaschutz Datum: 10.10.2023") is cut before the second label."""
    return [part.strip() for cell in _cells(line) for part in _INNER_LABEL.split(cell) if part]


def _next_line_value(lines: list[str], index: int) -> str:
    following = next((line.strip() for line in lines[index + 1 :] if line.strip()), "")
    if not following or _COLON_LABEL.match(following) or _ROUTE_START.match(following):
        return ""
    return following


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in _CELLS.split(line.strip(" |\t")) if cell.strip()]


def _continued(lines: list[str], index: int, value: str) -> tuple[str, set[int]]:
    """A subject goes on over the following lines up to a blank line or the next label."""
    parts, used = ([value] if value else []), {index}
    for number in range(index + 1, len(lines)):
        stripped = lines[number].strip(" |\t")
        if not stripped:
            if parts:
                break
            continue
        if (
            _COLON_LABEL.match(stripped)
            or _HEADING.match(stripped)
            or _ROUTE_START.match(stripped)
            or _is_label_line(stripped)
        ):
            break
        parts.append(stripped)
        used.add(number)
    return " ".join(parts), used


def _is_label_line(line: str) -> bool:
    match = _LABEL_CELL.match(_cells(line)[0])
    return bool(match and (match.group("value") or len(_cells(line)) > 1))


def _drop_the_number_from_values(header: _Header, found: FoundReference) -> None:
    """A PDF's text layer joins the left and right column of a line: "Dienststelle: Tiefbau
    DS 0230/2024". The paper's number is no part of another field."""
    for name, value in header.values.items():
        if found.text in " ".join(value.split()):
            header.values[name] = " ".join(value.split()).replace(found.text, "").strip()


def _labelled(header: _Header, name: str, confidence: Confidence) -> Field:
    value = header.values.get(name, "").strip(" |\t")
    return Field(value, confidence(value) if value else MISSING)


def _paper_type(
    found: FoundReference, header: str, type_codes: Mapping[str, str], sure: float
) -> Field:
    if found.is_native(type_codes.values()):
        by_code = {code: paper_type for paper_type, code in type_codes.items()}
        return Field(by_code[found.code], sure)
    match = _TYPE.search(header)
    if match is None or match.lastgroup is None:
        return Field("", MISSING)
    return Field(match.lastgroup, sure)


def _reference_fields(
    found: FoundReference, paper_type: Field, type_codes: Mapping[str, str], sure: float
) -> dict[str, Field]:
    """beirat's number and the number as printed (the same for a number in beirat's form)."""
    code = type_codes.get(paper_type.value or "", "")
    reference = str(found.as_reference(code)) if code else ""
    return {
        "reference": Field(reference, min(sure, paper_type.confidence) if code else MISSING),
        "source_reference": Field(found.text, sure),
    }


def _paper_date(header: _Header, text: str, sure: float) -> Field:
    labelled = header.values.get("date")
    if labelled:
        found = _first_date(labelled)
        if found:
            return Field(found, sure)
    for line in text.split("\n"):
        if _SESSION_LINE.search(line):
            continue
        found = _first_date(line)
        if found:
            return Field(found, GUESSED)
    return Field(None, MISSING)


_SESSION_LINE = re.compile(r"Sitzung|Sitzungstermin|Beratung am|zur\b", re.IGNORECASE)


def _repair_dates(text: str) -> tuple[str, bool]:
    """A scan reads the zero of a date as "O" and the one as "l" ("O9.11.2023")."""
    repaired = _OCR_DATE.sub(lambda match: match.group(0).translate(_OCR_DIGITS), text)
    return repaired, repaired != text


_OCR_DATE = re.compile(r"(?<![\w.])[\dOoIl]{1,2}\.[\dOoIl]{1,2}\.[\dOoIl]{4}(?![\w.])")
_OCR_DIGITS = str.maketrans("OoIl", "0011")


def _first_date(text: str) -> datetime.date | None:
    for match in _DATE.finditer(text):
        month = (
            int(match.group("month")) if match.group("month") else _MONTHS.get(match.group("name"))
        )
        if month is None:
            continue
        try:
            return datetime.date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            continue
    return None


def _forgive_absent_optional_fields(fields: dict[str, Field]) -> None:
    """An Aktenzeichen, a Dezernat and a fraction are often not given; a fraction's motion or
    inquiry has no office."""
    optional = {"file_number", "division", "originator"}
    if fields["paper_type"].value in FRACTION_TYPES:
        optional.add("author")
    for name in optional:
        if not fields[name].value:
            fields[name] = Field("", SURE)


# The route -------------------------------------------------------------------------------------


def _route_end(lines: list[str], start: int) -> int:
    """The route table runs up to the next labelled line or blank line after its rows."""
    seen_row = False
    for index in range(start + 1, len(lines)):
        line = lines[index].strip()
        if not line:
            if seen_row:
                return index
            continue
        first = _cells(line)[0].rstrip(":")
        if _ROUTE_LABEL.match(first):
            seen_row = True
            continue
        if _COLON_LABEL.match(line) or _TYPE.match(line):
            return index
        seen_row = True
    return len(lines)


def _route(lines: list[str], header: _Header, sure: float) -> list[RouteEntry]:
    if header.route_lines is not None:
        rows = [_cells(lines[index]) for index in header.route_lines]
        rows = [row for row in rows if row]
        transposed = _transposed_route(rows)
        return transposed if transposed is not None else _row_route(rows)
    return _addressed_route(header)


def _transposed_route(rows: list[list[str]]) -> list[RouteEntry] | None:
    """A column per committee: a row of committees, a row of dates, perhaps a row of status,
    each led by its label."""
    labelled: dict[str, list[str]] = {}
    for row in rows:
        label = _ROUTE_LABEL.match(row[0].rstrip(":"))
        if label is not None and label.lastgroup and len(row) > 1:
            labelled.setdefault(label.lastgroup, row[1:])
    committees, dates = labelled.get("committee"), labelled.get("date")
    if not committees or not dates or not any(_first_date(cell) for cell in dates):
        return None
    if any(_ROUTE_LABEL.match(cell.rstrip(":")) for cell in committees):
        return None  # the header row of a table with a row per committee
    status = labelled.get("other", [])
    return [
        _entry(
            committee,
            _first_date(dates[index]) if index < len(dates) else None,
            status[index] if index < len(status) else "",
        )
        for index, committee in enumerate(committees)
    ]


def _row_route(rows: list[list[str]]) -> list[RouteEntry]:
    """A row per committee: its name, a date, status and role cells in any order."""
    entries = []
    for row in rows:
        row = [part.strip() for cell in row for part in _split_date(cell) if part.strip()]
        if all(_ROUTE_LABEL.match(cell.rstrip(":")) for cell in row):
            continue  # the table's header row
        names = [cell for cell in row if _is_committee_cell(cell)]
        date = next((found for cell in row if (found := _first_date(cell))), None)
        if not names or (date is None and len(row) < 2):
            continue
        entries.append(_entry(names[0], date, " ".join(row)))
    return entries


def _split_date(cell: str) -> list[str]:
    """ "20.02.2024 Bauausschuss" (one space between) into the date and the name."""
    match = _DATE.search(cell)
    if match is None:
        return [cell]
    return [cell[: match.start()], match.group(0), cell[match.end() :]]


def _is_committee_cell(cell: str) -> bool:
    lowered = cell.lower().strip(" :")
    return (
        bool(re.search(r"[A-Za-zÄÖÜäöüß]{3}", cell))
        and _first_date(cell) is None
        and lowered not in _ROUTE_WORDS
        and _ROUTE_LABEL.match(cell.rstrip(":")) is None
        and not re.fullmatch(r"(?:TOP\s*)?[ÖN]?\s?\d+(?:\.\d+)*[a-z]?", cell)
    )


def _entry(committee: str, date: datetime.date | None, row: str) -> RouteEntry:
    lowered = f" {row.lower()} "
    public: bool | None = None
    if re.search(r"\b(?:nö|n|nichtöffentlich|nicht öffentlich)\b", lowered):
        public = False
    elif re.search(r"(?:^|\s)(?:ö|öffentlich)(?:\s|$)", lowered):
        public = True
    return RouteEntry(
        date=date, committee=_committee_name(committee), outcome="", agenda_number="", public=public
    )


def _committee_name(cell: str) -> str:
    """A PDF's text layer joins a row's cells with single spaces: the status before the name
    and the role after it ("Ö … Ausschuss für Umwelt Vorberatung") are dropped."""
    words = _ARTICLE.sub("", cell.strip()).split()
    while words and words[0].lower() in _ROUTE_WORDS:
        words.pop(0)
    while words and words[-1].lower() in _ROUTE_WORDS:
        words.pop()
    return " ".join(words)


def _addressed_route(header: _Header) -> list[RouteEntry]:
    """No table: "Vorlage an: Stadtrat" with "zur Sitzung am 12.06.2024" or "Sitzungstermin"."""
    addressee = header.values.get("addressee", "")
    if not addressee:
        return []
    session = header.values.get("session", "")
    committee = re.split(r"[,;(]| zur | am ", addressee)[0].strip()
    return [_entry(committee, _first_date(session) or _first_date(addressee), session)]


# The body --------------------------------------------------------------------------------------


def _body_parts(body: str) -> dict[str, tuple[str, str]]:
    """Each known part of the body: its heading as printed and its text, up to the next
    heading or a signature. A second reasoning part ("Sachverhalt" after "Begründung") is
    kept with its heading; of other kinds the first counts."""
    found = list(_HEADING.finditer(body))
    parts: dict[str, tuple[str, str]] = {}
    for index, match in enumerate(found):
        group = match.lastgroup or ""
        stop = found[index + 1].start() if index + 1 < len(found) else len(body)
        text = body[match.end() : stop]
        signature = _SIGNATURE.search(text)
        if signature:
            text = text[: signature.start()]
        kind = group.removesuffix("_colon")
        name = "recommended_resolution" if kind == "decision" else kind
        heading = " ".join(match.group(group).split()) + ":"
        if name == "end":
            continue
        if name in parts:
            if name == "reasoning":
                first_heading, first_text = parts[name]
                parts[name] = (first_heading, f"{first_text}\n\n{heading}\n{text}")
            continue
        parts[name] = (heading, text)
    return parts
