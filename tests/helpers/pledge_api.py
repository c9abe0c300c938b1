"""Helpers shared by several test files."""

from __future__ import annotations

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.db import unit_of_work
from tests.helpers.app import WHEN

NEW = {
    "title": "Plant twenty street trees",
    "description": "Twenty young limes and rowans along Victoria Road.",
    "amount_kind": "minimum",
    "amount": 500,
    "target_amount": 30_000,
    "deadline": "2026-04-01T17:00:00+01:00",
}


def token(sessions, user_id: int, scope: str = "read-write") -> dict[str, str]:
    """The Authorization header of a new personal token, made through the real service."""
    with unit_of_work(sessions) as session:
        secret = create_api_token(session, user_id=user_id, name=f"{scope} token", scope=scope, now=WHEN)[1]
    return {"Authorization": f"Bearer {secret}"}
