"""The examiner's checklist as a registry: each question is one small function that answers it.

A check takes the `Examination` (the book, the financial year, the payment threshold) and returns an
`Answer`: green (nothing to ask about), amber (look at this, or the evidence is not available here), red
(something is missing or wrong), a sentence, the links to the evidence and what is missing. A feature that
brings new evidence (bank reconciliations, supporting documents) adds one function with `@question(...)`;
the checklist page shows every registered question in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session

from pledgebank.books.models import Book


class Status(StrEnum):
    """How a question is answered."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A link to where the examiner can see for themselves: a page (its endpoint and values) and its words."""

    label: str
    endpoint: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answer:
    """A question's answer: its status, one sentence, the evidence and each thing found missing."""

    status: Status
    sentence: str
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Examination:
    """What every check reads: the session, the neighbourhood's book, the year and the payment threshold."""

    session: Session
    book: Book
    slug: str
    start: date
    end: date
    threshold: int

    @property
    def year(self) -> int:
        """The calendar year the financial year starts in (the statements pages' `year`)."""
        return self.start.year


Check = Callable[[Examination], Answer]


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the checklist: a key, the question as CC32 asks it, the direction it follows."""

    key: str
    asks: str
    direction: str
    check: Check


QUESTIONS: list[Question] = []


def question(key: str, asks: str, direction: str) -> Callable[[Check], Check]:
    """Register a check under a question (a second registration of a key replaces the first)."""

    def register(check: Check) -> Check:
        found = [i for i, q in enumerate(QUESTIONS) if q.key == key]
        if found:
            QUESTIONS[found[0]] = Question(key, asks, direction, check)
        else:
            QUESTIONS.append(Question(key, asks, direction, check))
        return check

    return register


@dataclass(frozen=True, slots=True)
class Item:
    """A question with its answer, as the page shows it."""

    question: Question
    answer: Answer


def answer_all(examination: Examination) -> list[Item]:
    """Every registered question answered for the examination."""
    return [Item(q, q.check(examination)) for q in QUESTIONS]
