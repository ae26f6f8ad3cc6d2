"""A shields.io endpoint badge of the latest grade: a small JSON file a README's badge reads
(`https://img.shields.io/endpoint?url=...`), so the grade is visible where the project is."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prodready.score.card import Card

LABEL = "prodready"
COLOURS = {"A": "brightgreen", "B": "green", "C": "yellow", "D": "orange", "F": "red"}


def badge(card: Card | None) -> str:
    """The badge's JSON (shields.io's endpoint schema, version 1): the grade with how many
    measured targets were met and how many were not measured; grey when there is no grade."""
    if card is None:
        message, colour = "not scored", "lightgrey"
    else:
        measured = [line for line in card.lines if line.met is not None]
        met = sum(1 for line in measured if line.met)
        unmeasured = len(card.lines) - len(measured)
        message = f"{card.grade} ({met}/{len(measured)} targets met"
        message += f", {unmeasured} not measured)" if unmeasured else ")"
        colour = COLOURS.get(card.grade, "lightgrey")
    data = {"schemaVersion": 1, "label": LABEL, "message": message, "color": colour}
    return json.dumps(data, indent=2) + "\n"
