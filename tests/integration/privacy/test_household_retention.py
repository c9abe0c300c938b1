"""Household addresses on a clock-advanced database: once nobody lives in a household, none of its charges is
unpaid and all are in financial years past keeping (6 by default), the retention job replaces its address by
"Former household #<id>"; a household still lived in, or still owing, keeps its address; never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from pledgebank.accounts import erasure
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.levies.models import HouseholdResident
from pledgebank.privacy.enforce import ACTION
from tests.factories.levies import (
    active_levy,
    charge_of,
    household,
    join,
    levy_world,
    record_cash,
    today_of,
)
from tests.factories.pledges import assert_books_ok, due
from tests.helpers.app import PASSWORD

KEPT = "retention: household addresses replaced"


def _to(app, moment: datetime) -> None:
    clock = app.extensions["pledgebank.clock"]
    clock.advance(moment - clock.now())


def _addresses(app, *household_ids: int) -> list[str]:
    return [household(app, household_id).address for household_id in household_ids]


def test_an_empty_settled_household_loses_its_address_once_its_records_are_past_keeping(app, sessions):
    slug, chair, member, (left, stays, owes) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, ends_on=today_of(app) + timedelta(days=20))
    gone = join(app, levy, left, "7 Willow Lane")
    lived_in = join(app, levy, stays, "9 Willow Lane")
    owing = join(app, levy, owes, "11 Willow Lane")
    due(app)  # the levy's one charge for each household
    record_cash(app, charge_of(app, gone).id, chair)
    record_cash(app, charge_of(app, lived_in).id, chair)
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        erasure.close_account(session, actor_id=left, user_id=left, password=PASSWORD, now=now)
        # The third household's resident has moved away, leaving its charge unpaid.
        session.execute(delete(HouseholdResident).where(HouseholdResident.user_id == owes))

    # The charges fall in the financial year ending 31 March 2026: kept to the end of March 2032.
    _to(app, datetime(2032, 3, 31, 10, tzinfo=UTC))
    assert KEPT not in due(app)
    assert _addresses(app, gone, lived_in, owing) == ["7 Willow Lane", "9 Willow Lane", "11 Willow Lane"]

    done = due(app, days=1)
    assert done[KEPT] == 1
    emptied = household(app, gone)
    assert (emptied.address, emptied.address_key) == (
        f"Former household #{gone}",
        f"#former-household-{gone}",
    )
    assert (emptied.card_brand, emptied.card_last4, emptied.payment_method_id) == (None, None, None)
    assert _addresses(app, lived_in, owing) == ["9 Willow Lane", "11 Willow Lane"]
    assert charge_of(app, gone).status == "paid"  # the financial record stays, only the address goes

    assert KEPT not in due(app, days=1)  # never twice
    with unit_of_work(sessions) as session:
        runs = session.scalars(
            select(AuditEvent).where(AuditEvent.action == ACTION).order_by(AuditEvent.id)
        ).all()
    assert [run.after.get("household addresses replaced") for run in runs][-3:] == [0, 1, 0]
    assert_books_ok(app)
