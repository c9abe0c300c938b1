"""Fanning work out a batch at a time: each batch commits with the record of how far the fan-out has got.

Flask-free. A job that must queue thousands of jobs (an email to every pledger) calls `fan_out` with its
items: each batch runs in its own short transaction, which also moves the fan-out's progress row forward, so a
job that fails or is killed part-way and is run again starts after the last batch that committed and repeats
none. Two runs of the same fan-out at once take turns on the progress row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.db import unit_of_work
from pledgebank.tasks.models import FanOut

Batch = Callable[[Session, list[int]], None]


def fan_out(
    sessions: sessionmaker[Session],
    *,
    key: str,
    items: Sequence[int],
    batch: int,
    each: Batch,
    now: datetime,
) -> int:
    """Run `each` over `items`, `batch` at a time, each batch once whatever the retries; return how many
    items this call handled."""
    handled = 0
    while True:
        with unit_of_work(sessions) as session:
            progress = _progress(session, key, total=len(items), now=now)
            if progress.done >= len(items):
                return handled
            chunk = list(items[progress.done : progress.done + batch])
            each(session, chunk)
            progress.done += len(chunk)
            progress.updated_at = now
            handled += len(chunk)


def _progress(session: Session, key: str, *, total: int, now: datetime) -> FanOut:
    """The fan-out's progress row, made on first use and locked to this transaction's end."""
    maker = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        maker(FanOut).values(key=key, done=0, total=total, updated_at=now).on_conflict_do_nothing()
    )
    found = session.scalar(
        select(FanOut).where(FanOut.key == key).with_for_update().execution_options(populate_existing=True)
    )
    assert found is not None  # inserted above, or by a run before this one
    return found
