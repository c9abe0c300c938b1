"""Launch localstripe, the Stripe emulator used by the tests and the demo, as a separate local process.

localstripe (GPL-3.0) is a development dependency and is never copied into this project; this launcher
imports it in its own process and adjusts it before it starts serving:

- bind 127.0.0.1 only (localstripe binds every interface);
- keep the store in memory (it pickles the whole store to /tmp on every write: 14 s instead of 1.8 s
  for 400 payments, and state leaking between runs);
- accept `off_session` (and a payment method) when confirming a PaymentIntent, as Stripe does;
- put the PaymentIntent into 402 card errors, as Stripe does, so a declined off-session payment can be found;
- attach the payment method to the customer when a SetupIntent succeeds, as Stripe does;
- let PaymentIntents be listed by customer, as Stripe does;
- charge a fee on balance transactions (1.5% + 20p of charges, Stripe's UK standard rate; none on refunds),
  so fees reach the ledger the way they do in production;
- refunds and disputes as Stripe makes them (see emulator_refunds).

Run: `python -m pledgebank.payments.emulator --port 8420 [--store FILE]`.
"""

from __future__ import annotations

import argparse
import logging
import socket
from typing import Any

from pledgebank.payments.emulator_refunds import patch_refunds

FEE_PER_MILLE = 15
FEE_FIXED = 20


def stripe_fee(amount: int) -> int:
    """Stripe's UK standard card fee in minor units: 1.5% rounded half up, plus 20."""
    return (amount * FEE_PER_MILLE + 500) // 1000 + FEE_FIXED


def _patch(store: str | None) -> None:
    from localstripe import resources

    _patch_store(resources, store)
    _patch_payment_intents(resources)
    _patch_setup_intents(resources)
    _patch_fees(resources)
    patch_refunds(resources)

    # The routes are built from this list when the server module is imported: point them at the new methods.
    replacements = {
        "/v1/payment_intents/{id}/confirm": resources.PaymentIntent._api_confirm,
        "/v1/setup_intents/{id}/confirm": resources.SetupIntent._api_confirm,
    }
    resources.extra_apis[:] = [
        (method, url, replacements.get(url, func)) for method, url, func in resources.extra_apis
    ]


def _patch_store(resources: Any, store: str | None) -> None:
    """In memory, or (the demo keeps its emulator's data between runs, beside its database) in `store`."""
    import pickle

    if store is None:
        resources.Store.dump_to_disk = lambda self: None
        resources.Store.try_load_from_disk = lambda self: None
        return

    def dump(self: Any) -> None:
        with open(store, "wb") as file:
            pickle.dump(dict(self), file, protocol=pickle.HIGHEST_PROTOCOL)

    def load(self: Any) -> None:
        try:
            with open(store, "rb") as file:
                self.update(pickle.load(file))  # noqa: S301 - our own file, written by dump above
        except FileNotFoundError:
            pass

    resources.Store.dump_to_disk = dump
    resources.Store.try_load_from_disk = load


def _patch_payment_intents(resources: Any) -> None:
    """Confirm with `off_session` and a payment method, a 402 carrying the PaymentIntent, list by customer."""
    from localstripe.errors import UserError

    payment_intent = resources.PaymentIntent
    original_confirm = payment_intent._api_confirm.__func__

    def confirm(
        cls: Any, /, id: str, payment_method: str | None = None, off_session: Any = None, **kwargs: Any
    ):
        if payment_method is not None:
            obj = cls._api_retrieve(id)
            resources.PaymentMethod._api_retrieve(payment_method)
            obj.payment_method = payment_method
        kwargs.pop("return_url", None)
        return original_confirm(cls, id, **kwargs)

    payment_intent._api_confirm = classmethod(confirm)

    original_report_failure = payment_intent._report_failure

    def report_failure(self: Any) -> None:
        try:
            original_report_failure(self)
        except UserError as error:
            error.body["error"]["payment_intent"] = self._export()
            error.body["error"].setdefault("decline_code", error.body["error"].get("code"))
            raise

    payment_intent._report_failure = report_failure

    original_list = resources.StripeObject._api_list_all.__func__

    def list_payment_intents(
        cls: Any,
        /,
        url: str,
        customer: str | None = None,
        limit: Any = None,
        starting_after: Any = None,
        **kwargs: Any,
    ):
        listing = original_list(cls, url, limit=limit, starting_after=starting_after, **kwargs)
        if customer is not None:
            listing._list = [obj for obj in listing._list if obj.customer == customer]
        return listing

    payment_intent._api_list_all = classmethod(list_payment_intents)


def _patch_setup_intents(resources: Any) -> None:
    """A SetupIntent that succeeds attaches its payment method to its customer."""
    setup_intent = resources.SetupIntent
    original_setup_confirm = setup_intent._api_confirm.__func__

    def setup_confirm(cls: Any, /, id: str, **kwargs: Any):
        kwargs.pop("return_url", None)
        obj = original_setup_confirm(cls, id, **kwargs)
        if obj.status == "succeeded" and obj.customer and obj.payment_method:
            method = resources.PaymentMethod._api_retrieve(obj.payment_method)
            method.customer = obj.customer
        return obj

    setup_intent._api_confirm = classmethod(setup_confirm)


def _patch_fees(resources: Any) -> None:
    """Stripe's fee on the balance transaction of every charge."""
    balance_transaction = resources.BalanceTransaction
    original_init = balance_transaction.__init__

    def init_with_fee(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if self.type == "charge" and self.amount > 0:
            self.fee = stripe_fee(self.amount)
            self.fee_details = [
                {
                    "amount": self.fee,
                    "currency": self.currency,
                    "type": "stripe_fee",
                    "description": "Stripe processing fees",
                    "application": None,
                }
            ]

    balance_transaction.__init__ = init_with_fee


def serve(host: str, port: int, store: str | None = None) -> None:
    """Patch localstripe and serve it on host:port until stopped, keeping its data in `store` if given."""
    _patch(store)
    from aiohttp import web
    from localstripe.resources import store as data
    from localstripe.server import app

    data.try_load_from_disk()

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    logging.basicConfig(level=logging.WARNING)
    web.run_app(app, sock=sock, print=None, access_log=None)


def main() -> None:
    """Command line: --host (default 127.0.0.1) and --port (default 8420)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--store", help="keep the emulator's data in this file between runs")
    args = parser.parse_args()
    serve(args.host, args.port, args.store)


if __name__ == "__main__":
    main()
