"""Helpers shared by several test files."""

from __future__ import annotations

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.db import unit_of_work
from tests.helpers.app import WHEN


def token(sessions, user_id: int, scope: str = "read-write") -> dict[str, str]:
    """The Authorization header of a new personal token, made through the real service."""
    with unit_of_work(sessions) as session:
        secret = create_api_token(session, user_id=user_id, name=f"{scope} token", scope=scope, now=WHEN)[1]
    return {"Authorization": f"Bearer {secret}"}


NEW_ROUND = {
    "fund": "general",
    "title": "Summer small grants",
    "description": "Money for street parties and planting this summer.",
    "budget": 100_000,
    "max_award": 25_000,
    "opens_at": "2026-03-02T00:00:00+00:00",
    "closes_at": "2026-04-01T00:00:00+01:00",
    "criteria": [
        {"name": "Benefit to the neighbourhood", "weight": 3},
        {"name": "Value for money", "weight": 1},
    ],
}
