"""The PaymentGateway on Stripe's official SDK: the only module that imports `stripe`.

It works against Stripe itself and against the local emulator (localstripe through our launcher), and maps
both dialects to the same outcomes: Stripe reports an off-session payment that needs 3-D Secure as a 402
`authentication_required` error, the emulator as a `requires_action` PaymentIntent.
"""

from __future__ import annotations

import contextlib
from typing import Any

import stripe

from pledgebank.payments.events import parse_event
from pledgebank.payments.gateway import (
    TEST_CARD_NUMBERS,
    BalanceTransaction,
    CardSetup,
    GatewayUnavailable,
    InvalidWebhook,
    Payment,
    PaymentRefused,
    PaymentStatus,
    Payout,
    SavedCard,
    Settlement,
    TestCard,
    WebhookEvent,
)
from pledgebank.payments.sandbox import SandboxGateway
from pledgebank.payments.stripe_refunds import StripeRefunds

# Stripe's own test PaymentMethods, for test mode against Stripe (raw card numbers are refused there).
_TEST_PAYMENT_METHODS = {
    TestCard.SUCCEEDS: "pm_card_visa",
    TestCard.DECLINED_AT_SETUP: "pm_card_visa_chargeDeclined",
    TestCard.DECLINES_AT_CHARGE: "pm_card_chargeCustomerFail",
    TestCard.REQUIRES_AUTHENTICATION: "pm_card_authenticationRequired",
}

_STATUS = {
    "requires_capture": PaymentStatus.AUTHORISED,
    "succeeded": PaymentStatus.SUCCEEDED,
    "requires_action": PaymentStatus.NEEDS_AUTHENTICATION,
    "requires_payment_method": PaymentStatus.DECLINED,
    "canceled": PaymentStatus.CANCELED,
    "processing": PaymentStatus.PROCESSING,
    "requires_confirmation": PaymentStatus.FAILED,
}


