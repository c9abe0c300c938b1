"""Helpers for pulse tests: a round opened by the chair and residents' answers, each through the real
services in its own unit of work."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pulse import responses, rounds
from pledgebank.pulse.models import PulseAnswer, PulseResponse, PulseRound
from pledgebank.pulse.questions import EXTRA, QuestionKind
from pledgebank.pulse.rounds import NewQuestion
from tests.factories.grants import clock_now, today


def open_round(app, w, *, title: str = "Winter", text_questions: tuple[str, ...] = (), days: int = 30) -> int:
    """A round opened today by the chair, closing in `days` days, with the core measures and any free-text
    questions given; its id."""
    questions = [
        *rounds.core_questions(),
        *(NewQuestion(EXTRA, QuestionKind.TEXT, t) for t in text_questions),
    ]
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return rounds.open_round(
            session,
            actor_id=w.chair,
            neighbourhood=get_neighbourhood(session, w.slug),
            title=title,
            opens=today(app),
            closes=today(app) + timedelta(days=days),
            questions=questions,
            now=clock_now(app),
        ).id


def question_ids(app, round_id: int) -> dict[str, int]:
    """The round's question ids by core key (extras as extra1, extra2, ...)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = session.get_one(PulseRound, round_id)
        ids, extras = {}, 0
        for question in found.questions:
            if question.key == EXTRA:
                extras += 1
                ids[f"extra{extras}"] = question.id
            else:
                ids[question.key] = question.id
        return ids


def respond(app, round_id: int, user_id: int, **answers: int | str) -> None:
    """The resident's answers by key (see question_ids), through the service."""
    ids = question_ids(app, round_id)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        responses.answer(
            session,
            actor_id=user_id,
            round_id=round_id,
            answers={ids[key]: value for key, value in answers.items()},
            now=clock_now(app),
            today=today(app),
        )


def stored(app) -> tuple[int, int]:
    """How many responses and answers are stored."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        count = session.scalar(select(func.count()).select_from(PulseResponse)) or 0
        return count, session.scalar(select(func.count()).select_from(PulseAnswer)) or 0
