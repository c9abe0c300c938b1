"""A household as the card flow's card owner (`payments/payable.py`): the card belongs to the Stripe customer
of the resident who saved it and is authorised for the levy it was saved from (consents.py); another levy's
charges need their own consent. Saving a card takes nothing: what is owed already is listed for the
resident to confirm (confirmations.py). One charge's payment is the payable (`payments.ChargePayment`)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.levies import consents
from pledgebank.levies.households import household_of, liability_of
from pledgebank.levies.models import Household, Levy
from pledgebank.levies.services import get_levy, lock_household
from pledgebank.payments.card_saving import new_setup
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import CardSetup, GatewayUnavailable
from pledgebank.payments.payable import Also

USED_UP = ("saved", "declined")


def own_household(session: Session, *, levy_id: int, user_id: int) -> Household:
    """The user's household, which must be in the levy; Conflict otherwise."""
    levy = get_levy(session, levy_id)
    household = household_of(session, neighbourhood_id=levy.neighbourhood_id, user_id=user_id)
    if household is None or liability_of(session, levy_id=levy_id, household_id=household.id) is None:
        raise Conflict("Join the levy first: the card pays your household's charges.")
    return household


@dataclass(frozen=True, slots=True)
class HouseholdCard:
    """The household's card; `levy_id` and `user_id`: the resident saving it from a levy (None: a webhook)."""

    household_id: int
    levy_id: int | None = None
    user_id: int | None = None

    @classmethod
    def of(cls, ctx: Payments, *, levy_id: int, user_id: int) -> HouseholdCard:
        """The resident's household in the levy; Conflict when they have not joined it."""
        with unit_of_work(ctx.sessions) as session:
            household = own_household(session, levy_id=levy_id, user_id=user_id)
            return cls(household.id, levy_id, user_id)

    def setup_intent_id(self, session: Session) -> str | None:
        if self.levy_id is not None and self.user_id is not None:
            return own_household(session, levy_id=self.levy_id, user_id=self.user_id).setup_intent_id
        return session.get_one(Household, self.household_id).setup_intent_id

    def start_setup(self, ctx: Payments, now: datetime) -> CardSetup:
        """The SetupIntent for the household's next card, created on first use (one in progress is reused)."""
        levy_id, user_id = self.levy_id, self.user_id
        assert levy_id is not None and user_id is not None, "a resident saves the card from a levy"
        with unit_of_work(ctx.sessions) as session:
            household = own_household(session, levy_id=levy_id, user_id=user_id)
            household_id, existing, started_by = (
                household.id,
                household.setup_intent_id,
                household.setup_by_id,
            )
        if existing:
            setup = ctx.gateway.card_setup(existing)
            if setup.status not in USED_UP and started_by == user_id:
                with unit_of_work(ctx.sessions) as session:
                    household = lock_household(session, household_id)
                    if household.setup_intent_id == existing:
                        household.setup_levy_id = levy_id  # the card in progress is now for this levy
                return setup
            if setup.status in USED_UP:
                self.apply_setup(ctx, setup, now)
        with unit_of_work(ctx.sessions) as session:
            household = lock_household(session, household_id)
            if household.setup_intent_id is not None:
                household.card_round += 1  # leave the other resident's unfinished card behind
            round_ = household.card_round
        setup = new_setup(
            ctx,
            user_id=user_id,
            metadata={"household": str(household_id), "round": str(round_)},
            idempotency_key=f"household:{household_id}:{round_}:setup",
            now=now,
        )
        with unit_of_work(ctx.sessions) as session:
            household = lock_household(session, household_id)
            if household.card_round == round_:
                household.setup_intent_id, household.setup_by_id = setup.setup_intent_id, user_id
                household.setup_levy_id = levy_id
        return setup

    def apply_setup(self, ctx: Payments, setup: CardSetup, now: datetime, also: Also = None) -> CardSetup:
        """Store the saved card (ending other levies' consents to an older one) and give the consent for the
        levy it was saved from; a decline is kept to be shown."""
        replaced = None
        with unit_of_work(ctx.sessions) as session:
            if also is not None:
                also(session)
            household = lock_household(session, self.household_id)
            if household.setup_intent_id != setup.setup_intent_id or setup.status not in USED_UP:
                return setup  # an earlier card, or one still waiting for the bank's check
            household.setup_intent_id = None  # a SetupIntent saves one card once
            household.card_round += 1
            if setup.status == "declined":
                household.card_decline_code, household.setup_by_id = setup.decline_code, None
                return setup
            assert setup.card is not None  # a saved setup carries its card
            if household.payment_method_id != setup.card.payment_method_id:
                replaced = household.payment_method_id
            saved_by = household.setup_by_id
            household.payer_id, household.setup_by_id = household.setup_by_id, None
            household.payment_method_id = setup.card.payment_method_id
            household.card_brand, household.card_last4 = setup.card.brand, setup.card.last4
            household.card_decline_code = None
            consents.end_for_other_cards(session, household, now=now)
            levy = session.get(Levy, household.setup_levy_id) if household.setup_levy_id else None
            if levy is not None and saved_by is not None:
                consents.give(session, levy=levy, household=household, user_id=saved_by, now=now)
            household.setup_levy_id = None
        if replaced:
            # Unreachable now: the old card stays attached at Stripe, unused; nothing here depends on it.
            with contextlib.suppress(GatewayUnavailable):
                ctx.gateway.release_card(replaced)
        return setup
