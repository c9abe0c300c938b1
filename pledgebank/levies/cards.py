"""Saving a household's card for its levy charges (Stripe.js in live mode, Stripe's test cards in test
mode): the card flow of `payments/` (`card_saving.py`) driven by the household as its card owner
(`payable.py`, where the rules of whose card it is and which levy it pays are)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.levies.payable import HouseholdCard
from pledgebank.payments import card_saving
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import CardSetup, TestCard


def start_card(ctx: Payments, *, levy_id: int, user_id: int, now: datetime) -> CardSetup:
    """The SetupIntent for the household's next card, created on first use (one in progress is reused)."""
    return HouseholdCard.of(ctx, levy_id=levy_id, user_id=user_id).start_setup(ctx, now)


def use_test_card(
    ctx: Payments, *, levy_id: int, user_id: int, card: TestCard, return_url: str, now: datetime
) -> CardSetup:
    """Test mode: save one of Stripe's test cards for the household."""
    owner = HouseholdCard.of(ctx, levy_id=levy_id, user_id=user_id)
    return card_saving.use_test_card(ctx, owner, card=card, return_url=return_url, now=now)


def finish_test_authentication(
    ctx: Payments, *, levy_id: int, user_id: int, succeed: bool, now: datetime
) -> CardSetup:
    """Test mode (emulator): pass or fail the simulated bank check while saving the household's card."""
    owner = HouseholdCard.of(ctx, levy_id=levy_id, user_id=user_id)
    return card_saving.finish_test_authentication(ctx, owner, succeed=succeed, now=now)


def refresh_card(
    ctx: Payments,
    *,
    household_id: int,
    now: datetime,
    also: Callable[[Session], None] | None = None,
) -> CardSetup | None:
    """Read the household's SetupIntent again (after Stripe.js, a redirect, or a webhook) and apply it."""
    return card_saving.refresh_card(ctx, HouseholdCard(household_id), now=now, also=also)
