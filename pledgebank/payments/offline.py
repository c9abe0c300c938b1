"""The gateway used when no Stripe keys are configured: card payments are simply not offered."""

from __future__ import annotations

from typing import Any

from pledgebank.payments.gateway import GatewayUnavailable


class NoCardPayments:
    """Every card operation is unavailable; cash pledges still work."""

    test_mode = False
    available = False
    emulated = False

    def delete_customer(self, customer_id: str) -> None:
        """Unavailable: a deletion recorded while no keys are set waits until they are."""
        raise GatewayUnavailable("card payments are not configured (set the PLEDGEBANK_STRIPE_* settings)")

    def __getattr__(self, name: str) -> Any:
        def unavailable(*_args: Any, **_kwargs: Any) -> Any:
            raise GatewayUnavailable(
                "card payments are not configured (set the PLEDGEBANK_STRIPE_* settings)"
            )

        return unavailable
