"""The card pages of every card owner: save a card (Stripe's test cards in test mode, Stripe.js in live
mode), the emulator's stand-in for the bank's check, and the page Stripe sends the browser back to.

A feature keeps thin routes (its URLs) that resolve its `CardFlow` for the signed-in person and call these.
The card functions call Stripe between units of work of their own, so a flow reads in short transactions
of its own and the request's transaction is ended before they run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app, flash, make_response, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from pledgebank.errors import DomainError, NotFound
from pledgebank.payments import card_saving
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import CardSetup, GatewayUnavailable, TestCard
from pledgebank.payments.payable import CardOwner
from pledgebank.payments.web.card_form import TestCardForm
from pledgebank.payments.web.pages import STRIPE_CSP, UNAVAILABLE, declined_message, emulated, gateway
from pledgebank.web.forms import refused
from pledgebank.web.session import now

CHECK_FAILED = _l("The bank's check failed, so the card was not saved. Choose a card again.")
CHECK_UNFINISHED = _l("The bank's check is not finished, so the card is not saved yet.")


@dataclass(frozen=True, slots=True)
class CardPage:
    """What the card pages say and link to for one card owner (the wording of its feature)."""

    heading: str  # the page's title, e.g. "Save your card"
    name: str  # what the card pays for, linked above the heading
    about: str  # the template of the paragraph saying what saving the card agrees to
    back_url: str
    back_label: str  # e.g. "Back to the pledge"
    card_url: str  # the card page itself
    choose_url: str  # where the test-card form posts
    check_url: str  # the stand-in for the bank's check
    return_url: str  # where Stripe sends the browser back (an absolute URL)
    next: str = ""  # a page to go on to once the card is saved, kept through the forms
    words: Mapping[str, object] = field(default_factory=dict)  # what `about` needs


class CardFlow(Protocol):
    """A feature's side of the card pages, for the signed-in person (read when it was made)."""

    @property
    def owner(self) -> CardOwner:
        """What the card is saved for, as the person acting."""
        ...

    def page(self) -> CardPage:
        """The wording and links of its card pages."""
        ...

    def waiting(self) -> bool:
        """Whether it waits for a card now."""
        ...

    def setup_intent_id(self) -> str | None:
        """The SetupIntent of the card being saved, if any."""
        ...

    def not_waiting(self) -> ResponseReturnValue:
        """Where to go instead of the card page (and why) when it needs no card, or cards are not set up."""
        ...

    def saved(self) -> ResponseReturnValue:
        """Say what saving the card led to, and go on."""
        ...


def card_page(
    flow: CardFlow, form: TestCardForm, status: int = 200, setup: CardSetup | None = None
) -> ResponseReturnValue:
    """The card page: the test-card choice in test mode, Stripe's Payment Element for `setup` in live mode."""
    live = setup is not None
    page = flow.page()
    html = render_template(
        "payments/card.html",
        page=page,
        form=form,
        live=live,
        client_secret=setup.client_secret if setup is not None else None,
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        **page.words,
    )
    response = make_response(html, status)
    if live:
        response.headers["Content-Security-Policy"] = STRIPE_CSP
    return response


def _ready(flow: CardFlow) -> bool:
    return flow.waiting() and gateway().available


def show_card(flow: CardFlow, ctx: Payments) -> ResponseReturnValue:
    """Save the card: test cards in test mode, Stripe's Payment Element in live mode."""
    if not _ready(flow):
        return flow.not_waiting()
    form = TestCardForm(formdata=None)
    if gateway().test_mode:
        return card_page(flow, form)
    try:
        setup = flow.owner.start_setup(ctx, now())
    except GatewayUnavailable:
        form.form_errors.append(UNAVAILABLE)
        return card_page(flow, form, 503)
    return card_page(flow, form, setup=setup)


def choose_test_card(flow: CardFlow, ctx: Payments) -> ResponseReturnValue:
    """Test mode: save the chosen test card; a decline is shown beside the choice."""
    if not gateway().test_mode:
        raise NotFound()
    if not _ready(flow):
        return flow.not_waiting()
    page = flow.page()
    form = TestCardForm()
    status = 422
    if form.validate():
        try:
            setup = card_saving.use_test_card(
                ctx, flow.owner, card=TestCard(form.card.data), return_url=page.return_url, now=now()
            )
        except GatewayUnavailable:
            form.form_errors.append(UNAVAILABLE)
            status = 503
        except DomainError as error:
            if refused(error):
                raise
            form.form_errors.append(error.message)
            status = error.status
        else:
            if setup.status == "saved":
                return flow.saved()
            if setup.status == "needs_authentication":
                return redirect(setup.redirect_url or page.check_url)
            form.card.errors = [declined_message(setup.decline_code)]
    return card_page(flow, form, status)


def bank_check(flow: CardFlow, ctx: Payments) -> ResponseReturnValue:
    """Test mode, emulator: a page standing in for the bank's check (3-D Secure) while saving a card; its
    answer passes or fails the check, and a failed check lets you choose a card again."""
    page = flow.page()
    if not _ready(flow) or not flow.setup_intent_id() or not emulated():
        return redirect(page.card_url)
    if request.method == "GET":
        return render_template("payments/check.html", page=page, action=page.check_url)
    form = TestCardForm(formdata=None)
    try:
        setup = card_saving.finish_test_authentication(
            ctx, flow.owner, succeed=request.form.get("outcome") == "complete", now=now()
        )
    except GatewayUnavailable:
        form.form_errors.append(UNAVAILABLE)
        return card_page(flow, form, 503)
    if setup.status == "saved":
        return flow.saved()
    form.card.errors = [CHECK_FAILED]
    return card_page(flow, form, 422)


def card_returned(flow: CardFlow, ctx: Payments) -> ResponseReturnValue:
    """Where Stripe sends you back after saving a card (or the bank's check): read the result."""
    page = flow.page()
    if not flow.waiting():
        return redirect(page.back_url)
    try:
        setup = card_saving.refresh_card(ctx, flow.owner, now=now())
    except GatewayUnavailable:
        flash(UNAVAILABLE, "error")
        return redirect(page.back_url)
    if setup is not None and setup.status == "saved":
        return flow.saved()
    if setup is not None and setup.status == "declined":
        flash(declined_message(setup.decline_code), "error")
    elif setup is not None and setup.status == "needs_authentication":
        flash(CHECK_UNFINISHED, "error")
    return redirect(page.card_url)
