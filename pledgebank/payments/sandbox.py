"""Test mode's extras, apart from the gateway every environment has: Stripe's test cards, and the emulator's
simulated bank checks (3-D Secure), which the test-mode card pages offer in place of a real card form."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pledgebank.payments.gateway import CardSetup, GatewayUnavailable, Payment, PaymentGateway, TestCard


@runtime_checkable
class SandboxGateway(PaymentGateway, Protocol):
    """A gateway that can also stand in for the cardholder in test mode (Stripe's sandbox or the emulator):
    save one of Stripe's test cards, and pass or fail the simulated bank check (3-D Secure)."""

    emulated: bool  # the local emulator, whose bank checks our pages simulate

    def setup_with_test_card(self, *, setup_intent_id: str, card: TestCard, return_url: str) -> CardSetup:
        """Test mode: confirm a setup with one of Stripe's test cards."""
        ...

    def finish_test_authentication(self, *, setup_intent_id: str, succeed: bool) -> CardSetup:
        """Test mode, emulator: complete or fail the simulated 3-D Secure step of a card setup."""
        ...

    def finish_test_payment_authentication(
        self, *, payment_intent_id: str, client_secret: str, succeed: bool
    ) -> Payment:
        """Test mode, emulator: complete or fail the simulated 3-D Secure step of a payment."""
        ...


def sandbox(gateway: PaymentGateway) -> SandboxGateway:
    """The gateway's test-mode side; a gateway without one (no card payments, or live keys) refuses."""
    if isinstance(gateway, SandboxGateway) and gateway.test_mode:
        return gateway
    raise GatewayUnavailable("test cards are offered in test mode only")
