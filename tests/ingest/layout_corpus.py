"""The layout corpus (tests/ingest/corpus): papers in the layouts of other council information
systems, written for these tests, each with its expected fields in a JSON file beside it.

``measure`` compares what the parser reads with what a clerk would enter, field by field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beirat.ingest.draft import PaperDraft
from beirat.ingest.parse import parse
from beirat.ingest.references import DEFAULT_PATTERNS, compile_patterns

CORPUS = Path(__file__).parent / "corpus"
SIDECAR_KEYS = {
    "reference",  # as printed
    "beirat_reference",  # what beirat numbers the paper
    "paper_type",
    "name",
    "date",
    "office",
    "originator",
    "route",  # [committee, ISO date or null] per consultation
    "decision_proposal",  # paragraphs joined by a blank line, or null
    "reasoning",  # paragraphs, numbered points as "1. …"
}
FIELDS = (
    "reference",
    "paper_type",
    "name",
    "date",
    "submitter",
    "route",
    "decision_proposal",
    "reasoning",
)


@dataclass(frozen=True)
class Paper:
    name: str
    text: str
    expected: dict[str, Any]

    def parse(self, text: str | None = None, *, scanned: bool = False) -> PaperDraft:
        templates = self.expected.get("patterns") or DEFAULT_PATTERNS
        return parse(
            self.text if text is None else text,
            scanned=scanned,
            patterns=compile_patterns(templates),
        )


def papers() -> list[Paper]:
    return [
        Paper(
            path.stem,
            path.read_text(encoding="utf-8"),
            json.loads(path.with_suffix(".json").read_text()),
        )
        for path in sorted(CORPUS.glob("*.txt"))
    ]


def reasoning(draft: PaperDraft) -> list[str]:
    """The paper's reasoning as paragraphs, numbered points written out as in the paper."""
    found: list[str] = []
    for section in draft.sections:
        if section.kind == "item":
            found.append(f"{section.number}. {section.question}")
        if section.text:
            found += section.text.split("\n\n")
    return found


def _route(draft: PaperDraft) -> list[list[str | None]]:
    return [[e.committee, e.date.isoformat() if e.date else None] for e in draft.route]


READERS: dict[str, Callable[[PaperDraft, dict[str, Any]], bool]] = {
    "reference": lambda d, e: (
        (d.value("source_reference"), d.value("reference"))
        == (e["reference"], e["beirat_reference"])
    ),
    "paper_type": lambda d, e: d.value("paper_type") == e["paper_type"],
    "name": lambda d, e: d.value("name") == e["name"],
    "date": lambda d, e: (d.value("date").isoformat() if d.value("date") else None) == e["date"],
    "submitter": lambda d, e: (
        (d.value("author"), d.value("originator")) == (e["office"], e["originator"])
    ),
    "route": lambda d, e: _route(d) == e["route"],
    "decision_proposal": lambda d, e: d.value("recommended_resolution") == e["decision_proposal"],
    "reasoning": lambda d, e: reasoning(d) == e["reasoning"],
}


def wrong_fields(draft: PaperDraft, expected: dict[str, Any]) -> list[str]:
    return [name for name in FIELDS if not READERS[name](draft, expected)]


def measure(
    drafts: dict[str, tuple[PaperDraft, dict[str, Any]]],
) -> tuple[float, dict[str, float], dict[str, list[str]]]:
    """The share of papers with every field right, the share right per field, and the wrong
    fields of each paper that has any."""
    wrong = {name: wrong_fields(draft, expected) for name, (draft, expected) in drafts.items()}
    total = len(drafts)
    per_field = {
        field: sum(field not in fields for fields in wrong.values()) / total for field in FIELDS
    }
    all_right = sum(not fields for fields in wrong.values()) / total
    return all_right, per_field, {name: fields for name, fields in wrong.items() if fields}


def report(all_right: float, per_field: dict[str, float], count: int) -> str:
    lines = [f"{count} papers, every field right: {all_right:.1%}"]
    lines += [f"  {field:<18} {share:.1%}" for field, share in per_field.items()]
    return "\n".join(lines)
