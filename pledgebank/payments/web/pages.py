"""What every card page says and needs, whichever feature it is for: words for declines and for Stripe
being out of reach, the content policy that lets Stripe.js in, and whether the emulator's checks apply."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from pledgebank.payments.card_charges import AUTHENTICATION_CODES
from pledgebank.payments.gateway import PaymentGateway, PaymentStatus
from pledgebank.payments.sandbox import SandboxGateway
from pledgebank.web.security import CSP

UNAVAILABLE = _l(
    "Card payments cannot be reached just now. Nothing has changed; please try again in a minute."
)
STRIPE_CSP = (
    CSP.replace("script-src 'self'", "script-src 'self' https://js.stripe.com")
    .replace("connect-src 'self'", "connect-src 'self' https://api.stripe.com")
    .replace(
        "default-src 'self';", "default-src 'self'; frame-src https://js.stripe.com https://hooks.stripe.com;"
    )
)
DECLINES = {
    "card_declined": _l("Your bank declined this card."),
    "insufficient_funds": _l("The card does not have enough money available."),
    "expired_card": _l("This card has expired."),
    "incorrect_cvc": _l("The security code is wrong."),
    "processing_error": _l("The bank could not process the card."),
    "setup_failed": _l("The card could not be saved."),
    "authentication_failed": _l("The bank's check was not completed."),
}


def gateway() -> PaymentGateway:
    """The card gateway the app was built with."""
    gateway: PaymentGateway = current_app.extensions["pledgebank.gateway"]
    return gateway


def emulated() -> bool:
    """True in test mode against the local emulator, whose bank checks our pages stand in for."""
    gw = gateway()
    return gw.available and gw.test_mode and isinstance(gw, SandboxGateway) and gw.emulated


def declined_message(code: str | None) -> str:
    """Why a card was not saved, in words, and what to do."""
    reason = DECLINES.get(code or "", _l("The card was not saved."))
    return str(gettext("%(reason)s Choose another card.", reason=reason))


def can_check(decline_code: str | None, payment_intent_id: str | None) -> bool:
    """Whether a payment waits for the bank's check that the emulator's page can stand in for (asks Stripe;
    GatewayUnavailable when it cannot be reached)."""
    if decline_code not in AUTHENTICATION_CODES or not payment_intent_id or not emulated():
        return False
    return gateway().payment(payment_intent_id).status == PaymentStatus.NEEDS_AUTHENTICATION
