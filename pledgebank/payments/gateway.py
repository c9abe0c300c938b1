"""What the service needs from a card processor, in domain terms: outcomes, never SDK objects."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pledgebank.errors import Conflict, DomainError
from pledgebank.text import _t


class TestCard(StrEnum):
    """Stripe's documented test cards that test mode offers instead of a card form."""

    __test__ = False  # not a pytest test class

    SUCCEEDS = "succeeds"
    DECLINED_AT_SETUP = "declined_at_setup"
    DECLINES_AT_CHARGE = "declines_at_charge"
    REQUIRES_AUTHENTICATION = "requires_authentication"


TEST_CARD_NUMBERS = {
    TestCard.SUCCEEDS: "4242424242424242",
    TestCard.DECLINED_AT_SETUP: "4000000000000002",
    TestCard.DECLINES_AT_CHARGE: "4000000000000341",
    TestCard.REQUIRES_AUTHENTICATION: "4000002500003155",
}

TEST_CARD_LABELS = {
    TestCard.SUCCEEDS: _t("Visa 4242 4242 4242 4242: always succeeds"),
    TestCard.DECLINED_AT_SETUP: _t("Visa 4000 0000 0000 0002: declined when saved"),
    TestCard.DECLINES_AT_CHARGE: _t("Visa 4000 0000 0000 0341: saves, then declines when charged"),
    TestCard.REQUIRES_AUTHENTICATION: _t(
        "Visa 4000 0025 0000 3155: asks the bank to authenticate (3-D Secure)"
    ),
}


@dataclass(frozen=True, slots=True)
class SavedCard:
    """A card saved for later off-session use."""

    payment_method_id: str
    brand: str
    last4: str


@dataclass(frozen=True, slots=True)
class CardSetup:
    """Result of saving a card: saved (card set), needs authentication, or declined (code)."""

    setup_intent_id: str
    status: str  # "saved" | "needs_authentication" | "declined" | "pending"
    card: SavedCard | None = None
    decline_code: str | None = None
    client_secret: str | None = None
    redirect_url: str | None = None


class PaymentStatus(StrEnum):
    """Where a payment stands, in our words."""

    AUTHORISED = "authorised"  # a hold: money reserved, not yet taken
    SUCCEEDED = "succeeded"  # money taken
    NEEDS_AUTHENTICATION = "needs_authentication"  # the cardholder must authenticate on-session
    DECLINED = "declined"  # the bank said no; another card may work
    CANCELED = "canceled"  # the hold was released
    PROCESSING = "processing"
    FAILED = "failed"  # something else went wrong; retry later


@dataclass(frozen=True, slots=True)
class Payment:
    """A PaymentIntent as the service sees it."""

    payment_intent_id: str
    status: PaymentStatus
    amount: int
    currency: str
    charge_id: str | None = None
    decline_code: str | None = None
    client_secret: str | None = None
    redirect_url: str | None = None
    metadata: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Settlement:
    """What Stripe took and kept for a captured charge (from its balance transaction)."""

    charge_id: str
    balance_transaction_id: str
    amount: int
    fee: int
    net: int
    currency: str


@dataclass(frozen=True, slots=True)
class BalanceTransaction:
    """One movement of the Stripe balance (a charge, a refund, a payout, a fee) and the fee Stripe kept."""

    id: str
    type: str
    source_id: str | None
    amount: int
    fee: int
    net: int
    currency: str
    created: int


@dataclass(frozen=True, slots=True)
class Payout:
    """Money sent from the Stripe balance to the bank account."""

    id: str
    amount: int
    currency: str
    status: str
    arrival_date: int
    created: int
    balance_transaction_id: str | None = None


@dataclass(frozen=True, slots=True)
class Refund:
    """Money sent back to the card of a payment, in full or in part (Stripe keeps the card fee)."""

    id: str
    charge_id: str
    payment_intent_id: str | None
    amount: int
    currency: str
    status: str  # "succeeded" | "pending" | "failed" | "canceled" | "requires_action"
    created: int
    balance_transaction_id: str | None = None
    metadata: dict[str, str] | None = None
    reason: str | None = None  # Stripe's: "duplicate" | "fraudulent" | "requested_by_customer"
    # A refund that failed after it was made: the balance transaction that put the money back, and when.
    failure_balance_transaction_id: str | None = None
    failed_at: int | None = None


