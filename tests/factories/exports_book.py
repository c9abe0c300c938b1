"""A generated book holding every kind of transaction: every rule in ledger.rules, ledger.held and
ledger.fund_transfers, disputes and failed refunds, reversals.

Posted through the real services in cycles of 25 entries over three funds and about fifteen months (some
entries backdated, so dates are not in sequence order); each cycle keeps bank and cash above zero. The
financial year to 31 March 2025 is closed after the last cycle dated in it; the close takes the place of
that cycle's reversal, so the book still holds 1,100 transactions.
"""

from __future__ import annotations

from datetime import date, timedelta

from pledgebank.books.closing import close_year
from pledgebank.books.services import book_by_slug, post
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, disputes, fund_transfers, held, refund_failures, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods import funds, services
from pledgebank.payments.emulator import stripe_fee
from tests.helpers.app import WHEN, make_neighbourhood, make_user

START = date(2025, 2, 3)
CYCLES = 44
FUNDS = ("general", "playground-fund", "tree-planting")
YEAR_END = date(2025, 3, 31)
CLOSE_AFTER = 5  # the last cycle dated on or before YEAR_END; later cycles (even backdated) fall after it


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def cycle_entries(n: int, actor_id: int) -> list:
    """The 25 entries of cycle n, in posting order (the reversals refer to entries earlier in the list)."""
    fund = FUNDS[n % len(FUNDS)]
    day = START + timedelta(days=n * 10)
    earlier = day - timedelta(days=20) if n % 7 == 3 else day
    key = f"gen:{n}"
    gross = 2_000 + n * 37
    card = rules.card_payment_received(
        gross=gbp(gross),
        fee=gbp(stripe_fee(gross)),
        fund=fund,
        income_source="pledges",
        key=f"{key}:card",
        on=day,
        source={
            "pledge": n,
            "payment_intent": f"pi_{n}",
            "charge": f"ch_{n}",
            "balance_transaction": f"txn_{n}",
        },
    )
    refund = rules.refund(
        amount=gbp(500),
        fund=fund,
        income_source="pledges",
        key=f"{key}:refund",
        on=day,
        source={"refund": f"re_{n}"},
    )
    award = rules.grant_awarded(
        amount=gbp(3_000), fund=fund, key=f"{key}:award", on=day, source={"grant": n}, actor_id=actor_id
    )
    entries = [
        card,
        rules.cash_received(
            amount=gbp(5_000),
            fund=fund,
            income_source="donations",
            key=f"{key}:cash",
            on=earlier,
            source={"receipt": n},
            actor_id=actor_id,
        ),
        rules.cash_received(
            amount=gbp(4_000),
            fund=fund,
            income_source="levies",
            key=f"{key}:transfer",
            on=day,
            source={"levy_charge": n},
            into=chart.BANK,
        ),
        refund,
        rules.payout(shares={fund: gbp(1_000)}, key=f"{key}:payout", on=day, source={"payout": f"po_{n}"}),
        rules.cash_banked(
            fund=fund, amount=gbp(3_000), key=f"{key}:banked", on=day, source={"slip": n}, actor_id=actor_id
        ),
        rules.receivable_raised(
            fund=fund, amount=gbp(2_500), key=f"{key}:raised", on=day, source={"levy_charge": n}
        ),
        rules.receivable_settled(
            amount=gbp(1_000),
            fund=fund,
            income_source="levies",
            into=chart.STRIPE_CLEARING,
            fee=gbp(35),
            key=f"{key}:settled-card",
            on=day,
            source={"levy_charge": n, "balance_transaction": f"txn_l{n}"},
        ),
        rules.receivable_settled(
            amount=gbp(800),
            fund=fund,
            income_source="levies",
            into=chart.CASH,
            key=f"{key}:settled-cash",
            on=day,
            source={"levy_charge": n},
        ),
        rules.receivable_settled(
            amount=gbp(500),
            fund=fund,
            income_source="levies",
            into=chart.BANK,
            key=f"{key}:settled-bank",
            on=day,
            source={"levy_charge": n},
        ),
        rules.receivable_written_off(
            fund=fund, amount=gbp(200), key=f"{key}:written-off", on=day, source={"levy_charge": n}
        ),
        award,
        rules.grant_paid(fund=fund, amount=gbp(2_000), key=f"{key}:paid-bank", on=day, source={"grant": n}),
        rules.grant_paid(
            fund=fund,
            amount=gbp(1_000),
            key=f"{key}:paid-cash",
            on=day,
            source={"grant": n},
            from_account=chart.CASH,
        ),
        rules.grant_returned(amount=gbp(300), fund=fund, key=f"{key}:returned", on=day, source={"grant": n}),
        rules.match_owed(fund=fund, amount=gbp(1_500), key=f"{key}:match-owed", on=day, source={"offer": n}),
        rules.match_received(
            amount=gbp(1_000), fund=fund, key=f"{key}:match-bank", on=day, source={"offer": n}
        ),
        rules.match_received(
            amount=gbp(500),
            fund=fund,
            key=f"{key}:match-card",
            on=day,
            source={"offer": n},
            into=chart.STRIPE_CLEARING,
            fee=gbp(28),
        ),
        rules.refund(
            amount=gbp(200),
            fund=fund,
            income_source="donations",
            key=f"{key}:refund-bank",
            on=day,
            source={"receipt": n},
            from_account=chart.BANK,
        ),
        rules.refund(
            amount=gbp(100),
            fund=fund,
            income_source="donations",
            key=f"{key}:refund-cash",
            on=day,
            source={"receipt": n},
            from_account=chart.CASH,
        ),
        held.pledge_cash_held(
            fund=fund, amount=gbp(1_200), key=f"{key}:held-cash", on=day, source={"signup": n}
        ),
        held.pledge_cash_held(
            fund=fund,
            amount=gbp(600),
            key=f"{key}:held-bank",
            on=day,
            source={"signup": n + 1000},
            into=chart.BANK,
        ),
        held.pledge_cash_recognised(
            amount=gbp(1_200), fund=fund, key=f"{key}:kept", on=day, source={"signup": n}
        ),
        held.pledge_cash_returned(
            fund=fund,
            amount=gbp(600),
            key=f"{key}:given-back",
            on=day,
            source={"signup": n + 1000},
            from_account=chart.BANK,
        ),
    ]
    if n % 4 == 1:
        # Every fourth cycle a card payment is disputed and won back, in place of the two refunds of received
        # money (the book keeps its 25 entries a cycle).
        entries[-6:-4] = [
            disputes.dispute_funds_withdrawn(
                amount=gbp(300),
                fee=gbp(2_000),
                fund=fund,
                income_source="pledges",
                key=f"{key}:dispute",
                on=day,
                source={"dispute": f"dp_{n}"},
            ),
            disputes.dispute_funds_reinstated(
                amount=gbp(300),
                fund=fund,
                income_source="pledges",
                key=f"{key}:dispute-won",
                on=day,
                source={"dispute": f"dp_{n}"},
            ),
        ]
    if n % 4 == 2:
        # Every fourth cycle (another one) the card refund fails and its money comes back, in place of the
        # cash refund of received money.
        entries[-5] = refund_failures.refund_failed(
            amount=gbp(500),
            fund=fund,
            income_source="pledges",
            key=f"{key}:refund-failed",
            on=day,
            source={"refund": f"re_{n}", "balance_transaction": f"txn_rf{n}"},
        )
    if n % 4 == 3:
        # Every fourth cycle money moves from this cycle's fund to the next one, in place of the cash refund.
        entries[19] = fund_transfers.fund_transfer(
            amount=gbp(1_000),
            from_fund=fund,
            to_fund=FUNDS[(n + 1) % len(FUNDS)],
            place=chart.BANK,
            key=f"{key}:fund-transfer",
            on=day,
            source={"fund_transfer": n},
            actor_id=actor_id,
        )
    original = refund if n % 2 else award
    entries.append(
        rules.reversal(
            original, key=f"{key}:reversal", on=day, reason_code="entered-in-error", actor_id=actor_id
        )
    )
    return entries


def generate_book(sessions, cycles: int = CYCLES) -> str:
    """A chair, a neighbourhood with three funds, and `cycles` cycles of entries; returns the book's slug."""
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair, name="Elm Park")
    with unit_of_work(sessions) as session:
        place = services.get_neighbourhood(session, slug)
        for name in ("Playground fund", "Tree planting"):
            funds.add_fund(session, actor_id=chair, neighbourhood=place, name=name, description="", now=WHEN)
    for n in range(cycles):
        entries = cycle_entries(n, chair)
        with unit_of_work(sessions) as session:
            book = book_by_slug(session, slug)
            for entry in entries[:-1] if n == CLOSE_AFTER else entries:
                post(session, book=book, entry=entry, now=WHEN)
            if n == CLOSE_AFTER:
                close_year(session, actor_id=chair, book=book, through=YEAR_END, now=WHEN)
    return slug
