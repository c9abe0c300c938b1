"""Helpers for levy tests: a levy made and approved through the real services, households joining, cards
saved with Stripe's test cards, and reading charges and the books."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.ledger import chart
from pledgebank.levies import cards, charges, confirmations, hardship, households, payments, services
from pledgebank.levies.models import Household, LevyCharge
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.gateway import TestCard
from tests.factories.pledges import RETURN_URL, intents, neighbourhood_with, quick_user
from tests.helpers.app import add_member

ADDRESSES = ("1 Elm Road", "2 Elm Road", "3 Elm Road", "4 Elm Road", "5 Elm Road")


def now_of(app):
    """The app clock's now."""
    return app.extensions["pledgebank.clock"].now()


def today_of(app) -> date:
    """The app's local date."""
    return local_date(now_of(app), app.config["TIMEZONE"])


def levy_world(sessions, residents: int = 3, *, prefix: str = "") -> tuple[str, int, int, list[int]]:
    """A neighbourhood with a chair (also treasurer), a committee member and residents:
    (slug, chair id, committee member id, resident ids)."""
    slug, chair, people = neighbourhood_with(sessions, residents, prefix=prefix)
    member = quick_user(sessions, f"{prefix}committee@example.org", "Committee Member")
    add_member(sessions, slug, member, "committee")
    return slug, chair, member, people


def terms(app, **changes) -> services.LevyTerms:
    """Terms for a simple levy: £10 a month per household from today, not voluntary."""
    values = {
        "fund_slug": "general",
        "name": "Street lighting",
        "purpose": "Keeping the lamps on along the footpath behind Elm Road.",
        "basis": "flat",
        "amount": 1000,
        "period": "monthly",
        "starts_on": today_of(app),
        "ends_on": None,
        "voluntary": False,
        "threshold": None,
        "prorate": True,
    }
    values.update(changes)
    return services.LevyTerms(**values)


def make_levy(app, slug: str, creator_id: int, **changes) -> int:
    """Define a levy through the service and return its id (a draft)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return services.create_levy(
            session,
            actor_id=creator_id,
            neighbourhood=get_neighbourhood(session, slug),
            terms=terms(app, **changes),
            retry_days=app.config["LEVY_RETRY_DAYS"],
            now=now_of(app),
            zone=app.config["TIMEZONE"],
        ).id


def approve(app, levy_id: int, *approvers: int) -> str:
    """Each approver approves in turn; the levy's status afterwards."""
    for approver in approvers:
        with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
            status = services.approve_levy(
                session, actor_id=approver, levy_id=levy_id, now=now_of(app), zone=app.config["TIMEZONE"]
            ).status
    return status


def active_levy(app, slug: str, chair: int, member: int, **changes) -> int:
    """A levy defined by the committee member and approved by them and the chair."""
    levy_id = make_levy(app, slug, member, **changes)
    approve(app, levy_id, member, chair)
    return levy_id


def join(app, levy_id: int, user_id: int, address: str, band: str = "D") -> int:
    """The resident joins the levy for their household; the household's id."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        joined = households.join_levy(
            session,
            actor_id=user_id,
            levy_id=levy_id,
            address=address,
            band=band,
            now=now_of(app),
            zone=app.config["TIMEZONE"],
        )
        return joined.household.id


def save_card(app, levy_id: int, user_id: int, card: TestCard = TestCard.SUCCEEDS):
    """Save a test card for the user's household; the setup's outcome."""
    return cards.use_test_card(
        payments_context(app),
        levy_id=levy_id,
        user_id=user_id,
        card=card,
        return_url=RETURN_URL,
        now=now_of(app),
    )


def check_card(app, levy_id: int, user_id: int, *, succeed: bool = True):
    """Pass (or fail) the bank's check the emulator asks for while saving the household's card."""
    return cards.finish_test_authentication(
        payments_context(app), levy_id=levy_id, user_id=user_id, succeed=succeed, now=now_of(app)
    )


def join_with_card(
    app, levy_id: int, user_id: int, address: str, band: str = "D", card=TestCard.SUCCEEDS
) -> int:
    """Join and save a card; the household's id."""
    household = join(app, levy_id, user_id, address, band)
    save_card(app, levy_id, user_id, card)
    return household


