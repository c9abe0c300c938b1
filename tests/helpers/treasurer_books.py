"""Helpers shared by several test files."""

from __future__ import annotations

from tests.factories.grants import apply, decide, declare, make_round, reviewed


def award(app, w, amount: int) -> None:
    """A grant of `amount` awarded from the general fund and not yet paid."""
    grant = apply(app, make_round(app, w), w.residents[0], amount)
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair, "award")
