"""Every log record of a test run, written as the service writes it (JSON lines), and checked at the end for
what must never be logged: email addresses, the demo people's names, Stripe secret and webhook keys."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

from pledgebank.demo import PEOPLE
from pledgebank.logs import JsonFormatter

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
SECRET = re.compile(r"\bsk_(?:live|test)_\w+|\bwhsec_\w+")
NAMES = re.compile("|".join(re.escape(person.name) for person in PEOPLE))


def leaks(line: str) -> list[str]:
    """What in this log line is personal data or a secret (empty when nothing is)."""
    return EMAIL.findall(line) + SECRET.findall(line) + NAMES.findall(line)


def leaky_lines(lines: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The lines that leak, each with what it leaks."""
    return [(line, found) for line in lines if (found := leaks(line))]


ACTIVE: list[RunLog] = []


class RunLog:
    """A handler on the root logger writing every record of the run to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handler = logging.FileHandler(path, encoding="utf-8", delay=False)
        self.handler.setFormatter(JsonFormatter())
        self.handler.setLevel(logging.DEBUG)

    def start(self) -> None:
        """Attach to the root logger."""
        logging.getLogger().addHandler(self.handler)
        ACTIVE.append(self)

    def stop(self) -> list[tuple[str, list[str]]]:
        """Detach, and return the leaking lines."""
        logging.getLogger().removeHandler(self.handler)
        ACTIVE.remove(self)
        self.handler.close()
        with self.path.open(encoding="utf-8") as lines:
            return leaky_lines(lines)
