"""A book across a year end where the cash and the awards part company: an award made but not paid, cash held
for a pledge still open, then the award cut and paid the next year.

Year 2025 (1 April 2025 to 31 March 2026): a £1,150 donation into the bank, a £350 card pledge to the
street-trees fund (£9.70 fee), £30 cash taken for an open street-trees pledge, and a £150 grant awarded from
the general fund. At the year end the bank, the cash box and Stripe hold £1,520.30.
Year 2026: the award is cut to £110 and paid from the bank, and a £20 card pledge arrives (£0.57 fee).
"""

from __future__ import annotations

from datetime import date

from pledgebank.ledger import chart, held, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import FundType
from tests.helpers.export_pages import Place, elm_park


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def first_year() -> list:
    """The year that ends with £150 awarded and unpaid and £30 held for an open pledge."""
    return [
        rules.cash_received(
            amount=gbp(115_000),
            fund="general",
            income_source="donations",
            into=chart.BANK,
            key="cb:donation",
            on=date(2025, 5, 1),
            source={"receipt": 1},
        ),
        rules.card_payment_received(
            gross=gbp(35_000),
            fee=gbp(970),
            fund="street-trees",
            income_source="pledges",
            key="cb:card:1",
            on=date(2025, 6, 1),
            source={"pledge": 1, "charge": "ch_1", "balance_transaction": "txn_1"},
        ),
        held.pledge_cash_held(
            amount=gbp(3_000),
            fund="street-trees",
            into=chart.CASH,
            key="cb:held",
            on=date(2025, 7, 1),
            source={},
        ),
        rules.grant_awarded(
            amount=gbp(15_000), fund="general", key="cb:award", on=date(2025, 9, 1), source={"grant": 1}
        ),
    ]


def second_year() -> list:
    """The award cut to £110 and paid, and a small card pledge."""
    award = first_year()[-1]
    return [
        rules.reversal(award, key="cb:award:cut", on=date(2026, 5, 1), reason_code="grant-reduced"),
        rules.grant_awarded(
            amount=gbp(11_000), fund="general", key="cb:award:2", on=date(2026, 5, 1), source={"grant": 1}
        ),
        rules.grant_paid(
            amount=gbp(11_000), fund="general", key="cb:paid", on=date(2026, 5, 2), source={"grant": 1}
        ),
        rules.card_payment_received(
            gross=gbp(2_000),
            fee=gbp(57),
            fund="street-trees",
            income_source="pledges",
            key="cb:card:2",
            on=date(2026, 5, 3),
            source={"pledge": 2, "charge": "ch_2", "balance_transaction": "txn_2"},
        ),
    ]


def place_across_a_year_end(sessions) -> Place:
    """Elm Park with a restricted street-trees fund and both years' money posted."""
    street_trees = ("Street trees", FundType.RESTRICTED.value, "Plant twenty street trees")
    return elm_park(sessions, fund=street_trees, entries=first_year() + second_year())
