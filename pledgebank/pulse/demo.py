"""Demo pulse rounds for Elm Park, each answer through the real services: three quarterly rounds, the first
two closed and answered by all seven members (so every measure shows, with its trend), the latest open since
last week and answered by five, so Sofia or Li can sign in and answer it. The latest round asks, in words,
what one thing would make Elm Park better (the committee reads those answers, without names)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pulse import responses, rounds
from pledgebank.pulse.questions import CORE_KEYS, EXTRA, QuestionKind
from pledgebank.pulse.rounds import NewQuestion

PEOPLE = ("priya", "tom", "aisha", "gareth", "ben", "sofia", "li")
# How many of those answering agree with each measure, round by round (the rest disagree or are neutral).
AGREEING = {
    "area": (4, 5, 4),
    "services": (3, 3, 3),
    "influence": (2, 3, 3),
    "capability": (3, 4, 4),
    "rely_on": (5, 6, 4),
    "cope": (3, 4, 4),
    "trust": (4, 5, 4),
}
BETTER = (
    "A safe crossing on Elm Road by the school.",
    "More benches along the green.",
    "Fix the lights in the alley behind the shops.",
    "Somewhere for teenagers to go in the evening.",
    "Regular litter picks, with tools we can borrow.",
)


def _value(key: str, round_index: int, person_index: int) -> int:
    if person_index < AGREEING[key][round_index]:
        return 5 if person_index % 3 == 0 else 4
    if key == "services" and person_index == 6:
        return 0  # don't know
    return 3 if person_index % 2 else 2


def _round(app: Flask, chair: int, title: str, opens: date, days: int, asks_in_words: bool) -> int:
    questions = rounds.core_questions()
    if asks_in_words:
        questions.append(NewQuestion(EXTRA, QuestionKind.TEXT, "What one thing would make Elm Park better?"))
    now = datetime.combine(opens, datetime.min.time(), tzinfo=ZoneInfo(app.config["TIMEZONE"]))
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return rounds.open_round(
            session,
            actor_id=chair,
            neighbourhood=get_neighbourhood(session, DEMO_SLUG),
            title=title,
            opens=opens,
            closes=opens + timedelta(days=days),
            questions=questions,
            now=now,
        ).id


def _answer(app: Flask, round_id: int, round_index: int, people: list[int], answered_on: date) -> None:
    now = datetime.combine(answered_on, datetime.min.time(), tzinfo=ZoneInfo(app.config["TIMEZONE"]))
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = rounds.get_round(session, round_id)
        ids = {q.key: q.id for q in found.questions}
        for n, person in enumerate(people):
            given: dict[int, int | str] = {ids[k]: _value(k, round_index, n) for k in CORE_KEYS}
            if EXTRA in ids:
                given[ids[EXTRA]] = BETTER[n % len(BETTER)]
            responses.answer(
                session, actor_id=person, round_id=round_id, answers=given, now=now, today=answered_on
            )


def seed_pulse(app: Flask, ids: dict[str, int]) -> None:
    """Load the three demo rounds (people by email, as accounts.demo made them)."""
    now = app.extensions["pledgebank.clock"].now()
    today = now.astimezone(ZoneInfo(app.config["TIMEZONE"])).date()
    people = [ids[f"{who}@example.org"] for who in PEOPLE]
    chair = people[0]
    starts = [today - timedelta(days=189), today - timedelta(days=98), today - timedelta(days=7)]
    titles = ["Summer", "Autumn", "Winter"]
    for index, (title, opens) in enumerate(zip(titles, starts, strict=True)):
        latest = index == len(starts) - 1
        round_id = _round(app, chair, f"{title} {opens.year}", opens, 37 if latest else 28, latest)
        _answer(app, round_id, index, people[:5] if latest else people, opens + timedelta(days=3))
