"""Tracking codes (Vorgangsnummern): unguessable, readable aloud, typed without mistakes.

A code is 27 random symbols of Crockford's base 32 (135 bits) plus one check symbol, written in
seven groups of four: ``7KQ2-M9XD-4HNP-…``. The alphabet has no I, L, O or U, and reading a code
folds the look-alikes (O→0, I/L→1) and ignores case, spaces and hyphens.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 27
GROUP = 4
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_tracking_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return format_code(symbols + _check_symbol(symbols))


def normalize_code(text: str) -> str | None:
    """The canonical form of a code a person typed, or None if it cannot be one of ours."""
    compact = "".join(text.split()).replace("-", "").upper().translate(_FOLD)
    if len(compact) != RANDOM_SYMBOLS + 1 or any(char not in ALPHABET for char in compact):
        return None
    if _check_symbol(compact[:-1]) != compact[-1]:
        return None
    return format_code(compact)


def format_code(compact: str) -> str:
    return "-".join(compact[index : index + GROUP] for index in range(0, len(compact), GROUP))


def _check_symbol(symbols: str) -> str:
    # Luhn mod 32: catches every single wrong symbol and most swaps of two neighbours.
    base = len(ALPHABET)
    factor, total = 2, 0
    for char in reversed(symbols):
        addend = factor * ALPHABET.index(char)
        total += addend // base + addend % base
        factor = 1 if factor == 2 else 2
    return ALPHABET[(base - total % base) % base]
