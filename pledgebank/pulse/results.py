"""The pulse's results, with small numbers withheld everywhere: per round and measure the share agreeing and
its interval (None under MIN_RESPONSES views), the trend of the core measures across rounds, the committee's
free-text answers (sorted, with no name or id), and the open-data rows.

Everything here reads answers by question, never by response or resident, so no result can say who answered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.pulse.figures import MIN_RESPONSES, Share, share_agreeing
from pledgebank.pulse.models import PulseAnswer, PulseQuestion, PulseResponse, PulseRound
from pledgebank.pulse.questions import CORE, QuestionKind, measure_name, statement_of
from pledgebank.pulse.rounds import rounds_of
from pledgebank.text import _t


@dataclass(frozen=True, slots=True)
class Measure:
    """A scale question's result in one round (share None when withheld)."""

    question_id: int
    key: str
    name: str
    text: str
    share: Share | None


def _values(session: Session, round_id: int) -> dict[int, list[int]]:
    rows = session.execute(
        select(PulseAnswer.question_id, PulseAnswer.value)
        .join(PulseQuestion, PulseQuestion.id == PulseAnswer.question_id)
        .where(PulseQuestion.round_id == round_id, PulseAnswer.value.is_not(None))
    )
    found: dict[int, list[int]] = defaultdict(list)
    for question_id, value in rows:
        if value is not None:
            found[question_id].append(value)
    return found


def measures(session: Session, found: PulseRound) -> list[Measure]:
    """Every scale question of the round, core measures first as asked."""
    values = _values(session, found.id)
    return [
        Measure(
            q.id,
            q.key,
            measure_name(q.key, q.text),
            statement_of(q.key, q.text),
            share_agreeing(values.get(q.id, [])),
        )
        for q in found.questions
        if q.kind == QuestionKind.SCALE
    ]


def response_count(session: Session, round_id: int) -> int:
    """How many residents answered the round (shown only from MIN_RESPONSES)."""
    statement = select(func.count()).select_from(PulseResponse).where(PulseResponse.round_id == round_id)
    return session.scalar(statement) or 0


def shown_count(count: int) -> int | None:
    """A count of people, withheld (None) under MIN_RESPONSES."""
    return count if count >= MIN_RESPONSES else None


def free_text(session: Session, found: PulseRound) -> list[tuple[PulseQuestion, list[str] | None]]:
    """For the committee only: each text question's answers, sorted so their order says nothing of who wrote
    them, and withheld (None) when fewer than MIN_RESPONSES people wrote one."""
    shown = []
    for question in found.questions:
        if question.kind != QuestionKind.TEXT:
            continue
        texts = sorted(
            session.scalars(
                select(PulseAnswer.text).where(PulseAnswer.question_id == question.id, PulseAnswer.text != "")
            ),
            key=str.casefold,
        )
        shown.append((question, texts if len(texts) >= MIN_RESPONSES else None))
    return shown


@dataclass(frozen=True, slots=True)
class TrendRow:
    """A round's headline shares, by core key (None when withheld)."""

    round: PulseRound
    shares: dict[str, Share | None]


def trend(session: Session, rounds: list[PulseRound]) -> list[TrendRow]:
    """The core measures across the rounds, oldest first."""
    rows = []
    for found in rounds:
        by_key = {m.key: m.share for m in measures(session, found)}
        rows.append(TrendRow(found, {q.key: by_key.get(q.key) for q in CORE}))
    return rows


# The open data's columns: each names its field in English and is headed in the page's language where the
# file is written (`str()` translates a `_t` message).
CSV_COLUMNS: tuple[str, ...] = (
    _t("round"),
    _t("title"),
    _t("opens"),
    _t("closes"),
    _t("measure"),
    _t("question"),
    _t("gave_a_view"),
    _t("agreeing"),
    _t("share_agreeing"),
    _t("ci95_low"),
    _t("ci95_high"),
)


def export_rows(session: Session, rounds: list[PulseRound]) -> list[dict[str, object]]:
    """One row per round and scale question; the counts and shares blank where withheld."""
    rows: list[dict[str, object]] = []
    for found in rounds:
        for m in measures(session, found):
            s = m.share
            rows.append(
                {
                    "round": found.id,
                    "title": found.title,
                    "opens": found.opens.isoformat(),
                    "closes": found.closes.isoformat(),
                    "measure": m.key,
                    "question": m.text,
                    "gave_a_view": s.views if s else "",
                    "agreeing": s.agreeing if s else "",
                    "share_agreeing": f"{s.share:.3f}" if s else "",
                    "ci95_low": f"{s.low:.3f}" if s else "",
                    "ci95_high": f"{s.high:.3f}" if s else "",
                }
            )
    return rows


def measure_rounds(
    session: Session, neighbourhood_id: int, key: str, until: date
) -> list[tuple[PulseRound, Share | None]]:
    """A core measure's share agreeing in each round that opened by `until` (a dividend's deadline), oldest
    first, withheld (None) under MIN_RESPONSES views: what a verifier checks a pulse outcome against."""
    found = [r for r in rounds_of(session, neighbourhood_id) if r.opens <= until]
    return [(r, next((m.share for m in measures(session, r) if m.key == key), None)) for r in found]
