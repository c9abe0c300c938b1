"""Helpers shared by several test files."""

from __future__ import annotations

VALID = {
    "fund": "+own",
    "title": "Mend the playground fence",
    "description": "New posts and panels along the north side of the playground.",
    "amount_kind": "fixed",
    "amount": "10",
    "target_pledgers": "40",
    "target_amount": "",
    "deadline": "2026-03-14",
    "deadline_time": "18:00",
    "cap": "",
    "allow_cash": "y",
}
