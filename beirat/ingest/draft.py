"""What a parsed paper is (``PaperDraft``) and the text helpers every layout shares.

Pure functions, no database. ``parse.py`` decides the layout; ``parse.py`` (Koblenz's form) and
``layouts.py`` (the common council information systems) fill a draft.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from beirat.ingest.repair import join_broken_words

REVIEW_BELOW = 0.8
FRACTION_TYPES = ("inquiry", "motion")  # written by a fraction, not by an office
SHORT_LINE = 0.8  # of the longest line of its block
SURE, READ, REPAIRED, GUESSED, MISSING = 1.0, 0.9, 0.7, 0.5, 0.0

ITEM = re.compile(r"^\s*(?P<number>\d{1,2})\.\s+(?P<rest>\S.*)", re.DOTALL)
ANSWER_HEADING = re.compile(
    r"^(?P<heading>Antwort zu (?P<number>\d{1,2})\.[^\n]*?:)\s*(?P<rest>.*)", re.DOTALL
)
# "AW/0011/2021 Seite 2 von 2" at the foot of a printed page.
_PAGE_FOOTER = re.compile(r"^[^\n]{0,40}Seite \d+ von \d+[ \t]*$", re.MULTILINE)
# A numbered point or an answer heading starts a block even without a blank line before it.
_BLOCK_START = re.compile(r"\n(?=\s*\d{1,2}\.\s|Antwort zu \d)")


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


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00ad", "")
    text = re.sub(r"<input[^>]*>", "", text)  # the checkbox markup of the city's forms
    text = re.sub(r" — | —\n|\n— ", lambda m: m.group(0).replace("—", "–"), text)
    text = re.sub(r"^— ", "– ", text, flags=re.MULTILINE)
    text = _PAGE_FOOTER.sub("", text)
    return join_broken_words(text)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, lines joined; a paragraph that stops mid-sentence (a
    scan's stray blank line) is joined with the next."""
    raw = []
    for block in re.split(r"\n\s*\n", text):
        for part in _BLOCK_START.split(block):
            raw += _lines_to_paragraphs([line.strip() for line in part.split("\n") if line.strip()])
    joined: list[str] = []
    for block in raw:
        starts_new = ITEM.match(block) or ANSWER_HEADING.match(block)
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
    found, current = [], []
    for line in lines:
        current.append(line)
        # A question or a colon ends its paragraph; a full stop only well before the margin.
        ends = line.endswith(("?", ":")) or (
            line.endswith((".", "!")) and len(line) < SHORT_LINE * margin
        )
        if ends:
            found.append(" ".join(current))
            current = []
    if current:
        found.append(" ".join(current))
    return found


def sections(body: str) -> list[SectionDraft]:
    """An introduction, then numbered questions or points with their answers."""
    found: list[SectionDraft] = []
    introduction: list[str] = []
    current: SectionDraft | None = None
    answer: list[str] = []
    for block in paragraphs(body):
        item = ITEM.match(block)
        expected = str(len(found) + (2 if current is not None else 1))
        if item and item.group("number") == expected:
            _finish(current, answer, found)
            current, answer = SectionDraft("item", number=expected, question=item.group("rest")), []
            continue
        heading = ANSWER_HEADING.match(block)
        if current is not None and heading and heading.group("number") == current.number:
            current.heading = heading.group("heading")
            if heading.group("rest").strip():
                answer.append(heading.group("rest").strip())
        elif current is not None:
            answer.append(block)
        else:
            introduction.append(block)
    _finish(current, answer, found)
    if introduction:
        found.insert(0, SectionDraft("introduction", text="\n\n".join(introduction)))
    return found


def _finish(current: SectionDraft | None, answer: list[str], found: list[SectionDraft]) -> None:
    if current is not None:
        current.text = "\n\n".join(answer)
        found.append(current)
