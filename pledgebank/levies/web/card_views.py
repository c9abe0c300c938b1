"""Saving a household's card: the card pages of `payments/web/card_flow.py` at the levy's URLs, with the
household as the card's owner and the levy's words. The card is authorised for the levy it is saved from;
anything owed already is listed to confirm, never taken at once.

The card functions call Stripe between units of work of their own, so these views read in `transaction()`
blocks, which end before they are called.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.jobs import payments_context
from pledgebank.levies import confirmations
from pledgebank.levies.models import Household
from pledgebank.levies.payable import HouseholdCard, own_household
from pledgebank.levies.services import get_levy
from pledgebank.levies.web.blueprint import bp
from pledgebank.payments.web import card_flow
from pledgebank.payments.web.card_flow import CardPage
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.forms import safe_next
from pledgebank.web.session import db_session, this_app, transaction


def ctx():
    """What the card functions need, from the app."""
    return payments_context(this_app())


def end_reads() -> None:
    """End the request's transaction, so the card functions can take their own (SQLite has one writer)."""
    db_session().commit()


def _household(levy_id: int) -> Household:
    with transaction() as session:
        session.expire_all()  # the card functions changed it in their own transactions
        return own_household(session, levy_id=levy_id, user_id=signed_in_user_id())


def _after(levy_id: int) -> str:
    return safe_next(request.values.get("next"), url_for("levies.show", levy_id=levy_id))


def confirm_url(levy_id: int) -> str:
    """The page listing what the household's card would pay now."""
    return url_for("levies.confirm_charges", levy_id=levy_id)


def owes_now(levy_id: int) -> bool:
    """Whether the signed-in resident's household has anything its card would pay now."""
    with transaction() as session:
        session.expire_all()  # the card functions changed it in their own transactions
        household = own_household(session, levy_id=levy_id, user_id=signed_in_user_id())
        return bool(confirmations.owed_now(session, household).charges)


def _saved(levy_id: int):
    household = _household(levy_id)
    levy = get_levy(db_session(), levy_id)
    values = {"levy": levy.name, "last4": household.card_last4}
    if owes_now(levy_id):
        message = _(
            "Card saved: %(levy)s's charges are taken from the card ending %(last4)s. Nothing has been taken "
            "yet: check what is owed now and confirm it.",
            **values,
        )
        flash(message, "success")
        return redirect(confirm_url(levy_id))
    flash(
        _(
            "Card saved: %(levy)s's charges are taken from the card ending %(last4)s as they fall due.",
            **values,
        ),
        "success",
    )
    return redirect(_after(levy_id))


@dataclass(frozen=True, slots=True)
class HouseholdCardFlow:
    """The signed-in resident's household on the card pages of a levy it is in."""

    levy_id: int
    household: Household

    @property
    def owner(self) -> HouseholdCard:
        return HouseholdCard(self.household.id, self.levy_id, signed_in_user_id())

    def page(self) -> CardPage:
        levy_id, then = self.levy_id, request.values.get("next")
        with transaction() as session:  # ended before the card functions take their own
            levy = get_levy(session, levy_id)
        return CardPage(
            heading=_("Save a card for your household"),
            name=levy.name,
            about="levies/_card_about.html",
            back_url=url_for("levies.show", levy_id=levy_id),
            back_label=_("Back to the levy"),
            card_url=url_for("levies.card", levy_id=levy_id),
            choose_url=url_for("levies.choose_test_card", levy_id=levy_id),
            check_url=url_for("levies.card_check", levy_id=levy_id, next=then),
            return_url=url_for("levies.card_return", levy_id=levy_id, next=then, _external=True),
            next=then or "",
            words={"levy": levy},
        )

    def waiting(self) -> bool:
        return True  # a household may save another card at any time

    def setup_intent_id(self) -> str | None:
        return self.household.setup_intent_id

    def not_waiting(self):
        flash(_("Card payments are not set up here: pay the treasurer instead."), "info")
        return redirect(url_for("levies.show", levy_id=self.levy_id))

    def saved(self):
        return _saved(self.levy_id)


def _flow(levy_id: int) -> HouseholdCardFlow:
    return HouseholdCardFlow(levy_id, _household(levy_id))


@bp.get("/levies/<int:levy_id>/card")
@login_required
def card(levy_id: int):
    """Save a card for your household: test cards in test mode, Stripe's Payment Element in live mode."""
    return card_flow.show_card(_flow(levy_id), ctx())


@bp.post("/levies/<int:levy_id>/card")
@login_required
def choose_test_card(levy_id: int):
    """Test mode: save the chosen test card; a decline is shown beside the choice."""
    return card_flow.choose_test_card(_flow(levy_id), ctx())


@bp.route("/levies/<int:levy_id>/card/check", methods=["GET", "POST"])
@login_required
def card_check(levy_id: int):
    """Test mode, emulator: a page standing in for the bank's check (3-D Secure) while saving a card."""
    return card_flow.bank_check(_flow(levy_id), ctx())


@bp.get("/levies/<int:levy_id>/card/return")
@login_required
def card_return(levy_id: int):
    """Where Stripe sends you back after saving a card (or the bank's check): read the result."""
    return card_flow.card_returned(_flow(levy_id), ctx())
