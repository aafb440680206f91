"""Text of a council paper → a ``PaperDraft`` (pure functions, no database).

Knows the layout of Koblenz's papers in both seeds: the title line ("Antwort zur Anfrage Nr.
AF/0013/2021", "Stellungnahme zum Antrag Nr. AT/0080/2025"), the header (Vorlage, Datum,
Dezernat, Verfasser, Az., Betreff), the Gremienweg box, the body heading, an introduction,
numbered questions or points with their answers ("Antwort zu 1. …:"), and the closing sections
(Klimaschutz, Finanzielle Auswirkungen, Beschlussempfehlung). Every field carries a confidence;
fields the scan had to repair, or that were not found, ask a clerk to confirm them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from beirat.council.numbering import DEFAULT_TYPE_CODES
from beirat.ingest.repair import join_broken_words, repair

REVIEW_BELOW = 0.8
FRACTION_TYPES = ("inquiry", "motion")  # written by a fraction, not by an office
SHORT_LINE = 0.8  # of the longest line of its block
SURE, READ, REPAIRED, GUESSED, MISSING = 1.0, 0.9, 0.7, 0.5, 0.0

_REFERENCE = r"[A-Z]{2,4}/\d{1,5}/\d{4}"
_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}"
_TITLE = re.compile(
    rf"(?P<kind>Antwort\s+zur\s+Anfrage|Stellungnahme\s+zum\s+Antrag)\s+Nr\.\s*(?P<ref>{_REFERENCE})"
)
_FIELDS = {
    "reference": re.compile(rf"Vorlage:\s*(?P<value>{_REFERENCE})"),
    "date": re.compile(rf"Datum:\s*(?P<value>{_DATE})"),
    "division": re.compile(r"(?P<value>Dezernat\s+\d+)"),
    "author": re.compile(r"Verfasser:[\s|]*(?P<value>[^|\t\n]*?)[\s|]*(?:Az\.|\n|$)"),
    "file_number": re.compile(r"Az\.:[ \t|]*(?P<value>[^\n|\t]*)"),
}
_ORIGINATOR = re.compile(r"(?:Anfrage|Antrag)\s+der\s+(?P<value>[\w.-]*(?:Fraktion|fraktion)\b)")
_CLOSING = {
    "climate_impact": re.compile(r"^Auswirkungen auf den Klimaschutz:\s*$", re.MULTILINE),
    "financial_impact": re.compile(r"^Finanzielle Auswirkungen:\s*$", re.MULTILINE),
    "recommended_resolution": re.compile(r"^Beschlussempfehlung:\s*$", re.MULTILINE),
}
_BODY_HEADING = re.compile(
    r"^(?P<value>(?:Antwort zur Anfrage|Stellungnahme|Begründung|Sachverhalt|Antrag|Anfrage)"
    r"[^\n]{0,40}:)\s*$",
    re.MULTILINE,
)
_ITEM = re.compile(r"^\s*(?P<number>\d{1,2})\.\s+(?P<rest>\S.*)", re.DOTALL)
_ANSWER_HEADING = re.compile(
    r"^(?P<heading>Antwort zu (?P<number>\d{1,2})\.[^\n]*?:)\s*(?P<rest>.*)", re.DOTALL
)
_OUTCOME_WORDS = {
    "einstimmig",
    "mehrheitl.",
    "abgelehnt",
    "Kenntnis",
    "verwiesen",
    "vertagt",
    "abgesetzt",
    "geändert",
    "ohne",
    "TOP",
    "öffentlich",
    "Enthaltungen",
}
# "AW/0011/2021 Seite 2 von 2" at the foot of a printed page.
_PAGE_FOOTER = re.compile(r"^[^\n]{0,40}Seite \d+ von \d+[ \t]*$", re.MULTILINE)
# A numbered point or an answer heading starts a block even without a blank line before it.
_BLOCK_START = re.compile(r"\n(?=\s*\d{1,2}\.\s|Antwort zu \d)")
_OUTCOMES = {
    "einstimmig": "unanimous",
    "mehrheitl": "majority",
    "abgelehnt": "rejected",
    "Kenntnis": "noted",
    "verwiesen": "referred",
    "vertagt": "postponed",
    "abgesetzt": "removed",
    "geändert": "amended",
    "ohne BE": "without_discussion",
}


@dataclass
class Field:
    value: Any
    confidence: float
    note: str = ""

    @property
    def needs_review(self) -> bool:
        return self.confidence < REVIEW_BELOW


@dataclass
class RouteEntry:
    date: datetime.date | None
    committee: str
    outcome: str
    agenda_number: str
    public: bool | None


@dataclass
class SectionDraft:
    kind: str
    number: str = ""
    question: str = ""
    heading: str = ""
    text: str = ""


@dataclass
class PaperDraft:
    fields: dict[str, Field]
    route: list[RouteEntry] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    original_text: str = ""
    repaired_text: str = ""
    repairs: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.value if found else None

    @property
    def needs_review(self) -> list[str]:
        return [name for name, found in self.fields.items() if found.needs_review]


class NotAPaper(Exception):
    """The text has no paper number and no known title: not a council paper."""


def parse(text: str, *, scanned: bool = False) -> PaperDraft:
    original = text
    repaired = repair(_normalise(text))
    text = repaired.text
    repaired_words = {change.repaired for change in repaired.changes}
    sure = READ if scanned else SURE  # read by OCR: right by its pattern, not proofread

    def confidence(value: str) -> float:
        return REPAIRED if any(word in value for word in repaired_words) else sure

    header, rest = _split_at(text, re.compile(r"^Gremienweg:", re.MULTILINE))
    fields: dict[str, Field] = {}
    title = _TITLE.search(header)
    for name, pattern in _FIELDS.items():
        match = pattern.search(header)
        value = match.group("value").strip() if match else ""
        fields[name] = Field(value, confidence(value) if match else MISSING)
    if not fields["reference"].value and title is None:
        raise NotAPaper("Keine Vorlagennummer und kein bekannter Titel: keine Vorlage.")
    reference = fields["reference"].value or ""
    fields["paper_type"] = _paper_type(reference, title)
    _forgive_absent_optional_fields(fields)
    fields["date"] = _as_date(fields["date"])
    fields["name"] = _subject(header, confidence)
    fields["responds_to"] = Field(title.group("ref"), sure) if title else Field("", SURE)
    originator = _ORIGINATOR.search(fields["name"].value or "")
    fields["originator"] = Field(originator.group("value") if originator else "", sure)
    route_text, body = _split_at(rest, _BODY_HEADING)
    route, route_confidence = _route(route_text, sure)
    fields["route"] = Field(len(route), route_confidence)
    heading = _BODY_HEADING.search(body)
    fields["body_heading"] = Field(
        heading.group("value") if heading else "", sure if heading else GUESSED
    )
    main, closing = _closing_sections(body[heading.end() :] if heading else body, confidence)
    fields.update(closing)
    return PaperDraft(
        fields=fields,
        route=route,
        sections=_sections(main),
        original_text=original,
        repaired_text=text,
        repairs=[(change.original, change.repaired) for change in repaired.changes],
    )


def _forgive_absent_optional_fields(fields: dict[str, Field]) -> None:
    """An Aktenzeichen is often left empty; a fraction's inquiry or motion has no Dezernat and
    no Verfasser. Their absence is no reason for a review."""
    optional = {"file_number"}
    if fields["paper_type"].value in FRACTION_TYPES:
        optional |= {"division", "author"}
    for name in optional:
        if not fields[name].value:
            fields[name] = Field("", SURE)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00ad", "")
    text = re.sub(r"<input[^>]*>", "", text)  # the checkbox markup of the city's forms
    text = re.sub(r" — | —\n|\n— ", lambda m: m.group(0).replace("—", "–"), text)
    text = re.sub(r"^— ", "– ", text, flags=re.MULTILINE)
    text = _PAGE_FOOTER.sub("", text)
    return join_broken_words(text)


def _split_at(text: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    match = pattern.search(text)
    return (text[: match.start()], text[match.start() :]) if match else (text, "")


def _paper_type(reference: str, title: re.Match[str] | None) -> Field:
    codes = {code: paper_type for paper_type, code in DEFAULT_TYPE_CODES.items()}
    code = reference.split("/", 1)[0] if reference else ""
    if code in codes:
        return Field(codes[code], SURE)
    if title is not None:
        guessed = "answer" if title.group("kind").startswith("Antwort") else "statement"
        return Field(guessed, GUESSED)
    return Field("", MISSING)


def _as_date(found: Field) -> Field:
    try:
        value = datetime.datetime.strptime(found.value, "%d.%m.%Y").date()
    except (TypeError, ValueError):
        return Field(None, MISSING)
    return Field(value, found.confidence)


def _subject(header: str, confidence: Any) -> Field:
    match = re.search(r"Betreff:(?P<value>.*)", header, re.DOTALL)
    if match is None:
        return Field("", MISSING)
    lines = [line.strip(" \t|") for line in match.group("value").split("\n")]
    value = " ".join(line for line in lines if line)
    return Field(value, confidence(value) if value else MISSING)


# The Gremienweg ------------------------------------------------------------------------------


def _route(text: str, sure: float) -> tuple[list[RouteEntry], float]:
    """One entry per date in the box. A year cut off at the box's edge ("26.06.202" with the
    "5" on the next line) is put together again, at lower confidence."""
    entries, confidence = [], sure
    lines = [line for line in text.split("\n")[1:] if line.strip()]
    for index, line in enumerate(lines):
        match = re.search(r"(\d{1,2}\.\d{1,2}\.)(\d{2,4})", line)
        if match is None:
            continue
        year = match.group(2)
        if len(year) == 3 and index + 1 < len(lines):
            following = re.match(r"\s*(\d)\b", lines[index + 1])
            if following:
                year, confidence = year + following.group(1), min(confidence, REPAIRED)
        try:
            date = datetime.datetime.strptime(match.group(1) + year, "%d.%m.%Y").date()
        except ValueError:
            date, confidence = None, MISSING
        following_dates = [
            number
            for number in range(index + 1, len(lines))
            if re.search(r"\d{1,2}\.\d{1,2}\.\d{2,4}", lines[number])
        ]
        box = "\n".join(lines[index : following_dates[0] if following_dates else len(lines)])
        entries.append(
            RouteEntry(
                date=date,
                committee=_committee(line[match.end() :]),
                outcome=_ticked_outcome(box),
                agenda_number=_agenda_number(box),
                public=_public(box),
            )
        )
    return entries, confidence if entries else MISSING


def _committee(cells: str) -> str:
    """The committee's name after the date: its words, up to the first checkbox or label."""
    words = []
    for word in re.split(r"[\s|]+", cells.strip(" |\t")):
        if not word:
            continue
        if not re.fullmatch(r"[A-Za-zÄÖÜäöüß][\wÄÖÜäöüß.-]*", word) or word in _OUTCOME_WORDS:
            break
        words.append(word)
    return " ".join(words)


