"""Fixing a payment during collection, from the emailed link: the fix page of `payments/web/fix_flow.py` at
the pledge's URLs, with the signup as the payable and the pledge's words."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext
from flask_login import login_required

from pledgebank.errors import NotFound
from pledgebank.payments.context import Payments
from pledgebank.payments.web import fix_flow
from pledgebank.payments.web.fix_flow import FixPage
from pledgebank.pledges import cards
from pledgebank.pledges.payable import SignupCard
from pledgebank.pledges.states import SignupStatus
from pledgebank.pledges.web.blueprint import bp
from pledgebank.pledges.web.card_views import Mine, mine_of, payments
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.session import now


@dataclass(frozen=True, slots=True)
class SignupFix:
    """The signed-in pledger's signup on the fix page."""

    mine: Mine

    @property
    def payable(self) -> SignupCard:
        return SignupCard(self.mine.signup_id, signed_in_user_id())

    def page(self) -> FixPage:
        pledge_id = self.mine.pledge_id
        return FixPage(
            name=self.mine.title,
            explain="pledges/_fix_explain.html",
            settled="pledges/_fix_settled.html",
            another_card=gettext(
                "Save a different card for this pledge; the payment is tried again with it straight away."
            ),
            check_failed=gettext(
                "The check was not completed, so the payment did not go through. Use another card before "
                "collection ends."
            ),
            back_url=url_for("pledges.show", pledge_id=pledge_id),
            back_label=gettext("Back to the pledge"),
            card_url=url_for("pledges.card", pledge_id=pledge_id),
            authenticate_url=url_for("pledges.fix_authenticate", pledge_id=pledge_id),
            new_card_url=url_for("pledges.fix_new_card", pledge_id=pledge_id),
            words={"mine": self.mine},
        )

    def needed(self) -> bool:
        return self.mine.status == SignupStatus.ACTION_NEEDED

    def decline(self) -> tuple[str | None, str | None]:
        return self.mine.decline_code, self.mine.payment_intent_id

    def replace_card(self, ctx: Payments) -> None:
        cards.replace_card(ctx, signup_id=self.mine.signup_id, user_id=signed_in_user_id(), now=now())


def _fix(pledge_id: int) -> SignupFix:
    mine = mine_of(pledge_id)
    if mine is None:
        raise NotFound("You have no pledge here.")
    return SignupFix(mine)


@bp.get("/p/<int:pledge_id>/fix")
@login_required
def fix(pledge_id: int):
    """The emailed link: confirm a payment the bank wants to check, or use another card."""
    return fix_flow.fix_page(_fix(pledge_id))


@bp.post("/p/<int:pledge_id>/fix/authenticate")
@login_required
def fix_authenticate(pledge_id: int):
    """Test mode, emulator: pass or fail the bank's check of a held payment."""
    return fix_flow.authenticate(lambda: _fix(pledge_id), payments())


@bp.post("/p/<int:pledge_id>/fix/new-card")
@login_required
def fix_new_card(pledge_id: int):
    """Give up the declined payment and save another card for this pledge."""
    return fix_flow.new_card(lambda: _fix(pledge_id), payments())
