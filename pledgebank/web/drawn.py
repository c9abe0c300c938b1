"""Worked-out parts of public pages kept in memory, by everything they were worked out from.

A neighbourhood's chart of money in and out, and its headline figures, are the costliest parts of its page to
work out and draw, yet they change only when the book gains a transaction, the day changes or a fund is added
or renamed. Their keys hold all of those (see exports/chart.py's ChartState), so a kept part is never stale,
in this process or any other: a transaction posted anywhere moves the chain head that every process reads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache
from flask import Flask

KEPT = 512  # parts (a chart's drawing is a few tens of kilobytes)
T = TypeVar("T")


class Drawn:
    """The most recently used parts by key; safe to share between a process's threads."""

    def __init__(self, size: int = KEPT) -> None:
        self._kept: LRUCache[Hashable, Any] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    @staticmethod
    def of(app: Flask) -> Drawn:
        """The app's kept parts (one store a process)."""
        found = app.extensions.get("pledgebank.drawn")
        if found is None:
            found = app.extensions.setdefault("pledgebank.drawn", Drawn())
        return found

    def get(self, key: Hashable, work_out: Callable[[], T]) -> T:
        """The part kept under `key`, or `work_out()`'s, kept from now on (two threads may both work it)."""
        with self._lock:
            found = self._kept.get(key)
        if found is None:
            found = work_out()
            with self._lock:
                self._kept[key] = found
        return found
