"""Helpers shared by several test files."""

from __future__ import annotations

from tests.factories.pledges import (
    make_pledge,
)

NEXT_STEPS = "Meet at the park gates at 10:00 on 12 April; gloves and bags are provided."


TITLE = "Volunteer two hours at the spring clean-up"


def time_pledge(app, slug: str, creator: int, **changes) -> int:
    """A pledge of time made through the service: three people, ten days."""
    values = {
        "kind": "time",
        "title": TITLE,
        "description": "Two hours clearing litter and weeding the beds along Elm Park Road.",
        "next_steps": NEXT_STEPS,
        "amount": 0,
        "target_pledgers": 3,
        "allow_cash": False,
    }
    return make_pledge(app, slug, creator, **{**values, **changes})
