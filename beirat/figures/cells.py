"""Numbers as the figures page shows them: small groups hidden, German (or English) format.

A count of one to four submissions could point at a person ("the one idea about the library in
March"), so no count below SMALLEST_SHOWN is shown, and no share or median resting on fewer.
Zero is shown: it describes nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext

SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Cell:
    """One figure: its value for drawing (None when hidden or missing) and its text."""

    value: float | None
    text: str
    hidden: bool = False


def hidden() -> Cell:
    return Cell(None, gettext("weniger als 5"), hidden=True)


def count(number: int) -> Cell:
    if 0 < number < SMALLEST_SHOWN:
        return hidden()
    return Cell(number, formatted(number))


def measure(value: float | None, *, basis: int, decimals: int = 1, suffix: str = "") -> Cell:
    """A median or a share computed from ``basis`` submissions: hidden when the basis is a
    small group, a dash when there is nothing to measure."""
    if basis == 0 or value is None:
        return Cell(None, "–")
    if basis < SMALLEST_SHOWN:
        return hidden()
    return Cell(value, formatted(value, decimals) + suffix)


def total(parts: list[int]) -> Cell:
    """A sum of counts, shown only when none of its parts is hidden: otherwise the total less
    the shown parts would give the hidden ones away."""
    if any(count(part).hidden for part in parts):
        return hidden()
    return count(sum(parts))


def formatted(value: float, decimals: int = 0) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