def _id(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    found = value.get("id")
    return found if isinstance(found, str) else None


def _plain(obj: Any) -> dict[str, Any]:
    """SDK objects as plain dicts, so nothing past this module depends on the SDK's types."""
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _metadata(obj: dict[str, Any]) -> dict[str, str]:
    return dict(obj.get("metadata") or {})


class StripeGateway(StripeRefunds, SandboxGateway):
    """Card payments through Stripe (or its local emulator)."""

    def __init__(
        self, *, secret_key: str, webhook_secret: str, api_base: str = "", max_retries: int = 2
    ) -> None:
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base.rstrip("/")} if api_base else None,
            max_network_retries=max_retries,
        )
        self._webhook_secret = webhook_secret
        self.test_mode = secret_key.startswith(("sk_test_", "rk_test_"))
        self.available = True
        self.emulated = bool(api_base) and "api.stripe.com" not in api_base

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
            return result if isinstance(result, stripe.ListObject) else _plain(result)
        except (stripe.APIConnectionError, stripe.RateLimitError) as error:
            raise GatewayUnavailable(str(error)) from error
        except stripe.APIError as error:
            raise GatewayUnavailable(str(error)) from error
        except stripe.InvalidRequestError as error:
            raise PaymentRefused(stripe_code=error.code) from error

    def create_customer(self, *, email: str, reference: str, idempotency_key: str) -> str:
        """Create a customer and return its id."""
        customer = self._call(
            self._client.v1.customers.create,
            params={"email": email, "metadata": {"reference": reference}},
            options={"idempotency_key": idempotency_key},
        )
        return str(customer["id"])

    def start_card_setup(
        self, *, customer_id: str, metadata: dict[str, str], idempotency_key: str
    ) -> CardSetup:
        """Create an off-session SetupIntent; its client secret lets Stripe.js collect the card."""
        intent = self._call(
            self._client.v1.setup_intents.create,
            params={
                "customer": customer_id,
                "usage": "off_session",
                "payment_method_types": ["card"],
                "metadata": metadata,
            },
            options={"idempotency_key": idempotency_key},
        )
        return self._setup(intent)

    def setup_with_test_card(self, *, setup_intent_id: str, card: TestCard, return_url: str) -> CardSetup:
        """Test mode: confirm the setup with one of Stripe's test cards."""
        if not self.test_mode:
            raise RuntimeError("test cards are for test mode only")
        if self.emulated:
            number = TEST_CARD_NUMBERS[card]
            params: dict[str, Any] = {
                "payment_method_data": {
                    "type": "card",
                    "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
                }
            }
        else:
            params = {"payment_method": _TEST_PAYMENT_METHODS[card], "return_url": return_url}
        try:
            intent = self._call(self._client.v1.setup_intents.confirm, setup_intent_id, params=params)
        except stripe.CardError as error:
            return CardSetup(setup_intent_id, "declined", decline_code=error.code or "card_declined")
        return self._setup(intent)

    def finish_test_authentication(self, *, setup_intent_id: str, succeed: bool) -> CardSetup:
        """Emulator: complete (confirm again) or fail (cancel) the simulated 3-D Secure step."""
        if not self.emulated:
            raise RuntimeError("simulated authentication exists only in the emulator")
        if succeed:
            intent = self._call(self._client.v1.setup_intents.confirm, setup_intent_id)
        else:
            intent = self._call(self._client.v1.setup_intents.cancel, setup_intent_id)
        return self._setup(intent)

    def card_setup(self, setup_intent_id: str) -> CardSetup:
        """Read a setup's current state."""
        return self._setup(self._call(self._client.v1.setup_intents.retrieve, setup_intent_id))

    def _setup(self, intent: dict[str, Any]) -> CardSetup:
        status, secret = intent["status"], intent.get("client_secret")
        if status == "succeeded":
            method = self._call(self._client.v1.payment_methods.retrieve, _id(intent["payment_method"]))
            card = method.get("card") or {}
            saved = SavedCard(method["id"], str(card.get("brand") or "card"), str(card.get("last4") or ""))
            return CardSetup(intent["id"], "saved", card=saved, client_secret=secret)
        if status == "requires_action":
            action = intent.get("next_action") or {}
            redirect = (action.get("redirect_to_url") or {}).get("url")
            return CardSetup(
                intent["id"], "needs_authentication", client_secret=secret, redirect_url=redirect
            )
        if status == "canceled" or (status == "requires_payment_method" and intent.get("last_setup_error")):
            error = intent.get("last_setup_error") or {}
            return CardSetup(
                intent["id"],
                "declined",
                decline_code=error.get("code") or "setup_failed",
                client_secret=secret,
            )
        return CardSetup(intent["id"], "pending", client_secret=secret)

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
        """Reserve money off-session: a manual-capture PaymentIntent, confirmed now."""
        return self._pay(
            "manual", customer_id, payment_method_id, amount, currency, metadata, idempotency_key
        )

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
        """Take money off-session now."""
        return self._pay(
            "automatic", customer_id, payment_method_id, amount, currency, metadata, idempotency_key
        )

    def _pay(
        self,
        capture: str,
        customer_id: str,
        payment_method_id: str,
        amount: int,
        currency: str,
        metadata: dict[str, str],
        idempotency_key: str,
    ) -> Payment:
        params = {
            "amount": amount,
            "currency": currency.lower(),
            "customer": customer_id,
            "payment_method": payment_method_id,
            "confirm": True,
            "off_session": True,
            "capture_method": capture,
            "metadata": metadata,
        }
        try:
            intent = self._call(
                self._client.v1.payment_intents.create,
                params=params,
                options={"idempotency_key": idempotency_key},
            )
        except stripe.CardError as error:
            return self._from_card_error(error, amount, currency, metadata)
        except PaymentRefused as error:
            # The saved card or its customer is gone (removed at Stripe): the pledger needs another card.
            code = error.stripe_code or "invalid_request"
            return Payment(
                "", PaymentStatus.DECLINED, amount, currency.upper(), decline_code=code, metadata=metadata
            )
        return self._payment(intent)

    def _from_card_error(
        self, error: stripe.CardError, amount: int, currency: str, metadata: dict[str, str]
    ) -> Payment:
        body = error.json_body if isinstance(error.json_body, dict) else {}
        intent = body.get("error", {}).get("payment_intent")
        code = error.code or "card_declined"
        status = (
            PaymentStatus.NEEDS_AUTHENTICATION
            if code == "authentication_required"
            else PaymentStatus.DECLINED
        )
        if intent is None:
            return Payment("", status, amount, currency.upper(), decline_code=code, metadata=metadata)
        payment = self._payment(intent)
        return Payment(
            payment.payment_intent_id,
            status,
            payment.amount,
            payment.currency,
            payment.charge_id,
            decline_code=code,
            client_secret=payment.client_secret,
            metadata=payment.metadata,
        )

    def _payment(self, intent: dict[str, Any]) -> Payment:
        status = _STATUS.get(intent["status"], PaymentStatus.FAILED)
        error = intent.get("last_payment_error") or {}
        code = (error.get("decline_code") or error.get("code")) if error else None
        action = intent.get("next_action") or {}
        redirect = (action.get("redirect_to_url") or {}).get("url")
        return Payment(
            intent["id"],
            status,
            int(intent["amount"]),
            str(intent["currency"]).upper(),
            _id(intent.get("latest_charge")),
            decline_code=code,
            client_secret=intent.get("client_secret"),
            redirect_url=redirect,
            metadata=_metadata(intent),
        )

    def capture(self, *, payment_intent_id: str, idempotency_key: str) -> Payment:
        """Capture an authorised hold; capturing twice returns the captured payment."""
        try:
            intent = self._call(
                self._client.v1.payment_intents.capture,
                payment_intent_id,
                options={"idempotency_key": idempotency_key},
            )
        except PaymentRefused:
            return self.payment(payment_intent_id)
        return self._payment(intent)

    def cancel(self, *, payment_intent_id: str, idempotency_key: str) -> Payment:
        """Release a hold; cancelling one already cancelled (or captured) returns its state."""
        try:
            intent = self._call(
                self._client.v1.payment_intents.cancel,
                payment_intent_id,
                options={"idempotency_key": idempotency_key},
            )
        except PaymentRefused:
            return self.payment(payment_intent_id)
        return self._payment(intent)

    def payment(self, payment_intent_id: str) -> Payment:
        """Read a payment's current state."""
        return self._payment(self._call(self._client.v1.payment_intents.retrieve, payment_intent_id))

    def find_payment(self, *, customer_id: str, attempt_key: str) -> Payment | None:
        """Find the PaymentIntent an earlier attempt created, by the attempt key in its metadata."""
        listing = self._call(
            self._client.v1.payment_intents.list, params={"customer": customer_id, "limit": 100}
        )
        for intent in listing.auto_paging_iter():
            plain = _plain(intent)
            if _metadata(plain).get("attempt") == attempt_key:
                return self._payment(plain)
        return None

    def settlement(self, charge_id: str) -> Settlement:
        """The amount, fee and net of a charge, from its balance transaction."""
        charge = self._call(self._client.v1.charges.retrieve, charge_id)
        transaction = self._call(
            self._client.v1.balance_transactions.retrieve, _id(charge["balance_transaction"])
        )
        return Settlement(
            charge["id"],
            transaction["id"],
            int(transaction["amount"]),
            int(transaction["fee"]),
            int(transaction["net"]),
            str(transaction["currency"]).upper(),
        )

    def _listed(self, fn: Any, params: dict[str, Any], since: int | None) -> list[dict[str, Any]]:
        # The emulator filters by nothing: ask it for everything and keep what is recent enough here.
        if since is not None and not self.emulated:
            params = {**params, "created": {"gte": since}}
        listing = self._call(fn, params={**params, "limit": 100})
        found = [_plain(obj) for obj in listing.auto_paging_iter()]
        return [obj for obj in found if since is None or int(obj["created"]) >= since]

    def payouts(self, *, since: int) -> list[Payout]:
        """Payouts created at or after `since` (a Unix time)."""
        return [
            Payout(
                obj["id"],
                int(obj["amount"]),
                str(obj["currency"]).upper(),
                str(obj["status"]),
                int(obj["arrival_date"]),
                int(obj["created"]),
                _id(obj.get("balance_transaction")),
            )
            for obj in self._listed(self._client.v1.payouts.list, {}, since)
        ]

    def balance_transactions(
        self, *, since: int | None = None, payout_id: str | None = None
    ) -> list[BalanceTransaction]:
        """Balance transactions created at or after `since`, or those paid out by one payout."""
        params = {"payout": payout_id} if payout_id else {}
        return [
            BalanceTransaction(
                obj["id"],
                str(obj["type"]),
                _id(obj.get("source")),
                int(obj["amount"]),
                int(obj["fee"]),
                int(obj["net"]),
                str(obj["currency"]).upper(),
                int(obj["created"]),
            )
            for obj in self._listed(self._client.v1.balance_transactions.list, params, since)
        ]

    def finish_test_payment_authentication(
        self, *, payment_intent_id: str, client_secret: str, succeed: bool
    ) -> Payment:
        """Emulator: complete or fail the simulated 3-D Secure step of a payment."""
        if not self.emulated:
            raise RuntimeError("simulated authentication exists only in the emulator")
        path = f"/v1/payment_intents/{payment_intent_id}/_authenticate"
        flag = "true" if succeed else "false"
        # Refused when it is not waiting for authentication (any more): its current state says what happened.
        with contextlib.suppress(PaymentRefused):
            # raw_request answers with the raw response: turn it into an object before _call reads it.
            self._call(
                lambda: self._client.deserialize(
                    self._client.raw_request("post", path, client_secret=client_secret, success=flag),
                    api_mode="V1",
                )
            )
        return self.payment(payment_intent_id)

    def release_card(self, payment_method_id: str) -> None:
        """Detach a saved card from its customer (already detached is fine)."""
        try:
            self._call(self._client.v1.payment_methods.detach, payment_method_id)
        except PaymentRefused:
            return

    def delete_customer(self, customer_id: str) -> None:
        """Delete a customer at Stripe; one Stripe no longer has (deleted before) counts as deleted."""
        try:
            self._call(self._client.v1.customers.delete, customer_id)
        except PaymentRefused as error:
            if (
                not isinstance(error.__cause__, stripe.InvalidRequestError)
                or error.__cause__.http_status != 404
            ):
                raise

    def verify_webhook(self, *, payload: bytes, signature: str | None) -> WebhookEvent:
        """Check the Stripe-Signature header on the raw body, then read the event.

        Raises InvalidWebhook if the signature fails, MalformedWebhook if it holds but the body is no event.
        """
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature, self._webhook_secret, stripe.Webhook.DEFAULT_TOLERANCE
            )
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise InvalidWebhook(str(error)) from error
        return parse_event(payload)
