"""Saving a pledger's card: the card pages of `payments/web/card_flow.py` at the pledge's URLs, with the
signup as the card's owner and the pledge's words.

The card functions call Stripe between units of work of their own, so these views read in `transaction()`
blocks, which end before they are called.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, url_for
from flask_babel import gettext
from flask_login import login_required

from pledgebank.jobs import payments_context
from pledgebank.payments.web import card_flow
from pledgebank.payments.web.card_flow import CardPage
from pledgebank.pledges import services, signups
from pledgebank.pledges.payable import SignupCard
from pledgebank.pledges.states import SignupStatus
from pledgebank.pledges.web.blueprint import bp
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.filters import short_money
from pledgebank.web.session import this_app, transaction


@dataclass(frozen=True, slots=True)
class Mine:
    """The signed-in user's signup for a pledge, read in a short transaction."""

    pledge_id: int
    signup_id: int
    title: str
    status: SignupStatus
    amount: int
    currency: str
    setup_intent_id: str | None
    payment_intent_id: str | None
    decline_code: str | None
    card_last4: str | None
    collection_ends_at: object


def mine_of(pledge_id: int) -> Mine | None:
    """Read the user's signup and end the transaction, so the card functions can take their own."""
    with transaction() as session:
        pledge = services.get_pledge(session, pledge_id)
        signup = signups.signup_of(session, pledge_id=pledge_id, user_id=current_user_id())
        if signup is None:
            return None
        return Mine(
            pledge.id,
            signup.id,
            pledge.title,
            signup.status,
            signup.amount,
            pledge.currency,
            signup.setup_intent_id,
            signup.payment_intent_id,
            signup.decline_code,
            signup.card_last4,
            pledge.collection_ends_at,
        )


def payments():
    """What the card functions need, from the app."""
    return payments_context(this_app())


def back(pledge_id: int):
    """Back to the pledge page."""
    return redirect(url_for("pledges.show", pledge_id=pledge_id))


def _saved(pledge_id: int):
    """Say what saving the card led to, and go back to the pledge (or on to fixing the payment)."""
    mine = mine_of(pledge_id)
    if mine is None:  # withdrawn meanwhile
        return back(pledge_id)
    amount = short_money(mine.amount, mine.currency)
    if mine.status == SignupStatus.ACTION_NEEDED:
        flash(gettext("Card saved, but the payment needs your attention."), "info")
        return redirect(url_for("pledges.fix", pledge_id=pledge_id))
    last4 = mine.card_last4
    if mine.status == SignupStatus.CAPTURED:
        message = gettext("Card saved and charged: thank you, %(amount)s is paid.", amount=amount)
    elif mine.status == SignupStatus.HELD:
        message = gettext(
            "Card saved: %(amount)s is reserved on your card ending %(last4)s and is taken when collection "
            "ends.",
            amount=amount,
            last4=last4,
        )
    else:
        message = gettext(
            "Card saved: your card ending %(last4)s is ready for your %(amount)s pledge. Nothing is taken "
            "unless the pledge succeeds.",
            amount=amount,
            last4=last4,
        )
    flash(message, "success")
    return back(pledge_id)


@dataclass(frozen=True, slots=True)
class SignupCardFlow:
    """The signed-in pledger's signup on the card pages (`payments/web/card_flow.py`)."""

    pledge_id: int
    mine: Mine | None

    @property
    def owner(self) -> SignupCard:
        assert self.mine is not None, "only a signup saves a card"
        return SignupCard(self.mine.signup_id, signed_in_user_id())

    def page(self) -> CardPage:
        pledge_id = self.pledge_id
        return CardPage(
            heading=gettext("Save your card"),
            name=self.mine.title if self.mine is not None else "",
            about="pledges/_card_about.html",
            back_url=url_for("pledges.show", pledge_id=pledge_id),
            back_label=gettext("Back to the pledge"),
            card_url=url_for("pledges.card", pledge_id=pledge_id),
            choose_url=url_for("pledges.choose_test_card", pledge_id=pledge_id),
            check_url=url_for("pledges.card_check", pledge_id=pledge_id),
            return_url=url_for("pledges.card_return", pledge_id=pledge_id, _external=True),
            words={"mine": self.mine},
        )

    def waiting(self) -> bool:
        return self.mine is not None and self.mine.status == SignupStatus.CARD_PENDING

    def setup_intent_id(self) -> str | None:
        return self.mine.setup_intent_id if self.mine is not None else None

    def not_waiting(self):
        flash(gettext("Your pledge does not need a card now."), "info")
        return back(self.pledge_id)

    def saved(self):
        return _saved(self.pledge_id)


def _flow(pledge_id: int) -> SignupCardFlow:
    return SignupCardFlow(pledge_id, mine_of(pledge_id))


@bp.get("/p/<int:pledge_id>/card")
@login_required
def card(pledge_id: int):
    """Save the card for your pledge: test cards in test mode, Stripe's Payment Element in live mode."""
    return card_flow.show_card(_flow(pledge_id), payments())


@bp.post("/p/<int:pledge_id>/card")
@login_required
def choose_test_card(pledge_id: int):
    """Test mode: save the chosen test card; a decline is shown beside the choice."""
    return card_flow.choose_test_card(_flow(pledge_id), payments())


@bp.get("/p/<int:pledge_id>/card/check")
@login_required
def card_check(pledge_id: int):
    """Test mode, emulator: a page standing in for the bank's check (3-D Secure) while saving a card."""
    return card_flow.bank_check(_flow(pledge_id), payments())


@bp.post("/p/<int:pledge_id>/card/check")
@login_required
def finish_card_check(pledge_id: int):
    """Pass or fail the stand-in bank check; a failed check lets you choose a card again."""
    return card_flow.bank_check(_flow(pledge_id), payments())


@bp.get("/p/<int:pledge_id>/card/return")
@login_required
def card_return(pledge_id: int):
    """Where Stripe sends you back after saving a card (or the bank's check): read the result."""
    return card_flow.card_returned(_flow(pledge_id), payments())
