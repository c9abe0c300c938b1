"""What every piece of card-payment work needs, whichever feature it is for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from pledgebank.payments.gateway import PaymentGateway


@dataclass(frozen=True, slots=True)
class Payments:
    """What money work needs: sessions, the gateway, the books' time zone, and the attempt lease."""

    sessions: sessionmaker[Session]
    gateway: PaymentGateway
    zone: str = "Europe/London"
    lease: timedelta = timedelta(minutes=5)