def owed_now(app, household_id: int):
    """What the household's card would pay now, as the confirm page lists it."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return confirmations.owed_now(session, session.get_one(Household, household_id))


def confirm_owed(app, household_id: int, user_id: int, key: str | None = None):
    """The resident confirms the listed charges (the list shown now, unless a key is given)."""
    return confirmations.take_confirmed(
        payments_context(app),
        household_id=household_id,
        user_id=user_id,
        key=key or owed_now(app, household_id).key,
        now=now_of(app),
    )


def charges_of(app, levy_id: int | None = None) -> list[LevyCharge]:
    """Every charge (of one levy), by household and period."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        statement = select(LevyCharge).order_by(LevyCharge.household_id, LevyCharge.period_start)
        if levy_id is not None:
            statement = statement.where(LevyCharge.levy_id == levy_id)
        return list(session.scalars(statement))


def charge_of(app, household_id: int) -> LevyCharge:
    """The household's one charge (the test has raised exactly one)."""
    found = [c for c in charges_of(app) if c.household_id == household_id]
    assert len(found) == 1, found
    return found[0]


def household(app, household_id: int) -> Household:
    """The household as stored now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(Household, household_id)


def ledger_total(app, kind: str, account: str) -> int:
    """The sum posted to an account by transactions of one kind."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return int(
            session.scalar(
                select(func.coalesce(func.sum(LedgerPosting.amount), 0))
                .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
                .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
                .where(
                    LedgerTransaction.kind == kind,
                    # Receivables and the like: every fund's share of the account.
                    or_(LedgerAccount.code == account, LedgerAccount.code.startswith(account + ":")),
                )
            )
        )


def raised_in_ledger(app) -> int:
    """What the ledger shows raised as levy receivables."""
    return ledger_total(app, "receivable_raised", chart.RECEIVABLES)


def sources(app, kind: str) -> list[dict]:
    """The source references of every transaction of a kind, in order."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return list(
            session.scalars(
                select(LedgerTransaction.source)
                .where(LedgerTransaction.kind == kind)
                .order_by(LedgerTransaction.sequence)
            )
        )


def record_cash(app, charge_id: int, treasurer_id: int, into: str = "cash") -> None:
    """The treasurer records the charge's money as received."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        charges.record_payment(
            session,
            actor_id=treasurer_id,
            charge_id=charge_id,
            into=into,
            now=now_of(app),
            zone=app.config["TIMEZONE"],
        )


def ask_hardship(
    app, charge_id: int, user_id: int, amount: int | None = None, reason: str = "I lost my job in March."
) -> int:
    """The resident asks the committee for a waiver (or a reduction by amount); the request's id."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return hardship.request_hardship(
            session, actor_id=user_id, charge_id=charge_id, reason=reason, amount=amount, now=now_of(app)
        ).id


def decide(
    app, request_id: int, decider_id: int, *, approve: bool = True, amount: int | None = None, note: str = ""
):
    """A committee member decides a hardship request."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        hardship.decide_hardship(
            session,
            actor_id=decider_id,
            request_id=request_id,
            approve=approve,
            amount=amount,
            note=note,
            now=now_of(app),
            zone=app.config["TIMEZONE"],
        )


def pay_now(app, charge_id: int, user_id: int):
    """The resident pays with the household's saved card now."""
    return payments.pay_now(payments_context(app), charge_id=charge_id, user_id=user_id, now=now_of(app))


def authenticate(app, charge_id: int, user_id: int, *, succeed: bool = True):
    """The resident passes (or fails) the bank's check on the charge's payment."""
    return payments.authenticate_payment(
        payments_context(app), charge_id=charge_id, user_id=user_id, succeed=succeed, now=now_of(app)
    )


def intents_for(app, charge_id: int) -> list:
    """The charge's PaymentIntents in the emulator, oldest first (by their metadata)."""
    found = [
        pi for pi in intents(app) if pi.to_dict().get("metadata", {}).get("levy_charge") == str(charge_id)
    ]
    return sorted(found, key=lambda pi: pi.created)
