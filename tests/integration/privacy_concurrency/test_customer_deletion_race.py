"""Deleting a closed account's Stripe customer from several workers at once, on PostgreSQL with real threads:
Stripe is asked exactly once, and the attempt is finished once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pledgebank.accounts.erasure import pseudonymise_user
from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.payments.customer_deletion import delete_customers
from pledgebank.payments.customers import customer_id_for
from pledgebank.payments.models import PaymentAttempt
from tests.helpers.app import WHEN, make_user, with_stripe
from tests.helpers.concurrency import concurrent_engine, run_together
from tests.helpers.stripe_proxy import StripeProxy

pytestmark = pytest.mark.postgres

WORKERS = 6


@pytest.fixture
def proxy(stripe_api: str) -> Iterator[StripeProxy]:
    """A recording proxy in front of the emptied emulator."""
    running = StripeProxy(stripe_api).start()
    yield running
    running.stop()


@pytest.fixture
def app_config(app_config: dict, database_url: str, proxy: StripeProxy) -> dict:
    """A pool with a connection for every thread, and the emulator behind the proxy."""
    engine = concurrent_engine(
        database_url,
        pool_size=WORKERS + 2,
        lock_timeout_ms=20_000,
        statement_timeout_ms=40_000,
        pool_timeout=60,
    )
    return with_stripe({**app_config, "ENGINE": engine}, proxy.url)


def test_many_workers_delete_the_customer_once(app, sessions, proxy):
    user_id = make_user(sessions, "ada.finch@example.org", "Ada Finch")
    ctx = payments_context(app)
    customer = customer_id_for(sessions, ctx.gateway, user_id=user_id, now=WHEN)
    with unit_of_work(sessions) as session:
        pseudonymise_user(session, user_id, now=WHEN)

    outcomes = run_together(WORKERS, lambda _index: delete_customers(ctx, now=WHEN), timeout=60)
    assert [outcome.error for outcome in outcomes] == [None] * WORKERS
    total: Counter[str] = Counter()
    for outcome in outcomes:
        total.update(outcome.value)
    assert total == {"Stripe customers deleted": 1}
    deletes = [seen for seen in proxy.seen if seen.method == "DELETE"]
    assert [seen.path for seen in deletes] == [f"/v1/customers/{customer}"]
    with unit_of_work(sessions) as session:
        attempt = session.scalar(
            select(PaymentAttempt).where(PaymentAttempt.key == f"customer-delete:{customer}")
        )
        assert (attempt.status, attempt.outcome) == ("finished", "deleted")
