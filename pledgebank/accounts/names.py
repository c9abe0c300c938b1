"""Telling people with the same name apart, without showing a resident anyone's email address."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User


def masked_email(email: str) -> str:
    """Enough of an address for an officer to tell two people apart: 'sam.lee@example.org' -> 'sam…@ex…'."""
    local, _, domain = email.partition("@")
    return f"{local[:3]}…@{domain[:2]}…"


def distinct_names(
    people: Iterable[tuple[int, str, str]], *, officer: bool, hints: Mapping[int, str] | None = None
) -> dict[int, str]:
    """Each person's name by user id, with a hint added where several share one name.

    people are (user id, display name, email). An officer sees part of each address ('Sam Lee (sam…@ex…)');
    anyone else sees the hint given for the person (when they joined, say) and, failing that, a number.
    """
    rows = list(people)
    shared = Counter(name.casefold().strip() for _, name, _ in rows)
    labels: dict[int, str] = {}
    seen: Counter[str] = Counter()
    for user_id, name, email in rows:
        key = name.casefold().strip()
        if shared[key] < 2:
            labels[user_id] = name
            continue
        seen[key] += 1
        hint = masked_email(email) if officer else (hints or {}).get(user_id)
        labels[user_id] = f"{name} ({hint})" if hint else f"{name} ({seen[key]} of {shared[key]})"
    # Hints that are themselves the same (two people joining on one day) still need telling apart.
    repeated = Counter(labels.values())
    numbered: Counter[str] = Counter()
    for user_id, label in list(labels.items()):
        if repeated[label] > 1:
            numbered[label] += 1
            labels[user_id] = f"{label} ({numbered[label]} of {repeated[label]})"
    return labels


def names_of(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """Display names by user id (ids of nobody are left out)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}
