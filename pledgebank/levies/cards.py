"""Saving a household's card for its levy charges (Stripe.js in live mode, Stripe's test cards in test
mode). The card belongs to the Stripe customer of the resident who saved it, and is authorised for the levy
it was saved from (consents.py): another levy's charges need their own consent. Saving a card takes
nothing: what is owed already is listed for the resident to confirm (confirmations.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.levies import consents
from pledgebank.levies.households import household_of, liability_of
from pledgebank.levies.models import Household, Levy
from pledgebank.levies.services import get_levy, lock_household
from pledgebank.payments.context import Payments
from pledgebank.payments.customers import customer_id_for
from pledgebank.payments.gateway import CardSetup, GatewayUnavailable, TestCard
from pledgebank.payments.sandbox import sandbox

USED_UP = ("saved", "declined")


def own_household(session: Session, *, levy_id: int, user_id: int) -> Household:
    """The user's household, which must be in the levy; Conflict otherwise."""
    levy = get_levy(session, levy_id)
    household = household_of(session, neighbourhood_id=levy.neighbourhood_id, user_id=user_id)
    if household is None or liability_of(session, levy_id=levy_id, household_id=household.id) is None:
        raise Conflict("Join the levy first: the card pays your household's charges.")
    return household


def start_card(ctx: Payments, *, levy_id: int, user_id: int, now: datetime) -> CardSetup:
    """The SetupIntent for the household's next card, created on first use (one in progress is reused)."""
    with unit_of_work(ctx.sessions) as session:
        household = own_household(session, levy_id=levy_id, user_id=user_id)
        household_id, existing, started_by = household.id, household.setup_intent_id, household.setup_by_id
    if existing:
        setup = ctx.gateway.card_setup(existing)
        if setup.status not in USED_UP and started_by == user_id:
            with unit_of_work(ctx.sessions) as session:
                household = lock_household(session, household_id)
                if household.setup_intent_id == existing:
                    household.setup_levy_id = levy_id  # the card in progress is now for this levy
            return setup
        if setup.status in USED_UP:
            _apply_setup(ctx, household_id, setup, now, notify=False)
    customer_id = customer_id_for(ctx.sessions, ctx.gateway, user_id=user_id, now=now)
    with unit_of_work(ctx.sessions) as session:
        household = lock_household(session, household_id)
        if household.setup_intent_id is not None:
            household.card_round += 1  # leave the other resident's unfinished card behind
        round_ = household.card_round
    setup = ctx.gateway.start_card_setup(
        customer_id=customer_id,
        metadata={"household": str(household_id), "round": str(round_)},
        idempotency_key=f"household:{household_id}:{round_}:setup",
    )
    with unit_of_work(ctx.sessions) as session:
        household = lock_household(session, household_id)
        if household.card_round == round_:
            household.setup_intent_id, household.setup_by_id = setup.setup_intent_id, user_id
            household.setup_levy_id = levy_id
    return setup


def use_test_card(
    ctx: Payments, *, levy_id: int, user_id: int, card: TestCard, return_url: str, now: datetime
) -> CardSetup:
    """Test mode: save one of Stripe's test cards for the household."""
    setup = start_card(ctx, levy_id=levy_id, user_id=user_id, now=now)
    if setup.status == "pending":
        setup = sandbox(ctx.gateway).setup_with_test_card(
            setup_intent_id=setup.setup_intent_id, card=card, return_url=return_url
        )
    with unit_of_work(ctx.sessions) as session:
        household_id = own_household(session, levy_id=levy_id, user_id=user_id).id
    return _apply_setup(ctx, household_id, setup, now, notify=False)


def finish_test_authentication(
    ctx: Payments, *, levy_id: int, user_id: int, succeed: bool, now: datetime
) -> CardSetup:
    """Test mode (emulator): pass or fail the simulated bank check while saving the household's card."""
    with unit_of_work(ctx.sessions) as session:
        household = own_household(session, levy_id=levy_id, user_id=user_id)
        household_id, setup_intent_id = household.id, household.setup_intent_id
    if setup_intent_id is None:
        raise Conflict("There is no card waiting to be checked.")
    setup = sandbox(ctx.gateway).finish_test_authentication(setup_intent_id=setup_intent_id, succeed=succeed)
    return _apply_setup(ctx, household_id, setup, now, notify=False)


def refresh_card(
    ctx: Payments,
    *,
    household_id: int,
    now: datetime,
    also: Callable[[Session], None] | None = None,
    notify: bool = True,
) -> CardSetup | None:
    """Read the household's SetupIntent again (after Stripe.js, a redirect, or a webhook) and apply it."""
    with unit_of_work(ctx.sessions) as session:
        setup_intent_id = session.get_one(Household, household_id).setup_intent_id
    if setup_intent_id is None:
        return None
    return _apply_setup(ctx, household_id, ctx.gateway.card_setup(setup_intent_id), now, also, notify=notify)


def _apply_setup(
    ctx: Payments,
    household_id: int,
    setup: CardSetup,
    now: datetime,
    also: Callable[[Session], None] | None = None,
    *,
    notify: bool,
) -> CardSetup:
    replaced = None
    with unit_of_work(ctx.sessions) as session:
        if also is not None:
            also(session)
        household = lock_household(session, household_id)
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
