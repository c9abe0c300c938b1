"""The one source of "now": tests and the demo move time; nothing else calls datetime.now()."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """A wall clock that can be frozen or moved forward (for tests and the demo)."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen_at = frozen_at
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Return the current time, timezone-aware in UTC."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward by delta and return the new now."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta
        return self.now()

    def freeze(self, at: datetime) -> None:
        """Stop the clock at the given aware instant."""
        if at.tzinfo is None:
            raise ValueError("a frozen time must be timezone-aware")
        with self._lock:
            self._frozen_at = at.astimezone(UTC)


def local_date(moment: datetime, zone: str) -> date:
    """The calendar date of an aware instant in a time zone (books are kept in local dates)."""
    return moment.astimezone(ZoneInfo(zone)).date()
