"""What the emulator launcher adds to localstripe for refunds and disputes, applied before it serves.

- a refund knows its PaymentIntent, takes Stripe's `reason`, and one larger than what is left of the charge
  is refused, as Stripe does;
- a test route fails a refund as a closed card does after the fact: status `failed`, a `failure_reason`, and a
  `refund_failure` balance transaction (its `failure_balance_transaction`) putting the money back; the charge
  then counts only the refunds that stand;
- disputes: Stripe's `/v1/disputes` (retrieve, list by PaymentIntent or charge, close = accept the loss),
  with the balance movements Stripe makes (the withdrawal with its dispute fee, the reinstatement when won),
  and test routes to open a dispute on a charge and to decide it, standing in for the cardholder's bank;
- payouts in pounds, each paying out every balance transaction not yet paid out, with a balance transaction
  of its own, and balance transactions listed by the payout that paid them out, as Stripe lists them.
"""

from __future__ import annotations

from typing import Any

# Stripe's dispute fee for UK accounts (£20), in pence.
DISPUTE_FEE = 2000
# The reasons Stripe accepts for a refund.
REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def patch_refunds(resources: Any) -> None:
    """Teach localstripe's resources module the refund and dispute behaviour above."""
    _patch_refund(resources)
    dispute = _dispute_class(resources)
    resources.Dispute = dispute
    _patch_payouts(resources)
    resources.extra_apis[:0] = _dispute_routes(resources, dispute)


def _patch_refund(resources: Any) -> None:
    """A refund knows its PaymentIntent and reason, and is no more than what is left of the charge."""
    from localstripe.errors import UserError

    refund = resources.Refund
    original_refund_init = refund.__init__

    def refund_init(
        self: Any,
        charge: Any = None,
        payment_intent: Any = None,
        amount: Any = None,
        reason: Any = None,
        **kw: Any,
    ):
        if reason not in (None, *REASONS):
            raise UserError(400, "Invalid reason: must be one of " + ", ".join(REASONS))
        charge_id = charge
        if payment_intent is not None and charge is None:
            intent = resources.PaymentIntent._api_retrieve(payment_intent)
            charge_id = intent.latest_charge.id if intent.latest_charge else None
        if charge_id is not None and amount is not None:
            charge_obj = resources.Charge._api_retrieve(charge_id)
            left = charge_obj.amount - charge_obj.amount_refunded - _disputed(resources, charge_id)
            if resources.try_convert_to_int(amount) > left:
                raise UserError(400, "Refund amount is greater than the unrefunded amount on the charge")
        original_refund_init(self, charge=charge, payment_intent=payment_intent, amount=amount, **kw)
        if self.payment_intent is None:
            self.payment_intent = resources.Charge._api_retrieve(self.charge).payment_intent
        self.reason = reason
        self.failure_balance_transaction = None
        self.failure_reason = None

    refund.__init__ = refund_init
    # A charge's refunded amount counts only the refunds that stand (not those that failed).
    resources.Charge.amount_refunded = property(
        lambda charge: sum(r.amount for r in charge.refunds._list if r.status != "failed")
    )


def _movement(
    resources: Any, amount: int, fee: int, currency: str, source: str, category: str, kind: str = "adjustment"
) -> Any:
    """A balance transaction of `kind`, built past BalanceTransaction's own checks (they know only charges
    and refunds)."""
    bt = object.__new__(resources.BalanceTransaction)
    resources.StripeObject.__init__(bt)
    bt.amount, bt.currency, bt.fee, bt.source = amount, currency, fee, source
    bt.available_on, bt.exchange_rate, bt.status = bt.created, None, "available"
    bt.description, bt.reporting_category, bt.type = category.replace("_", " "), category, kind
    bt.fee_details = [{"amount": fee, "currency": currency, "type": "stripe_fee"}] if fee else []
    return bt


def _dispute_class(resources: Any) -> Any:
    """Stripe's Dispute: the withdrawal (with its fee) when opened, the reinstatement when won."""
    from localstripe.errors import UserError

    class Dispute(resources.StripeObject):
        object = "dispute"
        _id_prefix = "du_"

        def __init__(self, charge: str, amount: int | None = None) -> None:
            charge_obj = resources.Charge._api_retrieve(charge)
            super().__init__()
            self.charge = charge
            self.payment_intent = charge_obj.payment_intent
            self.amount = charge_obj.amount if amount is None else amount
            self.currency = charge_obj.currency
            self.reason = "fraudulent"
            self.status = "needs_response"
            self.metadata: dict[str, str] = {}
            withdrawal = _movement(resources, -self.amount, DISPUTE_FEE, self.currency, self.id, "dispute")
            self.balance_transactions = [withdrawal]

        def _decide(self, outcome: str) -> Any:
            if self.status in ("won", "lost"):
                raise UserError(400, "This dispute is already closed")
            if outcome == "won":
                back = _movement(resources, self.amount, 0, self.currency, self.id, "dispute_reversal")
                self.balance_transactions = [*self.balance_transactions, back]
            self.status = outcome
            return self

    return Dispute


