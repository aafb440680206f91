"""Text of a council paper → a ``PaperDraft`` (pure functions, no database).

``parse`` repairs the text, then reads it by its layout: Koblenz's form (below) when the text
has its Gremienweg box or its title line, else the common layouts of other council information
systems (``layouts.py``).

Koblenz's form, as in both seeds: the title line ("Antwort zur Anfrage Nr.
AF/0013/2021", "Stellungnahme zum Antrag Nr. AT/0080/2025"), the header (Vorlage, Datum,
Dezernat, Verfasser, Az., Betreff), the Gremienweg box, the body heading, an introduction,
numbered questions or points with their answers ("Antwort zu 1. …:"), and the closing sections
(Klimaschutz, Finanzielle Auswirkungen, Beschlussempfehlung). Every field carries a confidence;
fields the scan had to repair, or that were not found, ask a clerk to confirm them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from beirat.council.numbering import DEFAULT_TYPE_CODES
from beirat.ingest.draft import (
    FRACTION_TYPES,
    GUESSED,
    MISSING,
    READ,
    REPAIRED,
    SURE,
    Field,
    NotAPaper,
    PaperDraft,
    RouteEntry,
    SectionDraft,
    normalise,
    paragraphs,
    sections,
)
from beirat.ingest.layouts import parse_common
from beirat.ingest.references import DEFAULT_PATTERNS, ReferencePattern, compile_patterns
from beirat.ingest.repair import repair

__all__ = ["Field", "NotAPaper", "PaperDraft", "RouteEntry", "SectionDraft", "parse"]

_REFERENCE = r"[A-Z]{2,4}/\d{1,5}/\d{4}"
_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}"
_TITLE = re.compile(
    rf"(?P<kind>Antwort\s+zur\s+Anfrage|Stellungnahme\s+zum\s+Antrag)\s+Nr\.\s*(?P<ref>{_REFERENCE})"
)
_FIELDS = {
    "reference": re.compile(rf"Vorlage:\s*(?P<value>{_REFERENCE})"),
    "date": re.compile(rf"Datum:\s*(?P<value>{_DATE})"),
    "division": re.compile(r"(?P<value>Dezernat\s+\d+)"),
    "author": re.compile(r"Verfasser:[\s|]*(?P<value>[^|\t\n]*?)[\s|]*(?:(?i:Az)\.|\n|$)"),
    "file_number": re.compile(r"(?i:Az)\.:[ \t|]*(?P<value>[^\n|\t]*)"),
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


_KOBLENZ_FORM = re.compile(r"^Gremienweg:", re.MULTILINE)


def parse(
    text: str,
    *,
    scanned: bool = False,
    patterns: Sequence[ReferencePattern] | None = None,
    type_codes: Mapping[str, str] | None = None,
) -> PaperDraft:
    """``patterns``: how the city's paper numbers look (default: ``DEFAULT_PATTERNS``);
    ``type_codes``: the city's codes per paper type (default: Koblenz's)."""
    original = text
    repaired = repair(normalise(text))
    text = repaired.text
    repaired_words = {change.repaired for change in repaired.changes}
    sure = READ if scanned else SURE  # read by OCR: right by its pattern, not proofread

    def confidence(value: str) -> float:
        return REPAIRED if any(word in value for word in repaired_words) else sure

    codes = {**DEFAULT_TYPE_CODES, **(type_codes or {})}
    if _KOBLENZ_FORM.search(text) or _TITLE.search(text[:2000]):
        parts = _parse_koblenz(text, confidence, sure, codes)
    else:
        parts = parse_common(
            text,
            confidence=confidence,
            sure=sure,
            patterns=patterns or compile_patterns(DEFAULT_PATTERNS),
            type_codes=codes,
        )
    return PaperDraft(
        fields=parts["fields"],
        route=parts["route"],
        sections=parts["sections"],
        original_text=original,
        repaired_text=text,
        repairs=[(change.original, change.repaired) for change in repaired.changes],
    )


def _parse_koblenz(
    text: str, confidence: Any, sure: float, codes: Mapping[str, str]
) -> dict[str, Any]:
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
    fields["source_reference"] = Field(reference, fields["reference"].confidence)
    fields["paper_type"] = _paper_type(reference, title, codes)
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
    return {"fields": fields, "route": route, "sections": sections(main)}


def _forgive_absent_optional_fields(fields: dict[str, Field]) -> None:
    """An Aktenzeichen is often left empty; a fraction's inquiry or motion has no Dezernat and
    no Verfasser. Their absence is no reason for a review."""
    optional = {"file_number"}
    if fields["paper_type"].value in FRACTION_TYPES:
        optional |= {"division", "author"}
    for name in optional:
        if not fields[name].value:
            fields[name] = Field("", SURE)


def _split_at(text: str, pattern: re.Pattern[str]) -> tuple[str, str]:
    match = pattern.search(text)
    return (text[: match.start()], text[match.start() :]) if match else (text, "")


def _paper_type(reference: str, title: re.Match[str] | None, by_type: Mapping[str, str]) -> Field:
    codes = {code: paper_type for paper_type, code in by_type.items()}
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
        value = "\n\n".join(paragraphs(body[end:stop]))
        fields[name] = Field(value, confidence(value) if value else SURE)
    main = body[: found[0][0]] if found else body
    return main, fields
