"""Which feature acts on a webhook about a PaymentIntent or a SetupIntent: handlers registered at assembly.

Payments knows no feature. Each feature that makes card payments or saves cards registers, when the app is
assembled, a handler per kind of object (events.Concerning): how to find the thing of its own an object
belongs to, and how to apply the object's current state to it. A PaymentIntent we hold no record of (its
call's process died before recording it) is traced through the attempt named in its metadata; the attempt's
subject ("signup:12", "levy-charge:7") names the payable kind whose handler takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.payments.context import Payments
from pledgebank.payments.events import Concerning

Also = Callable[[Session], None]


@dataclass(frozen=True, slots=True)
class Handler:
    """One feature's part in the webhooks about one kind of object.

    `find(session, object_id)`: the id of the feature's row the object belongs to, or None.
    `apply(ctx, row_id, object_id, now=, also=)`: re-read the object from the gateway and apply it, running
    `also(session)` in the unit of work that stores the effect; False when there was nothing to apply.
    """

    find: Callable[[Session, str], int | None]
    apply: Callable[..., bool]


@dataclass(frozen=True, slots=True)
class Found:
    """The handler an object belongs to and the id of the feature's row it concerns."""

    handler: Handler
    row_id: int

    def apply(self, ctx: Payments, object_id: str, *, now: datetime, also: Also | None = None) -> bool:
        """Apply the object's current state to the row; False when there was nothing to apply."""
        return self.handler.apply(ctx, self.row_id, object_id, now=now, also=also)


class WebhookHandlers:
    """The registry: handlers by the kind of object, in the order registered, and by payable kind."""

    def __init__(self) -> None:
        self._by_object: dict[Concerning, list[Handler]] = {kind: [] for kind in Concerning}
        self._by_payable: dict[str, Handler] = {}

    def register(self, concerning: Concerning, handler: Handler, *, payable: str | None = None) -> None:
        """Add a feature's handler; `payable` is the kind its payment attempts' subjects start with."""
        self._by_object[concerning].append(handler)
        if payable is not None:
            if payable in self._by_payable:
                raise ValueError(f"a webhook handler for {payable!r} payments is registered already")
            self._by_payable[payable] = handler

    def find(self, session: Session, object_type: str, object_id: str) -> Found | None:
        """The first registered handler that knows the object, with the id of its row; None if none does."""
        try:
            concerning = Concerning(object_type)
        except ValueError:
            return None
        for handler in self._by_object[concerning]:
            row_id = handler.find(session, object_id)
            if row_id is not None:
                return Found(handler, row_id)
        return None

    def by_subject(self, subject: str) -> Found | None:
        """The handler of a payment attempt's subject ("<payable kind>:<id>"), or None for one unknown."""
        kind, _, number = subject.partition(":")
        handler = self._by_payable.get(kind)
        if handler is None or not number.isdigit():
            return None
        return Found(handler, int(number))
