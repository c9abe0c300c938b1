"""Closing an account deletes the person's Stripe customer (their email address and saved cards at Stripe)
after the erasure commits: at once when Stripe answers, by run-due when it did not, never twice, and never
holding up the erasure itself. Run against the Stripe emulator with the real SDK, through a recording
proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe
from sqlalchemy import select

from pledgebank.accounts.erasure import pseudonymise_if_gone
from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.payments.customers import customer_id_for
from pledgebank.payments.models import PaymentAttempt, PaymentCustomer
from pledgebank.payments.stripe_gateway import StripeGateway
from tests.factories.pledges import due, quick_user
from tests.helpers.app import PASSWORD, STRIPE_TEST_KEY, STRIPE_WEBHOOK_SECRET, with_stripe
from tests.helpers.stripe_proxy import StripeProxy

CLOSE = {"password": PASSWORD, "confirm": "y"}
EMAIL = "ada.finch@example.org"


@pytest.fixture
def proxy(stripe_api: str) -> Iterator[StripeProxy]:
    """A recording proxy in front of the emptied emulator."""
    running = StripeProxy(stripe_api).start()
    yield running
    running.stop()


@pytest.fixture
def app_config(app_config: dict, proxy: StripeProxy) -> dict:
    """The app, talking to the emulator through the proxy."""
    return with_stripe(app_config, proxy.url)


def _gateway(api_base: str) -> StripeGateway:
    return StripeGateway(
        secret_key=STRIPE_TEST_KEY, webhook_secret=STRIPE_WEBHOOK_SECRET, api_base=api_base, max_retries=0
    )


def _person_with_customer(app, sessions) -> tuple[int, str]:
    user_id = quick_user(sessions, EMAIL, "Ada Finch")
    customer = customer_id_for(
        sessions,
        app.extensions["pledgebank.gateway"],
        user_id=user_id,
        now=app.extensions["pledgebank.clock"].now(),
    )
    return user_id, customer


def _at_stripe(stripe_api: str, customer_id: str) -> bool:
    client = stripe.StripeClient(STRIPE_TEST_KEY, base_addresses={"api": stripe_api}, max_network_retries=0)
    try:
        client.v1.customers.retrieve(customer_id)
    except stripe.InvalidRequestError as error:
        assert error.http_status == 404
        return False
    return True


def _deletes(proxy: StripeProxy, customer_id: str) -> int:
    return sum(seen.method == "DELETE" and seen.path == f"/v1/customers/{customer_id}" for seen in proxy.seen)


def _attempt(sessions, customer_id: str) -> tuple[str, str | None, str]:
    with unit_of_work(sessions) as session:
        attempt = session.scalar(
            select(PaymentAttempt).where(PaymentAttempt.key == f"customer-delete:{customer_id}")
        )
        return attempt.status, attempt.outcome, attempt.subject


def _linked(sessions, user_id: int) -> bool:
    with unit_of_work(sessions) as session:
        return session.get(PaymentCustomer, user_id) is not None


def test_closing_an_account_deletes_the_stripe_customer_once(app, sessions, web, proxy, stripe_api):
    user_id, customer = _person_with_customer(app, sessions)
    assert _at_stripe(stripe_api, customer) and _linked(sessions, user_id)

    web.login(EMAIL)
    assert web.post("/account/close", CLOSE).status_code == 302

    assert not _at_stripe(stripe_api, customer)
    assert _attempt(sessions, customer) == ("finished", "deleted", f"customer:user:{user_id}")
    assert not _linked(sessions, user_id)  # the books name payments, never customers: the link goes
    assert due(app, minutes=10).get("Stripe customers deleted", 0) == 0
    assert _deletes(proxy, customer) == 1


def test_stripe_unreachable_at_closing_the_customer_is_deleted_by_run_due(
    app, sessions, web, proxy, stripe_api
):
    user_id, customer = _person_with_customer(app, sessions)
    app.extensions["pledgebank.gateway"] = _gateway("http://127.0.0.1:9")  # nothing listens there

    web.login(EMAIL)
    assert web.post("/account/close", CLOSE).status_code == 302  # the erasure is not held up
    with unit_of_work(sessions) as session:
        assert session.get(User, user_id).erased_at is not None
    assert _attempt(sessions, customer)[:2] == ("pending", None)
    assert _at_stripe(stripe_api, customer)

    assert due(app)["customer deletions waiting for Stripe"] == 1  # still away: kept for the next run
    assert _attempt(sessions, customer)[:2] == ("pending", None)

    app.extensions["pledgebank.gateway"] = _gateway(proxy.url)
    assert due(app, minutes=1)["Stripe customers deleted"] == 1
    assert not _at_stripe(stripe_api, customer)
    assert due(app, minutes=10).get("Stripe customers deleted", 0) == 0
    assert _deletes(proxy, customer) == 1


def test_a_deletion_left_started_by_a_dead_worker_is_made_once_its_lease_runs_out(app, sessions, proxy):
    user_id, customer = _person_with_customer(app, sessions)
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        assert pseudonymise_if_gone(session, user_id, now)  # the retention job's way: no longer a member
        attempt = session.scalar(
            select(PaymentAttempt).where(PaymentAttempt.key == f"customer-delete:{customer}")
        )
        attempt.status = "started"  # a worker claimed it and died before Stripe answered

    assert due(app).get("Stripe customers deleted", 0) == 0  # its lease is still live
    assert _deletes(proxy, customer) == 0
    assert due(app, minutes=10)["Stripe customers deleted"] == 1
    assert _attempt(sessions, customer)[:2] == ("finished", "deleted")


def test_a_customer_already_gone_at_stripe_counts_as_deleted(app, sessions, web, proxy, stripe_api):
    _, customer = _person_with_customer(app, sessions)
    stripe.StripeClient(STRIPE_TEST_KEY, base_addresses={"api": stripe_api}).v1.customers.delete(customer)

    web.login(EMAIL)
    assert web.post("/account/close", CLOSE).status_code == 302
    assert _attempt(sessions, customer)[:2] == ("finished", "deleted")
    assert due(app, minutes=10).get("customer deletions waiting for Stripe", 0) == 0