def _dispute_routes(resources: Any, dispute: Any) -> list[tuple[str, str, Any]]:
    """Failing a refund, and disputes: Stripe's routes, and the test routes standing in for the bank."""
    from localstripe.errors import UserError

    def fail_refund(id: str, failure_reason: Any = "expired_or_canceled_card", **_: Any) -> Any:
        found = resources.Refund._api_retrieve(id)
        if found.status == "failed":
            raise UserError(400, "This refund has already failed")
        back = _movement(
            resources, found.amount, 0, found.currency, found.id, "refund_failure", "refund_failure"
        )
        found.status, found.failure_reason = "failed", failure_reason
        found.failure_balance_transaction = back.id
        return found

    def open_dispute(charge: Any = None, payment_intent: Any = None, amount: Any = None, **_: Any):
        if charge is None and payment_intent is not None:
            charge = resources.PaymentIntent._api_retrieve(payment_intent).latest_charge.id
        if not isinstance(charge, str):
            raise UserError(400, "Expected charge or payment_intent")
        return dispute(charge, resources.try_convert_to_int(amount) if amount is not None else None)

    def decide(id: str, outcome: Any = None, **_: Any) -> Any:
        if outcome not in ("won", "lost"):
            raise UserError(400, "outcome must be won or lost")
        return dispute._api_retrieve(id)._decide(outcome)

    def list_all(payment_intent: Any = None, charge: Any = None, limit: Any = None, **_: Any) -> Any:
        listing = resources.StripeObject._api_list_all.__func__(dispute, "/v1/disputes", limit=limit)
        listing._list = [
            d
            for d in listing._list
            if (payment_intent is None or d.payment_intent == payment_intent)
            and (charge is None or d.charge == charge)
        ]
        return listing

    return [
        ("POST", "/v1/_test/refunds/{id}/fail", fail_refund),
        ("POST", "/v1/_test/disputes", open_dispute),
        ("POST", "/v1/_test/disputes/{id}/decide", decide),
        ("POST", "/v1/disputes/{id}/close", lambda id, **_: dispute._api_retrieve(id)._decide("lost")),
        ("GET", "/v1/disputes/{id}", lambda id, **_: dispute._api_retrieve(id)),
        ("GET", "/v1/disputes", list_all),
    ]


def _disputed(resources: Any, charge_id: str) -> int:
    """What open or lost disputes have taken from a charge (a refund cannot send it back too)."""
    return sum(
        obj.amount
        for key, obj in resources.store.items()
        if key.startswith("dispute:") and obj.charge == charge_id and obj.status != "won"
    )


def _patch_payouts(resources: Any) -> None:
    payout = resources.Payout
    original_init = payout.__init__

    def init(self: Any, *args: Any, currency: Any = None, **kwargs: Any) -> None:
        original_init(self, *args, currency="eur" if currency == "gbp" else currency, **kwargs)
        self.currency = currency
        unpaid = [
            bt
            for key, bt in resources.store.items()
            if key.startswith("balance_transaction:") and not getattr(bt, "_payout", None)
        ]
        own = _movement(resources, -self.amount, 0, currency, self.id, "payout", kind="payout")
        for bt in [*unpaid, own]:
            bt._payout = self.id
        self.balance_transaction = own.id

    payout.__init__ = init

    balance_transaction = resources.BalanceTransaction
    original_list = balance_transaction._api_list_all.__func__

    def list_all(cls: Any, /, url: str, payout: Any = None, **kwargs: Any) -> Any:
        listing = original_list(cls, url, **kwargs)
        if payout is not None:
            listing._list = [bt for bt in listing._list if getattr(bt, "_payout", None) == payout]
        return listing

    balance_transaction._api_list_all = classmethod(list_all)
    resources.extra_apis[:] = [
        (method, url, balance_transaction._api_list_all if url == "/v1/balance/history" else func)
        for method, url, func in resources.extra_apis
    ]
