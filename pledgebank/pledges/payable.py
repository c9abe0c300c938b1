"""A pledge signup as the card flow sees it (`payments/payable.py`): its card is saved in rounds (a declined
hold starts the next), held when the pledge activates, charged at once when it has succeeded already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden
from pledgebank.payments.card_saving import new_setup
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import CardSetup, Payment
from pledgebank.payments.payable import Also, WaitingPayment
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.outcomes import apply_payment
from pledgebank.pledges.payments import place_hold
from pledgebank.pledges.signups import apply_card_setup, get_signup
from pledgebank.pledges.states import PledgeStatus, SignupStatus
from pledgebank.text import _t


def own_signup(session: Session, signup_id: int, user_id: int) -> PledgeSignup:
    """The signup, locked, which must be the user's; Forbidden otherwise."""
    signup = get_signup(session, signup_id, lock=True)
    if signup.user_id != user_id:
        raise Forbidden(_t("That is not your pledge."))
    return signup


@dataclass(frozen=True, slots=True)
class SignupCard:
    """A signup's card and payments; `user_id` is the pledger acting (None: a webhook or a job)."""

    signup_id: int
    user_id: int | None = None

    def _signup(self, session: Session) -> PledgeSignup:
        if self.user_id is None:
            return get_signup(session, self.signup_id)
        return own_signup(session, self.signup_id, self.user_id)

    def setup_intent_id(self, session: Session) -> str | None:
        return self._signup(session).setup_intent_id

    def start_setup(self, ctx: Payments, now: datetime) -> CardSetup:
        """The SetupIntent for this round of the signup, created on first use (a declined one again)."""
        assert self.user_id is not None, "only the pledger saves their card"
        with unit_of_work(ctx.sessions) as session:
            signup = self._signup(session)
            if signup.status != SignupStatus.CARD_PENDING:
                raise Conflict(_t("This pledge does not need a card now."))
            existing, round_, pledge_id = signup.setup_intent_id, signup.round, signup.pledge_id
        if existing:
            setup = ctx.gateway.card_setup(existing)
            if setup.status != "declined":
                return setup
        setup = new_setup(
            ctx,
            user_id=self.user_id,
            metadata={"pledge": str(pledge_id), "signup": str(self.signup_id), "round": str(round_)},
            idempotency_key=f"pledge-signup:{self.signup_id}:{round_}:setup:{existing or 'first'}",
            now=now,
        )
        with unit_of_work(ctx.sessions) as session:
            signup = self._signup(session)
            if signup.round == round_ and signup.setup_intent_id in (None, existing):
                signup.setup_intent_id = setup.setup_intent_id
            else:
                return ctx.gateway.card_setup(cast(str, signup.setup_intent_id))
        return setup

    def apply_setup(self, ctx: Payments, setup: CardSetup, now: datetime, also: Also = None) -> CardSetup:
        """Store the saved card; once the pledge is collecting, hold it, once it has succeeded, charge it."""
        with unit_of_work(ctx.sessions) as session:
            if also is not None:
                also(session)
            signup = apply_card_setup(session, signup_id=self.signup_id, setup=setup, now=now)
            state, pledge_state = signup.status, signup.pledge.status
        if setup.status == "saved" and state == SignupStatus.CARD_SAVED:
            if pledge_state == PledgeStatus.COLLECTING:
                place_hold(ctx, self.signup_id, now=now)
            elif pledge_state == PledgeStatus.SUCCEEDED:
                place_hold(ctx, self.signup_id, now=now, charge_now=True)
        return setup

    def waiting_payment(self, session: Session) -> WaitingPayment:
        signup = self._signup(session)
        if signup.payment_intent_id is None or signup.status != SignupStatus.ACTION_NEEDED:
            raise Conflict(_t("This pledge has no payment waiting for a check."))
        return WaitingPayment(signup.payment_intent_id)

    def apply_payment(self, ctx: Payments, payment: Payment, now: datetime) -> SignupStatus:
        return apply_payment(ctx, self.signup_id, payment, now=now)
