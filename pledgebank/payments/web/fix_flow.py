"""The fix-your-payment pages of every payable, from the emailed link: confirm a payment the bank wants to
check (test mode, against the emulator), or give it up and save another card.

A feature keeps thin routes (its URLs) that pass a way to read its `FixFlow` for the signed-in person: the
page is read again after each action, since the card functions change it in units of work of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from flask import flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from pledgebank.errors import Conflict, DomainError
from pledgebank.payments import card_saving
from pledgebank.payments.card_charges import AUTHENTICATION_CODES
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import GatewayUnavailable, PaymentStatus
from pledgebank.payments.payable import Payable
from pledgebank.payments.web.pages import UNAVAILABLE, can_check
from pledgebank.web.forms import refused
from pledgebank.web.session import now


@dataclass(frozen=True, slots=True)
class FixPage:
    """What the fix page says and links to for one payable (the wording of its feature)."""

    name: str  # what the payment is for, linked above the heading
    explain: str  # the template saying why the payment needs fixing
    settled: str  # the template saying where it stands when there is nothing to fix
    another_card: str  # what using another card does
    check_failed: str  # what a failed check means, and what to do
    back_url: str
    back_label: str
    card_url: str  # where another card is saved
    authenticate_url: str
    new_card_url: str
    heading: str = _l("Fix your payment")
    words: Mapping[str, object] = field(default_factory=dict)  # what the templates need


class FixFlow(Protocol):
    """A feature's side of the fix page, for the signed-in person (read when it was made)."""

    @property
    def payable(self) -> Payable:
        """What the payment is for, as the person acting."""
        ...

    def page(self) -> FixPage:
        """The wording and links of its fix page."""
        ...

    def needed(self) -> bool:
        """Whether a payment of it needs fixing now."""
        ...

    def decline(self) -> tuple[str | None, str | None]:
        """Its payment's decline code and PaymentIntent, if any."""
        ...

    def replace_card(self, ctx: Payments) -> None:
        """Give up the declined payment, ready for another card to be saved."""
        ...


def fix_page(flow: FixFlow, status: int = 200, error: str | None = None) -> ResponseReturnValue:
    """The fix page, with what went wrong with the last thing tried."""
    page, needed = flow.page(), flow.needed()
    code, intent = flow.decline()
    try:
        checkable = needed and can_check(code, intent)
    except GatewayUnavailable:
        checkable, error, status = False, error or UNAVAILABLE, 503
    html = render_template(
        "payments/fix.html",
        page=page,
        needed=needed,
        can_check=checkable,
        authenticate=code in AUTHENTICATION_CODES,
        error=error,
        **page.words,
    )
    return html, status


def authenticate(flow_of: Callable[[], FixFlow], ctx: Payments) -> ResponseReturnValue:
    """Test mode, emulator: pass or fail the bank's check of the payment."""

    def work(flow: FixFlow) -> ResponseReturnValue:
        if not flow.needed() or not can_check(*flow.decline()):
            raise Conflict("This payment is not waiting for a check.")
        result = card_saving.authenticate_payment(
            ctx, flow.payable, succeed=request.form.get("outcome") == "complete", now=now()
        )
        if result in (PaymentStatus.AUTHORISED, PaymentStatus.SUCCEEDED):
            flash(gettext("Thank you: your payment is confirmed."), "success")
            return redirect(flow.page().back_url)
        return fix_page(flow_of(), 422, flow.page().check_failed)

    return _trying(flow_of, work)


def new_card(flow_of: Callable[[], FixFlow], ctx: Payments) -> ResponseReturnValue:
    """Give up the declined payment and go on to save another card."""

    def work(flow: FixFlow) -> ResponseReturnValue:
        flow.replace_card(ctx)
        return redirect(flow.page().card_url)

    return _trying(flow_of, work)


def _trying(
    flow_of: Callable[[], FixFlow], work: Callable[[FixFlow], ResponseReturnValue]
) -> ResponseReturnValue:
    """Do the work; Stripe out of reach, or a refusal in business words, is shown on the fix page."""
    try:
        return work(flow_of())
    except GatewayUnavailable:
        return fix_page(flow_of(), 503, UNAVAILABLE)
    except DomainError as error:
        if refused(error):
            raise
        return fix_page(flow_of(), error.status, error.message)
