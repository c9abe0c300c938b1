"""The neighbourhood pulse: survey rounds, their questions, each resident's one response and its answers.

A response names its resident only so that it can be changed until the round closes and counted once; no
result, page or export ever shows who answered what (see results.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime
from pledgebank.neighbourhoods.models import Neighbourhood


class PulseRound(Base):
    """One round of the survey in a neighbourhood, open from `opens` to `closes` (both days included)."""

    __tablename__ = "pulse_rounds"
    __table_args__ = (CheckConstraint("closes >= opens", name="closes_after_opens"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    opens: Mapped[date] = mapped_column(Date)
    closes: Mapped[date] = mapped_column(Date)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    neighbourhood: Mapped[Neighbourhood] = relationship()
    questions: Mapped[list[PulseQuestion]] = relationship(order_by="PulseQuestion.position")

    def is_open(self, today: date) -> bool:
        """Whether residents may answer (or change their answers) today."""
        return self.opens <= today <= self.closes


class PulseQuestion(Base):
    """A question of a round: a core measure (its key) or one the committee added ("extra")."""

    __tablename__ = "pulse_questions"
    __table_args__ = (
        UniqueConstraint("round_id", "position"),
        CheckConstraint("kind IN ('scale', 'text')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    position: Mapped[int] = mapped_column()
    key: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(String(300))


class PulseResponse(Base):
    """A resident's one response to a round (the unique constraint holds it to one, whatever the timing)."""

    __tablename__ = "pulse_responses"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    answers: Mapped[list[PulseAnswer]] = relationship(cascade="all, delete-orphan")


class PulseAnswer(Base):
    """One answer: a point on the scale (0 is "don't know") or the resident's own words."""

    __tablename__ = "pulse_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        CheckConstraint("value IS NULL OR (value >= 0 AND value <= 5)", name="value_on_scale"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("pulse_responses.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("pulse_questions.id"), index=True)
    value: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text, default="")
