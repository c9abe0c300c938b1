"""Structured logs: one JSON object per line, carrying the request id, actor and neighbourhood where known.

What goes into a line is what the code puts there: messages name ids and kinds of things, never a person's
name, email address, card details or a secret. A traceback is text the code does not choose (a driver's or a
mail server's error may quote an address), so email addresses and secret keys in it are masked.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
SECRET = re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9_]+|\bwhsec_[A-Za-z0-9_]+")
# The attributes every LogRecord has; anything else on a record was passed as `extra` and is logged.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
_bound: ContextVar[dict[str, Any] | None] = ContextVar("pledgebank_log_context", default=None)
_providers: list[Callable[[], dict[str, Any]]] = []


def add_context_provider(provider: Callable[[], dict[str, Any]]) -> None:
    """Add a source of fields for every line (the web layer's request id, actor and neighbourhood)."""
    if provider not in _providers:
        _providers.append(provider)


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """Add these fields to every line logged inside the block (a CLI run's id, say)."""
    token = _bound.set({**(_bound.get() or {}), **fields})
    try:
        yield
    finally:
        _bound.reset(token)


def context() -> dict[str, Any]:
    """The fields that every line logged here and now carries."""
    fields: dict[str, Any] = dict(_bound.get() or {})
    for provider in _providers:
        fields.update(provider())
    return {name: value for name, value in fields.items() if value is not None}


def mask(text: str) -> str:
    """The text with email addresses and Stripe secrets replaced."""
    return SECRET.sub("[secret]", EMAIL.sub("[email]", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, context fields, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "_context", None) or context())
        for name, value in record.__dict__.items():
            if name not in _STANDARD and not name.startswith("_"):
                line[name] = value
        if record.exc_info:
            line["exception"] = mask(self.formatException(record.exc_info))
        return json.dumps(line, default=str, ensure_ascii=False)


def _capture_context(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record._context = context()
        return record

    make._pledgebank = True  # type: ignore[attr-defined]
    return make


def configure(level: str = "INFO") -> None:
    """Log the service's lines at `level` (others at WARNING) as JSON to standard error.

    Each record takes its context fields when it is made, so a handler that formats it later (or in another
    thread) still has them. A process that has set up logging already (a test runner, a host application)
    keeps its handlers; the service's loggers still carry their level and fields to them.
    """
    logging.getLogger("pledgebank").setLevel(level.upper())
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_pledgebank", False):
        logging.setLogRecordFactory(_capture_context(factory))
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
