"""The gateway used when no Stripe keys are configured: card payments are simply not offered."""

from __future__ import annotations

from typing import NoReturn

from pledgebank.payments.gateway import (
    BalanceTransaction,
    CardSetup,
    Dispute,
    GatewayUnavailable,
    Payment,
    PaymentGateway,
    Payout,
    Refund,
    Settlement,
    WebhookEvent,
)


def _unavailable() -> NoReturn:
    raise GatewayUnavailable("card payments are not configured (set the PLEDGEBANK_STRIPE_* settings)")


class NoCardPayments(PaymentGateway):
    """Every card operation is unavailable; cash pledges still work. No test mode either."""

    test_mode = False
    available = False

    def delete_customer(self, customer_id: str) -> None:
        """Unavailable: a deletion recorded while no keys are set waits until they are."""
        _unavailable()

    def create_customer(self, *, email: str, reference: str, idempotency_key: str) -> str:
        _unavailable()

    def start_card_setup(
        self, *, customer_id: str, metadata: dict[str, str], idempotency_key: str
    ) -> CardSetup:
        _unavailable()

    def card_setup(self, setup_intent_id: str) -> CardSetup:
        _unavailable()

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
        _unavailable()

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
        _unavailable()

    def capture(self, *, payment_intent_id: str, idempotency_key: str) -> Payment:
        _unavailable()

    def cancel(self, *, payment_intent_id: str, idempotency_key: str) -> Payment:
        _unavailable()

    def payment(self, payment_intent_id: str) -> Payment:
        _unavailable()

    def find_payment(self, *, customer_id: str, attempt_key: str) -> Payment | None:
        _unavailable()

    def settlement(self, charge_id: str) -> Settlement:
        _unavailable()

    def payouts(self, *, since: int) -> list[Payout]:
        _unavailable()

    def balance_transactions(
        self, *, since: int | None = None, payout_id: str | None = None
    ) -> list[BalanceTransaction]:
        _unavailable()

    def release_card(self, payment_method_id: str) -> None:
        _unavailable()

    def refund(
        self,
        *,
        payment_intent_id: str,
        amount: int,
        metadata: dict[str, str],
        idempotency_key: str,
        reason: str | None = None,
    ) -> Refund:
        _unavailable()

    def refunds(self, payment_intent_id: str) -> list[Refund]:
        _unavailable()

    def refund_of(self, refund_id: str) -> Refund:
        _unavailable()

    def charge_payment_intent(self, charge_id: str) -> str | None:
        _unavailable()

    def dispute(self, dispute_id: str) -> Dispute:
        _unavailable()

    def disputes(self, payment_intent_id: str) -> list[Dispute]:
        _unavailable()

    def verify_webhook(self, *, payload: bytes, signature: str | None) -> WebhookEvent:
        _unavailable()
