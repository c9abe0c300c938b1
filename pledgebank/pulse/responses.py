"""A resident's answers to a round: one response each, changed in place until the round closes.

The first response is inserted inside a savepoint: if another request by the same resident inserted it first
(a double submit), the unique constraint refuses the second row and this one updates the first instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.policy import Action, require
from pledgebank.pulse.models import PulseAnswer, PulseResponse, PulseRound
from pledgebank.pulse.questions import MAX_TEXT, SCALE_VALUES, QuestionKind

Answer = int | str | None


def field_name(question_id: int) -> str:
    """The form field of a question."""
    return f"q{question_id}"


def _checked(found: PulseRound, answers: Mapping[int, Answer]) -> dict[int, Answer]:
    fields: dict[str, list[str]] = {}
    kept: dict[int, Answer] = {}
    for question in found.questions:
        given = answers.get(question.id)
        if given is None or given == "":
            continue
        if question.kind == QuestionKind.SCALE and (not isinstance(given, int) or given not in SCALE_VALUES):
            fields[field_name(question.id)] = ["Choose one of the answers on the scale, or don't know."]
        elif question.kind == QuestionKind.TEXT and (not isinstance(given, str) or len(given) > MAX_TEXT):
            fields[field_name(question.id)] = [f"Write at most {MAX_TEXT} characters."]
        else:
            kept[question.id] = given.strip() if isinstance(given, str) else given
    unknown = set(answers) - {q.id for q in found.questions}
    if unknown:
        fields["answers"] = ["Answer only this round's questions."]
    if fields:
        raise InvalidInput("Some answers could not be taken.", fields=fields)
    if not kept:
        raise InvalidInput(
            "Answer at least one question.", fields={"answers": ["Answer at least one question."]}
        )
    return kept


def _response(session: Session, round_id: int, user_id: int, now: datetime) -> PulseResponse:
    statement = (
        select(PulseResponse)
        .where(PulseResponse.round_id == round_id, PulseResponse.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = session.scalar(statement)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            created = PulseResponse(round_id=round_id, user_id=user_id, created_at=now, updated_at=now)
            session.add(created)
        return created
    except IntegrityError:
        found = session.scalar(statement)
        assert found is not None  # the other request's row, now committed
        return found


def answer(
    session: Session,
    *,
    actor_id: int | None,
    round_id: int,
    answers: Mapping[int, Answer],
    now: datetime,
    today: date,
) -> PulseResponse:
    """Store the resident's answers (replacing any earlier ones); Conflict once the round has closed."""
    found = session.get(PulseRound, round_id)
    if found is None:
        raise NotFound("There is no such pulse round.")
    require(session, actor_id, found.neighbourhood_id, Action.ANSWER_PULSE)
    assert actor_id is not None  # required above
    if not found.is_open(today):
        when = "closed" if today > found.closes else "not open yet"
        raise Conflict(f"This round is {when}: answers are taken from {found.opens} to {found.closes}.")
    kept = _checked(found, answers)
    response = _response(session, found.id, actor_id, now)
    response.answers.clear()
    session.flush()
    for question_id, given in kept.items():
        value, text = (given, "") if isinstance(given, int) else (None, given or "")
        response.answers.append(PulseAnswer(question_id=question_id, value=value, text=text))
    response.updated_at = now
    session.flush()
    return response


def answers_of(session: Session, round_id: int, user_id: int | None) -> dict[int, Answer]:
    """The resident's own answers to the round, by question id (empty when none or signed out)."""
    if user_id is None:
        return {}
    response = session.scalar(
        select(PulseResponse).where(PulseResponse.round_id == round_id, PulseResponse.user_id == user_id)
    )
    if response is None:
        return {}
    return {a.question_id: (a.value if a.value is not None else a.text) for a in response.answers}