@dataclass(frozen=True, slots=True)
class Dispute:
    """A cardholder's bank disputing a payment, with the balance movements it caused so far.

    Each movement is a balance transaction: the withdrawal (amount and Stripe's dispute fee) and, for a
    dispute won, the reinstatement.
    """

    id: str
    charge_id: str
    amount: int
    currency: str
    status: str
    movements: tuple[BalanceTransaction, ...] = ()


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A verified webhook event: its id, type and the id of the object it is about."""

    id: str
    type: str
    object_type: str
    object_id: str
    created: int


class GatewayUnavailable(DomainError):
    """The processor could not be reached or answered with a server error; the call may be retried."""

    status = 503
    code = "payments_unavailable"
    default_message = "Card payments are not available just now. Please try again in a few minutes."


class PaymentRefused(Conflict):
    """The processor refused the request as it stands (an object gone or in the wrong state)."""

    code = "payment_refused"
    default_message = "The card payment could not go ahead as it stands; reload the page and try again."

    def __init__(self, message: str | None = None, *, stripe_code: str | None = None) -> None:
        super().__init__(message)
        self.stripe_code = stripe_code


class InvalidWebhook(Exception):
    """A webhook whose signature is missing, wrong or too old."""


class MalformedWebhook(InvalidWebhook):
    """A correctly signed webhook whose body is not an event we can read; kept for inspection."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class PaymentGateway(Protocol):
    """Card payments through a processor; every creating call takes an idempotency key.

    Test mode's extras (Stripe's test cards, the emulator's simulated bank checks) are not part of it: see
    pledgebank.payments.sandbox.
    """

    test_mode: bool
    available: bool

    def create_customer(self, *, email: str, reference: str, idempotency_key: str) -> str:
        """Create a customer and return its id."""
        ...

    def start_card_setup(
        self, *, customer_id: str, metadata: dict[str, str], idempotency_key: str
    ) -> CardSetup:
        """Start saving a card for off-session use; the result carries the client secret for Stripe.js."""
        ...

    def card_setup(self, setup_intent_id: str) -> CardSetup:
        """Read a setup's current state."""
        ...

    def hold(
        self,
        *,
        customer_id: str,
        payment_method_id: str,
        amount: int,
        currency: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Payment:
        """Reserve money off-session (manual capture)."""
        ...

    def charge(
        self,
        *,
        customer_id: str,
        payment_method_id: str,
        amount: int,
        currency: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Payment:
        """Take money off-session now (automatic capture)."""
        ...

    def capture(self, *, payment_intent_id: str, idempotency_key: str) -> Payment:
        """Take the money of an authorised hold."""
        ...

    def cancel(self, *, payment_intent_id: str, idempotency_key: str) -> Payment:
        """Release a hold (or abandon a payment that needs action)."""
        ...

    def payment(self, payment_intent_id: str) -> Payment:
        """Read a payment's current state."""
        ...

    def find_payment(self, *, customer_id: str, attempt_key: str) -> Payment | None:
        """Find the payment an earlier attempt created (by the attempt key in its metadata), if any."""
        ...

    def settlement(self, charge_id: str) -> Settlement:
        """The amount, fee and net of a charge, from its balance transaction."""
        ...

    def payouts(self, *, since: int) -> list[Payout]:
        """Payouts created at or after `since` (a Unix time)."""
        ...

    def balance_transactions(
        self, *, since: int | None = None, payout_id: str | None = None
    ) -> list[BalanceTransaction]:
        """Balance transactions created at or after `since`, or those paid out by one payout."""
        ...

    def release_card(self, payment_method_id: str) -> None:
        """Detach a saved card from its customer."""
        ...

    def delete_customer(self, customer_id: str) -> None:
        """Delete a customer, with its email address and saved cards (one already deleted is fine)."""
        ...

    def refund(
        self,
        *,
        payment_intent_id: str,
        amount: int,
        metadata: dict[str, str],
        idempotency_key: str,
        reason: str | None = None,
    ) -> Refund:
        """Send part or all of a captured payment back to the card."""
        ...

    def refunds(self, payment_intent_id: str) -> list[Refund]:
        """Every refund of a payment, however it was made (here or in Stripe's dashboard)."""
        ...

    def refund_of(self, refund_id: str) -> Refund:
        """One refund's current state."""
        ...

    def charge_payment_intent(self, charge_id: str) -> str | None:
        """The PaymentIntent a charge belongs to (None for a charge made without one)."""
        ...

    def dispute(self, dispute_id: str) -> Dispute:
        """A dispute's current state and the balance movements it caused."""
        ...

    def disputes(self, payment_intent_id: str) -> list[Dispute]:
        """Every dispute of a payment's charge."""
        ...

    def verify_webhook(self, *, payload: bytes, signature: str | None) -> WebhookEvent:
        """Check a webhook's signature and return the event; raise InvalidWebhook otherwise."""
        ...
