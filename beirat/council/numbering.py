"""Paper numbers such as ``AF/0013/2021``: type code, four-digit sequence, year. Pure functions.

The sequence runs per type and year, starts at 1 and is never reused (council.services assigns
it when a paper is registered). In addresses the slashes become hyphens:
``/vorlagen/AF-0013-2021/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Default codes of the Koblenz papers; a city configures its own with BEIRAT_PAPER_TYPE_CODES.
DEFAULT_TYPE_CODES = {
    "inquiry": "AF",
    "answer": "AW",
    "motion": "AT",
    "statement": "ST",
    "resolution_proposal": "BV",
    "notice": "MI",
}
SEQUENCE_DIGITS = 4
_PATTERN = re.compile(r"^\s*([A-ZÄÖÜ]{1,5})\s*[/-]\s*(\d{1,6})\s*[/-]\s*(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Reference:
    type_code: str
    sequence: int
    year: int

    def __str__(self) -> str:
        return f"{self.type_code}/{self.sequence:0{SEQUENCE_DIGITS}d}/{self.year}"

    @property
    def slug(self) -> str:
        return str(self).replace("/", "-")


def parse_reference(text: str) -> Reference:
    """Read ``AF/0013/2021`` (or ``AF-0013-2021``, ``af/13/2021``); raise ValidationError if not."""
    match = _PATTERN.match(text.upper())
    if match is None:
        raise ValidationError(
            _("„%(text)s“ ist keine Vorlagennummer. Erwartet wird z. B. AF/0013/2021."),
            code="invalid_reference",
            params={"text": text[:40]},
        )
    code, sequence, year = match.group(1), int(match.group(2)), int(match.group(3))
    if sequence < 1:
        raise ValidationError(_("Die laufende Nummer beginnt bei 1."), code="invalid_sequence")
    if not 1900 <= year <= 2999:
        raise ValidationError(
            _("Das Jahr %(year)s ist nicht plausibel."), params={"year": year}, code="invalid_year"
        )
    return Reference(code, sequence, year)


def type_for_code(code: str, type_codes: dict[str, str] | None = None) -> str | None:
    """The paper type (``inquiry``) of a code (``AF``), or None if the city does not use it."""
    for paper_type, type_code in (type_codes or DEFAULT_TYPE_CODES).items():
        if type_code == code.upper():
            return paper_type
    return None


def next_reference(
    paper_type: str, year: int, last_sequence: int, type_codes: dict[str, str] | None = None
) -> Reference:
    codes = type_codes or DEFAULT_TYPE_CODES
    if paper_type not in codes:
        raise ValidationError(_("Für diese Vorlagenart ist kein Kürzel eingerichtet."))
    return Reference(codes[paper_type], last_sequence + 1, year)
