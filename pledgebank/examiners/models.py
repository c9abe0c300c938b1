"""An independent examiner's appointment: one person, one neighbourhood, one financial year."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime, status_type
from pledgebank.examiners.states import AppointmentStatus


class ExaminerAppointment(Base):
    """The chair's appointment of an examiner, by email, for the financial year `year_start`..`year_end`.

    Accepted, it gives the examiner read-only access to the neighbourhood's books until `lapses_on` (the end
    of the examination period) or until the chair ends it.
    """

    __tablename__ = "examiner_appointments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    examiner_name: Mapped[str] = mapped_column(String(120))
    year_start: Mapped[date] = mapped_column(Date)
    year_end: Mapped[date] = mapped_column(Date)
    lapses_on: Mapped[date] = mapped_column(Date)
    status: Mapped[AppointmentStatus] = mapped_column(
        status_type(AppointmentStatus, 16), default=AppointmentStatus.INVITED
    )
    appointed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who accepted the invitation (the account signed in when the link was opened).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
