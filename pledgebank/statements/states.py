"""What may happen to a statement line: matched to a bank posting, posted as an entry, or unmatched."""

from __future__ import annotations

from enum import StrEnum

from pledgebank.state_tables import Transitions
from pledgebank.statements.models import LineState


class LineAction(StrEnum):
    """What the treasurer does with a line."""

    MATCH = "match"
    POST = "post"
    UNMATCH = "unmatch"


LINES: Transitions[LineState, LineAction] = Transitions(
    {
        (LineState.UNMATCHED, LineAction.MATCH): LineState.MATCHED,
        (LineState.UNMATCHED, LineAction.POST): LineState.POSTED,
        (LineState.MATCHED, LineAction.UNMATCH): LineState.UNMATCHED,
    },
    thing="a statement line",
)
