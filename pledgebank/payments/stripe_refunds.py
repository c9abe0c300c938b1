"""Refunds and disputes on Stripe's SDK client, mixed into StripeGateway (which alone imports `stripe`)."""

from __future__ import annotations

from typing import Any

from pledgebank.payments.gateway import BalanceTransaction, Dispute, Refund


def _ref(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    found = value.get("id")
    return found if isinstance(found, str) else None


def _dict(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _refund(obj: dict[str, Any], failed_at: int | None = None) -> Refund:
    return Refund(
        obj["id"],
        str(_ref(obj.get("charge")) or ""),
        _ref(obj.get("payment_intent")),
        int(obj["amount"]),
        str(obj["currency"]).upper(),
        str(obj.get("status") or "succeeded"),
        int(obj["created"]),
        _ref(obj.get("balance_transaction")),
        dict(obj.get("metadata") or {}),
        obj.get("reason"),
        _ref(obj.get("failure_balance_transaction")),
        failed_at,
    )


def _movement(obj: dict[str, Any]) -> BalanceTransaction:
    return BalanceTransaction(
        obj["id"],
        str(obj["type"]),
        _ref(obj.get("source")),
        int(obj["amount"]),
        int(obj["fee"]),
        int(obj["net"]),
        str(obj["currency"]).upper(),
        int(obj["created"]),
    )


def _dispute(obj: dict[str, Any]) -> Dispute:
    movements = tuple(_movement(_dict(bt)) for bt in obj.get("balance_transactions") or ())
    return Dispute(
        obj["id"],
        str(_ref(obj.get("charge")) or ""),
        int(obj["amount"]),
        str(obj["currency"]).upper(),
        str(obj["status"]),
        movements,
    )


class StripeRefunds:
    """Refunds and disputes; expects `_client` (a StripeClient) and `_call` from StripeGateway."""

    _client: Any

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover - StripeGateway's
        raise NotImplementedError

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
        params = {"payment_intent": payment_intent_id, "amount": amount, "metadata": metadata}
        if reason:
            params["reason"] = reason
        created = self._call(
            self._client.v1.refunds.create, params=params, options={"idempotency_key": idempotency_key}
        )
        return self._read_refund(_dict(created))

    def _read_refund(self, obj: dict[str, Any]) -> Refund:
        """A refund, with when its money came back if it failed (its failure balance transaction's time)."""
        failure = obj.get("failure_balance_transaction")
        if failure is None:
            return _refund(obj)
        if isinstance(failure, str):
            failure = _dict(self._call(self._client.v1.balance_transactions.retrieve, failure))
        return _refund(obj, int(failure["created"]))

    def refunds(self, payment_intent_id: str) -> list[Refund]:
        """Every refund of a payment, however it was made (here or in Stripe's dashboard)."""
        listing = self._call(
            self._client.v1.refunds.list, params={"payment_intent": payment_intent_id, "limit": 100}
        )
        return [self._read_refund(_dict(obj)) for obj in listing.auto_paging_iter()]

    def refund_of(self, refund_id: str) -> Refund:
        """One refund's current state."""
        return self._read_refund(_dict(self._call(self._client.v1.refunds.retrieve, refund_id)))

    def charge_payment_intent(self, charge_id: str) -> str | None:
        """The PaymentIntent a charge belongs to (None for a charge made without one)."""
        return _ref(self._call(self._client.v1.charges.retrieve, charge_id).get("payment_intent"))

    def dispute(self, dispute_id: str) -> Dispute:
        """A dispute's current state and the balance movements it caused."""
        return _dispute(self._call(self._client.v1.disputes.retrieve, dispute_id))

    def disputes(self, payment_intent_id: str) -> list[Dispute]:
        """Every dispute of a payment's charge."""
        listing = self._call(
            self._client.v1.disputes.list, params={"payment_intent": payment_intent_id, "limit": 100}
        )
        return [_dispute(_dict(obj)) for obj in listing.auto_paging_iter()]
