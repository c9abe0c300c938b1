"""On PostgreSQL with real threads: fifty grant awards, grant payments, supplier-payment approvals and
transfer approvals at once against one fund. Each takes the fund's lock before the book's chain head, so none
deadlocks; every refusal is a clear one beside the amount; the fund's money (net of grants payable) and its
shares of the bank and cash never go below zero; the books still verify."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from pledgebank.books.services import InsufficientFunds
from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.grants import funds
from pledgebank.grants.models import GrantApplication
from pledgebank.neighbourhoods.models import Fund, FundType
from tests.factories import treasurer as treasurer_support
from tests.factories.fund_transfers import add_fund, propose, terms
from tests.factories.fund_transfers import approve as approve_transfer
from tests.factories.grant_batches import reviewed_applications
from tests.factories.grants import approve as approve_grant_payment
from tests.factories.grants import decide, give_fund, make_round, pay, world
from tests.factories.pledges import assert_books_ok, balance

pytestmark = pytest.mark.postgres

EACH = 1_000
GIVEN = 30_000
AWARDED_BEFORE = 15  # grants payable of £150: the fund's own money is £150 though the bank holds £300
AWARDS, PAID, PAYMENTS_APPROVED, SUPPLIERS, TRANSFERS = 8, 4, 4, 17, 17


def _clear_refusal(error: BaseException | None) -> bool:
    if isinstance(error, InsufficientFunds):  # an award the fund cannot meet
        return True
    return isinstance(error, InvalidInput) and "amount" in error.fields


def test_fifty_awards_grant_payments_and_approvals_at_once_never_deadlock_or_overdraw(
    app, sessions, together
):
    w = world(sessions)
    give_fund(app, w.slug, GIVEN)
    add_fund(app, w.slug, "repairs", FundType.DESIGNATED)
    round_id = make_round(app, w, budget=100 * EACH, max_award=EACH)
    ids = reviewed_applications(app, w, round_id, AWARDED_BEFORE + AWARDS, EACH)
    awarded, to_award = ids[:AWARDED_BEFORE], ids[AWARDED_BEFORE:]
    for application_id in awarded:
        decide(app, application_id, w.chair, "award")
    to_pay = awarded[:PAID]
    to_approve = awarded[PAID : PAID + PAYMENTS_APPROVED]
    for application_id in to_approve:
        assert pay(app, application_id, w.treasurer, threshold=0) == "awaiting_approval"
    supplier = treasurer_support.terms(
        app,
        SUPPLIER_PAYMENT,
        amount=EACH,
        place="bank",
        payee="Oak Fencing",
        purpose="Panels",
        category="repairs",
    )
    waiting = [
        treasurer_support.record(app, w.treasurer, w.slug, supplier, threshold=0)[0] for _ in range(SUPPLIERS)
    ]
    transfers = [propose(app, w.members[0], w.slug, terms(amount=EACH)) for _ in range(TRANSFERS)]
    work = (
        [lambda a=a: ("award", decide(app, a, w.chair, "award")) for a in to_award]
        + [lambda a=a: ("grant paid", pay(app, a, w.treasurer)) for a in to_pay]
        + [lambda a=a: ("grant paid", approve_grant_payment(app, a, w.members[1])) for a in to_approve]
        + [lambda e=e: ("supplier", treasurer_support.approve(app, w.members[1], e)) for e in waiting]
        + [lambda t=t: ("transfer", approve_transfer(app, w.chair, w.slug, t)) for t in transfers]
    )
    assert len(work) == 50

    outcomes = together(len(work), lambda n: work[n]())

    unclear = [o.error for o in outcomes if o.error is not None and not _clear_refusal(o.error)]
    assert unclear == [], unclear[:3]
    done = Counter(o.value[0] for o in outcomes if o.error is None)
    assert done["grant paid"] == PAID + PAYMENTS_APPROVED, done
    # Demand (£420) is far beyond the fund's own money (£150): exactly that much is awarded, paid or moved.
    assert done["award"] + done["supplier"] + done["transfer"] == (GIVEN - AWARDED_BEFORE * EACH) // EACH, (
        done
    )
    with unit_of_work(sessions) as session:
        fund_id = session.scalar(select(Fund.id).where(Fund.slug == "general"))
        assert funds.money_of(session, fund_id) == 0
        unpaid = len(
            session.scalars(select(GrantApplication.id).where(GrantApplication.status == "awarded")).all()
        )
    spent = (done["supplier"] + done["transfer"]) * EACH
    assert balance(app, "assets:bank:general") == GIVEN - (PAID + PAYMENTS_APPROVED) * EACH - spent >= 0
    assert balance(app, "assets:cash:general") == 0
    assert balance(app, "liabilities:grants-payable:general") == -unpaid * EACH
    assert balance(app, "assets:bank:repairs") == done["transfer"] * EACH
    assert_books_ok(app)
