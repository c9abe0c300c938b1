"""Opening a pulse round: its title, dates and questions (the core measures every time, and any the
committee adds). A round with no questions, or one that leaves out a core measure, is refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.errors import InvalidInput, NotFound
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.pulse.models import PulseQuestion, PulseRound
from pledgebank.pulse.questions import CORE, CORE_KEYS, EXTRA, QuestionKind

MAX_EXTRA = 10
MAX_WORDS = 300


@dataclass(frozen=True, slots=True)
class NewQuestion:
    """A question as the committee gives it: its key (a core key or "extra"), kind and words."""

    key: str
    kind: str
    text: str


def core_questions() -> list[NewQuestion]:
    """The core measures, asked in every round in this order."""
    return [NewQuestion(q.key, QuestionKind.SCALE, q.text) for q in CORE]


def _problems(
    title: str, opens: date, closes: date, questions: Sequence[NewQuestion]
) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if not title.strip():
        fields["title"] = ["Give the round a title."]
    if closes < opens:
        fields["closes"] = ["The round must close on or after the day it opens."]
    if not questions:
        fields["questions"] = ["A round needs questions: it asks at least the core measures."]
    elif [q.key for q in questions if q.key != EXTRA] != list(CORE_KEYS):
        fields["questions"] = ["Every round asks the core measures, in order."]
    for kind, name in ((QuestionKind.SCALE, "extra_scale"), (QuestionKind.TEXT, "extra_text")):
        extras = [q for q in questions if q.key == EXTRA and q.kind == kind]
        if len(extras) > MAX_EXTRA:
            fields[name] = [f"Add at most {MAX_EXTRA} questions of this kind."]
        elif any(not q.text.strip() or len(q.text) > MAX_WORDS for q in extras):
            fields[name] = [f"Each question needs words, at most {MAX_WORDS} characters."]
    if any(q.kind not in set(QuestionKind) for q in questions):
        fields["questions"] = ["Each question is answered on the scale or in words."]
    return fields


def open_round(
    session: Session,
    *,
    actor_id: int | None,
    neighbourhood: Neighbourhood,
    title: str,
    opens: date,
    closes: date,
    questions: Sequence[NewQuestion],
    now: datetime,
) -> PulseRound:
    """Open a round; InvalidInput naming the field when something is wrong (nothing stored)."""
    require(session, actor_id, neighbourhood.id, Action.MANAGE_PULSE)
    assert actor_id is not None  # required above
    problems = _problems(title, opens, closes, questions)
    if problems:
        raise InvalidInput("The round could not be opened.", fields=problems)
    found = PulseRound(
        neighbourhood_id=neighbourhood.id,
        title=title.strip(),
        opens=opens,
        closes=closes,
        opened_by_id=actor_id,
        created_at=now,
    )
    session.add(found)
    session.flush()
    for position, question in enumerate(questions, start=1):
        session.add(
            PulseQuestion(
                round_id=found.id,
                position=position,
                key=question.key,
                kind=str(question.kind),
                text=question.text.strip(),
            )
        )
    session.flush()
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="pulse.round_opened",
        subject=("pulse_round", found.id),
        now=now,
        after={"title": found.title, "opens": opens.isoformat(), "closes": closes.isoformat()},
    )
    return found


def get_round(session: Session, round_id: int, neighbourhood_id: int | None = None) -> PulseRound:
    """The round, or NotFound (also when it belongs to another neighbourhood)."""
    found = session.get(PulseRound, round_id)
    if found is None or (neighbourhood_id is not None and found.neighbourhood_id != neighbourhood_id):
        raise NotFound("There is no such pulse round.")
    return found


def rounds_of(session: Session, neighbourhood_id: int) -> list[PulseRound]:
    """The neighbourhood's rounds, oldest first."""
    statement = (
        select(PulseRound)
        .where(PulseRound.neighbourhood_id == neighbourhood_id)
        .order_by(PulseRound.opens, PulseRound.id)
    )
    return list(session.scalars(statement))