def _ticked_outcome(box: str) -> str:
    """An outcome counts only when its box is marked (☒, [x], X before it)."""
    for label, outcome in _OUTCOMES.items():
        if re.search(rf"(?:☒|☑|\[[xX]\]|\b[xX]\s)\s*{re.escape(label)}", box):
            return outcome
    return ""


def _agenda_number(box: str) -> str:
    match = re.search(r"TOP[\s|:]*(?P<value>[ÖN]?\s?\d+[a-z]?)", box)
    return match.group("value").strip() if match else ""


def _public(box: str) -> bool | None:
    if re.search(r"nicht\s+öffentlich", box):
        return False
    return True if "öffentlich" in box else None


# Body ----------------------------------------------------------------------------------------


def _closing_sections(body: str, confidence: Any) -> tuple[str, dict[str, Field]]:
    """The body up to the first closing section, and each closing section's text: None when
    the paper does not have it, "" when it has the heading without text."""
    found = sorted(
        (match.start(), match.end(), name)
        for name, pattern in _CLOSING.items()
        if (match := pattern.search(body))
    )
    fields = {name: Field(None, SURE) for name in _CLOSING}
    for index, (_start, end, name) in enumerate(found):
        stop = found[index + 1][0] if index + 1 < len(found) else len(body)
        value = "\n\n".join(_paragraphs(body[end:stop]))
        fields[name] = Field(value, confidence(value) if value else SURE)
    main = body[: found[0][0]] if found else body
    return main, fields


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, lines joined; a paragraph that stops mid-sentence (a
    scan's stray blank line) is joined with the next."""
    raw = []
    for block in re.split(r"\n\s*\n", text):
        for part in _BLOCK_START.split(block):
            raw += _lines_to_paragraphs([line.strip() for line in part.split("\n") if line.strip()])
    joined: list[str] = []
    for block in raw:
        starts_new = _ITEM.match(block) or _ANSWER_HEADING.match(block)
        if joined and not starts_new and not joined[-1].endswith((".", "?", "!", ":", ",")):
            joined[-1] = f"{joined[-1]} {block}"
        else:
            joined.append(block)
    return joined


def _lines_to_paragraphs(lines: list[str]) -> list[str]:
    """Lines of one block into paragraphs. A PDF's text layer has no blank lines: a line that
    ends a sentence well before the right margin ends its paragraph."""
    if not lines:
        return []
    margin = max(len(line) for line in lines)
    paragraphs, current = [], []
    for line in lines:
        current.append(line)
        # A question or a colon ends its paragraph; a full stop only well before the margin.
        ends = line.endswith(("?", ":")) or (
            line.endswith((".", "!")) and len(line) < SHORT_LINE * margin
        )
        if ends:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _sections(body: str) -> list[SectionDraft]:
    sections: list[SectionDraft] = []
    introduction: list[str] = []
    current: SectionDraft | None = None
    answer: list[str] = []
    for block in _paragraphs(body):
        item = _ITEM.match(block)
        expected = str(len(sections) + (2 if current is not None else 1))
        if item and item.group("number") == expected:
            _finish(current, answer, sections)
            current, answer = SectionDraft("item", number=expected, question=item.group("rest")), []
            continue
        heading = _ANSWER_HEADING.match(block)
        if current is not None and heading and heading.group("number") == current.number:
            current.heading = heading.group("heading")
            if heading.group("rest").strip():
                answer.append(heading.group("rest").strip())
        elif current is not None:
            answer.append(block)
        else:
            introduction.append(block)
    _finish(current, answer, sections)
    if introduction:
        sections.insert(0, SectionDraft("introduction", text="\n\n".join(introduction)))
    return sections


def _finish(current: SectionDraft | None, answer: list[str], sections: list[SectionDraft]) -> None:
    if current is not None:
        current.text = "\n\n".join(answer)
        sections.append(current)
