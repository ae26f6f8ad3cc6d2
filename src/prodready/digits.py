"""Whole numbers read from repository text, bounded so a hostile digit string costs nothing.

Python refuses to convert more than 4,300 digits (and converting millions would take
quadratic time); a version such as `3.<5,000 digits>` is simply larger than any real one.
"""

from __future__ import annotations

CEILING = 10**18


def number(digits: str) -> int:
    """`digits` as an int, or `CEILING` when it is longer than any real version part."""
    digits = digits.strip()
    if len(digits.lstrip("+-0")) > 18:
        return -CEILING if digits.startswith("-") else CEILING
    return int(digits)
