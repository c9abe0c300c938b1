"""What every piece of card-payment work needs, whichever feature it is for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from pledgebank.payments.gateway import PaymentGateway


@dataclass(frozen=True, slots=True)
class Payments:
    """What money work needs: sessions, the gateway, the books' time zone, and the attempt lease."""

    sessions: sessionmaker[Session]
    gateway: PaymentGateway
    zone: str = "Europe/London"
    lease: timedelta = timedelta(minutes=5)


class AssembledApp(Protocol):
    """What is read of the assembled app (a Flask app): its settings and the parts create_app made."""

    @property
    def extensions(self) -> Mapping[str, Any]: ...

    @property
    def config(self) -> Mapping[str, Any]: ...


def payments_context(app: AssembledApp) -> Payments:
    """What money work needs, from the app's settings."""
    return Payments(
        sessions=app.extensions["pledgebank.sessions"],
        gateway=app.extensions["pledgebank.gateway"],
        zone=app.config["TIMEZONE"],
        lease=timedelta(seconds=app.config["PAYMENT_ATTEMPT_LEASE"]),
    )
